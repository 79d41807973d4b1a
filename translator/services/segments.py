"""Segment use cases: edit, confirm, split, merge, find and replace; every change in history.

Each write is one unit of work, committed before returning, and hands back what its undo
needs: the GUI's undo stack calls the inverse operation (a merge undoes a split,
``unmerge_segments`` undoes a merge, ``restore_segments`` undoes edits and replacements).
Writes use optimistic locking on ``SegmentRecord.version``: a stale expected version
raises ConflictError and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from translator.domain import (
    REJECTED_BY,
    FindHit,
    HistoryEntry,
    MergeResult,
    Segment,
    Status,
    without_rejection,
)
from translator.errors import ConflictError, NotFoundError, TranslatorError
from translator.services import memory
from translator.services.documents import count_words
from translator.services.mapping import (
    fetch_segments,
    row_to_segment,
    segment_query,
    segment_rows,
    to_segment,
)
from translator.services.users import current_user
from translator.storage.database import Workspace
from translator.storage.models import (
    DocumentRecord,
    SegmentHistoryRecord,
    SegmentRecord,
    aware_utc,
    utcnow,
)
from translator.text.languages import word_joiner

_PROGRESS = list(Status)  # definition order is the order of progress
_IN_CHUNK = 500  # ids per IN (...) list: far below every backend's parameter limit


def get_segment(workspace: Workspace, segment_id: int) -> Segment:
    with workspace.session() as session:
        row = session.execute(segment_query().where(SegmentRecord.id == segment_id)).one_or_none()
        if row is None:
            raise NotFoundError(f"segment {segment_id} does not exist (was its document deleted?)")
        return to_segment(*row)


def segment_at(workspace: Workspace, document_id: int, n: int) -> Segment:
    """A document's segment ``n`` (counting from 1)."""
    with workspace.session() as session:
        row = session.execute(
            segment_query().where(
                SegmentRecord.document_id == document_id, SegmentRecord.position == n
            )
        ).one_or_none()
        if row is None:
            count = session.scalar(
                select(func.count()).where(SegmentRecord.document_id == document_id)
            )
            raise NotFoundError(f"no segment {n}: the document has segments 1 to {count}")
        return to_segment(*row)


def load_segments(workspace: Workspace, document_id: int) -> list[Segment]:
    """Every segment of a document in order: the editor's fast path (SQLAlchemy Core)."""
    with workspace.session() as session:
        segments = fetch_segments(session, document_id)
        if not segments and session.get(DocumentRecord, document_id) is None:
            raise NotFoundError(f"document {document_id} does not exist")
        return segments


def _conflict(session: Session, segment_id: int) -> TranslatorError:
    """The error for a write that found another version than it expected."""
    current = session.execute(
        select(SegmentRecord.position, SegmentRecord.author, SegmentRecord.updated_at).where(
            SegmentRecord.id == segment_id
        )
    ).one_or_none()
    if current is None:
        return NotFoundError(f"segment {segment_id} does not exist (was it merged or deleted?)")
    position, author, updated_at = current
    return ConflictError(
        f"segment {position} was changed by {author or 'someone'} "
        f"at {updated_at:%H:%M:%S}; reload it before saving (nothing was overwritten)"
    )


