"""Gettext PO catalogues: read them (sloppy headers included), write them for msgfmt -c."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import polib

import translator
from translator.domain import Status
from translator.errors import InputFileError
from translator.formats.encoding import decode_text, sniff_binary
from translator.formats.registry import atomic_write

__all__ = [
    "PLURAL_FORMS",
    "PoCatalog",
    "PoEntry",
    "SegmentLike",
    "catalog_from_segments",
    "normalise_language",
    "read_po",
    "render_po",
    "write_po",
]

# The gettext rules (as in gettext's plural-table.c and CLDR) for the languages a newsroom
# meets; a catalogue's own Plural-Forms header always wins over this table.
PLURAL_FORMS: dict[str, tuple[str, str]] = {
    "ar": (
        "Arabic",
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
        ": n%100>=11 ? 4 : 5);",
    ),
    "en": ("English", "nplurals=2; plural=(n != 1);"),
    "de": ("German", "nplurals=2; plural=(n != 1);"),
    "es": ("Spanish", "nplurals=2; plural=(n != 1);"),
    "it": ("Italian", "nplurals=2; plural=(n != 1);"),
    "nl": ("Dutch", "nplurals=2; plural=(n != 1);"),
    "tr": ("Turkish", "nplurals=2; plural=(n != 1);"),
    "he": ("Hebrew", "nplurals=2; plural=(n != 1);"),
    "ur": ("Urdu", "nplurals=2; plural=(n != 1);"),
    "hi": ("Hindi", "nplurals=2; plural=(n != 1);"),
    "fr": ("French", "nplurals=2; plural=(n > 1);"),
    "pt": ("Portuguese", "nplurals=2; plural=(n != 1);"),
    "fa": ("Persian", "nplurals=2; plural=(n > 1);"),
    "ru": (
        "Russian",
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);",
    ),
    "zh": ("Chinese", "nplurals=1; plural=0;"),
    "ja": ("Japanese", "nplurals=1; plural=0;"),
    "id": ("Indonesian", "nplurals=1; plural=0;"),
}

_MO_MAGICS = (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CHARSET = re.compile(rb"Content-Type:[^\"\n]*?charset=([A-Za-z0-9_.:-]+)")
# A keyword line or a continuation line: one complete string after the keyword.
_KEYWORD_LINE = re.compile(
    r"^(?:(msgctxt|msgid_plural|msgid|msgstr\[\d\]|msgstr)\s*)?"  # keyword, or none
    r'"(?:[^"\\]|\\.)*"$'  # one string, every inner quote escaped
)
_SYNTAX_LINE = re.compile(r"\(line (\d+)\)(?::\s*(.*))?")
_NPLURALS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=.+$")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2})(?::\d{2})?\s*([+-]\d{4})?$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2}|-\d{3})?$")
_SCRIPTS = {"latin": "Latn", "cyrillic": "Cyrl", "arabic": "Arab"}
# Header fields write_po always sets (the file is UTF-8 and just written by us).
# (Plural-Forms is in ``wanted`` only when the file's own is missing or unparseable.)
_MANAGED = (
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "X-Generator",
    "PO-Revision-Date",
    "Plural-Forms",
)


@dataclass(frozen=True)
class PoEntry:
    """One message of a PO file, as the file has it (the header is not an entry)."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: tuple[str, ...] = ()  # msgstr[0], msgstr[1] ... in index order
    flags: tuple[str, ...] = ()  # "fuzzy", "c-format" ...
    translator_comment: str = ""  # the "# " lines, joined with \n
    extracted_comment: str = ""  # the "#." lines
    references: tuple[tuple[str, int | None], ...] = ()  # the "#:" lines
    previous_msgctxt: str | None = None  # the "#|" lines
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False  # a "#~" entry
    # Where the entry starts in the file read; not part of what the entry *is*.
    line: int | None = field(default=None, compare=False)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


