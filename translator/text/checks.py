"""Quality checks of one translated sentence: what a desk editor catches before publishing.

Each check compares a source sentence with its translation and says, in one line, what looks
wrong: a number that changed or went missing, a question that became a statement, brackets
or quotes left open, Arabic letters left in an English translation, stray spaces. They are
warnings: a translator may know better (a number written out, a question turned into
reported speech), so nothing is ever refused because of them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from translator.text.bidi import is_rtl

# Arabic-Indic and Extended Arabic-Indic (Persian, Urdu) digits, and the Arabic decimal and
# thousands separators, read as the ASCII ones.
_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬",
    "01234567890123456789.,",
)
# A number: digits with thousands separators or a decimal part ("1,500", "3.5", "2020").
_NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_LETTER = "[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]"
_ARABIC_LETTERS = re.compile(f"{_LETTER}+(?:\\s+{_LETTER}+)*")
# Numbers written out: English words for the small ones a style guide spells out, and the
# Arabic words a source uses for them (with the conjunction wa- in front, as in وخمسة).
_ENGLISH_WORDS = {
    word: str(value)
    for value, words in enumerate(
        (
            "zero none",
            "one a an first single once",
            "two second both twice pair",
            "three third thrice",
            "four fourth",
            "five fifth",
            "six sixth",
            "seven seventh",
            "eight eighth",
            "nine ninth",
            "ten tenth",
            "eleven eleventh",
            "twelve twelfth dozen",
        )
    )
    for word in words.split()
}
_ENGLISH_WORDS.update({"hundred": "100", "thousand": "1000", "million": "1000000"})
_MONTHS = "january february march april may june july august september october november december"
# A date's month written out: "5 March 2020" for 2020/03/05 (and "Mar." for short).
_ENGLISH_WORDS.update({m: str(n) for n, m in enumerate(_MONTHS.split(), 1)})
_ENGLISH_WORDS.update({m[:3]: str(n) for n, m in enumerate(_MONTHS.split(), 1)})
_ARABIC_WORDS = {
    word: str(value)
    for value, words in (
        (1, "واحد واحدة"),
        (2, "اثنان اثنين اثنتان اثنتين"),
        (3, "ثلاث ثلاثة"),
        (4, "أربع أربعة"),
        (5, "خمس خمسة"),
        (6, "ست ستة"),
        (7, "سبع سبعة"),
        (8, "ثمان ثماني ثمانية"),
        (9, "تسع تسعة"),
        (10, "عشر عشرة"),
        (100, "مئة مائة"),
        (1000, "ألف آلاف"),
        (1000000, "مليون ملايين"),
        # Months, as Egypt and the Gulf name them and as the Levant does (the two-word
        # Kanun and Tishrin months are left out: one word does not say which).
        (1, "يناير"),
        (2, "فبراير شباط"),
        (3, "مارس آذار"),
        (4, "أبريل إبريل نيسان"),
        (5, "مايو أيار"),
        (6, "يونيو يونيه حزيران"),
        (7, "يوليو يوليه تموز"),
        (8, "أغسطس آب"),
        (9, "سبتمبر أيلول"),
        (10, "أكتوبر"),
        (11, "نوفمبر"),
        (12, "ديسمبر"),
    )
    for word in words.translate(str.maketrans("أإآ", "ااا")).split()
}
_WORD = re.compile(r"\w+")
_QUESTION = ("?", "؟")
_SENTENCE_END = (".", "!", "?", "؟", "…", ":")
_CLOSERS = "\"'”’»)]}"
_SPACE_BEFORE = re.compile(r"\w\s+[,.;:!?](?=\s|$)")
_PAIRS = (("(", ")"), ("[", "]"), ("«", "»"), ("“", "”"))


@dataclass(frozen=True)
class Finding:
    """One thing that looks wrong in a translation: which check found it, and what."""

    check: str  # numbers, question, punctuation, brackets, script, spaces
    message: str


def numbers(text: str, *, in_codes: bool = True) -> list[str]:
    """The numbers in a text, as plain digits: Arabic-Indic digits read as ASCII ones,
    thousands separators dropped ("١٬٥٠٠" and "1,500" are both "1500"), leading zeros too.
    Without ``in_codes``, digits right after a Latin letter (R0, H5N1, ACE2) are left out."""
    found = []
    text = text.translate(_DIGITS)
    for match in _NUMBER.finditer(text):
        start = match.start()
        if not in_codes and start and text[start - 1].isascii() and text[start - 1].isalpha():
            continue
        value = match.group()
        if _THOUSANDS.fullmatch(value):
            value = value.replace(",", "")
        elif "," in value and "." not in value and value.count(",") == 1:
            value = value.replace(",", ".")  # a decimal comma: "3,5"
        whole, dot, fraction = value.partition(".")
        found.append(
            (whole.lstrip("0") or "0")
            + (dot + fraction.rstrip("0") if fraction.rstrip("0") else "")
        )
    return found


_HAMZA_SEATS = str.maketrans("أإآ", "ااا")


def _words(text: str, table: dict[str, str], clitic: str = "") -> Counter[str]:
    counted: Counter[str] = Counter()
    for word in _WORD.findall(text.casefold().translate(_HAMZA_SEATS)):
        value = table.get(word)
        if value is None and clitic and word.startswith(clitic):
            value = table.get(word[len(clitic) :])
        if value is not None:
            counted[value] += 1
    return counted


def check_numbers(source: str, target: str) -> list[Finding]:
    """Numbers of the source missing from the translation, and numbers in the translation
    that are not in the source. A small number or a month written out ("five", "خمسة",
    "March") counts as the number."""
    wanted = Counter(numbers(source))
    have = Counter(numbers(target))
    missing = wanted - have
    # A code the translation writes in Latin letters (R0, H5N1) is not a number it added.
    extra = Counter(numbers(target, in_codes=False)) - wanted
    if missing:
        missing -= _words(target, _ENGLISH_WORDS)
    if extra:
        extra -= _words(source, _ARABIC_WORDS, clitic="و")
    findings = []
    if missing:
        listed = ", ".join(sorted(missing.elements(), key=_numeric))
        findings.append(Finding("numbers", f"{listed} in the source, not in the translation"))
    if extra:
        listed = ", ".join(sorted(extra.elements(), key=_numeric))
        findings.append(Finding("numbers", f"{listed} in the translation, not in the source"))
    return findings


def _numeric(value: str) -> float:
    return float(value)


def _last(text: str) -> str:
    """The text's last character before closing quotes and brackets."""
    stripped = text.rstrip().rstrip(_CLOSERS).rstrip()
    return stripped[-1:] if stripped else ""


