"""SQLite writes the TMX text of memory units itself, a batch of units per SELECT.

An export is bound by per-unit work in Python (a row of a dozen values to fetch, dates to
format, a string to build). Here one SELECT per batch of about 1,000 units returns the whole
batch as one string built with SQL string functions, and Python only patches in what SQL
cannot write byte for byte as ``tmx.write_tmx`` does. This module needs nothing but sqlite3
and ``tmx``, so that a second interpreter can import it quickly and render batches too
(see ``services/memory_export``; run as ``python -m``, it is that second process).

SQL writes the ``<``, ``>`` and ``"`` of its own markup as 0xFF, 0xFE and 0xF8, bytes that
never occur in UTF-8, so that ``&``, ``<``, ``>`` and CR in the data are escaped in one pass
over the batch before those bytes become the markup. It converts the JSON of notes and props
when the JSON is in the form ``json.dumps`` writes and holds nothing JSON escapes; a quote
left over (written 0xF7) sends the unit to Python. Python writes, with the same ``tmx``
functions as ``write_tmx`` (so that the bytes cannot differ):

- a whole unit (0xFD, its id, 0xFD; see ``fill_units``) when SQL cannot write it: a variant
  with notes or props; a tuid, user name, srclang or language with a quote, tab or line
  break (only attributes escape those); a date not in SQLAlchemy's form; JSON with escapes;
  variant positions other than 1..n in index order; no variant; and, found in the batch
  afterwards, a character XML cannot carry (a control character, U+FFFE, U+FFFF) or a JSON
  quote left over;
- the ``<seg>`` of a variant with inline markup (0xFC, its id, 0xFC): lxml re-serialises it.

The batch's units come out in the order SQLite scans them, which the query fixes (see
_FROM): an ORDER BY would make SQLite copy every unit's text once more.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, Any

from translator.formats import tmx
from translator.frames import write_frame

__all__ = ["BATCH", "FAILED", "READY", "Renderer", "fill_units"]

BATCH = 1_000  # units a SELECT (about): also how often an export reports progress

_LT, _GT, _QUOTE = b"\xff", b"\xfe", b"\xf8"
_UNIT, _SEG, _LEFTOVER = b"\xfd", b"\xfc", b"\xf7"
# Characters XML 1.0 cannot carry: control characters (each looked for with memchr, cheaper
# than a translate pass over the batch), U+FFFE and U+FFFF.
_CONTROLS = [bytes([c]) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))]
_NONCHARACTER = re.compile(b"\xef\xbf[\xbe\xbf]")


def _x(markup: str) -> bytes:
    return markup.encode().replace(b"<", _LT).replace(b">", _GT)


# The markup SQL writes, bound as parameters. Values are joined with ||, not printf (whose
# %s ends a value at a NUL, which must reach the check for characters XML cannot carry, and
# which costs more than the allocation each || makes).
_TEXTS: dict[str, bytes | str] = {
    "tu": _x('<tu tuid="'),
    "quote": '"',
    "srclang_attr": ' srclang="',
    "creationdate": ' creationdate="%Y%m%dT%H%M%SZ"',
    "creationid": ' creationid="',
    "changedate": ' changedate="%Y%m%dT%H%M%SZ"',
    "changeid": ' changeid="',
    "tu_head_end": _x(">\n"),
    "note": _x("<note>"),
    "note_sep": _x("</note>\n<note>"),
    "note_end": _x("</note>\n"),
    "status": _x('<prop type="x-status">'),
    "origin": _x('<prop type="x-origin">'),
    "prop": _x("<prop type=") + _QUOTE,
    "prop_sep": _x("</prop>\n<prop type=") + _QUOTE,
    "type_end": _QUOTE + _GT,
    "prop_end": _x("</prop>\n"),
    "leftover": _LEFTOVER,
    "tuv": _x('<tuv xml:lang="'),
    "seg": _x('"><seg>'),
    "seg_end": _x("</seg></tuv>\n"),
    "seg_mark": _x('"><seg>') + _SEG,
    "seg_mark_end": _SEG + _x("</seg></tuv>\n"),
    "tu_end": _x("</tu>\n"),
    "by_python": _UNIT + b"%d" + _UNIT,
    "date_shape": "????-??-?? ??:??:??.??????",  # SQLAlchemy's DateTime on SQLite
}


def _plain(column: str) -> str:
    """SQL: the attribute value needs no escape that the pass over the batch does not make."""
    return " AND ".join(f"{column} NOT GLOB '*{c}*'" for c in ('"', "\t", "\n"))


def _optional(condition: str, *parts: str) -> str:
    return f"CASE WHEN {condition} THEN {' || '.join(parts)} ELSE '' END"


def _json(column: str, opening: int, separators: Sequence[tuple[str, str]]) -> str:
    """SQL: the JSON list in ``column`` without the ``opening`` brackets and quote at both
    ends, its separators replaced by parameters; a quote left over becomes 0xF7."""
    blob = f"CAST({column} AS BLOB)"  # substr and length count bytes, not characters
    inner = f"substr({blob}, {opening + 1}, length({blob}) - {2 * opening})"
    for separator, parameter in separators:
        inner = f"replace({inner}, '{separator}', :{parameter})"
    return f"""replace({inner}, '"', :leftover)"""


_NOTES_XML = _json("u.notes", 2, [('", "', "note_sep")])
_PROPS_XML = _json("u.props", 3, [('"], ["', "prop_sep"), ('", "', "type_end")])
_JSON_WRITABLE = """(u.{0} IS NULL OR u.{0} IN ('', '[]')
        OR (u.{0} GLOB '{1}' AND u.{0} NOT GLOB '*\\*'))"""
# Positions read in index order (unit_id, rowid) must be 1..n: then the variants come out
# in position order, as the Python writer sorts them. "x" marks a variant SQL cannot write.
_POSITIONS = "('1', '12', '123', '1234', '12345', '123456', '1234567', '12345678', '123456789')"
_XML = f"""coalesce(CASE WHEN (u.tuid IS NULL OR {_plain("u.tuid")})
    AND (u.created_by IS NULL OR {_plain("u.created_by")})
    AND (u.changed_by IS NULL OR {_plain("u.changed_by")})
    AND (u.srclang IS NULL OR u.srclang IN ('', :srclang) OR {_plain("u.srclang")})
    AND (u.created_at IS NULL OR u.created_at GLOB :date_shape)
    AND (u.changed_at IS NULL OR u.changed_at GLOB :date_shape)
    AND {_JSON_WRITABLE.format("notes", '[[]"*"]')}
    AND {_JSON_WRITABLE.format("props", '[[][[]"*"]]')}
THEN (
    SELECT CASE WHEN group_concat(
            CASE WHEN v.notes IS NULL AND v.props IS NULL AND {_plain("v.lang")}
            THEN v.position ELSE 'x' END, '') IN {_POSITIONS}
    THEN :tu || CASE WHEN u.tuid <> '' THEN u.tuid ELSE u.id END || :quote
        || {_optional("u.srclang NOT IN ('', :srclang)", ":srclang_attr", "u.srclang", ":quote")}
        || ifnull(strftime(:creationdate, u.created_at), '')
        || {_optional("u.created_by <> ''", ":creationid", "u.created_by", ":quote")}
        || ifnull(strftime(:changedate, u.changed_at), '')
        || {_optional("u.changed_by <> ''", ":changeid", "u.changed_by", ":quote")}
        || :tu_head_end
        || {_optional("u.notes NOT IN ('', '[]')", ":note", _NOTES_XML, ":note_end")}
        || {_optional("u.status IS NOT NULL", ":status", "u.status", ":prop_end")}
        || {_optional("u.origin IS NOT NULL", ":origin", "u.origin", ":prop_end")}
        || {_optional("u.props NOT IN ('', '[]')", ":prop", _PROPS_XML, ":prop_end")}
        || group_concat(:tuv || v.lang || CASE WHEN v.markup IS NULL
            THEN :seg || v.text || :seg_end ELSE :seg_mark || v.id || :seg_mark_end END, '')
        || :tu_end END
    FROM tm_variant v WHERE v.unit_id = u.id) END,
  printf(:by_python, u.id))"""
# The access path is fixed, as the order of the units depends on it: the rowid range. An
# index added on another column could otherwise change the order.
_FROM = "FROM tm_unit u NOT INDEXED WHERE u.id > :after AND u.id <= :upto"
_BATCH = "SELECT count(*), CAST(group_concat({xml}, '') AS BLOB) {source}"
_PER_UNIT = "SELECT u.id, CAST({xml} AS BLOB) {source}"  # for the rare batch, see render
# Every BATCH-th unit id, hopping along the small variant index (in unit order): the
# batches' bounds, known before any batch is rendered. A unit has two variants or more, so a
# batch may hold fewer units than BATCH, never more.
_BOUNDS = """WITH RECURSIVE bound(id) AS (
    SELECT 0 UNION ALL SELECT (SELECT v.unit_id FROM tm_variant v WHERE v.unit_id > bound.id
        ORDER BY v.unit_id LIMIT 1 OFFSET :skip) FROM bound WHERE bound.id IS NOT NULL)
