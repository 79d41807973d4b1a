"""The glossary: how names and terms are to be translated, the same way in every article.

A term pair is stored once, whichever way round it came (ar -> en, or en -> ar), and serves
in both directions, as memory units do. Terms are found in a segment with Arabic clitics and
spelling variants allowed (``text.terms``); a translation that does not use a term's
translation is reported, on the command line (``glossary check``) and in the editor.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from translator import collector
from translator.domain import GlossaryConcept, GlossaryImport, GlossaryTerm, TermHit, TermIssue
from translator.errors import NotFoundError, TranslatorError
from translator.formats import glossary as glossary_format
from translator.formats.glossary import clean_term
from translator.formats.tmx import normalise_lang
from translator.services import documents as document_service
from translator.services.mapping import in_language
from translator.services.progress import Progress, no_progress
from translator.services.users import current_user
from translator.storage.database import Workspace
from translator.storage.models import GlossaryStateRecord, GlossaryTermRecord, utcnow
from translator.text.languages import base_language
from translator.text.terms import TermFinder, contains, has_words, is_name
from translator.tm.normalize import normalize

MAX_TERM_CHARS = 400  # a term longer than this is a sentence: it belongs in the memory
# The glossary dialog searches on every keystroke: each text is put in matching form once.
_matching = functools.lru_cache(maxsize=100_000)(normalize)
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


_COLUMNS = (
    GlossaryTermRecord.id,
    GlossaryTermRecord.source_lang,
    GlossaryTermRecord.source,
    GlossaryTermRecord.target_lang,
    GlossaryTermRecord.target,
    GlossaryTermRecord.note,
    GlossaryTermRecord.origin,
    GlossaryTermRecord.changed_at,
    GlossaryTermRecord.changed_by,
)  # GlossaryTerm's fields, in order


def _term(record: GlossaryTermRecord) -> GlossaryTerm:
    return GlossaryTerm(*(getattr(record, column.key) for column in _COLUMNS))


# Bumped by every change this process makes, so that its own changes are seen at once and
# other processes' within a second (as the memory's matcher does).
_changes = 0
_REFRESH_S = 1.0


@contextmanager
def _changing(workspace: Workspace) -> Iterator[Session]:
    """A unit of work that changes the glossary. It moves the glossary's revision on, in
    the same transaction, so that every process sees the change (whatever the clocks say)."""
    global _changes
    try:
        with workspace.session() as session:
            yield session
            state = GlossaryStateRecord
            moved = session.execute(
                update(state).where(state.id == 1).values(revision=state.revision + 1)
            )
            if not cast("CursorResult[Any]", moved).rowcount:
                session.add(GlossaryStateRecord(id=1, revision=1))
    finally:
        _changes += 1


def _check_pair(source_lang: str, source: str, target_lang: str, target: str) -> None:
    for what, text in (("source", source), ("target", target)):
        if not text:
            raise TranslatorError(f"the {what} term is empty")
        if len(text) > MAX_TERM_CHARS:
            raise TranslatorError(
                f"the {what} term has {len(text)} characters; a glossary term has at most "
                f"{MAX_TERM_CHARS} (a sentence belongs in the translation memory)"
            )
        if _CONTROL.search(text):
            raise TranslatorError(f"the {what} term has a control character in it")
        if not has_words(text):
            raise TranslatorError(f"the {what} term '{text}' has no letters or digits")
    if not source_lang or not target_lang:
        raise TranslatorError("a term pair needs both languages")
    for lang in (source_lang, target_lang):
        if len(lang) > 35 or not _LANGUAGE_CODE.fullmatch(lang):
            raise TranslatorError(f"'{lang}' is not a language code (such as ar, en, ar-SY)")
    if base_language(source_lang) == base_language(target_lang):
        raise TranslatorError(f"both terms are in the same language ({source_lang})")


def _existing(
    session: Session, source_lang: str, source: str, target_lang: str, target: str
) -> GlossaryTermRecord | None:
    """The stored pair with these terms in these languages (any region), whichever way
    round it was stored."""
    record = GlossaryTermRecord
    return session.scalars(
        select(record).where(
            or_(
                (record.source == source)
                & (record.target == target)
                & in_language(record.source_lang, source_lang)
                & in_language(record.target_lang, target_lang),
                (record.source == target)
                & (record.target == source)
                & in_language(record.source_lang, target_lang)
                & in_language(record.target_lang, source_lang),
            )
        )
    ).first()


def _pair_key(source_lang: str, source: str, target_lang: str, target: str) -> tuple[str, ...]:
    """The same key for a pair whichever way round and in whichever region it is given."""
    one, other = (base_language(source_lang), source), (base_language(target_lang), target)
    return (*min(one, other), *max(one, other))


def add_term(
    workspace: Workspace,
    source_lang: str,
    source: str,
    target_lang: str,
    target: str,
    note: str | None = None,
) -> GlossaryTerm:
    """Add a term pair by hand; one already there is refused, naming it."""
    source_lang, target_lang = normalise_lang(source_lang), normalise_lang(target_lang)
    source, target = clean_term(source), clean_term(target)
    _check_pair(source_lang, source, target_lang, target)
    author = current_user()
    with _changing(workspace) as session:
        found = _existing(session, source_lang, source, target_lang, target)
        if found is not None:
            raise TranslatorError(
                f"'{source}' -> '{target}' is already in the glossary (term {found.id})"
            )
        now = utcnow()
        record = GlossaryTermRecord(
            source_lang=source_lang,
            source=source,
            target_lang=target_lang,
            target=target,
            note=clean_term(note) or None if note else None,
            created_at=now,
            created_by=author,
            changed_at=now,
            changed_by=author,
        )
        session.add(record)
        session.flush()
        return _term(record)


def update_term(
    workspace: Workspace,
    term_id: int,
    *,
    source: str | None = None,
    target: str | None = None,
    note: str | None = None,
) -> GlossaryTerm:
    """Change a term pair's texts or note (an empty note removes it)."""
    with _changing(workspace) as session:
        record = session.get(GlossaryTermRecord, term_id)
        if record is None:
            raise NotFoundError(f"no glossary term {term_id} (see 'translator glossary list')")
        new_source = clean_term(source) if source is not None else record.source
        new_target = clean_term(target) if target is not None else record.target
        _check_pair(record.source_lang, new_source, record.target_lang, new_target)
        if (new_source, new_target) != (record.source, record.target):
            other = _existing(
                session, record.source_lang, new_source, record.target_lang, new_target
            )
            if other is not None and other.id != term_id:
                raise TranslatorError(
                    f"'{new_source}' -> '{new_target}' is already in the glossary (term {other.id})"
                )
        record.source, record.target = new_source, new_target
        if note is not None:
            record.note = clean_term(note) or None
        record.changed_at, record.changed_by = utcnow(), current_user()
        session.flush()
        return _term(record)


