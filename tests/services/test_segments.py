"""The editor's segment services: load, split, merge, find, replace, undo, next unconfirmed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import shared_data
from translator.domain import FindHit, Segment, Status
from translator.errors import ConflictError, NotFoundError, TranslatorError
from translator.services import documents, segments
from translator.storage.database import Workspace, open_workspace
from translator.storage.models import (
    SegmentHistoryRecord,
)

ARTICLE = (
    "قال د. أحمد إن الجيش انسحب من المدينة. وأضاف: «لن نعود»!\n"
    "\n"
    "هل انتهت الحرب؟ لا أحد يعرف.\n"
    "بلغت نسبة التضخم 3.5 في المئة اليوم.\n"
)
TARGETS = {
    1: ("Dr. Ahmed said the army left the city.", Status.TRANSLATED),
    2: ('He added: "We will not return"!', Status.REVIEWED),
    3: ("Is the War over?", Status.DRAFT),
    4: ("Nobody knows; the war goes on.", Status.APPROVED),
}


def snapshot(ws: Workspace, document_id: int) -> list[tuple[object, ...]]:
    """What a user sees of a document: every segment's number, paragraph and texts."""
    return [
        (s.id, s.n, s.paragraph, s.source, s.target, s.status)
        for s in segments.load_segments(ws, document_id)
    ]


def history_count(ws: Workspace) -> int:
    with ws.session() as session:
        return session.scalar(select(func.count()).select_from(SegmentHistoryRecord)) or 0


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def doc(workspace: Workspace, article: Path) -> int:
    """The article imported, with segments 1-4 translated (statuses as in TARGETS)."""
    document_id = documents.import_document(workspace, article).id
    for seg in segments.load_segments(workspace, document_id):
        if seg.n in TARGETS:
            target, status = TARGETS[seg.n]
            segments.update_segment(
                workspace, seg.id, target=target, status=status, expected_version=seg.version
            )
    return document_id


def nth(ws: Workspace, document_id: int, n: int) -> Segment:
    return segments.load_segments(ws, document_id)[n - 1]


# -- loading ---------------------------------------------------------------------------------


