"""Glossary (termbase) files: read TBX, CSV and OmegaT's tab-separated glossaries; write them.

Decisions a user of these functions should know:

- The extension chooses the reader, the content has the last word: a ``.txt``/``.csv`` that
  holds TBX is read as TBX, a ``.csv`` that is tab- or semicolon-separated is read with the
  separator its lines use (with a warning); a ``.tbx`` that is not XML is refused.
- Delimited files: the first row (not blank, not a ``#`` comment) is a header when it names
  the source and target columns (``sourceString``/``source``/``term`` ...,
  ``targetString``/``target``/``translation`` ...) or gives two or more language codes
  (``ar,en,note``), or language names (Arabic, English, French). Every other header cell must
  then be known too when the header is recognised by its codes, so a row of words is not
  taken for one. Per-row ``sourceLang``/``targetLang`` cells win over the arguments.
  Without a header (OmegaT: ``source<TAB>target<TAB>comment``) the arguments name the
  languages. A part of speech (``pos``) is kept as the start of the note: "noun; comment".
- Tab-separated files follow OmegaT: no quoting (a field wholly in double quotes is
  unwrapped, as Excel writes it), ``#`` lines are comments. Comma/semicolon files are RFC
  4180 CSV: quoted fields may hold separators and line breaks.
- Rows with an empty source or target, or too few cells, are skipped with their line and
  reason; wholly blank rows (",,,," from a spreadsheet) are left out silently.
- Terms and notes have surrounding whitespace stripped and runs of whitespace collapsed.
- TBX (v2 ``martif``, v3 ``tbx``, TBX-Basic, TBX-Min, with or without namespaces): a
  concept's note joins its ``descrip``/``note``/``definition`` texts (any level) with "; ";
  ``termNote`` grammar is not kept. Terms marked deprecated, superseded, not recommended or
  obsolete are left out: they are what a translator must *not* write.
- DOCTYPE: one without an internal subset (``<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">``,
  which translate-toolkit writes) is accepted and its DTD never loaded. Any ``<!ENTITY``
  declaration or internal subset is refused before parsing. Nothing is fetched or expanded.
- ``encoding=`` applies to delimited files only; XML declares its own.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from lxml import etree

from translator import __version__
from translator.domain import GlossaryConcept, GlossaryFile, GlossaryTerm
from translator.errors import InputFileError, TranslatorError
from translator.formats.encoding import decode_text, sniff_binary
from translator.formats.registry import atomic_write
from translator.formats.safexml import declared_encoding, refuse_entities, safe_parser, syntax_error
from translator.formats.tmx import normalise_lang
from translator.text.languages import base_language

__all__ = ["GLOSSARY_EXTENSIONS", "MAX_GLOSSARY_BYTES", "read_glossary", "write_glossary"]

GLOSSARY_EXTENSIONS = (".tbx", ".csv", ".tsv", ".txt", ".tab", ".utf8")
MAX_GLOSSARY_BYTES = 50 * 1024 * 1024  # glossaries are small; more is a wrong file
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_WHITESPACE = re.compile(r"\s+")
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_LANG_CODE = re.compile(r"([a-z]{2})(?:[-_][a-z0-9]{2,8})*\Z")
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# Header cells, lower-cased with spaces, "_", "-" and "." removed.
_COLUMNS = {
    "source": ("sourcestring", "source", "term", "sourceterm", "src", "sourcetext"),
    "target": ("targetstring", "target", "translation", "targetterm", "tgt", "targettext"),
    "source_lang": ("sourcelang", "sourcelanguage", "srclang", "sourcelocale"),
    "target_lang": ("targetlang", "targetlanguage", "tgtlang", "trglang", "targetlocale"),
    "note": ("note", "notes", "comment", "comments", "description", "definition"),
    "pos": ("pos", "partofspeech"),
    "id": ("id", "stringid", "termid", "key"),
}
_COLUMN_OF = {name: role for role, names in _COLUMNS.items() for name in names}
_LANGUAGE_NAMES = {"arabic": "ar", "english": "en", "french": "fr"}
# ISO 639-1: a header of language codes is told from a row of short words by this list.
_ISO_639_1_CODES = (
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu "
    "cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi "
    "ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks "
    "ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl "
    "nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl "
    "sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve "
    "vi vo wa wo xh yi yo za zh zu"
)
_ISO_639_1 = frozenset(_ISO_639_1_CODES.split())
_TBX_CONCEPTS = frozenset({"termentry", "conceptentry", "entry"})
_TBX_LANGUAGES = frozenset({"langset", "langsec", "langgroup"})
_TBX_TERM_GROUPS = frozenset({"tig", "ntig", "termsec", "termgroup"})
_TBX_NOTES = frozenset({"descrip", "note", "definition"})
_TBX_STATUS = frozenset({"administrativestatus", "usagestatus"})
_UNUSABLE_STATUS = ("deprecated", "superseded", "notrecommended", "obsolete")


def clean_term(value: str) -> str:
    """One spelling of a term or note: composed characters (NFC), single spaces."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", value)).strip()


