"""The command line as scripts use it: exit codes, one-line errors, --json shapes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import ROOT, shared_data
from translator.cli import main
from translator.errors import TranslatorError

ARTICLE = "قال د. أحمد إن الجيش انسحب. وأضاف: «لن نعود»!\n\nهل انتهت الحرب؟ لا أحد يعرف.\n"


def run_cli(
    *args: str, db: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real program in a child process, as a script or a user runs it."""
    full_env = dict(os.environ, **(env or {}))
    cmd = [sys.executable, "-m", "translator"]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(
        [*cmd, *args], capture_output=True, text=True, env=full_env, cwd=ROOT, timeout=120
    )


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "ws.sqlite"


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def workspace_state(db: Path) -> str:
    """Everything a user could see of the workspace, to compare before and after."""
    if not db.exists():
        return "absent"
    result = run_cli("show", "1", "--json", db=db)
    docs = run_cli("docs", "--json", db=db)
    return docs.stdout + result.stdout


def test_import_json_shape(capsys: pytest.CaptureFixture[str], db: Path, article: Path) -> None:
    code, out, err = cli(capsys, "--db", str(db), "import", str(article), "--json")
    assert code == 0, err
    assert json.loads(out) == {"id": 1, "name": "article", "segments": 4}


def test_docs_and_show_json_shapes(
    capsys: pytest.CaptureFixture[str], db: Path, article: Path
) -> None:
    cli(capsys, "--db", str(db), "import", str(article), "--name", "war")
    code, out, _ = cli(capsys, "--db", str(db), "docs", "--json")
    assert code == 0
    [doc] = json.loads(out)
    assert doc["id"] == 1 and doc["name"] == "war" and doc["segments"] == 4
    assert doc["translated"] == 0 and doc["progress"] == 0.0
    code, out, _ = cli(capsys, "--db", str(db), "show", "war", "--json")
    shown = json.loads(out)
    assert code == 0
    assert {"id", "name", "segments"} <= shown.keys()
    assert shown["segments"][0] == {
        "n": 1,
        "paragraph": 1,
        "source": "قال د. أحمد إن الجيش انسحب.",
        "target": None,
        "status": "new",
        "note": None,
    }
    assert [s["n"] for s in shown["segments"]] == [1, 2, 3, 4]
    assert [s["paragraph"] for s in shown["segments"]] == [1, 1, 2, 2]


def test_a_rejection_reaches_the_translator_and_the_history_shows_every_change(
    capsys: pytest.CaptureFixture[str], db: Path, article: Path
) -> None:
    from translator.domain import Status
    from translator.services import segments
    from translator.storage.database import open_workspace

    cli(capsys, "--db", str(db), "import", str(article))
    ws = open_workspace(str(db))
    try:
        first = segments.segment_at(ws, 1, 1)
        done = segments.update_segment(
            ws,
            first.id,
            target="Dr Ahmed said the army withdrew.",
            status=Status.TRANSLATED,
            expected_version=first.version,
            author="amal",
        )
        segments.reject_segment(
            ws, first.id, "Keep his title: Dr. Ahmed", expected_version=done.version, author="rev"
        )
    finally:
        ws.close()
    code, out, _ = cli(capsys, "--db", str(db), "show", "1")
    assert code == 0 and "note: Rejected by rev: Keep his title: Dr. Ahmed" in out
    assert "[draft, rejected] قال د. أحمد" in out
    _, out, _ = cli(capsys, "--db", str(db), "show", "1", "--json")
    assert json.loads(out)["segments"][0]["note"] == "Rejected by rev: Keep his title: Dr. Ahmed"
    code, out, _ = cli(capsys, "--db", str(db), "history", "article", "1", "--json")
    shown = json.loads(out)
    assert code == 0 and shown["document"] == {"id": 1, "name": "article"}
    assert (shown["n"], shown["status"]) == (1, "draft")
    steps = [(h["action"], h["status"], h["author"], h["note"]) for h in shown["history"]]
    assert steps == [
        ("edit", "translated", "amal", None),
        ("reject", "draft", "rev", "Keep his title: Dr. Ahmed"),
    ]
    assert all(
        datetime.fromisoformat(h["changed_at"]).utcoffset() == timedelta(0)
        for h in shown["history"]
    )
    code, out, _ = cli(capsys, "--db", str(db), "history", "1", "1")
    assert code == 0 and "why: Keep his title: Dr. Ahmed" in out and "amal" in out
    code, _, err = cli(capsys, "--db", str(db), "history", "1", "9")
    assert code == 1 and "no segment 9: the document has segments 1 to 4" in err


