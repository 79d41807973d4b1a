"""Plain domain objects shared by every layer: no Qt, no SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Status(StrEnum):
    """Where a segment is in its life; the order is the order of progress."""

    NEW = "new"
    DRAFT = "draft"
    TRANSLATED = "translated"
    REVIEWED = "reviewed"
    APPROVED = "approved"

    @property
    def is_confirmed(self) -> bool:
        return self in (Status.TRANSLATED, Status.REVIEWED, Status.APPROVED)


@dataclass(frozen=True)
class SourceDocument:
    """What a file reader produces: the paragraphs of an article, in order.

    ``paragraphs`` holds the text of each paragraph (no line breaks inside);
    ``blank_lines_before[i]`` counts the empty lines in front of paragraph ``i`` so
    that a plain-text export can rebuild the original layout.
    """

    paragraphs: tuple[str, ...]
    blank_lines_before: tuple[int, ...] = ()
    format: str = "txt"
    encoding: str | None = None
    source_lang: str | None = None
    target_lang: str | None = None

    def __post_init__(self) -> None:
        if not self.blank_lines_before:
            object.__setattr__(self, "blank_lines_before", (0,) * len(self.paragraphs))
        if len(self.blank_lines_before) != len(self.paragraphs):
            raise ValueError("blank_lines_before must have one entry per paragraph")


@dataclass(frozen=True)
class Segment:
    """One sentence of a document with its translation."""

    id: int
    document_id: int
    n: int  # position in the document, counting from 1
    paragraph: int  # paragraph number, counting from 1
    source: str
    target: str | None
    status: Status
    version: int
    author: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class DocumentSummary:
    """A document as listed: counts and progress, no segments."""

    id: int
    name: str
    source_lang: str
    target_lang: str
    format: str
    segments: int
    translated: int  # confirmed segments (translated, reviewed or approved)
    words: int  # source words
    words_translated: int
    created_at: datetime | None = None

    @property
    def progress(self) -> float:
        """Share of confirmed segments, 0.0 to 1.0."""
        return self.translated / self.segments if self.segments else 0.0

    @property
    def words_progress(self) -> float:
        return self.words_translated / self.words if self.words else 0.0


@dataclass(frozen=True)
class Document:
    """A document with all its segments, in order."""

    summary: DocumentSummary
    segments: tuple[Segment, ...] = field(default=())
    blank_lines_before: tuple[int, ...] = field(default=())  # per paragraph


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a segment: what its target and status became, who did it and when."""

    version: int
    target: str | None
    status: Status
    author: str | None
    changed_at: datetime
    action: str


@dataclass(frozen=True)
class MergeResult:
    """What merging two segments did, with all that undoing it needs.

    ``first`` and ``second`` are the two segments as they were just before the merge;
    undo (``unmerge_segments``) brings both back, the second under its old id.
    """

    merged: Segment
    first: Segment
    second: Segment
    moved_history: tuple[int, ...] = ()  # ids of the second's history rows, now the merged's
    first_note: str | None = None
    second_note: str | None = None
    second_context: str | None = None

    @property
    def split_at(self) -> int:
        """The offset in ``merged.source`` where the second segment's text began."""
        return len(self.first.source)


@dataclass(frozen=True)
class FindHit:
    """One occurrence of a searched text: ``start:end`` of the segment's source or target."""

    segment_id: int
    n: int
    field: str  # "source" or "target"
    start: int
    end: int


# -- translation memory -------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    """One language's text in a translation unit (a TMX ``<tuv>``).

    ``text`` is the plain text that matching and search see; ``markup`` keeps the
    ``<seg>`` content with its inline elements (bpt, ept, ph, it, hi, sub, ut) as XML, when
    it has any, so that an exported unit carries them back unchanged.
    """

    lang: str  # BCP 47 with normalised casing: "ar", "en-US"
    text: str
    markup: str | None = None
    notes: tuple[str, ...] = ()
    props: tuple[tuple[str, str], ...] = ()  # (type, value), in file order


@dataclass(frozen=True)
class Unit:
    """A translation unit: one text per language, as TMX holds it; serves in any direction."""

    variants: tuple[Variant, ...]
    tuid: str | None = None
    srclang: str | None = None
    created_at: datetime | None = None
    created_by: str | None = None
    changed_at: datetime | None = None
    changed_by: str | None = None
    origin: str | None = None  # "document 3, segment 17", or the imported file's name
    status: str | None = None  # the segment status it came from (translated, approved ...)
    notes: tuple[str, ...] = ()
    props: tuple[tuple[str, str], ...] = ()  # (type, value), in file order
    id: int | None = None  # the workspace's id, once stored

    def variant(self, lang: str) -> Variant | None:
        """The variant for ``lang``: the exact tag first, else the same base language."""
        wanted = lang.lower()
        for variant in self.variants:
            if variant.lang.lower() == wanted:
                return variant
        base = wanted.split("-")[0]
        for variant in self.variants:
            if variant.lang.lower().split("-")[0] == base:
                return variant
        return None


@dataclass(frozen=True)
class SkippedUnit:
    """A unit an import left out, and why (reported, never silently dropped)."""

    line: int | None
    tuid: str | None
    reason: str


@dataclass(frozen=True)
class MemoryImport:
    """What a memory import did: counted and explained, never silent."""

    id: int
    name: str
    path: str | None
    format: str
    imported_at: datetime | None
    imported_by: str | None
    units: int  # new units stored
    updated: int  # units already in the memory (same texts), their dates refreshed
    skipped: int
    skips: tuple[SkippedUnit, ...] = ()  # the first skips, each with its reason
    languages: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class MemoryStats:
    units: int
    from_documents: int
    imported: int
    languages: tuple[tuple[str, int], ...]  # (language, variants), most first
