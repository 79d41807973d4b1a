"""TMX translation memories: a streaming reader (TMX 1.1 to 1.4b) and a TMX 1.4b writer.

Decisions a user of these functions should know:

- Whitespace: ``<seg>`` text is kept exactly as the file has it (tabs, runs of spaces,
  line breaks), because TMX content is data, not layout. Only where the file asks for it
  with ``xml:space="default"`` (on ``tmx``, ``tu``, ``tuv`` or ``seg``) are runs of XML
  whitespace collapsed and the ends trimmed, as translate-toolkit does. The writer never
  writes ``xml:space``; what it writes reads back unchanged.
- Characters XML 1.0 cannot carry (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF;
  lone surrogates) become ``<ph type="x-ctrl">&amp;#xN;</ph>`` in a ``<seg>``: a
  placeholder the DTD allows, whose native code is the character reference XML 1.1 would
  use. The reader turns it back into the character. In notes, props and attributes, which
  cannot hold elements, such characters are replaced by U+FFFD.
- DOCTYPE: ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` (common in real files) is accepted and the
  DTD never loaded. A DOCTYPE with an internal subset (where entity bombs and external
  entities live) is refused before parsing. Nothing is ever fetched or expanded.
- A ``<seg>`` text over 10 MB (libxml2's own limit without its "huge" option) is refused
  with a clear message rather than exhausting memory.
- Reading streams: units before a fault in the file are yielded before the error is
  raised, so a caller that stores them must do so in one transaction.
"""

from __future__ import annotations

import codecs
import functools
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence, Sized
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Protocol, cast

from lxml import etree

from translator import __version__
from translator.domain import SkippedUnit, Unit, Variant
from translator.errors import InputFileError
from translator.formats.registry import syncing_meanwhile, temp_file_beside
from translator.formats.safexml import refuse_entities, safe_parser, syntax_error

__all__ = [
    "MAX_SEGMENT_BYTES",
    "TmxHeader",
    "UnitFields",
    "format_tmx_date",
    "iter_units",
    "normalise_lang",
    "parse_tmx_date",
    "read_header",
    "write_tmx",
    "write_tmx_body",
    "write_tmx_fields",
]

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
CTRL_TYPE = "x-ctrl"
MAX_SEGMENT_BYTES = 10_000_000  # libxml2's XML_MAX_TEXT_LENGTH when huge_tree is off
_PROLOG_BYTES = 64 * 1024
_PROGRESS_EVERY = 1000

_PARSER_OPTIONS: dict[str, bool] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
_MARKUP_PARSER = safe_parser()

_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\Z")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_CTRL_REF = re.compile(r"&#x([0-9A-Fa-f]{1,6});\Z")
_XML_WHITESPACE = re.compile(r"[ \t\r\n]+")


@dataclass(frozen=True)
class TmxHeader:
    """The ``<header>`` of a TMX file; ``srclang`` is None for ``*all*``."""

    srclang: str | None
    adminlang: str | None
    creationtool: str | None
    creationtoolversion: str | None
    datatype: str | None
    segtype: str | None
    o_tmf: str | None
    version: str | None  # of the <tmx> element: "1.1", "1.4" ...


# -- small conversions ----------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def normalise_lang(code: str) -> str:
    """BCP 47 casing: ``AR`` -> ``ar``, ``En-uS`` -> ``en-US``, ``zh-hant-tw`` -> ``zh-Hant-TW``."""
    parts = code.strip().replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2 or (len(part) == 3 and part.isdigit()):
            out.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        else:
            out.append(part.lower())
    return "-".join(out)


def _srclang(value: str | None) -> str | None:
    if not value or value.strip().lower() == "*all*":
        return None
    return normalise_lang(value)


def parse_tmx_date(value: str | None) -> datetime | None:
    """``20020523T091200Z`` as an aware UTC datetime; None when absent or not a valid date."""
    if not value:
        return None
    # Fast path for the usual exact form (one slice check instead of a regex per date).
    if len(value) == 16 and value[8] == "T" and value[15] == "Z":
        digits = value[:8] + value[9:15]
        if digits.isascii() and digits.isdigit():
            try:
                return datetime(
                    int(value[0:4]),
                    int(value[4:6]),
                    int(value[6:8]),
                    int(value[9:11]),
                    int(value[11:13]),
                    int(value[13:15]),
                    tzinfo=UTC,
                )
            except ValueError:
                return None
    match = _DATE.match(value.strip())
    if match is None:
        return None
    try:
        year, month, day, hour, minute, second = (int(group) for group in match.groups())
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