@dataclass(frozen=True)
class PoCatalog:
    """A whole PO file: header fields in file order, entries, and what was tolerated."""

    metadata: tuple[tuple[str, str], ...] = ()  # (key, value) in file order
    header_comment: str = ""
    header_flags: tuple[str, ...] = ()
    entries: tuple[PoEntry, ...] = ()
    language: str | None = None  # BCP 47 with normalised casing: "ar", "en-US"
    nplurals: int | None = None
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def header(self, key: str) -> str | None:
        """The value of a header field (first occurrence, case-insensitive), or None."""
        wanted = key.lower()
        return next((value for name, value in self.metadata if name.lower() == wanted), None)


class SegmentLike(Protocol):
    """What a document export gives catalog_from_segments for each segment."""

    @property
    def n(self) -> int: ...
    @property
    def source(self) -> str: ...
    @property
    def target(self) -> str | None: ...
    @property
    def status(self) -> Status: ...
    @property
    def context(self) -> str | None: ...
    @property
    def note(self) -> str | None: ...


# -- reading ------------------------------------------------------------------------------


def read_po(path: Path, data: bytes | None = None) -> PoCatalog:
    """Read a PO file; bad files raise InputFileError, sloppy headers become warnings."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputFileError(path, f"cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise InputFileError(path, "is empty")
    warnings: list[str] = []
    text = _decode(path, data, warnings)
    parsed = _parse(path, text)
    _check_lines(path, text)
    if not parsed.metadata and not len(parsed):
        raise InputFileError(path, "contains no PO messages")
    lines = text.splitlines()
    first_line = next((i for i, line in enumerate(lines, 1) if line.strip("\ufeff \t")), 1)
    entries = tuple(_entry_from_polib(item, first_line) for item in parsed)
    metadata = tuple((str(key), str(value)) for key, value in parsed.metadata.items())
    header_flags = tuple(str(flag) for flag in parsed.metadata_is_fuzzy or ())
    catalog = PoCatalog(
        metadata=metadata,
        header_comment=str(parsed.header),
        header_flags=header_flags,
        entries=entries,
    )
    language = _check_language(catalog, warnings)
    nplurals = _check_plurals(catalog, language, warnings)
    _check_header(catalog, warnings)
    _check_entries(entries, nplurals, warnings)
    return replace(catalog, language=language, nplurals=nplurals, warnings=tuple(warnings))


def _decode(path: Path, data: bytes, warnings: list[str]) -> str:
    """The text of the file, in the charset its header declares (or a reasoned guess)."""
    sniff_binary(path, data[:16])
    if data[:4] in _MO_MAGICS:
        raise InputFileError(path, "is a compiled MO file, not a PO file; open the .po source")
    if data.startswith(_WIDE_BOMS) or b"\x00" in data[:4096]:
        # polib reads only byte-oriented charsets; Windows tools do save PO files as UTF-16.
        decoded = decode_text(path, data)
        warnings.append(f"the file is {decoded.encoding.upper()}; it is written back as UTF-8")
        return decoded.text
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    match = _CHARSET.search(data[:8192])
    declared = match.group(1).decode("ascii") if match else None
    if declared is not None and declared.upper() != "CHARSET":
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            warnings.append(f"unknown charset {declared!r} in Content-Type; read as UTF-8")
            codec = "utf-8"
        try:
            return data.decode(codec)
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise InputFileError(
                path,
                f"byte 0x{data[exc.start]:02X} is not valid {declared}, the charset its "
                "header declares",
                line=line,
            ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # No declared charset and not UTF-8: a legacy file. Windows-1256 decodes nearly any
    # byte, so it is chosen only when most non-ASCII characters then come out Arabic.
    arabic = data.decode("cp1256", errors="replace")
    high = [char for char in arabic if ord(char) > 0x7F]
    if sum(1 for char in high if "\u0600" <= char <= "\u06ff") * 2 > len(high):
        codec = "cp1256"
    else:
        codec = "cp1252"
    warnings.append(f"no charset declared and the file is not UTF-8; read as {codec}")
    return data.decode(codec, errors="replace")


def _check_lines(path: Path, text: str) -> None:
    """Refuse what polib would read silently wrong: cut-off strings, a msgid with no msgstr.

    Only the shape of each line is checked; polib does the parsing.
    """
    pending: int | None = None  # the line of a msgid still waiting for its msgstr
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        previous = line.startswith(("#|", "#~|"))
        if line.startswith("#~"):
            line = line[2:].lstrip()
        if previous:
            line = line.lstrip("|").lstrip()
        found = _KEYWORD_LINE.match(line)
        if found is None:
            if line.startswith(("msg", '"')):
                raise InputFileError(
                    path,
                    f"is not a valid PO file: a string is not closed, or has an unescaped "
                    f"quote, in {line[:60]!r}",
                    line=number,
                )
            continue
        keyword = found.group(1)
        if previous or keyword is None:
            continue
        if keyword.startswith("msgstr"):
            pending = None
        elif keyword in ("msgid", "msgctxt") and pending is not None:
            break
        elif keyword == "msgid":
            pending = number
    if pending is not None:
        raise InputFileError(path, "is not a valid PO file: msgid without msgstr", line=pending)


def _parse(path: Path, text: str) -> Any:
    # polib takes a string holding no newline for a file name; a trailing one rules that out.
    try:
        return polib.pofile(text + "\n", wrapwidth=0)
    except (OSError, ValueError, IndexError, KeyError) as exc:
        message = str(exc)
    found = _SYNTAX_LINE.search(message)
    line = int(found.group(1)) if found else None
    detail = found.group(2) if found and found.group(2) else "syntax error"
    lines = text.splitlines()
    if line is not None and 0 < line <= len(lines):
        detail += f" in {lines[line - 1].strip()[:60]!r}"
    raise InputFileError(path, f"is not a valid PO file: {detail}", line=line) from None


def _entry_from_polib(item: Any, first_line: int) -> PoEntry:
    plural = str(item.msgid_plural) if item.msgid_plural else None
    forms = dict(item.msgstr_plural)
    references = tuple(
        (str(name), int(number) if str(number).isdigit() else None)
        for name, number in item.occurrences
    )
    # polib numbers the first entry of a file without header 0; it starts at the first line.
    line = int(item.linenum) if item.linenum else first_line
    return PoEntry(
        msgid=str(item.msgid),
        msgstr=str(item.msgstr),
        msgctxt=None if item.msgctxt is None else str(item.msgctxt),
        msgid_plural=plural,
        msgstr_plural=tuple(str(forms[index]) for index in sorted(forms)),
        flags=tuple(str(flag) for flag in item.flags if flag),
        translator_comment=str(item.tcomment),
        extracted_comment=str(item.comment),
        references=references,
        previous_msgctxt=_optional(item.previous_msgctxt),
        previous_msgid=_optional(item.previous_msgid),
        previous_msgid_plural=_optional(item.previous_msgid_plural),
        obsolete=bool(item.obsolete),
        line=line,
    )


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)


def normalise_language(value: str) -> str | None:
    """A PO Language value ("ar_EG", "sr@latin", "en_US.UTF-8") as BCP 47, or None."""
    code, _, modifier = value.strip().partition("@")
    code = code.split(".")[0].replace("_", "-")
    parts = code.split("-")
    tag = [parts[0].lower()]
    for part in parts[1:]:
        tag.append(part.title() if len(part) == 4 else part.upper())
    if modifier.lower() in _SCRIPTS:
        tag.insert(1, _SCRIPTS[modifier.lower()])
    result = "-".join(tag)
    return result if _LANGUAGE.match(result) else None


def _check_language(catalog: PoCatalog, warnings: list[str]) -> str | None:
    value = catalog.header("Language")
    if value is None:
        warnings.append("no Language header")
        return None
    if not value.strip():
        warnings.append("empty Language header")
        return None
    language = normalise_language(value)
    if language is None:
        warnings.append(f"Language header {value!r} is not a language code")
    return language


def _check_plurals(catalog: PoCatalog, language: str | None, warnings: list[str]) -> int | None:
    value = catalog.header("Plural-Forms")
    if value is not None:
        found = _NPLURALS.match(value)
        if found:
            return int(found.group(1))
        warnings.append(f"unparseable Plural-Forms {value!r}")
    rule = PLURAL_FORMS.get(language.split("-")[0]) if language else None
    if rule is None:
        if value is None:
            warnings.append("no Plural-Forms header")
        return None
    nplurals = _nplurals_of(rule[1])
    if value is None:
        warnings.append(f"no Plural-Forms header; assuming nplurals={nplurals} for {rule[0]}")
    return nplurals


def _nplurals_of(plural_forms: str) -> int | None:
    found = _NPLURALS.match(plural_forms)
    return int(found.group(1)) if found else None


def _check_header(catalog: PoCatalog, warnings: list[str]) -> None:
    if not catalog.metadata:
        warnings.append('no header entry (msgid ""); the written file gets one')
        return
    if catalog.header("Content-Type") is None:
        warnings.append("no Content-Type header")
    if "fuzzy" in catalog.header_flags:
        warnings.append("the header is marked fuzzy (msgfmt ignores such a header)")
    for key in ("POT-Creation-Date", "PO-Revision-Date"):
        value = catalog.header(key)
        if value is not None and not _is_date(value):
            warnings.append(f"unparseable {key} {value!r}")


def _is_date(value: str) -> bool:
    found = _DATE.match(value.strip())
    if not found:
        return False
    try:
        datetime.strptime(found.group(1), "%Y-%m-%d %H:%M")
    except ValueError:
        return False
    return True


def _check_entries(entries: Sequence[PoEntry], nplurals: int | None, warnings: list[str]) -> None:
    seen: dict[tuple[str | None, str], int | None] = {}
    for entry in entries:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            warnings.append(
                f"line {entry.line}: duplicate of the message at line {seen[key]} "
                f"({entry.msgid[:40]!r}); msgfmt refuses such a file"
            )
        seen[key] = entry.line
        forms = len(entry.msgstr_plural)
        if nplurals is not None and entry.msgid_plural is not None and forms != nplurals:
            warnings.append(
                f"line {entry.line}: {forms} plural forms where Plural-Forms says {nplurals}"
            )


# -- writing ------------------------------------------------------------------------------


def write_po(
    path: Path, catalog: PoCatalog, *, generator: str = f"translator {translator.__version__}"
) -> None:
    """Write ``catalog`` as a UTF-8 PO file with a complete header, atomically."""
    text = render_po(catalog, generator=generator)
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        raise InputFileError(path, f"cannot be written ({exc.strerror or exc})") from None


def render_po(
    catalog: PoCatalog,
    *,
    generator: str = f"translator {translator.__version__}",
    now: datetime | None = None,
) -> str:
    """The text of the PO file write_po writes."""
    header = polib.POEntry(
        msgid="",
        msgstr="".join(
            f"{key}: {value}\n" for key, value in _header_fields(catalog, generator, now)
        ),
        # A fuzzy header is ignored by msgfmt (and -c refuses the file): never write one.
        flags=[flag for flag in catalog.header_flags if flag != "fuzzy"],
    )
    parts = [_comment_lines(catalog.header_comment) + header.__unicode__(0)]
    live = [entry for entry in catalog.entries if not entry.obsolete]
    obsolete = [entry for entry in catalog.entries if entry.obsolete]
    parts.extend(_render_entry(entry) for entry in [*live, *obsolete])
    return "\n".join(parts)


def _header_fields(
    catalog: PoCatalog, generator: str, now: datetime | None
) -> list[tuple[str, str]]:
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%d %H:%M+0000")
    wanted: dict[str, str] = {
        "Project-Id-Version": catalog.header("Project-Id-Version") or "translator",
        "PO-Revision-Date": stamp,
        "Last-Translator": catalog.header("Last-Translator") or "",
        "Language-Team": catalog.header("Language-Team") or "",
        "Language": catalog.header("Language") or _po_language(catalog.language),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    plural = catalog.header("Plural-Forms")
    rule = PLURAL_FORMS.get((catalog.language or "").split("-")[0])
    if (plural is None or not _NPLURALS.match(plural)) and rule is not None:
        wanted["Plural-Forms"] = rule[1]
    wanted["X-Generator"] = generator
    fields: list[tuple[str, str]] = []
    for key, value in catalog.metadata:
        canonical = next((name for name in wanted if name.lower() == key.lower()), None)
        if canonical is None:
            fields.append((key, value))  # a field of its own, or one seen twice: kept as is
            continue
        new = wanted.pop(canonical)
        if canonical in _MANAGED or not value.strip():
            fields.append((canonical, new))
        else:
            fields.append((key, value))
    return [*fields, *wanted.items()]


def _po_language(language: str | None) -> str:
    """BCP 47 "en-US" as gettext writes it: "en_US"."""
    return (language or "").replace("-", "_")


def _comment_lines(text: str) -> str:
    if not text:
        return ""
    return "".join(f"# {line}\n" if line else "#\n" for line in text.split("\n"))


def _render_entry(entry: PoEntry) -> str:
    item = polib.POEntry(
        msgid=entry.msgid,
        msgstr=entry.msgstr,
        msgctxt=entry.msgctxt,
        msgid_plural=entry.msgid_plural or "",
        msgstr_plural=dict(enumerate(entry.msgstr_plural)),
        flags=list(entry.flags),
        tcomment=entry.translator_comment,
        comment=entry.extracted_comment,
        occurrences=[(name, "" if line is None else str(line)) for name, line in entry.references],
        previous_msgctxt=entry.previous_msgctxt,
        previous_msgid=entry.previous_msgid,
        previous_msgid_plural=entry.previous_msgid_plural,
        obsolete=entry.obsolete,
    )
    rendered = str(item.__unicode__(0))
    if not entry.obsolete or not (entry.extracted_comment or entry.references):
        return rendered
    # polib leaves out "#." and "#:" of obsolete entries although it reads them back;
    # put them after the translator comment, where gettext has them.
    lines = rendered.split("\n")
    after = len(entry.translator_comment.split("\n")) if entry.translator_comment else 0
    extra: list[str] = []
    if entry.extracted_comment:
        extra.extend(f"#. {line}" for line in entry.extracted_comment.split("\n"))
    if entry.references:
        extra.append("#: " + " ".join(_reference(ref) for ref in entry.references))
    return "\n".join([*lines[:after], *extra, *lines[after:]])


def _reference(reference: tuple[str, int | None]) -> str:
    name, line = reference
    return name if line is None else f"{name}:{line}"


# -- documents ----------------------------------------------------------------------------


def catalog_from_segments(
    segments: Iterable[SegmentLike], *, document_name: str, source_lang: str, target_lang: str
) -> PoCatalog:
    """A catalogue for exporting a document: one message per segment.

    Each message gets a msgctxt (the segment's own, from an imported PO file, else
    "document:n") so that repeated sentences stay distinct messages, as msgfmt requires,
    and a re-import can tell which segment each came from. No "#:" reference is written:
    the context already says where the segment is, and PO tools split references at spaces,
    which news document names are full of.
    """
    entries: list[PoEntry] = []
    used: set[tuple[str, str]] = set()
    for segment in segments:
        context = segment.context if segment.context is not None else f"{document_name}:{segment.n}"
        if (context, segment.source) in used:
            context = f"{context} ({document_name}:{segment.n})"
        used.add((context, segment.source))
        target = segment.target or ""
        fuzzy = bool(target) and not segment.status.is_confirmed
        entries.append(
            PoEntry(
                msgid=segment.source,
                msgstr=target,
                msgctxt=context,
                flags=("fuzzy",) if fuzzy else (),
                translator_comment=segment.note or "",
            )
        )
    language = normalise_language(target_lang) or target_lang
    rule = PLURAL_FORMS.get(language.split("-")[0])
    metadata: list[tuple[str, str]] = [
        ("Project-Id-Version", document_name),
        ("Language", _po_language(language)),
    ]
    if rule is not None:
        metadata.append(("Plural-Forms", rule[1]))
    source = normalise_language(source_lang) or source_lang
    metadata.append(("X-Source-Language", _po_language(source)))
    nplurals = _nplurals_of(rule[1]) if rule else None
    return PoCatalog(
        metadata=tuple(metadata),
        entries=tuple(entries),
        language=language,
        nplurals=nplurals,
    )