SELECT id FROM bound WHERE id > 0"""


def _markup(xml: bytes) -> bytes:
    """SQL's XML escaped, with its own markup in place."""
    return (
        xml.replace(b"&", b"&amp;")
        .replace(b"<", b"&lt;")
        .replace(b">", b"&gt;")
        .replace(b"\r", b"&#13;")
        .replace(_LT, b"<")
        .replace(_GT, b">")
        .replace(_QUOTE, b'"')
    )


def _needs_python(xml: bytes) -> bool:
    """Whether SQL's ``xml`` holds a unit only tmx can write: a character XML cannot carry
    (a control character, U+FFFE, U+FFFF), or a JSON quote left over."""
    if _LEFTOVER in xml or any(control in xml for control in _CONTROLS):
        return True
    return b"\xef" in xml and _NONCHARACTER.search(xml) is not None


def _substitute(xml: bytes, mark: bytes, write: Callable[[list[int]], list[bytes]]) -> bytes:
    """``xml`` with each ``mark``, id, ``mark`` replaced by what ``write`` writes for the ids
    (in order). Found with ``find``: a search for a byte, where ``split`` tests each byte."""
    pieces: list[bytes] = []
    ids: list[int] = []
    start = xml.find(mark)
    end = -1
    while start >= 0:
        pieces.append(xml[end + 1 : start])
        end = xml.index(mark, start + 1)
        ids.append(int(xml[start + 1 : end]))
        start = xml.find(mark, end + 1)
    if not ids:
        return xml
    written = write(ids)
    out = [piece for pair in zip(pieces, written, strict=True) for piece in pair]
    out.append(xml[end + 1 :])
    return b"".join(out)