def format_tmx_date(value: datetime) -> str:
    """TMX's ``YYYYMMDDThhmmssZ``; a naive datetime is taken to be UTC already."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    date = f"{value.year:04d}{value.month:02d}{value.day:02d}"
    return f"{date}T{value.hour:02d}{value.minute:02d}{value.second:02d}Z"


# -- reading: safety checks -----------------------------------------------------------------


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            head = stream.read(_PROLOG_BYTES)
    except FileNotFoundError:
        raise InputFileError(path, "no such file") from None
    except IsADirectoryError:
        raise InputFileError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise InputFileError(path, f"cannot be read ({exc.strerror or exc})") from None
    content = head
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        content = content.removeprefix(bom)
    if not content.strip(b" \t\r\n\x00"):
        raise InputFileError(path, "is empty")
    return head


@contextmanager
def _xml_errors(path: Path) -> Iterator[None]:
    """Turn whatever lxml or the file system raises into one InputFileError."""
    try:
        yield
    except etree.XMLSyntaxError as exc:
        raise syntax_error(
            path,
            exc,
            too_long=f"a segment at line {{line}} exceeds the limit of "
            f"{MAX_SEGMENT_BYTES // 1_000_000} MB of text; the file was not imported",
        ) from None
    except etree.LxmlError as exc:
        raise InputFileError(path, f"damaged XML: {exc}") from None
    except UnicodeError as exc:
        raise InputFileError(path, f"cannot be decoded: {exc}") from None
    except MemoryError:
        raise InputFileError(path, "is too large to be read in the memory available") from None
    except OSError as exc:
        raise InputFileError(path, f"cannot be read ({exc.strerror or exc})") from None


def _check_root(path: Path, root: etree._Element) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    # Second line of defence, for a DOCTYPE hidden behind more than _PROLOG_BYTES of comments.
    if dtd is not None and (
        any(True for _ in dtd.iterentities()) or any(True for _ in dtd.iterelements())
    ):
        raise InputFileError(
            path, "declares entities in a <!DOCTYPE> internal subset; the file was refused"
        )
    if root.tag != "tmx":
        raise InputFileError(
            path,
            f"is not a TMX file: its root element is <{root.tag}>, not <tmx>",
            line=root.sourceline,
        )


# -- reading --------------------------------------------------------------------------------


class ByteSource(Protocol):
    """What the reader reads when it is not the file itself (see ``iter_unit_fields``)."""

    def read(self, size: int, /) -> bytes: ...


def well_formed(document: bytes) -> bool:
    """Whether ``document`` parses, with the options every reading here uses."""
    try:
        etree.fromstring(document, safe_parser(remove_comments=True, remove_pis=True))
    except etree.LxmlError:
        return False
    return True


def read_header(path: str | Path) -> TmxHeader:
    """The header of a TMX file; refuses hostile or non-TMX files with InputFileError."""
    path = Path(path)
    header, _space = _scan_header(path)
    return header


def _scan_header(path: Path) -> tuple[TmxHeader, str | None]:
    refuse_entities(path, _read_head(path))
    with path.open("rb") as stream, _xml_errors(path):
        root: etree._Element | None = None
        for _event, element in etree.iterparse(stream, events=("start",), **_PARSER_OPTIONS):
            if root is None:
                root = element
                _check_root(path, root)
                continue
            if element.tag != "header":
                raise InputFileError(
                    path, "is not a TMX file: <tmx> has no <header>", line=element.sourceline
                )
            adminlang = element.get("adminlang")
            header = TmxHeader(
                srclang=_srclang(element.get("srclang")),
                adminlang=normalise_lang(adminlang) if adminlang else None,
                creationtool=element.get("creationtool"),
                creationtoolversion=element.get("creationtoolversion"),
                datatype=element.get("datatype"),
                segtype=element.get("segtype"),
                o_tmf=element.get("o-tmf"),
                version=root.get("version"),
            )
            return header, root.get(XML_SPACE)
    raise InputFileError(path, "is not a TMX file: no <tmx> element with a <header>")


def iter_units(
    path: str | Path, *, languages: Collection[str] | None = None
) -> Iterator[Unit | SkippedUnit]:
    """Stream the units of a TMX file, one ``Unit`` per usable ``<tu>``, else a SkippedUnit.

    ``languages`` keeps only those variants ("ar" also keeps "ar-SA"; "en-US" only "en-US").
    The file's safety and root are checked before this returns; XML faults further on are
    raised as InputFileError while iterating.
    """
    return map(_as_unit, iter_unit_fields(path, languages=languages))


def iter_unit_fields(
    path: str | Path,
    *,
    languages: Collection[str] | None = None,
    source: ByteSource | None = None,
) -> Iterator[UnitFields | SkippedUnit]:
    """``iter_units`` as plain ``UnitFields`` tuples: what an import stores, with no object
    per unit. Checks the file before it returns, as ``iter_units`` does. ``source``, when
    given, is read instead of the file itself: a part of it made a document of its own
    (see ``services.memory_rows``); messages still name ``path``."""
    path = Path(path)
    header, space = _scan_header(path)
    wanted = tuple(dict.fromkeys(normalise_lang(code) for code in languages)) if languages else ()
    return _iter_lxml(path, header.srclang, space == "default", wanted, source)


def _as_unit(item: UnitFields | SkippedUnit) -> Unit | SkippedUnit:
    if type(item) is SkippedUnit:
        return item
    tuid, srclang, created, created_by, changed, changed_by, origin, status, notes, props, tuvs = (
        cast(UnitFields, item)
    )
    return Unit(
        tuple(Variant(*tuv) for tuv in tuvs),
        tuid,
        srclang,
        created,
        created_by,
        changed,
        changed_by,
        origin,
        status,
        notes,
        props,
    )


def _iter_lxml(
    path: Path,
    srclang: str | None,
    collapse: bool,
    wanted: tuple[str, ...],
    source: ByteSource | None = None,
) -> Iterator[UnitFields | SkippedUnit]:
    read_unit = _read_unit
    opened = nullcontext(source) if source is not None else path.open("rb")
    with opened as stream, _xml_errors(path):
        context = etree.iterparse(stream, events=("end",), tag="tu", **_PARSER_OPTIONS)
        for _event, tu in context:
            item = read_unit(path, tu, srclang, collapse, wanted)
            # Memory stays flat: drop this unit's subtree and every unit before it.
            tu.clear(keep_tail=False)
            previous = tu.getprevious()
            if previous is not None:
                parent = tu.getparent()
                while previous is not None:
                    del parent[0]
                    previous = tu.getprevious()
            yield item


def _wanted_match(lang: str, wanted: tuple[str, ...]) -> bool:
    lowered = lang.lower()
    base = lowered.split("-", 1)[0]
    for code in wanted:
        code = code.lower()
        if code == lowered or ("-" not in code and code == base):
            return True
    return False


VariantFields = tuple[str, str, str | None, tuple[str, ...], tuple[tuple[str, str], ...]]


def _read_unit(
    path: Path,
    tu: etree._Element,
    default_srclang: str | None,
    collapse: bool,
    wanted: tuple[str, ...],
) -> UnitFields | SkippedUnit:
    # The hot loop of every import: kept flat.
    get = tu.get
    space = get(XML_SPACE)
    if space is not None:
        collapse = space == "default"
    notes: list[str] = []
    props: list[tuple[str, str]] = []
    origin: str | None = None
    status: str | None = None
    variants: list[VariantFields] = []
    empty: list[str] = []
    broken: str | None = None
    for child in tu:
        tag = child.tag
        if tag == "tuv":
            lang = child.get(XML_LANG) or child.get("lang")
            if not lang:
                empty.append("a <tuv> without a language")
                continue
            lang = normalise_lang(lang)
            if wanted and not _wanted_match(lang, wanted):
                continue
            space = child.get(XML_SPACE)
            variant: VariantFields | None = None
            if not collapse and space is None and len(child) == 1:
                # The usual shape, inline: one plain <seg>.
                seg = child[0]
                if seg.tag == "seg" and len(seg) == 0 and seg.get(XML_SPACE) is None:
                    text = seg.text or ""
                    if len(text) > MAX_SEGMENT_BYTES // 4:
                        _check_size(path, seg, text)
                    variant = (lang, text, None, (), ())
            if variant is None:
                variant, fault = _read_variant(
                    path, child, lang, collapse if space is None else space == "default"
                )
                if fault is not None and broken is None:
                    broken = f"broken inline markup in {lang}: {fault}"
            text = variant[1]
            if text and not text.isspace():
                variants.append(variant)
            else:
                empty.append(lang)
        elif tag == "prop":
            kind = child.get("type", "")
            value = child.text or ""
            if kind == "x-origin" and origin is None:
                origin = value
            elif kind == "x-status" and status is None:
                status = value
            else:
                props.append((kind, value))
        elif tag == "note":
            notes.append(child.text or "")
    line = tu.sourceline
    if broken is not None:
        return SkippedUnit(line, get("tuid"), broken)
    return _finish_unit(
        get, line, variants, empty, notes, props, origin, status, default_srclang, wanted
    )


def _finish_unit(
    get: Callable[[str], str | None],
    line: int | None,
    variants: list[VariantFields],
    empty: list[str],
    notes: list[str],
    props: list[tuple[str, str]],
    origin: str | None,
    status: str | None,
    default_srclang: str | None,
    wanted: tuple[str, ...],
) -> UnitFields | SkippedUnit:
    """A read unit as fields, or the reason it cannot serve (fewer than two languages)."""
    if len(variants) < 2 or (
        variants[0][0] == variants[1][0]
        if len(variants) == 2
        else len({variant[0] for variant in variants}) < 2
    ):
        if empty:
            reason = f"empty segment in {', '.join(empty)}"
        elif variants:
            reason = f"only one language ({variants[0][0]})"
        elif wanted:
            reason = f"no variant in {', '.join(wanted)}"
        else:
            reason = "no <tuv> with a language"
        return SkippedUnit(line, get("tuid"), reason)
    srclang = get("srclang")
    created = get("creationdate")
    changed = get("changedate")
    return (
        get("tuid"),
        _srclang(srclang) if srclang else default_srclang,
        parse_tmx_date(created) if created else None,
        get("creationid"),
        parse_tmx_date(changed) if changed else None,
        get("changeid"),
        origin,
        status,
        tuple(notes),
        tuple(props),
        variants,
    )


def _check_size(path: Path, seg: etree._Element, text: str) -> None:
    if len(text.encode("utf-8")) > MAX_SEGMENT_BYTES:
        line = seg.sourceline
        raise InputFileError(
            path,
            f"segment of {len(text.encode('utf-8')) / 1e6:,.0f} MB at line {line} "
            f"exceeds the limit of {MAX_SEGMENT_BYTES // 1_000_000} MB",
            line=line,
        )


def _read_variant(
    path: Path, tuv: etree._Element, lang: str, collapse: bool
) -> tuple[VariantFields, str | None]:
    notes: list[str] = []
    props: list[tuple[str, str]] = []
    seg: etree._Element | None = None
    for child in tuv:
        tag = child.tag
        if tag == "seg":
            seg = child
        elif tag == "prop":
            props.append((child.get("type", ""), child.text or ""))
        elif tag == "note":
            notes.append(child.text or "")
    text = ""
    markup: str | None = None
    fault: str | None = None
    if seg is not None:
        space = seg.get(XML_SPACE)
        if space is not None:
            collapse = space == "default"
        if len(seg) == 0:
            text = seg.text or ""
        else:
            parts: list[str] = []
            _visible_text(seg, parts)
            text = "".join(parts)
            if not all(child.tag == "ph" and child.get("type") == CTRL_TYPE for child in seg):
                markup = _inner_xml(seg)
            fault = _unpaired(seg)
        if len(text) > MAX_SEGMENT_BYTES // 4:
            _check_size(path, seg, text)
        if collapse:
            text = _XML_WHITESPACE.sub(" ", text).strip(" ")
    return (lang, text, markup, tuple(notes), tuple(props)), fault


def _visible_text(element: etree._Element, parts: list[str]) -> None:
    """Text a reader sees: ``<hi>`` content is text; code (bpt ept ph it ut, and the
    ``<sub>`` flows inside them) is not, except our control-character placeholders."""
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if tag == "hi":
            _visible_text(child, parts)
        elif tag == "ph" and child.get("type") == CTRL_TYPE:
            parts.append(_ctrl_char(child.text or ""))
        elif not isinstance(tag, str) and isinstance(child, etree._Entity):
            parts.append(child.text or "")  # an undeclared entity kept as written, e.g. &nbsp;
        if child.tail:
            parts.append(child.tail)


def _ctrl_char(code: str) -> str:
    match = _CTRL_REF.match(code.strip())
    if match is None:
        return ""
    value = int(match.group(1), 16)
    return chr(value) if value <= 0x10FFFF else ""


def _inner_xml(seg: etree._Element) -> str:
    serialised: str = etree.tostring(seg, encoding="unicode", with_tail=False)
    if serialised.endswith("/>"):  # nothing inside (an empty CDATA section, say)
        return ""
    start = serialised.index(">") + 1
    end = serialised.rindex("</")
    return serialised[start:end]


def _unpaired(seg: etree._Element) -> str | None:
    begins: list[str] = []
    ends: list[str] = []
    for element in seg.iter("bpt", "ept"):
        (begins if element.tag == "bpt" else ends).append(element.get("i", ""))
    for i in begins:
        if i not in ends:
            return f"<bpt i={i}> without <ept>"
    for i in ends:
        if i not in begins:
            return f"<ept i={i}> without <bpt>"
    return None


# -- writing --------------------------------------------------------------------------------
#
# The writer serialises each unit itself instead of going through lxml.etree.xmlfile: building
# an element tree per unit for xmlfile ran at ~55,000 units/s, a quarter of the target. The
# escaping below is complete for XML 1.0 (tests validate the output against the DTD and parse
# it back), and inline markup still goes through lxml: it is parsed and re-serialised.

_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\t": "&#9;",
        "\n": "&#10;",
        "\r": "&#13;",
    }
)
_ILLEGAL_CLASS = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff"
_NEEDS_TEXT_WORK = re.compile(f"[&<>\r{_ILLEGAL_CLASS}]")
_NEEDS_ATTR_WORK = re.compile(f'[&<>"\t\n\r{_ILLEGAL_CLASS}]')


# Metadata (ids, statuses, origins, URLs) repeats from unit to unit; the caches are bounded.
@functools.lru_cache(maxsize=4096)
def _text(value: str) -> str:
    """Escaped character data for notes and props, which cannot hold a placeholder element."""
    if _NEEDS_TEXT_WORK.search(value) is None:
        return value
    return _ILLEGAL.sub("\ufffd", value).translate(_TEXT_ESCAPES)


def _attr_uncached(value: str) -> str:
    if _NEEDS_ATTR_WORK.search(value) is None:
        return value
    return _ILLEGAL.sub("\ufffd", value).translate(_ATTR_ESCAPES)


_attr = functools.lru_cache(maxsize=4096)(_attr_uncached)


def _seg_text(text: str) -> str:
    """Escaped ``<seg>`` content; characters XML cannot carry become x-ctrl placeholders."""
    if _NEEDS_TEXT_WORK.search(text) is None:
        return text
    if _ILLEGAL.search(text) is None:
        return text.translate(_TEXT_ESCAPES)
    parts: list[str] = []
    last = 0
    for match in _ILLEGAL.finditer(text):
        parts.append(text[last : match.start()].translate(_TEXT_ESCAPES))
        parts.append(f'<ph type="{CTRL_TYPE}">&amp;#x{ord(match.group()):X};</ph>')
        last = match.end()
    parts.append(text[last:].translate(_TEXT_ESCAPES))
    return "".join(parts)


def _seg_markup(markup: str) -> str | None:
    """The markup as lxml re-serialises it, or None when it is not well-formed XML."""
    try:
        seg = etree.fromstring(f"<seg>{markup}</seg>", _MARKUP_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return _inner_xml(seg)


# The wrapper of each markup in seg_markups' one document; markup naming it goes one by one.
_ITEM = "translator-markup-item"
_ITEM_OPEN, _ITEM_CLOSE = f"<{_ITEM}>", f"</{_ITEM}>"


def seg_markups(markups: Sequence[str]) -> list[str | None]:
    """``_seg_markup`` of each, with one parse and one serialisation for all of them (an
    export re-serialises thousands: about a fifth of the cost). The batch is a document of
    one wrapper element per markup; as the wrapper's name occurs in none of them, each
    wrapper holds exactly its markup when the document is well formed and has as many
    wrappers as markups. Otherwise, or if a wrapper comes out empty (``<item/>``), one by
    one."""
    if len(markups) > 1 and all(markups) and not any(_ITEM in markup for markup in markups):
        between = _ITEM_CLOSE + _ITEM_OPEN
        batch = f"<b>{_ITEM_OPEN}{between.join(markups)}{_ITEM_CLOSE}</b>"
        try:
            root = etree.fromstring(batch, _MARKUP_PARSER)
        except (etree.XMLSyntaxError, ValueError):
            root = None
        if root is not None and len(root) == len(markups):
            serialised: str = etree.tostring(root, encoding="unicode")
            inner = serialised[3 + len(_ITEM_OPEN) : -(4 + len(_ITEM_CLOSE))]
            parts: list[str | None] = list(inner.split(between))
            if len(parts) == len(markups):
                return parts
    return [_seg_markup(markup) for markup in markups]


@functools.lru_cache(maxsize=4096)
def _props_xml(props: tuple[tuple[str, str], ...]) -> str:
    """A unit's own props, one a line (a memory repeats the same few, URLs, domains)."""
    return "".join([f'<prop type="{_attr(kind)}">{_text(value)}</prop>\n' for kind, value in props])


