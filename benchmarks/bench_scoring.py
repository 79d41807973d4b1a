"""Scoring speed: BLEU, chrF and TER over 10,000 segments, against sacrebleu's own API.

Uses the 10,305 real Tatoeba Arabic-English pairs (English side as references, a degraded
copy as hypotheses), and measures, in the same run:

- the baseline: sacrebleu's ``corpus_score`` for each metric (no per-segment figures);
- ``review.scoring.score_lines``: corpus scores plus per-segment BLEU, chrF and TER, with
  a progress callback (what the GUI and ``translator score`` run);
- the same with an Arabic target (intl tokenizer), on the Arabic side.

The target is at most 8 seconds for all three metrics over 10,000 segments.

Usage:

    .venv/bin/python benchmarks/bench_scoring.py [--segments 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF
from sacrebleu.metrics.ter import TER

from translator.review.scoring import score_lines

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "parallel"
TARGET_SECONDS = 8.0


def degrade(lines: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for line in lines:
        words = [w for w in line.split() if rng.random() > 0.25]
        if len(words) > 3 and rng.random() < 0.3:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        out.append(" ".join(words))
    return out


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def load(name: str, count: int) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    while len(lines) < count:
        lines = lines + lines
    return lines[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    refs = load("tatoeba-test-v2021-08-07.ara-eng.eng", args.segments)
    hyps = degrade(refs, 1)
    refs_ar = load("tatoeba-test-v2021-08-07.ara-eng.ara", args.segments)
    hyps_ar = degrade(refs_ar, 2)
    calls = 0

    def progress(_done: int, _total: int) -> None:
        nonlocal calls
        calls += 1

    def baseline() -> None:
        for metric in (BLEU(), CHRF(), TER()):
            metric.corpus_score(hyps, [refs])

    base = best_of(args.repeat, baseline)
    ours = best_of(args.repeat, lambda: score_lines(hyps, [refs], progress=progress))
    arabic = best_of(args.repeat, lambda: score_lines(hyps_ar, [refs_ar], target_lang="ar"))
    print(f"python {platform.python_version()} on {platform.machine()}, {args.segments} segments")
    print(f"sacrebleu corpus_score, 3 metrics (baseline):     {base:6.2f} s")
    print(
        f"score_lines en, corpus + per-segment, 3 metrics:  {ours:6.2f} s  "
        f"({ours / base:.2f}x baseline; {calls // args.repeat} progress calls per run)"
    )
    print(f"score_lines ar (intl), 3 metrics:                 {arabic:6.2f} s")
    ok = max(ours, arabic) <= TARGET_SECONDS
    print(f"target <= {TARGET_SECONDS:.0f} s: {'met' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
