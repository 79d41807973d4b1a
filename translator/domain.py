"""Plain domain objects shared by every layer: no Qt, no SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Status(StrEnum):
    """Where a segment is in its life; the order is the order of progress."""

    NEW = "new"
    DRAFT = "draft"
    PRETRANSLATED = "pretranslated"  # filled from the memory; needs a look before confirming
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


REJECTED_BY = "Rejected by "  # how a rejection starts in a segment's note


def without_rejection(note: str | None) -> list[str]:
    """The lines of a segment's note that are not a reviewer's rejection (a PO file's
    translator comment, say)."""
    return [line for line in (note or "").splitlines() if not line.startswith(REJECTED_BY)]


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
    # The segment's comments: a PO file's translator comment, a reviewer's "Rejected by ...".
    note: str | None = None

    @property
    def rejection(self) -> str | None:
        """Why a reviewer sent the segment back ("Rejected by NAME: why"), while it waits
        for the translator: None once it is confirmed again."""
        if self.status.is_confirmed:
            return None
        lines = (self.note or "").splitlines()
        return next((line for line in lines if line.startswith(REJECTED_BY)), None)


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
    note: str | None = None  # why, when a reviewer rejected it


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


# -- review: references and scores ---------------------------------------------------------


@dataclass(frozen=True)
class DocumentReference:
    """A reference translation attached to a document: one line per segment, in order."""

    id: int
    document_id: int
    name: str
    kind: str  # "lines" (one line per segment) or "published" (running text, segmented)
    lines: tuple[str, ...]
    origin: str | None = None  # the file it came from
    created_at: datetime | None = None
    created_by: str | None = None


@dataclass(frozen=True)
class AlignmentGap:
    """Where a reference stops matching the document's segments one to one.

    ``segments`` and ``lines`` are 1-based numbers of the document's segments and of the
    reference's lines involved (either may be empty: a line with no segment, or the reverse).
    """

    segments: tuple[int, ...]
    lines: tuple[int, ...]
    reason: str


@dataclass(frozen=True)
class AlignmentReport:
    """Whether a reference can be scored against a document, and if not, where it diverges."""

    segments: int
    lines: int
    gaps: tuple[AlignmentGap, ...] = ()

    @property
    def aligned(self) -> bool:
        return self.segments == self.lines and not self.gaps

    def describe(self, limit: int = 3) -> str:
        """One line for a user: the counts and the first places where they diverge."""
        if self.aligned:
            return f"{self.segments} segments and {self.lines} reference lines, aligned"
        head = f"the document has {self.segments} segments but the reference {self.lines} lines"
        if self.segments == self.lines:
            head = f"the reference's {self.lines} lines do not line up with the segments"
        places = []
        for gap in self.gaps[:limit]:
            seg = _span("segment", gap.segments)
            line = _span("line", gap.lines)
            places.append(f"{seg} / {line}: {gap.reason}")
        more = f" (and {len(self.gaps) - limit} more)" if len(self.gaps) > limit else ""
        where = "; first divergence at " + "; ".join(places) + more if places else ""
        return head + where


def _span(noun: str, numbers: tuple[int, ...]) -> str:
    if not numbers:
        return f"no {noun}"
    if len(numbers) == 1:
        return f"{noun} {numbers[0]}"
    return f"{noun}s {numbers[0]}-{numbers[-1]}"


@dataclass(frozen=True)
class MetricScore:
    """A corpus score as sacrebleu computes it, with its signature and the figures behind it.

    ``metric`` is "bleu", "chrf" or "ter"; ``name`` is sacrebleu's ("BLEU", "chrF2", "TER");
    ``text`` is sacrebleu's own one-line rendering (width 1), e.g. "BLEU|nrefs:1|... = 23.4 ...".
    ``details``: BLEU has counts, totals, precisions, bp, sys_len, ref_len, ratio; chrF has
    char_order, word_order, beta; TER has num_edits, ref_length.
    """

    metric: str
    name: str
    score: float
    signature: str
    details: dict[str, object] = field(default_factory=dict)
    text: str = ""


@dataclass(frozen=True)
class SegmentScore:
    """Sentence-level figures of one segment (or line): the worst ones are looked at first.

    BLEU is sacrebleu's sentence BLEU with effective order; a figure is None when that
    metric was not computed. ``flags`` mark what makes a figure meaningless, e.g.
    "empty hypothesis" or "empty reference".
    """

    n: int
    hypothesis: str
    reference: str
    bleu: float | None = None
    chrf: float | None = None
    ter: float | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScoreSet:
    """Corpus scores of one hypothesis against its references, with per-segment figures."""

    metrics: tuple[MetricScore, ...]
    segments: tuple[SegmentScore, ...]
    target_lang: str
    warnings: tuple[str, ...] = ()

    def metric(self, metric: str) -> MetricScore | None:
        return next((m for m in self.metrics if m.metric == metric), None)


@dataclass(frozen=True)
class DocumentScore:
    """A scoring of a document, as stored in the workspace.

    ``against`` is "reference:NAME" (the translation against an attached reference) or
    "draft" (the translator's draft against the reviewed text, HTER-style). ``excluded``
    lists the segments left out and why, e.g. ``(7, "not reviewed yet")``.
    """

    document_id: int
    document_name: str
    against: str
    scores: ScoreSet
    scored_by: str | None
    scored_at: datetime
    excluded: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class ScoreHistoryEntry:
    """One stored corpus score, for the chart of a document's scores over time."""

    id: int
    document_id: int
    metric: str
    score: float
    signature: str
    against: str
    segments: int
    scored_by: str | None
    scored_at: datetime


@dataclass(frozen=True)
class Match:
    """A memory unit offered for a segment: how close, what it says, where it came from."""

    score: float  # 100 only for identical text; just under for normalisation-only differences
    unit_id: int
    source: str  # the memory's text in the segment's language, as stored
    target: str  # its text in the target language
    source_lang: str
    target_lang: str
    origin: str | None
    changed_at: datetime | None
    changed_by: str | None


@dataclass(frozen=True)
class ConcordanceHit:
    unit_id: int
    source: str
    target: str
    origin: str | None


# -- glossary -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GlossaryConcept:
    """What a glossary file says of one concept: its terms by language, as read.

    A TBX ``termEntry``/``conceptEntry``, or one row of a CSV/TSV glossary. ``terms`` holds
    (language, term) pairs in file order; a language may have several terms (synonyms).
    """

    terms: tuple[tuple[str, str], ...]
    note: str | None = None  # definition, usage note or comment, as one text
    line: int | None = None  # where it starts in the file


@dataclass(frozen=True)
class GlossaryFile:
    """A glossary file read: its concepts, and what was left out, and why."""

    format: str  # "tbx", "csv", "tsv"
    concepts: tuple[GlossaryConcept, ...]
    skipped: tuple[tuple[int | None, str], ...] = ()  # (line, reason)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class GlossaryTerm:
    """A stored term pair: how ``source`` (in ``source_lang``) is to be translated. A pair
    serves in both directions, as a memory unit does."""

    id: int
    source_lang: str
    source: str
    target_lang: str
    target: str
    note: str | None = None
    origin: str | None = None  # the imported file's name; None when added by hand
    changed_at: datetime | None = None
    changed_by: str | None = None


@dataclass(frozen=True)
class TermHit:
    """A glossary term found in a segment's source text: where, and how to translate it."""

    start: int  # character offsets in the segment's source text
    end: int
    found: str  # the text as the segment writes it (with its clitics, diacritics ...)
    source: str  # the term as the glossary writes it
    targets: tuple[str, ...]  # its translations, most recently changed first
    note: str | None = None
    term_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class GlossaryImport:
    """What a glossary import did: counted and explained."""

    path: str
    format: str
    added: int
    updated: int  # already there; the file's note replaced an empty or different one
    unchanged: int  # already there, nothing new
    skipped: int
    skips: tuple[tuple[int | None, str], ...] = ()  # (line, reason), the first ones
    languages: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class TermIssue:
    """A segment (``n`` in its document) whose translation uses none of the glossary's
    translations of a term in its source."""

    segment_id: int
    n: int
    hit: TermHit


@dataclass(frozen=True)
class CheckFinding:
    """Something that looks wrong in a segment's translation (see ``text.checks``): a
    number changed, a question lost, a glossary term translated otherwise ..."""

    segment_id: int
    n: int
    check: str  # numbers, question, punctuation, brackets, script, spaces, glossary
    message: str


@dataclass(frozen=True)
class DocumentCheck:
    """What the checks found in a document's translations, and how many they read."""

    findings: tuple[CheckFinding, ...]
    checked: int  # segments whose translation was checked (none: nothing to check)
