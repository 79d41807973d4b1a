"""PO files as documents: each message is a segment; exporting gives the file back.

A PO file's messages are already segments (no sentence splitting), each in a paragraph
of its own. What the editor does not show (flags, comments, references, previous strings,
plural forms beyond the first, obsolete messages, the header) is kept as JSON on the
segment and the document, so that an exported file reproduces the imported one with the
translator's work in it.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from translator.domain import DocumentSummary, Status
from translator.errors import InputFileError
from translator.formats.po import PoCatalog, PoEntry, catalog_from_segments, read_po, write_po
from translator.services import memory
from translator.services.documents import (
    count_words,
    insert_paragraphs,
    normalise_lang,
    unique_document_name,
)
from translator.services.mapping import summary_query, to_summary
from translator.services.progress import Progress, no_progress
from translator.services.users import current_user
from translator.storage.database import Workspace
from translator.storage.models import DocumentRecord, SegmentRecord, utcnow

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z]")
# Entry fields kept in the segment's columns rather than in its JSON.
_IN_COLUMNS = ("msgid", "msgstr", "msgctxt", "translator_comment", "line")


def _entry_meta(entry: PoEntry) -> str:
    data = {k: v for k, v in asdict(entry).items() if k not in _IN_COLUMNS}
    data["flags"] = [flag for flag in entry.flags if flag != "fuzzy"]
    return json.dumps(data, ensure_ascii=False)


def _entry_from(meta: dict[str, Any], **columns: Any) -> PoEntry:
    values = dict(meta)
    values["flags"] = tuple(values.get("flags", ()))
    values["msgstr_plural"] = tuple(values.get("msgstr_plural", ()))
    values["references"] = tuple(
        (str(f), None if n is None else int(n)) for f, n in values.get("references", ())
    )
    return PoEntry(**values, **columns)


def _status_of(entry: PoEntry) -> tuple[str | None, Status]:
    target = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
    if not target:
        return None, Status.NEW
    return target, Status.DRAFT if entry.fuzzy else Status.TRANSLATED


def _source_language(catalog: PoCatalog) -> str:
    declared = catalog.header("X-Source-Language")
    if declared:
        return declared.replace("_", "-")
    sample = " ".join(entry.msgid for entry in catalog.entries[:200])
    return "ar" if len(_ARABIC.findall(sample)) > len(_LATIN.findall(sample)) else "en"


@dataclass(frozen=True)
class PoImport:
    summary: DocumentSummary
    warnings: tuple[str, ...]


def import_po_document(
    workspace: Workspace,
    path: Path,
    *,
    name: str,
    source_lang: str | None,
    target_lang: str | None,
    explicit_name: bool = False,
    progress: Progress = no_progress,
) -> PoImport:
    """Store a PO file as a document in one transaction."""
    catalog = read_po(path)
    live = [entry for entry in catalog.entries if not entry.obsolete]
    if not live:
        raise InputFileError(path, "has no messages to translate (only a header or obsolete ones)")
    src = normalise_lang(source_lang or _source_language(catalog))
    tgt = normalise_lang(target_lang or catalog.language or ("en" if src != "en" else "ar"))
    warnings = catalog.warnings
    if not (target_lang or catalog.language):
        guessed = f"{src} to {tgt}" if not source_lang else tgt
        warnings = (
            *warnings,
            f"the file does not say its language: taken as {guessed}, from the messages' "
            "script (give --target-lang and --source-lang to choose)",
        )
    author = current_user()
    meta = {
        "metadata": [list(pair) for pair in catalog.metadata],
        "header_comment": catalog.header_comment,
        "header_flags": list(catalog.header_flags),
        "obsolete": [asdict(e) for e in catalog.entries if e.obsolete],
    }
    with workspace.session() as session:
        record = DocumentRecord(
            name=unique_document_name(session, name, explicit=explicit_name),
            source_lang=src,
            target_lang=tgt,
            format="po",
            original_path=str(path.resolve()),
            encoding="utf-8",
            created_by=author,
            meta=json.dumps(meta, ensure_ascii=False),
        )
        session.add(record)
        session.flush()
        paragraph_ids = insert_paragraphs(session, record.id, [0] * len(live))
        now = utcnow()
        rows = []
        for i, entry in enumerate(live, 1):
            target, status = _status_of(entry)
            rows.append(
                {
                    "document_id": record.id,
                    "paragraph_id": paragraph_ids[i],
                    "position": i,
                    "source": entry.msgid,
                    "target": target,
                    "status": status.value,
                    "source_words": count_words(entry.msgid),
                    "note": entry.translator_comment or None,
                    "context": entry.msgctxt,
                    "meta": _entry_meta(entry),
                    "author": author,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
        session.execute(insert(SegmentRecord), rows)
        # Messages translated and not fuzzy are confirmed work: the memory has them, as it
        # has every confirmed segment.
        for segment_id in session.scalars(
            select(SegmentRecord.id)
            .where(
                SegmentRecord.document_id == record.id,
                SegmentRecord.status.in_(memory.CONFIRMED),
            )
            .order_by(SegmentRecord.position)
        ).all():
            memory.record_segment(session, segment_id, now)
        progress(len(rows), len(rows))
        summary = to_summary(
            session.execute(summary_query().where(DocumentRecord.id == record.id)).one()
        )
    return PoImport(summary, warnings)


@dataclass(frozen=True)
class _Row:
    n: int
    source: str
    target: str | None
    status: Status
    context: str | None
    note: str | None


def export_po_document(workspace: Workspace, document_id: int, out: Path) -> int:
    """Write a document as PO; one imported from PO comes back as it was, translated."""
    with workspace.session() as session:
        document = session.get_one(DocumentRecord, document_id)
        rows = session.execute(
            select(
                SegmentRecord.position,
                SegmentRecord.source,
                SegmentRecord.target,
                SegmentRecord.status,
                SegmentRecord.context,
                SegmentRecord.note,
                SegmentRecord.meta,
            )
            .where(SegmentRecord.document_id == document_id)
            .order_by(SegmentRecord.position)
        ).all()
        name, src, tgt = document.name, document.source_lang, document.target_lang
        doc_meta = json.loads(document.meta) if document.format == "po" and document.meta else None
    segments = [_Row(r[0], r[1], r[2], Status(r[3]), r[4], r[5]) for r in rows]
    catalog = catalog_from_segments(segments, document_name=name, source_lang=src, target_lang=tgt)
    if doc_meta is not None:
        entries = []
        for row, segment_meta in zip(segments, (r[6] for r in rows), strict=True):
            meta = json.loads(segment_meta) if segment_meta else {}
            flags = list(meta.get("flags", ()))
            if row.target and not row.status.is_confirmed:
                flags.insert(0, "fuzzy")
            meta["flags"] = flags
            target = row.target or ""
            if meta.get("msgid_plural"):
                plurals = list(meta.get("msgstr_plural", ())) or [""]
                plurals[0] = target
                meta["msgstr_plural"] = plurals
                target = ""
            entries.append(
                _entry_from(
                    meta,
                    msgid=row.source,
                    msgstr=target,
                    msgctxt=row.context,
                    translator_comment=row.note or "",
                )
            )
        entries += [
            _entry_from(
                {k: v for k, v in e.items() if k not in _IN_COLUMNS},
                msgid=e["msgid"],
                msgstr=e["msgstr"],
                msgctxt=e["msgctxt"],
                translator_comment=e["translator_comment"],
            )
            for e in doc_meta.get("obsolete", ())
        ]
        catalog = replace(
            catalog,
            metadata=tuple((k, v) for k, v in doc_meta.get("metadata", ())),
            header_comment=doc_meta.get("header_comment", ""),
            header_flags=tuple(doc_meta.get("header_flags", ())),
            entries=tuple(entries),
        )
    write_po(out, catalog)
    return len(segments)
