"""Segmentation throughput on real Arabic and English text, against a one-regex baseline.

Builds paragraphs of five consecutive lines from the Tatoeba and TICO-19 test sets, repeats
them to at least --sentences sentences, and prints segments/second for translator's rule
engine and, measured in the same run, for ``re.split(r"(?<=[.!?؟])\\s+", ...)``.  Usage:

    .venv/bin/python benchmarks/bench_segmentation.py [--sentences 100000]
"""

from __future__ import annotations

import argparse
import platform
import re
import time
from collections.abc import Callable
from pathlib import Path

from translator.text.segmentation import Segmenter

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "parallel"
FILES = {
    "ar": ["tatoeba-test-v2021-08-07.ara-eng.ara", "tico19_wikinews.ar"],
    "en": ["tatoeba-test-v2021-08-07.ara-eng.eng", "tico19_wikinews.en"],
}
NAIVE = re.compile(r"(?<=[.!?؟])\s+")


def paragraphs(lang: str, sentences: int) -> list[str]:
    lines = [
        line.strip()
        for name in FILES[lang]
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    once = [" ".join(lines[i : i + 5]) for i in range(0, len(lines), 5)]
    return once * -(-sentences // len(lines))


def naive_split(paragraph: str) -> list[str]:
    return [s for s in NAIVE.split(paragraph) if s]


def measure(split: Callable[[str], list[str]], texts: list[str]) -> tuple[int, float]:
    """Segments produced and the best time of three runs."""
    best = float("inf")
    count = 0
    for _ in range(3):
        start = time.perf_counter()
        count = sum(len(split(text)) for text in texts)
        best = min(best, time.perf_counter() - start)
    return count, best


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sentences", type=int, default=100_000)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}"
    )
    for lang in FILES:
        texts = paragraphs(lang, args.sentences)
        segmenter = Segmenter.for_language(lang)
        ours, ours_time = measure(segmenter.split, texts)
        base, base_time = measure(naive_split, texts)
        ours_rate, base_rate = ours / ours_time, base / base_time
        print(f"{lang}: {len(texts):,} paragraphs, {sum(map(len, texts)) / 1e6:.1f} M characters")
        print(f"  translator: {ours:,} segments in {ours_time:.2f} s, {ours_rate:,.0f} segments/s")
        print(
            f"  naive re.split: {base:,} segments in {base_time:.2f} s, {base_rate:,.0f} segments/s"
        )
        print(f"  ratio: translator runs at {ours_rate / base_rate:.2f}x the naive speed")


if __name__ == "__main__":
    main()
