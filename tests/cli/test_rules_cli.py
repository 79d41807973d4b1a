"""Extra segmentation rule files on import: `translator import FILE --rules RULES.json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import cli

ARTICLE = "اشترى السكان الخبز والأرز إلخ. من السوق المركزي. وعاد الهدوء.\n"
# A newsroom's rule: "إلخ." (etc.) inside a sentence does not end it.
RULES = {"abbreviations": [{"comment": "etc.", "words": ["إلخ."], "after": "\\s+من"}]}


def segments(capsys: pytest.CaptureFixture[str], db: str, name: str) -> list[str]:
    code, out, _ = cli(capsys, "--db", db, "show", name, "--json")
    assert code == 0
    return [s["source"] for s in json.loads(out)["segments"]]


def test_rules_file_changes_where_sentences_end(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "ws.sqlite")
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    rules = tmp_path / "newsroom.json"
    rules.write_text(json.dumps(RULES, ensure_ascii=False), encoding="utf-8")
    assert cli(capsys, "--db", db, "import", str(article), "--name", "plain")[0] == 0
    assert segments(capsys, db, "plain") == [
        "اشترى السكان الخبز والأرز إلخ.",
        "من السوق المركزي.",
        "وعاد الهدوء.",
    ]
    code, _, _ = cli(
        capsys, "--db", db, "import", str(article), "--name", "ruled", "--rules", str(rules)
    )
    assert code == 0
    assert segments(capsys, db, "ruled") == [
        "اشترى السكان الخبز والأرز إلخ. من السوق المركزي.",
        "وعاد الهدوء.",
    ]


def test_a_bad_rules_file_is_one_line_and_imports_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "ws.sqlite")
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    rules = tmp_path / "broken.json"
    rules.write_text('{"rules": [{"break": true, "before": "(b"}]}', encoding="utf-8")
    code, out, err = cli(capsys, "--db", db, "import", str(article), "--rules", str(rules))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "broken.json" in err and "bad regular expression" in err
    code, out, _ = cli(capsys, "--db", db, "docs", "--json")
    assert json.loads(out) == []
