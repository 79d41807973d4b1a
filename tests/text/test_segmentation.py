"""Sentence segmentation: the issue's cases, rule files, and recall on real parallel text."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import shared_data
from translator.errors import InputFileError
from translator.text.segmentation import Segmenter, split_sentences

RULES = Path(__file__).resolve().parents[2] / "translator" / "text" / "rules"
TATOEBA = "tatoeba-test-v2021-08-07.ara-eng"
FINAL = re.compile(r"[.!?؟…۔⸮][\"'”’»)\]\u200e\u200f\u202c]*$")


def _sentences(text: str, lang: str) -> list[str]:
    return Segmenter.for_language(lang).split(text)


# --- the cases ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "paragraph", "expected"),
    [
        ("en", "It rained. We stayed in.", ["It rained.", "We stayed in."]),
        ("en", "Really? Yes! Wait... Go.", ["Really?", "Yes!", "Wait...", "Go."]),
        ("en", 'He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
        ("en", "(It was late.) We left.", ["(It was late.)", "We left."]),
        ("en", "It ended. 2024 was hard.", ["It ended.", "2024 was hard."]),
        ("en", 'It ended. "Why?" he asked.', ["It ended.", '"Why?" he asked.']),
        ("ar", "هل انتهت الحرب؟ لا أحد يعرف.", ["هل انتهت الحرب؟", "لا أحد يعرف."]),
        ("ar", "انسحب الجيش. ثم عاد.", ["انسحب الجيش.", "ثم عاد."]),
        ("ar", "يا للهول! ماذا حدث؟", ["يا للهول!", "ماذا حدث؟"]),
        ("ar", "انتظرنا… ثم وصلوا.", ["انتظرنا…", "ثم وصلوا."]),
        ("ar", "انتظرنا... ثم وصلوا.", ["انتظرنا...", "ثم وصلوا."]),
        ("ar", "کیا ہوا۔ پھر", ["کیا ہوا۔", "پھر"]),
        ("ar", "قال: «انتهى.» ثم غادر.", ["قال: «انتهى.»", "ثم غادر."]),
        ("ar", "سأل: «لماذا؟» وسكت.", ["سأل: «لماذا؟»", "وسكت."]),
        ("ar", "قال: “كفى؟” ثم خرج.", ["قال: “كفى؟”", "ثم خرج."]),
        ("ar", "هتفوا (عاش الوطن!) ثم تفرقوا.", ["هتفوا (عاش الوطن!)", "ثم تفرقوا."]),
        ("ar", 'قال "انتهى!" ثم خرج.', ['قال "انتهى!"', "ثم خرج."]),
        (
            "ar",
            "وقعت الحادثة في البلد. ثم تفرق الناس.",
            ["وقعت الحادثة في البلد.", "ثم تفرق الناس."],
        ),
        ("ar", "سقط ٣ قتلى. ٥ جرحى نقلوا.", ["سقط ٣ قتلى.", "٥ جرحى نقلوا."]),
        ("ar", "قالها بصوت عالٍ.\u200f ثم سكت.", ["قالها بصوت عالٍ.\u200f", "ثم سكت."]),
    ],
)
def test_breaks_after_sentence_final_punctuation(
    lang: str, paragraph: str, expected: list[str]
) -> None:
    assert _sentences(paragraph, lang) == expected


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("ar", "زار الوفد دمشق، بيروت، وعمان، ثم عاد."),
        ("ar", "هناك خياران؛ الأول صعب؛ والثاني أصعب."),
        ("ar", "قال الوزير: الوضع مستقر."),
        ("en", "He said: this is it; we go."),
        ("en", "Growth was 3.5 percent, or 1,000.50 dollars."),
        ("ar", "بلغ النمو ٣٫٥ في المئة و3.5 في العام الماضي."),
        ("en", "The meeting on 12.05.2024 starts at 3.30 in room 2."),
        ("en", "See https://example.com/a.b?x=1 for details."),
        ("ar", "راجع https://example.com/a.b?x=1 للتفاصيل."),
        ("en", "Write to a.b@c.org about it."),
        ("en", "It has no space.Before the next word."),
        ("ar", "قال د. أحمد إن الجيش انسحب من المدينة."),
        ("ar", "استقبل أ.د. محمد الوفد."),
        ("ar", "ولد عام 1950 م. في القاهرة."),
        ("ar", "توفي سنة 505 هـ. في بغداد."),
        ("ar", "بني في القرن الثالث ق.م. على التل."),
        ("ar", "كتبه أ. سامي و م. خالد."),
        ("ar", "انظر ج. ٢ ص. ١٥ من الكتاب."),
        ("ar", "اتصل ت. 0123 أو ص.ب. 55 في عمان."),
        ("ar", "وقّع البيان ع. الحسن (د. سمير) ثم نشر."),
        ("ar", "قال ... إن الأمر انتهى."),
        ("en", "Dr. Smith met Mr. Jones and Mrs. Brown."),
        ("en", "Prof. Lee, Gen. Smith and Sen. Warren spoke."),
        ("en", "John F. Kennedy was elected."),
        ("en", "He read J. R. R. Tolkien."),
        ("en", "The U.S. Secretary of State and the U.N. Security Council met."),
        ("en", "The U.K. government said so."),
        ("en", "Apples, pears, etc. are fruit."),
        ("en", "Acme Inc. said no."),
        ("en", "See No. 5 and Vol. 3 on p. 12 or pp. 10-12."),
        ("en", "It starts Jan. 5 at 9 a.m. sharp."),
        ("en", "Fruit, e.g. apples, i.e. the red ones, vs. pears."),
        ("en", '"Wow!" she said.'),
        ("en", "He paused ... and went on."),
    ],
)
def test_does_not_break_inside_a_sentence(lang: str, sentence: str) -> None:
    assert _sentences(sentence, lang) == [sentence]


@pytest.mark.parametrize(
    ("lang", "paragraph", "expected"),
    [
        (
            "en",
            "Dr. Smith arrived. He left at 3.30 p.m. today.",
            ["Dr. Smith arrived.", "He left at 3.30 p.m. today."],
        ),
        (
            "ar",
            "قال د. أحمد إن الجيش انسحب. وأضاف: «لن نعود»!",
            ["قال د. أحمد إن الجيش انسحب.", "وأضاف: «لن نعود»!"],
        ),
        ("en", "We met at 5 p.m. Then it rained.", ["We met at 5 p.m.", "Then it rained."]),
        (
            "en",
            "They sell fruit etc. The shop is big.",
            ["They sell fruit etc.", "The shop is big."],
        ),
        ("en", "He works at Acme Inc. It is big.", ["He works at Acme Inc.", "It is big."]),
        (
            "en",
            "She lived in the U.S. Maybe she still does.",
            ["She lived in the U.S.", "Maybe she still does."],
        ),
        (
            "en",
            "It is rich in vitamin C. The pond is deep.",
            ["It is rich in vitamin C.", "The pond is deep."],
        ),
        ("en", "Did he? No. I asked.", ["Did he?", "No.", "I asked."]),
        (
            "ar",
            "تأسست الجمهورية سنة 1923 م. أعلى الصوت.",
            ["تأسست الجمهورية سنة 1923 م.", "أعلى الصوت."],
        ),
        ("ar", "هذا ما قاله الطبيب د. ثم مضى.", ["هذا ما قاله الطبيب د. ثم مضى."]),
    ],
)
def test_abbreviations_against_sentence_ends(
    lang: str, paragraph: str, expected: list[str]
) -> None:
    assert _sentences(paragraph, lang) == expected


@pytest.mark.parametrize("lang", ["ar", "ar-SA", "AR", "ar_EG", " ar "])
def test_language_tags_select_the_arabic_rules(lang: str) -> None:
    assert split_sentences("قال د. أحمد إن الجيش انسحب.", lang) == ["قال د. أحمد إن الجيش انسحب."]


def test_unknown_language_uses_the_default_rules() -> None:
    # No French rules: "M. Dupont" is split, but the sentence-final punctuation still works.
    assert split_sentences("Il pleut. Quoi? Oui!", "fr-FR") == ["Il pleut.", "Quoi?", "Oui!"]
    assert split_sentences("قال د. أحمد", "xx") == ["قال د.", "أحمد"]


def test_segmenters_are_cached_per_language() -> None:
    assert Segmenter.for_language("ar") is Segmenter.for_language("ar-SA")
    assert Segmenter.for_language("ar") is not Segmenter.for_language("en")


def test_whitespace_and_empty_paragraphs() -> None:
    seg = Segmenter.for_language("en")
    assert seg.split("") == []
    assert seg.split("   \n ") == []
    assert seg.split("  One.\tTwo.\n\nThree  ") == ["One.", "Two.", "Three"]
    assert seg.split("No final stop") == ["No final stop"]


# --- rule files ---------------------------------------------------------------------------


def _write(tmp_path: Path, data: object | str, name: str = "rules.json") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def test_extra_rule_file_adds_an_abbreviation(tmp_path: Path) -> None:
    text = "اشترى خبزا وحليبا إلخ. ثم عاد."
    assert Segmenter.for_language("ar").split(text) == ["اشترى خبزا وحليبا إلخ.", "ثم عاد."]
    extra = _write(tmp_path, {"abbreviations": [{"words": ["إلخ."]}]})
    assert Segmenter.for_language("ar", [extra]).split(text) == [text]
    assert Segmenter.for_language("ar", [str(extra)]).split(text) == [text]


def test_extra_break_rule_overrides_a_builtin_abbreviation(tmp_path: Path) -> None:
    text = "Call the Dr. He knows."
    assert Segmenter.for_language("en").split(text) == [text]
    rule = {"break": True, "before": r"\bDr\.", "after": r"\s+He\b"}
    extra = _write(tmp_path, {"rules": [rule]})
    assert Segmenter.for_language("en", [extra]).split(text) == ["Call the Dr.", "He knows."]


def test_edited_extra_rule_file_is_read_again(tmp_path: Path) -> None:
    text = "See Abc. Def. Ghi."
    extra = _write(tmp_path, {"abbreviations": [{"words": ["Abc."]}]})
    assert Segmenter.for_language("en", [extra]).split(text) == ["See Abc. Def.", "Ghi."]
    extra = _write(tmp_path, {"abbreviations": [{"words": ["Abc.", "Def."]}]})
    os.utime(extra, ns=(1, 1))  # a different modification time even on coarse clocks
    assert Segmenter.for_language("en", [extra]).split(text) == [text]


def test_from_file_uses_only_that_file(tmp_path: Path) -> None:
    path = _write(tmp_path, {"rules": [{"break": True, "before": ";", "after": r"\s"}]})
    assert Segmenter.from_file(path).split("a; b. c") == ["a;", "b. c"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"rules": [', "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ({"rules": [{"break": True, "before": "([a-z", "after": ""}]}, "bad regular expression"),
        ({"rules": [{"break": True, "before": "a", "after": "(?<=a+)"}]}, "bad regular expression"),
        ({"rules": [{"break": "yes", "before": "a"}]}, '"break" must be true or false'),
        ({"rules": [{"brake": True, "before": "a"}]}, "unknown key 'brake'"),
        ({"rules": [{"break": True}]}, '"before" or an "after"'),
        ({"rules": [{"break": False, "before": "(?i)dr\\."}]}, "do not combine"),
        ({"abbreviations": [{"words": ["Dr"]}]}, "not an abbreviation"),
        ({"abbreviations": [{"words": "Dr."}]}, '"words" must be a list'),
        ({"abbreviations": [{"words": []}]}, '"words" is empty'),
    ],
)
def test_broken_rule_file_is_a_clear_error(tmp_path: Path, content: object, message: str) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(InputFileError, match=re.escape(message)) as caught:
        Segmenter.from_file(path)
    assert str(path) in str(caught.value)
    with pytest.raises(InputFileError, match=re.escape(message)):
        Segmenter.for_language("ar", [path])


def test_broken_rule_file_names_the_place(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"rules": [\n  {"break": true,, "before": "a"}\n]}')
    with pytest.raises(InputFileError) as caught:
        Segmenter.from_file(path)
    assert caught.value.line == 2
    bad = {"rules": [{"break": True, "before": "a"}, {"break": True, "before": "(b"}]}
    with pytest.raises(InputFileError, match=r"rules\[1\]\.before"):
        Segmenter.from_file(_write(tmp_path, bad))


@pytest.mark.parametrize("make", ["missing", "directory", "latin1"])
def test_unreadable_rule_file_is_a_clear_error(tmp_path: Path, make: str) -> None:
    path = tmp_path / "rules.json"
    if make == "directory":
        path.mkdir()
    elif make == "latin1":
        path.write_bytes('{"abbreviations": [{"words": ["Gen\xe8."]}]}'.encode("latin-1"))
    with pytest.raises(InputFileError, match="rule file") as caught:
        Segmenter.for_language("en", [path])
    assert caught.value.path == str(path)


def test_builtin_rule_files_load() -> None:
    for path in sorted(RULES.glob("*.json")):
        assert Segmenter.from_file(path).rules, path.name


# --- real text: Tatoeba and TICO-19, one sentence a line ------------------------------------


CORPORA = {
    "tatoeba-ar": ("ar", f"{TATOEBA}.ara"),
    "tatoeba-en": ("en", f"{TATOEBA}.eng"),
    "tico19-ar": ("ar", "tico19_wikinews.ar"),
    "tico19-en": ("en", "tico19_wikinews.en"),
}


def _lines(name: str) -> list[str]:
    return shared_data("parallel", CORPORA[name][1]).read_text(encoding="utf-8").splitlines()


def _sentence_lines(name: str) -> tuple[list[str], Counter[str]]:
    """The lines that are whole sentences, and how many others were left out, by reason.

    Dialect lines of Tatoeba stay in: they are segmented as well as the MSA ones.
    """
    lang = CORPORA[name][0]
    kept, excluded = [], Counter[str]()
    for line in map(str.strip, _lines(name)):
        if not FINAL.search(line):
            excluded["no sentence-final punctuation (headlines, chat)"] += 1
        elif lang == "en" and line[0].islower():
            # Nothing tells "etc. people" from "end. people": English rules need the capital.
            excluded["starts in lowercase"] += 1
        else:
            kept.append(line)
    return kept, excluded


def _paragraphs(lines: list[str], size: int = 5) -> Iterator[tuple[str, set[int]]]:
    """Paragraphs of ``size`` lines joined by spaces, with the offsets where lines meet."""
    for first in range(0, len(lines), size):
        group = lines[first : first + size]
        boundaries, offset = set(), 0
        for line in group[:-1]:
            offset += len(line)
            boundaries.add(offset)
            offset += 1
        yield " ".join(group), boundaries


def _break_offsets(paragraph: str, sentences: list[str]) -> list[int]:
    """Where each sentence ends in ``paragraph``; fails if sentences do not tile it."""
    offsets, position = [], 0
    for sentence in sentences:
        start = paragraph.find(sentence, position)
        assert start >= 0 and not paragraph[position:start].strip(), (paragraph, sentence)
        position = start + len(sentence)
        offsets.append(position)
    assert not paragraph[position:].strip()
    return offsets[:-1]


def _never_break_words(lang: str) -> set[str]:
    data = json.loads((RULES / f"{lang}.json").read_text(encoding="utf-8"))
    return {
        w for group in data.get("abbreviations", []) if "after" not in group for w in group["words"]
    }


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_real_text_every_sentence_end_is_found(name: str) -> None:
    lang = CORPORA[name][0]
    lines, excluded = _sentence_lines(name)
    assert len(lines) > 0.9 * (len(lines) + excluded.total()), excluded
    segmenter = Segmenter.for_language(lang)
    abbreviations = _never_break_words(lang)
    missed, wrong, total = [], [], 0
    for paragraph, boundaries in _paragraphs(lines):
        found = _break_offsets(paragraph, segmenter.split(paragraph))
        total += len(boundaries)
        missed += [paragraph[max(0, b - 40) : b + 30] for b in sorted(boundaries - set(found))]
        for offset in found:
            before = paragraph[:offset]
            last_word = before.split()[-1].lstrip("(«\"“'")
            if not FINAL.search(before) or last_word in abbreviations:
                wrong.append(paragraph[max(0, offset - 40) : offset + 30])
    assert not missed, f"{len(missed)} of {total} sentence ends missed, e.g. {missed[:10]}"
    assert not wrong, f"{len(wrong)} breaks inside a sentence, e.g. {wrong[:10]}"


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_real_text_keeps_every_character(name: str) -> None:
    """All lines, unfiltered: splitting never drops, adds or reorders text."""
    segmenter = Segmenter.for_language(CORPORA[name][0])
    for paragraph, _ in _paragraphs(_lines(name), size=7):
        sentences = segmenter.split(paragraph)
        assert all(s and s == s.strip() for s in sentences)
        assert " ".join(sentences).split() == paragraph.split()
