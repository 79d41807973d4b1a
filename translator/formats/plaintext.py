"""Plain-text articles: one line is one paragraph; blank lines are kept for the export."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from translator.domain import SourceDocument
from translator.errors import InputFileError
from translator.formats.encoding import decode_text, sniff_binary

# A paragraph of a million characters is not an article; refusing it early keeps a
# 50 MB file with no line break from reaching the segmenter at all.
MAX_PARAGRAPH_CHARS = 1_000_000


def parse_text(path: Path, text: str, encoding: str | None = None) -> SourceDocument:
    """Split decoded text into paragraphs (non-blank lines) and the blank lines between them."""
    paragraphs: list[str] = []
    blanks: list[int] = []
    pending = 0
    for number, line in enumerate(text.replace("\ufeff", "").splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            pending += 1
            continue
        if len(stripped) > MAX_PARAGRAPH_CHARS:
            raise InputFileError(
                path,
                f"a single line of {len(stripped):,} characters (the limit is "
                f"{MAX_PARAGRAPH_CHARS:,}); this does not look like an article",
                line=number,
            )
        paragraphs.append(stripped)
        blanks.append(pending)
        pending = 0
    return SourceDocument(
        paragraphs=tuple(paragraphs),
        blank_lines_before=tuple(blanks),
        format="txt",
        encoding=encoding,
    )


def read_text(path: Path, data: bytes, encoding: str | None = None) -> SourceDocument:
    sniff_binary(path, data[:16])
    decoded = decode_text(path, data, encoding)
    return parse_text(path, decoded.text, decoded.encoding)


def render_text(paragraphs: Sequence[str], blank_lines_before: Sequence[int] | None = None) -> str:
    """The text of an article: one line per paragraph, blank lines as in the original."""
    blanks = list(blank_lines_before or [0] * len(paragraphs))
    pairs = zip(blanks, paragraphs, strict=True)
    return "".join("\n" * blank + paragraph + "\n" for blank, paragraph in pairs)
