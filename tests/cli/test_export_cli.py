"""What `translator export` says about what it wrote and what it left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import cli
from tests.cli.test_rules_cli import ARTICLE
from translator.domain import Status
from translator.services import segments
from translator.storage.database import open_workspace


@pytest.fixture
def db(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    """A workspace with the article imported (three segments), by the command line."""
    path = str(tmp_path / "ws.sqlite")
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert cli(capsys, "--db", path, "import", str(article))[0] == 0
    return path


def test_a_tmx_export_says_what_it_left_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: str
) -> None:
    out = tmp_path / "doc.tmx"
    code, _, err = cli(capsys, "--db", db, "export", "article", "--format", "tmx", "-o", str(out))
    assert code == 0 and "no confirmed segment: the TMX file holds no units" in err
    ws = open_workspace(db)
    first, second, _third = segments.load_segments(ws, 1)
    for segment, status in ((first, Status.TRANSLATED), (second, Status.DRAFT)):
        segments.update_segment(
            ws, segment.id, target="text", status=status, expected_version=segment.version
        )
    ws.close()
    code, _, err = cli(capsys, "--db", db, "export", "article", "--format", "tmx", "-o", str(out))
    assert "1 translated segment(s) not confirmed yet: they are not in it" in err
    assert f"wrote {out} (1 units)" in err
    code, _, err = cli(capsys, "--db", db, "export", "article", "--format", "po", "-o", str(out))
    assert "1 untranslated segment(s): their messages are left empty" in err
    assert "1 segment(s) not confirmed yet: their messages are marked fuzzy" in err


def test_a_text_export_warns_of_unconfirmed_and_rejected_translations(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: str
) -> None:
    """A reviewer's report: exporting an article whose segments were rejected said nothing."""
    ws = open_workspace(db)
    first, second, third = segments.load_segments(ws, 1)
    for segment in (first, second, third):
        segments.update_segment(
            ws,
            segment.id,
            target="text",
            status=Status.TRANSLATED,
            expected_version=segment.version,
        )
    code, _, err = cli(capsys, "--db", db, "export", "article", "-o", str(tmp_path / "a.txt"))
    assert code == 0 and "warning" not in err
    again = segments.segment_at(ws, 1, 2)
    segments.reject_segment(ws, again.id, "wrong name", expected_version=again.version)
    again = segments.segment_at(ws, 1, 3)
    segments.update_segment(
        ws, again.id, target="edited", status=Status.DRAFT, expected_version=again.version
    )
    ws.close()
    for name in ("a.txt", "a.docx"):
        code, _, err = cli(capsys, "--db", db, "export", "article", "-o", str(tmp_path / name))
        assert code == 0
        assert (
            "2 segment(s) not confirmed yet (1 rejected by a reviewer): "
            "their unconfirmed translation is in the file"
        ) in err
    code, _, err = cli(
        capsys, "--db", db, "export", "1", "--format", "tmx", "-o", str(tmp_path / "a.tmx")
    )
    assert (
        "2 translated segment(s) not confirmed yet (1 rejected by a reviewer): they are not in it"
        in err
    )


def test_exported_files_get_the_users_usual_permissions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: str
) -> None:
    import os
    import stat

    mask = os.umask(0o022)
    os.umask(mask)
    for name, extra in (("a.txt", []), ("a.docx", []), ("a.po", ["--format", "po"])):
        out = tmp_path / name
        assert cli(capsys, "--db", db, "export", "article", "-o", str(out), *extra)[0] == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask, name
    memory = tmp_path / "memory.tmx"
    assert cli(capsys, "--db", db, "tm", "export", "-o", str(memory))[0] == 0
    assert stat.S_IMODE(memory.stat().st_mode) == 0o666 & ~mask