def _local(tag: object) -> str:
    return tag.rpartition("}")[2].lower() if isinstance(tag, str) else ""


# -- reading: the file ----------------------------------------------------------------------


def read_glossary(
    path: str | Path,
    *,
    source_lang: str | None = None,
    target_lang: str | None = None,
    encoding: str | None = None,
) -> GlossaryFile:
    """Read a TBX, CSV or tab-separated glossary; every fault is one InputFileError."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in GLOSSARY_EXTENSIONS:
        raise InputFileError(
            path, f"is not a glossary file; glossaries are {', '.join(GLOSSARY_EXTENSIONS)} files"
        )
    data = _read_bytes(path)
    if data.startswith(b"PK\x03\x04"):
        raise InputFileError(
            path, "is a ZIP archive (perhaps an Excel workbook); save it as CSV UTF-8 first"
        )
    sniff_binary(path, data[:16])
    if _looks_like_xml(data):
        found = _read_tbx(path, data)
        if suffix != ".tbx":
            warning = f"the file is named {suffix} but holds TBX; it was read as TBX"
            warnings = (warning, *found.warnings)
            return GlossaryFile(found.format, found.concepts, found.skipped, warnings)
        return found
    if suffix == ".tbx":
        raise InputFileError(path, "is not a TBX file: it does not start with XML markup")
    source = normalise_lang(source_lang) if source_lang else None
    target = normalise_lang(target_lang) if target_lang else None
    text = decode_text(path, data, encoding).text
    return _read_delimited(path, text, suffix, source, target)


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputFileError(path, "is a folder, not a file")
        if size > MAX_GLOSSARY_BYTES:
            raise InputFileError(
                path,
                f"is {size / 2**20:,.0f} MB; glossaries larger than "
                f"{MAX_GLOSSARY_BYTES // 2**20} MB are not read (is it really a glossary?)",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(path, "no such file") from None
    except OSError as exc:
        raise InputFileError(path, f"cannot be read ({exc.strerror or exc})") from None
    content = data
    for bom in _BOMS:
        content = content.removeprefix(bom)
    if not content.strip(b" \t\r\n\x00"):
        raise InputFileError(path, "is empty")
    return data


def _looks_like_xml(data: bytes) -> bool:
    head = data[:256]
    for bom in _BOMS:
        head = head.removeprefix(bom)
    # UTF-16 without a BOM: the ASCII markup shows through once the zero bytes are gone.
    return head.replace(b"\x00", b"").lstrip(b" \t\r\n").startswith(b"<")


# -- reading: CSV and tab-separated ---------------------------------------------------------


def _read_delimited(
    path: Path, text: str, suffix: str, source: str | None, target: str | None
) -> GlossaryFile:
    preferred = (",", ";", "\t") if suffix == ".csv" else ("\t", ",", ";")
    delimiter = _sniff_delimiter(path, text, preferred)
    warnings: list[str] = []
    if delimiter != preferred[0]:
        kind = {"\t": "tab", ",": "comma", ";": "semicolon"}[delimiter]
        warnings.append(f"the file is named {suffix} but is {kind}-separated; read as such")
    rows = [row for row in _rows(path, text, delimiter) if any(cell.strip() for cell in row[1])]
    if not rows:
        raise InputFileError(path, "contains no terms, only blank or comment lines")
    header = _header(path, rows[0], warnings)
    if header is None:
        columns: dict[str, int] = {"source": 0, "target": 1, "note": 2}
        langs: dict[str, int] = {}
    else:
        columns, langs = header
        rows = rows[1:]
    if not langs and "source_lang" not in columns and (source is None or target is None):
        raise InputFileError(
            path,
            "does not name its languages (it has no header row such as "
            "sourceLang,targetLang,sourceString,targetString or ar,en); give them "
            "(--source-lang and --target-lang)",
        )
    concepts: list[GlossaryConcept] = []
    skipped: list[tuple[int | None, str]] = []
    for line, cells in rows:
        found = _concept(cells, columns, langs, source, target)
        if isinstance(found, str):
            skipped.append((line, found))
        else:
            concepts.append(GlossaryConcept(found[0], found[1], line))
    in_file = {frozenset(lang for lang, _term in concept.terms) for concept in concepts}
    if source and target and in_file and not any({source, target} <= s for s in in_file):
        warnings.append(f"the file names its own languages; they were used, not {source}, {target}")
    if not concepts:
        warnings.append("the file holds no usable term pair")
    kind = "tsv" if delimiter == "\t" else "csv"
    return GlossaryFile(kind, tuple(concepts), tuple(skipped), tuple(warnings))


def _sniff_delimiter(path: Path, text: str, preferred: tuple[str, ...]) -> str:
    """The separator that splits most sample lines into the same number (two or more) of cells;
    ties go to the one the extension promises."""
    sample = [line for line in text[:65536].splitlines()[:100] if line.strip()]
    best, best_score = preferred[0], 0
    for delimiter in preferred:
        lines = [line for line in sample if not (delimiter == "\t" and line.startswith("#"))]
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter) if len(row) >= 2]
        score = max((counts.count(n) for n in set(counts)), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    if best_score == 0:
        raise InputFileError(
            path,
            "is not a glossary: no line has two columns separated by a tab, comma or semicolon",
        )
    return best


def _rows(path: Path, text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(line where the row starts, cells) for each row."""
    if delimiter == "\t":
        lines = enumerate(re.split(r"\r\n|\r|\n", text), start=1)
        return [
            (n, [_unquote(c) for c in line.split("\t")]) for n, line in lines if line[:1] != "#"
        ]
    try:
        return _csv_rows(text, delimiter, strict=True)
    except csv.Error as exc:
        if "end of data" in str(exc):
            last = _csv_rows(text, delimiter, strict=False)[-1][0]
            raise InputFileError(
                path,
                "a quoted field is never closed (a stray quote, or the file is truncated)",
                line=last,
            ) from None
    # Loose quoting such as '"WHO" guidance' is read the way spreadsheets read it.
    try:
        return _csv_rows(text, delimiter, strict=False)
    except csv.Error as exc:
        raise InputFileError(path, f"is not valid CSV ({exc})") from None


