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

from translator.text import figures
from translator.text.bidi import is_rtl

_LETTER = "[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]"
_ARABIC_LETTERS = re.compile(f"{_LETTER}+(?:\\s+{_LETTER}+)*")
# Arabic-Indic digits and Arabic punctuation (comma, semicolon, question mark) in a
# translation into a language written otherwise.
_ARABIC_MARKS = re.compile(r"[\u0660-\u066c\u06f0-\u06f9\u060c\u061b\u061f]+")
_QUESTION = ("?", "؟")
_SENTENCE_END = (".", "!", "?", "؟", "…", ":")
_CLOSERS = "\"'”’»)]}*†¹²³⁴⁵⁶⁷⁸⁹⁰"  # and footnote marks
_SPACE_BEFORE = re.compile(r"\w\s+[,.;:!?](?=\s|$)")


@dataclass(frozen=True)
class Finding:
    """One thing that looks wrong in a translation: which check found it, and what."""

    check: str  # numbers, question, punctuation, brackets, script, spaces, glossary
    message: str


def check_numbers(source: str, target: str) -> list[Finding]:
    """Figures of the source missing from the translation, figures of the translation the
    source does not have, and a month named otherwise. A figure may be written out on the
    other side ("five", "خمسة"), with a scale ("15 ألف" is 15,000), or as a month ("March"
    for the 3 of 2020/3/15)."""
    wanted, have = figures.figures(source), figures.figures(target)
    source_soft, target_soft = figures.soft_values(source), figures.soft_values(target)
    missing = list(figures.unmatched(wanted, have))
    extra = [f for f in figures.unmatched(have, wanted) if not f.code]
    # A soft word stands for a figure only when the other side has no such word itself
    # (the target's "March" is the source's مارس, not the 3 of "3 ministers").
    missing = _not_written_out(missing, target_soft - source_soft)
    extra = _not_written_out(extra, source_soft - target_soft)
    findings = []
    if missing:
        listed = ", ".join(f.text for f in missing)
        findings.append(Finding("numbers", f"{listed} in the source, not in the translation"))
    if extra:
        listed = ", ".join(f.text for f in extra)
        findings.append(Finding("numbers", f"{listed} in the translation, not in the source"))
    named, said = figures.months(source), figures.months(target)
    if named and said and not said <= named:
        findings.append(
            Finding(
                "numbers",
                f"the month: {_month_names(named)} in the source, "
                f"{_month_names(said)} in the translation",
            )
        )
    return findings


def _not_written_out(found: list[figures.Figure], words: Counter[str]) -> list[figures.Figure]:
    left = []
    for figure in found:
        value = next((v for v in sorted(figure.soft) if words[v] > 0), None)
        if value is None:
            left.append(figure)
        else:
            words[value] -= 1
    return left


def _month_names(months: set[int]) -> str:
    return " and ".join(figures.MONTH_NAMES[m - 1] for m in sorted(months))


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
    """Brackets and quotation marks left open (or closed twice) in the translation where
    the source has them in pairs, and brackets the source has that the translation lost.
    A segment of a quotation that runs over several sentences opens or closes it in both
    texts: that is no slip."""
    findings = []
    for opening, closing in (("(", ")"), ("[", "]")):
        left_open = target.count(opening) - target.count(closing)
        if left_open != source.count(opening) - source.count(closing):
            findings.append(
                Finding(
                    "brackets", f"“{opening}” and “{closing}” do not pair up in the translation"
                )
            )
    if _quotes_pair(source) and not _quotes_pair(target):
        findings.append(Finding("brackets", "quotation marks do not pair up in the translation"))
    if source.count("(") > target.count("("):
        findings.append(
            Finding(
                "brackets",
                f"the source has {source.count('(')} bracketed part(s), the translation "
                f"{target.count('(')}",
            )
        )
    return findings


def _quotes_pair(text: str) -> bool:
    return (
        text.count("«") == text.count("»")
        and text.count("“") == text.count("”")
        and text.count('"') % 2 == 0
    )


def check_script(target: str, target_lang: str) -> list[Finding]:
    """Arabic letters, digits or punctuation left in a translation into a language not
    written in Arabic script."""
    if is_rtl(target_lang):
        return []
    findings = []
    left = _ARABIC_LETTERS.search(target)
    if left is not None:
        findings.append(Finding("script", f"Arabic text left in the translation: “{left.group()}”"))
    marks = _ARABIC_MARKS.search(target)
    if marks is not None:
        findings.append(
            Finding(
                "script",
                f"Arabic digits or punctuation left in the translation: “{marks.group()}”",
            )
        )
    return findings


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