def remove_terms(workspace: Workspace, term_ids: Iterable[int]) -> int:
    """Remove term pairs; the number removed (unknown ids are not an error if some exist)."""
    ids = list(term_ids)
    with _changing(workspace) as session:
        result = session.execute(delete(GlossaryTermRecord).where(GlossaryTermRecord.id.in_(ids)))
        removed = cast("CursorResult[Any]", result).rowcount
    if ids and not removed:
        raise NotFoundError(
            f"no glossary term {', '.join(map(str, ids))} (see 'translator glossary list')"
        )
    return int(removed)


def list_terms(
    workspace: Workspace, *, search: str | None = None, lang: str | None = None
) -> list[GlossaryTerm]:
    """The glossary, in the order terms were added; ``search`` is found in either term or
    the note (case-insensitive), ``lang`` keeps pairs with that language on either side."""
    record = GlossaryTermRecord
    query = select(*_COLUMNS).order_by(record.id)
    if lang:
        query = query.where(
            or_(in_language(record.source_lang, lang), in_language(record.target_lang, lang))
        )
    with workspace.session() as session:
        terms = [GlossaryTerm(*row) for row in session.execute(query)]
    return search_terms(terms, search) if search else terms


def search_terms(terms: Sequence[GlossaryTerm], search: str) -> list[GlossaryTerm]:
    """The terms whose source, target or note contains ``search``, compared in matching
    form ("جائحه" finds "جائحة", "covid" finds "COVID-19")."""
    wanted = _matching(search)
    return [
        t
        for t in terms
        if wanted in _matching(t.source)
        or wanted in _matching(t.target)
        or (t.note is not None and wanted in _matching(t.note))
    ]


# -- files ----------------------------------------------------------------------------------


def _pairs(
    concept: GlossaryConcept, languages: Sequence[str]
) -> Iterable[tuple[str, str, str, str]]:
    """A concept's term pairs: each term with each term of every other language after it
    (a German, Arabic and English entry gives de-ar, de-en and ar-en)."""
    terms = [(normalise_lang(lang), clean_term(text)) for lang, text in concept.terms]
    if languages:
        wanted = {base_language(code) for code in languages}
        terms = [(lang, text) for lang, text in terms if base_language(lang) in wanted]
    for n, (source_lang, source) in enumerate(terms):
        for target_lang, target in terms[n + 1 :]:
            if base_language(source_lang) != base_language(target_lang):
                yield source_lang, source, target_lang, target


