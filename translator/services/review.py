"""Review use cases: attach reference translations, score documents, list scores, reports.

Scoring runs outside any transaction (it may take seconds); only the stored result is
written, in one unit of work, so a cancelled scoring leaves nothing behind.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from translator.domain import Document, DocumentReference, DocumentScore, ScoreHistoryEntry, Status
from translator.errors import InputFileError, NotFoundError, TranslatorError
from translator.formats.registry import read_document
from translator.review.alignment import (
    MisalignedReferenceError,
    check_alignment,
    segment_published,
    shift_warning,
)
from translator.review.scoring import METRICS, parse_metrics, read_lines, score_lines
from translator.services.documents import _find, load_document
from translator.services.progress import Progress, no_progress
from translator.services.users import current_user
from translator.storage.database import Workspace
from translator.storage.models import (
    DocumentReferenceRecord,
    ScoreRecord,
    SegmentHistoryRecord,
    utcnow,
)

DRAFT = "draft"
_REVIEWED = (Status.REVIEWED.value, Status.APPROVED.value)
_STRUCTURAL = ("split", "merge")


def _to_reference(record: DocumentReferenceRecord) -> DocumentReference:
    return DocumentReference(
        id=record.id,
        document_id=record.document_id,
        name=record.name,
        kind=record.kind,
        lines=tuple(json.loads(record.lines)),
        origin=record.origin,
        created_at=record.created_at,
        created_by=record.created_by,
    )


def attach_reference(
    workspace: Workspace,
    doc: str | int,
    path: str | Path,
    *,
    name: str | None = None,
    published: bool = False,
    encoding: str | None = None,
    progress: Progress = no_progress,
) -> DocumentReference:
    """Attach a reference translation to a document, replacing one of the same name.

    Without ``published`` the file has one line per segment (UTF-8; blank lines at its end
    are ignored). With it, the file is the running text of a published translation: each
    paragraph is split into sentences by the target language's rules. Either way the
    result must line up one to one with the segments (paragraph by paragraph, when the
    paragraph counts agree), else MisalignedReferenceError says where, and nothing is stored.
    """
    path = Path(path)
    document = load_document(workspace, doc)
    sources = [s.source for s in document.segments]
    if published:
        paragraphs = read_document(path, encoding=encoding).paragraphs
        lines, line_paragraphs = segment_published(paragraphs, document.summary.target_lang)
        report = check_alignment(
            sources,
            lines,
            source_paragraphs=[s.paragraph for s in document.segments],
            line_paragraphs=line_paragraphs,
        )
    else:
        lines = read_lines(path, "reference file")
        while lines and not lines[-1]:
            lines.pop()
        report = check_alignment(sources, lines, targets=[s.target for s in document.segments])
    if not lines:
        raise InputFileError(path, "contains no reference text")
    if not report.aligned:
        raise MisalignedReferenceError(report, f"{path}: reference")
    name = (name or path.stem).strip()
    if not name:
        raise TranslatorError("the reference name must not be empty")
    progress(1, 2)  # a cancel here stores nothing
    with workspace.session() as session:
        session.execute(
            delete(DocumentReferenceRecord).where(
                DocumentReferenceRecord.document_id == document.summary.id,
                DocumentReferenceRecord.name == name,
            )
        )
        record = DocumentReferenceRecord(
            document_id=document.summary.id,
            name=name,
            kind="published" if published else "lines",
            origin=str(path),
            lines=json.dumps(lines, ensure_ascii=False),
            created_by=current_user(),
        )
        session.add(record)
        session.flush()
        return _to_reference(record)


def list_references(workspace: Workspace, doc: str | int) -> list[DocumentReference]:
    with workspace.session() as session:
        document_id = _find(session, doc).id
        records = session.scalars(
            select(DocumentReferenceRecord)
            .where(DocumentReferenceRecord.document_id == document_id)
            .order_by(DocumentReferenceRecord.id)
        )
        return [_to_reference(r) for r in records]


def remove_reference(workspace: Workspace, doc: str | int, name: str) -> DocumentReference:
    with workspace.session() as session:
        record = _reference(session, _find(session, doc).id, name)
        reference = _to_reference(record)
        session.delete(record)
        return reference


def _reference(session: Session, document_id: int, name: str | None) -> DocumentReferenceRecord:
    query = select(DocumentReferenceRecord).where(
        DocumentReferenceRecord.document_id == document_id
    )
    if name is not None:
        record = session.scalars(query.where(DocumentReferenceRecord.name == name)).first()
        if record is None:
            raise NotFoundError(f"the document has no reference named {name!r}")
        return record
    records = list(session.scalars(query.order_by(DocumentReferenceRecord.id)))
    if not records:
        raise NotFoundError(
            "the document has no reference translation; attach one (translator score DOC "
            "--ref FILE) or score the draft against the reviewed text (--against draft)"
        )
    if len(records) > 1:
        names = ", ".join(repr(r.name) for r in records)
        raise TranslatorError(f"the document has several references ({names}); name one")
    return records[0]


def translator_drafts(workspace: Workspace, document: Document) -> dict[int, str]:
    """Each segment's draft: its target when the translator first confirmed it.

    That is the target of the first history row with status ``translated``, after the
    segment's last split or merge (before it, the row belonged to another sentence). A
    segment that never had the status ``translated`` (translated by the reviewer) has none.
    """
    ids = [s.id for s in document.segments]
    drafts: dict[int, str] = {}
    with workspace.session() as session:
        for start in range(0, len(ids), 500):
            rows = session.execute(
                select(
                    SegmentHistoryRecord.segment_id,
                    SegmentHistoryRecord.status,
                    SegmentHistoryRecord.target,
                    SegmentHistoryRecord.action,
                )
                .where(SegmentHistoryRecord.segment_id.in_(ids[start : start + 500]))
                .order_by(SegmentHistoryRecord.id)
            )
            for segment_id, status, target, action in rows:
                if action in _STRUCTURAL:
                    drafts.pop(segment_id, None)
                elif status == Status.TRANSLATED.value and segment_id not in drafts and target:
                    drafts[segment_id] = target
    return drafts


def score_document(
    workspace: Workspace,
    doc: str | int,
    *,
    reference: str | None = None,
    against: str | None = None,
    metrics: Sequence[str] = METRICS,
    progress: Progress = no_progress,
    store: bool = True,
) -> DocumentScore:
    """Score a document and store the scores (one row per metric) with who and when.

    ``reference`` names an attached reference (the only one when neither it nor
    ``against`` is given): every segment's current target is the hypothesis, and an
    untranslated segment counts as an empty one (flagged and warned, not skipped).
    ``against="draft"`` measures post-editing effort, HTER-style: the hypothesis is the
    translator's draft (see translator_drafts), the reference the reviewed target; only
    reviewed or approved segments with a draft are scored, the others are listed in
    ``excluded``. Small documents (fewer than 100 segments) carry a warning.
    """
    if reference is not None and against is not None:
        raise TranslatorError("score against a reference or against the draft, not both")
    if against is not None and against != DRAFT:
        raise TranslatorError(f"cannot score against {against!r}; the choice is 'draft'")
    metrics = parse_metrics(metrics)
    document = load_document(workspace, doc)
    summary = document.summary
    excluded: list[tuple[int, str]] = []
    extra_warnings: list[str] = []
    if against == DRAFT:
        drafts = translator_drafts(workspace, document)
        hyps, refs, numbers = [], [], []
        for seg in document.segments:
            if seg.status.value not in _REVIEWED or not seg.target:
                excluded.append((seg.n, "not reviewed yet"))
            elif seg.id not in drafts:
                excluded.append((seg.n, "no translator's draft (never had status translated)"))
            else:
                hyps.append(drafts[seg.id])
                refs.append(seg.target)
                numbers.append(seg.n)
        if not hyps:
            raise TranslatorError(
                "no segment has both a translator's draft and a reviewed target; "
                "nothing to score against the draft"
            )
        label = DRAFT
    else:
        with workspace.session() as session:
            ref = _to_reference(_reference(session, summary.id, reference))
        sources = [s.source for s in document.segments]
        report = check_alignment(sources, ref.lines, targets=[s.target for s in document.segments])
        if not report.aligned:
            raise MisalignedReferenceError(
                report, f"reference {ref.name!r} (segments were split or merged since?)"
            )
        warning = shift_warning(sources, ref.lines)
        if warning:
            extra_warnings.append(warning)
        hyps = [s.target or "" for s in document.segments]
        refs = list(ref.lines)
        numbers = [s.n for s in document.segments]
        label = f"reference:{ref.name}"
    scores = score_lines(
        hyps,
        [refs],
        target_lang=summary.target_lang,
        metrics=metrics,
        numbers=numbers,
        what="segment",
        progress=progress,
    )
    if extra_warnings:
        scores = dataclasses.replace(scores, warnings=scores.warnings + tuple(extra_warnings))
    result = DocumentScore(
        document_id=summary.id,
        document_name=summary.name,
        against=label,
        scores=scores,
        scored_by=current_user(),
        scored_at=utcnow(),
        excluded=tuple(excluded),
    )
    if store:
        _store(workspace, result)
    return result


def _store(workspace: Workspace, result: DocumentScore) -> None:
    with workspace.session() as session:
        for metric in result.scores.metrics:
            per_segment = [
                [s.n, getattr(s, metric.metric), list(s.flags)] for s in result.scores.segments
            ]
            session.add(
                ScoreRecord(
                    document_id=result.document_id,
                    metric=metric.metric,
                    score=metric.score,
                    signature=metric.signature,
                    details=json.dumps(metric.details),
                    segment_scores=json.dumps(per_segment),
                    against=result.against,
                    segments=len(result.scores.segments),
                    scored_by=result.scored_by,
                    scored_at=result.scored_at,
                )
            )


def list_scores(workspace: Workspace, doc: str | int) -> list[ScoreHistoryEntry]:
    """Every stored score of a document, oldest first, for the scores-over-time chart."""
    with workspace.session() as session:
        document_id = _find(session, doc).id
        rows = session.execute(
            select(
                ScoreRecord.id,
                ScoreRecord.document_id,
                ScoreRecord.metric,
                ScoreRecord.score,
                ScoreRecord.signature,
                ScoreRecord.against,
                ScoreRecord.segments,
                ScoreRecord.scored_by,
                ScoreRecord.scored_at,
            )
            .where(ScoreRecord.document_id == document_id)
            .order_by(ScoreRecord.scored_at, ScoreRecord.id)
        )
        return [ScoreHistoryEntry(*row) for row in rows]


def write_report(workspace: Workspace, result: DocumentScore, path: str | Path) -> list[Path]:
    """Write the HTML report of a scoring, with the CSV and JSON of its per-segment figures.

    ``path`` names the HTML file; the CSV and JSON go beside it with the same stem.
    Returns the three paths written.
    """
    from translator.review.report import write_report_files

    history = list_scores(workspace, result.document_id)
    return write_report_files(result, history, Path(path))