def check_punctuation(source: str, target: str) -> list[Finding]:
    """A question must stay a question, and a sentence that ends must end."""
    end, target_end = _last(source), _last(target)
    if end in _QUESTION and target_end not in _QUESTION:
        return [
            Finding("question", "the source asks a question; the translation does not end with ?")
        ]
    if end in _SENTENCE_END and target_end and target_end not in _SENTENCE_END:
        return [
            Finding(
                "punctuation",
                f"the source ends with “{end}”, the translation with no closing punctuation",
            )
        ]
    return []


def check_brackets(source: str, target: str) -> list[Finding]:
    """Brackets and quotation marks opened and not closed in the translation, or brackets
    the source has that the translation lost."""
    findings = []
    for opening, closing in _PAIRS:
        if target.count(opening) != target.count(closing):
            findings.append(
                Finding(
                    "brackets", f"“{opening}” and “{closing}” do not pair up in the translation"
                )
            )
    if target.count('"') % 2:
        findings.append(
            Finding("brackets", 'a quotation mark (") is not closed in the translation')
        )
    if source.count("(") > target.count("("):
        findings.append(
            Finding(
                "brackets",
                f"the source has {source.count('(')} bracketed part(s), the translation "
                f"{target.count('(')}",
            )
        )
    return findings


def check_script(target: str, target_lang: str) -> list[Finding]:
    """Arabic letters left in a translation into a language not written in Arabic script."""
    if is_rtl(target_lang):
        return []
    left = _ARABIC_LETTERS.search(target)
    if left is None:
        return []
    return [Finding("script", f"Arabic text left in the translation: “{left.group()}”")]


def check_spaces(target: str) -> list[Finding]:
    """Spaces a copy editor removes: doubled, at either end, before punctuation."""
    findings = []
    if "  " in target.strip():
        findings.append(Finding("spaces", "a double space in the translation"))
    if target != target.strip():
        findings.append(Finding("spaces", "a space at the start or end of the translation"))
    if _SPACE_BEFORE.search(target):
        findings.append(Finding("spaces", "a space before punctuation in the translation"))
    return findings


def check_translation(source: str, target: str, target_lang: str = "en") -> list[Finding]:
    """Every check of one translated sentence, in the order an editor reads them."""
    if not target.strip():
        return []
    return [
        *check_numbers(source, target),
        *check_punctuation(source, target),
        *check_brackets(source, target),
        *check_script(target, target_lang),
        *check_spaces(target),
    ]
