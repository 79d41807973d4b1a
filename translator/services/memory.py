"""The translation memory: confirmed segments feed it; TMX files go in and out.

Units are stored as TMX has them, one text per language, so a memory from another tool
keeps every language and a unit serves in either direction. A unit's ``content_key`` is a
digest of its (language, text) pairs: the same pair is stored once, whoever brings it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

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
from translator.services.progress import Progress, no_progress
from translator.services.users import current_user
from translator.storage.database import Workspace
from translator.storage.models import (
    DocumentRecord,
    SegmentRecord,
    TmImportRecord,
    TmUnitRecord,
    TmVariantRecord,
    utcnow,
)

_BATCH = 2_000
_MAX_REPORTED_SKIPS = 1_000  # each with its reason; the count is always complete
CONFIRMED = tuple(s.value for s in Status if s.is_confirmed)
_STATUS_ORDER = [s.value for s in Status]


def content_key(pairs: Iterable[tuple[str, str]]) -> str:
    """The identity of a unit's content: its texts by language, in any order."""
    canonical = sorted((lang.lower(), text) for lang, text in pairs)
    return hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode()).hexdigest()


def _json(items: Sequence[Any]) -> str | None:
    return json.dumps(list(items), ensure_ascii=False) if items else None


def _unjson_notes(text: str | None) -> tuple[str, ...]:
    return tuple(json.loads(text)) if text else ()


def _unjson_props(text: str | None) -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a, b in json.loads(text)) if text else ()


# -- confirmed segments ------------------------------------------------------------------


def record_segment(session: Session, segment_id: int, now: datetime | None = None) -> None:
    """Keep the memory in step with one segment, inside the caller's unit of work.

    A confirmed segment (translated, reviewed, approved) has a unit with its source and
    target; editing and re-confirming updates that unit; an identical pair already in the
    memory is refreshed instead of stored twice. A segment that goes back to draft or new
    (an undone confirm) takes its own unit out again.
    """
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
    source, target, status, author, position, doc_id, doc_name, src, tgt = row
    now = now or utcnow()
    own = session.execute(
        select(TmUnitRecord.id, TmUnitRecord.content_key, TmUnitRecord.import_id).where(
            TmUnitRecord.segment_id == segment_id
        )
    ).first()
    if status not in CONFIRMED or not target or not target.strip():
        if own is not None and own.import_id is None:
            session.execute(delete(TmUnitRecord).where(TmUnitRecord.id == own.id))
        return
    key = content_key([(src, source), (tgt, target)])
    existing = session.execute(
        select(TmUnitRecord.id).where(TmUnitRecord.content_key == key)
    ).scalar_one_or_none()
    origin = f"{doc_name}, segment {position}"
    if existing is not None:
        session.execute(
            update(TmUnitRecord)
            .where(TmUnitRecord.id == existing)
            .values(changed_at=now, changed_by=author, status=status)
        )
        if own is not None and own.id != existing and own.import_id is None:
            session.execute(delete(TmUnitRecord).where(TmUnitRecord.id == own.id))
        return
    if own is not None and own.import_id is None:
        session.execute(
            update(TmUnitRecord)
            .where(TmUnitRecord.id == own.id)
            .values(
                content_key=key, status=status, changed_at=now, changed_by=author, origin=origin
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
                status=status,
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


# -- import ------------------------------------------------------------------------------


def _unit_row(unit: Unit, key: str, import_id: int, origin: str) -> dict[str, Any]:
    return {
        "content_key": key,
        "tuid": unit.tuid,
        "srclang": unit.srclang,
        "status": unit.status,
        "origin": unit.origin or origin,
        "import_id": import_id,
        "created_at": unit.created_at,
        "created_by": unit.created_by,
        "changed_at": unit.changed_at,
        "changed_by": unit.changed_by,
        "notes": _json(unit.notes),
        "props": _json(unit.props),
    }


def _store_batch(
    session: Session, batch: list[Unit], import_id: int, origin: str
) -> tuple[int, int]:
    """Insert the new units of a batch, refresh the known ones; (inserted, updated)."""
    keyed: dict[str, Unit] = {}
    repeats = 0
    for unit in batch:
        key = content_key((v.lang, v.text) for v in unit.variants)
        if key in keyed:
            repeats += 1  # the same unit twice in one file: stored once, counted as update
        keyed[key] = unit
    known = dict(
        session.execute(
            select(TmUnitRecord.content_key, TmUnitRecord.id).where(
                TmUnitRecord.content_key.in_(list(keyed))
            )
        ).all()
    )
    for key, unit_id in known.items():
        unit = keyed[key]
        if unit.changed_at is not None:
            session.execute(
                update(TmUnitRecord)
                .where(TmUnitRecord.id == unit_id)
                .where(
                    (TmUnitRecord.changed_at.is_(None))
                    | (TmUnitRecord.changed_at < unit.changed_at)
                )
                .values(changed_at=unit.changed_at, changed_by=unit.changed_by)
            )
    new = [(key, unit) for key, unit in keyed.items() if key not in known]
    if new:
        ids = session.scalars(
            insert(TmUnitRecord).returning(TmUnitRecord.id, sort_by_parameter_order=True),
            [_unit_row(unit, key, import_id, origin) for key, unit in new],
        ).all()
        session.execute(
            insert(TmVariantRecord),
            [
                {
                    "unit_id": unit_id,
                    "position": position,
                    "lang": variant.lang,
                    "text": variant.text,
                    "markup": variant.markup,
                    "notes": _json(variant.notes),
                    "props": _json(variant.props),
                }
                for unit_id, (_, unit) in zip(ids, new, strict=True)
                for position, variant in enumerate(unit.variants, 1)
            ],
        )
    return len(new), len(known) + repeats


def import_memory(
    workspace: Workspace,
    path: str | Path,
    *,
    languages: Collection[str] | None = None,
    progress: Progress = no_progress,
) -> MemoryImport:
    """Import a TMX file as one transaction: all its usable units, or nothing."""
    path = Path(path)
    if not path.exists():
        raise TranslatorError(f"{path}: no such file")
    header = tmx.read_header(path)
    author = current_user()
    skips: list[SkippedUnit] = []
    skipped = inserted = updated = 0
    seen_langs: dict[str, int] = {}
    with workspace.session() as session:
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
        batch: list[Unit] = []
        count = 0
        for item in tmx.iter_units(path, languages=languages):
            if isinstance(item, SkippedUnit):
                skipped += 1
                if len(skips) < _MAX_REPORTED_SKIPS:
                    skips.append(item)
                continue
            for variant in item.variants:
                seen_langs[variant.lang] = seen_langs.get(variant.lang, 0) + 1
            batch.append(item)
            count += 1
            if len(batch) >= _BATCH:
                new, known = _store_batch(session, batch, import_id, path.name)
                inserted, updated = inserted + new, updated + known
                batch.clear()
                progress(count, 0)  # the total is unknown while streaming
        if batch:
            new, known = _store_batch(session, batch, import_id, path.name)
            inserted, updated = inserted + new, updated + known
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
                imported_at=r.imported_at,
                imported_by=r.imported_by,
                units=r.units,
                updated=r.updated,
                skipped=r.skipped,
            )
            for r in records
        ]