def import_glossary(
    workspace: Workspace,
    path: str | Path,
    *,
    source_lang: str | None = None,
    target_lang: str | None = None,
    encoding: str | None = None,
    languages: Sequence[str] = (),
    progress: Progress = no_progress,
) -> GlossaryImport:
    """Read a TBX, CSV or TSV glossary and add its term pairs, in one transaction: a file
    that cannot be read adds nothing. Pairs already there (in any region of their
    languages, either way round, or earlier in the file) are counted, not doubled; a note
    from the file fills in or replaces the stored one."""
    path = Path(path)
    read = glossary_format.read_glossary(
        path, source_lang=source_lang, target_lang=target_lang, encoding=encoding
    )
    skips = list(read.skipped)
    updated = unchanged = 0
    seen_langs: dict[str, None] = {}
    author = current_user()
    with _changing(workspace) as session:
        now = utcnow()
        record = GlossaryTermRecord
        known: dict[tuple[str, ...], tuple[int | None, str | None]] = {
            _pair_key(a, s, b, t): (term_id, note)
            for term_id, a, s, b, t, note in session.execute(
                select(
                    record.id,
                    record.source_lang,
                    record.source,
                    record.target_lang,
                    record.target,
                    record.note,
                )
            )
        }
        new: dict[tuple[str, ...], dict[str, Any]] = {}
        notes: dict[int, str] = {}
        for number, concept in enumerate(read.concepts):
            if number % 1000 == 0:
                progress(number, len(read.concepts))
            pairs = list(_pairs(concept, languages))
            if not pairs:
                wanted = ", ".join(languages)
                skips.append((concept.line, f"no term pair in {wanted or 'two languages'}"))
                continue
            note = clean_term(concept.note) if concept.note else None
            for s_lang, source, t_lang, target in pairs:
                try:
                    _check_pair(s_lang, source, t_lang, target)
                except TranslatorError as exc:
                    skips.append((concept.line, str(exc)))
                    continue
                seen_langs.update({s_lang: None, t_lang: None})
                key = _pair_key(s_lang, source, t_lang, target)
                if key in new:  # again in this file: the first keeps its note, or takes one
                    if note and not new[key]["note"]:
                        new[key]["note"] = note
                    unchanged += 1
                elif key not in known:
                    new[key] = {
                        "source_lang": s_lang,
                        "source": source,
                        "target_lang": t_lang,
                        "target": target,
                        "note": note,
                        "origin": path.name,
                        "created_at": now,
                        "created_by": author,
                        "changed_at": now,
                        "changed_by": author,
                    }
                else:
                    term_id, stored_note = known[key]
                    if note and stored_note != note and term_id is not None:
                        if term_id not in notes:
                            updated += 1
                        notes[term_id] = note
                    else:
                        unchanged += 1
        if new:
            session.execute(insert(record), list(new.values()))
        if notes:
            session.execute(
                update(record),
                [
                    {"id": term_id, "note": note, "changed_at": now, "changed_by": author}
                    for term_id, note in notes.items()
                ],
            )
    progress(1, 1)
    return GlossaryImport(
        path=str(Path(path).resolve()),
        format=read.format,
        added=len(new),
        updated=updated,
        unchanged=unchanged,
        skipped=len(skips),
        skips=tuple(skips[:100]),
        languages=tuple(seen_langs),
        warnings=read.warnings,
    )


def export_glossary(
    workspace: Workspace,
    path: str | Path,
    *,
    format: str | None = None,
    lang: str | None = None,
    source_lang: str | None = None,
) -> int:
    """Write the glossary (or the pairs with ``lang`` on either side) as TBX, CSV or TSV,
    every pair turned to go from ``source_lang`` (default: the language most pairs go
    from), as a file that names no languages (OmegaT's) needs."""
    terms = list_terms(workspace, lang=lang)
    if terms:
        first = base_language(
            source_lang or Counter(t.source_lang for t in terms).most_common(1)[0][0]
        )
        terms = [
            replace(
                t,
                source_lang=t.target_lang,
                source=t.target,
                target_lang=t.source_lang,
                target=t.source,
            )
            if base_language(t.target_lang) == first and base_language(t.source_lang) != first
            else t
            for t in terms
        ]
    return glossary_format.write_glossary(path, terms, format=format)


# -- finding terms ---------------------------------------------------------------------------


