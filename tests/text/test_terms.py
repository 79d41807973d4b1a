"""Finding glossary terms in sentences as a reader of Arabic or English would."""

from __future__ import annotations

import pytest

from translator.text.terms import TermFinder, contains, is_name

TERMS = {
    "جيش العزة": "Jaysh al-Azza",
    "هيئة تحرير الشام": "Hay'at Tahrir al-Sham",
    "الجيش": "army",
    "تجارب سريرية": "clinical trials",
    "جائحة": "pandemic",
    "حلب": "Aleppo",
    "دمشق": "Damascus",
    "حزب الله": "Hezbollah",
    "مجلس الأمن": "Security Council",
    "المال": "money",
    "علي": "Ali",
    "مسؤول": "official",
    "حماس": "Hamas",
    "قوة": "force",
    "حكومة": "government",
    "شرط": "condition",
    "فتح": "Fatah",
    "لبن": "milk",
    "زيت": "oil",
    "الرقة": "Raqqa",
    "الموصل": "Mosul",
}
# A term the glossary translates with a capital is a name (as TermIndex decides).
FINDER = TermFinder(TERMS, [term for term, translation in TERMS.items() if is_name(translation)])


def found(sentence: str) -> list[tuple[str, object]]:
    return [(sentence[hit.start : hit.end], TERMS[hit.terms[0]]) for hit in FINDER.find(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # clitics: and, with, for/to, as, the, and-the, for-the
        ("قال وجيش العزة إن", [("وجيش العزة", "Jaysh al-Azza")]),
        ("هاجم لجيش العزة", [("لجيش العزة", "Jaysh al-Azza")]),
        (
            "والجيش بالجيش للجيش كالجيش",
            [("والجيش", "army"), ("بالجيش", "army"), ("للجيش", "army"), ("كالجيش", "army")],
        ),
        # the article of a term stands without it in a construct, and with it in an adjective
        ("أجريت التجارب السريرية", [("التجارب السريرية", "clinical trials")]),
        ("في ظل الجائحة", [("الجائحة", "pandemic")]),
        # diacritics, tatweel and letter shapes do not hide a term
        ("هيئةُ تحريرِ الشـام", [("هيئةُ تحريرِ الشـام", "Hay'at Tahrir al-Sham")]),
        ("هيئه تحرير الشام", [("هيئه تحرير الشام", "Hay'at Tahrir al-Sham")]),
        # the longest term wins where terms overlap; a later one is still found
        ("جيش العزة في حلب", [("جيش العزة", "Jaysh al-Azza"), ("حلب", "Aleppo")]),
        ("وفي حلب.", [("حلب", "Aleppo")]),
        ("وحلب", [("وحلب", "Aleppo")]),  # wa on a single word
        ("في بدمشق", [("بدمشق", "Damascus")]),  # bi on a long enough word
        ("قال مسئول", [("مسئول", "official")]),  # the other hamza seat
        ("ذكرت مسؤولة", []),  # the feminine ending is not taken off
        # plural and possessive endings come off a term that is not a name
        ("جيشه قوي", [("جيشه", "army")]),
        ("قال مسؤولون", [("مسؤولون", "official")]),
        ("أحد المسؤولين", [("المسؤولين", "official")]),
        ("انسحبت قوات النظام", [("قوات", "force")]),  # "ات" for "ة"
        ("مع القوات", [("القوات", "force")]),
        ("قالت حكومته", [("حكومته", "government")]),  # "ت" before the pronoun
        ("وحكومتها وجيشهم", [("وحكومتها", "government"), ("وجيشهم", "army")]),
        ("#حلب_تحترق", [("حلب", "Aleppo")]),  # a hashtag's words
        ("في حل\u200cب", [("حل\u200cب", "Aleppo")]),  # a joiner inside the word
        ("مقاتلو حزب الله", [("حزب الله", "Hezbollah")]),
        # a name keeps its article, whatever comes before it
        ("في الرقة وبالرقة", [("الرقة", "Raqqa"), ("وبالرقة", "Raqqa")]),
        ("للرقة والموصل", [("للرقة", "Raqqa"), ("والموصل", "Mosul")]),
    ],
)
def test_terms_are_found_with_arabic_clitics_and_spellings(
    sentence: str, expected: list[tuple[str, str]]
) -> None:
    assert found(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "المعارك بحلب",  # bi is not taken off a short single word, even a name ...
        "طالبت بفتح المعابر",  # ... as it is far more often "opening" than "Fatah"
        "حلبات السباق",  # a name takes no ending
        "تحدث بكل رقة",  # nor loses its article: "tenderness", not Raqqa ...
        "النحاس موصل جيد",  # ... "a conductor", not Mosul
        "قال مسؤولان",  # nor the dual ending, which ends too many other words ...
        "زار لبنان",  # ... "Lebanon" is not "milk" + "ان"
        "زراعة الزيتون",  # a plural ending leaves four letters: olives are not oil
        "قال عليه",  # "on him", not "Ali" with "his"
        "تدخلت الشرطة",  # "ة" is not "his": the police, not "a condition"
        "لجيشه",  # li and an ending leave a short word: as "لجيش" alone, too weak
        "العزة وحدها",  # half a term
        "حلبة السباق",  # a longer word that begins like the term
        "تجارب",  # the first word of a two-word term only
        "قال إن الحزب له مقاعد",  # "الله" without its article is too short to be "له"
        "قال كمال",  # a name, not ka + "مال" (money, not a name in the glossary)
        "هذا فعلي",  # not fa + "علي", though "Ali" is a name
        "فحلب",  # fa does not come off a short name either
        "اجتمع المجلس. الأمن مستتب",  # a term does not run over a full stop
        "مجلس، الأمن",  # ... nor a comma
        "مجلس والأمن",  # a conjunction inside a term is another phrase
    ],
)
def test_what_is_not_a_term_is_not_found(sentence: str) -> None:
    assert found(sentence) == []


