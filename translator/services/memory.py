"""The translation memory: confirmed segments feed it; TMX files go in and out.

Units are stored as TMX has them, one text per language, so a memory from another tool
keeps every language and a unit serves in either direction. A unit's ``content_key`` is a
digest of its (language, text) pairs: the same pair is stored once, whoever brings it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from translator import collector
from translator.domain import (
    MemoryImport,
    MemoryStats,
    SkippedUnit,
    Status,
    Unit,
    Variant,
)
from translator.errors import NotFoundError, TranslatorError
from translator.formats import tmx
from translator.services.memory_export import export_sqlite
from translator.services.memory_rows import (
    PreparedBatch,
    UnitRow,
    VariantRow,
    content_key,
    prepared_batches,
)
from translator.services.progress import Progress, no_progress
from translator.services.users import current_user
from translator.storage.database import Workspace
from translator.storage.models import (
    DocumentRecord,
    SegmentRecord,
    TmImportRecord,
    TmUnitRecord,
    TmVariantRecord,
    aware_utc,
    utcnow,
)

_EXPORT_BATCH = 5_000  # units a query; their variants by a range of ids
# Bumped by every change to the memory made in this process, so that matchers refresh
# their index only when there is something new (and on a timer for other processes).
changes = 0


def note_change() -> None:
    global changes
    changes += 1


_IMPORT_CACHE_KIB = 32 * 1024  # SQLite page cache during an import (default: 2 MB)
_MAX_REPORTED_SKIPS = 1_000  # each with its reason; the count is always complete
CONFIRMED = tuple(s.value for s in Status if s.is_confirmed)
_STATUS_ORDER = [s.value for s in Status]


# -- confirmed segments ------------------------------------------------------------------


def record_segment(
    session: Session,
    segment_id: int,
    now: datetime | None = None,
    status: Status | None = None,
) -> None:
    """Keep the memory in step with one segment, inside the caller's unit of work.

    A confirmed segment (translated, reviewed, approved) has a unit with its source and
    target; editing and re-confirming updates that unit; an identical pair already in the
    memory is refreshed instead of stored twice. A segment that goes back to draft or new
    (an undone confirm, a rejection) takes its own unit out again, unless another confirmed
    segment has the same pair: then the unit stays, and is that segment's now.
    """
    note_change()
    if status is not None and not status.is_confirmed:
        # A draft, the common case while typing: indexed statements only, nothing more when
        # the segment had no unit.
        _release(session, segment_id)
        return
    row = session.execute(
        select(
            SegmentRecord.source,
            SegmentRecord.target,
            SegmentRecord.status,
            SegmentRecord.author,
            SegmentRecord.position,
            DocumentRecord.id,
            DocumentRecord.name,
            DocumentRecord.source_lang,
            DocumentRecord.target_lang,
        )
        .join(DocumentRecord, DocumentRecord.id == SegmentRecord.document_id)
        .where(SegmentRecord.id == segment_id)
    ).one()
    source, target, stored_status, author, position, doc_id, doc_name, src, tgt = row
    now = now or utcnow()
    if stored_status not in CONFIRMED or not target or not target.strip():
        _release(session, segment_id)
        return
    key = content_key([(src, source), (tgt, target)])
    _detach_imported(session, segment_id, TmUnitRecord.content_key != key)
    own = session.execute(
        select(TmUnitRecord.id, TmUnitRecord.content_key).where(
            TmUnitRecord.segment_id == segment_id, TmUnitRecord.import_id.is_(None)
        )
    ).first()
    if own is not None and own.content_key != key and _hand_over(session, own.id, segment_id):
        own = None  # its old pair is another segment's unit now; this one needs its own
    existing = session.execute(
        select(TmUnitRecord.id).where(TmUnitRecord.content_key == key)
    ).scalar_one_or_none()
    origin = _origin(doc_name, position)
    if existing is not None:
        session.execute(
            update(TmUnitRecord)
            .where(TmUnitRecord.id == existing)
            .values(changed_at=now, changed_by=author, status=stored_status)
        )
        # A unit nobody has any more (its segment was merged away, its document deleted)
        # is this segment's now, so that taking the segment back takes the unit out too.
        session.execute(
            update(TmUnitRecord)
            .where(
                TmUnitRecord.id == existing,
                TmUnitRecord.segment_id.is_(None),
                TmUnitRecord.import_id.is_(None),
            )
            .values(segment_id=segment_id, document_id=doc_id, origin=origin)
        )
        if own is not None and own.id != existing:
            session.execute(delete(TmUnitRecord).where(TmUnitRecord.id == own.id))
        return
    if own is not None:
        session.execute(
            update(TmUnitRecord)
            .where(TmUnitRecord.id == own.id)
            .values(
                content_key=key,
                status=stored_status,
                changed_at=now,
                changed_by=author,
                origin=origin,
            )
        )
        session.execute(delete(TmVariantRecord).where(TmVariantRecord.unit_id == own.id))
        unit_id = own.id
    else:
        unit_id = session.execute(
            insert(TmUnitRecord)
            .values(
                content_key=key,
                srclang=src,
                status=stored_status,
                origin=origin,
                document_id=doc_id,
                segment_id=segment_id,
                created_at=now,
                created_by=author,
                changed_at=now,
                changed_by=author,
            )
            .returning(TmUnitRecord.id)
        ).scalar_one()
    session.execute(
        insert(TmVariantRecord),
        [
            {"unit_id": unit_id, "position": 1, "lang": src, "text": source},
            {"unit_id": unit_id, "position": 2, "lang": tgt, "text": target},
        ],
    )


def _hand_over(session: Session, unit_id: int, segment_id: int) -> bool:
    """Give a unit whose segment no longer has its pair to another confirmed segment that
    has it (the same sentence translated the same way in another document, or further on in
    this one). Returns False when there is none: the pair is nobody's any more."""
    pair = session.execute(
        select(TmVariantRecord.lang, TmVariantRecord.text)
        .where(TmVariantRecord.unit_id == unit_id)
        .order_by(TmVariantRecord.position)
    ).all()
    if len(pair) != 2:
        return False
    (src, source), (tgt, target) = pair
    heir = session.execute(
        select(
            SegmentRecord.id,
            SegmentRecord.position,
            SegmentRecord.status,
            SegmentRecord.author,
            SegmentRecord.updated_at,
            DocumentRecord.id,
            DocumentRecord.name,
        )
        .join(DocumentRecord, DocumentRecord.id == SegmentRecord.document_id)
        .where(
            SegmentRecord.source == source,
            SegmentRecord.target == target,
            SegmentRecord.status.in_(CONFIRMED),
            SegmentRecord.id != segment_id,
            DocumentRecord.source_lang == src,
            DocumentRecord.target_lang == tgt,
        )
        .order_by(SegmentRecord.id)
        .limit(1)
    ).first()
    if heir is None:
        return False
    heir_segment, position, status, author, changed_at, doc_id, doc_name = heir
    session.execute(
        update(TmUnitRecord)
        .where(TmUnitRecord.id == unit_id)
        .values(
            segment_id=heir_segment,
            document_id=doc_id,
            status=status,
            origin=_origin(doc_name, position),
            changed_by=author,
            changed_at=changed_at,
        )
    )
    return True


