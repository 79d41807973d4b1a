"""Python's cycle collector, paused while a large structure of plain objects is built.

Each collection walks the objects allocated since the last one, and every so often all of
them: building hundreds of thousands of tuples, dicts and lists (the rows of a memory
import, the tree of a glossary's words) sets it off again and again to find no cycle at all.
A 20,000-term glossary's index took 0.28 s to build with it running, 0.09 s paused; a memory
import spends about 3% of its time in it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused"]

_lock = threading.Lock()
_pauses = 0  # pauses running, in any thread
_was_on = False  # as the first of them found it


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block; as it was before when the last pause ends (pauses
    may overlap, in several threads)."""
    global _pauses, _was_on
    with _lock:
        if _pauses == 0:
            _was_on = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_on:
                gc.enable()
