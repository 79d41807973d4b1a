"""Opening a workspace: URL resolution, engine set-up, version check, backup and upgrade."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from translator.errors import WorkspaceError

ENV_VAR = "TRANSLATOR_DB"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 15.0


def default_workspace_path() -> Path:
    """The embedded default: one SQLite file in the user's data folder."""
    return Path(platformdirs.user_data_dir("translator", appauthor=False)) / "workspace.sqlite"


def resolve_url(db: str | None) -> str:
    """Turn ``--db`` (a path or a URL), else $TRANSLATOR_DB, else the default into a URL."""
    db = db or os.environ.get(ENV_VAR) or None
    if db is None:
        path = default_workspace_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser().resolve()}"
    # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
    for prefix in ("postgresql://", "postgres://"):
        if db.startswith(prefix):
            return "postgresql+psycopg://" + db[len(prefix) :]
    return db


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _check_sqlite_file(path: Path) -> None:
    """Refuse, without touching it, anything that is not an SQLite file or a new one."""
    if path.is_dir():
        raise WorkspaceError(f"{path}: is a folder, not a workspace file")
    if not path.parent.is_dir():
        raise WorkspaceError(f"{path}: the folder {path.parent} does not exist")
    if path.exists() and path.stat().st_size > 0:
        try:
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise WorkspaceError(f"{path}: cannot be read ({exc.strerror})") from exc
        if header != SQLITE_MAGIC:
            raise WorkspaceError(f"{path}: is not a translator workspace (not an SQLite database)")


# A large transaction (a memory import: 1.1 GB at a million units) grows the write-ahead
# log as large; SQLite then reuses the file but keeps its size until the last connection
# closes, and a window stays open for hours. With this limit the next write cuts it back.
WAL_KEEP_BYTES = 64 * 2**20


def _null(value: None) -> None:
    return value


# pysqlite (Python 3.11) binds None the slow way: it looks for an adapter, and each look-up
# of ``__adapt__`` on its protocol class formats an AttributeError that is then discarded
# (0.3 µs a NULL; a memory import binds eight a unit). Registered, None is found at once
# and still bound as NULL: 0.13 µs. Process-wide, as sqlite3's adapters are.
sqlite3.register_adapter(type(None), _null)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        # FULL: a confirmed edit survives a power cut, not only a killed process.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute(f"PRAGMA journal_size_limit = {WAL_KEEP_BYTES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front, so two windows writing at once wait for
        # each other (busy_timeout) instead of failing with "database is locked" mid-way.
        if connection.get_execution_options().get("translator_read"):
            connection.exec_driver_sql("BEGIN")  # a reader: a snapshot, no write lock
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise WorkspaceError(f"{url}: not a database path or URL ({exc})") from exc
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
        _configure_sqlite(engine)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # unknown dialect, missing driver
        raise WorkspaceError(
            f"{parsed.render_as_string()}: cannot use this database ({exc})"
        ) from exc


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", "translator.storage:migrations")
    return config


@dataclass(eq=False)  # identity, not value: one open workspace is one object
class Workspace:
    """An open workspace: the engine and a factory of sessions (one unit of work each)."""

    url: str
    engine: Engine
    backup_path: Path | None = None  # where the pre-upgrade copy went, if one was made

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def display_name(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def bulk_session(self) -> Iterator[Session]:
        """``session`` for a bulk insert whose references are right by construction (a
        memory import: each row refers to rows the same transaction has just inserted).
        On SQLite, without foreign-key checks: one index search fewer per row, about a
        tenth of the time of storing a million units. The connection is never handed back
        to the pool with the checks off."""
        if self.dialect != "sqlite":
            with self.session() as session:
                yield session
            return
        with self.engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert raw is not None
            # On the driver's connection: SQLAlchemy would begin a transaction first, and
            # inside one SQLite ignores this pragma.
            raw.execute("PRAGMA foreign_keys = OFF")
            try:
                with self._sessions(bind=connection) as session, session.begin():
                    yield session
            finally:
                try:
                    raw.execute("PRAGMA foreign_keys = ON")
                    restored = raw.execute("PRAGMA foreign_keys").fetchone() == (1,)
                except sqlite3.Error:
                    restored = False
                if not restored:
                    connection.invalidate()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read-only unit of work on a Core connection: one snapshot, no write lock."""
        with self.engine.connect() as connection:
            connection.execution_options(translator_read=True)
            yield connection

    def close(self) -> None:
        self.engine.dispose()


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def _backup_sqlite(path: Path, revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    backup = path.with_name(f"{path.stem}.backup-{revision}-{stamp}{path.suffix or '.sqlite'}")
    # The backup API copies a consistent snapshot even with WAL and other readers.
    source = sqlite3.connect(path)
    try:
        target = sqlite3.connect(backup)
        with target:
            source.backup(target)
        target.close()
    finally:
        source.close()
    return backup


def open_workspace(db: str | None = None, *, upgrade: bool = True) -> Workspace:
    """Open (creating or upgrading as needed) the workspace named by ``db``.

    A workspace written by a newer program is refused untouched; an older one is copied
    to a backup file (SQLite) before it is upgraded.
    """
    url = resolve_url(db)
    sqlite_path = _sqlite_path(url)
    if sqlite_path is not None:
        _check_sqlite_file(sqlite_path)
    engine = make_engine(url)
    name = str(sqlite_path) if sqlite_path else make_url(url).render_as_string()
    try:
        workspace = _open(engine, url, sqlite_path, upgrade)
    except WorkspaceError:
        engine.dispose()
        raise
    except (OperationalError, DBAPIError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise WorkspaceError(f"{name}: cannot open the workspace ({detail})") from exc
    return workspace


def _open(engine: Engine, url: str, sqlite_path: Path | None, upgrade: bool) -> Workspace:
    name = str(sqlite_path) if sqlite_path else make_url(url).render_as_string()
    script = ScriptDirectory.from_config(_alembic_config())
    head = script.get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        tables = set(inspect(connection).get_table_names())
    if current is None and tables:
        raise WorkspaceError(f"{name}: is a database but not a translator workspace")
    if current is not None:
        try:
            script.get_revision(current)
        except CommandError:
            raise WorkspaceError(
                f"{name}: was written by a newer version of translator (schema {current}); "
                "install the newer version to open it"
            ) from None
    if engine.dialect.name == "sqlite":
        # Only now that the file is known to be ours (or new): WAL is stored in the file.
        raw = engine.raw_connection()  # outside any transaction, as SQLite requires
        try:
            raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # type: ignore[union-attr]
        finally:
            raw.close()
    backup = None
    if current != head:
        if not upgrade:
            raise WorkspaceError(f"{name}: needs an upgrade to schema {head}")
        if current is not None and sqlite_path is not None:
            backup = _backup_sqlite(sqlite_path, current)
        config = _alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    return Workspace(url=url, engine=engine, backup_path=backup)
