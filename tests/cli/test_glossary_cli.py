"""`translator glossary ...` as scripts drive it: the --json shapes, exit codes, bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import cli, run_cli
from tests.conftest import shared_data
from translator.domain import Status
from translator.services import segments
from translator.storage.database import open_workspace

ARTICLE = "قال متحدث باسم جيش العزة إن القوات انسحبت من حلب.\n"


def test_add_list_find_edit_remove(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "ws.sqlite")
    code, out, _ = cli(
        capsys,
        "--db",
        db,
        "glossary",
        "add",
        "جيش العزة",
        "Jaysh al-Azza",
        "--note",
        "armed group",
        "--json",
    )
    assert code == 0
    added = json.loads(out)
    assert (added["id"], added["source_lang"], added["target_lang"]) == (1, "ar", "en")
    assert cli(capsys, "--db", db, "glossary", "add", "حلب", "Aleppo")[0] == 0
    code, _, err = cli(capsys, "--db", db, "glossary", "add", "حلب", "Aleppo")
    assert code == 1 and "already in the glossary (term 2)" in err

    code, out, _ = cli(capsys, "--db", db, "glossary", "list", "--json")
    listed = json.loads(out)
    assert [t["target"] for t in listed] == ["Jaysh al-Azza", "Aleppo"]
    assert set(listed[0]) == {
        "id",
        "source_lang",
        "source",
        "target_lang",
        "target",
        "note",
        "origin",
        "changed_at",
        "changed_by",
    }

    code, out, _ = cli(capsys, "--db", db, "glossary", "find", "وقال لجيش العزة في حلب", "--json")
    found = json.loads(out)
    assert [(h["found"], h["translations"]) for h in found] == [
        ("لجيش العزة", ["Jaysh al-Azza"]),
        ("حلب", ["Aleppo"]),
    ]
    assert set(found[0]) == {"start", "end", "found", "term", "translations", "note", "term_ids"}

    assert cli(capsys, "--db", db, "glossary", "edit", "2", "--target", "Halab")[0] == 0
    code, out, _ = cli(capsys, "--db", db, "glossary", "list")
    assert "Halab" in out and "Aleppo" not in out
    assert cli(capsys, "--db", db, "glossary", "remove", "1", "2")[0] == 0
    code, out, err = cli(capsys, "--db", db, "glossary", "list")
    assert out == "" and "0 terms" in err


def test_import_json_then_check_a_document(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "ws.sqlite")
    source = tmp_path / "names.txt"  # OmegaT's format: no header, no languages
    source.write_text("# newsroom names\nجيش العزة\tJaysh al-Azza\tarmed group\nحلب\tAleppo\n")
    code, _, err = cli(capsys, "--db", db, "glossary", "import", str(source))
    assert code == 1 and "--source-lang" in err
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli(
        capsys,
        "--db",
        db,
        "glossary",
        "import",
        "names.txt",  # relative: the report names the file in full, as tm import's does
        "--source-lang",
        "ar",
        "--target-lang",
        "en",
        "--json",
    )
    report = json.loads(out)
    assert report == {
        "file": str(source.resolve()),
        "format": "tsv",
        "added": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "skips": [],
        "languages": ["ar", "en"],
        "warnings": [],
    }
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert cli(capsys, "--db", db, "import", str(article))[0] == 0
    # nothing confirmed yet: nothing to check
    code, out, _ = cli(capsys, "--db", db, "glossary", "check", "article", "--json")
    assert json.loads(out) == []
    code, out, _ = cli(capsys, "--db", db, "glossary", "check", "article", "--all", "--json")
    assert json.loads(out) == []  # no translation at all is not a wrong one
    ws = open_workspace(db)
    (segment,) = segments.load_segments(ws, 1)
    segments.update_segment(
        ws,
        segment.id,
        target="A spokesman for Jaish al-Izza said the forces withdrew from Aleppo.",
        status=Status.TRANSLATED,
        expected_version=segment.version,
    )
    ws.close()
    code, out, err = cli(capsys, "--db", db, "glossary", "check", "article", "--json")
    assert [(i["segment"], i["found"], i["translations"]) for i in json.loads(out)] == [
        (1, "جيش العزة", ["Jaysh al-Azza"])
    ]
    code, out, err = cli(capsys, "--db", db, "glossary", "check", "article")
    assert out == "segment 1: 'جيش العزة' should be translated 'Jaysh al-Azza'\n"
    assert "1 term not translated as the glossary says" in err


def test_export_formats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "ws.sqlite")
    tico = shared_data("glossary", "tico19_google_g_ar_en.csv")
    assert cli(capsys, "--db", db, "glossary", "import", str(tico))[0] == 0
    for name in ("g.tbx", "g.csv", "g.txt"):
        out = tmp_path / name
        code, _, err = cli(capsys, "--db", db, "glossary", "export", "-o", str(out))
        assert code == 0 and f"wrote 49 terms to {out}" in err
    assert "جائحة\tpandemic" in (tmp_path / "g.txt").read_text(encoding="utf-8")
    assert (tmp_path / "g.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"<martif" in (tmp_path / "g.tbx").read_bytes()


def test_a_hostile_glossary_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "ws.sqlite"
    assert run_cli("glossary", "add", "حلب", "Aleppo", db=db).returncode == 0
    bomb = tmp_path / "bomb.tbx"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE martif [\n<!ENTITY a "aaaaaaaaaa">\n'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">\n'
        ']>\n<martif type="TBX"><text><body><termEntry>'
        '<langSet xml:lang="ar"><tig><term>&c;</term></tig></langSet>'
        '<langSet xml:lang="en"><tig><term>x</term></tig></langSet>'
        "</termEntry></body></text></martif>\n",
        encoding="utf-8",
    )
    before = run_cli("glossary", "list", "--json", db=db).stdout
    result = run_cli("glossary", "import", str(bomb), db=db)
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bomb.tbx" in lines[0] and "Traceback" not in result.stderr
    assert run_cli("glossary", "list", "--json", db=db).stdout == before


def test_output_piped_into_head_ends_quietly(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    db = tmp_path / "ws.sqlite"
    terms = tmp_path / "many.csv"
    rows = [f"ar,en,مصطلح رقم {n},term number {n} of a long list" for n in range(3000)]
    terms.write_text("sourceLang,targetLang,sourceString,targetString\n" + "\n".join(rows))
    assert run_cli("glossary", "import", str(terms), db=db).returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "translator", "--db", str(db), "glossary", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().strip().startswith(b"1")
    process.stdout.close()  # as head -1 does
    assert process.wait(timeout=120) == 141
    assert process.stderr.read() == b""


def test_changed_at_is_the_same_form_from_add_and_list(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "ws.sqlite")
    _, out, _ = cli(capsys, "--db", db, "glossary", "add", "حلب", "Aleppo", "--json")
    added = json.loads(out)["changed_at"]
    _, out, _ = cli(capsys, "--db", db, "glossary", "list", "--json")
    assert json.loads(out)[0]["changed_at"] == added
    assert added.endswith("+00:00")