def _csv_rows(text: str, delimiter: str, strict: bool) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)
    rows: list[tuple[int, list[str]]] = []
    last = 0
    for cells in reader:
        rows.append((last + 1, cells))
        last = reader.line_num
    return rows


def _unquote(cell: str) -> str:
    if len(cell) >= 2 and cell.startswith('"') and cell.endswith('"'):
        return cell[1:-1].replace('""', '"')
    return cell


def _header(
    path: Path, row: tuple[int, list[str]], warnings: list[str]
) -> tuple[dict[str, int], dict[str, int]] | None:
    """(column roles, language columns) by index when ``row`` is a header row, else None."""
    line, cells = row
    named: dict[str, int] = {}
    langs: dict[str, int] = {}
    unknown: list[str] = []
    for index, cell in enumerate(cells):
        key = re.sub(r"[\s_.-]+", "", cell.lower())
        code = _LANGUAGE_NAMES.get(key) or cell.strip().lower()
        if key in _COLUMN_OF and _COLUMN_OF[key] not in named:
            named[_COLUMN_OF[key]] = index
        elif _LANG_CODE.match(code) and code[:2] in _ISO_639_1:
            langs.setdefault(normalise_lang(code), index)
        elif cell.strip():
            unknown.append(cell.strip())
    if "source" in named and "target" in named:
        langs = {}
    elif len(langs) >= 2 and not unknown:
        named = {role: index for role, index in named.items() if role in ("note", "pos")}
    elif named and not unknown:
        raise InputFileError(
            path,
            f"its header row ({', '.join(cells)}) names no source and target columns",
            line=line,
        )
    else:
        return None
    warnings.extend(f"column {name!r} was not read" for name in unknown)
    return named, langs


