"""Translation units as the memory's tables store them, and a TMX file read into such rows.

An import of a million units spends longer reading the file (libxml2, then Python taking
each ``<tu>`` apart, content keys, JSON columns, dates: ~30 us a unit) than the database
spends storing it (~25 us). On a machine with more than one core, a large file is therefore
read in a second process that hands ready-made rows to the importing one through a pipe,
batch by batch, while the database stores the previous batch. A very large UTF-8 file is
read by two such processes, a half each (``split_spans``): the first half through the pipe,
the second into a spool file at the lowest priority, so that it uses only what the other
two leave of the processors, and is stored once the first half is. All of them run the same
``prepare_rows``; small files are read in-process, where starting an interpreter would cost
more than it saves.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import marshal
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

import platformdirs

from translator.domain import SkippedUnit
from translator.errors import InputFileError, TranslatorError
from translator.formats import tmx
from translator.frames import Frame, pump, read_frame, write_frame

__all__ = [
    "PreparedBatch",
    "UnitRow",
    "VariantRow",
    "content_key",
    "json_list",
    "prepare_rows",
    "prepared_batches",
]

BATCH = 5_000  # units per batch; bounded by SQLite's 32,766 parameters in IN ()
_PARALLEL_BYTES = 32 * 2**20  # files from this size are read in a second process
_SPLIT_BYTES = 64 * 2**20  # and from this size by two, a half each
_MAX_REPORTED_SKIPS = 1_000  # each with its reason; the count is always complete


def content_key(variants: Iterable[Sequence[Any]]) -> str:
    """The identity of a unit's content: its texts by language, in any order. Each item
    begins with a language and a text: a pair, or a variant row as ``tmx`` reads it.

    Stored keys must never change: this is sha256 over exactly what
    ``json.dumps(sorted((lang.lower(), text) ...), ensure_ascii=False)`` gives, built
    without json.dumps's per-call set-up, and for the usual two variants without a list to
    sort (an import computes a million of these).
    """
    items = variants if isinstance(variants, list | tuple) else list(variants)
    if len(items) == 2:
        first, second = items
        a, x, b, y = first[0].lower(), first[1], second[0].lower(), second[1]
        if (b, y) < (a, x):
            a, x, b, y = b, y, a, x
        body = f"{_quote(a)}, {_quote(x)}], [{_quote(b)}, {_quote(y)}"
    else:
        canonical = sorted([(item[0].lower(), item[1]) for item in items])
        if not canonical:
            return _sha256(b"[]").hexdigest()
        body = "], [".join([f"{_quote(lang)}, {_quote(text)}" for lang, text in canonical])
    return _sha256(f"[[{body}]]".encode()).hexdigest()


_quote = json.encoder.encode_basestring  # the same C function json.dumps uses
_sha256 = hashlib.sha256


def json_list(items: Sequence[Any]) -> str | None:
    """What ``json.dumps(list(items), ensure_ascii=False)`` gives, for notes (strings) and
    props ((type, value) pairs), without its per-call set-up; None when there are none."""
    if not items:
        return None
    if all(type(item) is str for item in items):
        return f"[{', '.join([_quote(item) for item in items])}]"
    if all(type(item) is tuple and len(item) == 2 for item in items):
        return f"[[{'], ['.join([f'{_quote(a)}, {_quote(b)}' for a, b in items])}]]"
    return json.dumps(list(items), ensure_ascii=False)


_cached_json = functools.lru_cache(maxsize=4096)(json_list)


#: One unit ready to store: its number in the batch, content_key, tuid, srclang, status,
#: origin, created_at, created_by, changed_at, changed_by, notes (JSON), props (JSON). Dates
#: are text (SQLite: SQLAlchemy's own form, stored as it is; elsewhere ISO 8601), so that
#: rows are plain data. The rows of a batch go to the database as they are, with a base id
#: added to the number in SQL: no per-row work in the importing process.
UnitRow = tuple[Any, ...]
#: One variant: its unit's number in the batch, position, lang, text, markup, notes (JSON),
#: props (JSON).
VariantRow = tuple[Any, ...]


@dataclass
class PreparedBatch:
    """Up to ``BATCH`` units of a file, and what was skipped among them."""

    rows: list[UnitRow] = field(default_factory=list)
    variants: list[VariantRow] = field(default_factory=list)
    skipped: int = 0
    skips: list[SkippedUnit] = field(default_factory=list)  # the first ones, with reasons
    languages: dict[str, int] = field(default_factory=dict)  # variants read per language


def _date_converter(dialect: str) -> Callable[[datetime | None], Any]:
    if dialect != "sqlite":  # ISO 8601 with its offset; the writer makes datetimes of them
        return lambda value: None if value is None else value.isoformat()
    # SQLAlchemy's SQLite DATETIME text ("2019-01-07 08:00:00.000000"), which the ORM writes
    # and reads back; isoformat gives the same text four times faster than its processor.
    return lambda value: (
        None if value is None else value.replace(tzinfo=None).isoformat(" ", "microseconds")
    )


def prepare_rows(
    path: Path,
    languages: Collection[str] | None,
    dialect: str,
    batch: int = BATCH,
    span: Span | None = None,
) -> Iterator[PreparedBatch]:
    """The units of a TMX file (or of the part ``span`` names) as rows to store, a batch at
    a time."""
    with contextlib.ExitStack() as stack:
        source = None if span is None else stack.enter_context(_SpanStream(path, span))
        items = tmx.iter_unit_fields(path, languages=languages, source=source)
        yield from _batches(path, items, dialect, batch)


def _batches(
    path: Path, items: Iterable[tmx.UnitFields | SkippedUnit], dialect: str, batch: int
) -> Iterator[PreparedBatch]:
    date = _date_converter(dialect)
    origin = path.name
    key_of = content_key
    encode = _cached_json  # notes and props repeat from unit to unit (URLs, domains, checks)
    current = PreparedBatch()
    rows, variants = current.rows, current.variants
    reported = 0
    for item in items:
        if isinstance(item, SkippedUnit):
            current.skipped += 1
            if reported < _MAX_REPORTED_SKIPS:
                current.skips.append(item)
                reported += 1
            continue
        (tuid, srclang, created, created_by, changed, changed_by, origin_prop, status) = item[:8]
        notes, props, tuvs = item[8], item[9], item[10]
        number = len(rows)  # the unit's place in its batch: the writer adds a base id
        rows.append(
            (
                number,
                key_of(tuvs),
                tuid,
                srclang,
                status,
                origin_prop or origin,
                date(created),
                created_by,
                date(changed),
                changed_by,
                encode(notes) if notes else None,
                encode(props) if props else None,
            )
        )
        variants.extend(
            [
                (
                    number,
                    position,
                    lang,
                    text,
                    markup,
                    encode(v_notes) if v_notes else None,
                    encode(v_props) if v_props else None,
                )
                for position, (lang, text, markup, v_notes, v_props) in enumerate(tuvs, 1)
            ]
        )
        if len(rows) >= batch:
            yield _counted(current)
            current = PreparedBatch()
            rows, variants = current.rows, current.variants
    if rows or current.skipped:
        yield _counted(current)


def _counted(batch: PreparedBatch) -> PreparedBatch:
    """The batch with its variants counted by language."""
    batch.languages = dict(Counter(map(_LANG, batch.variants)))
    return batch


_LANG = itemgetter(2)


# -- a part of a file as a document of its own ------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A part of a TMX file read as a well-formed document of its own: the file's first
    ``head`` bytes (its prolog, up to the first ``<tu>``), as many line breaks as the file
    has between ``head`` and ``start``, the bytes from ``start`` to ``end`` (None: to the end
    of the file), and the end tags of <body> and <tmx> when ``close``. The line breaks make
    each line keep its number in the file, so that the line of a skipped unit or of a fault
    is the file's; the process that reads the span counts them."""

    head: int
    start: int
    end: int | None
    close: bool

    def argument(self) -> str:
        end = "" if self.end is None else self.end
        return f"{self.head},{self.start},{end},{int(self.close)}"

    @classmethod
    def parse(cls, text: str) -> Span:
        head, start, end, close = text.split(",")
        return cls(int(head), int(start), int(end) if end else None, close == "1")


