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

import functools
import re
from collections.abc import Iterable
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


def word_forms(word: str) -> tuple[str, ...]:
    """What a glossary word (in matching form) also stands for: an Arabic word with the
    article also stands without it (the construct state)."""
    if _is_arabic(word) and word.startswith("ال") and len(word) - 2 >= _MIN_STEM:
        return (word, word[2:])
    return (word,)


@functools.lru_cache(maxsize=65_536)  # the words of news repeat: each is worked out once
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


@functools.lru_cache(maxsize=65_536)
def _matching_forms(word: str) -> tuple[str, ...]:
    return tuple(normalize(word).split())


@dataclass(frozen=True)
class Word:
    text: str  # matching form
    start: int  # offsets in the original text
    end: int


def words(text: str) -> list[Word]:
    """The words of a text in matching form, with where each stands in the text."""
    return [
        Word(part, match.start(), match.end())
        for match in _WORD.finditer(text)
        for part in _matching_forms(match.group())
    ]


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    terms: tuple[str, ...]  # every term with these words (as the glossary writes them)


class _Node:
    __slots__ = ("next", "terms")

    def __init__(self) -> None:
        self.next: dict[str, _Node] = {}
        self.terms: list[str] = []  # the terms that end here


_MAX_PATHS = 64  # a long name whose every word has the article: its first forms only


class TermFinder:
    """Finds any of many terms in a text: a tree of the terms' words, walked from each word
    of the text with each reading of the words that follow."""

    def __init__(self, terms: Iterable[str]) -> None:
        self._root = _Node()
        self.size = 0
        for term in terms:
            term_words = [word_forms(w.text) for w in words(term)]
            if not term_words:
                continue
            self.size += 1
            nodes = [self._root]
            for forms in term_words:
                if len(nodes) * len(forms) > _MAX_PATHS:
                    forms = forms[:1]
                nodes = [node.next.setdefault(form, _Node()) for node in nodes for form in forms]
            for node in nodes:
                if term not in node.terms:
                    node.terms.append(term)

    def find(self, text: str) -> list[Found]:
        """The terms in ``text``, left to right, the longest where terms overlap."""
        if not self._root.next:
            return []
        sentence = words(text)
        found: list[Found] = []
        i = 0
        while i < len(sentence):
            end, terms = i, list[str]()
            frontier = [self._root]
            j = i
            while frontier and j < len(sentence):
                frontier = [
                    child
                    for reading in readings(sentence[j].text)
                    for node in frontier
                    if (child := node.next.get(reading)) is not None
                ]
                j += 1
                ending = [term for node in frontier for term in node.terms]
                if ending:
                    end, terms = j, ending
            if not terms:
                i += 1
                continue
            found.append(
                Found(sentence[i].start, sentence[end - 1].end, tuple(dict.fromkeys(terms)))
            )
            i = end
        return found


def contains(text: str, term: str) -> bool:
    """Whether ``text`` has ``term`` in it, by the same rules as ``TermFinder``."""
    return bool(TermFinder([term]).find(text))
