"""Finding glossary terms in a sentence, the way a reader of Arabic or English would.

A term is found where its words stand in the sentence in order, with nothing but spaces (or
a hyphen or apostrophe, as in "al-Sham", "Hay'at") between them unless the term itself has
punctuation there ("Institute of Epidemiology, Disease Control"), compared in matching form
(``tm.normalize``: diacritics, tatweel, alef/ya/ta marbuta shapes and digits folded, case
folded; here also the hamza seats of "مسؤول"/"مسئول").

Arabic writes conjunctions, prepositions and the article onto the next word. The glossary's
"الجيش" is in "والجيش", "بالجيش", "للجيش", and in the construct "جيش العزة"; its "حلب" in
"وحلب". A name keeps its article: "الرقة" is in "بالرقة", "للرقة", not in "بكل رقة"
(tenderness). The prepositions bi/li/ka and the conjunction fa, left on a short word (three
letters), are taken off the first word of a term of two words or more only ("لجيش العزة"):
on a single word they make too many false readings. Three letters are what most Arabic
words are made of, names included: "كمال" is a name, not "ك" + "مال"; "بفتح" is "by
opening" far more often than "by Fatah", "بعون الله" is not about Aoun. So "بحلب" is not
found for "حلب"; "بدمشق" is. Words after the first may only lose the article (and an
ending, below).

A term that is not a name (``is_name``) is also found with a sound plural ending ("ون",
"ين", "ات") when four letters are left ("مسؤولون", "المسلحين", "انتخابات"), "ات" for "ة"
("قوات" for "قوة"), and with a third-person possessive pronoun when three are ("جيشه",
"جيشهم"; "حكومته" for "حكومة"); bi/li/ka/fa and an ending both off must leave four ("بيانه"
is not bi + "يان"). Not the dual "ان", which ends too many words and names ("لبنان" is not
"لبن" + "ان"), nor the feminine "ة" ("شرطة", police, is not "شرط", a condition), nor the
first and second persons. A few plurals of another word stay ("وفيات", deaths, reads as
"وفي" + "ات"; "الإمارات", the Emirates, as emirates).

English: a lower-case glossary word also matches its plural ("clinical trials" for "clinical
trial"); a name (capitalised in the glossary) only itself ("Hama" is not in "Hamas"), and an
acronym only in capitals ("US" is not in "let us").

Offsets are the sentence's own (characters), so a term can be shown where the sentence has it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from translator.tm.normalize import normalize

# A word as written: letters and digits (not "_": "#حلب_تحترق" is two words), with the marks,
# stretching and invisible joiners and direction marks Arabic text carries inside words.
_WORD = re.compile(r"(?:[^\W_]|[\u0640\u064B-\u065F\u0670\u00AD\u200B-\u200F\u061C\u2060])+")
# What may stand between two words of one term besides spaces.
_JOINING_GAP = re.compile(r"[\s\u00A0]*[-'\u2019\u2010\u2011]?[\s\u00A0]*")
# One-for-one, so offsets stay: hamza seats to one form; the modifier apostrophe of
# transliterations ("Hayʼat") to the ASCII one.
_FOLD = str.maketrans({"ؤ": "ء", "ئ": "ء", "\u02bc": "'"})
_STRONG_PREFIXES = ("و",)  # alone; and any prefix ending in the article
PROCLITICS = sorted(
    {
        first + second + third
        for first in ("", "و", "ف")
        for second in ("", "ب", "ل", "ك")
        for third in ("", "ال")
    }
    | {"لل", "ولل", "فلل"},
    key=len,
    reverse=True,
)[:-1]  # longest first; without ""
_MIN_STEM = 2  # letters left when the article (or wa) comes off
_MIN_WEAK_STEM = 3  # ... when bi, li, ka or fa does: then only for a term of two words or more
_MIN_LONE_STEM = 4  # ... unless this many are left ("بدمشق"; "كمال" is a name)
# How weak a reading is, flags: not at all; bi/li/ka/fa off a short word (only the first
# word of a longer term); an ending off (not for a name).
_STRONG, _WEAK, _INFLECTED = 0, 1, 2
# Endings taken off a word of a term that is not a name (see the module's text). Not the
# first and second persons: rare in news, and "ك", "نا" end many words.
_PLURAL_ENDINGS = ("ون", "ين", "ات")
_MIN_PLURAL_STEM = 4  # "الزيتون" is not "زيت", "تأمين" not "تام", "عملات" not "عمل"
_PRONOUNS = ("هما", "هم", "هن", "ها", "ه")
_MIN_PRONOUN_STEM = 3
_TA_MARBUTA = "ه"  # ة in matching form
# What may follow a word's last letter: marks, stretching, invisible joiners.
_TRAILING_MARKS = re.compile(r"[\u0640\u064B-\u065F\u0670\u00AD\u200B-\u200F\u061C\u2060]+\Z")
# Trie keys: plain (a lower-case glossary word: plurals may match it), a name (only the word
# itself, in any case), an acronym (only in capitals).
_NAME, _ACRONYM = "\x00", "\x01"
# A word after punctuation continues a term only where the term has the same kind there
# ("Institute of Epidemiology, Disease Control"): a sentence end, or other punctuation.
_AFTER_PUNCTUATION, _AFTER_SENTENCE_END = "\x02", "\x03"
_SENTENCE_END = re.compile(r"[.!?؟…]")


def _is_arabic(word: str) -> bool:
    return "\u0600" <= word[0] <= "\u06ff"


_ARTICLES = ("ال", "لل")  # the article, and li + the article


def _is_strong(prefix: str) -> bool:
    return prefix in _STRONG_PREFIXES or prefix.endswith(_ARTICLES)


def term_keys(word: str, raw: str, name: bool = False) -> tuple[str, ...]:
    """The keys a glossary word (``word`` in matching form, ``raw`` as the glossary writes
    it) is found under: an Arabic word with the article also without it, unless the term
    is a ``name``: a name keeps its article ("الموصل", Mosul; "موصل" is a conductor)."""
    if _is_arabic(word):
        if not name and word.startswith("ال") and len(word) - 2 >= _MIN_STEM + 1:
            return (word, word[2:])
        return (word,)
    if word.isalpha():
        if len(raw) >= 2 and raw.isupper():
            return (_ACRONYM + word,)
        if raw[:1].isupper():
            return (_NAME + word,)
    return (word,)


@functools.lru_cache(maxsize=65_536)  # the words of news repeat: each is worked out once
def readings(word: str, raw: str, first: bool) -> tuple[tuple[str, int], ...]:
    """The keys a word of a sentence may stand for, each with how weak a reading it is
    (flags: _WEAK, bi/li/ka/fa taken off a short word, only the first word of a longer
    term; _INFLECTED, an ending taken off, not for a name)."""
    if _is_arabic(word):
        # Each reading with the weakness its prefix gives a stem shorter than _MIN_LONE_STEM,
        # and whether the word began there for sure (nothing taken off, or the article).
        bases: list[tuple[str, int, bool]] = [(word, _STRONG, True)]
        if first:
            for prefix in PROCLITICS:
                if word.startswith(prefix):
                    strong = _is_strong(prefix)
                    if len(word) - len(prefix) >= (_MIN_STEM if strong else _MIN_WEAK_STEM):
                        short, whole = _STRONG if strong else _WEAK, prefix.endswith(_ARTICLES)
                        bases.append((word[len(prefix) :], short, whole))
                        if prefix.endswith("لل"):  # li + the article: "للرقة" is "ل" + "الرقة"
                            bases.append(("ال" + word[len(prefix) :], short, whole))
        elif word.startswith("ال") and len(word) - 2 >= _MIN_STEM:
            bases.append((word[2:], _STRONG, True))
        found = [
            (base, short if len(base) < _MIN_LONE_STEM else _STRONG) for base, short, _ in bases
        ]
        # the ة of "ه" as written: "حلبة" (an arena) is not "حلب" with "his"
        pronoun_ha = _TRAILING_MARKS.sub("", raw).endswith("ه")
        for base, short, whole in bases:
            for stem in _without_ending(base, pronoun_ha, whole):
                # "بيانه" is not bi + "يان" + "his": the prefix's weakness goes by what is left
                weakness = short if len(stem) < _MIN_LONE_STEM else _STRONG
                found.append((stem, weakness | _INFLECTED))
        return tuple(found)
    found = [(word, _STRONG), (_NAME + word, _STRONG)]
    if word.isalpha():
        if len(raw) >= 2 and raw.isupper():
            found.append((_ACRONYM + word, _STRONG))
        if len(word) > 4 and word.endswith("s"):
            if word.endswith("ies"):
                found.append((word[:-3] + "y", _STRONG))
            if word.endswith("es"):
                found.append((word[:-2], _STRONG))
            found.append((word[:-1], _STRONG))
    return tuple(found)


def _without_ending(word: str, pronoun_ha: bool, whole: bool) -> list[str]:
    """The word (matching form) without a plural or pronoun ending (see _PLURAL_ENDINGS);
    ``pronoun_ha``: its last "ه" is written so, not "ة"; ``whole``: the word begins here
    for sure (else "ات" for "ة" needs three letters before it: "وفيات" is not wa + "فية")."""
    stems = []
    for ending in _PLURAL_ENDINGS:
        if word.endswith(ending):
            stem = word[: -len(ending)]
            if len(stem) >= _MIN_PLURAL_STEM:
                stems.append(stem)
            if ending == "ات" and len(stem) >= (2 if whole else 3):
                stems.append(stem + _TA_MARBUTA)  # "قوات": "قوة"
            break
    for pronoun in _PRONOUNS:
        if word.endswith(pronoun) and (pronoun != "ه" or pronoun_ha):
            stem = word[: -len(pronoun)]
            if len(stem) >= _MIN_PRONOUN_STEM:
                stems.append(stem)
                if stem.endswith("ت"):
                    stems.append(stem[:-1] + _TA_MARBUTA)  # "حكومته": "حكومة"
            break
    return stems


# Lower-case particles a transliterated name may begin with: "al-Bab", "ash-Sham", "bin Laden".
_NAME_PARTICLES = re.compile(
    r"(?:(?:al|el|ad|adh|an|ar|as|ash|at|ath|az|bin|bint|ibn|abu)(?:-|\s+))+", re.IGNORECASE
)


def is_name(text: str) -> bool:
    """Whether a glossary text names someone or something: it is written with a capital
    ("Aleppo", "Hay'at Tahrir al-Sham", "al-Bab" after its particle)."""
    match = _NAME_PARTICLES.match(text)
    return text[match.end() if match else 0 :][:1].isupper()


@functools.lru_cache(maxsize=65_536)
def _matching_forms(word: str) -> tuple[str, ...]:
    return tuple(normalize(word).split())


@dataclass(frozen=True)
class Word:
    text: str  # matching form
    raw: str  # as written
    start: int  # offsets in the original text
    end: int
    gap: str  # "": nothing but a space, hyphen or apostrophe since the word before; else
    # the kind of punctuation there (_AFTER_PUNCTUATION, _AFTER_SENTENCE_END)


def words(text: str) -> list[Word]:
    """The words of a text in matching form, with where each stands in the text."""
    found: list[Word] = []
    folded = text.translate(_FOLD)
    previous_end = None
    for match in _WORD.finditer(folded):
        gap = ""
        if previous_end is not None and not _JOINING_GAP.fullmatch(
            folded, previous_end, match.start()
        ):
            ends = _SENTENCE_END.search(folded, previous_end, match.start())
            gap = _AFTER_PUNCTUATION if ends is None else _AFTER_SENTENCE_END
        raw = match.group()
        for n, part in enumerate(_matching_forms(raw)):
            found.append(Word(part, raw, match.start(), match.end(), "" if n else gap))
        previous_end = match.end()
    return found


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

    def child(self, key: str) -> _Node:
        """The node under ``key``, made if there is none yet."""
        found = self.next.get(key)
        if found is None:
            found = self.next[key] = _Node()
        return found


_MAX_PATHS = 64  # a long name whose every word has the article: its first forms only


# A glossary is indexed again after every change to it: each term is worked out once.
@functools.lru_cache(maxsize=65_536)
def _term_words(term: str, name: bool) -> tuple[tuple[str, ...], ...]:
    """A term's words, each as the keys it is found under (see ``term_keys``)."""
    return tuple(
        tuple((w.gap if n else "") + key for key in term_keys(w.text, w.raw, name))
        for n, w in enumerate(words(term))
    )