def test_load_segments_of_a_real_article_equals_the_orm_view(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "wikinews.txt"
    lines = shared_data("parallel", "tico19_wikinews.ar").read_text(encoding="utf-8").splitlines()
    path.write_text("\n\n".join(lines[:30]) + "\n", encoding="utf-8")
    document_id = documents.import_document(workspace, path).id
    first = segments.load_segments(workspace, document_id)[0]
    segments.update_segment(
        workspace, first.id, target="Covid", status=Status.DRAFT, expected_version=first.version
    )

    loaded = segments.load_segments(workspace, document_id)

    assert len(loaded) >= 30
    assert [s.n for s in loaded] == list(range(1, len(loaded) + 1))
    assert loaded[-1].paragraph == 30
    assert loaded == list(documents.load_document(workspace, document_id).segments)
    # The ORM path (one segment at a time) agrees on every field, dates included.
    assert loaded == [segments.get_segment(workspace, s.id) for s in loaded]
    assert loaded[0].target == "Covid" and loaded[0].updated_at is not None


def test_load_segments_of_a_missing_document_is_refused(workspace: Workspace) -> None:
    with pytest.raises(NotFoundError, match="document 999"):
        segments.load_segments(workspace, 999)


# -- splitting and merging -------------------------------------------------------------------


def test_split_then_merge_restores_the_document(workspace: Workspace, doc: int) -> None:
    original = snapshot(workspace, doc)
    seg = nth(workspace, doc, 1)
    at = seg.source.index(" إن ")

    first, second = segments.split_segment(workspace, seg.id, at, expected_version=seg.version)

    assert (first.id, first.n, first.source) == (seg.id, 1, "قال د. أحمد")
    assert (second.n, second.source) == (2, "إن الجيش انسحب من المدينة.")
    assert first.target == seg.target and first.status is Status.DRAFT  # was translated
    assert second.target is None and second.status is Status.NEW
    assert first.paragraph == second.paragraph == 1
    after = snapshot(workspace, doc)
    assert [row[1] for row in after] == list(range(1, len(original) + 2))
    assert [row[0] for row in after[2:]] == [row[0] for row in original[1:]]  # moved down
    assert [h.action for h in segments.segment_history(workspace, seg.id)][-1] == "split"
    assert [h.action for h in segments.segment_history(workspace, second.id)] == ["split"]

    result = segments.merge_segments(
        workspace, first.id, expected_versions=(first.version, second.version), restore=seg
    )

    assert snapshot(workspace, doc) == original
    assert result.merged.source == seg.source and result.merged.status is Status.TRANSLATED

    # Redo of the split brings the second part back under the same id.
    again = segments.split_segment(
        workspace, seg.id, at, expected_version=result.merged.version, second_id=second.id
    )
    assert again[1].id == second.id and snapshot(workspace, doc) == after


def test_merge_then_unmerge_restores_the_document(workspace: Workspace, doc: int) -> None:
    original = snapshot(workspace, doc)
    one, two = nth(workspace, doc, 1), nth(workspace, doc, 2)

    result = segments.merge_segments(
        workspace, one.id, expected_versions=(one.version, two.version)
    )

    merged = result.merged
    assert merged.source == "قال د. أحمد إن الجيش انسحب من المدينة. وأضاف: «لن نعود»!"
    assert merged.target == 'Dr. Ahmed said the army left the city. He added: "We will not return"!'
    assert merged.status is Status.TRANSLATED  # the lower of translated and reviewed
    assert result.split_at == len(one.source)
    after = snapshot(workspace, doc)
    assert [row[1] for row in after] == list(range(1, len(original)))
    assert [row[0] for row in after] == [one.id] + [row[0] for row in original[2:]]
    history = segments.segment_history(workspace, one.id)
    assert [(h.target, h.action) for h in history[-2:]] == [
        (two.target, "edit"),  # the second segment's history lives on in the merged one
        (merged.target, "merge"),
    ]
    with pytest.raises(NotFoundError):
        segments.get_segment(workspace, two.id)

    first, second = segments.unmerge_segments(workspace, result)

    assert snapshot(workspace, doc) == original
    assert (first.id, second.id) == (one.id, two.id)
    assert [h.action for h in segments.segment_history(workspace, two.id)] == ["edit", "undo"]
    assert [h.action for h in segments.segment_history(workspace, one.id)][-2:] == [
        "merge",
        "undo",
    ]


def test_merge_lowers_the_status_when_half_was_unconfirmed(workspace: Workspace, doc: int) -> None:
    three, four = nth(workspace, doc, 3), nth(workspace, doc, 4)  # draft + approved
    merged = segments.merge_segments(
        workspace, three.id, expected_versions=(three.version, four.version)
    ).merged
    assert merged.status is Status.DRAFT
    assert merged.target == "Is the War over? Nobody knows; the war goes on."


def test_merging_two_untranslated_segments_leaves_no_target(
    workspace: Workspace, article: Path
) -> None:
    document_id = documents.import_document(workspace, article).id
    one, two = nth(workspace, document_id, 1), nth(workspace, document_id, 2)
    merged = segments.merge_segments(
        workspace, one.id, expected_versions=(one.version, two.version)
    ).merged
    assert merged.target is None and merged.status is Status.NEW


def test_merge_joins_without_spaces_in_languages_written_without_them(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "en.txt"
    path.write_text("The army left. Nobody knows why.\n", encoding="utf-8")
    document_id = documents.import_document(workspace, path, source_lang="en", target_lang="ja").id
    one, two = segments.load_segments(workspace, document_id)
    one = segments.update_segment(
        workspace, one.id, target="軍は撤退した。", status=Status.DRAFT, expected_version=1
    )
    two = segments.update_segment(
        workspace, two.id, target="理由は誰も知らない。", status=Status.DRAFT, expected_version=1
    )
    merged = segments.merge_segments(
        workspace, one.id, expected_versions=(one.version, two.version)
    ).merged
    assert merged.source == "The army left. Nobody knows why."
    assert merged.target == "軍は撤退した。理由は誰も知らない。"


@pytest.mark.parametrize("at", [0, -1, "end", "past the end"])
def test_split_refuses_an_empty_part(workspace: Workspace, doc: int, at: int | str) -> None:
    seg = nth(workspace, doc, 2)
    offset = {"end": len(seg.source), "past the end": len(seg.source) + 5}.get(at, at)
    assert isinstance(offset, int)
    before, rows = snapshot(workspace, doc), history_count(workspace)
    with pytest.raises(TranslatorError, match=r"segment 2 cannot be split.*both parts must keep"):
        segments.split_segment(workspace, seg.id, offset, expected_version=seg.version)
    assert snapshot(workspace, doc) == before and history_count(workspace) == rows


def test_merge_refuses_across_paragraphs_and_after_the_last(workspace: Workspace, doc: int) -> None:
    before, rows = snapshot(workspace, doc), history_count(workspace)
    two, three = nth(workspace, doc, 2), nth(workspace, doc, 3)
    with pytest.raises(TranslatorError, match="segments 2 and 3 are in different paragraphs"):
        segments.merge_segments(workspace, two.id, expected_versions=(two.version, three.version))
    last = nth(workspace, doc, 5)
    with pytest.raises(TranslatorError, match="segment 5 is the last of the document"):
        segments.merge_segments(workspace, last.id, expected_versions=(last.version, 1))
    assert snapshot(workspace, doc) == before and history_count(workspace) == rows


def test_positions_stay_contiguous_through_many_splits_and_merges(
    workspace: Workspace, doc: int
) -> None:
    original = snapshot(workspace, doc)
    for _ in range(3):  # split every segment of the first paragraph again and again
        for seg in [s for s in segments.load_segments(workspace, doc) if s.paragraph == 1]:
            if " " in seg.source:
                segments.split_segment(
                    workspace, seg.id, seg.source.index(" "), expected_version=seg.version
                )
    loaded = segments.load_segments(workspace, doc)
    assert [s.n for s in loaded] == list(range(1, len(loaded) + 1))
    # Each pass peels the first word off every segment of the paragraph: 2 -> 4 -> 6 -> 7.
    assert len(loaded) == len(original) + 5
    assert " ".join(s.source for s in loaded if s.paragraph == 1) == " ".join(
        row[3]
        for row in original[:2]  # type: ignore[misc]
    )
    while len(first_paragraph := [s for s in loaded if s.paragraph == 1]) > 1:
        a, b = first_paragraph[0], first_paragraph[1]
        segments.merge_segments(workspace, a.id, expected_versions=(a.version, b.version))
        loaded = segments.load_segments(workspace, doc)
        assert [s.n for s in loaded] == list(range(1, len(loaded) + 1))
    assert loaded[0].source == original[0][3] + " " + original[1][3]
    assert [row[1:4] for row in snapshot(workspace, doc)[1:]] == [
        (n - 1, p, source) for _, n, p, source, *_ in original[2:]
    ]


def test_split_and_merge_of_a_stale_segment_change_nothing(db_url: str, article: Path) -> None:
    mine, theirs = open_workspace(db_url), open_workspace(db_url)
    try:
        document_id = documents.import_document(mine, article).id
        one, two = nth(mine, document_id, 1), nth(mine, document_id, 2)
        segments.update_segment(
            theirs, two.id, target="theirs", status=Status.DRAFT, expected_version=1, author="amal"
        )
        before, rows = snapshot(mine, document_id), history_count(mine)
        with pytest.raises(ConflictError, match="segment 2 was changed by amal"):
            segments.split_segment(mine, two.id, 3, expected_version=two.version)
        with pytest.raises(ConflictError, match="segment 2 was changed by amal"):
            segments.merge_segments(mine, one.id, expected_versions=(one.version, two.version))
        assert snapshot(mine, document_id) == before and history_count(mine) == rows
    finally:
        mine.close()
        theirs.close()


def test_undo_of_a_merge_after_another_edit_is_refused(workspace: Workspace, doc: int) -> None:
    one, two = nth(workspace, doc, 1), nth(workspace, doc, 2)
    result = segments.merge_segments(
        workspace, one.id, expected_versions=(one.version, two.version)
    )
    segments.update_segment(
        workspace,
        one.id,
        target="edited",
        status=Status.DRAFT,
        expected_version=result.merged.version,
        author="badr",
    )
    before = snapshot(workspace, doc)
    with pytest.raises(ConflictError, match="segment 1 was changed by badr"):
        segments.unmerge_segments(workspace, result)
    assert snapshot(workspace, doc) == before


# -- find and replace ------------------------------------------------------------------------


def hits_text(ws: Workspace, document_id: int, hits: list[FindHit]) -> list[str]:
    by_id = {s.id: s for s in segments.load_segments(ws, document_id)}
    out = []
    for hit in hits:
        text = getattr(by_id[hit.segment_id], hit.field)
        out.append(f"{hit.n}:{hit.field}:{text[hit.start : hit.end]}")
    return out


def test_find_in_arabic_source_and_english_target(workspace: Workspace, doc: int) -> None:
    hits = segments.find_segments(workspace, doc, "الحرب")
    assert hits_text(workspace, doc, hits) == ["3:source:الحرب"]

    hits = segments.find_segments(workspace, doc, "war")
    assert hits_text(workspace, doc, hits) == ["3:target:War", "4:target:war"]

    hits = segments.find_segments(workspace, doc, "war", case_sensitive=True)
    assert hits_text(workspace, doc, hits) == ["4:target:war"]


def test_find_in_source_or_target_only(workspace: Workspace, doc: int) -> None:
    # "د." is in the Arabic source of segment 1, "Dr." in its target.
    assert hits_text(
        workspace, doc, segments.find_segments(workspace, doc, "Dr.", in_source=False)
    ) == ["1:target:Dr."]
    assert segments.find_segments(workspace, doc, "Dr.", in_target=False) == []
    assert hits_text(
        workspace, doc, segments.find_segments(workspace, doc, "د.", in_target=False)
    ) == ["1:source:د."]


def test_find_with_a_regular_expression(workspace: Workspace, doc: int) -> None:
    plain = segments.find_segments(workspace, doc, "3.5")
    assert hits_text(workspace, doc, plain) == ["5:source:3.5"]
    assert segments.find_segments(workspace, doc, r"\d\.\d") == []  # literal without regex
    hits = segments.find_segments(workspace, doc, r"\b[Ww]\w+\b", regex=True, in_source=False)
    assert hits_text(workspace, doc, hits) == [
        "2:target:We",
        "2:target:will",
        "3:target:War",
        "4:target:war",
    ]
    with pytest.raises(TranslatorError, match=r"'\(war' is not a valid regular expression"):
        segments.find_segments(workspace, doc, "(war", regex=True)
    with pytest.raises(TranslatorError, match="nothing to find"):
        segments.find_segments(workspace, doc, "")


def test_replace_with_regex_groups_and_undo(workspace: Workspace, doc: int) -> None:
    before_doc, before_rows = snapshot(workspace, doc), history_count(workspace)

    pairs = segments.replace_in_targets(workspace, doc, r"(\w+) (over|on)\b", r"\2 \1", regex=True)

    assert [(b.n, b.target, a.target) for b, a in pairs] == [
        (3, "Is the War over?", "Is the over War?"),
        (4, "Nobody knows; the war goes on.", "Nobody knows; the war on goes."),
    ]
    assert all(a.status is b.status and a.version == b.version + 1 for b, a in pairs)
    assert history_count(workspace) == before_rows + 2
    assert segments.segment_history(workspace, pairs[0][0].id)[-1].action == "replace"

    restored = segments.restore_segments(workspace, [a for _, a in pairs], [b for b, _ in pairs])

    assert [s.target for s in restored] == ["Is the War over?", "Nobody knows; the war goes on."]
    assert snapshot(workspace, doc) == before_doc
    assert segments.segment_history(workspace, pairs[0][0].id)[-1].action == "undo"


def test_replace_without_regex_is_literal_and_case_aware(workspace: Workspace, doc: int) -> None:
    pairs = segments.replace_in_targets(workspace, doc, "war", r"\1 conflict")
    assert [a.target for _, a in pairs] == [
        r"Is the \1 conflict over?",
        r"Nobody knows; the \1 conflict goes on.",
    ]
    pairs = segments.replace_in_targets(workspace, doc, "Is", "Was", case_sensitive=True)
    assert [a.target for _, a in pairs] == [r"Was the \1 conflict over?"]


def test_replace_touches_only_the_chosen_segments_and_never_the_source(
    workspace: Workspace, doc: int
) -> None:
    three, four = nth(workspace, doc, 3), nth(workspace, doc, 4)
    pairs = segments.replace_in_targets(workspace, doc, "the", "THE", segment_ids=[four.id])
    assert [(b.id, a.target) for b, a in pairs] == [(four.id, "Nobody knows; THE war goes on.")]
    assert nth(workspace, doc, 3) == three
    assert segments.replace_in_targets(workspace, doc, "الحرب", "war") == []
    with pytest.raises(TranslatorError, match="not a valid replacement"):
        segments.replace_in_targets(workspace, doc, "(the)", r"\2", regex=True)


def test_undo_of_a_replace_after_another_edit_changes_nothing(
    workspace: Workspace, doc: int
) -> None:
    pairs = segments.replace_in_targets(workspace, doc, "war", "conflict")
    four_after = pairs[1][1]
    segments.update_segment(
        workspace,
        four_after.id,
        target="someone else's words",
        status=Status.DRAFT,
        expected_version=four_after.version,
        author="badr",
    )
    before = snapshot(workspace, doc)
    with pytest.raises(ConflictError, match="segment 4 was changed by badr"):
        segments.restore_segments(workspace, [a for _, a in pairs], [b for b, _ in pairs])
    assert snapshot(workspace, doc) == before  # segment 3 was not restored either


# -- next unconfirmed ------------------------------------------------------------------------


def make(n: int, status: Status) -> Segment:
    return Segment(n, 1, n, 1, f"source {n}", None, status, 1)


def next_n(doc: list[Segment], after_n: int) -> int | None:
    found = segments.next_unconfirmed(doc, after_n)
    return None if found is None else found.n


def test_next_unconfirmed_goes_forward_and_wraps_around() -> None:
    doc = [
        make(1, Status.DRAFT),
        make(2, Status.TRANSLATED),
        make(3, Status.NEW),
        make(4, Status.APPROVED),
    ]
    assert [next_n(doc, after) for after in (0, 1, 2, 3, 4)] == [1, 3, 3, 1, 1]
    # The current segment comes last: only when it is the one unconfirmed segment left.
    assert next_n([make(1, Status.REVIEWED), make(2, Status.DRAFT)], 2) == 2
    assert next_n([make(1, Status.APPROVED), make(2, Status.TRANSLATED)], 1) is None
