"""Frames between this process and a helper interpreter it starts: a pipe, a frame at a time.

A frame is a signed number (what it means is the caller's: a count, a kind), the payload's
size (8 bytes each, little-endian), then the payload. The TMX import's reader and the TMX
export's second renderer both speak it; ``pump`` takes frames off a pipe in a thread, so the
helper goes on working while this process uses the previous frame.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import IO

__all__ = ["Frame", "pump", "read_frame", "write_frame"]

Frame = tuple[int, bytes]


def write_frame(out: IO[bytes], number: int, payload: bytes) -> None:
    out.write(number.to_bytes(8, "little", signed=True) + len(payload).to_bytes(8, "little"))
    out.write(payload)
    out.flush()


def read_frame(read: Callable[[int], bytes]) -> Frame | None:
    """The next frame from a stream's ``read``, or None when the stream ends (or breaks
    off) before one."""
    head = read(16)
    if len(head) != 16:
        return None
    size = int.from_bytes(head[8:], "little")
    payload = read(size)
    if len(payload) != size:
        return None
    return int.from_bytes(head[:8], "little", signed=True), payload


def pump(stream: IO[bytes], frames: queue.Queue[Frame | None], stop: threading.Event) -> None:
    """Frames from ``stream`` into ``frames`` (bounded: a few wait at most); None at its end.
    Returns soon after ``stop`` is set, even while ``frames`` is full."""
    while not stop.is_set():
        frame = read_frame(stream.read)
        while not stop.is_set():
            try:
                frames.put(frame, timeout=0.1)
                break
            except queue.Full:
                continue
        if frame is None:
            return