def _write(
    session: Session,
    segment_id: int,
    expected_version: int,
    *,
    author: str,
    now: datetime,
    action: str,
    target: str | None,
    status: Status,
    why: str | None = None,
    **more: Any,
) -> None:
    """Update a segment if it still has ``expected_version``, and record the change (with
    ``why``, a rejection's reason, on its history row)."""
    result = session.execute(
        update(SegmentRecord)
        .where(SegmentRecord.id == segment_id, SegmentRecord.version == expected_version)
        .values(
            target=target,
            status=status.value,
            author=author,
            updated_at=now,
            version=expected_version + 1,
            **more,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise _conflict(session, segment_id)
    if status.is_confirmed and "note" not in more:
        _settle_rejection(session, segment_id)
    _record(session, segment_id, expected_version + 1, target, status, author, now, action, why)
    memory.record_segment(session, segment_id, now, status)  # one transaction: both or neither


def _settle_rejection(session: Session, segment_id: int) -> None:
    """A confirmed segment is no longer rejected: the reason leaves its note (the history
    keeps it), so a later edit does not bring the old rejection back."""
    note = session.scalar(select(SegmentRecord.note).where(SegmentRecord.id == segment_id))
    if not note or REJECTED_BY not in note:
        return
    session.execute(
        update(SegmentRecord)
        .where(SegmentRecord.id == segment_id)
        .values(note="\n".join(without_rejection(note)) or None)
        .execution_options(synchronize_session=False)
    )


def _record(
    session: Session,
    segment_id: int,
    version: int,
    target: str | None,
    status: Status,
    author: str,
    now: datetime,
    action: str,
    why: str | None = None,
) -> None:
    session.execute(
        insert(SegmentHistoryRecord).values(
            segment_id=segment_id,
            version=version,
            target=target,
            status=status.value,
            author=author,
            changed_at=now,
            action=action,
            note=why,
        )
    )


def _fetch(session: Session, ids: Iterable[int]) -> dict[int, Segment]:
    """Segments by id, read back after a write (Core rows, never ORM objects)."""
    wanted = list(ids)
    found: dict[int, Segment] = {}
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        for row in session.execute(segment_rows().where(SegmentRecord.id.in_(chunk))):
            segment = row_to_segment(row)
            found[segment.id] = segment
    return found


def update_segment(
    workspace: Workspace,
    segment_id: int,
    *,
    target: str | None,
    status: Status,
    expected_version: int,
    author: str | None = None,
    action: str = "edit",
    meta: str | None = None,
) -> Segment:
    """Write a segment's target and status if nobody changed it since ``expected_version``
    (and its format details, ``meta``, when given: a PO message's plural forms).

    The write and its history row are one transaction, committed before returning.
    A stale ``expected_version`` raises ConflictError and changes nothing: another
    window or translator saved first, and their work must not be overwritten silently.
    """
    author = author or current_user()
    with workspace.session() as session:
        _write(
            session,
            segment_id,
            expected_version,
            author=author,
            now=utcnow(),
            action=action,
            target=target,
            status=status,
            **({} if meta is None else {"meta": meta}),
        )
        return _fetch(session, [segment_id])[segment_id]


def restore_segments(
    workspace: Workspace,
    current: Sequence[Segment],
    wanted: Sequence[Segment],
    *,
    author: str | None = None,
    action: str = "undo",
) -> list[Segment]:
    """Put back the target and status of ``wanted[i]`` into segment ``current[i].id``.

    The undo (and redo) of edits and of a replacement: ``current`` is each segment as this
    window last saw it, so if any of them has another version in the database now,
    somebody else changed it since, ConflictError is raised and nothing is changed.
    Returns the segments as written, in the given order.
    """
    if len(current) != len(wanted):
        raise ValueError("restore_segments needs one wanted segment per current one")
    author = author or current_user()
    now = utcnow()
    with workspace.session() as session:
        for now_seg, want in zip(current, wanted, strict=True):
            if now_seg.id != want.id:
                raise ValueError(f"segment ids differ: {now_seg.id} and {want.id}")
            _write(
                session,
                now_seg.id,
                now_seg.version,
                author=author,
                now=now,
                action=action,
                target=want.target,
                status=want.status,
            )
        found = _fetch(session, [segment.id for segment in current])
        return [found[segment.id] for segment in current]


def segment_history(workspace: Workspace, segment_id: int) -> list[HistoryEntry]:
    """Every recorded change of a segment, oldest first.

    After a merge this includes the history of the segment that was merged into it
    (see merge_segments), so the versions need not be in order; the list is in the order
    the changes were made.
    """
    with workspace.session() as session:
        rows = session.scalars(
            select(SegmentHistoryRecord)
            .where(SegmentHistoryRecord.segment_id == segment_id)
            .order_by(SegmentHistoryRecord.id)
        )
        return [
            HistoryEntry(
                r.version,
                r.target,
                Status(r.status),
                r.author,
                aware_utc(r.changed_at) or r.changed_at,
                r.action,
                r.note,
            )
            for r in rows
        ]


# -- splitting and merging ------------------------------------------------------------------


def _locked_row(session: Session, segment_id: int) -> Any:
    """A segment's stored columns, after locking its document against other structure edits.

    Splits and merges renumber the document; two of them at once on PostgreSQL would each
    miss the other's new rows, so the document row is locked first (SQLite's BEGIN
    IMMEDIATE serialises writers already; FOR UPDATE is left out there).
    """
    document_id = session.scalar(
        select(SegmentRecord.document_id).where(SegmentRecord.id == segment_id)
    )
    if document_id is None:
        raise NotFoundError(f"segment {segment_id} does not exist (was it merged or deleted?)")
    session.execute(
        select(DocumentRecord.id).where(DocumentRecord.id == document_id).with_for_update()
    )
    return _row(session, segment_id)


def _row(session: Session, segment_id: int) -> Any:
    row = session.execute(
        select(
            SegmentRecord.id,
            SegmentRecord.document_id,
            SegmentRecord.paragraph_id,
            SegmentRecord.position,
            SegmentRecord.source,
            SegmentRecord.target,
            SegmentRecord.status,
            SegmentRecord.version,
            SegmentRecord.note,
            SegmentRecord.context,
        ).where(SegmentRecord.id == segment_id)
    ).one_or_none()
    if row is None:
        raise NotFoundError(f"segment {segment_id} does not exist (was it merged or deleted?)")
    return row


def _shift_positions(session: Session, document_id: int, after: int, delta: int) -> None:
    """Move every segment after position ``after`` by ``delta`` places, keeping them unique.

    ``position = position + 1`` in one statement can collide with the neighbour's old
    position before that row is moved (PostgreSQL and SQLite check the unique constraint
    row by row), so the rows go to negative positions first, free by construction, and
    are then flipped back.
    """
    session.execute(
        update(SegmentRecord)
        .where(SegmentRecord.document_id == document_id, SegmentRecord.position > after)
        .values(position=-(SegmentRecord.position + delta))
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(SegmentRecord)
        .where(SegmentRecord.document_id == document_id, SegmentRecord.position < 0)
        .values(position=-SegmentRecord.position)
        .execution_options(synchronize_session=False)
    )


def _joiner(session: Session, document_id: int, which: str) -> str:
    """What goes between two sentences of the document's source or target language."""
    column = DocumentRecord.source_lang if which == "source" else DocumentRecord.target_lang
    lang = session.scalar(select(column).where(DocumentRecord.id == document_id))
    return word_joiner(lang) if lang is not None else " "


def split_segment(
    workspace: Workspace,
    segment_id: int,
    at: int,
    *,
    expected_version: int,
    second_id: int | None = None,
    author: str | None = None,
) -> tuple[Segment, Segment]:
    """Split a segment's source at character offset ``at`` into two segments.

    Both halves are stripped and must keep some text. The first keeps the id, the
    target and the status, except that a confirmed segment goes back to draft: its source
    changed, so its translation needs another look. The second is new (no target) in the
    same paragraph; every later segment moves one place down. ``second_id`` gives the
    second segment a known id, so that a redo after an undo brings back the same one.
    Undo with ``merge_segments(..., restore=<the segment before the split>)``.
    """
    author = author or current_user()
    now = utcnow()
    with workspace.session() as session:
        row = _locked_row(session, segment_id)
        if row.version != expected_version:
            raise _conflict(session, segment_id)
        source: str = row.source
        head, tail = source[:at].strip(), source[at:].strip()
        if not 0 < at < len(source) or not head or not tail:
            raise TranslatorError(
                f"segment {row.position} cannot be split at character {at}: "
                "both parts must keep some text"
            )
        status = Status(row.status)
        if status.is_confirmed:
            status = Status.DRAFT
        _write(
            session,
            segment_id,
            expected_version,
            author=author,
            now=now,
            action="split",
            target=row.target,
            status=status,
            source=head,
            source_words=count_words(head),
        )
        _shift_positions(session, row.document_id, row.position, +1)
        values: dict[str, Any] = {
            "document_id": row.document_id,
            "paragraph_id": row.paragraph_id,
            "position": row.position + 1,
            "source": tail,
            "target": None,
            "status": Status.NEW.value,
            "source_words": count_words(tail),
            "author": author,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        if second_id is not None:
            values["id"] = second_id
        try:
            new_id = session.execute(
                insert(SegmentRecord).values(**values).returning(SegmentRecord.id)
            ).scalar_one()
        except IntegrityError as exc:
            raise TranslatorError(f"segment id {second_id} is in use already") from exc
        _record(session, new_id, 1, None, Status.NEW, author, now, "split")
        found = _fetch(session, [segment_id, new_id])
        return found[segment_id], found[new_id]


def _merged_status(first: Status, second: Status, target: str | None) -> Status:
    if first.is_confirmed and second.is_confirmed:
        return min(first, second, key=_PROGRESS.index)
    # Half of the sentence was not confirmed, so the whole is not.
    return Status.DRAFT if target else Status.NEW


def _join(joiner: str, *parts: str | None) -> str | None:
    texts = [part.strip() for part in parts if part is not None and part.strip()]
    return joiner.join(texts) if texts else None


def merge_segments(
    workspace: Workspace,
    first_id: int,
    *,
    expected_versions: tuple[int, int],
    restore: Segment | None = None,
    author: str | None = None,
) -> MergeResult:
    """Merge a segment with the next one of the same paragraph.

    Sources and targets are joined with a space (nothing for languages written without
    spaces); the status is the lower of the two if both were confirmed, else draft (new if
    there is no target). Later segments move one place up. ``expected_versions`` are the
    versions of the first and of the next segment.

    History: the second segment's history rows are moved to the merged segment, so no
    change anyone made is lost; ``segment_history`` of the merged segment lists both in
    the order they were made, then the merge. Their ids are in the result so that
    ``unmerge_segments`` can give them back.

    ``restore`` (the undo of a split) is the segment as it was before the split: the
    merged segment takes its source, target and status exactly.
    """
    author = author or current_user()
    now = utcnow()
    with workspace.session() as session:
        first = _locked_row(session, first_id)
        second_id = session.scalar(
            select(SegmentRecord.id).where(
                SegmentRecord.document_id == first.document_id,
                SegmentRecord.position == first.position + 1,
            )
        )
        if second_id is None:
            raise TranslatorError(
                f"segment {first.position} is the last of the document: nothing follows to "
                "merge it with"
            )
        second = _row(session, second_id)
        if second.paragraph_id != first.paragraph_id:
            raise TranslatorError(
                f"segments {first.position} and {second.position} are in different "
                "paragraphs; only sentences of one paragraph can be merged"
            )
        for row, expected in zip((first, second), expected_versions, strict=True):
            if row.version != expected:
                raise _conflict(session, row.id)
        before = _fetch(session, [first_id, second_id])
        source_joiner = _joiner(session, first.document_id, "source")
        source = _join(source_joiner, first.source, second.source) or ""
        target = _join(_joiner(session, first.document_id, "target"), first.target, second.target)
        status = _merged_status(Status(first.status), Status(second.status), target)
        if restore is not None:
            if restore.id != first_id or "".join(restore.source.split()) != "".join(source.split()):
                raise TranslatorError(
                    f"segments {first.position} and {second.position} are not the two parts "
                    "of the segment to restore; reload the document"
                )
            source, target, status = restore.source, restore.target, restore.status
        moved = tuple(
            session.scalars(
                select(SegmentHistoryRecord.id)
                .where(SegmentHistoryRecord.segment_id == second_id)
                .order_by(SegmentHistoryRecord.id)
            )
        )
        session.execute(
            update(SegmentHistoryRecord)
            .where(SegmentHistoryRecord.segment_id == second_id)
            .values(segment_id=first_id)
            .execution_options(synchronize_session=False)
        )
        session.execute(delete(SegmentRecord).where(SegmentRecord.id == second_id))
        _shift_positions(session, first.document_id, second.position, -1)
        _write(
            session,
            first_id,
            first.version,
            author=author,
            now=now,
            action="merge",
            target=target,
            status=status,
            source=source,
            source_words=count_words(source),
            note=_join("\n", first.note, second.note),
        )
        return MergeResult(
            merged=_fetch(session, [first_id])[first_id],
            first=before[first_id],
            second=before[second_id],
            moved_history=moved,
            first_note=first.note,
            second_note=second.note,
            second_context=second.context,
        )


def unmerge_segments(
    workspace: Workspace, merge: MergeResult, *, author: str | None = None
) -> tuple[Segment, Segment]:
    """Undo a merge exactly: both segments come back as they were, the second under its id.

    The merged segment must still be as the merge left it (else ConflictError). Both
    segments get a new version and an "undo" history row; the second's old history rows
    return to it.
    """
    author = author or current_user()
    now = utcnow()
    first, second = merge.first, merge.second
    with workspace.session() as session:
        row = _locked_row(session, merge.merged.id)
        if row.version != merge.merged.version:
            raise _conflict(session, row.id)
        _write(
            session,
            first.id,
            row.version,
            author=author,
            now=now,
            action="undo",
            target=first.target,
            status=first.status,
            source=first.source,
            source_words=count_words(first.source),
            note=merge.first_note,
        )
        _shift_positions(session, row.document_id, row.position, +1)
        try:
            session.execute(
                insert(SegmentRecord).values(
                    id=second.id,
                    document_id=row.document_id,
                    paragraph_id=row.paragraph_id,
                    position=row.position + 1,
                    source=second.source,
                    target=second.target,
                    status=second.status.value,
                    source_words=count_words(second.source),
                    note=merge.second_note,
                    context=merge.second_context,
                    author=author,
                    created_at=now,
                    updated_at=now,
                    version=second.version + 1,
                )
            )
        except IntegrityError as exc:
            raise TranslatorError(f"segment id {second.id} is in use already") from exc
        if merge.moved_history:
            session.execute(
                update(SegmentHistoryRecord)
                .where(SegmentHistoryRecord.id.in_(merge.moved_history))
                .values(segment_id=second.id)
                .execution_options(synchronize_session=False)
            )
        _record(
            session,
            second.id,
            second.version + 1,
            second.target,
            second.status,
            author,
            now,
            "undo",
        )
        # The merge took the second segment's unit from it (the segment was gone): it has
        # it back, so that a later rejection takes it out of the memory again.
        memory.record_segment(session, second.id, now)
        found = _fetch(session, [first.id, second.id])
        return found[first.id], found[second.id]


# -- finding and replacing ------------------------------------------------------------------


def _compile(pattern: str, *, case_sensitive: bool, regex: bool) -> re.Pattern[str]:
    if not pattern:
        raise TranslatorError("there is nothing to find: the search text is empty")
    flags = 0 if case_sensitive else re.IGNORECASE
    try:
        return re.compile(pattern if regex else re.escape(pattern), flags)
    except re.error as exc:
        raise TranslatorError(f"{pattern!r} is not a valid regular expression: {exc}") from exc


def find_segments(
    workspace: Workspace,
    document_id: int,
    pattern: str,
    *,
    in_source: bool = True,
    in_target: bool = True,
    case_sensitive: bool = False,
    regex: bool = False,
) -> list[FindHit]:
    """Every occurrence of ``pattern`` in the document, in document order.

    Within a segment the source's hits come before the target's. Empty matches of a
    regular expression (``^``, ``x*``) are left out: there is nothing to show.
    """
    compiled = _compile(pattern, case_sensitive=case_sensitive, regex=regex)
    hits = []
    for segment in load_segments(workspace, document_id):
        for field, text in (("source", segment.source), ("target", segment.target)):
            wanted = in_source if field == "source" else in_target
            if not wanted or not text:
                continue
            for match in compiled.finditer(text):
                if match.end() > match.start():
                    hits.append(FindHit(segment.id, segment.n, field, match.start(), match.end()))
    return hits


def _replacer(compiled: re.Pattern[str], replacement: str, regex: bool) -> Callable[[str], str]:
    if regex:
        try:  # the template is parsed even with no match: a bad \3 is found up front
            compiled.sub(replacement, "")
        except (re.error, IndexError) as exc:
            raise TranslatorError(f"{replacement!r} is not a valid replacement: {exc}") from exc
        return lambda text: compiled.sub(replacement, text)
    return lambda text: compiled.sub(lambda _match: replacement, text)


def replace_in_targets(
    workspace: Workspace,
    document_id: int,
    pattern: str,
    replacement: str,
    *,
    case_sensitive: bool = False,
    regex: bool = False,
    segment_ids: Collection[int] | None = None,
    author: str | None = None,
) -> list[tuple[Segment, Segment]]:
    """Replace ``pattern`` in the targets (only), all in one transaction.

    With ``regex`` the replacement may refer to groups (``\\1``, ``\\g<name>``); without
    it the replacement is literal. ``segment_ids`` limits the replacement to those
    segments (Replace in the current one, in a selection). Statuses stay as they were.
    Returns (before, after) pairs in document order: undo is
    ``restore_segments(workspace, afters, befores)``.
    """
    compiled = _compile(pattern, case_sensitive=case_sensitive, regex=regex)
    replace = _replacer(compiled, replacement, regex)
    only = None if segment_ids is None else set(segment_ids)
    author = author or current_user()
    now = utcnow()
    with workspace.session() as session:
        changed = []
        for segment in fetch_segments(session, document_id):
            if segment.target is None or (only is not None and segment.id not in only):
                continue
            new_target = replace(segment.target)
            if new_target != segment.target:
                _write(
                    session,
                    segment.id,
                    segment.version,
                    author=author,
                    now=now,
                    action="replace",
                    target=new_target,
                    status=segment.status,
                )
                changed.append(segment)
        after = _fetch(session, [segment.id for segment in changed])
        return [(segment, after[segment.id]) for segment in changed]


def next_unconfirmed(segments: Sequence[Segment], after_n: int) -> Segment | None:
    """The first unconfirmed segment after number ``after_n``, wrapping round to the start.

    The segment ``after_n`` itself comes last, so it is returned only when it is the one
    unconfirmed segment left; None when every segment is confirmed.
    """
    wrapped = None
    for segment in segments:
        if segment.status.is_confirmed:
            continue
        if segment.n > after_n:
            return segment
        if wrapped is None:
            wrapped = segment
    return wrapped


def reject_segment(
    workspace: Workspace,
    segment_id: int,
    comment: str,
    *,
    expected_version: int,
    author: str | None = None,
) -> Segment:
    """A reviewer sends a segment back: status draft, the comment kept as its note.

    The target stays as it is (the translator's text, or the reviewer's edit of it); the
    comment and who rejected it go into the note and the history.
    """
    if not comment.strip():
        raise TranslatorError("say why the segment is rejected")
    author = author or current_user()
    now = utcnow()
    with workspace.session() as session:
        row = _row(session, segment_id)
        current = row.target
        if not (current or "").strip():
            raise TranslatorError(
                f"segment {row.position} has no translation yet: there is nothing to reject"
            )
        # The note may be a PO file's translator comment: the rejection goes beside it,
        # replacing only an earlier rejection.
        kept = without_rejection(row.note)
        rejection = f"{REJECTED_BY}{author}: {comment.strip()}"
        _write(
            session,
            segment_id,
            expected_version,
            author=author,
            now=now,
            action="reject",
            target=current,
            status=Status.DRAFT,
            why=comment.strip(),
            note="\n".join([*kept, rejection]),
        )
        return _fetch(session, [segment_id])[segment_id]
