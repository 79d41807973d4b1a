"""One XML parser for every reader: never fetches anything, never expands entities.

A document type declaration is refused outright: neither DOCX nor TMX needs one to be read,
and it is where entity bombs ("billion laughs") and external entities live.
"""

from __future__ import annotations

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
