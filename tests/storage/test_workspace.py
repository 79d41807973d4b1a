"""Opening workspaces: creation, migrations, refusal of foreign and newer files, backups."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from translator.errors import WorkspaceError
from translator.storage import database
from translator.storage.database import head_revision, open_workspace
from translator.storage.models import Base


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_migrations_build_exactly_the_models(workspace: database.Workspace) -> None:
    with workspace.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_new_workspace_is_at_the_newest_schema(workspace: database.Workspace) -> None:
    with workspace.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head_revision()


def test_sqlite_workspace_uses_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    ws = open_workspace(str(tmp_path / "w.sqlite"))
    with ws.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    ws.close()


def test_default_workspace_lives_in_the_user_data_folder(tmp_path: Path) -> None:
    ws = open_workspace(None)
    path = database.default_workspace_path()
    assert path.exists()
    assert str(path).startswith(str(Path.home()))  # HOME is a temporary folder in tests
    assert ws.url.endswith(str(path))
    ws.close()


def test_environment_variable_names_the_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRANSLATOR_DB", str(tmp_path / "from-env.sqlite"))
    open_workspace(None).close()
    assert (tmp_path / "from-env.sqlite").exists()


def test_a_text_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database\n")
    before = digest(path)
    with pytest.raises(WorkspaceError, match="not a translator workspace"):
        open_workspace(str(path))
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="is a folder"):
        open_workspace(str(tmp_path))


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="does not exist"):
        open_workspace(str(tmp_path / "nowhere" / "w.sqlite"))


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('Layla')")
    conn.close()
    before = digest(path)
    with pytest.raises(WorkspaceError, match="not a translator workspace"):
        open_workspace(str(path))
    assert digest(path) == before


def test_a_workspace_from_a_newer_program_is_refused_untouched(db_url: str) -> None:
    open_workspace(db_url).close()
    ws = open_workspace(db_url)
    with ws.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    ws.close()
    path = database._sqlite_path(database.resolve_url(db_url))
    before = digest(path) if path else None
    with pytest.raises(WorkspaceError, match="newer version of translator"):
        open_workspace(db_url)
    if path:
        assert digest(path) == before
        assert not list(path.parent.glob("*.backup-*"))


def test_an_older_workspace_is_backed_up_then_upgraded_with_nothing_lost(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "old.sqlite"
    engine = database.make_engine(f"sqlite:///{path}")
    config = database._alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO document (id, name, source_lang, target_lang, format, created_at) "
                "VALUES (1, 'old article', 'ar', 'en', 'txt', '2025-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO paragraph (id, document_id, position, blank_lines_before) "
                "VALUES (1, 1, 1, 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO segment (id, document_id, paragraph_id, position, source, target, "
                "status, source_words, created_at, updated_at, version) VALUES (1, 1, 1, 1, "
                "'مرحبا.', 'Hello.', 'translated', 1, '2025-01-01', '2025-01-01', 2)"
            )
        )
    engine.dispose()

    ws = open_workspace(str(path))
    assert ws.backup_path is not None and ws.backup_path.exists()
    assert "0001" in ws.backup_path.name
    with sqlite3.connect(ws.backup_path) as backup:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert backup.execute("SELECT target FROM segment").fetchall() == [("Hello.",)]
    with ws.engine.connect() as connection:
        assert connection.execute(text("SELECT target, note FROM segment")).all() == [
            ("Hello.", None)
        ]
        assert MigrationContext.configure(connection).get_current_revision() == head_revision()
    ws.close()


def test_reopening_an_up_to_date_workspace_makes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    open_workspace(str(path)).close()
    ws = open_workspace(str(path))
    assert ws.backup_path is None
    ws.close()
    assert not list(tmp_path.glob("*.backup-*"))


def test_unknown_database_url_is_a_clear_error() -> None:
    with pytest.raises(WorkspaceError):
        open_workspace("nosuchdb://host/x")


def test_unreachable_postgresql_is_a_clear_error() -> None:
    with pytest.raises(WorkspaceError, match="cannot open the workspace"):
        open_workspace("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
