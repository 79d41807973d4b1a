"""Translation units as the memory's tables store them, and a TMX file read into such rows.

An import of a million units spends about as long reading the file (libxml2, then Python
taking each ``<tu>`` apart, content keys, JSON columns, dates) as the database spends storing
it. On a machine with more than one core, a large file is therefore read in a second process
that hands ready-made rows to the importing one through a pipe, batch by batch, while the
database stores the previous batch. Both processes run the same ``prepare_rows``; small files
are read in-process, where starting an interpreter would cost more than it saves.
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import os
import queue
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from translator.domain import SkippedUnit
from translator.errors import InputFileError, TranslatorError
from translator.formats import tmx
from translator.frames import Frame, pump, write_frame

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
_MAX_REPORTED_SKIPS = 1_000  # each with its reason; the count is always complete


def content_key(pairs: Iterable[tuple[str, str]]) -> str:
    """The identity of a unit's content: its texts by language, in any order.

    Stored keys must never change: this is sha256 over exactly what
    ``json.dumps(sorted(pairs), ensure_ascii=False)`` gives, built without json.dumps's
    per-call set-up (an import computes a million of these).
    """
    canonical = sorted([(lang.lower(), text) for lang, text in pairs])
    body = "], [".join([f"{_quote(lang)}, {_quote(text)}" for lang, text in canonical])
    return _sha256(f"[[{body}]]".encode() if canonical else b"[]").hexdigest()


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
    path: Path, languages: Collection[str] | None, dialect: str, batch: int = BATCH
) -> Iterator[PreparedBatch]:
    """The units of a TMX file as rows to store, a batch at a time."""
    date = _date_converter(dialect)
    origin = path.name
    key_of = content_key
    encode = _cached_json  # notes and props repeat from unit to unit (URLs, domains, checks)
    current = PreparedBatch()
    rows, variants = current.rows, current.variants
    reported = 0
    for item in tmx.iter_unit_fields(path, languages=languages):
        if isinstance(item, SkippedUnit):
            current.skipped += 1
            if reported < _MAX_REPORTED_SKIPS:
                current.skips.append(item)
                reported += 1
            continue
        (tuid, srclang, created, created_by, changed, changed_by, origin_prop, status) = item[:8]
        notes, props, tuvs = item[8], item[9], item[10]
        counts = current.languages
        for tuv in tuvs:
            counts[tuv[0]] = counts.get(tuv[0], 0) + 1
        number = len(rows)  # the unit's place in its batch: the writer adds a base id
        rows.append(
            (
                number,
                key_of([(tuv[0], tuv[1]) for tuv in tuvs]),
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
            yield current
            current = PreparedBatch()
            rows, variants = current.rows, current.variants
    if rows or current.skipped:
        yield current


def prepared_batches(
    path: Path,
    languages: Collection[str] | None,
    dialect: str,
    *,
    parallel: bool | None = None,
) -> Iterator[PreparedBatch]:
    """``prepare_rows``, in a second process for a large file on a machine with two cores
    or more (``parallel`` forces the choice). Closing the iterator early (a cancelled
    import) stops that process."""
    if parallel is None:
        parallel = (os.cpu_count() or 1) > 1 and path.stat().st_size >= _PARALLEL_BYTES
    if not parallel:
        yield from prepare_rows(path, languages, dialect)
        return
    # A plain child interpreter rather than multiprocessing: it does not re-run the caller's
    # __main__, and the importing process (the GUI, say) is never forked with its threads.
    command = [sys.executable, "-m", __name__, str(path), dialect, *(languages or ())]
    with tempfile.TemporaryFile() as errors:
        try:
            reader = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors
            )
        except OSError:  # no interpreter to start (a frozen build, say): read it here
            yield from prepare_rows(path, languages, dialect)
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
            while True:
                frame = frames.get()
                if frame is None:
                    reader.wait()
                    errors.seek(0)
                    detail = errors.read().decode("utf-8", "replace").strip().splitlines()
                    raise TranslatorError(
                        f"{path}: the process reading the file stopped (exit code "
                        f"{reader.returncode}{': ' + detail[-1] if detail else ''}); "
                        "nothing was imported"
                    )
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
        finally:
            stop.set()
            if reader.poll() is None:
                reader.kill()
            reader.wait()
            pumping.join()
            reader.stdout.close()


def _send(out: IO[bytes], message: tuple[str, Any]) -> None:
    # marshal, not pickle: plain tuples, lists and strings between two copies of the same
    # interpreter, at twice pickle's speed, and nothing in a frame can name code to run.
    write_frame(out, 0, marshal.dumps(message))


def _main(argv: list[str]) -> int:
    """The second process: read, convert, send on stdout; a fault goes back as a message."""
    path, dialect, *languages = argv
    out = sys.stdout.buffer
    try:
        for batch in prepare_rows(Path(path), languages or None, dialect):
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