def test_english_terms_with_case_and_plural() -> None:
    finder = TermFinder(["clinical trial", "WHO", "US", "Hama", "new", "Security Council"])
    sentence = "Two Clinical Trials were approved by the WHO and the US in HAMA."
    hits = finder.find(sentence)
    assert [sentence[h.start : h.end] for h in hits] == ["Clinical Trials", "WHO", "US", "HAMA"]
    for other in ("Tell us who", "Hamas fighters", "the news", "on security. Council members"):
        assert finder.find(other) == [], other


def test_a_term_with_punctuation_in_it_is_found_with_it() -> None:
    name = "Institute of Epidemiology, Disease Control and Research"
    text = "Bangladesh's Institute of Epidemiology, Disease Control and Research (IEDCR) said"
    assert contains(text, name)
    assert not contains("the Institute of Epidemiology. Disease Control and Research", name)
    assert contains("قال معهد علم الأوبئة، ومكافحة الأمراض", "معهد علم الأوبئة، ومكافحة الأمراض")


def test_contains_checks_a_translation_uses_a_term() -> None:
    assert contains("Fighters of Jaysh al-Azza said", "Jaysh al-Azza")
    assert not contains("Fighters of Jaish al-Izza said", "Jaysh al-Azza")
    assert contains("وقالت منظمة الصحة العالمية", "منظمة الصحة العالمية")
    assert contains("ولمنظمة الصحة العالمية", "منظمة الصحة العالمية")
    # an ending is taken off a term, not a name
    assert contains("قالت حكومته", "حكومة")
    assert not contains("قالت حكومته", "حكومة", name=True)
    assert not contains("هذا كمال", "مال")


def test_a_name_is_written_with_a_capital() -> None:
    assert is_name("Aleppo") and is_name("Hay'at Tahrir al-Sham") and is_name("WHO")
    assert is_name("al-Bab") and is_name("ash-Sham") and is_name("bin Laden")
    assert not is_name("al-") and not is_name("ibn")
    assert not is_name("army") and not is_name("حلب") and not is_name("") and not is_name("19")
