"""Corpus and per-segment BLEU, chrF and TER with sacrebleu, the same figures its command prints.

The statistics of each segment are extracted once (in chunks, so progress can be reported
and the work cancelled) and serve both the corpus score, which sums them exactly as
``Metric.corpus_score`` does, and the per-segment scores, which are what
``Metric.sentence_score`` would give (BLEU with effective order, as ``sacrebleu -sl`` does).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sacrebleu.metrics.base import Metric, Score
from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF
from sacrebleu.metrics.ter import TER

from translator.domain import MetricScore, ScoreSet, SegmentScore
from translator.errors import InputFileError, TranslatorError
from translator.text.languages import base_language

METRICS = ("bleu", "chrf", "ter")
# Below this many segments corpus BLEU swings by points with a single sentence.
SMALL_SAMPLE = 100
_CHUNK = 500
EMPTY_HYPOTHESIS = "empty hypothesis"
EMPTY_REFERENCE = "empty reference"

Progress = Callable[[int, int], None]


def _no_progress(_done: int, _total: int) -> None:
    return None


def bleu_tokenizer(target_lang: str) -> str:
    """The tokenizer sacrebleu recommends for the target language.

    13a (mteval's) for English and other space-delimited Latin-script text; intl, which
    splits on Unicode punctuation and symbols, for Arabic; sacrebleu's own choices for
    Chinese, Japanese and Korean.
    """
    lang = base_language(target_lang)
    if lang == "ar":
        return "intl"
    return {"zh": "zh", "ja": "ja-mecab", "ko": "ko-mecab"}.get(lang, "13a")


def parse_metrics(text: str | Sequence[str]) -> tuple[str, ...]:
    """``"bleu,chrf"`` -> ("bleu", "chrf"), in the canonical order; unknown names refused."""
    names = text.split(",") if isinstance(text, str) else list(text)
    wanted = {name.strip().lower() for name in names if name.strip()}
    unknown = sorted(wanted - set(METRICS))
    if unknown or not wanted:
        raise TranslatorError(
            f"unknown metric {', '.join(unknown) or '(none given)'}; choose from bleu, chrf, ter"
        )
    return tuple(m for m in METRICS if m in wanted)


def read_lines(path: str | Path, what: str = "file") -> list[str]:
    """A UTF-8 text file's lines, right-stripped, exactly as the sacrebleu command reads them."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8", newline="\n") as stream:
            return [line.rstrip() for line in stream]
    except FileNotFoundError:
        raise InputFileError(path, f"{what} not found") from None
    except IsADirectoryError:
        raise InputFileError(path, f"is a folder, not a {what}") from None
    except UnicodeDecodeError as exc:
        raise InputFileError(path, f"is not UTF-8 text (byte {exc.start}: {exc.reason})") from None


def _metric_objects(metrics: Sequence[str], target_lang: str) -> dict[str, tuple[Metric, Metric]]:
    """For each metric, the corpus scorer and the sentence scorer (they differ only for BLEU)."""
    tokenize = bleu_tokenizer(target_lang)
    made: dict[str, tuple[Metric, Metric]] = {}
    for name in metrics:
        if name == "bleu":
            made[name] = (
                BLEU(tokenize=tokenize),
                BLEU(tokenize=tokenize, effective_order=True),
            )
        elif name == "chrf":
            chrf = CHRF()
            made[name] = (chrf, chrf)
        else:
            ter = TER()
            made[name] = (ter, ter)
    return made


def _details(name: str, score: Score) -> dict[str, object]:
    s: Any = score
    if name == "bleu":
        return {
            "counts": list(s.counts),
            "totals": list(s.totals),
            "precisions": [float(p) for p in s.precisions],
            "bp": float(s.bp),
            "sys_len": int(s.sys_len),
            "ref_len": int(s.ref_len),
            "ratio": float(s.sys_len / s.ref_len) if s.ref_len else None,
        }
    if name == "chrf":
        return {"char_order": s.char_order, "word_order": s.word_order, "beta": s.beta}
    return {"num_edits": int(s.num_edits), "ref_length": float(s.ref_length)}


def check_lines(
    hypotheses: Sequence[str], references: Sequence[Sequence[str]], *, what: str = "line"
) -> None:
    """Refuse what cannot be scored: nothing to score, no reference, unequal counts."""
    if not references:
        raise TranslatorError("no reference given: scoring needs at least one")
    if not hypotheses:
        raise TranslatorError("the hypothesis is empty: there is nothing to score")
    for i, ref in enumerate(references, 1):
        if len(ref) != len(hypotheses):
            raise TranslatorError(
                f"reference {i} has {len(ref)} {what}s but the hypothesis {len(hypotheses)}; "
                f"scores are only computed on {what}-aligned text"
            )
    if not any(h.strip() for h in hypotheses):
        raise TranslatorError(f"every hypothesis {what} is empty: there is nothing to score")


def _numbers(ns: Sequence[int], limit: int = 8) -> str:
    shown = ", ".join(str(n) for n in ns[:limit])
    return shown + (f" and {len(ns) - limit} more" if len(ns) > limit else "")


def score_lines(
    hypotheses: Sequence[str],
    references: Sequence[Sequence[str]],
    *,
    target_lang: str = "en",
    metrics: Sequence[str] = METRICS,
    numbers: Sequence[int] | None = None,
    what: str = "line",
    progress: Progress = _no_progress,
) -> ScoreSet:
    """Score line-aligned hypotheses against one or more reference streams.

    ``references`` is a list of streams, each with one line per hypothesis, as sacrebleu
    takes them. ``numbers`` names the lines in messages and per-segment figures (segment
    numbers of a document; 1, 2, 3 ... by default). Empty lines are scored as sacrebleu
    scores them but are flagged, and named in the warnings, never silently counted.
    ``progress(done, total)`` is called between chunks; raising from it cancels.
    """
    check_lines(hypotheses, references, what=what)
    metrics = parse_metrics(metrics)
    ns = list(numbers) if numbers is not None else list(range(1, len(hypotheses) + 1))
    if len(ns) != len(hypotheses):
        raise ValueError("numbers must have one entry per hypothesis")
    scorers = _metric_objects(metrics, target_lang)
    total = len(hypotheses) * len(metrics)
    done = 0
    progress(0, total)
    stats: dict[str, list[Any]] = {name: [] for name in metrics}
    for name, (corpus, _sentence) in scorers.items():
        for start in range(0, len(hypotheses), _CHUNK):
            end = min(start + _CHUNK, len(hypotheses))
            chunk_refs = [stream[start:end] for stream in references]
            stats[name].extend(corpus._extract_corpus_statistics(hypotheses[start:end], chunk_refs))
            done += end - start
            progress(done, total)

    results = []
    per_segment: dict[str, list[float]] = {}
    for name, (corpus, sentence) in scorers.items():
        score = corpus._aggregate_and_compute(stats[name])
        signature = corpus.get_signature().format()
        results.append(
            MetricScore(
                metric=name,
                name=score.name,
                score=float(score.score),
                signature=signature,
                details=_details(name, score),
                text=score.format(width=1, signature=signature),
            )
        )
        per_segment[name] = [
            float(sentence._compute_score_from_stats(s).score) for s in stats[name]
        ]

    empty_hyp = [n for n, h in zip(ns, hypotheses, strict=True) if not h.strip()]
    empty_ref = [n for i, n in enumerate(ns) if all(not stream[i].strip() for stream in references)]
    segments = []
    empty_hyp_set, empty_ref_set = set(empty_hyp), set(empty_ref)
    for i, n in enumerate(ns):
        flags = []
        if n in empty_hyp_set:
            flags.append(EMPTY_HYPOTHESIS)
        if n in empty_ref_set:
            flags.append(EMPTY_REFERENCE)
        segments.append(
            SegmentScore(
                n=n,
                hypothesis=hypotheses[i],
                reference=references[0][i],
                bleu=per_segment["bleu"][i] if "bleu" in per_segment else None,
                chrf=per_segment["chrf"][i] if "chrf" in per_segment else None,
                ter=per_segment["ter"][i] if "ter" in per_segment else None,
                flags=tuple(flags),
            )
        )
    warnings = []
    if len(hypotheses) < SMALL_SAMPLE:
        warnings.append(
            f"only {len(hypotheses)} {what}s: corpus scores on fewer than about "
            f"{SMALL_SAMPLE} {what}s change a lot with a single sentence; read them with care"
        )
    if empty_hyp:
        warnings.append(
            f"{len(empty_hyp)} empty hypothesis {what}(s) ({what} {_numbers(empty_hyp)}) "
            "were scored as wrong translations"
        )
    if empty_ref:
        warnings.append(
            f"{len(empty_ref)} {what}(s) with an empty reference ({what} {_numbers(empty_ref)}): "
            "their figures mean nothing"
        )
    return ScoreSet(
        metrics=tuple(results),
        segments=tuple(segments),
        target_lang=target_lang,
        warnings=tuple(warnings),
    )


def score_files(
    hypothesis: str | Path,
    references: Sequence[str | Path],
    *,
    target_lang: str = "en",
    metrics: Sequence[str] = METRICS,
    progress: Progress = _no_progress,
) -> ScoreSet:
    """Score plain line-aligned files, as ``sacrebleu REF... -i HYP`` does."""
    hyps = read_lines(hypothesis, "hypothesis file")
    if not hyps:
        raise InputFileError(hypothesis, "is empty: there is nothing to score")
    refs = [read_lines(path, "reference file") for path in references]
    for path, lines in zip(references, refs, strict=True):
        if len(lines) != len(hyps):
            raise InputFileError(
                path,
                f"has {len(lines)} lines but the hypothesis {hypothesis} has {len(hyps)}; "
                "scores are only computed on line-aligned files",
            )
    return score_lines(hyps, refs, target_lang=target_lang, metrics=metrics, progress=progress)


def worst_first(segments: Sequence[SegmentScore], metric: str = "chrf") -> list[SegmentScore]:
    """Segments from the worst to the best by ``metric`` (TER: highest first), then by number.

    Segments without that figure come last.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    sign = -1.0 if metric == "ter" else 1.0

    def key(segment: SegmentScore) -> tuple[int, float, int]:
        value = getattr(segment, metric)
        return (1, 0.0, segment.n) if value is None else (0, sign * value, segment.n)

    return sorted(segments, key=key)


def metrics_json(scores: ScoreSet) -> dict[str, dict[str, object]]:
    """``{"bleu": {"score", "signature", "name", ...details}, ...}``: the --json shape."""
    return {
        m.metric: {"score": m.score, "signature": m.signature, "name": m.name, **m.details}
        for m in scores.metrics
    }
