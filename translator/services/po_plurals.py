"""The plural forms of a PO message, to read and to translate.

A PO message with ``msgid_plural`` has one translation per plural form of the target language
(Arabic has six: zero, one, two, a few, many, other). The first form is the segment's target,
typed in the editor's translation field; the others are kept in the segment's PO details and
written back on export. Saving them is a versioned write like any other edit of the segment,
so a colleague's change is never overwritten silently.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from translator.domain import Segment
from translator.errors import NotFoundError, TranslatorError
from translator.services import segments as segment_service
from translator.storage.database import Workspace
from translator.storage.models import DocumentRecord, SegmentRecord
from translator.text.languages import base_language

_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
# What each form is for, by number of forms, for the languages whose rules are the usual ones.
_LABELS = {
    ("ar", 6): ("n = 0", "n = 1", "n = 2", "n = 3-10", "n = 11-99", "n = 100, 101, 102 ..."),
    (None, 2): ("n = 1", "other n"),
    (None, 1): ("every n",),
}


@dataclass(frozen=True)
class PluralForms:
    segment_id: int
    msgid_plural: str  # the source's plural
    forms: tuple[str, ...]  # msgstr[0] ... msgstr[n-1]; [0] is the segment's target
    labels: tuple[str, ...]  # what each form is for ("n = 2" ...)


def _details(workspace: Workspace, segment_id: int) -> tuple[dict[str, Any], str, str | None]:
    with workspace.session() as session:
        found = session.execute(
            select(SegmentRecord.meta, SegmentRecord.target, DocumentRecord.meta)
            .join(DocumentRecord, DocumentRecord.id == SegmentRecord.document_id)
            .where(SegmentRecord.id == segment_id)
        ).one_or_none()
    if found is None:
        raise NotFoundError(f"no segment {segment_id}")
    meta, target, document_meta = found
    header = ""
    if document_meta:
        metadata = dict(json.loads(document_meta).get("metadata", ()))
        header = str(metadata.get("Plural-Forms", ""))
    return (json.loads(meta) if meta else {}), header, target


def plural_forms(workspace: Workspace, segment_id: int, target_lang: str) -> PluralForms | None:
    """The plural forms of a segment imported from a PO message with a plural; None for any
    other segment."""
    return _forms(segment_id, *_details(workspace, segment_id), target_lang)


def _forms(
    segment_id: int, meta: dict[str, Any], header: str, target: str | None, target_lang: str
) -> PluralForms | None:
    msgid_plural = meta.get("msgid_plural")
    if not msgid_plural:
        return None
    stored = [str(form) for form in meta.get("msgstr_plural") or ()]
    declared = _NPLURALS.search(header)
    count = int(declared.group(1)) if declared else max(len(stored), 2)
    forms = ([target or ""] + stored[1:] + [""] * count)[:count]
    labels = _LABELS.get((base_language(target_lang), count)) or _LABELS.get((None, count))
    if labels is None:
        labels = tuple(f"form {n}" for n in range(count))
    return PluralForms(segment_id, str(msgid_plural), tuple(forms), labels)


def save_plural_forms(
    workspace: Workspace, segment: Segment, forms: Sequence[str], target_lang: str
) -> Segment:
    """Store forms 1 .. n-1 of a plural message (form 0 is the target, saved as it is).
    ``segment`` is the version the translator saw: another's save since is a ConflictError."""
    meta, header, target = _details(workspace, segment.id)
    current = _forms(segment.id, meta, header, target, target_lang)
    if current is None:
        raise TranslatorError(f"segment {segment.n} has no plural forms")
    if len(forms) != len(current.forms):
        raise TranslatorError(f"segment {segment.n} has {len(current.forms)} plural forms")
    meta["msgstr_plural"] = [segment.target or "", *forms[1:]]
    return segment_service.update_segment(
        workspace,
        segment.id,
        target=segment.target,
        status=segment.status,
        expected_version=segment.version,
        action="plural forms",
        meta=json.dumps(meta, ensure_ascii=False),
    )
