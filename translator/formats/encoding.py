"""Decoding the text files newsrooms actually have: UTF-8, UTF-16 and Windows-1256.

Windows-1256 maps almost every byte to some character, so "it decoded" proves nothing;
a decoding is accepted only when the result looks like text (letters, digits, spaces and
punctuation, no control characters), the way a person would judge it.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from translator.errors import InputFileError

# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Signatures of files that are often renamed or mistaken for text.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document, not text; save the article as DOCX or plain text"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image, not text"),
    (b"\xff\xd8\xff", "a JPEG image, not text"),
    (b"GIF87a", "a GIF image, not text"),
    (b"GIF89a", "a GIF image, not text"),
    (b"RIFF", "a RIFF (WebP, WAV or AVI) media file, not text"),
    (b"PK\x03\x04", "a ZIP archive (perhaps a DOCX file with the wrong extension), not text"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old-style Word (.doc) or encrypted Office file; save it as DOCX",
    ),
    (b"{\\rtf", "an RTF document; save it as DOCX or plain text"),
    (b"\x1f\x8b", "a gzip-compressed file, not text"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive, not text"),
    (b"Rar!", "a RAR archive, not text"),
)

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
# Format characters a real text may contain: bidi marks and isolates, ZWJ/ZWNJ, BOM.
_PLAUSIBLE_SHARE = 0.97


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # the codec name as the user would give it to --encoding


def sniff_binary(path: Path, head: bytes) -> None:
    """Refuse files whose first bytes say they are something other than text."""
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise InputFileError(path, f"is {what}")


def _position(data: bytes, offset: int, encoding: str) -> tuple[int, int]:
    """Line and column (counting from 1, in characters) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode(encoding, errors="replace")) + 1
    return line, column


def _is_plausible(text: str) -> bool:
    """True when ``text`` reads as prose: few symbols from odd corners, no control bytes."""
    if not text:
        return True
    bad = 0
    for char in text:
        if char in _ALLOWED_CONTROLS:
            continue
        category = unicodedata.category(char)
        if category == "Cc" or category in ("Co", "Cn", "Cs"):
            return False
        if category in ("So", "Sk", "Sm", "Lm", "Mn") and not _is_arabic(char):
            bad += 1
    return bad <= len(text) * (1 - _PLAUSIBLE_SHARE)


def _is_arabic(char: str) -> bool:
    code = ord(char)
    return 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF


def _looks_like_utf16(data: bytes) -> str | None:
    """The UTF-16 codec of a file without BOM, judged by its high bytes, or None."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:65536]
    for codec, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        # Latin text has zero high bytes, Arabic 0x06; punctuation 0x20, presentation forms 0xFE.
        common = sum(1 for b in high if b in (0x00, 0x06, 0x20, 0xFB, 0xFE))
        if common >= 0.9 * len(high):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text and _is_plausible(text):
                return codec
    return None


def decode_text(path: Path, data: bytes, encoding: str | None = None) -> DecodedText:
    """Decode the bytes of a text file, detecting the encoding unless one is given.

    Detection order: a byte-order mark; UTF-16 without a mark; UTF-8; Windows-1256.
    """
    if encoding is not None:
        return _decode_as(path, data, encoding)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            name = "utf-8-sig" if codec == "utf-8-sig" else codec.rsplit("-", 1)[0]
            decoded = _decode_as(path, data[len(bom) :], codec)
            return DecodedText(decoded.text, name)
    utf16 = _looks_like_utf16(data)
    if utf16 is not None:
        return DecodedText(data.decode(utf16), utf16)
    if b"\x00" in data:
        line, column = _position(data, data.index(b"\x00"), "utf-8")
        raise InputFileError(
            path, "is a binary file, not text (it contains NUL bytes)", line=line, column=column
        )
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    text = data.decode("cp1256", errors="replace")
    if "\ufffd" not in text and _is_plausible(text):
        return DecodedText(text, "cp1256")
    line, column = _position(data, utf8_error.start, "utf-8")
    raise InputFileError(
        path,
        f"byte 0x{data[utf8_error.start]:02X} is not valid UTF-8, and the file does not read as "
        "UTF-16 or Windows-1256 either; give its encoding with --encoding",
        line=line,
        column=column,
    )


def _decode_as(path: Path, data: bytes, encoding: str) -> DecodedText:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise InputFileError(path, f"unknown encoding {encoding!r}") from None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        if codec.startswith(("utf-16", "utf-32")):
            # Lines are not byte-delimited in UTF-16; count them in what did decode.
            prefix = data[: exc.start].decode(codec, errors="replace")
            line = prefix.count("\n") + 1
            column = len(prefix) - (prefix.rfind("\n") + 1) + 1
        else:
            line, column = _position(data, exc.start, codec)
        raise InputFileError(
            path,
            f"cannot be read as {encoding}: byte 0x{data[exc.start]:02X} is not valid there "
            f"({exc.reason})",
            line=line,
            column=column,
        ) from None
    if codec.startswith("utf-8") and text.startswith("\ufeff"):
        text = text[1:]
    return DecodedText(text, encoding)
