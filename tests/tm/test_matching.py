"""Fuzzy matching on real Arabic-English memories: variants found, noise not, incremental."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import shared_data
from translator.domain import Status
from translator.services import documents, matching, memory, segments
from translator.storage.database import Workspace, open_workspace
from translator.tm import index as index_module
from translator.tm.normalize import normalize

WHO = "أعلنت منظمة الصحة العالمية (WHO) مرض كوفيد-19 جائحة في 11 مارس."
WHO_EN = "The World Health Organization (WHO) declared COVID-19 a pandemic on 11 March."


@pytest.fixture
def tico(workspace: Workspace) -> Workspace:
    memory.import_memory(workspace, shared_data("tmx", "tico19_all.en-ar.tmx"))
    return workspace


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("أحمد إبراهيم آمن", "احمد ابراهيم امن"),
        ("مستشفى على", "مستشفي علي"),
        ("المدينة", "المدينه"),
        ("مسؤول شاطئ", "مسوول شاطي"),
        ("قَالَ الجَيْشُ", "قال الجيش"),
        ("الجيـــــش", "الجيش"),
        ("٣٫٥ و ۱۲", "3.5 و 12"),
        ("قال، ماذا؟ «نعم»!", "قال ماذا نعم"),
        ("Hello, World!", "hello world"),
    ],
)
def test_normalisation_folds_what_is_not_a_difference(variant: str, plain: str) -> None:
    assert normalize(variant) == normalize(plain)


def test_identical_sentence_scores_100(tico: Workspace) -> None:
    [best, *_] = matching.search_memory(tico, WHO)
    assert best.score == 100.0
    assert best.target.startswith("The World Health Organization (WHO) declared COVID-19")
    assert best.origin == "tico19_all.en-ar.tmx"


def test_the_same_text_in_another_unicode_form_scores_100(tico: Workspace) -> None:
    import unicodedata

    marked = "يُعد ذلك أكبر عدد وفيات في يوم واحد بسبب الفيروس."  # as the TICO-19 memory has it
    for form in ("NFC", "NFD"):
        text = unicodedata.normalize(form, marked)
        [best, *_] = matching.search_memory(tico, text)
        assert best.score == 100.0, form


def test_orthographic_variants_score_just_under_100_and_show_the_original(
    tico: Workspace,
) -> None:
    variant = "اعلنت منظمه الصحه العالميه (WHO) مرض كوفيد-19 جائحه في ١١ مارس"
    [best, *_] = matching.search_memory(tico, variant)
    assert best.score == 99.0
    assert best.source == WHO  # the memory's own spelling, not the normalised one


def test_a_changed_word_scores_lower_and_unrelated_text_is_not_offered(tico: Workspace) -> None:
    [best, *_] = matching.search_memory(tico, WHO.replace("11 مارس", "12 أبريل"))
    assert 80 <= best.score < 99
    assert matching.search_memory(tico, "ذهب الولد إلى المدرسة صباحا مع أخيه الصغير.") == []


def test_ordering_is_stable(tico: Workspace) -> None:
    query = "تعلن منظمة الصحة العالمية أن كوفيد-19 جائحة عالمية"
    first = matching.search_memory(tico, query, min_score=50, limit=10)
    assert len(first) >= 2
    assert [m.score for m in first] == sorted((m.score for m in first), reverse=True)
    assert [m.unit_id for m in matching.search_memory(tico, query, min_score=50, limit=10)] == [
        m.unit_id for m in first
    ]


def test_a_confirmed_segment_is_offered_at_once(workspace: Workspace, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("قال د. أحمد إن الجيش انسحب من المدينة.\n", encoding="utf-8")
    doc = documents.import_document(workspace, article)
    assert matching.search_memory(workspace, "قال احمد ان الجيش انسحب من المدينه") == []
    segment = documents.load_document(workspace, doc.id).segments[0]
    segments.update_segment(
        workspace,
        segment.id,
        target="Dr. Ahmed said the army withdrew from the city.",
        status=Status.TRANSLATED,
        expected_version=segment.version,
    )
    [match] = matching.search_memory(workspace, "قال د. أحمد إن الجيش انسحب من المدينة")
    assert match.target == "Dr. Ahmed said the army withdrew from the city."
    assert match.score == 99.0  # the final full stop differs
    assert match.origin == "a, segment 1"


def test_a_memory_serves_in_either_direction(workspace: Workspace) -> None:
    memory.import_memory(workspace, shared_data("tmx", "tico19_all.ar-fr.tmx"))
    [to_french] = matching.search_memory(workspace, WHO, target_lang="fr", limit=1)
    assert to_french.score == 100.0 and to_french.target_lang.startswith("fr")
    memory.import_memory(workspace, shared_data("tmx", "tico19_all.en-ar.tmx"))
    # English to Arabic: the English side is the source now.
    [to_arabic] = matching.search_memory(
        workspace, WHO_EN, source_lang="en", target_lang="ar", min_score=60, limit=1
    )
    assert to_arabic.target == WHO


def test_removed_memory_is_no_longer_offered(workspace: Workspace) -> None:
    report = memory.import_memory(workspace, shared_data("tmx", "tico19_all.en-ar.tmx"))
    assert matching.search_memory(workspace, WHO)
    memory.remove_import(workspace, report.id)
    assert matching.search_memory(workspace, WHO) == []


def test_concordance_finds_a_phrase_on_either_side(tico: Workspace) -> None:
    hits = matching.concordance(tico, "منظمة الصحة العالمية", limit=5)
    assert len(hits) == 5 and all("منظمة الصحة العالمية" in h.source for h in hits)
    english = matching.concordance(tico, "World Health Organization", limit=3)
    assert english and all("World Health Organization" in h.target for h in english)


def test_pretranslate_fills_from_memory_with_a_status_that_asks_for_a_look(
    tico: Workspace, tmp_path: Path
) -> None:
    article = tmp_path / "who.txt"
    article.write_text(WHO + " ذهب الولد إلى المدرسة.\n", encoding="utf-8")
    doc = documents.import_document(tico, article)
    result = matching.pretranslate(tico, doc.id, min_score=100)
    assert (result.filled, result.exact, result.considered) == (1, 1, 2)
    first, second = documents.load_document(tico, doc.id).segments
    assert first.status is Status.PRETRANSLATED and first.target is not None
    assert second.status is Status.NEW and second.target is None


def test_the_index_is_saved_and_reopened_without_a_rebuild(
    tico: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching, "_CACHE_FROM", 100)
    matching.Matcher(tico).index_for("ar")  # builds and saves

    def no_rebuild(*_args: object) -> None:
        raise AssertionError("the index was rebuilt instead of loaded")

    monkeypatch.setattr(index_module.WordIndex, "build", no_rebuild)
    reopened = open_workspace(tico.url)
    try:
        [best, *_] = matching.Matcher(reopened).search(WHO, source_lang="ar", target_lang="en")
        assert best.score == 100.0
    finally:
        reopened.close()


def test_a_saved_index_is_rebuilt_when_units_were_deleted_since(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching, "_CACHE_FROM", 100)
    builds: list[int] = []
    real_build = index_module.WordIndex.build.__func__  # type: ignore[attr-defined]

    def counting_build(cls: type, rows: object) -> object:
        built = real_build(cls, rows)
        builds.append(len(built))
        return built

    monkeypatch.setattr(index_module.WordIndex, "build", classmethod(counting_build))
    report = memory.import_memory(workspace, shared_data("tmx", "tico19_all.en-ar.tmx"))
    assert matching.Matcher(workspace).search(WHO, source_lang="ar", target_lang="en")
    assert matching.Matcher(workspace).search(WHO, source_lang="ar", target_lang="en")
    assert len(builds) == 1  # the second matcher loaded the saved index
    memory.remove_import(workspace, report.id)  # another window, say, removes the memory
    assert matching.Matcher(workspace).search(WHO, source_lang="ar", target_lang="en") == []
    assert builds[1:] == [0]  # the saved index was stale: rebuilt, now empty