def remove_import(workspace: Workspace, import_id: int) -> MemoryImport:
    """Take an imported memory out again: its units go; the rest of the memory stays."""
    found = [m for m in list_imports(workspace) if m.id == import_id]
    if not found:
        raise NotFoundError(f"no imported memory {import_id} (see 'translator tm list')")
    with workspace.session() as session:
        session.execute(delete(TmImportRecord).where(TmImportRecord.id == import_id))
    return found[0]


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
    """Every unit (or those of a document / from a status up), in chunks: memory stays flat."""
    last = 0
    while True:
        with workspace.session() as session:
            query = select(TmUnitRecord).where(TmUnitRecord.id > last)
            if document_id is not None:
                query = query.where(TmUnitRecord.document_id == document_id)
            if import_id is not None:
                query = query.where(TmUnitRecord.import_id == import_id)
            if min_status is not None:
                wanted = _STATUS_ORDER[_STATUS_ORDER.index(min_status) :]
                query = query.where(TmUnitRecord.status.in_(wanted))
            records = session.scalars(query.order_by(TmUnitRecord.id).limit(_BATCH)).all()
            if not records:
                return
            variants: dict[int, list[Variant]] = {}
            for v in session.scalars(
                select(TmVariantRecord)
                .where(TmVariantRecord.unit_id.in_([r.id for r in records]))
                .order_by(TmVariantRecord.unit_id, TmVariantRecord.position)
            ):
                variants.setdefault(v.unit_id, []).append(
                    Variant(
                        lang=v.lang,
                        text=v.text,
                        markup=v.markup,
                        notes=_unjson_notes(v.notes),
                        props=_unjson_props(v.props),
                    )
                )
            units = [
                Unit(
                    variants=tuple(variants.get(r.id, ())),
                    tuid=r.tuid or str(r.id),
                    srclang=r.srclang,
                    created_at=_aware(r.created_at),
                    created_by=r.created_by,
                    changed_at=_aware(r.changed_at),
                    changed_by=r.changed_by,
                    origin=r.origin,
                    status=r.status,
                    notes=_unjson_notes(r.notes),
                    props=_unjson_props(r.props),
                    id=r.id,
                )
                for r in records
            ]
            last = records[-1].id
        yield from units


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC time stamps; make them explicit."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


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
    units = iter_memory(workspace, document_id=document_id, min_status=min_status)
    return tmx.write_tmx(Path(out), units, srclang=srclang, progress=progress)