def _release(session: Session, segment_id: int) -> None:
    """A segment's pair left the memory's confirmed work: its unit goes to another segment
    with the same pair, or out of the memory; an imported unit stays, the import's alone."""
    for unit_id in session.scalars(
        select(TmUnitRecord.id).where(
            TmUnitRecord.segment_id == segment_id, TmUnitRecord.import_id.is_(None)
        )
    ).all():
        if not _hand_over(session, unit_id, segment_id):
            session.execute(delete(TmUnitRecord).where(TmUnitRecord.id == unit_id))
    _detach_imported(session, segment_id)


def _detach_imported(session: Session, segment_id: int, *which: ColumnElement[bool]) -> None:
    """Imported units the segment had (with another pair, by ``which``) are the import's
    alone now."""
    session.execute(
        update(TmUnitRecord)
        .where(TmUnitRecord.segment_id == segment_id, TmUnitRecord.import_id.is_not(None), *which)
        .values(segment_id=None, document_id=None)
    )


def _origin(document: str, position: int) -> str:
    """Where a unit from a segment came from, as the user sees it."""
    return f"{document}, segment {position}"


# -- import ------------------------------------------------------------------------------
#
# An import stores a million units in one transaction, so the rows go in through executemany
# with as little per-row work as possible. Unit ids are needed for the variants: SQLite
# allocates them here (the import holds the write lock from BEGIN IMMEDIATE, so max(id) cannot
# move under it); elsewhere the database hands them back with RETURNING, because another
# writer may take ids from the same sequence at the same time.

