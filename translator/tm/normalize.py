"""Normalisation for matching: what a translator would not call a difference.

Arabic is written with optional diacritics, interchangeable letter shapes (alef with or
without hamza, final ya or alef maqsura, ta marbuta or ha), stretching (tatweel) and two
sets of digits. Two sentences that differ only there are the same sentence for matching;
the scorer still tells them apart from identical text (a small penalty) and the panel shows
the original.
"""

from __future__ import annotations

import re
import unicodedata

_TABLE: dict[int, str | None] = {}
for _char in "أإآٱ":
    _TABLE[ord(_char)] = "ا"
_TABLE[ord("ى")] = "ي"
_TABLE[ord("ة")] = "ه"
_TABLE[ord("ؤ")] = "و"
_TABLE[ord("ئ")] = "ي"
_TABLE[ord("ـ")] = None  # tatweel
for _code in range(0x064B, 0x0660):  # fathatan ... hamza below: the tashkeel
    _TABLE[_code] = None
_TABLE[0x0670] = None  # superscript alef
for _i in range(10):
    _TABLE[0x0660 + _i] = str(_i)  # Arabic-Indic digits
    _TABLE[0x06F0 + _i] = str(_i)  # Extended (Persian) digits
for _char in "٫":
    _TABLE[ord(_char)] = "."  # Arabic decimal separator
_TABLE[ord("٬")] = ","  # Arabic thousands separator
# Bidi controls and zero-width characters carry no meaning for matching.
for _code in (
    0x200B,
    0x200C,
    0x200D,
    0x200E,
    0x200F,
    0x061C,
    0xFEFF,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
):
    _TABLE[_code] = None

# Punctuation of both scripts, except a point or comma inside a number (3.5, 1,000).
_PUNCTUATION = re.compile(r"(?<!\d)[.,](?!\d)|[^\w\s.,]|_", re.UNICODE)
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)


def normalize(text: str) -> str:
    """The matching form of a text: folded letters, no diacritics or punctuation."""
    text = unicodedata.normalize("NFKC", text).translate(_TABLE).casefold()
    text = _PUNCTUATION.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def tokens(normalized: str) -> list[str]:
    """The words of a normalised text (numbers included)."""
    return _WORD.findall(normalized)
