"""An inverted index over the words of one language's texts in the memory.

Finding fuzzy matches by scoring every unit (what OmegaT and a brute-force scan do) costs
hundreds of milliseconds at a million units. The index narrows the field first: units
sharing the query's informative words (weighted by rarity, as a search engine ranks)
become candidates, a length filter drops those that cannot reach the threshold, and only
those few hundred are scored exactly. Exact (normalised) repetitions are found by hash, so
they are never missed.

Layout: postings in CSR form (one int32 array of positions, offsets per word), texts as
one list, ids as int64 arrays, so the index saves to and loads from one ``.npz`` file
quickly. Units added after the build go to a small tail that is scanned in full.
"""

from __future__ import annotations

import math
import threading
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from translator.tm.normalize import normalize, tokens

FORMAT_VERSION = 3
# A candidate must be able to reach the threshold on length alone.
_SLACK = 2
# How many index candidates are scored exactly; recall against a full scan is measured
# in benchmarks/bench_matching.py.
CANDIDATES = 400
# Words in more than this share of the texts say little about a sentence; they are used
# only when a query has too few other words.
_COMMON_SHARE = 0.05
_MIN_RARE_WORDS = 3

IntArray = npt.NDArray[np.int64]


def _digest(text: str) -> int:
    """A stable 32-bit digest (Python's own hash() changes from one process to the next)."""
    return zlib.crc32(text.encode("utf-8"))


@dataclass
class Hit:
    position: int
    similarity: float  # 0..100 on normalised text


@dataclass
class _Tail:
    """Texts added since the build: few, scored by a full scan."""

    variant_ids: list[int] = field(default_factory=list)
    unit_ids: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


