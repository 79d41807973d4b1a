"""Fuzzy matches, concordance and pre-translation from the translation memory.

One Matcher per open workspace keeps a word index per language (see translator.tm.index),
saved in the user's cache folder so that reopening a large memory is quick, and brought up
to date before every search with the units stored since (a confirmed segment is offered
at once). Any language of a unit can serve as source: an English-to-Arabic memory offers
its Arabic side for an Arabic sentence.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
import unicodedata
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import bindparam, func, select

from translator.domain import ConcordanceHit, Match, Status
from translator.errors import TranslatorError
from translator.services import memory
from translator.services.mapping import in_language
from translator.services.progress import Progress, no_progress
from translator.services.users import current_user
from translator.storage.database import Workspace
from translator.storage.models import TmUnitRecord, TmVariantRecord, aware_utc, utcnow
from translator.text.languages import base_language
from translator.tm.index import WordIndex

# Small memories are rebuilt on open in well under a second; larger ones are cached.
_CACHE_FROM = 20_000
_FETCH_FACTOR = 3  # index hits fetched per wanted match (some may lack the target language)
_REFRESH_S = 1.0  # how often to look for units other processes stored


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# One statement, compiled once: the variants of some units with their unit's details.
_DETAILS = (
    select(
        TmVariantRecord.id,
        TmVariantRecord.unit_id,
        TmVariantRecord.lang,
        TmVariantRecord.text,
        TmUnitRecord.origin,
        TmUnitRecord.changed_at,
        TmUnitRecord.created_at,
        TmUnitRecord.changed_by,
        TmUnitRecord.created_by,
    )
    .join(TmUnitRecord, TmUnitRecord.id == TmVariantRecord.unit_id)
    .where(TmVariantRecord.unit_id.in_(bindparam("ids", expanding=True)))
    .order_by(TmVariantRecord.unit_id, TmVariantRecord.position)
)


def cache_folder() -> Path:
    return Path(platformdirs.user_cache_dir("translator"))


class Matcher:
    """The match engine of one workspace; safe to call from a worker thread."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._indexes: dict[str, WordIndex] = {}
        self._seen: dict[str, tuple[int, float]] = {}  # per language: (changes, when)
        self._lock = threading.RLock()

    # -- the index ----------------------------------------------------------------------

    def _cache_path(self, base: str) -> Path:
        key = hashlib.sha256(self.workspace.url.encode()).hexdigest()[:20]
        return cache_folder() / f"match-{key}-{base}.npz"

    def _rows(self, base: str, after: int = 0) -> list[tuple[int, int, str]]:
        with self.workspace.reading() as connection:
            return [
                (int(v), int(u), str(t))
                for v, u, t in connection.execute(
                    select(TmVariantRecord.id, TmVariantRecord.unit_id, TmVariantRecord.text)
                    .where(in_language(TmVariantRecord.lang, base), TmVariantRecord.id > after)
                    .order_by(TmVariantRecord.id)
                )
            ]

    def _total_up_to(self, max_id: int) -> int:
        """Variants of every language up to an id: a range count on the primary key."""
        with self.workspace.reading() as connection:
            return int(
                connection.scalar(
                    select(func.count())
                    .select_from(TmVariantRecord)
                    .where(TmVariantRecord.id <= max_id)
                )
                or 0
            )

    def index_for(self, lang: str, progress: Progress = no_progress) -> WordIndex:
        """The index of one language, loaded from the cache or built, and up to date."""
        base = base_language(lang)
        with self._lock:
            index = self._indexes.get(base)
            if index is None:
                index = self._open(base, progress)
                self._indexes[base] = index
            self._refresh(base, index)
            if len(index.tail.texts) > max(_CACHE_FROM, len(index.texts) // 5):
                index = self._build(base, progress)  # the tail grew big: fold it in
                self._indexes[base] = index
            return index

    def _refresh(self, base: str, index: WordIndex) -> None:
        """Add what was stored since: at once for this process's changes, else each second."""
        now = time.monotonic()
        seen = self._seen.get(base)
        if seen is not None and seen[0] == memory.changes and now - seen[1] < _REFRESH_S:
            return
        self._seen[base] = (memory.changes, now)
        index.add(self._rows(base, after=index.max_variant_id))

    def _open(self, base: str, progress: Progress) -> WordIndex:
        path = self._cache_path(base)
        cached = WordIndex.load(path, self.workspace.url)
        # Valid if nothing it holds was deleted since: same count up to its last id.
        if cached is not None and self._total_up_to(cached.max_variant_id) == cached.saved_total:
            return cached
        return self._build(base, progress)

    def _build(self, base: str, progress: Progress) -> WordIndex:
        rows = self._rows(base)
        progress(0, max(len(rows), 1))
        index = WordIndex.build(rows)
        progress(len(rows), max(len(rows), 1))
        if len(rows) >= _CACHE_FROM:
            path = self._cache_path(base)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                index.save(path, self.workspace.url, self._total_up_to(index.max_variant_id))
            except OSError:
                pass  # a cache that cannot be written only costs time at the next open
        return index

    # -- matches ------------------------------------------------------------------------

    def search(
        self,
        text: str,
        *,
        source_lang: str,
        target_lang: str,
        min_score: float = 70.0,
        limit: int = 5,
    ) -> list[Match]:
        """The best memory matches for ``text``, best first (most recent first on ties)."""
        if not text.strip():
            return []
        index = self.index_for(source_lang)
        hits = index.search(text, min_similarity=min_score, limit=limit * _FETCH_FACTOR)
        if not hits:
            return []
        details = self._details([unit for _, unit, _ in hits], source_lang, target_lang)
        matches = []
        for variant_id, unit_id, similarity in hits:
            found = details.get(unit_id)
            if found is None or variant_id not in found[0]:
                index.removed.add(variant_id)  # deleted since the index was built
                continue
            sources, target, unit = found
            if target is None:
                continue
            source_lang_found, source = sources[variant_id]
            # Identical is identical in Unicode terms: the same letters with their marks in
            # another order (shadda before or after kasra) are the same text.
            same = source == text or _nfc(source) == _nfc(text)
            score = 100.0 if same else min(math.floor(similarity * 10) / 10, 99.0)
            if score < min_score:
                continue
            matches.append(
                Match(
                    score=score,
                    unit_id=unit_id,
                    source=source,
                    target=target[1],
                    source_lang=source_lang_found,
                    target_lang=target[0],
                    origin=unit.origin,
                    changed_at=aware_utc(unit.changed_at or unit.created_at),
                    changed_by=unit.changed_by or unit.created_by,
                )
            )
        matches.sort(
            key=lambda m: (
                -m.score,
                -(m.changed_at.timestamp() if m.changed_at else 0.0),
                m.unit_id,
            )
        )
        return matches[:limit]

    def _details(
        self, unit_ids: Sequence[int], source_lang: str, target_lang: str
    ) -> dict[int, tuple[dict[int, tuple[str, str]], tuple[str, str] | None, Any]]:
        """Per unit: its source-language texts by variant id, its target text, the unit."""
        src, tgt = base_language(source_lang), base_language(target_lang)
        result: dict[int, tuple[dict[int, tuple[str, str]], tuple[str, str] | None, Any]] = {}
        with self.workspace.reading() as connection:
            rows = connection.execute(_DETAILS, {"ids": sorted(set(unit_ids))}).all()
        for row in rows:
            sources, target, unit = result.setdefault(row.unit_id, ({}, None, row))
            base = base_language(row.lang)
            if base == src:
                sources[row.id] = (row.lang, row.text)
            if base == tgt and target is None and row.text.strip():
                result[row.unit_id] = (sources, (row.lang, row.text), unit)
        return result

    def concordance(
        self, phrase: str, *, lang: str, other_lang: str, limit: int = 50
    ) -> list[ConcordanceHit]:
        """Units whose ``lang`` text contains the phrase, with their ``other_lang`` text."""
        index = self.index_for(lang)
        hits = index.containing(phrase, limit=limit * _FETCH_FACTOR)
        if not hits:
            return []
        details = self._details([u for _, u in hits], lang, other_lang)
        result = []
        for variant_id, unit_id in hits:
            found = details.get(unit_id)
            if found is None or variant_id not in found[0]:
                index.removed.add(variant_id)
                continue
            sources, target, unit = found
            result.append(
                ConcordanceHit(
                    unit_id=unit_id,
                    source=sources[variant_id][1],
                    target=target[1] if target else "",
                    origin=unit.origin,
                )
            )
            if len(result) >= limit:
                break
        return result


_matchers: weakref.WeakKeyDictionary[Workspace, Matcher] = weakref.WeakKeyDictionary()
_matchers_lock = threading.Lock()


def matcher_for(workspace: Workspace) -> Matcher:
    with _matchers_lock:
        matcher = _matchers.get(workspace)
        if matcher is None:
            matcher = _matchers[workspace] = Matcher(workspace)
        return matcher


def search_memory(
    workspace: Workspace,
    text: str,
    *,
    source_lang: str = "ar",
    target_lang: str = "en",
    min_score: float = 70.0,
    limit: int = 5,
) -> list[Match]:
    return matcher_for(workspace).search(
        text, source_lang=source_lang, target_lang=target_lang, min_score=min_score, limit=limit
    )


def concordance(
    workspace: Workspace,
    phrase: str,
    *,
    source_lang: str = "ar",
    target_lang: str = "en",
    limit: int = 50,
) -> list[ConcordanceHit]:
    """Search both sides: the phrase in the source language, else in the target language."""
    matcher = matcher_for(workspace)
    hits = matcher.concordance(phrase, lang=source_lang, other_lang=target_lang, limit=limit)
    if hits:
        return hits
    reverse = matcher.concordance(phrase, lang=target_lang, other_lang=source_lang, limit=limit)
    return [ConcordanceHit(h.unit_id, h.target, h.source, h.origin) for h in reverse]


@dataclass(frozen=True)
class PretranslateResult:
    filled: int
    exact: int  # of which 100% matches
    considered: int


def pretranslate(
    workspace: Workspace,
    document_id: int,
    *,
    min_score: float = 100.0,
    progress: Progress = no_progress,
) -> PretranslateResult:
    """Fill untranslated segments from the memory, as one unit of work (or nothing).

    Filled segments get the status ``pretranslated``: the text came from the memory and
    needs a translator's look before it counts as translated.
    """
    from translator.services.segments import _write, load_segments

    if not 0 < min_score <= 100:
        raise TranslatorError("--min must be between 1 and 100")
    from translator.services.documents import find_document

    summary = find_document(workspace, document_id)
    matcher = matcher_for(workspace)
    matcher.index_for(summary.source_lang, progress)
    todo = [s for s in load_segments(workspace, document_id) if s.target is None]
    author = current_user()
    fills: list[tuple[int, int, str, bool]] = []
    for i, segment in enumerate(todo):
        found = matcher.search(
            segment.source,
            source_lang=summary.source_lang,
            target_lang=summary.target_lang,
            min_score=min_score,
            limit=1,
        )
        if found:
            fills.append((segment.id, segment.version, found[0].target, found[0].score >= 100))
        if i % 100 == 0:
            progress(i, len(todo))
    now = utcnow()
    with workspace.session() as session:
        for segment_id, version, target, _ in fills:
            _write(
                session,
                segment_id,
                version,
                author=author,
                now=now,
                action="pretranslate",
                target=target,
                status=Status.PRETRANSLATED,
            )
    progress(len(todo), len(todo))
    return PretranslateResult(
        filled=len(fills), exact=sum(1 for f in fills if f[3]), considered=len(todo)
    )