class TermIndex:
    """The glossary for one direction of translation, ready to look sentences up in."""

    def __init__(self, terms: Sequence[GlossaryTerm], source_lang: str, target_lang: str):
        self.source_lang, self.target_lang = source_lang, target_lang
        src, tgt = base_language(source_lang), base_language(target_lang)
        by_text: dict[str, list[GlossaryTerm]] = {}  # the term in the source language
        flipped: dict[int, bool] = {}
        for term in terms:
            pair = (base_language(term.source_lang), base_language(term.target_lang))
            if pair == (src, tgt):
                by_text.setdefault(term.source, []).append(term)
                flipped[term.id] = False
            elif pair == (tgt, src):
                by_text.setdefault(term.target, []).append(term)
                flipped[term.id] = True
        self._by_text, self._flipped = by_text, flipped
        names = [
            text
            for text, same in by_text.items()
            # a name in every translation ("government" and "Cabinet": not a name)
            if is_name(text) or all(is_name(t.source if flipped[t.id] else t.target) for t in same)
        ]
        self.finder = TermFinder(by_text, names)
        self.size = len(flipped)

    def find(self, text: str) -> list[TermHit]:
        """The glossary's terms in a source sentence, each with its translations."""
        hits = []
        for found in self.finder.find(text):
            terms = [t for term in found.terms for t in self._by_text[term]]
            terms.sort(
                key=lambda t: t.changed_at.timestamp() if t.changed_at else 0.0, reverse=True
            )
            targets = [t.source if self._flipped[t.id] else t.target for t in terms]
            notes = [t.note for t in terms if t.note]
            hits.append(
                TermHit(
                    start=found.start,
                    end=found.end,
                    found=text[found.start : found.end],
                    source=found.terms[0],
                    targets=tuple(dict.fromkeys(targets)),
                    note="; ".join(dict.fromkeys(notes)) or None,
                    term_ids=tuple(t.id for t in terms),
                )
            )
        return hits

    def missing(self, source: str, target: str) -> list[TermHit]:
        """The terms of ``source`` whose translations ``target`` uses none of."""
        return [hit for hit in self.find(source) if not uses_translation(target, hit)]


def uses_translation(target: str, hit: TermHit) -> bool:
    """Whether a translation uses one of the translations of a term found in its source."""
    name = is_name(hit.source)
    return any(contains(target, wanted, name=name or is_name(wanted)) for wanted in hit.targets)


@dataclass
class _Cached:
    revision: int
    changes: int  # this process's change count when last checked
    checked: float  # time.monotonic() when last checked
    index: TermIndex


_cache_lock = threading.Lock()
_cache: dict[tuple[str, str, str], _Cached] = {}


def _revision(workspace: Workspace) -> int:
    """The glossary's revision: moved on by every change, by any process."""
    state = GlossaryStateRecord
    with workspace.session() as session:
        return session.scalar(select(state.revision).where(state.id == 1)) or 0


def term_index(workspace: Workspace, source_lang: str, target_lang: str) -> TermIndex:
    """The glossary for a direction of translation. Rebuilt when it has changed: at once
    after a change made in this process, within a second after one made elsewhere."""
    key = (workspace.url, base_language(source_lang), base_language(target_lang))
    now, changes = time.monotonic(), _changes
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None and cached.changes == changes and now - cached.checked < _REFRESH_S:
        return cached.index
    revision = _revision(workspace)
    if cached is None or cached.revision != revision:
        with collector.paused():  # a tree of the terms' words: many small objects
            index = TermIndex(list_terms(workspace), source_lang, target_lang)
    else:
        index = cached.index
    with _cache_lock:
        _cache[key] = _Cached(revision, changes, now, index)
    return index


def find_terms(
    workspace: Workspace, text: str, *, source_lang: str, target_lang: str
) -> list[TermHit]:
    """The glossary's terms in a sentence, with their translations."""
    return term_index(workspace, source_lang, target_lang).find(text)


def check_document(
    workspace: Workspace, ref: str | int, *, confirmed_only: bool = True
) -> list[TermIssue]:
    """Segments whose translation does not use the glossary's translation of a term in
    their source (confirmed ones only, unless ``confirmed_only`` is False)."""
    document = document_service.load_document(workspace, ref)
    summary = document.summary
    index = term_index(workspace, summary.source_lang, summary.target_lang)
    issues = []
    for segment in document.segments:
        if not segment.target or (confirmed_only and not segment.status.is_confirmed):
            continue
        for hit in index.missing(segment.source, segment.target):
            issues.append(TermIssue(segment.id, segment.n, hit))
    return issues
