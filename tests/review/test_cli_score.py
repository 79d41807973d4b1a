"""`translator score`: the same numbers as the sacrebleu command, errors in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.review.conftest import degrade, parallel, sacrebleu_json, write_lines
from translator import cli


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    ref = parallel("tico19_wikinews.en")
    return write_lines(tmp_path / "ref.en", ref), write_lines(tmp_path / "hyp.en", degrade(ref, 5))


def run(capsys: pytest.CaptureFixture[str], tmp_path: Path, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--db", str(tmp_path / "w.sqlite"), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_of_files_matches_the_command(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref, hyp = files
    code, out, err = run(capsys, tmp_path, "score", "--hyp", str(hyp), "--ref", str(ref), "--json")
    assert code == 0
    data = json.loads(out)
    expected = sacrebleu_json(ref, hyp, width=4)
    assert list(data) == ["bleu", "chrf", "ter"]
    for ours, name in zip(data.values(), ["BLEU", "chrF2", "TER"], strict=True):
        assert f"{ours['score']:.4f}" == f"{expected[name]['score']:.4f}"
        assert ours["signature"] == expected[name]["signature"]
    assert len(data["bleu"]["precisions"]) == 4 and "bp" in data["bleu"]
    assert "num_edits" in data["ter"]
    assert "warning: only 88 lines" in err


def test_mismatched_files_are_one_line_errors(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref, _hyp = files
    short = write_lines(tmp_path / "short.en", parallel("tico19_wikinews.en")[:10])
    code, out, err = run(capsys, tmp_path, "score", "--hyp", str(short), "--ref", str(ref))
    assert code == 1 and out == ""
    assert err.startswith("translator: error: ") and "has 88 lines" in err
    assert err.count("\n") == 1


def test_bad_usage_exits_2(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref, hyp = files
    with pytest.raises(SystemExit) as caught:
        run(capsys, tmp_path, "score", "--hyp", str(hyp))
    assert caught.value.code == 2
    with pytest.raises(SystemExit):
        run(capsys, tmp_path, "score", "doc", "--ref", str(ref), "--against", "draft")


def test_a_document_is_scored_stored_and_reported(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref, hyp = files
    article = tmp_path / "covid.txt"
    article.write_text("\n\n".join(parallel("tico19_wikinews.ar")) + "\n", encoding="utf-8")
    assert run(capsys, tmp_path, "import", str(article))[0] == 0
    from translator.domain import Status
    from translator.services import segments
    from translator.storage.database import open_workspace

    ws = open_workspace(str(tmp_path / "w.sqlite"))
    hyps = hyp.read_text(encoding="utf-8").splitlines()
    for seg in segments.load_segments(ws, 1):
        segments.update_segment(
            ws,
            seg.id,
            target=hyps[seg.n - 1],
            status=Status.TRANSLATED,
            expected_version=seg.version,
        )
    ws.close()
    report = tmp_path / "report.html"
    code, out, err = run(
        capsys, tmp_path, "score", "covid", "--ref", str(ref), "--report", str(report)
    )
    assert code == 0, err
    expected = sacrebleu_json(ref, hyp, width=1)
    assert "document 1 (covid) against reference:ref: 88 segments scored" in out
    assert f"BLEU|{expected['BLEU']['signature']} = {expected['BLEU']['score']:.1f}" in out
    assert "worst segments by chrf:" in out
    assert report.exists() and report.with_suffix(".csv").exists()
    code, out, _err = run(capsys, tmp_path, "score", "covid", "--json", "--metrics", "chrf")
    assert code == 0 and list(json.loads(out)) == ["chrf"]