def test_check_lists_what_looks_wrong_in_the_translations(
    capsys: pytest.CaptureFixture[str], db: Path, article: Path
) -> None:
    from translator.domain import Status
    from translator.services import glossary, segments
    from translator.storage.database import open_workspace

    cli(capsys, "--db", str(db), "import", str(article))
    code, out, err = cli(capsys, "--db", str(db), "check", "article")
    assert "no translation is confirmed yet: --all checks the unconfirmed ones" in err
    ws = open_workspace(str(db))
    try:
        untranslated = segments.segment_at(ws, 1, 1)
        with pytest.raises(TranslatorError, match="segment 1 has no translation yet"):
            segments.reject_segment(ws, untranslated.id, "?", expected_version=1)
        glossary.add_term(ws, "ar", "الجيش", "en", "army")
        for n, text, status in (
            (1, "Dr. Ahmed said the troops withdrew.", Status.TRANSLATED),
            (2, "He added: «We will not come back»!", Status.TRANSLATED),
            (3, "Is the war over.", Status.TRANSLATED),
            (4, "لا أحد knows.", Status.DRAFT),
        ):
            segment = segments.segment_at(ws, 1, n)
            segments.update_segment(
                ws, segment.id, target=text, status=status, expected_version=segment.version
            )
    finally:
        ws.close()
    code, out, err = cli(capsys, "--db", str(db), "check", "article", "--json")
    assert code == 0
    assert json.loads(out) == [
        {"segment": 1, "check": "glossary", "message": "“الجيش” should be translated “army”"},
        {
            "segment": 3,
            "check": "question",
            "message": "the source asks a question; the translation does not end with ?",
        },
    ]
    code, out, err = cli(capsys, "--db", str(db), "check", "1", "--all")
    assert "segment 4 [script]: Arabic text left in the translation: “لا أحد”" in out
    assert "3 finding(s) in 3 segment(s)" in err


def test_text_output_is_readable(
    capsys: pytest.CaptureFixture[str], db: Path, article: Path
) -> None:
    _, out, _ = cli(capsys, "--db", str(db), "import", str(article))
    assert "4 segments" in out
    _, out, _ = cli(capsys, "--db", str(db), "docs")
    assert "article" in out and "0.0%" in out
    _, out, _ = cli(capsys, "--db", str(db), "show", "1")
    assert "هل انتهت الحرب؟" in out


def test_export_falls_back_to_source_and_warns(
    capsys: pytest.CaptureFixture[str], db: Path, article: Path, tmp_path: Path
) -> None:
    cli(capsys, "--db", str(db), "import", str(article))
    out_file = tmp_path / "en.txt"
    code, _, err = cli(
        capsys, "--db", str(db), "export", "1", "--format", "txt", "-o", str(out_file)
    )
    assert code == 0
    assert "warning: 4 untranslated segment(s)" in err
    assert out_file.read_text(encoding="utf-8") == ARTICLE.replace("\n\n", "\n\n")
    code, out, _ = cli(capsys, "--db", str(db), "export", "article")
    assert out == ARTICLE


def test_export_docx(
    capsys: pytest.CaptureFixture[str], db: Path, article: Path, tmp_path: Path
) -> None:
    from translator.formats.registry import read_document

    cli(capsys, "--db", str(db), "import", str(article))
    out_file = tmp_path / "en.docx"
    code, _, err = cli(
        capsys, "--db", str(db), "export", "1", "--format", "docx", "-o", str(out_file)
    )
    assert code == 0, err
    assert read_document(out_file).paragraphs[0] == "قال د. أحمد إن الجيش انسحب. وأضاف: «لن نعود»!"


def test_environment_variable_selects_the_workspace(db: Path, article: Path) -> None:
    result = run_cli("import", str(article), "--json", env={"TRANSLATOR_DB": str(db)})
    assert result.returncode == 0, result.stderr
    assert db.exists()
    assert json.loads(run_cli("docs", "--json", db=db).stdout)[0]["name"] == "article"


def test_bad_usage_exits_2(db: Path) -> None:
    assert run_cli("frobnicate", db=db).returncode == 2
    assert run_cli("import", db=db).returncode == 2
    assert run_cli("export", "1", "--format", "pdf", db=db).returncode == 2


def test_help_documents_exit_codes_and_json() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert "exit codes" in result.stdout and "TRANSLATOR_DB" in result.stdout
    assert '"segments"' in run_cli("show", "--help").stdout