class TermFinder:
    """Finds any of many terms in a text: a tree of the terms' words, walked from each word
    of the text with each reading of the words that follow."""

    def __init__(self, terms: Iterable[str], names: Collection[str] = ()) -> None:
        """``names``: the terms among ``terms`` that are names (see ``is_name``)."""
        self._root = _Node()
        self._names = frozenset(names)
        for term in terms:
            term_words = _term_words(term, term in self._names)
            if not term_words:
                continue
            nodes = [self._root]
            for keys in term_words:
                if len(nodes) * len(keys) > _MAX_PATHS:
                    keys = keys[:1]
                nodes = [node.child(key) for node in nodes for key in keys]
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
            first = sentence[i]
            frontier = [
                (child, weakness)
                for key, weakness in readings(first.text, first.raw, True)
                if (child := self._root.next.get(key)) is not None
            ]
            j = i + 1
            while frontier:
                alone = j == i + 1
                ending = [
                    term
                    for node, weakness in frontier
                    for term in node.terms
                    if _accepted(weakness, alone, term in self._names)
                ]
                if ending:
                    end, terms = j, ending
                if j >= len(sentence):
                    break
                word = sentence[j]
                frontier = [
                    (child, weakness | (inflected & _INFLECTED))
                    for key, inflected in readings(word.text, word.raw, False)
                    for node, weakness in frontier
                    if (child := node.next.get(word.gap + key)) is not None
                ]
                j += 1
            if not terms:
                i += 1
                continue
            found.append(
                Found(sentence[i].start, sentence[end - 1].end, tuple(dict.fromkeys(terms)))
            )
            i = end
        return found


def _accepted(weakness: int, alone: bool, name: bool) -> bool:
    """Whether a term (a ``name`` or not) is read where its words were read so weakly
    (``alone``: the term is one word)."""
    return not (weakness & _INFLECTED and name) and not (alone and weakness & _WEAK)


def contains(text: str, term: str, *, name: bool = False) -> bool:
    """Whether ``text`` has ``term`` in it, by the same rules as ``TermFinder`` (``name``:
    the term is a name, see ``is_name``)."""
    return bool(TermFinder([term], [term] if name else ()).find(text))


def has_words(text: str) -> bool:
    """Whether a text has anything a term can be found by (not only punctuation)."""
    return bool(words(text))