_CLOSE = b"</body></tmx>\n"
# libxml2 refuses a text node over 10 MB (huge_tree stays off): the padding is cut by an
# empty element, which the reader passes over as it passes over anything but <tu>.
_PAD_LINES = 1_000_000
_PAD_CUT = b"<pad/>"
_PAD_PIECE = 2**16  # line breaks handed to lxml at a time


class _SpanStream:
    """The bytes of a Span, for lxml to read (``read`` and a context); the padding is made
    as it is read."""

    def __init__(self, path: Path, span: Span) -> None:
        self.file = path.open("rb")
        self.pieces = _pieces(span, _line_breaks(self.file, span.head, span.start))
        self.piece: tuple[int, int | None] | bytes | None = next(self.pieces)

    def read(self, size: int = -1) -> bytes:
        while self.piece is not None:
            piece = self.piece
            if isinstance(piece, bytes):
                out, rest = (piece, b"") if size < 0 else (piece[:size], piece[size:])
                self.piece = rest if rest else next(self.pieces, None)
                return out
            start, end = piece
            self.file.seek(start)
            wanted = -1 if end is None else end - start
            if size >= 0:
                wanted = size if wanted < 0 else min(size, wanted)
            data = self.file.read(wanted) if wanted != 0 else b""
            if not data or (end is not None and start + len(data) >= end):
                self.piece = next(self.pieces, None)
            else:
                self.piece = (start + len(data), end)
            if data:
                return data
        return b""

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> _SpanStream:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _line_breaks(stream: IO[bytes], start: int, end: int) -> int:
    stream.seek(start)
    lines, left = 0, end - start
    while left > 0:
        chunk = stream.read(min(left, 16 * 2**20))
        if not chunk:
            break
        lines += chunk.count(b"\n")
        left -= len(chunk)
    return lines


