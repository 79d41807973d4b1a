"""The memory's TMX export on SQLite: SQLite writes the XML (``storage/tmx_sql``), and a
large export shares the batches with a second process.

Rendering a batch is SQLite's work, and two threads calling SQLite in one process mostly
wait for each other (every allocation takes a global lock in the usual builds), so a large
export starts a second interpreter that renders batches in its own read transaction. Its
results are used only when that transaction sees the same commit as this process's (checked
with ``PRAGMA data_version``); otherwise, or while it starts, this process renders the
batches itself. This process fills in the units that the Python writer writes and writes
the file, in order. No write lock is ever taken.
"""

from __future__ import annotations

import json
import os
import queue
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import IO

from sqlalchemy import Connection
from sqlalchemy.engine import make_url

from translator.formats import tmx
from translator.frames import pump
from translator.storage import tmx_sql
from translator.storage.database import Workspace

if sys.platform != "win32":
    import fcntl

__all__ = ["Fallback", "export_sqlite"]

#: Reads the units that the Python writer writes: (id, fields) for the ids given.
Fallback = Callable[[Connection, Sequence[int]], Iterable[tuple[int, tmx.UnitFields]]]

_PARALLEL_BATCHES = 50  # from about 50,000 units a second interpreter pays for its start
_AHEAD = 2  # ranges the other process holds, so that it never waits for the next one
_AHEAD_HERE = 6  # batches rendered here while the next one is the other process's (1 MB each)
_PIPE_BYTES = 2**20  # Linux's default limit for a pipe's buffer
_START_S = 60.0  # the longest wait for the other process to start, when told to wait
_STALL_S = 60.0  # the longest wait for a batch from it before this process takes over

_Frames = queue.Queue[tuple[int, bytes] | None]


def export_sqlite(
    workspace: Workspace,
    path: Path,
    *,
    srclang: str,
    statuses: Sequence[str] | None,
    progress: Callable[[int, int], None],
    fallback: Fallback,
    parallel: bool | None = None,
) -> int:
    """Write the units (with one of ``statuses``) as ``tmx.write_tmx`` writes
    them; returns how many. ``parallel`` forces the choice of a second process (True: this
    process waits for it to start, rather than rendering meanwhile)."""
    with ExitStack() as stack:
        connection = stack.enter_context(workspace.reading())
        witness = stack.enter_context(workspace.reading())  # sees commits: see _data_version
        version = _data_version(witness)
        connection.exec_driver_sql("SELECT 1 FROM tm_unit LIMIT 1").all()  # snapshot starts
        db = connection.connection.driver_connection
        assert isinstance(db, sqlite3.Connection)
        here = tmx_sql.Renderer(db, srclang=srclang, statuses=statuses)
        bounds = here.bounds()
        ranges = list(zip([0, *bounds], [*bounds, 2**63 - 1], strict=True))
        wait = parallel is True  # forced: wait for it (the tests' way to be sure it works)
        if parallel is None:
            parallel = (os.cpu_count() or 1) > 1 and len(ranges) >= _PARALLEL_BATCHES
        database = make_url(workspace.url).database
        other = None
        if parallel and database and database != ":memory:":
            job = {"srclang": srclang, "statuses": statuses}
            other = stack.enter_context(_second_process(database, job))

        def same_snapshot() -> bool:
            return _data_version(witness) == version

        def fields(ids: list[int]) -> Mapping[int, tmx.UnitFields]:
            return dict(fallback(connection, ids))

        def write_units(stream: IO[bytes]) -> int:
            batches = _in_order(here, other, ranges, same_snapshot, wait=wait)
            return _write(stream, batches, fields, srclang, progress)

        return tmx.write_tmx_body(path, write_units, srclang=srclang)


def _data_version(connection: Connection) -> int:
    """``PRAGMA data_version`` outside any transaction (on the driver's connection, which
    SQLAlchemy has begun none on): it changes when another connection has committed since
    this one last read. The same value twice: nothing was committed in between."""
    db = connection.connection.driver_connection
    assert isinstance(db, sqlite3.Connection)
    return int(db.execute("PRAGMA data_version").fetchone()[0])


def _write(
    stream: IO[bytes],
    batches: Iterable[tuple[int, bytes]],
    fields: Callable[[list[int]], Mapping[int, tmx.UnitFields]],
    srclang: str,
    progress: Callable[[int, int], None],
) -> int:
    # Progress as tmx.write_tmx_fields reports it: at every 1,000th unit, then at the end.
    done = 0
    mark = tmx_sql.BATCH
    for count, xml in batches:
        stream.write(tmx_sql.fill_units(xml, fields, srclang))
        done += count
        while done >= mark:
            progress(mark, 0)
            mark += tmx_sql.BATCH
    progress(done, 0)
    return done


