"""The figures of a sentence, as a desk editor compares a translation with its source.

A figure is a number as written, with the value it stands for: "١٥ ألف" is 15,000, "1.5
million" is 1,500,000, "20.03.2020" is three figures (a date), "خمسة عشر" is 15, "42.000"
is 42 or 42,000. Words that may stand for a number without being one are kept apart ("soft"):
English number words and months ("five", "March") may stand for a figure of the source;
Arabic ordinals, months and the words a translation may turn into digits ("العاشرة" in "at
ten", "مارس" in "3/15") for a figure of the translation. Nothing here knows a language's
grammar beyond these lists: the aim is few false alarms on news copy, not a parser.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from translator.text.terms import PROCLITICS
from translator.tm.normalize import normalize

# Arabic-Indic and Extended Arabic-Indic digits, and the Arabic decimal and thousands
# separators, read as the ASCII ones.
# Between digits the Arabic comma is a decimal mark ("2،5"); elsewhere it is no digit.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬،", "01234567890123456789.,,")
# Short vowels, shadda, sukun, dagger alif and tatweel belong to the word they are on.
_MARKS = "\u064b-\u065f\u0670\u0640"
# Digits not right after other digits and a separator ("3.5" is one number; "Fig.1" has one).
_TOKEN = re.compile(rf"(?<![0-9])(?<![0-9][.,])[0-9]+(?:[.,][0-9]+)*|(?:[^\W\d_]|[{_MARKS}])+")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3}){2,}")  # 1.500.000, the European way


def _table(*rows: tuple[int, str]) -> dict[str, int]:
    """Words and their values, in the matching form (``tm.normalize``) words are looked up in."""
    table: dict[str, int] = {}
    for value, words in rows:
        for word in normalize(words).split():
            table.setdefault(word, value)
    return table


_SCALES = _table(
    (1000, "ألف ألفا آلاف الاف thousand thousands"),
    (1_000_000, "مليون مليونا ملايين million millions"),
    (1_000_000_000, "مليار مليارات بليون billion billions bn"),
)
# Arabic cardinals a source writes out (the ambiguous ست, lady, and عشر, of 11-19, apart).
_ARABIC_UNITS = _table(
    (2, "اثنان اثنين اثنتان اثنتين"),
    (3, "ثلاث ثلاثة"),
    (4, "أربع أربعة"),
    (5, "خمس خمسة"),
    (6, "ستة"),
    (7, "سبع سبعة"),
    (8, "ثمان ثماني ثمانية"),
    (9, "تسع تسعة"),
    (10, "عشرة"),
)
_ARABIC_TEENS = _table((1, "أحد إحدى"), (2, "اثنا اثنتا اثني اثنتي"))  # before عشر: 11, 12
_TEN = _table((10, "عشر عشرة"))  # after a unit: خمسة عشر
_ONE = _table((1, "واحد واحدة"))  # before its tens only: واحد وعشرون
_ARABIC_TENS = _table(
    (20, "عشرون عشرين"),
    (30, "ثلاثون ثلاثين"),
    (40, "أربعون أربعين"),
    (50, "خمسون خمسين"),
    (60, "ستون ستين"),
    (70, "سبعون سبعين"),
    (80, "ثمانون ثمانين"),
    (90, "تسعون تسعين"),
    (100, "مئة مائة"),
    (200, "مئتان مئتين مائتان مائتين مئتي مائتي"),
    (300, "ثلاثمئة ثلاثمائة"),
    (400, "أربعمئة أربعمائة"),
    (500, "خمسمئة خمسمائة"),
    (600, "ستمئة ستمائة"),
    (700, "سبعمئة سبعمائة"),
    (800, "ثمانمئة ثمانمائة ثمانيمائة"),
    (900, "تسعمئة تسعمائة"),
)
# Duals of the scales: two thousand, two million.
_ARABIC_DUALS = _table(
    (1000, "ألفان ألفين ألفي"), (1_000_000, "مليونان مليونين مليوني"), (10**9, "ملياران مليارين")
)
_ARABIC_SOFT = _table(
    (1, "واحد واحدة أول أولى"),
    (2, "ثاني ثانية"),
    (3, "ثالث ثالثة"),
    (4, "رابع رابعة"),
    (5, "خامس خامسة"),
    (6, "ست سادس سادسة"),
    (7, "سابع سابعة"),
    (8, "ثامن ثامنة"),
    (9, "تاسع تاسعة"),
    (10, "عشر عاشر عاشرة"),
    (11, "حادي حادية"),
    # Duals of the nouns news counts in: two years, days, hours, metres, times ...
    (2, "عامين عامان سنتين سنتان يومين يومان شهرين شهران أسبوعين أسبوعان ساعتين ساعتان"),
    (2, "دقيقتين دقيقتان مترين متران كيلومترين ضعفين ضعفان مرتين مرتان شخصين شخصان"),
)
# Months, as Egypt and the Gulf name them and as the Levant does (the two-word Kanun and
# Tishrin months are left out: one word does not say which).
# The Levant's August, آب, is not in it: folded like the rest it would be أب, a father.
_ARABIC_MONTHS = _table(
    (1, "يناير"),
    (2, "فبراير شباط"),
    (3, "مارس آذار"),
    (4, "أبريل إبريل ابريل نيسان"),
    (5, "مايو أيار"),
    (6, "يونيو يونيه حزيران"),
    (7, "يوليو يوليه تموز"),
    (8, "أغسطس"),
    (9, "سبتمبر أيلول"),
    (10, "أكتوبر"),
    (11, "نوفمبر"),
    (12, "ديسمبر"),
)
_AUGUST = frozenset({"آب", "وآب", "فآب", "بآب", "لآب"})  # as written
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# English months count only capitalised ("may" is a verb), abbreviated too.
_ENGLISH_MONTHS = {name: n for n, name in enumerate(MONTH_NAMES, 1)} | {
    name[:3]: n for n, name in enumerate(MONTH_NAMES, 1)
}
_ENGLISH_MONTHS["Sept"] = 9
_ENGLISH_SOFT = _table(
    (0, "zero none no"),
    (1, "one a an first single once"),
    (2, "two second both twice pair couple double doubled"),
    (3, "three third thrice triple tripled treble"),
    (4, "four fourth quadruple quadrupled"),
    (5, "five fifth"),
    (6, "six sixth"),
    (7, "seven seventh"),
    (8, "eight eighth"),
    (9, "nine ninth"),
    (10, "ten tenth"),
    (11, "eleven eleventh"),
    (12, "twelve twelfth dozen"),
    (13, "thirteen thirteenth"),
    (14, "fourteen fourteenth"),
    (15, "fifteen fifteenth"),
    (16, "sixteen sixteenth"),
    (17, "seventeen seventeenth"),
    (18, "eighteen eighteenth"),
    (19, "nineteen nineteenth"),
    (20, "twenty twentieth"),
    (30, "thirty thirtieth"),
    (40, "forty fortieth"),
    (50, "fifty fiftieth"),
    (60, "sixty sixtieth"),
    (70, "seventy seventieth"),
    (80, "eighty eightieth"),
    (90, "ninety ninetieth"),
    (100, "hundred"),
    (1000, "thousand"),
    (1_000_000, "million"),
    (1_000_000_000, "billion"),
)
# Roman numerals of names and titles: World War II, Pope Leo XIV ("I" is a pronoun).
_ROMAN = dict(
    zip(("II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"), range(2, 11), strict=True)
)
_ENGLISH_HYPHENATED = re.compile(
    r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-"
    r"(one|two|three|four|five|six|seven|eight|nine)\b",
    re.IGNORECASE | re.ASCII,
)


@dataclass(frozen=True)
class Figure:
    """A number as written in a sentence, and every value it may stand for."""

    text: str
    values: frozenset[str]  # what a figure on the other side must stand for to match
    soft: frozenset[str]  # what a number word on the other side may stand for
    code: bool = False  # digits right after a Latin letter: R0, H5N1, ACE2


def canonical(value: Decimal) -> str:
    """A value as plain digits: no exponent, no trailing zeros ("1500000", "3.5")."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _parse(token: str) -> list[tuple[str, frozenset[str]]]:
    """The figures of a token of ASCII digits, each as (text, values): one, or several for
    "20.03.2020" or "1.2.3". "42.000" may be 42 or (written the European way) 42,000."""
    if _THOUSANDS.fullmatch(token):
        return [(token, frozenset({canonical(Decimal(token.replace(",", "")))}))]
    if _DOT_THOUSANDS.fullmatch(token):
        return [(token, frozenset({canonical(Decimal(token.replace(".", "")))}))]
    marks = token.count(".") + token.count(",")
    if marks > 1:
        return [(p, frozenset({canonical(Decimal(p))})) for p in re.split(r"[.,]", token) if p]
    values = {canonical(Decimal(token.replace(",", ".")))}  # "3.5"; "3,5", a decimal comma
    if re.fullmatch(r"\d{1,3}\.\d{3}", token):
        values.add(canonical(Decimal(token.replace(".", ""))))
    return [(token, frozenset(values))]