_UNITS = cast(Table, TmUnitRecord.__table__)
_VARIANTS = cast(Table, TmVariantRecord.__table__)
_UNIT_COLUMNS = (
    "id",
    "content_key",
    "tuid",
    "srclang",
    "status",
    "origin",
    "created_at",
    "created_by",
    "changed_at",
    "changed_by",
    "notes",
    "props",
)
_VARIANT_COLUMNS = ("unit_id", "position", "lang", "text", "markup", "notes", "props")
_REFRESH = (
    update(_UNITS)
    .where(_UNITS.c.id == bindparam("b_id"))
    .where(_UNITS.c.changed_at.is_(None) | (_UNITS.c.changed_at < bindparam("b_changed")))
    .values(changed_at=bindparam("b_changed"), changed_by=bindparam("b_by"))
)
_REFRESH_SQLITE = (
    "UPDATE tm_unit SET changed_at = ?, changed_by = ? "
    "WHERE id = ? AND (changed_at IS NULL OR changed_at < ?)"
)


class _UnitWriter:
    """Stores prepared rows (``memory_rows``); one per import, inside its transaction."""

    def __init__(self, session: Session, import_id: int) -> None:
        self.session = session
        self.import_id = import_id
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        self.next_id = 0
        self.unclaimed: list[int] = []  # see known() and claim()
        if self.sqlite:
            top = session.execute(select(func.max(_UNITS.c.id))).scalar()
            self.next_id = (top or 0) + 1

    def known(self, keys: list[str]) -> dict[str, int]:
        """The ids of the units already stored with these content keys (and, in
        ``unclaimed``, those of them that came from segments only)."""
        if self.sqlite:
            # Plain SQL: compiling an IN of 5,000 parameters costs more than running it.
            marks = ", ".join("?" * len(keys))
            sql = (
                "SELECT content_key, id, import_id IS NULL FROM tm_unit "
                f"WHERE content_key IN ({marks})"
            )
            rows = self.session.connection().exec_driver_sql(sql, tuple(keys)).all()
        else:
            query = select(_UNITS.c.content_key, _UNITS.c.id, _UNITS.c.import_id.is_(None)).where(
                _UNITS.c.content_key.in_(keys)
            )
            rows = self.session.execute(query).all()
        self.unclaimed.extend(unit_id for _, unit_id, free in rows if free)
        return {key: unit_id for key, unit_id, _ in rows}

    def claim(self) -> None:
        """Known units that only confirmed segments had are this import's too: rejecting
        such a segment later must not take out a pair the imported file has."""
        wanted, self.unclaimed = self.unclaimed, []
        for start in range(0, len(wanted), 500):
            self.session.execute(
                update(_UNITS)
                .where(_UNITS.c.id.in_(wanted[start : start + 500]))
                .values(import_id=self.import_id)
            )

    def refresh(self, rows: list[tuple[int, UnitRow]]) -> None:
        """Known units met again: a later change date (and its author) is kept."""
        if self.sqlite:
            self.session.connection().exec_driver_sql(
                _REFRESH_SQLITE, [(row[8], row[9], unit_id, row[8]) for unit_id, row in rows]
            )
        else:
            self.session.connection().execute(
                _REFRESH,
                [{"b_id": i, "b_changed": _date(row[8]), "b_by": row[9]} for i, row in rows],
            )

    def insert(self, rows: list[UnitRow], variants: list[VariantRow], size: int) -> dict[str, int]:
        """Store the rows (numbered within a batch of ``size``, content keys unique) whose
        content is new, with their variants; the ids of the units already stored, by key.
        Ids follow the file (gaps where a unit was already known)."""
        if not self.sqlite:
            found = self.known([row[1] for row in rows])
            if found:
                rows = [row for row in rows if row[1] not in found]
                variants = _of_units(variants, {row[0] for row in rows})
            if rows:
                self._insert_returning(rows, variants)
            return found
        base = self.next_id
        self.next_id += size
        # The batch goes in as the reader made it: SQLite adds the base to each number. Rows
        # go in by content_key, so each batch fills the unique index on it in key order. A
        # unit already stored is passed over by the insert itself (the unique index is
        # searched once, not once to look and again to insert); only then, and only if the
        # insert passed over some, are they looked up.
        rows.sort(key=itemgetter(1))
        marks = ", ".join("?" * (len(_UNIT_COLUMNS) - 1))
        connection = self.session.connection()
        stored = connection.exec_driver_sql(
            f"INSERT INTO tm_unit ({', '.join(_UNIT_COLUMNS)}, import_id) "
            f"VALUES (? + {int(base)}, {marks}, {int(self.import_id)}) "
            "ON CONFLICT (content_key) DO NOTHING",
            rows,
        ).rowcount
        known: dict[str, int] = {}
        if stored != len(rows):
            new = {
                number
                for (number,) in connection.exec_driver_sql(
                    f"SELECT id - {int(base)} FROM tm_unit WHERE id >= ? AND id < ?",
                    (base, base + size),
                ).fetchall()
            }
            known = self.known([row[1] for row in rows if row[0] not in new])
            variants = _of_units(variants, new)
        if variants:
            connection.exec_driver_sql(
                f"INSERT INTO tm_variant ({', '.join(_VARIANT_COLUMNS)}) "
                f"VALUES (? + {int(base)}, ?, ?, ?, ?, ?, ?)",
                variants,
            )
        return known

    def _insert_returning(self, rows: list[UnitRow], variants: list[VariantRow]) -> None:
        # Elsewhere the database hands the ids out: another writer may take some meanwhile.
        names = _UNIT_COLUMNS[1:]
        ids = self.session.scalars(
            insert(_UNITS).returning(_UNITS.c.id, sort_by_parameter_order=True),
            [
                {
                    **dict(zip(names, row[1:], strict=True)),
                    "created_at": _date(row[6]),
                    "changed_at": _date(row[8]),
                    "import_id": self.import_id,
                }
                for row in rows
            ],
        ).all()
        unit_ids = {row[0]: unit_id for row, unit_id in zip(rows, ids, strict=True)}
        self.session.execute(
            insert(_VARIANTS),
            [
                dict(zip(_VARIANT_COLUMNS, (unit_ids[row[0]], *row[1:]), strict=True))
                for row in variants
            ],
        )


