"""One XML parser for every reader: never fetches anything, never expands entities.

A document type declaration is refused outright by the DOCX reader (a DOCX never has one).
TMX and TBX files in the wild do carry one naming their DTD: they are read without it, and
refused (``refuse_entities``) only when it declares entities, where entity bombs ("billion
laughs") and external entities live. ``syntax_error`` says what lxml reports in words a
user can act on.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import IO

from lxml import etree

from translator.errors import InputFileError

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_DOCTYPE_UTF16 = (
    "<!DOCTYPE".encode("utf-16-le"),
    "<!DOCTYPE".encode("utf-16-be"),
    "<!doctype".encode("utf-16-le"),
    "<!doctype".encode("utf-16-be"),
)


_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)
_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_POSITION_SUFFIX = re.compile(r",? line \d+, column \d+\s*$")


def declared_encoding(data: bytes) -> str | None:
    """The encoding an 8-bit XML declaration names (after any UTF-8 BOM), as written."""
    declared = _DECLARED_ENCODING.match(data.removeprefix(codecs.BOM_UTF8))
    return None if declared is None else declared.group(1).decode("ascii")


def decode_prolog(data: bytes) -> str:
    """XML bytes as text, to look at their markup: by BOM, by the zero bytes of UTF-16, or
    by the declared encoding (best effort; undecodable bytes become U+FFFD)."""
    encoding = "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    elif data.startswith(codecs.BOM_UTF16_LE) or data[1:2] == b"\x00":
        encoding = "utf-16-le"
        data = data.removeprefix(codecs.BOM_UTF16_LE)
    elif data.startswith(codecs.BOM_UTF16_BE) or data[:1] == b"\x00":
        encoding = "utf-16-be"
        data = data.removeprefix(codecs.BOM_UTF16_BE)
    else:
        name = declared_encoding(data)
        if name is not None:
            try:
                encoding = codecs.lookup(name).name
            except LookupError:
                encoding = "latin-1"
            if encoding.startswith(("utf-16", "utf-32")):
                encoding = "latin-1"  # an ASCII-compatible prolog cannot really be UTF-16
    if encoding.startswith("utf-16") and len(data) % 2:
        data = data[:-1]
    return data.decode(encoding, errors="replace")


def refuse_entities(path: Path, data: bytes) -> None:
    """Refuse XML whose document type declares entities (looked for in ``data``: the file's
    first bytes, or all of a small file)."""
    text = decode_prolog(data)
    match = _ENTITY.search(text) or _INTERNAL_SUBSET.search(text)  # the entity's own line
    if match is not None:
        raise InputFileError(
            path,
            "declares entities in a <!DOCTYPE> internal subset (a way to hide entity bombs "
            "or to read other files); the file was refused and nothing in it was read",
            line=text.count("\n", 0, match.start()) + 1,
        )


def syntax_error(
    path: Path, exc: etree.XMLSyntaxError, *, too_long: str | None = None
) -> InputFileError:
    """lxml's syntax error as one message with the file, line and column. ``too_long``: what
    to say when a text exceeds libxml2's limit (``{line}`` is filled in)."""
    line, column = exc.position if exc.position else (None, None)
    detail = _POSITION_SUFFIX.sub("", exc.msg or str(exc)).strip()
    lowered = detail.lower()
    if too_long and ("huge" in lowered or "too long" in lowered or "resource limit" in lowered):
        message = too_long.format(line=line)
    elif line is not None and column is not None and _at_the_end(path, line, column):
        # cut inside a tag, an attribute or a character: whatever libxml2 calls it
        message = f"the file ends too early, it is probably truncated ({detail})"
    elif "encoding" in lowered or "not proper utf" in lowered or "invalid char" in lowered:
        message = (
            f"its bytes do not match its declared encoding ({detail}); "
            "save it as UTF-8 or declare the encoding it really uses"
        )
    elif "premature end" in lowered or "end of data" in lowered or "document is empty" in lowered:
        message = f"the file ends too early, it is probably truncated ({detail})"
    else:
        message = f"damaged XML: {detail}"
    return InputFileError(path, message, line=line, column=column)


def _at_the_end(path: Path, line: int, column: int) -> bool:
    """Whether libxml2's error position is the file's last character (a UTF-8 or ASCII
    file: elsewhere lines are not counted in bytes, and nothing is claimed)."""
    newlines, tail = 0, b""
    try:
        with path.open("rb") as stream:
            for chunk in iter(lambda: stream.read(2**20), b""):
                newlines += chunk.count(b"\n")
                tail = (tail + chunk)[-(2**16) :]
    except OSError:
        return False
    if tail.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in tail:
        return False  # UTF-16
    last = tail.rsplit(b"\n", 1)[-1]
    return line == newlines + 1 and column >= len(last.decode("utf-8", "ignore"))


def safe_parser(**options: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        **options,
    )


def refuse_doctype(path: Path, head: bytes, where: str | None = None) -> None:
    """Refuse XML whose prolog declares a document type (checked on the first bytes)."""
    if _DOCTYPE.search(head) or any(mark in head for mark in _DOCTYPE_UTF16):
        raise InputFileError(
            path,
            "contains a document type declaration (<!DOCTYPE>), which can hide entity bombs "
            "or fetch other files; it was not read",
            where=where,
        )


def parse_xml(path: Path, source: bytes | IO[bytes], where: str | None = None) -> etree._Element:
    """Parse XML safely; syntax errors become one message with line and column."""
    data = source if isinstance(source, bytes) else source.read()
    refuse_doctype(path, data[:4096], where)
    try:
        return etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        raise InputFileError(
            path, f"damaged XML: {exc.msg}", line=line, column=column, where=where
        ) from None