@functools.lru_cache(maxsize=65_536)
def _arabic(word: str, article: bool) -> tuple[str, ...]:
    """An Arabic word in matching form (``tm.normalize``: no short vowels, one alef ...),
    and what it is without the glossary's proclitics (و, ف, then ب, ل; not ك), those
    that end in the article only with ``article``. At least three letters stay (two after
    the article)."""
    word = normalize(word)
    forms = [word]
    for prefix in PROCLITICS:
        if "ك" in prefix:
            continue  # ka before a number is rare, and كمية would read as ك + مئة
        with_article = prefix.endswith(("ال", "لل"))
        rest = word[len(prefix) :]
        long_enough = len(rest) >= (2 if with_article else 3)
        if word.startswith(prefix) and (article or not with_article) and long_enough:
            forms.append(rest)
    return tuple(forms)


def _lookup(word: str, table: dict[str, int], *, article: bool = False) -> int | None:
    """The value of a word in a table. With the article a number word is an adjective or
    a name ("الأشهر الثلاثة", the trimester; "القرن العشرين", the twentieth century; "يوم
    الاثنين", Monday; "في المئة", per cent), so only soft words are looked up with it."""
    if word.isascii():  # the English scales; no Arabic form to try
        return table.get(word.lower())
    for form in _arabic(word, article):
        if form in table:
            return table[form]
    return None