def _pdf(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")


def _png(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)


def _truncated_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    for line in ARTICLE.splitlines():
        document.add_paragraph(line)
    full = path.with_suffix(".full.docx")
    document.save(str(full))
    data = full.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _binary(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 64)


BAD_FILES = {
    "missing.txt": None,
    "empty.txt": lambda p: p.write_bytes(b""),
    "report.txt": _pdf,
    "photo.txt": _png,
    "article.docx": _truncated_docx,
    "blob.txt": _binary,
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_input_is_one_clear_line_exit_1_and_changes_nothing(
    name: str, db: Path, article: Path, tmp_path: Path
) -> None:
    assert run_cli("import", str(article), db=db).returncode == 0
    before = workspace_state(db)
    path = tmp_path / name
    make = BAD_FILES[name]
    if make is not None:
        make(path)
    result = run_cli("import", str(path), db=db)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("translator: error: ") and name in lines[0]
    assert "Traceback" not in result.stderr
    assert workspace_state(db) == before


def test_a_folder_is_not_an_article(db: Path, tmp_path: Path) -> None:
    result = run_cli("import", str(tmp_path), db=db)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_workspace_that_is_not_a_database(tmp_path: Path, article: Path) -> None:
    fake = tmp_path / "notes.txt"
    fake.write_text("not a database")
    before = hashlib.sha256(fake.read_bytes()).hexdigest()
    result = run_cli("import", str(article), db=fake)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"translator: error: {fake}: is not a translator workspace (not an SQLite database)"
    )
    assert hashlib.sha256(fake.read_bytes()).hexdigest() == before


def test_unknown_document_is_exit_1(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = cli(capsys, "--db", str(db), "show", "nope")
    assert code == 1 and out == ""
    assert (
        err == "translator: error: no document 'nope' in this workspace (see 'translator docs')\n"
    )


def test_import_real_parallel_text(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    source = shared_data("parallel", "tico19_wikinews.ar")
    code, out, err = cli(capsys, "--db", str(db), "import", str(source), "--json")
    assert code == 0, err
    assert json.loads(out)["segments"] >= 88


def test_memory_commands_and_their_json(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    source = shared_data("tmx", "tico19_all.en-ar.tmx")
    code, out, err = cli(capsys, "--db", str(db), "tm", "import", str(source), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["imported"] + report["updated"] + report["skipped"] == 3071
    assert {"id", "file", "imported", "updated", "skipped", "skips", "languages"} <= report.keys()
    who = "أعلنت منظمة الصحة العالمية (WHO) مرض كوفيد-19 جائحة في 11 مارس."
    code, out, _ = cli(capsys, "--db", str(db), "tm", "search", who, "--json")
    matches = json.loads(out)
    assert code == 0 and matches[0]["score"] == 100.0
    assert set(matches[0]) == {"score", "source", "target", "origin"}
    assert [m["score"] for m in matches] == sorted((m["score"] for m in matches), reverse=True)
    code, out, _ = cli(capsys, "--db", str(db), "tm", "search", "منظمة الصحة", "--concordance")
    assert code == 0 and "World Health Organization" in out
    code, out, _ = cli(capsys, "--db", str(db), "tm", "list", "--json")
    [listed] = json.loads(out)["imports"]
    when = datetime.fromisoformat(listed["imported_at"])  # UTC, and says so
    assert when.utcoffset() == timedelta(0)
    out_file = tmp_path / "memory.tmx"
    code, _, err = cli(capsys, "--db", str(db), "tm", "export", "-o", str(out_file))
    assert code == 0 and f"to {out_file}" in err
    if shutil.which("xmllint"):
        dtd = shared_data("tmx", "tmx14.dtd")
        check = subprocess.run(
            ["xmllint", "--noout", "--dtdvalid", str(dtd), str(out_file)], capture_output=True
        )
        assert check.returncode == 0, check.stderr


def test_pretranslate_command(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    cli(capsys, "--db", str(db), "tm", "import", str(shared_data("tmx", "tico19_all.en-ar.tmx")))
    article = tmp_path / "who.txt"
    article.write_text(
        "أعلنت منظمة الصحة العالمية (WHO) مرض كوفيد-19 جائحة في 11 مارس.\n", encoding="utf-8"
    )
    cli(capsys, "--db", str(db), "import", str(article))
    code, out, _ = cli(capsys, "--db", str(db), "pretranslate", "who", "--json")
    assert code == 0 and json.loads(out) == {"filled": 1, "exact": 1, "considered": 1}
    _, out, _ = cli(capsys, "--db", str(db), "show", "who", "--json")
    assert json.loads(out)["segments"][0]["status"] == "pretranslated"


def test_a_hostile_memory_is_one_line_and_changes_nothing(db: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.tmx"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        '<tmx version="1.4"><header srclang="en" adminlang="en" creationtool="x" '
        'creationtoolversion="1" segtype="sentence" o-tmf="x" datatype="plaintext"/>'
        '<body><tu><tuv xml:lang="en"><seg>&b;</seg></tuv><tuv xml:lang="ar"><seg>س</seg></tuv>'
        "</tu></body></tmx>\n",
        encoding="utf-8",
    )
    result = run_cli("tm", "import", str(bomb), db=db)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("translator: error: ") and "bomb.tmx" in line
    listing = run_cli("tm", "list", "--json", db=db)
    assert json.loads(listing.stdout)["units"] == 0
