"""Document use cases: import an article, list, show, export and delete documents."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from translator.domain import Document, DocumentSummary, SourceDocument, Status
from translator.errors import InputFileError, NotFoundError, TranslatorError
from translator.formats.registry import read_document, render_text, write_document
from translator.services.mapping import fetch_segments, summary_query, to_summary
from translator.services.progress import Progress, no_progress
from translator.services.users import current_user
from translator.storage.database import Workspace
from translator.storage.models import DocumentRecord, ParagraphRecord, SegmentRecord, utcnow
from translator.text.languages import base_language, word_joiner
from translator.text.segmentation import Segmenter

DEFAULT_SOURCE_LANG = "ar"
DEFAULT_TARGET_LANG = "en"
# A "sentence" longer than this is almost surely not prose (a minified dump, a file with
# no punctuation at all); the editor could not show it usefully, so the import is refused.
MAX_SEGMENT_CHARS = 20_000
_WORD = re.compile(r"\w+")
_BATCH = 5_000
# Languages written without spaces between sentences.


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def normalise_lang(lang: str) -> str:
    """``AR_sa`` -> ``ar-SA``: BCP 47 casing, so every part of the program agrees."""
    parts = lang.replace("_", "-").strip().split("-")
    if not parts[0] or not parts[0].isalpha():
        raise TranslatorError(f"{lang!r} is not a language code (expected e.g. ar, en, en-GB)")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part)
    return "-".join(out)


@dataclass(frozen=True)
class ExportResult:
    path: Path | None
    text: str
    untranslated: int  # segments without a translation (txt/docx: their source stands in)
    units: int | None = None  # tmx: the units written (confirmed segments only)
    format: str = "txt"
    # Segments with a translation nobody confirmed (drafts, rejected): in a text or PO
    # export as they are, left out of a TMX export.
    unconfirmed: int = 0
    rejected: int = 0  # of those, sent back by a reviewer

    @property
    def warnings(self) -> list[str]:
        """What a user should know about the file written: what is missing or unfinished."""
        rejected = f" ({self.rejected} rejected by a reviewer)" if self.rejected else ""
        if self.format == "tmx":
            if self.unconfirmed:
                what = "the TMX file holds no units" if not self.units else "they are not in it"
                return [
                    f"{self.unconfirmed} translated segment(s) not confirmed yet{rejected}: {what}"
                ]
            if not self.units:
                return ["no confirmed segment: the TMX file holds no units"]
            return []
        found = []
        if self.untranslated:
            found.append(
                f"{self.untranslated} untranslated segment(s): their messages are left empty"
                if self.format == "po"
                else f"{self.untranslated} untranslated segment(s); their source text stands in"
            )
        if self.unconfirmed:
            found.append(
                f"{self.unconfirmed} segment(s) not confirmed yet{rejected}: "
                + (
                    "their messages are marked fuzzy"
                    if self.format == "po"
                    else "their unconfirmed translation is in the file"
                )
            )
        return found


def _line_of(source: SourceDocument, index: int) -> int:
    return sum(source.blank_lines_before[: index + 1]) + index + 1


def _segment_paragraphs(
    path: Path,
    source: SourceDocument,
    lang: str,
    progress: Progress,
    rule_files: Sequence[str | Path] = (),
) -> list[list[str]]:
    segmenter = Segmenter.for_language(lang, rule_files)
    total = len(source.paragraphs)
    result = []
    for index, paragraph in enumerate(source.paragraphs):
        sentences = segmenter.split(paragraph)
        for sentence in sentences:
            if len(sentence) > MAX_SEGMENT_CHARS:
                where = None if source.format == "txt" else f"paragraph {index + 1}"
                line = _line_of(source, index) if source.format == "txt" else None
                raise InputFileError(
                    path,
                    f"a sentence of {len(sentence):,} characters with no sentence-ending "
                    f"punctuation (the limit is {MAX_SEGMENT_CHARS:,}); "
                    "this does not look like an article",
                    line=line,
                    where=where,
                )
        result.append(sentences)
        if index % 500 == 0:
            progress(index, total)
    return result


def unique_document_name(session: Session, wanted: str, explicit: bool) -> str:
    taken = set(session.scalars(select(DocumentRecord.name)))
    if wanted not in taken:
        return wanted
    if explicit:
        raise TranslatorError(f"a document named {wanted!r} already exists; choose another --name")
    n = 2
    while f"{wanted} ({n})" in taken:
        n += 1
    return f"{wanted} ({n})"


def import_document(
    workspace: Workspace,
    path: str | Path,
    *,
    name: str | None = None,
    encoding: str | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
    progress: Progress = no_progress,
    on_warning: Callable[[str], None] = lambda _message: None,
    rule_files: Sequence[str | Path] = (),
) -> DocumentSummary:
    """Read, segment and store an article as a new document, in one transaction.

    ``rule_files``: segmentation rule files whose rules come before the built-in ones (see
    docs/segmentation.md). A PO file becomes a document of its messages (see po_documents;
    its messages are not segmented); what it had that was sloppy but usable is passed to
    ``on_warning``.
    """
    path = Path(path)
    if name is not None and not name.strip():
        raise TranslatorError("the document name must not be empty")
    default_name = path.stem
    if path.suffix.lower() in (".po", ".pot"):
        from translator.services.po_documents import import_po_document

        result = import_po_document(
            workspace,
            path,
            name=(name or default_name).strip(),
            source_lang=source_lang,
            target_lang=target_lang,
            explicit_name=name is not None,
            progress=progress,
        )
        for warning in result.warnings:
            on_warning(f"{path}: {warning}")
        return result.summary
    source = read_document(path, encoding=encoding)
    src_lang = normalise_lang(source_lang or source.source_lang or DEFAULT_SOURCE_LANG)
    tgt_lang = normalise_lang(target_lang or source.target_lang or DEFAULT_TARGET_LANG)
    if base_language(src_lang) == base_language(tgt_lang):
        raise TranslatorError(
            f"the source and target languages are the same ({src_lang}, {tgt_lang}); "
            "give --source-lang and --target-lang"
        )
    paragraphs = _segment_paragraphs(path, source, src_lang, progress, rule_files)
    if not any(paragraphs):
        raise InputFileError(path, "contains no text to translate")
    author = current_user()
    with workspace.session() as session:
        record = DocumentRecord(
            name=unique_document_name(
                session, (name or default_name).strip(), explicit=name is not None
            ),
            source_lang=src_lang,
            target_lang=tgt_lang,
            format=source.format,
            original_path=str(path.resolve()),
            encoding=source.encoding,
            created_by=author,
        )
        session.add(record)
        try:
            session.flush()
        except IntegrityError as exc:  # another window took the name meanwhile
            raise TranslatorError(f"a document named {record.name!r} already exists") from exc
        _insert_content(session, record.id, source, paragraphs, author, progress)
        summary = to_summary(
            session.execute(summary_query().where(DocumentRecord.id == record.id)).one()
        )
    progress(1, 1)
    return summary


def insert_paragraphs(
    session: Session, document_id: int, blank_lines_before: Sequence[int]
) -> dict[int, int]:
    """Store a document's paragraphs (Core executemany); their ids by position from 1."""
    session.execute(
        insert(ParagraphRecord),
        [
            {"document_id": document_id, "position": i + 1, "blank_lines_before": blanks}
            for i, blanks in enumerate(blank_lines_before)
        ],
    )
    return {
        position: paragraph_id
        for position, paragraph_id in session.execute(
            select(ParagraphRecord.position, ParagraphRecord.id).where(
                ParagraphRecord.document_id == document_id
            )
        )
    }


