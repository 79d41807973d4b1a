"""Scoring plain files: the figures must be the sacrebleu command's, to the last printed digit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.review.conftest import degrade, parallel, sacrebleu_cli, sacrebleu_json, write_lines
from translator.errors import InputFileError, TranslatorError
from translator.review.scoring import (
    EMPTY_HYPOTHESIS,
    bleu_tokenizer,
    score_files,
    score_lines,
    worst_first,
)


@pytest.fixture
def english(tmp_path: Path) -> tuple[Path, Path]:
    """88 news sentences (TICO-19 Wikinews) and a degraded translation of them."""
    ref = parallel("tico19_wikinews.en")
    return write_lines(tmp_path / "ref.en", ref), write_lines(tmp_path / "hyp.en", degrade(ref, 1))


def test_text_lines_are_the_sacrebleu_command_s(english: tuple[Path, Path]) -> None:
    ref, hyp = english
    expected = sacrebleu_cli(str(ref), "-i", str(hyp), "-m", "bleu", "chrf", "ter", "-f", "text")
    ours = [m.text for m in score_files(hyp, [ref]).metrics]
    assert ours == [line.strip() for line in expected.splitlines()]
    assert "tok:13a" in ours[0]


@pytest.mark.parametrize("width", [1, 4])
def test_scores_match_the_command_at_every_printed_width(
    english: tuple[Path, Path], width: int
) -> None:
    ref, hyp = english
    expected = sacrebleu_json(ref, hyp, width=width)
    scores = score_files(hyp, [ref])
    for metric in scores.metrics:
        assert f"{metric.score:.{width}f}" == f"{expected[metric.name]['score']:.{width}f}"
        assert metric.signature == expected[metric.name]["signature"]


def test_arabic_target_uses_the_intl_tokenizer_and_matches_the_command(tmp_path: Path) -> None:
    ref_lines = parallel("tatoeba-test-v2021-08-07.ara-eng.ara")[:2000]
    ref = write_lines(tmp_path / "ref.ar", ref_lines)
    hyp = write_lines(tmp_path / "hyp.ar", degrade(ref_lines, 2))
    scores = score_files(hyp, [ref], target_lang="ar")
    bleu = scores.metric("bleu")
    assert bleu is not None and "tok:intl" in bleu.signature
    expected = sacrebleu_json(ref, hyp, "-tok", "intl")
    for metric in scores.metrics:
        assert f"{metric.score:.4f}" == f"{expected[metric.name]['score']:.4f}"
        assert metric.signature == expected[metric.name]["signature"]
    assert bleu_tokenizer("en-GB") == "13a"


def test_two_references_match_the_command(english: tuple[Path, Path], tmp_path: Path) -> None:
    ref, hyp = english
    ref2 = write_lines(tmp_path / "ref2.en", degrade(parallel("tico19_wikinews.en"), 3, 0.1))
    out = sacrebleu_cli(
        str(ref), str(ref2), "-i", str(hyp), "-m", "bleu", "chrf", "ter", "-b", "-f", "text"
    )
    expected = [float(v) for v in out.split()]
    scores = score_files(hyp, [ref, ref2])
    assert [round(m.score, 1) for m in scores.metrics] == expected
    assert scores.metrics[0].signature.startswith("nrefs:2|")


def test_per_segment_scores_are_sacrebleu_sentence_scores(english: tuple[Path, Path]) -> None:
    ref, hyp = english
    scores = score_files(hyp, [ref])
    for metric in ("bleu", "chrf", "ter"):
        out = sacrebleu_cli(
            str(ref), "-i", str(hyp), "-m", metric, "-sl", "-b", "-w", "4", "-f", "text"
        )
        expected = [f"{float(v):.4f}" for v in out.split()]
        assert [f"{getattr(s, metric):.4f}" for s in scores.segments] == expected


def test_bleu_details_give_precisions_brevity_penalty_and_lengths(
    english: tuple[Path, Path],
) -> None:
    ref, hyp = english
    expected = sacrebleu_json(ref, hyp, width=1)["BLEU"]["verbose_score"]
    bleu = score_files(hyp, [ref]).metric("bleu")
    assert bleu is not None
    d = bleu.details
    precisions = "/".join(f"{p:.1f}" for p in d["precisions"])  # type: ignore[attr-defined]
    assert str(expected).startswith(f"{precisions} (BP = {d['bp']:.3f}")
    assert f"hyp_len = {d['sys_len']} ref_len = {d['ref_len']}" in str(expected)


def test_worst_segments_come_first(english: tuple[Path, Path]) -> None:
    ref, hyp = english
    segments = score_files(hyp, [ref]).segments
    by_chrf = worst_first(segments, "chrf")
    assert [s.chrf for s in by_chrf] == sorted(s.chrf for s in segments)  # type: ignore[type-var]
    by_ter = worst_first(segments, "ter")
    assert by_ter[0].ter == max(s.ter for s in segments)  # type: ignore[type-var]


def test_a_small_corpus_is_scored_with_a_warning(english: tuple[Path, Path]) -> None:
    ref, hyp = english
    assert any("only 88 lines" in w for w in score_files(hyp, [ref]).warnings)
    lines = parallel("tatoeba-test-v2021-08-07.ara-eng.eng")[:150]
    assert not any("only" in w for w in score_lines(lines, [lines]).warnings)


def test_empty_hypothesis_lines_are_flagged_and_named(tmp_path: Path) -> None:
    ref_lines = parallel("tico19_wikinews.en")
    hyp_lines = list(ref_lines)
    hyp_lines[4] = hyp_lines[9] = ""
    scores = score_lines(hyp_lines, [ref_lines])
    flagged = [s.n for s in scores.segments if EMPTY_HYPOTHESIS in s.flags]
    assert flagged == [5, 10]
    assert any("2 empty hypothesis line(s) (line 5, 10)" in w for w in scores.warnings)


@pytest.mark.parametrize(
    ("hyp", "ref", "message"),
    [
        ([], [[]], "the hypothesis is empty"),
        (["", ""], [["a", "b"]], "every hypothesis line is empty"),
        (["a", "b"], [["a"]], "reference 1 has 1 lines but the hypothesis 2"),
        (["a"], [], "no reference given"),
    ],
)
def test_what_cannot_be_scored_is_refused(
    hyp: list[str], ref: list[list[str]], message: str
) -> None:
    with pytest.raises(TranslatorError, match=message):
        score_lines(hyp, ref)


def test_files_of_different_lengths_are_refused_by_name(
    english: tuple[Path, Path], tmp_path: Path
) -> None:
    ref, _hyp = english
    short = write_lines(tmp_path / "short.en", parallel("tico19_wikinews.en")[:80])
    with pytest.raises(InputFileError, match=r"ref\.en: has 88 lines but the hypothesis .* has 80"):
        score_files(short, [ref])
    empty = tmp_path / "empty.en"
    empty.write_text("")
    with pytest.raises(InputFileError, match=r"empty\.en: is empty"):
        score_files(empty, [ref])
    with pytest.raises(InputFileError, match="not found"):
        score_files(tmp_path / "missing.en", [ref])


def test_unknown_metric_is_refused(english: tuple[Path, Path]) -> None:
    ref, hyp = english
    with pytest.raises(TranslatorError, match="unknown metric meteor"):
        score_files(hyp, [ref], metrics=["bleu", "meteor"])