@functools.lru_cache(maxsize=16)  # figures, soft_values and months read the same text
def _tokens(text: str) -> tuple[tuple[str, int], ...]:
    """Words and numbers (ASCII digits) with where they start; digits are translated one
    character for one, so offsets hold in the original text."""
    return tuple((m.group(), m.start()) for m in _TOKEN.finditer(text.translate(_DIGITS)))


def figures(text: str) -> list[Figure]:
    """The figures of a sentence, in order: digits in any script, with a scale word after
    them ("15 ألف", "1.5 million"), and Arabic numbers written out ("خمسة عشر", "مئة
    وخمسون")."""
    tokens = _tokens(text)
    found: list[Figure] = []

    def written(first: int, count: int) -> str:  # tokens first .. first+count-1, as written
        last, at = tokens[first + count - 1]
        return text[tokens[first][1] : at + len(last)]

    def word(at: int) -> str:
        return tokens[at][0] if at < len(tokens) else ""

    i = 0
    while i < len(tokens):
        token, start = tokens[i]
        if "0" <= token[0] <= "9" and _hijri(word(i + 1)):
            i += 1  # a Hijri day or year: a translation may give the Gregorian date alone
            continue
        if "0" <= token[0] <= "9":
            parsed = _parse(token)
            code = bool(start) and text[start - 1].isascii() and text[start - 1].isalpha()
            # A scale belongs to the figure just before it ("15 ألف"), not to the number
            # of a name ("كوف-2 مليون": SARS-CoV-2, a million) or across punctuation.
            scale = None
            if len(parsed) == 1 and i + 1 < len(tokens) and not _in_name(text, start):
                between = text[start + len(token) : tokens[i + 1][1]]
                if between.isspace() or between.strip() == "+":  # "$300+ billion"
                    scale = _lookup(word(i + 1), _SCALES)
            if scale is not None:
                found.append(_scaled(written(i, 2), parsed[0][1], scale, code))
                i += 2
                continue
            for part, values in parsed:
                found.append(
                    Figure(part if len(parsed) > 1 else written(i, 1), values, values, code)
                )
            i += 1
            continue
        dual, unit, teen, tens = _number_word(token)
        if dual is not None:
            found.append(_scaled(written(i, 1), frozenset({"2"}), dual, False))
            i += 1
            continue
        one = _lookup(token, _ONE)
        if one is not None and _number_word(word(i + 1))[3] and word(i + 1).startswith("و"):
            unit = one  # واحد وعشرون: one only counts before its tens
        if unit is None and teen is None and tens is None:
            i += 1
            continue
        count, number = 1, unit or teen or tens or 0
        if (unit or teen) and number < 10 and _lookup(word(i + 1), _TEN):
            count, number = 2, number + 10  # خمسة عشر, أحد عشر
        elif teen is not None and not unit:
            i += 1  # أحد on its own is "one of", not a number
            continue
        while word(i + count).startswith("و"):  # مئة وخمسون, خمسة وعشرون
            _, more_unit, _, more_tens = _number_word(word(i + count))
            more = more_unit or more_tens
            if not more or (more >= number and more_tens is None):
                break
            count, number = count + 1, number + more
        after = word(i + count)
        scale = _lookup(after, _SCALES)
        if scale is not None:
            found.append(_scaled(written(i, count + 1), frozenset({str(number)}), scale, False))
            i += count + 1
            continue
        if not after.startswith("ال"):  # تسع الطائرة: "(it) holds", not nine
            value = frozenset({str(number)})
            found.append(Figure(written(i, count), value, value, False))
        i += count
    return found


