"""Importing, listing, showing, exporting and editing documents on both database backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import shared_data
from translator.domain import Status
from translator.errors import (
    ConflictError,
    InputFileError,
    NotFoundError,
    OperationCancelled,
    TranslatorError,
)
from translator.services import documents, segments
from translator.storage.database import Workspace, open_workspace
from translator.storage.models import (
    DocumentRecord,
    ParagraphRecord,
    SegmentHistoryRecord,
    SegmentRecord,
)

ARTICLE = (
    "قال د. أحمد إن الجيش انسحب من المدينة. وأضاف: «لن نعود»!\n"
    "\n"
    "هل انتهت الحرب؟ لا أحد يعرف.\n"
    "بلغت نسبة التضخم 3.5 في المئة، حسب https://example.com/a.html اليوم.\n"
)


def row_counts(ws: Workspace) -> tuple[int, ...]:
    with ws.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(model)) or 0
            for model in (DocumentRecord, ParagraphRecord, SegmentRecord, SegmentHistoryRecord)
        )


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_import_splits_sentences_and_keeps_paragraphs(workspace: Workspace, article: Path) -> None:
    summary = documents.import_document(workspace, article)
    assert summary.name == "article"
    assert (summary.source_lang, summary.target_lang) == ("ar", "en")
    doc = documents.load_document(workspace, summary.id)
    assert [(s.n, s.paragraph, s.source) for s in doc.segments] == [
        (1, 1, "قال د. أحمد إن الجيش انسحب من المدينة."),
        (2, 1, "وأضاف: «لن نعود»!"),
        (3, 2, "هل انتهت الحرب؟"),
        (4, 2, "لا أحد يعرف."),
        (5, 3, "بلغت نسبة التضخم 3.5 في المئة، حسب https://example.com/a.html اليوم."),
    ]
    assert all(s.status is Status.NEW and s.target is None for s in doc.segments)
    assert doc.blank_lines_before == (0, 1, 0)
    assert summary.segments == 5 and summary.translated == 0 and summary.words > 20


def test_export_rebuilds_the_paragraphs_and_counts_untranslated(
    workspace: Workspace, article: Path, tmp_path: Path
) -> None:
    summary = documents.import_document(workspace, article)
    doc = documents.load_document(workspace, summary.id)
    first, second = doc.segments[0], doc.segments[1]
    segments.update_segment(
        workspace,
        first.id,
        target="Dr. Ahmed said the army left the city.",
        status=Status.TRANSLATED,
        expected_version=first.version,
    )
    segments.update_segment(
        workspace,
        second.id,
        target='He added: "We will not return"!',
        status=Status.DRAFT,
        expected_version=second.version,
    )
    out = tmp_path / "out.txt"
    result = documents.export_document(workspace, summary.id, out)
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[0] == 'Dr. Ahmed said the army left the city. He added: "We will not return"!'
    assert lines[1] == ""  # the blank line between the first two paragraphs is kept
    assert lines[2] == "هل انتهت الحرب؟ لا أحد يعرف."  # untranslated: the source stands in
    assert len([line for line in lines if line]) == 3
    assert result.untranslated == 3


def test_import_of_real_news_article_round_trips_through_export(
    workspace: Workspace, tmp_path: Path
) -> None:
    lines = shared_data("parallel", "tico19_wikinews.ar").read_text(encoding="utf-8").splitlines()
    article = tmp_path / "wikinews.txt"
    article.write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    summary = documents.import_document(workspace, article)
    assert summary.segments >= 40
    result = documents.export_document(workspace, summary.id, None)
    assert result.text.split("\n")[:40] == [" ".join(line.split()) for line in lines[:40]]


def test_languages_follow_the_options(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "en.txt"
    path.write_text("Dr. Smith arrived. He left at 3.30 p.m. today.\n", encoding="utf-8")
    summary = documents.import_document(workspace, path, source_lang="EN-us", target_lang="AR")
    assert (summary.source_lang, summary.target_lang) == ("en-US", "ar")
    doc = documents.load_document(workspace, summary.id)
    assert [s.source for s in doc.segments] == ["Dr. Smith arrived.", "He left at 3.30 p.m. today."]


def test_find_document_by_id_or_name(workspace: Workspace, article: Path) -> None:
    summary = documents.import_document(workspace, article, name="2024")
    assert documents.find_document(workspace, str(summary.id)).name == "2024"
    assert documents.find_document(workspace, "2024").id == summary.id
    with pytest.raises(NotFoundError, match="no document 'missing'"):
        documents.find_document(workspace, "missing")


def test_same_file_twice_gets_a_new_name_but_an_explicit_clash_is_refused(
    workspace: Workspace, article: Path
) -> None:
    first = documents.import_document(workspace, article)
    second = documents.import_document(workspace, article)
    assert (first.name, second.name) == ("article", "article (2)")
    before = row_counts(workspace)
    with pytest.raises(TranslatorError, match="already exists"):
        documents.import_document(workspace, article, name="article")
    assert row_counts(workspace) == before


def test_cancelled_import_leaves_no_trace(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("هذه جملة عربية طويلة بعض الشيء. " * 12_000 + "\n", encoding="utf-8")
    before = row_counts(workspace)
    calls = []

    def cancel_after_first_batch(done: int, total: int) -> None:
        calls.append(done)
        if done >= 5_000:
            raise OperationCancelled("cancelled")

    with pytest.raises(OperationCancelled):
        documents.import_document(workspace, path, progress=cancel_after_first_batch)
    assert max(calls) >= 5_000  # rows had been written when it was cancelled
    assert row_counts(workspace) == before


def test_unreadable_file_changes_nothing(workspace: Workspace, tmp_path: Path) -> None:
    before = row_counts(workspace)
    with pytest.raises(InputFileError, match=r"nothing\.txt"):
        documents.import_document(workspace, tmp_path / "nothing.txt")
    assert row_counts(workspace) == before


def test_a_huge_sentence_without_punctuation_is_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "dump.txt"
    path.write_text("مقدمة قصيرة.\n\n" + "كلمة " * 10_000 + "\n", encoding="utf-8")
    before = row_counts(workspace)
    with pytest.raises(InputFileError, match=r"dump\.txt: line 3: a sentence of 49,999 characters"):
        documents.import_document(workspace, path)
    assert row_counts(workspace) == before


def test_confirm_records_history_and_bumps_the_version(workspace: Workspace, article: Path) -> None:
    summary = documents.import_document(workspace, article)
    seg = documents.load_document(workspace, summary.id).segments[2]
    draft = segments.update_segment(
        workspace, seg.id, target="Is the war", status=Status.DRAFT, expected_version=seg.version
    )
    done = segments.update_segment(
        workspace,
        seg.id,
        target="Is the war over?",
        status=Status.TRANSLATED,
        expected_version=draft.version,
        author="layla",
        action="confirm",
    )
    assert (draft.version, done.version) == (seg.version + 1, seg.version + 2)
    assert done.author == "layla" and done.status is Status.TRANSLATED
    history = segments.segment_history(workspace, seg.id)
    assert [(h.target, h.status, h.author, h.action) for h in history] == [
        ("Is the war", Status.DRAFT, "tester", "edit"),
        ("Is the war over?", Status.TRANSLATED, "layla", "confirm"),
    ]
    assert documents.find_document(workspace, summary.id).translated == 1


def test_two_windows_on_one_segment_never_overwrite_each_other(db_url: str, article: Path) -> None:
    window_a, window_b = open_workspace(db_url), open_workspace(db_url)
    try:
        summary = documents.import_document(window_a, article)
        seg = documents.load_document(window_b, summary.id).segments[0]
        segments.update_segment(
            window_a,
            seg.id,
            target="A's translation",
            status=Status.TRANSLATED,
            expected_version=seg.version,
            author="amal",
        )
        with pytest.raises(ConflictError, match="changed by amal"):
            segments.update_segment(
                window_b,
                seg.id,
                target="B's translation",
                status=Status.TRANSLATED,
                expected_version=seg.version,
                author="badr",
            )
        assert segments.get_segment(window_b, seg.id).target == "A's translation"
    finally:
        window_a.close()
        window_b.close()


def test_delete_removes_the_document_and_all_its_rows(workspace: Workspace, article: Path) -> None:
    keep = documents.import_document(workspace, article, name="keep")
    gone = documents.import_document(workspace, article, name="gone")
    seg = documents.load_document(workspace, gone.id).segments[0]
    segments.update_segment(
        workspace, seg.id, target="x", status=Status.DRAFT, expected_version=seg.version
    )
    documents.delete_document(workspace, "gone")
    assert [d.name for d in documents.list_documents(workspace)] == ["keep"]
    assert row_counts(workspace) == (1, 3, keep.segments, 0)


def test_the_same_source_and_target_language_is_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "article.txt"
    path.write_text("قال د. أحمد إن الجيش انسحب.\n", encoding="utf-8")
    with pytest.raises(TranslatorError, match="source and target languages are the same"):
        documents.import_document(workspace, path, source_lang="en", target_lang="en-GB")
    assert documents.list_documents(workspace) == []
