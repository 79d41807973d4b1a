"""Finding glossary terms in a sentence, the way a reader of Arabic or English would.

A term is found where its words stand in the sentence in order, compared in matching form
(``tm.normalize``: diacritics, tatweel, alef/ya/ta marbuta shapes and digits folded, case
folded). Arabic writes conjunctions, prepositions and the article onto the next word: the
glossary's "جيش العزة" is in "وجيش العزة" and "لجيش العزة", its "الجيش" in "والجيش",
"بالجيش", "للجيش" and in the construct "جيش العزة". An English word may carry a plural
ending ("clinical trials" for "clinical trial"). Suffixes (Arabic possessive pronouns, dual
and plural endings) are not taken off: "جيشه" is not "جيش".

Offsets are the sentence's own, so a term can be highlighted where the sentence has it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from translator.tm.normalize import normalize

# A word as written: letters and digits with the marks and stretching Arabic puts inside.
_WORD = re.compile(r"[\w\u0640\u064B-\u065F\u0670]+")
# Attached in front of an Arabic word: wa/fa, then bi/li/ka, then the article; "lil" is
# li + al. Longest first, so that a match reports the longest prefix taken off.
_PROCLITICS = sorted(
    {
        first + second + third
        for first in ("", "و", "ف")
        for second in ("", "ب", "ل", "ك")
        for third in ("", "ال")
    }
    | {"لل", "ولل", "فلل"},
    key=len,
    reverse=True,
)
_PROCLITICS.remove("")
_MIN_STEM = 2  # letters left after a prefix comes off


def _is_arabic(word: str) -> bool:
    return "\u0600" <= word[0] <= "\u06ff"


def word_forms(word: str) -> frozenset[str]:
    """What a glossary word (in matching form) also stands for: an Arabic word with the
    article also stands without it (the construct state)."""
    if _is_arabic(word) and word.startswith("ال") and len(word) - 2 >= _MIN_STEM:
        return frozenset((word, word[2:]))
    return frozenset((word,))


def readings(word: str) -> tuple[str, ...]:
    """The glossary words a word of a sentence (in matching form) may be: itself, without
    the Arabic prefixes it may carry, or an English singular."""
    found = [word]
    if _is_arabic(word):
        found += [
            word[len(p) :] for p in _PROCLITICS if word.startswith(p) and len(word) - len(p) >= 2
        ]
    elif word.isalpha() and len(word) > 3 and word.endswith("s"):
        if word.endswith("ies"):
            found.append(word[:-3] + "y")
        if word.endswith("es"):
            found.append(word[:-2])
        found.append(word[:-1])
    return tuple(found)


@dataclass(frozen=True)
class Word:
    text: str  # matching form
    start: int  # offsets in the original text
    end: int


def words(text: str) -> list[Word]:
    """The words of a text in matching form, with where each stands in the text."""
    found = []
    for match in _WORD.finditer(text):
        for part in normalize(match.group()).split():
            found.append(Word(part, match.start(), match.end()))
    return found


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    terms: tuple[str, ...]  # every term with these words (as the glossary writes them)


class TermFinder:
    """Finds any of many terms in a text: an index on each term's first word."""

    def __init__(self, terms: Iterable[str]) -> None:
        # first word form -> {term words (forms per word): [terms]}
        self._index: dict[str, dict[tuple[frozenset[str], ...], list[str]]] = {}
        self.size = 0
        for term in terms:
            term_words = tuple(word_forms(w.text) for w in words(term))
            if not term_words:
                continue
            self.size += 1
            for form in term_words[0]:
                self._index.setdefault(form, {}).setdefault(term_words, []).append(term)

    def find(self, text: str) -> list[Found]:
        """The terms in ``text``, left to right, the longest where terms overlap."""
        if not self._index:
            return []
        sentence = words(text)
        found: list[Found] = []
        i = 0
        while i < len(sentence):
            best: tuple[int, list[str]] | None = None
            for reading in readings(sentence[i].text):
                for term_words, terms in self._index.get(reading, {}).items():
                    n = len(term_words)
                    if (best is None or n > best[0]) and _follows(sentence, i, term_words):
                        best = (n, terms)
            if best is None:
                i += 1
                continue
            n, terms = best
            found.append(Found(sentence[i].start, sentence[i + n - 1].end, tuple(terms)))
            i += n
        return found


def _follows(sentence: Sequence[Word], i: int, term_words: tuple[frozenset[str], ...]) -> bool:
    """Whether the term's words after its first stand at ``i + 1`` on."""
    if i + len(term_words) > len(sentence):
        return False
    for offset in range(1, len(term_words)):
        forms = term_words[offset]
        if not any(reading in forms for reading in readings(sentence[i + offset].text)):
            return False
    return True


def contains(text: str, term: str) -> bool:
    """Whether ``text`` has ``term`` in it, by the same rules as ``TermFinder``."""
    return bool(TermFinder([term]).find(text))
