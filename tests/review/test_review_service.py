"""Reviewing a document: references attached once, scores stored with who and when, reports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import shared_data
from tests.review.conftest import degrade, parallel, sacrebleu_json, write_lines
from translator import cli
from translator.domain import Status
from translator.errors import NotFoundError, TranslatorError
from translator.review.alignment import MisalignedReferenceError
from translator.services import documents, review, segments
from translator.storage.database import Workspace


@pytest.fixture
def article(tmp_path: Path) -> Path:
    """The Arabic TICO-19 article, one paragraph per line: 88 segments."""
    path = tmp_path / "covid.txt"
    path.write_text("\n\n".join(parallel("tico19_wikinews.ar")) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def doc(workspace: Workspace, article: Path) -> int:
    """The article translated: a degraded English translation, every segment translated."""
    document_id = documents.import_document(workspace, article).id
    drafts = degrade(parallel("tico19_wikinews.en"), 7)
    for seg in segments.load_segments(workspace, document_id):
        segments.update_segment(
            workspace,
            seg.id,
            target=drafts[seg.n - 1],
            status=Status.TRANSLATED,
            expected_version=seg.version,
        )
    return document_id


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    return write_lines(tmp_path / "published.en", parallel("tico19_wikinews.en"))


def test_document_scores_equal_the_command_on_its_translation(
    workspace: Workspace, doc: int, reference: Path, tmp_path: Path
) -> None:
    review.attach_reference(workspace, doc, reference, name="AP")
    result = review.score_document(workspace, doc)
    hyp = write_lines(tmp_path / "hyp.en", degrade(parallel("tico19_wikinews.en"), 7))
    expected = sacrebleu_json(reference, hyp)
    assert result.against == "reference:AP"
    assert len(result.scores.segments) == 88
    for metric in result.scores.metrics:
        assert f"{metric.score:.4f}" == f"{expected[metric.name]['score']:.4f}"
        assert metric.signature == expected[metric.name]["signature"]
    assert any("only 88 segments" in w for w in result.scores.warnings)


def test_scores_are_stored_with_who_and_when_and_compare_across_revisions(
    workspace: Workspace, doc: int, reference: Path
) -> None:
    review.attach_reference(workspace, doc, reference)
    first = review.score_document(workspace, doc, metrics=["bleu", "chrf"])
    # The reviewer fixes the first ten segments; the second scoring must be better.
    fixes = parallel("tico19_wikinews.en")
    for seg in segments.load_segments(workspace, doc)[:10]:
        segments.update_segment(
            workspace,
            seg.id,
            target=fixes[seg.n - 1],
            status=Status.REVIEWED,
            expected_version=seg.version,
        )
    second = review.score_document(workspace, doc, metrics=["bleu", "chrf"])
    history = review.list_scores(workspace, doc)
    assert [(h.metric, h.scored_by, h.segments) for h in history] == [
        ("bleu", "tester", 88),
        ("chrf", "tester", 88),
    ] * 2
    bleus = [h.score for h in history if h.metric == "bleu"]
    assert bleus == pytest.approx([first.scores.metrics[0].score, second.scores.metrics[0].score])
    assert bleus[1] > bleus[0]
    assert history[0].signature.startswith("nrefs:1|case:mixed|eff:no|tok:13a")
    assert history[0].scored_at <= history[2].scored_at


def test_untranslated_segments_count_as_empty_and_are_flagged(
    workspace: Workspace, article: Path, reference: Path
) -> None:
    document_id = documents.import_document(workspace, article).id
    seg = segments.load_segments(workspace, document_id)[0]
    segments.update_segment(
        workspace,
        seg.id,
        target="Bangladesh reports five new deaths",
        status=Status.TRANSLATED,
        expected_version=seg.version,
    )
    review.attach_reference(workspace, document_id, reference)
    result = review.score_document(workspace, document_id)
    assert [s.n for s in result.scores.segments if "empty hypothesis" in s.flags] == list(
        range(2, 89)
    )
    assert any("87 empty hypothesis segment(s)" in w for w in result.scores.warnings)


def test_an_untranslated_document_is_not_scored(
    workspace: Workspace, article: Path, reference: Path
) -> None:
    document_id = documents.import_document(workspace, article).id
    review.attach_reference(workspace, document_id, reference)
    with pytest.raises(TranslatorError, match="every hypothesis segment is empty"):
        review.score_document(workspace, document_id)
    assert review.list_scores(workspace, document_id) == []


def test_a_reference_with_a_missing_line_is_refused_saying_where(
    workspace: Workspace, doc: int, tmp_path: Path
) -> None:
    lines = parallel("tico19_wikinews.en")
    del lines[30]
    short = write_lines(tmp_path / "short.en", lines)
    with pytest.raises(MisalignedReferenceError, match=r"88 segments but the reference 87 lines"):
        review.attach_reference(workspace, doc, short)
    with pytest.raises(MisalignedReferenceError) as caught:
        review.attach_reference(workspace, doc, short)
    gap = caught.value.report.gaps[0]
    assert 31 in gap.segments or 31 in gap.lines
    assert review.list_references(workspace, doc) == []
    with pytest.raises(NotFoundError, match="no reference translation"):
        review.score_document(workspace, doc)


def test_a_missing_last_line_is_named_as_such_once_the_segments_are_translated(
    workspace: Workspace, doc: int, tmp_path: Path
) -> None:
    """A reviewer's report: the error pointed at segments 17-18 when line 20 was missing."""
    lines = parallel("tico19_wikinews.en")
    for seg, draft in zip(segments.load_segments(workspace, doc), degrade(lines, 7), strict=True):
        segments.update_segment(
            workspace, seg.id, target=draft, status=Status.TRANSLATED, expected_version=seg.version
        )
    for missing in (87, 41, 0):
        short = write_lines(tmp_path / "short.en", lines[:missing] + lines[missing + 1 :])
        with pytest.raises(MisalignedReferenceError) as caught:
            review.attach_reference(workspace, doc, short)
        gap = caught.value.report.gaps[0]
        assert (gap.segments, gap.lines) == ((missing + 1,), ())
        assert f"first divergence at segment {missing + 1} / no line" in str(caught.value)


