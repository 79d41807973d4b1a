"""SQLAlchemy 2.0 models of the workspace; ``*Record`` so they never clash with Qt models."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names make alembic batch migrations on SQLite possible.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back the UTC time stamps it stored without their offset: one form for
    both backends."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DocumentRecord(Base):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(400), unique=True)
    source_lang: Mapped[str] = mapped_column(String(35))
    target_lang: Mapped[str] = mapped_column(String(35))
    format: Mapped[str] = mapped_column(String(20))
    original_path: Mapped[str | None] = mapped_column(Text)
    encoding: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(200))
    # What a source format needs to be written back as it came (a PO header, obsolete
    # entries ...), as JSON; None for plain articles.
    meta: Mapped[str | None] = mapped_column(Text)

    paragraphs: Mapped[list[ParagraphRecord]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class ParagraphRecord(Base):
    __tablename__ = "paragraph"
    __table_args__ = (UniqueConstraint("document_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # 1-based
    blank_lines_before: Mapped[int] = mapped_column(Integer, default=0)

    document: Mapped[DocumentRecord] = relationship(back_populates="paragraphs")


class SegmentRecord(Base):
    __tablename__ = "segment"
    __table_args__ = (
        UniqueConstraint("document_id", "position"),
        Index("ix_segment_paragraph_id", "paragraph_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("paragraph.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # 1-based, order in the document
    source: Mapped[str] = mapped_column(Text)
    target: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="new")
    source_words: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)  # the translator's comment
    context: Mapped[str | None] = mapped_column(Text)  # a key from the source format (PO msgctxt)
    meta: Mapped[str | None] = mapped_column(Text)  # format details as JSON (PO flags, plurals ...)
    author: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Optimistic locking: every write bumps it; a write that expected another value is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)


class SegmentHistoryRecord(Base):
    """Every change of a segment's target or status, with who and when."""

    __tablename__ = "segment_history"
    __table_args__ = (Index("ix_segment_history_segment_id", "segment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segment.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    target: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    author: Mapped[str | None] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    action: Mapped[str] = mapped_column(String(40))  # import, edit, confirm, split, merge ...
    note: Mapped[str | None] = mapped_column(Text)  # a rejection's reason


class TmImportRecord(Base):
    """One imported memory file: its units can be listed, filtered and removed together."""

    __tablename__ = "tm_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(400))
    path: Mapped[str | None] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(20))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    imported_by: Mapped[str | None] = mapped_column(String(200))
    units: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[str | None] = mapped_column(Text)  # the skips, as JSON


class TmUnitRecord(Base):
    """A translation unit: one text per language (in TmVariantRecord), as TMX has it."""

    __tablename__ = "tm_unit"
    __table_args__ = (
        UniqueConstraint("content_key"),
        # Partial: imported units (most of a memory) have no segment or document.
        Index(
            "ix_tm_unit_segment_id",
            "segment_id",
            sqlite_where=text("segment_id IS NOT NULL"),
            postgresql_where=text("segment_id IS NOT NULL"),
        ),
        Index("ix_tm_unit_import_id", "import_id"),
        Index(
            "ix_tm_unit_document_id",
            "document_id",
            sqlite_where=text("document_id IS NOT NULL"),
            postgresql_where=text("document_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A digest of the (language, text) pairs: the same pair is never stored twice.
    content_key: Mapped[str] = mapped_column(String(64))
    tuid: Mapped[str | None] = mapped_column(String(200))
    srclang: Mapped[str | None] = mapped_column(String(35))
    status: Mapped[str | None] = mapped_column(String(20))
    origin: Mapped[str | None] = mapped_column(Text)  # shown to the user
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("segment.id", ondelete="SET NULL"))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("tm_import.id", ondelete="CASCADE"))
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str | None] = mapped_column(String(200))
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    changed_by: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)  # JSON list
    props: Mapped[str | None] = mapped_column(Text)  # JSON list of [type, value]


class TmVariantRecord(Base):
    """One language's text of a unit; ``markup`` keeps TMX inline elements when there are any."""

    __tablename__ = "tm_variant"
    __table_args__ = (Index("ix_tm_variant_unit_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("tm_unit.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # order in the unit, as in the file
    lang: Mapped[str] = mapped_column(String(35))
    text: Mapped[str] = mapped_column(Text)
    markup: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)  # JSON list
    props: Mapped[str | None] = mapped_column(Text)  # JSON list of [type, value]


class DocumentReferenceRecord(Base):
    """A reference translation of a document, attached once and scored against many times."""

    __tablename__ = "document_reference"
    __table_args__ = (UniqueConstraint("document_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(20))  # "lines" or "published"
    origin: Mapped[str | None] = mapped_column(Text)  # the file it came from
    lines: Mapped[str] = mapped_column(Text)  # JSON list: one reference line per segment
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(200))


class ScoreRecord(Base):
    """One corpus score of a document (one metric of one scoring), with who and when."""

    __tablename__ = "score"
    __table_args__ = (Index("ix_score_document_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(20))  # bleu, chrf, ter
    score: Mapped[float] = mapped_column(Float)
    signature: Mapped[str] = mapped_column(Text)  # sacrebleu's, e.g. nrefs:1|case:mixed|...
    details: Mapped[str] = mapped_column(Text)  # JSON: precisions, lengths, edits ...
    segment_scores: Mapped[str] = mapped_column(Text)  # JSON: [[n, score], ...]
    against: Mapped[str] = mapped_column(String(450))  # "reference:NAME" or "draft"
    segments: Mapped[int] = mapped_column(Integer)  # segments scored
    scored_by: Mapped[str | None] = mapped_column(String(200))
    scored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GlossaryTermRecord(Base):
    """A glossary entry: how a term is to be translated (serves in both directions)."""

    __tablename__ = "glossary_term"
    __table_args__ = (UniqueConstraint("source_lang", "source", "target_lang", "target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_lang: Mapped[str] = mapped_column(String(35))
    source: Mapped[str] = mapped_column(String(400))
    target_lang: Mapped[str] = mapped_column(String(35))
    target: Mapped[str] = mapped_column(String(400))
    note: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str | None] = mapped_column(Text)  # the imported file; None: added by hand
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    changed_by: Mapped[str | None] = mapped_column(String(200))


class GlossaryStateRecord(Base):
    """One row: the glossary's revision, moved on by every change, so that an open
    glossary index knows when to read the glossary again (clocks of team members differ)."""

    __tablename__ = "glossary_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