class Renderer:
    """Renders batches of units on one SQLite connection, inside its read transaction."""

    def __init__(
        self,
        db: sqlite3.Connection,
        *,
        srclang: str,
        statuses: Sequence[str] | None,
    ) -> None:
        self.db = db
        self.params: dict[str, Any] = dict(_TEXTS, srclang=srclang)
        source = _FROM
        if statuses is not None:
            names = [f"status_{n}" for n in range(len(statuses))]
            source += f" AND u.status IN ({', '.join(':' + name for name in names)})"
            self.params.update(zip(names, statuses, strict=True))
        self.batch_sql = _BATCH.format(xml=_XML, source=source)
        self.per_unit_sql = _PER_UNIT.format(xml=_XML, source=source)

    def bounds(self) -> list[int]:
        """Unit ids that cut the memory into batches of about BATCH units."""
        return [bound for (bound,) in self.db.execute(_BOUNDS, {"skip": 2 * BATCH - 1})]

    def render(self, after: int, upto: int) -> tuple[int, bytes]:
        """The units with ``after < id <= upto``: how many, and their TMX text, encoded,
        with 0xFD, id, 0xFD for each unit left to ``fill_units``."""
        params = dict(self.params, after=after, upto=upto)
        count, xml = self.db.execute(self.batch_sql, params).fetchone()
        if not count:
            return 0, b""
        if _needs_python(xml):  # rare: find those units, leave them to tmx
            xml = b"".join(self._per_unit(params))
        return count, _substitute(_markup(xml), _SEG, self._segs)

    def _per_unit(self, params: dict[str, Any]) -> Iterable[bytes]:
        for unit_id, xml in self.db.execute(self.per_unit_sql, params):
            yield b"%b%d%b" % (_UNIT, unit_id, _UNIT) if _needs_python(xml) else xml

    def _segs(self, ids: list[int]) -> list[bytes]:
        """The ``<seg>`` content of variants with inline markup, as tmx._tu_xml writes it."""
        found: dict[int, bytes] = {}
        for start in range(0, len(ids), 10_000):  # SQLite allows 32,766 parameters at least
            chunk = ids[start : start + 10_000]
            marks = ", ".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT id, text, markup FROM tm_variant WHERE id IN ({marks})", chunk
            ).fetchall()
            marked = [(variant_id, markup) for variant_id, _text, markup in rows if markup]
            segs = tmx.seg_markups([markup for _id, markup in marked])
            written = dict(zip((variant_id for variant_id, _ in marked), segs, strict=True))
            for variant_id, text, _markup in rows:
                seg = written.get(variant_id)
                found[variant_id] = (seg if seg is not None else tmx._seg_text(text)).encode()
        return [found[variant_id] for variant_id in ids]


def fill_units(
    xml: bytes, fields: Callable[[list[int]], Mapping[int, tmx.UnitFields]], srclang: str
) -> bytes:
    """``xml`` with the units that ``Renderer.render`` left (0xFD, id, 0xFD) written by
    tmx._tu_xml itself; ``fields`` reads them (the export's reader of memory rows)."""

    def write(ids: list[int]) -> list[bytes]:
        found = fields(ids)
        return [tmx._tu_xml(found[unit_id], srclang).encode() for unit_id in ids]

    return _substitute(xml, _UNIT, write)


# -- the second process -----------------------------------------------------------------
#
# Frames (translator.frames) on its stdout: a count of units and their text. A count of -1
# is "ready" (its read transaction has begun), -2 a failure (the traceback).

READY, FAILED = -1, -2


def _main(stdin: IO[str], out: IO[bytes]) -> int:
    """Reads the job (a JSON line), starts its read transaction, then renders each range
    (an "after upto" line) in turn until stdin closes."""
    try:
        job = json.loads(stdin.readline())
        db = sqlite3.connect(job["database"], isolation_level=None)
        db.execute("PRAGMA query_only = 1")
        db.execute("BEGIN")
        db.execute("SELECT 1 FROM tm_unit LIMIT 1").fetchall()  # the snapshot starts here
        renderer = Renderer(db, srclang=job["srclang"], statuses=job["statuses"])
        write_frame(out, READY, b"")
        for line in stdin:
            after, upto = (int(n) for n in line.split())
            write_frame(out, *renderer.render(after, upto))
    except BrokenPipeError:  # the export stopped (cancelled or failed)
        return 0
    except Exception:
        write_frame(out, FAILED, traceback.format_exc(limit=8).encode())
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.stdin, sys.stdout.buffer))