def _concept(
    cells: list[str],
    columns: dict[str, int],
    langs: dict[str, int],
    source: str | None,
    target: str | None,
) -> tuple[tuple[tuple[str, str], ...], str | None] | str:
    """A row's terms and note, or the reason it cannot serve."""

    def cell(index: int | None) -> str:
        return clean_term(cells[index]) if index is not None and index < len(cells) else ""

    needed = max(langs.values() if langs else (columns["source"], columns["target"])) + 1
    if len(cells) < needed:
        return f"too few columns ({len(cells)}, expected {needed})"
    note = "; ".join(part for part in (cell(columns.get("pos")), cell(columns.get("note"))) if part)
    if langs:
        terms = tuple((lang, cell(index)) for lang, index in langs.items() if cell(index))
        if len(langs) == 2 and len(terms) < 2:
            first = next(iter(langs.values()))
            return "empty source term" if not cell(first) else "empty target term"
        if len(terms) < 2:
            return f"only one language ({terms[0][0]})" if terms else "no terms"
        return terms, note or None
    if not cell(columns["source"]):
        return "empty source term"
    if not cell(columns["target"]):
        return "empty target term"
    row_source = cell(columns.get("source_lang"))
    row_target = cell(columns.get("target_lang"))
    # The row's own languages win over the arguments.
    source = normalise_lang(row_source) if row_source else source
    target = normalise_lang(row_target) if row_target else target
    if source is None or target is None:
        return "no source or target language in the row, and none was given"
    return ((source, cell(columns["source"])), (target, cell(columns["target"]))), note or None


# -- reading: TBX ---------------------------------------------------------------------------


def _read_tbx(path: Path, data: bytes) -> GlossaryFile:
    refuse_entities(path, data)  # a glossary is small: the whole file is looked at
    _check_declared_encoding(path, data)
    try:
        root = etree.fromstring(data, safe_parser(remove_comments=True, remove_pis=True))
    except etree.XMLSyntaxError as exc:
        raise syntax_error(path, exc) from None
    except (etree.LxmlError, ValueError) as exc:
        raise InputFileError(path, f"damaged XML: {exc}") from None
    name = _local(root.tag)
    if name not in ("martif", "tbx"):
        hint = "; it is a translation memory, import it as one" if name == "tmx" else ""
        raise InputFileError(
            path,
            f"is not a TBX glossary: its root element is <{etree.QName(root).localname}>, "
            f"not <martif> or <tbx>{hint}",
            line=root.sourceline,
        )
    concepts: list[GlossaryConcept] = []
    skipped: list[tuple[int | None, str]] = []
    warnings: list[str] = []
    left_out = 0
    for entry in root.iter():
        if _local(entry.tag) not in _TBX_CONCEPTS:
            continue
        terms: list[tuple[str, str]] = []
        dropped: set[etree._Element] = set()  # groups of left-out terms: their notes go too
        for lang_set in entry.iter():
            if _local(lang_set.tag) not in _TBX_LANGUAGES:
                continue
            code = lang_set.get(_XML_LANG) or lang_set.get("lang")
            if not code:
                warnings.append(f"line {lang_set.sourceline}: a language without xml:lang")
                continue
            for term in lang_set.iter():
                if _local(term.tag) != "term":
                    continue
                text = clean_term("".join(_flat_text(term)))
                group = _unusable(term)
                if text and group is not None:
                    left_out += 1
                    dropped.add(group)
                elif text and (normalise_lang(code), text) not in terms:
                    terms.append((normalise_lang(code), text))
        languages = list(dict.fromkeys(lang for lang, _term in terms))
        if len(languages) < 2:
            reason = f"only one language ({languages[0]})" if languages else "no terms"
            skipped.append((entry.sourceline, reason))
            continue
        notes = [
            clean_term("".join(_flat_text(node)))
            for node in entry.iter()
            if _is_note(node) and dropped.isdisjoint(node.iterancestors())
        ]
        note = "; ".join(dict.fromkeys(text for text in notes if text)) or None
        concepts.append(GlossaryConcept(tuple(terms), note, entry.sourceline))
    if left_out:
        warnings.append(f"{left_out} deprecated or not recommended terms were left out")
    if not concepts and not skipped:
        warnings.append("the file holds no concepts")
    return GlossaryFile("tbx", tuple(concepts), tuple(skipped), tuple(warnings))


def _is_note(node: etree._Element) -> bool:
    return _local(node.tag) in _TBX_NOTES


def _flat_text(element: etree._Element) -> Iterator[str]:
    """Visible text: inline elements (``<hi>``) flattened, an undeclared entity as written."""
    if isinstance(element, etree._Entity):
        yield element.text or ""
    elif element.text:
        yield element.text
    for child in element:
        yield from _flat_text(child)
        if child.tail:
            yield child.tail


def _unusable(term: etree._Element) -> etree._Element | None:
    """The term's group when it marks the term deprecated, superseded or not recommended."""
    group = term.getparent()
    while group is not None and _local(group.tag) not in _TBX_TERM_GROUPS:
        if _local(group.tag) in _TBX_LANGUAGES:
            return None  # a bare <term> in its language: no status of its own
        group = group.getparent()
    if group is None:
        return None
    for node in group.iter():
        name = _local(node.tag)
        kind = (node.get("type") or "").lower()
        if name in _TBX_STATUS or (name == "termnote" and kind in _TBX_STATUS):
            status = "".join(_flat_text(node)).lower().replace(" ", "")
            if status.startswith(_UNUSABLE_STATUS):
                return group
    return None


