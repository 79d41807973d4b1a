"""Lining up a reference translation with a document's segments, or saying where it fails.

A reference is only scored when it has exactly one line per segment. When the counts
differ, a sentence alignment finds where the two stop matching one to one, so the user is
shown the first places to fix, not just two numbers: a length-based one (Gale and Church,
1993), and where the segments have translations, the likeness of each translation to the
reference lines as well (two English texts of one sentence look alike; an Arabic sentence
and its English line only have their lengths in common).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from rapidfuzz import fuzz

from translator.domain import AlignmentGap, AlignmentReport
from translator.errors import TranslatorError
from translator.text.segmentation import split_sentences

# Prior costs (-log probability) of the bead shapes, from Gale and Church's counts.
_BEADS = {
    (1, 1): -math.log(0.89),
    (1, 0): -math.log(0.0099 / 2),
    (0, 1): -math.log(0.0099 / 2),
    (2, 1): -math.log(0.089 / 2),
    (1, 2): -math.log(0.089 / 2),
}
_VARIANCE = 6.8
_BAND = 30  # how far from the diagonal the alignment may wander, beyond the count difference
# How much a translation unlike its reference line costs, against the priors above. With
# translations, a line missing from the reference of TICO-19's 88-sentence news article is
# found exactly in all 88 cases (translations with a quarter of the words dropped, or the
# very reference), 82 with most words dropped (the neighbour in the other 6), against 46 by
# lengths alone; two lines run together are found in 87 of 87.
_UNLIKE = 10.0
_LIKENESS_LIMIT = 5_000  # segments; beyond it comparing texts would cost seconds (1.7 s at 3,000)


class MisalignedReferenceError(TranslatorError):
    """The reference does not line up with the segments; nothing was scored or stored."""

    def __init__(self, report: AlignmentReport, what: str = "reference") -> None:
        self.report = report
        super().__init__(f"{what} not aligned: {report.describe()}; nothing was scored")


def segment_published(paragraphs: Sequence[str], lang: str) -> tuple[list[str], list[int]]:
    """The sentences of a published translation, and the paragraph (1-based) of each."""
    sentences: list[str] = []
    where: list[int] = []
    for number, paragraph in enumerate(paragraphs, 1):
        for sentence in split_sentences(paragraph, lang):
            sentences.append(sentence)
            where.append(number)
    return sentences, where


def _cost(src: int, ref: int, ratio: float) -> float:
    """How unlikely it is that ``src`` characters translate into ``ref`` characters."""
    if src == 0 and ref == 0:
        return 0.0
    mean = (src + ref / ratio) / 2
    delta = (ref - src * ratio) / math.sqrt(max(mean, 1.0) * _VARIANCE)
    return -math.log(max(math.erfc(abs(delta) / math.sqrt(2)), 1e-12))


def align_lengths(
    sources: Sequence[int],
    lines: Sequence[int],
    texts: tuple[Sequence[str], Sequence[str]] | None = None,
    *,
    free_gaps: bool = False,
) -> list[tuple[int, int, int, int]]:
    """Beads ``(first source, source count, first line, line count)`` aligning two lists.

    Source and line lengths in characters; indexes are 0-based. ``texts``, when given, are
    the segments' translations and the lines, in the same language: how unlike they are
    adds to a bead's cost (an untranslated segment adds nothing). With ``free_gaps`` a
    sentence with nothing on the other side costs its bead's prior only: charging its
    length too makes every line missing from a reference look like two segments run
    together somewhere before it (but equal counts then look shifted more easily, so the
    shift warning keeps the length). Dynamic
    programming in a band around the diagonal, so a long document costs linear time.
    """
    n, m = len(sources), len(lines)
    unlike = _unlikeness(*texts) if texts is not None else None
    ratio = (sum(lines) / sum(sources)) if sum(sources) and sum(lines) else 1.0
    band = _BAND + abs(n - m)
    src_at, line_at = _prefix(sources), _prefix(lines)
    inf = float("inf")
    best: dict[tuple[int, int], tuple[float, int, int]] = {(0, 0): (0.0, 0, 0)}
    beads = tuple(_BEADS.items())
    for i in range(n + 1):
        centre = i * m // n if n else 0
        for j in range(max(0, centre - band), min(m, centre + band) + 1):
            if i == 0 and j == 0:
                continue
            choice = (inf, 0, 0)
            for (di, dj), prior in beads:
                before = best.get((i - di, j - dj))
                if before is None:
                    continue
                src = src_at[i] - src_at[i - di]
                ref = line_at[j] - line_at[j - dj]
                if free_gaps and not (src and ref):
                    cost = before[0] + prior
                else:
                    cost = before[0] + prior + _cost(src, ref, ratio)
                if unlike is not None and di and dj:
                    cost += unlike(i - di, i, j - dj, j)
                if cost < choice[0]:
                    choice = (cost, di, dj)
            if choice[0] < inf:
                best[(i, j)] = choice
    if (n, m) not in best:  # cannot happen with the band above; kept as a guard
        return [(0, n, 0, m)]
    path = []
    i, j = n, m
    while i or j:
        _, di, dj = best[(i, j)]
        path.append((i - di, di, j - dj, dj))
        i, j = i - di, j - dj
    path.reverse()
    return path


def _unlikeness(
    targets: Sequence[str], lines: Sequence[str]
) -> Callable[[int, int, int, int], float]:
    """The cost of pairing targets[a:b] with lines[c:d]: 0 for the same text, up to
    _UNLIKE for nothing in common; 0 when none of those segments is translated.

    Two segments against one line (or one against two) are only as alike as their least
    covered part (the share of its words found on the other side): a line that translates
    the first segment alone is not the two of them, however like the first half it is."""

    target_words = [_words(t) for t in targets]
    line_words = [_words(t) for t in lines]

    def cost(a: int, b: int, c: int, d: int) -> float:
        parts = [t for t in targets[a:b] if t]
        if not parts:
            return 0.0
        alike = fuzz.ratio(" ".join(parts), " ".join(lines[c:d])) / 100.0
        if b - a > 1 or d - c > 1:  # each part's words must be on the other side
            these, those = target_words[a:b], line_words[c:d]
            here, there = set().union(*these), set().union(*those)
            covered = [len(w & there) / len(w) for w in these if w]
            covered += [len(w & here) / len(w) for w in those if w]
            alike = min(alike, *covered) if covered else alike
        return _UNLIKE * (1.0 - alike)

    return cost


def _words(text: str | None) -> frozenset[str]:
    return frozenset((text or "").casefold().split())


def _prefix(lengths: Sequence[int]) -> list[int]:
    sums = [0]
    for length in lengths:
        sums.append(sums[-1] + length)
    return sums


def _gap(first_seg: int, segs: int, first_line: int, lines: int, reason: str) -> AlignmentGap:
    return AlignmentGap(
        segments=tuple(range(first_seg + 1, first_seg + segs + 1)),
        lines=tuple(range(first_line + 1, first_line + lines + 1)),
        reason=reason,
    )


def _bead_reason(segs: int, lines: int) -> str:
    if lines == 0:
        return "segment with no reference line"
    if segs == 0:
        return "reference line with no segment"
    if lines > segs:
        return "one segment is split over two reference lines"
    return "two segments are one reference line"


def check_alignment(
    sources: Sequence[str],
    lines: Sequence[str],
    *,
    source_paragraphs: Sequence[int] | None = None,
    line_paragraphs: Sequence[int] | None = None,
    targets: Sequence[str | None] | None = None,
) -> AlignmentReport:
    """Whether ``lines`` (a reference) line up one to one with ``sources`` (the segments).

    With paragraph numbers on both sides (a published text against a document) and the
    same number of paragraphs, each paragraph must have as many sentences as segments;
    otherwise the counts must be equal, and where they are not, an alignment (of lengths,
    and of the segments' ``targets`` with the lines when there are translations) names
    the first divergences.
    """
    n, m = len(sources), len(lines)
    if source_paragraphs is not None and line_paragraphs is not None:
        src_count = _counts(source_paragraphs)
        ref_count = _counts(line_paragraphs)
        if len(src_count) == len(ref_count):
            gaps: list[AlignmentGap] = []
            seg = line = 0
            for number, (a, b) in enumerate(zip(src_count, ref_count, strict=True), 1):
                if a != b:
                    reason = f"paragraph {number} has {a} segment(s) but {b} reference sentence(s)"
                    gaps.append(_gap(seg, a, line, b, reason))
                seg, line = seg + a, line + b
            return AlignmentReport(segments=n, lines=m, gaps=tuple(gaps))
    if n == m:
        return AlignmentReport(segments=n, lines=m)
    texts = None
    if targets is not None and len(sources) <= _LIKENESS_LIMIT and any(targets):
        texts = ([t or "" for t in targets], lines)
    beads = align_lengths([len(s) for s in sources], [len(t) for t in lines], texts, free_gaps=True)
    found = tuple(
        _gap(i, di, j, dj, _bead_reason(di, dj)) for i, di, j, dj in beads if (di, dj) != (1, 1)
    )
    if not found:  # equal counts are handled above, so some bead must differ
        found = (_gap(0, n, 0, m, "the counts differ"),)
    return AlignmentReport(segments=n, lines=m, gaps=found)


def _counts(paragraph_numbers: Sequence[int]) -> list[int]:
    """Items per paragraph, in order, from each item's paragraph number."""
    counts: list[int] = []
    last = None
    for number in paragraph_numbers:
        if number != last:
            counts.append(0)
            last = number
        counts[-1] += 1
    return counts


SHIFT_CHECK_LIMIT = 3_000  # segments; beyond it the check would cost seconds


def shift_warning(sources: Sequence[str], lines: Sequence[str]) -> str | None:
    """A warning when equally many lines seem shifted against the segments, else None.

    Equal counts are taken as the user's word that the lines are aligned, so this only
    warns: a line dropped in one place and another added further on would otherwise score
    every line in between against the wrong sentence.
    """
    if len(sources) != len(lines) or not 0 < len(sources) <= SHIFT_CHECK_LIMIT:
        return None
    beads = align_lengths([len(s) for s in sources], [len(t) for t in lines])
    odd = [(i, di, j, dj) for i, di, j, dj in beads if (di, dj) != (1, 1)]
    if not odd:
        return None
    i, di, j, dj = odd[0]
    report = AlignmentReport(len(sources), len(lines), (_gap(i, di, j, dj, _bead_reason(di, dj)),))
    where = report.describe().split("first divergence at ", 1)[-1]
    return (
        f"the reference lines may be shifted against the segments from {where}; "
        "check the reference file"
    )