def _in_order(
    here: tmx_sql.Renderer,
    other: _Other | None,
    ranges: list[tuple[int, int]],
    same_snapshot: Callable[[], bool],
    *,
    wait: bool = False,
) -> Iterator[tuple[int, bytes]]:
    """The batches in file order. This process renders them until the other one is ready
    (and on the same snapshot); from then on the other process always holds the next few
    ranges, and this one renders the next range itself whenever it would wait, a few
    batches ahead at most (memory stays flat, whichever process is faster). Should the
    other process fail, this one renders what it held."""
    todo = deque(ranges)
    # In file order: a range and its batch, None until the other process has sent it.
    queued: deque[tuple[tuple[int, int], tuple[int, bytes] | None]] = deque()
    helping = False
    while todo or queued:
        if other is not None and not helping:
            ready = other.ready(block=wait) if todo else False
            if ready is not None:
                helping = ready and same_snapshot()
                if not helping:
                    other.stop()
                    other = None
        if other is not None and helping:
            while other.waiting < _AHEAD and todo:
                queued.append((todo[0], None))
                other.send(*todo.popleft())
        if queued and queued[0][1] is not None:
            batch = queued.popleft()[1]
            assert batch is not None
            yield batch
            continue
        if not queued:
            span = todo.popleft()
            queued.append((span, here.render(*span)))
            continue
        # The next batch is the other process's.
        assert other is not None
        if todo and sum(batch is not None for _, batch in queued) < _AHEAD_HERE:
            taken = other.take(block=False)
            if taken is None and not other.failed:
                span = todo.popleft()
                queued.append((span, here.render(*span)))
                continue
        else:
            taken = other.take(block=True)
        if taken is None:  # it failed: render what it held here, and the rest
            other.stop()
            other, helping = None, False
            queued = deque((span, batch or here.render(*span)) for span, batch in queued)
            continue
        first = next(n for n, (_, batch) in enumerate(queued) if batch is None)
        queued[first] = (queued[first][0], taken)


class _Other:
    """The second process: ranges go in on its stdin, batches come back in the same order."""

    def __init__(self, process: subprocess.Popen[bytes], frames: _Frames) -> None:
        self.process = process
        self.frames = frames
        self.waiting = 0  # ranges sent whose batch has not been taken yet
        self.failed = False

    def ready(self, block: bool) -> bool | None:
        """True once its read transaction has begun, False if it failed to; None: not yet."""
        try:
            frame = self.frames.get(block=block, timeout=_START_S if block else None)
        except queue.Empty:
            return False if block else None
        return frame is not None and frame[0] == tmx_sql.READY

    def send(self, after: int, upto: int) -> None:
        assert self.process.stdin is not None
        self.waiting += 1
        try:
            self.process.stdin.write(b"%d %d\n" % (after, upto))
            self.process.stdin.flush()
        except OSError:  # it died: take() will say so once its output ends
            pass

    def take(self, block: bool) -> tuple[int, bytes] | None:
        """The next batch; None when there is none yet (``block`` false) or the process
        failed or stalled (then ``failed`` is set)."""
        try:
            frame = self.frames.get(block=block, timeout=_STALL_S if block else None)
        except queue.Empty:
            if block:
                self.failed = True
            return None
        self.waiting -= 1
        if frame is None or frame[0] == tmx_sql.FAILED:
            self.failed = True
            return None
        return frame

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()


@contextmanager
def _second_process(database: str, job: Mapping[str, object]) -> Iterator[_Other | None]:
    """A second interpreter running ``tmx_sql`` (starting: see ``_Other.ready``); None when
    there is none to start. Leaving the block stops it."""
    command = [sys.executable, "-m", tmx_sql.__name__]
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors
            )
        except OSError:  # no interpreter to start (a frozen build, say): all in this process
            yield None
            return
        assert process.stdin is not None and process.stdout is not None
        if sys.platform == "linux":  # a batch fits in the pipe at once: fewer switches
            with suppress(OSError):
                fcntl.fcntl(process.stdout.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
        # A thread takes the batches off the pipe as they come (reading releases the GIL),
        # so that the other process goes on while this one renders; a few wait at most.
        frames: _Frames = queue.Queue(maxsize=_AHEAD + 1)
        stop = threading.Event()
        pumping = threading.Thread(
            target=pump, args=(process.stdout, frames, stop), name="TMX export", daemon=True
        )
        pumping.start()
        try:
            try:
                process.stdin.write(json.dumps({"database": database, **job}).encode() + b"\n")
                process.stdin.flush()
            except OSError:  # it died at once
                yield None
            else:
                yield _Other(process, frames)
        finally:
            stop.set()
            if process.poll() is None:
                process.kill()
            process.wait()
            pumping.join()
            process.stdout.close()
            with suppress(OSError):
                process.stdin.close()