def _check_declared_encoding(path: Path, data: bytes) -> None:
    """Catch what libxml2 reports obscurely: an unknown or impossible declared encoding."""
    name = declared_encoding(data)
    if name is None:
        return
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise InputFileError(path, f"declares an unknown encoding {name!r}", line=1) from None
    if codec.startswith(("utf-16", "utf-32")):
        raise InputFileError(
            path,
            f"declares the encoding {name} but its bytes are not {name} (probably UTF-8); "
            "correct the encoding in its first line",
            line=1,
        )


# -- writing --------------------------------------------------------------------------------


def write_glossary(
    path: str | Path, terms: Iterable[GlossaryTerm], *, format: str | None = None
) -> int:
    """Write term pairs atomically as TBX-Basic, CSV or OmegaT TSV; returns how many.

    ``format`` is "tbx", "csv", "tsv" or "txt" (tab-separated), else taken from the extension.
    TSV holds one language pair: pairs written the other way round are turned to match the
    first; a third language is refused (export as TBX or CSV instead).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    kind = (format or {".tbx": "tbx", ".csv": "csv"}.get(suffix, "tsv")).lower()
    items = list(terms)
    if kind == "tbx":
        data = _tbx_bytes(items)
    elif kind == "csv":
        data = _csv_bytes(items)
    elif kind in ("tsv", "txt"):
        data = _tsv_bytes(items)
    else:
        raise TranslatorError(f"cannot write a glossary as {kind!r}; choose tbx, csv or tsv")
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise InputFileError(path, f"cannot be written ({exc.strerror or exc})") from None
    return len(items)


def _xml_text(value: str, quote: bool = False) -> str:
    value = _ILLEGAL_XML.sub("", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = value.replace("\r", "&#13;")
    return value.replace('"', "&quot;") if quote else value


def _tbx_bytes(terms: list[GlossaryTerm]) -> bytes:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX-Basic" xml:lang="en">\n'
        "<martifHeader><fileDesc><sourceDesc>"
        f"<p>translator {_xml_text(__version__)}</p>"
        "</sourceDesc></fileDesc></martifHeader>\n<text><body>\n"
    ]
    used: set[str] = set()
    for n, term in enumerate(terms, start=1):
        ident = f"term-{term.id}" if f"term-{term.id}" not in used else f"term-{term.id}-{n}"
        used.add(ident)
        out.append(f'<termEntry id="{_xml_text(ident, quote=True)}">\n')
        if term.note:
            out.append(f"<note>{_xml_text(term.note)}</note>\n")
        for lang, text in ((term.source_lang, term.source), (term.target_lang, term.target)):
            out.append(
                f'<langSet xml:lang="{_xml_text(lang, quote=True)}"><tig>'
                f"<term>{_xml_text(text)}</term></tig></langSet>\n"
            )
        out.append("</termEntry>\n")
    out.append("</body></text>\n</martif>\n")
    return "".join(out).encode("utf-8")


def _csv_bytes(terms: list[GlossaryTerm]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(("sourceLang", "targetLang", "sourceString", "targetString", "note"))
    for t in terms:
        writer.writerow((t.source_lang, t.target_lang, t.source, t.target, t.note or ""))
    # The BOM is what makes Excel open the file as UTF-8 and show the Arabic.
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def _tsv_bytes(terms: list[GlossaryTerm]) -> bytes:
    lines: list[str] = []
    pair: tuple[str, str] | None = None
    for term in terms:
        source, target = term.source, term.target
        langs = (base_language(term.source_lang), base_language(term.target_lang))
        pair = pair or langs
        if langs == pair[::-1]:
            source, target = target, source  # a pair serves both ways; keep one direction
        elif langs != pair:
            raise TranslatorError(
                f"a tab-separated glossary holds one language pair ({pair[0]} -> {pair[1]}), "
                f"but a term is {langs[0]} -> {langs[1]}; export as TBX or CSV instead"
            )
        cells = [clean_term(value or "") for value in (source, target, term.note)]
        if cells[0].startswith("#"):
            cells[0] = " " + cells[0]  # OmegaT would take the line for a comment
        lines.append("\t".join(cells if cells[2] else cells[:2]) + "\n")
    return "".join(lines).encode("utf-8")