#: The fields of one unit as ``write_tmx_fields`` takes them: tuid, srclang, created_at,
#: created_by, changed_at, changed_by, origin, status, notes, props, variants; each variant
#: (lang, text, markup, notes, props). Plain tuples, so a caller can build them straight
#: from database rows without domain objects.
UnitFields = tuple[
    str | None,
    str | None,
    datetime | None,
    str | None,
    datetime | None,
    str | None,
    str | None,
    str | None,
    tuple[str, ...],
    tuple[tuple[str, str], ...],
    Sequence[tuple[str, str, str | None, tuple[str, ...], tuple[tuple[str, str], ...]]],
]


def _unit_fields(unit: Unit) -> UnitFields:
    tuid = unit.tuid if unit.tuid is not None else (str(unit.id) if unit.id is not None else None)
    return (
        tuid,
        unit.srclang,
        unit.created_at,
        unit.created_by,
        unit.changed_at,
        unit.changed_by,
        unit.origin,
        unit.status,
        unit.notes,
        unit.props,
        [(v.lang, v.text, v.markup, v.notes, v.props) for v in unit.variants],
    )


def _tu_xml(fields: UnitFields, header_srclang: str) -> str:
    # One code path for write_tmx and write_tmx_fields, so both give the same bytes. The hot
    # loop of every export: the usual shape (plain variants, no notes) takes one f-string.
    tuid, srclang, created, created_by, changed, changed_by, origin, status, notes, props, tuvs = (
        fields
    )
    out = "<tu"
    if tuid is not None:
        out += f' tuid="{_attr_uncached(tuid)}"'  # unique: a cache would only churn
    if srclang and srclang != header_srclang:
        out += f' srclang="{_attr(srclang)}"'
    if created is not None:
        out += f' creationdate="{format_tmx_date(created)}"'
    if created_by:
        out += f' creationid="{_attr(created_by)}"'
    if changed is not None:
        out += f' changedate="{format_tmx_date(changed)}"'
    if changed_by:
        out += f' changeid="{_attr(changed_by)}"'
    out += ">\n"
    for note in notes:
        out += f"<note>{_text(note)}</note>\n"
    if status is not None:
        out += f'<prop type="x-status">{_text(status)}</prop>\n'
    if origin is not None:
        out += f'<prop type="x-origin">{_text(origin)}</prop>\n'
    if props:
        out += _props_xml(props)
    for lang, text, markup, variant_notes, variant_props in tuvs:
        if not (markup or variant_notes or variant_props):
            out += f'<tuv xml:lang="{_attr(lang)}"><seg>{_seg_text(text)}</seg></tuv>\n'
            continue
        out += f'<tuv xml:lang="{_attr(lang)}">'
        for note in variant_notes:
            out += f"<note>{_text(note)}</note>"
        for kind, value in variant_props:
            out += f'<prop type="{_attr(kind)}">{_text(value)}</prop>'
        # Markup that does not parse is dropped rather than written: the text is the truth.
        seg = _seg_markup(markup) if markup else None
        if seg is None:
            seg = _seg_text(text)
        out += f"<seg>{seg}</seg></tuv>\n"
    return out + "</tu>\n"