def _insert_content(
    session: Session,
    document_id: int,
    source: SourceDocument,
    paragraphs: Sequence[list[str]],
    author: str,
    progress: Progress,
) -> None:
    paragraph_ids = insert_paragraphs(session, document_id, source.blank_lines_before)
    now = utcnow()
    rows = []
    position = 0
    total = sum(len(p) for p in paragraphs)
    for index, sentences in enumerate(paragraphs):
        for sentence in sentences:
            position += 1
            rows.append(
                {
                    "document_id": document_id,
                    "paragraph_id": paragraph_ids[index + 1],
                    "position": position,
                    "source": sentence,
                    "target": None,
                    "status": Status.NEW.value,
                    "source_words": count_words(sentence),
                    "author": author,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
            if len(rows) >= _BATCH:
                session.execute(insert(SegmentRecord), rows)
                rows.clear()
                progress(position, total)
    if rows:
        session.execute(insert(SegmentRecord), rows)


def list_documents(workspace: Workspace) -> list[DocumentSummary]:
    with workspace.session() as session:
        return [to_summary(row) for row in session.execute(summary_query())]


def find_document(workspace: Workspace, ref: str | int) -> DocumentSummary:
    """A document by id or by name (an all-digit name that is not an id still works)."""
    with workspace.session() as session:
        return _find(session, ref)


def _find(session: Session, ref: str | int) -> DocumentSummary:
    query = summary_query()
    text = str(ref).strip()
    if text.isdigit():
        row = session.execute(query.where(DocumentRecord.id == int(text))).one_or_none()
        if row is not None:
            return to_summary(row)
    row = session.execute(query.where(DocumentRecord.name == text)).one_or_none()
    if row is None:
        raise NotFoundError(f"no document {text!r} in this workspace (see 'translator docs')")
    return to_summary(row)


def load_document(workspace: Workspace, ref: str | int) -> Document:
    with workspace.session() as session:
        summary = _find(session, ref)
        segments = tuple(fetch_segments(session, summary.id))
        blanks = tuple(
            session.scalars(
                select(ParagraphRecord.blank_lines_before)
                .where(ParagraphRecord.document_id == summary.id)
                .order_by(ParagraphRecord.position)
            )
        )
    return Document(summary=summary, segments=segments, blank_lines_before=blanks)


def target_paragraphs(document: Document) -> tuple[list[str], int]:
    """The translated paragraphs (source standing in where untranslated) and that count."""
    joiner = word_joiner(document.summary.target_lang)
    paragraphs: list[list[str]] = [[] for _ in document.blank_lines_before]
    untranslated = 0
    for segment in document.segments:
        text = segment.target
        if text is None or not text.strip():
            text = segment.source
            untranslated += 1
        paragraphs[segment.paragraph - 1].append(text.strip())
    return [joiner.join(p) for p in paragraphs], untranslated


def export_document(
    workspace: Workspace, ref: str | int, out: str | Path | None, *, format: str = "txt"
) -> ExportResult:
    """Write the translated article with the original paragraphs (``out=None``: text only).

    ``po`` writes one message per segment; ``tmx`` the document's confirmed segments as
    translation units. Both need an output file.
    """
    document = load_document(workspace, ref)
    paragraphs, untranslated = target_paragraphs(document)
    text = render_text(paragraphs, document.blank_lines_before)
    unfinished = [s for s in document.segments if s.target and not s.status.is_confirmed]
    result = ExportResult(
        None,
        text,
        untranslated,
        format=format,
        unconfirmed=len(unfinished),
        rejected=sum(1 for s in unfinished if s.rejection),
    )
    if format in ("po", "tmx"):
        if out is None:
            raise TranslatorError(f"--format {format} needs an output file: -o FILE.{format}")
        target = Path(out)
        if format == "po":
            from translator.services.po_documents import export_po_document

            export_po_document(workspace, document.summary.id, target)
            return replace(result, path=target)
        units = _export_tmx(document, target)
        return replace(result, path=target, units=units)
    path = None
    if out is not None:
        path = Path(out)
        write_document(
            path,
            paragraphs,
            blank_lines_before=document.blank_lines_before,
            format=format,
            lang=document.summary.target_lang,
        )
    return replace(result, path=path)


def _export_tmx(document: Document, path: Path) -> int:
    from translator.domain import Unit, Variant
    from translator.formats.tmx import write_tmx

    s = document.summary
    units = (
        Unit(
            variants=(
                Variant(lang=s.source_lang, text=segment.source),
                Variant(lang=s.target_lang, text=segment.target or ""),
            ),
            tuid=f"{s.name}:{segment.n}",
            srclang=s.source_lang,
            changed_at=segment.updated_at,
            changed_by=segment.author,
            origin=f"{s.name}, segment {segment.n}",
            status=segment.status.value,
        )
        for segment in document.segments
        if segment.status.is_confirmed and segment.target
    )
    return write_tmx(path, units, srclang=s.source_lang)


def delete_document(workspace: Workspace, ref: str | int) -> DocumentSummary:
    with workspace.session() as session:
        summary = _find(session, ref)
        session.execute(delete(DocumentRecord).where(DocumentRecord.id == summary.id))
    return summary