def _date(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _store_batch(session: Session, batch: PreparedBatch, writer: _UnitWriter) -> tuple[int, int]:
    """Insert the new units of a batch, refresh the known ones; (inserted, updated)."""
    rows, variants = batch.rows, batch.variants
    # A unit repeated in a file is stored once, as it first came, and counted as updated; a
    # later change date (and who made it) of a repeat is kept. The same whether the repeat
    # is in this batch (merged here) or a later one (a refresh), so that where batches
    # begin and end, which depends on how the file is read, changes nothing.
    keyed: dict[str, UnitRow] = {row[1]: row for row in rows}
    repeats = len(rows) - len(keyed)
    size = len(rows)
    if repeats:
        keyed = {}
        for row in rows:
            first = keyed.setdefault(row[1], row)
            if first is not row and row[8] is not None and (first[8] is None or row[8] > first[8]):
                keyed[row[1]] = (*first[:8], row[8], row[9], *first[10:])
        rows = list(keyed.values())
        variants = _of_units(variants, {row[0] for row in rows})
    known = writer.insert(rows, variants, size)
    refresh = [(unit_id, row) for key, unit_id in known.items() if (row := keyed[key])[8]]
    if refresh:
        writer.refresh(refresh)
    if writer.unclaimed:
        writer.claim()
    return len(rows) - len(known), len(known) + repeats


def _of_units(variants: list[VariantRow], numbers: set[int]) -> list[VariantRow]:
    """The variants of the units numbered ``numbers`` in their batch."""
    return [row for row in variants if row[0] in numbers]


@contextmanager
def _large_page_cache(session: Session) -> Iterator[None]:
    """A bigger SQLite page cache for this transaction only. Content keys are random, so
    each insert lands anywhere in their unique index; once that index outgrows the default
    2 MB cache, pages are evicted and read back all along. Measured on 1M units: only 5-8%
    faster (the OS cache holds the file anyway) with 128 MB; 32 MB (_IMPORT_CACHE_KIB) leaves
    room under the 300 MB budget for the two processes that read the file (memory_rows):
    at 1M units this process peaked at 185 MB with 64 MB, 152 MB with 32 MB."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    connection = session.connection()
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        # Before the commit is fine: dirty pages stay until written; only clean ones go.
        with suppress(DBAPIError):
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")


def import_memory(
    workspace: Workspace,
    path: str | Path,
    *,
    languages: Collection[str] | None = None,
    progress: Progress = no_progress,
    parallel: bool | None = None,
    split: bool | None = None,
) -> MemoryImport:
    """Import a TMX file as one transaction: all its usable units, or nothing.

    A large file is read in a second process while this one stores, a very large one by
    two, a half each (``memory_rows``); ``parallel`` and ``split`` force those choices.
    """
    path = Path(path)
    if not path.exists():
        raise TranslatorError(f"{path}: no such file")
    header = tmx.read_header(path)
    author = current_user()
    skips: list[SkippedUnit] = []
    skipped = inserted = updated = 0
    seen_langs: dict[str, int] = {}
    with workspace.bulk_session() as session:
        import_id = session.execute(
            insert(TmImportRecord)
            .values(
                name=path.name,
                path=str(path.resolve()),
                format="tmx",
                imported_at=utcnow(),
                imported_by=author,
                units=0,
                updated=0,
                skipped=0,
            )
            .returning(TmImportRecord.id)
        ).scalar_one()
        writer = _UnitWriter(session, import_id)
        dialect = session.get_bind().dialect.name
        count = 0
        with _large_page_cache(session), collector.paused():
            for batch in prepared_batches(path, languages, dialect, parallel=parallel, split=split):
                skipped += batch.skipped
                skips.extend(batch.skips[: _MAX_REPORTED_SKIPS - len(skips)])
                for lang, seen in batch.languages.items():
                    seen_langs[lang] = seen_langs.get(lang, 0) + seen
                if batch.rows:
                    new, known = _store_batch(session, batch, writer)
                    inserted, updated = inserted + new, updated + known
                    count += len(batch.rows)
                    progress(count, 0)  # the total is unknown while streaming
        report = [{"line": s.line, "tuid": s.tuid, "reason": s.reason} for s in skips]
        session.execute(
            update(TmImportRecord)
            .where(TmImportRecord.id == import_id)
            .values(
                units=inserted,
                updated=updated,
                skipped=skipped,
                report=json.dumps(report, ensure_ascii=False),
            )
        )
    warnings: tuple[str, ...] = ()
    if header.srclang is None:
        warnings = ("the header's srclang is *all*: every language can serve as source",)
    note_change()
    return MemoryImport(
        id=import_id,
        name=path.name,
        path=str(path.resolve()),
        format="tmx",
        imported_at=None,
        imported_by=author,
        units=inserted,
        updated=updated,
        skipped=skipped,
        skips=tuple(skips),
        languages=tuple(sorted(seen_langs, key=lambda lang: -seen_langs[lang])),
        warnings=warnings,
    )


def list_imports(workspace: Workspace) -> list[MemoryImport]:
    with workspace.session() as session:
        records = session.scalars(select(TmImportRecord).order_by(TmImportRecord.id)).all()
        return [
            MemoryImport(
                id=r.id,
                name=r.name,
                path=r.path,
                format=r.format,
                imported_at=aware_utc(r.imported_at),
                imported_by=r.imported_by,
                units=r.units,
                updated=r.updated,
                skipped=r.skipped,
            )
            for r in records
        ]


def remove_import(workspace: Workspace, import_id: int) -> MemoryImport:
    """Take an imported memory out again: its units go, except those that a confirmed
    segment has too (they stay, as that segment's); the rest of the memory stays."""
    found = [m for m in list_imports(workspace) if m.id == import_id]
    if not found:
        raise NotFoundError(f"no imported memory {import_id} (see 'translator tm list')")
    note_change()
    with workspace.session() as session:
        _keep_confirmed(session, import_id)
        session.execute(delete(TmImportRecord).where(TmImportRecord.id == import_id))
    return found[0]


def _keep_confirmed(session: Session, import_id: int) -> None:
    """The import's units whose pair a confirmed segment has become that segment's."""
    rows = session.execute(
        select(
            SegmentRecord.id,
            SegmentRecord.position,
            SegmentRecord.source,
            SegmentRecord.target,
            DocumentRecord.id,
            DocumentRecord.name,
            DocumentRecord.source_lang,
            DocumentRecord.target_lang,
        )
        .join(DocumentRecord, DocumentRecord.id == SegmentRecord.document_id)
        .where(SegmentRecord.status.in_(CONFIRMED), SegmentRecord.target.is_not(None))
        .order_by(SegmentRecord.id)
    ).all()
    holders: dict[str, Any] = {}
    for row in rows:
        if row.target.strip():
            key = content_key([(row.source_lang, row.source), (row.target_lang, row.target)])
            holders.setdefault(key, row)
    keys, kept = list(holders), []
    for start in range(0, len(keys), 500):
        for unit_id, key in session.execute(
            select(TmUnitRecord.id, TmUnitRecord.content_key).where(
                TmUnitRecord.import_id == import_id,
                TmUnitRecord.content_key.in_(keys[start : start + 500]),
            )
        ).all():
            holder = holders[key]
            origin = _origin(holder.name, holder.position)
            kept.append(
                {
                    "b_id": unit_id,
                    "b_segment": holder[0],
                    "b_document": holder[4],
                    "b_origin": origin,
                }
            )
    if kept:  # one executemany
        session.connection().execute(
            update(_UNITS)
            .where(_UNITS.c.id == bindparam("b_id"))
            .values(
                import_id=None,
                segment_id=bindparam("b_segment"),
                document_id=bindparam("b_document"),
                origin=bindparam("b_origin"),
            ),
            kept,
        )


def memory_stats(workspace: Workspace) -> MemoryStats:
    with workspace.session() as session:
        units = session.scalar(select(func.count()).select_from(TmUnitRecord)) or 0
        imported = (
            session.scalar(
                select(func.count())
                .select_from(TmUnitRecord)
                .where(TmUnitRecord.import_id.is_not(None))
            )
            or 0
        )
        langs = session.execute(
            select(TmVariantRecord.lang, func.count())
            .group_by(TmVariantRecord.lang)
            .order_by(func.count().desc())
        ).all()
    return MemoryStats(
        units=units,
        from_documents=units - imported,
        imported=imported,
        languages=tuple((lang, int(n)) for lang, n in langs),
    )


# -- export ------------------------------------------------------------------------------


def iter_memory(
    workspace: Workspace,
    *,
    document_id: int | None = None,
    min_status: str | None = None,
    import_id: int | None = None,
) -> Iterator[Unit]:
    """Every unit (or those of a document / from a status up), in chunks: memory stays flat.

    Read in one snapshot without a write lock (other windows keep saving meanwhile).
    """
    with workspace.reading() as connection:
        for unit_id, f in _memory_rows(
            connection, document_id=document_id, min_status=min_status, import_id=import_id
        ):
            yield Unit(
                variants=tuple(Variant(*entry) for entry in f[10]),
                tuid=f[0],
                srclang=f[1],
                created_at=aware_utc(f[2]),
                created_by=f[3],
                changed_at=aware_utc(f[4]),
                changed_by=f[5],
                origin=f[6],
                status=f[7],
                notes=f[8],
                props=f[9],
                id=unit_id,
            )


def export_memory(
    workspace: Workspace,
    out: str | Path,
    *,
    document_id: int | None = None,
    min_status: str | None = None,
    srclang: str = "ar",
    progress: Progress = no_progress,
) -> int:
    """Write the memory (or part of it) as TMX 1.4b; returns the number of units."""
    if min_status is not None and min_status not in CONFIRMED:
        raise TranslatorError(f"--status must be one of {', '.join(CONFIRMED)}")
    # A whole memory on SQLite: SQLite writes the XML itself (services/memory_export). A
    # document's units (a few thousand, chosen by their texts: see _document_units) and
    # PostgreSQL take the plain path.
    if workspace.dialect == "sqlite" and document_id is None:
        return export_sqlite(
            workspace,
            Path(out),
            srclang=srclang,
            statuses=None if min_status is None else _statuses_from(min_status),
            progress=progress,
            fallback=_rows_of,
        )
    with workspace.reading() as connection:  # one snapshot for the whole file, no write lock
        rows = _memory_rows(connection, document_id=document_id, min_status=min_status)
        fields = (f for _, f in rows)
        return tmx.write_tmx_fields(Path(out), fields, srclang=srclang, progress=progress)


def _pages(
    connection: Connection, query: Select[Any], ids: Sequence[int] | None
) -> Iterator[Sequence[Any]]:
    """The query's rows in id order, _EXPORT_BATCH at a time: those with the given ids (a
    chunk of them a query, within the database's limit of parameters), or all of them."""
    u = _UNITS.c
    if ids is not None:
        ordered = sorted(ids)
        for start in range(0, len(ordered), _EXPORT_BATCH):
            chunk = ordered[start : start + _EXPORT_BATCH]
            records = connection.execute(query.where(u.id.in_(chunk)).order_by(u.id)).all()
            if records:
                yield records
        return
    last = 0
    while records := connection.execute(
        query.where(u.id > last).order_by(u.id).limit(_EXPORT_BATCH)
    ).all():
        yield records
        last = records[-1][0]


def _document_units(connection: Connection, document_id: int) -> list[int]:
    """The units of a document's confirmed segments, in id order: its own, and those with
    the same texts that were in the memory before (imported, or from another document),
    which its segments refreshed rather than stored twice."""
    segment, document = SegmentRecord, DocumentRecord
    confirmed = connection.execute(
        select(segment.source, segment.target, document.source_lang, document.target_lang)
        .join(document, document.id == segment.document_id)
        .where(segment.document_id == document_id, segment.status.in_(CONFIRMED))
    ).all()
    keys = [
        content_key([(src, source), (tgt, target)])
        for source, target, src, tgt in confirmed
        if target and target.strip()
    ]
    units = _UNITS.c
    ids = set(connection.scalars(select(units.id).where(units.document_id == document_id)))
    for start in range(0, len(keys), _EXPORT_BATCH):
        chunk = keys[start : start + _EXPORT_BATCH]
        ids.update(connection.scalars(select(units.id).where(units.content_key.in_(chunk))))
    return sorted(ids)


def _statuses_from(min_status: str) -> list[str]:
    return _STATUS_ORDER[_STATUS_ORDER.index(min_status) :]


def _rows_of(connection: Connection, ids: Sequence[int]) -> Iterator[tuple[int, tmx.UnitFields]]:
    """The units SQLite leaves to the TMX writer (tmx_sql), read as the Python path reads."""
    return _memory_rows(connection, ids=ids)


@functools.lru_cache(maxsize=4096)
def _notes_of(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


@functools.lru_cache(maxsize=4096)
def _props_of(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a, b in json.loads(text))


def _memory_rows(
    connection: Connection,
    *,
    document_id: int | None = None,
    min_status: str | None = None,
    import_id: int | None = None,
    ids: Sequence[int] | None = None,
) -> Iterator[tuple[int, tmx.UnitFields]]:
    """(unit id, the TMX writer's plain tuple) for every unit wanted, in id order, in chunks.

    The one reader of the memory's rows: ``iter_memory`` builds domain Units from it and
    ``export_memory`` hands it to the TMX writer as it is (no object per unit on that path).
    """
    u, v = _UNITS.c, _VARIANTS.c
    query = select(
        u.id,
        u.tuid,
        u.srclang,
        u.created_at,
        u.created_by,
        u.changed_at,
        u.changed_by,
        u.origin,
        u.status,
        u.notes,
        u.props,
    )
    if document_id is not None:
        wanted = _document_units(connection, document_id)
        ids = wanted if ids is None else sorted(set(wanted).intersection(ids))
    if import_id is not None:
        query = query.where(u.import_id == import_id)
    if min_status is not None:
        query = query.where(u.status.in_(_statuses_from(min_status)))
    filtered = any(x is not None for x in (min_status, import_id, ids))
    variant_query = select(v.unit_id, v.lang, v.text, v.markup, v.notes, v.props)
    for records in _pages(connection, query, ids):
        first, last = records[0][0], records[-1][0]
        variants: dict[int, list[tuple[Any, ...]]] = {}
        for unit_id, lang, text, markup, notes, props in connection.execute(
            variant_query.where(
                v.unit_id.in_([r[0] for r in records])
                if filtered
                else v.unit_id.between(first, last)  # consecutive runs: a range scan
            ).order_by(v.unit_id, v.position, v.id)  # ties: the same order on every path
        ).all():  # all at once: iterating a result fetches row by row
            entry = (
                lang,
                text,
                markup,
                _notes_of(notes) if notes else (),
                _props_of(props) if props else (),
            )
            found = variants.get(unit_id)
            if found is None:
                variants[unit_id] = [entry]
            else:
                found.append(entry)
        none: list[tuple[Any, ...]] = []
        yield from [
            (
                unit_id,
                (
                    tuid or str(unit_id),
                    srclang,
                    created_at,
                    created_by,
                    changed_at,
                    changed_by,
                    origin,
                    status,
                    _notes_of(notes) if notes else (),
                    _props_of(props) if props else (),
                    variants.get(unit_id, none),
                ),
            )
            for (
                unit_id,
                tuid,
                srclang,
                created_at,
                created_by,
                changed_at,
                changed_by,
                origin,
                status,
                notes,
                props,
            ) in records
        ]