def _pieces(span: Span, pad: int) -> Iterator[tuple[int, int | None] | bytes]:
    """A Span, with ``pad`` line breaks, as file ranges (start, end) and bytes, in order."""
    yield (0, span.head)
    for lines in range(pad, 0, -_PAD_LINES):
        yield _PAD_CUT
        for left in range(min(lines, _PAD_LINES), 0, -_PAD_PIECE):
            yield b"\n" * min(left, _PAD_PIECE)
    yield (span.start, span.end)
    if span.close:
        yield _CLOSE


_TU_START = re.compile(rb"<tu[ \t\r\n>/]")  # an empty <tu/> is a unit too (a skipped one)
_LINE_TU_START = re.compile(rb"\n<tu[ \t\r\n>/]")
_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)""")
_SPLIT_WINDOW = 2**20  # where the prolog must end, and the cut be found after half the file


def split_spans(path: Path) -> tuple[Span, Span] | None:
    """The two halves of a UTF-8 TMX file, cut at a ``<tu>`` that begins a line past the
    middle, as documents of their own; None when the file offers no such place.

    Only the first half can show that the cut is sound: read as a document, it ends well
    formed only if the cut falls between two units of <body> (not in a comment, a CDATA
    section, a unit). Its reader is started from the file's first byte, so its batches are
    those one reader of the whole file would send first; see ``prepared_batches``."""
    size = path.stat().st_size
    with path.open("rb") as stream:
        opening = stream.read(_SPLIT_WINDOW)
        declared = _ENCODING.match(opening)
        encoding = declared.group(1).lower() if declared else b"utf-8"
        if b"\x00" in opening[:4] or encoding not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
            return None
        found = _TU_START.search(opening)
        if found is None or not tmx.well_formed(opening[: found.start()] + _CLOSE):
            return None
        head = found.start()
        middle = size // 2
        if middle <= head:
            return None
        stream.seek(middle)
        found = _LINE_TU_START.search(stream.read(_SPLIT_WINDOW))
        if found is None:
            return None
        cut = middle + found.start() + 1
    return Span(0, 0, cut, True), Span(head, cut, None, False)


# -- reading in other processes ---------------------------------------------------------


def prepared_batches(
    path: Path,
    languages: Collection[str] | None,
    dialect: str,
    *,
    parallel: bool | None = None,
    split: bool | None = None,
) -> Iterator[PreparedBatch]:
    """``prepare_rows``, in a second process for a large file on a machine with two cores
    or more (``parallel`` forces the choice); a very large one is read by two processes, a
    half each (``split`` forces that). Closing the iterator early (a cancelled import)
    stops those processes."""
    cores = os.cpu_count() or 1
    size = path.stat().st_size
    if parallel is None:
        parallel = cores > 1 and size >= _PARALLEL_BYTES
    if not parallel:
        yield from prepare_rows(path, languages, dialect)
        return
    if split is None:
        split = cores > 1 and size >= _SPLIT_BYTES
    spans = split_spans(path) if split else None
    if spans is None:
        yield from _piped(path, languages, dialect)
        return
    yield from _halves(path, languages, dialect, *spans)


def _halves(
    path: Path, languages: Collection[str] | None, dialect: str, first: Span, second: Span
) -> Iterator[PreparedBatch]:
    """Both halves read at once: the first through a pipe, as this process stores it; the
    second into a spool file, stored once the first is done, so that units are stored in
    the file's order (each process holds a batch or two, whatever the file's size)."""
    handle, name = tempfile.mkstemp(prefix="import-", suffix=".frames", dir=spool_folder())
    os.close(handle)
    spool = Path(name)
    try:
        with contextlib.ExitStack() as stack:
            try:
                later, _errors = stack.enter_context(
                    _reader(path, languages, dialect, second, spool)
                )
            except OSError:  # no interpreter to start: one reader, as for a smaller file
                yield from _piped(path, languages, dialect)
                return
            consumed = 0
            try:
                for batch in _piped(path, languages, dialect, first):
                    consumed += 1
                    yield batch
            except InputFileError:
                # The first half did not end well formed: a fault in the file, or a cut in
                # a comment or CDATA section. One reader of the whole file decides, going
                # on after the batches this one already gave (they are its first ones).
                later.kill()
                yield from itertools.islice(_piped(path, languages, dialect), consumed, None)
                return
            consumed = 0
            try:
                with spool.open("rb") as stream:
                    tail = _Tail(stream, later)
                    for batch in _decoded(path, iter(lambda: read_frame(tail.read), None)):
                        consumed += 1
                        yield batch
                return
            except _ReaderStopped:
                pass
            # The second reader stopped short (killed, say, or out of room for the spool):
            # this process reads the rest of that half.
            rest = prepare_rows(path, languages, dialect, span=second)
            yield from itertools.islice(rest, consumed, None)
    finally:
        with suppress(OSError):
            spool.unlink()


def spool_folder() -> Path | None:
    """Where the second half's frames wait: the user's cache folder, which is on disk (the
    system's temporary folder may be memory, a tmpfs); None (that temporary folder) when it
    cannot be made."""
    folder = platformdirs.user_cache_path("translator", appauthor=False) / "import"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


class _Tail:
    """A spool file read while its writer may still be adding to it."""

    def __init__(self, stream: IO[bytes], writer: subprocess.Popen[bytes]) -> None:
        self.stream = stream
        self.writer = writer

    def read(self, size: int) -> bytes:
        data = bytearray()
        while len(data) < size:
            chunk = self.stream.read(size - len(data))
            if chunk:
                data += chunk
            elif self.writer.poll() is not None:
                chunk = self.stream.read(size - len(data))  # written just before it ended
                if not chunk:
                    break
                data += chunk
            else:
                time.sleep(0.005)
        return bytes(data)


@contextmanager
def _reader(
    path: Path,
    languages: Collection[str] | None,
    dialect: str,
    span: Span | None,
    spool: Path | None,
) -> Iterator[tuple[subprocess.Popen[bytes], IO[bytes]]]:
    """A reading process (and the file its error output goes to), stopped on leaving."""
    # A plain child interpreter rather than multiprocessing: it does not re-run the caller's
    # __main__, and the importing process (the GUI, say) is never forked with its threads.
    command = [
        sys.executable,
        "-m",
        __name__,
        str(path),
        dialect,
        "-" if span is None else span.argument(),
        "-" if spool is None else str(spool),
        *(languages or ()),
    ]
    flags = 0
    if sys.platform == "win32" and spool is not None:  # elsewhere the reader lowers itself
        flags = subprocess.IDLE_PRIORITY_CLASS
    with tempfile.TemporaryFile() as errors:
        reader = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if spool is None else subprocess.DEVNULL,
            stderr=errors,
            creationflags=flags,
        )
        try:
            yield reader, errors
        finally:
            if reader.poll() is None:
                reader.kill()
            reader.wait()
            if reader.stdout is not None:
                reader.stdout.close()


def _piped(
    path: Path, languages: Collection[str] | None, dialect: str, span: Span | None = None
) -> Iterator[PreparedBatch]:
    """``prepare_rows`` in a second process, its batches through a pipe."""
    with contextlib.ExitStack() as stack:
        try:
            reader, errors = stack.enter_context(_reader(path, languages, dialect, span, None))
        except OSError:  # no interpreter to start (a frozen build, say): read it here
            yield from prepare_rows(path, languages, dialect, span=span)
            return
        assert reader.stdout is not None
        # A thread takes the frames off the pipe as they come (reading releases the GIL), so
        # the child goes on converting while this process stores; a few frames at most wait.
        frames: queue.Queue[Frame | None] = queue.Queue(maxsize=4)
        stop = threading.Event()
        pumping = threading.Thread(
            target=pump, args=(reader.stdout, frames, stop), name="TMX frames", daemon=True
        )
        pumping.start()
        try:
            try:
                yield from _decoded(path, iter(frames.get, None))
            except _ReaderStopped:
                reader.wait()
                errors.seek(0)
                detail = errors.read().decode("utf-8", "replace").strip().splitlines()
                raise TranslatorError(
                    f"{path}: the process reading the file stopped (exit code "
                    f"{reader.returncode}{': ' + detail[-1] if detail else ''}); "
                    "nothing was imported"
                ) from None
        finally:
            stop.set()
            if reader.poll() is None:
                reader.kill()
            pumping.join()


class _ReaderStopped(Exception):
    """A reading process's frames ended before its last one ("done" or a fault)."""


def _decoded(path: Path, frames: Iterator[Frame]) -> Iterator[PreparedBatch]:
    """The batches in a reader's frames, up to its last one ("done"); a fault the reader
    met is raised here, and _ReaderStopped if the frames end before that last one."""
    for frame in frames:
        kind, payload = marshal.loads(frame[1])
        if kind == "batch":
            rows, variants, skipped, skips, counts = payload
            yield PreparedBatch(
                rows, variants, skipped, [SkippedUnit(*skip) for skip in skips], counts
            )
        elif kind == "done":
            return
        elif kind == "error":
            where, message, line, column, place = payload
            raise InputFileError(where, message, line=line, column=column, where=place)
        else:
            raise TranslatorError(f"{path}: reading failed: {payload}")
    raise _ReaderStopped


def _send(out: IO[bytes], message: tuple[str, Any]) -> None:
    # marshal, not pickle: plain tuples, lists and strings between two copies of the same
    # interpreter, at twice pickle's speed, and nothing in a frame can name code to run.
    write_frame(out, 0, marshal.dumps(message))


def _main(argv: list[str]) -> int:
    """A reading process: read (the whole file or a span of it), convert, send the batches
    on stdout or into a spool file; a fault goes back as a message."""
    path, dialect, span, spool, *languages = argv
    if spool != "-" and hasattr(os, "nice"):
        # The half read ahead only uses what the importing process and the first half's
        # reader leave of the processors: on two cores, at the same priority, the three
        # processes slowed each other down (1M units: 43 s; 32 s this way; 41 s with one
        # reader).
        os.nice(19)
    with contextlib.ExitStack() as stack:
        out = sys.stdout.buffer if spool == "-" else stack.enter_context(open(spool, "wb"))
        try:
            for batch in prepare_rows(
                Path(path),
                languages or None,
                dialect,
                span=None if span == "-" else Span.parse(span),
            ):
                skips = [(skip.line, skip.tuid, skip.reason) for skip in batch.skips]
                message = (batch.rows, batch.variants, batch.skipped, skips, batch.languages)
                _send(out, ("batch", message))
            _send(out, ("done", None))
        except InputFileError as exc:
            _send(out, ("error", (exc.path, exc.message, exc.line, exc.column, exc.where)))
        except Exception:  # a bug, not the file: its traceback, for the report
            _send(out, ("crash", traceback.format_exc(limit=8)))
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
