"""Segment use cases: save a draft, confirm, set status; every change kept in history."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from translator.domain import HistoryEntry, Segment, Status
from translator.errors import ConflictError, NotFoundError
from translator.services.mapping import segment_query, to_segment
from translator.services.users import current_user
from translator.storage.database import Workspace
from translator.storage.models import SegmentHistoryRecord, SegmentRecord, utcnow


def get_segment(workspace: Workspace, segment_id: int) -> Segment:
    with workspace.session() as session:
        row = session.execute(segment_query().where(SegmentRecord.id == segment_id)).one_or_none()
        if row is None:
            raise NotFoundError(f"segment {segment_id} does not exist (was its document deleted?)")
        return to_segment(*row)


def update_segment(
    workspace: Workspace,
    segment_id: int,
    *,
    target: str | None,
    status: Status,
    expected_version: int,
    author: str | None = None,
    action: str = "edit",
) -> Segment:
    """Write a segment's target and status if nobody changed it since ``expected_version``.

    The write and its history row are one transaction, committed before returning.
    A stale ``expected_version`` raises ConflictError and changes nothing: another
    window or translator saved first, and their work must not be overwritten silently.
    """
    author = author or current_user()
    now = utcnow()
    with workspace.session() as session:
        result = session.execute(
            update(SegmentRecord)
            .where(SegmentRecord.id == segment_id, SegmentRecord.version == expected_version)
            .values(
                target=target,
                status=status.value,
                author=author,
                updated_at=now,
                version=SegmentRecord.version + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            current = session.scalar(select(SegmentRecord).where(SegmentRecord.id == segment_id))
            if current is None:
                raise NotFoundError(f"segment {segment_id} does not exist")
            raise ConflictError(
                f"segment {current.position} was changed by {current.author or 'someone'} "
                f"at {current.updated_at:%H:%M:%S}; reload it before saving "
                "(nothing was overwritten)"
            )
        session.execute(
            insert(SegmentHistoryRecord).values(
                segment_id=segment_id,
                version=expected_version + 1,
                target=target,
                status=status.value,
                author=author,
                changed_at=now,
                action=action,
            )
        )
        row = session.execute(segment_query().where(SegmentRecord.id == segment_id)).one()
        return to_segment(*row)


def segment_history(workspace: Workspace, segment_id: int) -> list[HistoryEntry]:
    with workspace.session() as session:
        rows = session.scalars(
            select(SegmentHistoryRecord)
            .where(SegmentHistoryRecord.segment_id == segment_id)
            .order_by(SegmentHistoryRecord.version)
        )
        return [
            HistoryEntry(r.version, r.target, Status(r.status), r.author, r.changed_at, r.action)
            for r in rows
        ]