class WordIndex:
    def __init__(
        self,
        variant_ids: IntArray,
        unit_ids: IntArray,
        texts: list[str],
        vocabulary: dict[str, int],
        offsets: IntArray,
        postings: npt.NDArray[np.int32],
        lengths: npt.NDArray[np.int32] | None = None,
        hashes: npt.NDArray[np.uint32] | None = None,
    ) -> None:
        self.variant_ids = variant_ids
        self.unit_ids = unit_ids
        self.texts = texts
        self.vocabulary = vocabulary
        self.offsets = offsets
        self.postings = postings
        if lengths is None:
            lengths = np.fromiter((len(t) for t in texts), dtype=np.int32, count=len(texts))
        self.lengths = lengths
        if hashes is None:
            hashes = np.fromiter((_digest(t) for t in texts), dtype=np.uint32, count=len(texts))
        # Exact repetitions by a sorted array of text digests: found by binary search, and
        # saved with the index so that reopening does not rehash a million texts.
        self.hash_order = np.argsort(hashes, kind="stable").astype(np.int32)
        self.hashes_sorted = hashes[self.hash_order]
        self.hashes = hashes
        self.tail = _Tail()
        # Scratch arrays for ranking candidates, reused by every search (under a lock).
        self._scratch_lock = threading.Lock()
        self._scores = np.zeros(0, dtype=np.float32)
        self._last = np.zeros(0, dtype=np.int64)
        self.removed: set[int] = set()  # variant ids known to be gone
        self.max_variant_id = int(variant_ids.max()) if len(variant_ids) else 0
        # Rows of every language up to max_variant_id when saved: if fewer now, some were
        # deleted and the saved index is stale.
        self.saved_total = 0

    # -- building -----------------------------------------------------------------------

    @classmethod
    def build(cls, rows: Iterable[tuple[int, int, str]]) -> WordIndex:
        """Index (variant id, unit id, original text) rows."""
        variant_ids: list[int] = []
        unit_ids: list[int] = []
        texts: list[str] = []
        lists: defaultdict[str, list[int]] = defaultdict(list)
        for position, (variant_id, unit_id, text) in enumerate(rows):
            normalized = normalize(text)
            variant_ids.append(variant_id)
            unit_ids.append(unit_id)
            texts.append(normalized)
            for word in set(tokens(normalized)):
                lists[word].append(position)
        vocabulary = {word: i for i, word in enumerate(lists)}
        offsets = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(p) for p in lists.values()])
        postings = np.fromiter(
            (p for plist in lists.values() for p in plist), dtype=np.int32, count=int(offsets[-1])
        )
        return cls(
            np.array(variant_ids, dtype=np.int64),
            np.array(unit_ids, dtype=np.int64),
            texts,
            vocabulary,
            offsets,
            postings,
        )

    def add(self, rows: Iterable[tuple[int, int, str]]) -> None:
        """Units confirmed or imported after the build: usable at once."""
        for variant_id, unit_id, text in rows:
            self.tail.variant_ids.append(variant_id)
            self.tail.unit_ids.append(unit_id)
            self.tail.texts.append(normalize(text))
            self.max_variant_id = max(self.max_variant_id, variant_id)

    def __len__(self) -> int:
        return len(self.texts) + len(self.tail.texts)

    # -- saving and loading --------------------------------------------------------------

    def save(self, path: Path, stamp: str, total: int = 0) -> None:
        """Write the built part (not the tail) to ``path``, atomically."""
        words = "\n".join(self.vocabulary)
        temp = path.with_suffix(".tmp.npz")
        np.savez(
            temp,
            format=np.array([FORMAT_VERSION]),
            stamp=np.array([stamp]),
            total=np.array([total], dtype=np.int64),
            variant_ids=self.variant_ids,
            unit_ids=self.unit_ids,
            texts=np.array(["\n".join(self.texts)]),
            words=np.array([words]),
            offsets=self.offsets,
            postings=self.postings,
            lengths=self.lengths,
            hashes=self.hashes,
        )
        temp.replace(path)

    @classmethod
    def load(cls, path: Path, stamp: str) -> WordIndex | None:
        """The saved index, or None when missing, stale or from another version."""
        try:
            with np.load(path, allow_pickle=False) as data:
                if int(data["format"][0]) != FORMAT_VERSION or str(data["stamp"][0]) != stamp:
                    return None
                texts_blob = str(data["texts"][0])
                words_blob = str(data["words"][0])
                variant_ids = data["variant_ids"]
                unit_ids = data["unit_ids"]
                offsets = data["offsets"]
                postings = data["postings"]
                lengths = data["lengths"]
                total = int(data["total"][0])
                hashes = data["hashes"]
        except (OSError, KeyError, ValueError):
            return None
        texts = texts_blob.split("\n") if len(variant_ids) else []
        words = words_blob.split("\n") if words_blob else []
        vocabulary = {word: i for i, word in enumerate(words)}
        index = cls(variant_ids, unit_ids, texts, vocabulary, offsets, postings, lengths, hashes)
        index.saved_total = total
        return index

    # -- searching ----------------------------------------------------------------------

    def _exact(self, query: str) -> list[int]:
        """Positions whose normalised text is exactly the query."""
        digest = _digest(query)
        low = int(np.searchsorted(self.hashes_sorted, digest, side="left"))
        high = int(np.searchsorted(self.hashes_sorted, digest, side="right"))
        return [int(p) for p in self.hash_order[low:high] if self.texts[int(p)] == query]

    def _candidates(self, query: str, min_similarity: float) -> list[int]:
        n = len(self.texts)
        if n == 0:
            return []
        found: list[tuple[float, npt.NDArray[np.int32]]] = []
        common: list[tuple[float, npt.NDArray[np.int32]]] = []
        limit = max(50, int(n * _COMMON_SHARE))
        for word in set(tokens(query)):
            i = self.vocabulary.get(word)
            if i is None:
                continue
            plist = self.postings[self.offsets[i] : self.offsets[i + 1]]
            weight = math.log(1 + n / len(plist))
            (found if len(plist) <= limit else common).append((weight, plist))
        if len(found) < _MIN_RARE_WORDS:
            found += sorted(common, key=lambda item: len(item[1]))[:_MIN_RARE_WORDS]
        if not found:
            return []
        # Only lengths that can still reach the threshold.
        length = len(query)
        ratio = max(min_similarity / 100, 0.01)
        low, high = ratio * length - _SLACK, length / ratio + _SLACK
        with self._scratch_lock:
            if len(self._scores) != n:
                self._scores = np.zeros(n, dtype=np.float32)
                self._last = np.zeros(n, dtype=np.int64)
            scores, last = self._scores, self._last
            parts = []
            for weight, plist in found:
                sizes = self.lengths[plist]
                kept = plist[(sizes >= low) & (sizes <= high)]
                # A word's postings hold each text once, so a plain indexed add is exact
                # (no sort, unlike np.unique over all of them).
                scores[kept] += weight
                parts.append(kept)
            touched = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
            if len(touched) == 0:
                return []
            # Each text once: the last copy of each id marks itself in ``last``.
            order = np.arange(len(touched))
            last[touched] = order
            unique = touched[last[touched] == order]
            totals = scores[unique]
            scores[touched] = 0.0
        if len(unique) > CANDIDATES:
            best = np.argpartition(-totals, CANDIDATES)[:CANDIDATES]
            unique = unique[best]
        return [int(p) for p in unique]

    def search(
        self, text: str, *, min_similarity: float = 70.0, limit: int = 50
    ) -> list[tuple[int, int, float]]:
        """(variant id, unit id, similarity 0-100 on normalised text), best first."""
        query = normalize(text)
        if not query:
            return []
        scored: dict[int, tuple[int, int, float]] = {}
        cutoff = min_similarity / 100
        positions = list(
            dict.fromkeys([*self._exact(query), *self._candidates(query, min_similarity)])
        )
        texts = self.texts
        # One call into rapidfuzz's C loop for all candidates.
        for _, similarity, i in process.extract(
            query,
            [texts[p] for p in positions],
            scorer=Levenshtein.normalized_similarity,
            score_cutoff=cutoff,
            limit=None,
        ):
            position = positions[i]
            variant_id = int(self.variant_ids[position])
            if variant_id not in self.removed:
                scored[variant_id] = (variant_id, int(self.unit_ids[position]), 100 * similarity)
        tail = self.tail
        if tail.texts:
            for _, similarity, i in process.extract(
                query,
                tail.texts,
                scorer=Levenshtein.normalized_similarity,
                score_cutoff=cutoff,
                limit=None,
            ):
                variant_id = tail.variant_ids[i]
                if variant_id not in self.removed:
                    scored[variant_id] = (variant_id, tail.unit_ids[i], 100 * similarity)
        ranked = sorted(scored.values(), key=lambda hit: (-hit[2], hit[0]))
        return ranked[:limit]

    def containing(self, phrase: str, limit: int = 100) -> list[tuple[int, int]]:
        """(variant id, unit id) of texts containing every word of ``phrase``, in order."""
        query = normalize(phrase)
        words = tokens(query)
        if not words:
            return []
        lists: list[npt.NDArray[np.int32]] = []
        for word in set(words):
            i = self.vocabulary.get(word)
            if i is None:
                lists = []
                break
            lists.append(self.postings[self.offsets[i] : self.offsets[i + 1]])
        hits: list[tuple[int, int]] = []
        if lists:
            lists.sort(key=len)
            common = lists[0]
            for other in lists[1:]:
                common = np.intersect1d(common, other, assume_unique=True)
                if len(common) == 0:
                    break
            for position in common:
                p = int(position)
                if query in self.texts[p] and int(self.variant_ids[p]) not in self.removed:
                    hits.append((int(self.variant_ids[p]), int(self.unit_ids[p])))
                    if len(hits) >= limit:
                        return hits
        tail = self.tail
        for variant_id, unit_id, text in zip(
            tail.variant_ids, tail.unit_ids, tail.texts, strict=True
        ):
            if query in text and variant_id not in self.removed:
                hits.append((variant_id, unit_id))
                if len(hits) >= limit:
                    break
        return hits

    def brute_force(self, text: str, *, min_similarity: float) -> list[tuple[int, float]]:
        """Every text at or above the threshold, by a full scan (the benchmark's baseline)."""
        query = normalize(text)
        results = process.extract(
            query,
            self.texts,
            scorer=Levenshtein.normalized_similarity,
            score_cutoff=min_similarity / 100,
            limit=None,
        )
        return [(int(self.variant_ids[i]), 100 * score) for _, score, i in results]
