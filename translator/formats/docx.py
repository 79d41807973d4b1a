"""DOCX articles: the paragraphs of the main document, tables included, in reading order.

Read with lxml on the ZIP entries directly (safe parser, sizes checked before
decompressing); written with python-docx, right-to-left where the language needs it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from lxml import etree

from translator.domain import SourceDocument
from translator.errors import InputFileError
from translator.formats.safexml import parse_xml
from translator.text.bidi import is_rtl

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _T, _TAB, _BR, _CR = (f"{{{W}}}{n}" for n in ("p", "t", "tab", "br", "cr"))
_FALLBACK = f"{{{MC}}}Fallback"
_MAIN_PART = "word/document.xml"
# A news article's document.xml is a few hundred kilobytes; anything this large after
# decompression is a ZIP bomb or not an article.
MAX_PART_BYTES = 200 * 1024 * 1024


def _open_main_part(path: Path) -> bytes:
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo(_MAIN_PART)
            except KeyError:
                raise InputFileError(
                    path, f"is a ZIP archive but not a Word document (it has no {_MAIN_PART})"
                ) from None
            if info.file_size > MAX_PART_BYTES:
                raise InputFileError(
                    path,
                    f"its text part would unpack to {info.file_size:,} bytes "
                    f"(the limit is {MAX_PART_BYTES:,}); refusing what looks like a ZIP bomb",
                )
            return archive.read(info)
    except zipfile.BadZipFile as exc:
        raise InputFileError(
            path, f"is not a readable DOCX file: the ZIP archive is damaged or truncated ({exc})"
        ) from None
    except (OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        # EOFError / zlib errors: truncated entry; NotImplementedError: odd compression;
        # RuntimeError: an encrypted entry.
        raise InputFileError(path, f"is not a readable DOCX file ({exc})") from None


def _paragraph_text(paragraph: etree._Element) -> str:
    """The visible text of one paragraph, without that of paragraphs nested in it."""
    parts: list[str] = []
    for node in paragraph.iter(_T, _TAB, _BR, _CR):
        owner = next(node.iterancestors(_P, _FALLBACK), None)
        if owner is not paragraph:
            continue  # a text box's own paragraph, or the duplicate fallback copy
        parts.append(node.text or "" if node.tag == _T else " ")
    return " ".join("".join(parts).split())


def _paragraphs(root: etree._Element) -> Iterator[str]:
    body = root.find(f"{{{W}}}body")
    if body is None:
        return
    for paragraph in body.iter(_P):
        if next(paragraph.iterancestors(_FALLBACK), None) is not None:
            continue
        yield _paragraph_text(paragraph)


def read_docx(path: Path) -> SourceDocument:
    root = parse_xml(path, _open_main_part(path), where=_MAIN_PART)
    if root.tag != f"{{{W}}}document":
        raise InputFileError(path, f"{_MAIN_PART} is not a WordprocessingML document")
    paragraphs: list[str] = []
    blanks: list[int] = []
    pending = 0
    for text in _paragraphs(root):
        if not text:
            pending += 1
            continue
        paragraphs.append(text)
        blanks.append(pending)
        pending = 0
    return SourceDocument(
        paragraphs=tuple(paragraphs), blank_lines_before=tuple(blanks), format="docx"
    )


def write_docx(
    path: Path,
    paragraphs: Sequence[str],
    blank_lines_before: Sequence[int],
    lang: str,
) -> None:
    """A plain DOCX: one Word paragraph per paragraph, empty ones where the text had blanks."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rtl = is_rtl(lang)
    document = docx.Document()
    for blank, text in zip(blank_lines_before, paragraphs, strict=True):
        for _ in range(blank):
            document.add_paragraph("")
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        properties = run._r.get_or_add_rPr()
        if rtl:  # schema order: w:bidi in the paragraph, w:rtl before w:lang in the run
            paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
            properties.append(OxmlElement("w:rtl"))
        run_lang = OxmlElement("w:lang")
        run_lang.set(qn("w:bidi" if rtl else "w:val"), lang)
        properties.append(run_lang)
    document.save(str(path))