def test_every_missing_line_and_every_joined_pair_is_named_exactly() -> None:
    """The alignment with translations, over a line of the article in three in turn (every
    line takes 26 s)."""
    from translator.review.alignment import check_alignment

    sources, lines = parallel("tico19_wikinews.ar"), parallel("tico19_wikinews.en")
    for targets in (degrade(lines, 7), lines):
        for k in [*range(0, len(lines), 3), len(lines) - 1]:
            report = check_alignment(sources, lines[:k] + lines[k + 1 :], targets=targets)
            assert (report.gaps[0].segments, report.gaps[0].lines) == ((k + 1,), ()), k
            if k + 1 < len(lines):
                joined = [*lines[:k], lines[k] + " " + lines[k + 1], *lines[k + 2 :]]
                report = check_alignment(sources, joined, targets=targets)
                assert (report.gaps[0].segments, report.gaps[0].lines) == ((k + 1, k + 2), (k + 1,))


def test_correct_references_are_seldom_called_shifted() -> None:
    """Equal counts are scored with a warning when the lines look shifted; on correctly
    aligned TICO-19 text that warning must stay rare (a reviewer found it tripled once)."""
    import csv

    from translator.review.alignment import shift_warning

    with shared_data("parallel", "tico19_ar-en.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    warned = 0
    for start in range(0, 34 * 88, 88):
        window = rows[start : start + 88]
        warned += shift_warning([r["ar"] for r in window], [r["en"] for r in window]) is not None
    assert warned <= 1
    # A line really dropped and another added further on is still seen.
    window = rows[:88]
    shifted = [r["en"] for r in window[:20]] + [r["en"] for r in window[21:60]]
    shifted += ["An extra line that the reference added."] + [r["en"] for r in window[60:]]
    assert shift_warning([r["ar"] for r in window], shifted) is not None


def test_a_published_text_is_segmented_and_checked_paragraph_by_paragraph(
    workspace: Workspace, doc: int, tmp_path: Path
) -> None:
    lines = parallel("tico19_wikinews.en")
    text = tmp_path / "published.txt"
    text.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    attached = review.attach_reference(workspace, doc, text, published=True)
    assert attached.kind == "published"
    assert attached.lines == tuple(lines)
    # Paragraphs run together are fine, as long as the sentences line up.
    joined = [*lines[:4], lines[4] + " " + lines[5], *lines[6:]]
    text.write_text("\n\n".join(joined) + "\n", encoding="utf-8")
    assert review.attach_reference(workspace, doc, text, published=True).lines == tuple(lines)
    # The published paragraph 5 says in two sentences what segment 5 says in one.
    longer = [*lines[:4], lines[4] + " The ministry confirmed it later.", *lines[5:]]
    text.write_text("\n\n".join(longer) + "\n", encoding="utf-8")
    with pytest.raises(MisalignedReferenceError, match="segment 5 / lines 5-6: paragraph 5"):
        review.attach_reference(workspace, doc, text, published=True, name="other")
    assert [r.name for r in review.list_references(workspace, doc)] == ["published"]


def test_a_reference_no_longer_aligned_after_a_split_is_not_scored(
    workspace: Workspace, doc: int, reference: Path
) -> None:
    review.attach_reference(workspace, doc, reference)
    seg = segments.load_segments(workspace, doc)[2]
    segments.split_segment(workspace, seg.id, len(seg.source) // 2, expected_version=seg.version)
    with pytest.raises(MisalignedReferenceError, match="89 segments but the reference 88"):
        review.score_document(workspace, doc)


def test_draft_against_reviewed_text_measures_post_editing(
    workspace: Workspace, doc: int, tmp_path: Path
) -> None:
    final = parallel("tico19_wikinews.en")
    drafts = degrade(final, 7)
    segs = segments.load_segments(workspace, doc)
    for seg in segs[:50]:  # reviewed: the reviewer restores the real translation
        segments.update_segment(
            workspace,
            seg.id,
            target=final[seg.n - 1],
            status=Status.REVIEWED,
            expected_version=seg.version,
        )
    result = review.score_document(workspace, doc, against="draft")
    assert result.against == "draft"
    assert [s.n for s in result.scores.segments] == list(range(1, 51))
    assert result.excluded[0] == (51, "not reviewed yet") and len(result.excluded) == 38
    hyp = write_lines(tmp_path / "draft.en", drafts[:50])
    ref = write_lines(tmp_path / "final.en", final[:50])
    expected = sacrebleu_json(ref, hyp)
    ter = result.scores.metric("ter")
    assert ter is not None and f"{ter.score:.4f}" == f"{expected['TER']['score']:.4f}"


def test_draft_scoring_without_any_review_is_refused(workspace: Workspace, doc: int) -> None:
    with pytest.raises(TranslatorError, match="no segment has both a translator's draft"):
        review.score_document(workspace, doc, against="draft")


def test_report_shows_the_numbers_that_were_computed(
    workspace: Workspace, doc: int, reference: Path, tmp_path: Path
) -> None:
    review.attach_reference(workspace, doc, reference)
    review.score_document(workspace, doc)
    result = review.score_document(workspace, doc)
    html_path, csv_path, json_path = review.write_report(workspace, result, tmp_path / "r.html")
    page = lxml.html.parse(str(html_path)).getroot()
    assert not page.xpath("//script") and not page.xpath("//*[@src]")
    for metric in result.scores.metrics:
        row = page.xpath(f'//table[@id="corpus-scores"]//tr[@data-metric="{metric.metric}"]')[0]
        assert row.xpath('string(td[@class="num score"])') == f"{metric.score:.1f}"
        assert metric.signature in row.text_content()
    bins = page.xpath('//svg[@id="chrf-histogram"]//*[@class="bin"]')
    counts = [int(b.get("data-count")) for b in bins]
    assert len(counts) == 10 and sum(counts) == 88
    chrfs = [s.chrf for s in result.scores.segments if s.chrf is not None]
    assert counts[0] == sum(1 for c in chrfs if c < 10)
    assert len(page.xpath('//svg[@id="score-history"]//*[@class="point"]')) == 6
    worst = page.xpath('//table[@id="worst-segments"]//tr[@data-segment]')
    assert len(worst) == 20
    lowest = min(result.scores.segments, key=lambda s: (s.chrf, s.n))
    assert worst[0].get("data-segment") == str(lowest.n)
    assert worst[0].xpath('string(td[contains(@class, "chrf")])') == f"{lowest.chrf:.1f}"
    with open(csv_path, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 88 and rows[lowest.n - 1]["chrf"] == f"{lowest.chrf:.1f}"
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["scores"]["bleu"]["score"] == result.scores.metrics[0].score
    assert len(data["segments"]) == 88


def test_cli_scores_a_document_and_writes_the_report(
    db_url: str, article: Path, reference: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--db", db_url, "import", str(article)]) == 0
    capsys.readouterr()
    assert cli.main(["--db", db_url, "score", "covid", "--ref", str(reference), "--json"]) == 1
    assert "every hypothesis segment is empty" in capsys.readouterr().err
    report = tmp_path / "out" / "report.html"
    report.parent.mkdir()
    assert cli.main(["--db", db_url, "score", "covid", "--against", "draft"]) == 1
    assert "no segment has both" in capsys.readouterr().err
    code = cli.main(["--db", db_url, "score", "covid", "--metrics", "ter", "--report", str(report)])
    assert code == 1  # still nothing translated
    assert not report.exists()


def test_cancelled_scoring_stores_nothing(workspace: Workspace, doc: int, reference: Path) -> None:
    from translator.errors import OperationCancelled

    review.attach_reference(workspace, doc, reference)
    seen: list[tuple[int, int]] = []

    def cancel_halfway(done: int, total: int) -> None:
        seen.append((done, total))
        if done > total // 2:
            raise OperationCancelled("cancelled")

    with pytest.raises(OperationCancelled):
        review.score_document(workspace, doc, progress=cancel_halfway)
    assert seen[0] == (0, 3 * 88)
    assert review.list_scores(workspace, doc) == []
