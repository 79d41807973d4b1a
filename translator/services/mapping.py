"""Turning rows into domain objects, so nothing above services sees an ORM object."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, case, func, select

from translator.domain import DocumentSummary, Segment, Status
from translator.storage.models import DocumentRecord, ParagraphRecord, SegmentRecord

CONFIRMED = (Status.TRANSLATED.value, Status.REVIEWED.value, Status.APPROVED.value)


def summary_query() -> Select[Any]:
    """Documents with their segment and word counts, in one grouped query."""
    confirmed = SegmentRecord.status.in_(CONFIRMED)
    return (
        select(
            DocumentRecord,
            func.count(SegmentRecord.id),
            func.coalesce(func.sum(case((confirmed, 1), else_=0)), 0),
            func.coalesce(func.sum(SegmentRecord.source_words), 0),
            func.coalesce(func.sum(case((confirmed, SegmentRecord.source_words), else_=0)), 0),
        )
        .outerjoin(SegmentRecord, SegmentRecord.document_id == DocumentRecord.id)
        .group_by(DocumentRecord.id)
        .order_by(DocumentRecord.id)
    )


def to_summary(row: Any) -> DocumentSummary:
    record, segments, translated, words, words_translated = row
    return DocumentSummary(
        id=record.id,
        name=record.name,
        source_lang=record.source_lang,
        target_lang=record.target_lang,
        format=record.format,
        segments=int(segments),
        translated=int(translated),
        words=int(words),
        words_translated=int(words_translated),
        created_at=record.created_at,
    )


def segment_query() -> Select[Any]:
    return (
        select(SegmentRecord, ParagraphRecord.position)
        .join(ParagraphRecord, ParagraphRecord.id == SegmentRecord.paragraph_id)
        .order_by(SegmentRecord.position)
    )


def to_segment(record: SegmentRecord, paragraph: int) -> Segment:
    return Segment(
        id=record.id,
        document_id=record.document_id,
        n=record.position,
        paragraph=paragraph,
        source=record.source,
        target=record.target,
        status=Status(record.status),
        version=record.version,
        author=record.author,
        updated_at=record.updated_at,
    )