# The Hijri months (their first word) and the era's mark, هـ.
_HIJRI = frozenset(normalize("محرم صفر ربيع جمادى رجب شعبان رمضان شوال ذو ذي هـ").split())


def _hijri(token: str) -> bool:
    """A word that makes the number before it a Hijri date's: a Hijri month, or هـ."""
    return bool(token) and not token.isascii() and _arabic(token, False)[0] in _HIJRI


def _in_name(text: str, start: int) -> bool:
    """Digits right after a letter and a hyphen: the number of a name (COVID-19, كوف-2)."""
    return start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha()


def _scaled(text: str, bare: frozenset[str], scale: int, code: bool) -> Figure:
    """A figure with its scale: it stands for the scaled value only ("15 ألف" is not the
    15 of "15 people"), and a word for its bare value with the scale word."""
    scaled = frozenset(canonical(Decimal(v) * scale) for v in bare)
    return Figure(text, scaled, bare | scaled, code)


@functools.lru_cache(maxsize=65_536)
def _number_word(token: str) -> tuple[int | None, int | None, int | None, int | None]:
    """An Arabic number word's value as a dual, a unit, a teen's first word, or tens."""
    if token.isascii():
        return None, None, None, None
    return (
        _lookup(token, _ARABIC_DUALS),
        _lookup(token, _ARABIC_UNITS),
        _lookup(token, _ARABIC_TEENS),
        _lookup(token, _ARABIC_TENS),
    )


def soft_values(text: str) -> Counter[str]:
    """Words that may stand for a figure without being one: English number words and
    capitalised months, Arabic ordinals, months and the words left out of ``figures``."""
    counted: Counter[str] = Counter()
    for match in _ENGLISH_HYPHENATED.finditer(text):  # twenty-five
        tens, unit = (_ENGLISH_SOFT[part.lower()] for part in match.groups())
        counted[str(tens + unit)] += 1
    tokens = _tokens(_ENGLISH_HYPHENATED.sub(" ", text))
    previous: int | None = None
    for at, (token, _) in enumerate(tokens):
        after_digits = at > 0 and "0" <= tokens[at - 1][0][0] <= "9"
        value = None if after_digits and _lookup(token, _SCALES) else _soft(token)
        if value is not None:  # (the scale of "1 million" is part of that figure)
            counted[str(value)] += 1
            # الحادي والعشرين: the twenty-first
            if previous is not None and token.startswith("و") and value % 10 == 0 < value < 100:
                counted[str(previous % 10 + value)] += 1
        previous = value
    return counted


@functools.lru_cache(maxsize=65_536)
def _soft(token: str) -> int | None:
    if "0" <= token[0] <= "9":
        return None
    if token.isascii():
        value = _ENGLISH_SOFT.get(token.casefold())
        if value is None and token[:1].isupper():
            value = _ENGLISH_MONTHS.get(token)
        if value is None and token.isupper():
            value = _ROMAN.get(token)
        return value
    value = _lookup(token, _ARABIC_SOFT, article=True)
    if value is None:
        value = _month(token)
    if value is None:
        value = _lookup(token, _SCALES, article=True)  # "ألف شخص", a thousand people
    if value is not None:
        return value
    for table in (_ARABIC_UNITS, _ARABIC_TENS):  # with the article only: see _lookup
        if _lookup(token, table) is None:
            value = _lookup(token, table, article=True)
            if value is not None:
                return value
    return None


def months(text: str) -> set[int]:
    """The months a sentence names: Arabic names, capitalised English ones."""
    found = {_month(token) for token, _ in _tokens(text)}
    found.discard(None)
    return cast(set[int], found)


@functools.lru_cache(maxsize=65_536)
def _month(token: str) -> int | None:
    if token.isascii():
        return _ENGLISH_MONTHS.get(token) if token[:1].isupper() else None
    return 8 if token in _AUGUST else _lookup(token, _ARABIC_MONTHS, article=True)


def unmatched(wanted: list[Figure], have: list[Figure]) -> Iterator[Figure]:
    """The figures of ``wanted`` that no figure of ``have`` can stand for (each of
    ``have`` stands for one at most)."""
    free = list(have)
    for figure in wanted:
        match = next((h for h in free if h.values & figure.values), None)
        if match is None:
            yield figure
        else:
            free.remove(match)
