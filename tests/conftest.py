"""Fixtures shared by all tests: workspaces on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres import PostgresServer, start_server
from translator.storage.database import Workspace, open_workspace

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
_db_counter = itertools.count()


def shared_data(*parts: str) -> Path:
    """A file of the shared test material, or skip when this checkout has none beside it."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared test data not found: {path}")
    return path


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the real user's workspace or settings from a test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("TRANSLATOR_DB", raising=False)
    monkeypatch.setenv("TRANSLATOR_USER", "tester")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        server = start_server()
    except FileNotFoundError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests: {exc} (dev.py test installs it)")
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database URL on each backend in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workspace.sqlite'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_database(f"test_{os.getpid()}_{next(_db_counter)}")


@pytest.fixture
def workspace(db_url: str) -> Iterator[Workspace]:
    ws = open_workspace(db_url)
    yield ws
    ws.close()
