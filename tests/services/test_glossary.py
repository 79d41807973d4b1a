"""The glossary: terms added and imported once, found in segments, checked in translations;
on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import shared_data
from translator.domain import Status
from translator.errors import InputFileError, NotFoundError, TranslatorError
from translator.formats import glossary as glossary_format
from translator.services import documents, glossary, segments
from translator.storage.database import Workspace
from translator.storage.models import GlossaryTermRecord

ARTICLE = (
    "قال متحدث باسم جيش العزة إن هيئة تحرير الشام انسحبت من حلب.\n\n"
    "وأكد أن لجيش العزة مواقع جديدة.\n"
)


def term_count(ws: Workspace) -> int:
    with ws.session() as s:
        return s.scalar(select(func.count()).select_from(GlossaryTermRecord)) or 0


@pytest.fixture
def terms(workspace: Workspace) -> Workspace:
    glossary.add_term(workspace, "ar", "جيش العزة", "en", "Jaysh al-Azza", "armed group")
    glossary.add_term(workspace, "ar", "هيئة تحرير الشام", "en", "Hay'at Tahrir al-Sham")
    glossary.add_term(workspace, "en", "Aleppo", "ar", "حلب")  # the other way round
    return workspace


def test_a_term_is_stored_once_whichever_way_round(terms: Workspace) -> None:
    with pytest.raises(TranslatorError, match=r"already in the glossary \(term 1\)"):
        glossary.add_term(terms, "AR", " جيش  العزة ", "en", "Jaysh al-Azza")
    with pytest.raises(TranslatorError, match="already in the glossary"):
        glossary.add_term(terms, "en", "Jaysh al-Azza", "ar", "جيش العزة")
    # another translation of the same term is a second pair (a synonym)
    glossary.add_term(terms, "ar", "جيش العزة", "en", "Army of Glory")
    assert term_count(terms) == 4


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("", "x", "source term is empty"),
        ("جيش", "   ", "target term is empty"),
        ("ج" * 401, "x", "at most 400"),
    ],
)
def test_a_bad_pair_is_refused_and_nothing_stored(
    workspace: Workspace, source: str, target: str, message: str
) -> None:
    with pytest.raises(TranslatorError, match=message):
        glossary.add_term(workspace, "ar", source, "en", target)
    with pytest.raises(TranslatorError, match="same language"):
        glossary.add_term(workspace, "en-US", "army", "en", "army")
    assert term_count(workspace) == 0


def test_edit_and_remove(terms: Workspace) -> None:
    first = glossary.list_terms(terms)[0]
    changed = glossary.update_term(terms, first.id, target="Jaish al-Izza", note="")
    assert (changed.target, changed.note, changed.changed_by) == ("Jaish al-Izza", None, "tester")
    with pytest.raises(TranslatorError, match="already in the glossary"):
        glossary.update_term(
            terms, first.id, source="هيئة تحرير الشام", target="Hay'at Tahrir al-Sham"
        )
    assert glossary.remove_terms(terms, [first.id]) == 1
    with pytest.raises(NotFoundError):
        glossary.remove_terms(terms, [first.id])
    assert [t.source for t in glossary.list_terms(terms)] == ["هيئة تحرير الشام", "Aleppo"]


def test_list_searches_terms_and_notes(terms: Workspace) -> None:
    assert [t.id for t in glossary.list_terms(terms, search="ARMED")] == [1]
    assert [t.id for t in glossary.list_terms(terms, search="تحرير")] == [2]
    assert len(glossary.list_terms(terms, lang="ar-SY")) == 3
    assert glossary.list_terms(terms, lang="fr") == []


def test_terms_are_found_in_both_directions(terms: Workspace) -> None:
    hits = glossary.find_terms(
        terms, "وأكد أن لجيش العزة مواقع في حلب", source_lang="ar", target_lang="en-US"
    )
    assert [(h.found, h.targets, h.note) for h in hits] == [
        ("لجيش العزة", ("Jaysh al-Azza",), "armed group"),
        ("حلب", ("Aleppo",), None),
    ]
    back = glossary.find_terms(terms, "Fighting in Aleppo.", source_lang="en", target_lang="ar")
    assert [(h.found, h.targets) for h in back] == [("Aleppo", ("حلب",))]


def test_endings_are_taken_off_terms_not_names(terms: Workspace) -> None:
    glossary.add_term(terms, "ar", "حكومة", "en", "government")
    glossary.add_term(terms, "ar", "حكومة", "en", "Cabinet")  # one capital: still a term
    glossary.add_term(terms, "ar", "الباب", "en", "al-Bab")  # a name after its particle
    hits = glossary.find_terms(terms, "قالت حكومته", source_lang="ar", target_lang="en")
    assert [(h.found, set(h.targets)) for h in hits] == [("حكومته", {"government", "Cabinet"})]
    assert glossary.find_terms(terms, "أغلق بابه", source_lang="ar", target_lang="en") == []
    assert glossary.find_terms(terms, "حلبات", source_lang="ar", target_lang="en") == []
    # the translation check, both ways: "حكومته" uses "حكومة"; Aleppo's stays itself
    to_arabic = glossary.term_index(terms, "en", "ar")
    assert to_arabic.missing("The government said", "قالت حكومته") == []
    missed = to_arabic.missing("Shelling in Aleppo", "القصف في حلبات")
    assert [h.targets for h in missed] == [("حلب",)]


def test_a_new_term_is_found_at_once(terms: Workspace) -> None:
    sentence = "انسحبت القوات من إدلب"
    assert glossary.find_terms(terms, sentence, source_lang="ar", target_lang="en") == []
    glossary.add_term(terms, "ar", "إدلب", "en", "Idlib")
    hits = glossary.find_terms(terms, sentence, source_lang="ar", target_lang="en")
    assert [h.targets for h in hits] == [("Idlib",)]


def test_check_lists_confirmed_translations_without_the_glossary_term(
    terms: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    doc = documents.import_document(terms, path)
    first, second = segments.load_segments(terms, doc.id)
    segments.update_segment(
        terms,
        first.id,
        target="A spokesman for Jaish al-Izza said HTS withdrew from Aleppo.",
        status=Status.TRANSLATED,
        expected_version=first.version,
    )
    segments.update_segment(
        terms,
        second.id,
        target="New positions",
        status=Status.DRAFT,
        expected_version=second.version,
    )
    issues = glossary.check_document(terms, doc.id)
    assert [(i.n, i.hit.found, i.hit.targets) for i in issues] == [
        (1, "جيش العزة", ("Jaysh al-Azza",)),
        (1, "هيئة تحرير الشام", ("Hay'at Tahrir al-Sham",)),
    ]
    every = glossary.check_document(terms, doc.name, confirmed_only=False)
    assert [i.n for i in every] == [1, 1, 2]


def test_import_the_tico19_glossaries_then_again(workspace: Workspace) -> None:
    ar_en = shared_data("glossary", "tico19_google_g_ar_en.csv")
    en_ar = shared_data("glossary", "tico19_facebook_f_en-ar_AR.csv")
    first = glossary.import_glossary(workspace, ar_en)
    assert (first.added, first.updated, first.unchanged, first.skipped) == (49, 0, 0, 0)
    assert first.languages == ("ar", "en")
    second = glossary.import_glossary(workspace, en_ar)
    assert second.added + second.unchanged + second.skipped == 306
    assert second.added > 290
    again = glossary.import_glossary(workspace, ar_en)
    assert (again.added, again.unchanged) == (0, 49)
    assert term_count(workspace) == 49 + second.added
    hits = glossary.find_terms(
        workspace, "أعلنت منظمة الصحة العالمية أن الجائحة", source_lang="ar", target_lang="en"
    )
    assert ("الجائحة", "pandemic") in [(h.found, h.targets[0]) for h in hits]
    # the en -> ar glossary serves an ar -> en article too
    hits = glossary.find_terms(workspace, "مرض الإيدز", source_lang="ar", target_lang="en")
    assert "AIDS" in [t for h in hits for t in h.targets]
    stored = glossary.list_terms(workspace, search="pandemic")
    assert stored[0].origin == "tico19_google_g_ar_en.csv"


def test_a_file_that_cannot_be_read_adds_nothing(terms: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tbx"
    bad.write_text(
        '<?xml version="1.0"?>\n<martif type="TBX"><text><body>\n'
        '<termEntry><langSet xml:lang="ar"><tig><term>حلب</term></tig></langSet>\n'
        '<langSet xml:lang="en"><tig><term>Aleppo</term></tig>\n',
        encoding="utf-8",
    )
    before = glossary.list_terms(terms)
    with pytest.raises(InputFileError) as caught:
        glossary.import_glossary(terms, bad)
    assert "bad.tbx" in str(caught.value) and "line" in str(caught.value)
    assert glossary.list_terms(terms) == before


def test_a_file_note_fills_in_a_stored_term(terms: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_text(
        "sourceLang,targetLang,sourceString,targetString,note\n"
        'ar,en,هيئة تحرير الشام,Hay\'at Tahrir al-Sham,"HTS, formerly Jabhat al-Nusra"\n'
        "ar,en,إدلب,Idlib,\n"
        "ar,en,درعا,,\n",
        encoding="utf-8",
    )
    report = glossary.import_glossary(terms, path)
    assert (report.added, report.updated, report.unchanged, report.skipped) == (1, 1, 0, 1)
    assert report.skips[0][0] == 4
    assert glossary.list_terms(terms, search="HTS")[0].note == "HTS, formerly Jabhat al-Nusra"


@pytest.mark.parametrize("suffix", [".tbx", ".csv", ".tsv"])
def test_export_reads_back_the_same_pairs(terms: Workspace, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"glossary{suffix}"
    assert glossary.export_glossary(terms, out) == 3
    read = glossary_format.read_glossary(out, source_lang="ar", target_lang="en")
    pairs = {tuple(concept.terms) for concept in read.concepts}
    # written the way most pairs go (ar -> en), so that OmegaT's format, which names no
    # languages, reads back right too
    assert pairs == {
        (("ar", "جيش العزة"), ("en", "Jaysh al-Azza")),
        (("ar", "هيئة تحرير الشام"), ("en", "Hay'at Tahrir al-Sham")),
        (("ar", "حلب"), ("en", "Aleppo")),
    }
    notes = [concept.note for concept in read.concepts]
    assert notes.count("armed group") == 1


def test_a_term_added_by_another_process_is_found(
    terms: Workspace, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    sentence = "انسحبت القوات من إدلب"
    assert glossary.find_terms(terms, sentence, source_lang="ar", target_lang="en") == []
    added = subprocess.run(
        [sys.executable, "-m", "translator", "--db", db_url, "glossary", "add", "إدلب", "Idlib"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert added.returncode == 0, added.stderr
    monkeypatch.setattr(glossary, "_REFRESH_S", 0.0)  # instead of waiting a second
    hits = glossary.find_terms(terms, sentence, source_lang="ar", target_lang="en")
    assert [h.targets for h in hits] == [("Idlib",)]
    # an edit elsewhere that keeps the count and the highest id is seen too
    edited = subprocess.run(
        [
            sys.executable,
            "-m",
            "translator",
            "--db",
            db_url,
            "glossary",
            "edit",
            "4",
            "--target",
            "Idleb",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert edited.returncode == 0, edited.stderr
    hits = glossary.find_terms(terms, sentence, source_lang="ar", target_lang="en")
    assert [h.targets for h in hits] == [("Idleb",)]


def test_a_three_language_entry_gives_every_pair(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "iate.tbx"  # German first, as IATE exports are
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX"><text><body>\n'
        '<termEntry id="1"><langSet xml:lang="de"><tig><term>Pandemie</term></tig></langSet>\n'
        '<langSet xml:lang="ar"><tig><term>جائحة</term></tig></langSet>\n'
        '<langSet xml:lang="en"><tig><term>pandemic</term></tig></langSet></termEntry>\n'
        "</body></text></martif>\n",
        encoding="utf-8",
    )
    report = glossary.import_glossary(workspace, path)
    assert (report.added, report.languages) == (3, ("de", "ar", "en"))
    hits = glossary.find_terms(workspace, "الجائحة", source_lang="ar", target_lang="en")
    assert [h.targets for h in hits] == [("pandemic",)]


def test_a_pair_is_the_same_pair_in_any_region_and_once_per_file(
    workspace: Workspace, tmp_path: Path
) -> None:
    glossary.add_term(workspace, "ar", "جائحة", "en", "pandemic")
    with pytest.raises(TranslatorError, match="already in the glossary"):
        glossary.add_term(workspace, "en-US", "pandemic", "ar-AR", "جائحة")
    path = tmp_path / "terms.csv"
    path.write_text(
        "sourceLang,targetLang,sourceString,targetString,note\n"
        "en,ar_AR,pandemic,جائحة,\n"
        "ar,en,إدلب,Idlib,\n"
        "ar,en,إدلب,Idlib,a city in Syria\n"
        "Arabic,English,حماة,Hama,\n"
        "ar,en,!!!,-,\n"
        "ar,en,جيش\x07,army,\n",
        encoding="utf-8",
    )
    report = glossary.import_glossary(workspace, path)
    assert (report.added, report.updated, report.unchanged) == (1, 0, 2)
    reasons = dict(report.skips)
    assert "'arabic' is not a language code" in reasons[5]
    assert "has no letters or digits" in reasons[6]
    assert "control character" in reasons[7]
    assert [t.note for t in glossary.list_terms(workspace, search="Idlib")] == ["a city in Syria"]
    assert len(glossary.list_terms(workspace)) == 2
    with pytest.raises(TranslatorError, match="not a language code"):
        glossary.add_term(workspace, "arabic", "حلب", "en", "Aleppo")


def test_export_as_omegat_text_across_regions_and_from_a_chosen_language(
    workspace: Workspace, tmp_path: Path
) -> None:
    glossary.add_term(workspace, "en", "pandemic", "ar-AR", "جائحة")
    glossary.add_term(workspace, "ar", "حلب", "en", "Aleppo")
    glossary.add_term(workspace, "ar-SY", "إدلب", "en-US", "Idlib")
    out = tmp_path / "g.txt"
    assert glossary.export_glossary(workspace, out, source_lang="ar") == 3
    assert out.read_text(encoding="utf-8") == "جائحة\tpandemic\nحلب\tAleppo\nإدلب\tIdlib\n"


def test_the_search_finds_spelling_variants(terms: Workspace) -> None:
    assert [t.target for t in glossary.list_terms(terms, search="هيئه")] == [
        "Hay'at Tahrir al-Sham"
    ]
    assert [t.target for t in glossary.list_terms(terms, search="JAYSH")] == ["Jaysh al-Azza"]