def write_tmx(
    path: str | Path,
    units: Iterable[Unit],
    *,
    srclang: str,
    adminlang: str = "en",
    creationtool: str = "translator",
    creationtoolversion: str = __version__,
    datatype: str = "plaintext",
    segtype: str = "sentence",
    o_tmf: str = "translator",
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write units as a TMX 1.4b file, streamed and atomically; returns how many were written.

    ``progress(done, total)`` is called every 1,000 units and at the end; ``total`` is 0
    when ``units`` has no length. An exception from it (OperationCancelled) leaves no file.
    """
    total = len(units) if isinstance(units, Sized) else 0
    fields = map(_unit_fields, units)
    head = _header_xml(
        srclang, adminlang, creationtool, creationtoolversion, datatype, segtype, o_tmf
    )
    return _write_file(
        Path(path), head, lambda stream: _write_units(stream, fields, srclang, total, progress)
    )


def write_tmx_fields(
    path: str | Path,
    units: Iterable[UnitFields],
    *,
    srclang: str,
    progress: Callable[[int, int], None] | None = None,
    total: int = 0,
) -> int:
    """``write_tmx`` (with its default header) for units given as ``UnitFields`` tuples: the
    same bytes, without building a ``Unit`` per unit (an export of a million units)."""
    return write_tmx_body(
        path,
        lambda stream: _write_units(stream, units, srclang, total, progress),
        srclang=srclang,
    )


def write_tmx_body(
    path: str | Path, write_units: Callable[[IO[bytes]], int], *, srclang: str
) -> int:
    """The file ``write_tmx_fields`` writes, around ``<tu>`` elements that ``write_units``
    writes to the stream already encoded (returning how many): the same header, written
    atomically; an exception from ``write_units`` leaves no file."""
    return _write_file(Path(path), _header_xml(srclang), write_units)


def _header_xml(
    srclang: str,
    adminlang: str = "en",
    creationtool: str = "translator",
    creationtoolversion: str = __version__,
    datatype: str = "plaintext",
    segtype: str = "sentence",
    o_tmf: str = "translator",
) -> str:
    header = {
        "creationtool": creationtool,
        "creationtoolversion": creationtoolversion,
        "segtype": segtype,
        "o-tmf": o_tmf,
        "adminlang": adminlang,
        "srclang": srclang,
        "datatype": datatype,
    }
    return "".join(f' {key}="{_attr(value)}"' for key, value in header.items())


def _write_file(path: Path, head: str, write_units: Callable[[IO[bytes]], int]) -> int:
    temp: str | None = None
    try:
        fd, temp = temp_file_beside(path)
        with os.fdopen(fd, "wb") as stream:
            stream.write(
                f'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
                f"<header{head}/>\n<body>\n".encode()
            )
            with syncing_meanwhile(fd):
                count = write_units(stream)
            stream.write(b"</body>\n</tmx>\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
        temp = None
    except OSError as exc:
        raise InputFileError(path, f"cannot be written ({exc.strerror or exc})") from None
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)
    return count


def _write_units(
    stream: IO[bytes],
    units: Iterable[UnitFields],
    srclang: str,
    total: int,
    progress: Callable[[int, int], None] | None,
) -> int:
    count = 0
    batch: list[str] = []
    tu_xml = _tu_xml
    for fields in units:
        batch.append(tu_xml(fields, srclang))
        count += 1
        if count % _PROGRESS_EVERY == 0:
            # Encoding a batch at a time is cheaper than per unit and keeps memory flat.
            stream.write("".join(batch).encode("utf-8"))
            batch.clear()
            if progress is not None:
                progress(count, total)
    stream.write("".join(batch).encode("utf-8"))
    if progress is not None:
        progress(count, total)
    return count
