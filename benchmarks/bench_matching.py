"""Fuzzy matching at a million units: lookup latency, recall, index build and reopen.

The memory is generated from the real Arabic-English sentences in ../shared/data/parallel/
(Tatoeba and TICO-19) with the variation real memories have: words replaced, dropped or
added, numbers changed, spelling variants (hamza, ta marbuta, alef maqsura, diacritics),
sentences joined. Queries are edited copies of stored sentences (and some unrelated ones).

Measured in the same run: translator's indexed lookup; the brute-force scan with the same
scorer (rapidfuzz over every unit); translate-toolkit's matcher (the engine behind Virtaal,
with max_length raised so long units count) on a --ttk-units slice, as it cannot hold a
million units in reasonable time and memory.

    .venv/bin/python benchmarks/bench_matching.py [--units 1000000] [--queries 300]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from translator.services import matching
from translator.storage.database import open_workspace
from translator.storage.models import TmImportRecord, TmUnitRecord, TmVariantRecord, utcnow

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "parallel"
VARIANTS = {"ا": "أ", "ه": "ة", "ي": "ى", "و": "ؤ"}
DIACRITICS = "\u064e\u064f\u0650\u0651\u0652"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load_pairs() -> list[tuple[str, str]]:
    ara = (DATA / "tatoeba-test-v2021-08-07.ara-eng.ara").read_text("utf-8").splitlines()
    eng = (DATA / "tatoeba-test-v2021-08-07.ara-eng.eng").read_text("utf-8").splitlines()
    pairs = list(zip(ara, eng, strict=True))
    for line in (DATA / "tico19_ar-en.tsv").read_text("utf-8").splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) >= 3:
            pairs.append((parts[1], parts[2]))
    return [(a.strip(), e.strip()) for a, e in pairs if a.strip() and e.strip()]


def vary(text: str, words: list[str], rng: random.Random) -> str:
    """One realistic edit or a few: what distinguishes near-repetitions in a newsroom."""
    tokens = text.split()
    for _ in range(rng.choice((1, 1, 2, 3))):
        action = rng.random()
        if action < 0.3 and tokens:
            tokens[rng.randrange(len(tokens))] = rng.choice(words)
        elif action < 0.45 and len(tokens) > 3:
            del tokens[rng.randrange(len(tokens))]
        elif action < 0.6:
            tokens.insert(rng.randrange(len(tokens) + 1), rng.choice(words))
        elif action < 0.75:
            tokens.append(str(rng.randint(2, 2030)))
        elif action < 0.9 and tokens:
            i = rng.randrange(len(tokens))
            tokens[i] = "".join(VARIANTS.get(c, c) if rng.random() < 0.5 else c for c in tokens[i])
        elif tokens:
            i = rng.randrange(len(tokens))
            tokens[i] = tokens[i] + rng.choice(DIACRITICS)
    return " ".join(tokens)


def generate(pairs: list[tuple[str, str]], count: int, rng: random.Random) -> list[tuple[str, str]]:
    words = [w for a, _ in pairs[:5000] for w in a.split()]
    units = list(pairs[: min(len(pairs), count)])
    while len(units) < count:
        a, e = rng.choice(pairs)
        r = rng.random()
        if r < 0.15:
            b, f = rng.choice(pairs)
            units.append((f"{a} {b}", f"{e} {f}"))
        else:
            units.append((vary(a, words, rng), f"{e} ({len(units)})"))
    return units


def store(db: Path, units: list[tuple[str, str]]) -> None:
    ws = open_workspace(str(db))
    now = utcnow()
    with ws.session() as session:
        import_id = session.execute(
            insert(TmImportRecord)
            .values(
                name="generated",
                format="tmx",
                imported_at=now,
                units=len(units),
                updated=0,
                skipped=0,
            )
            .returning(TmImportRecord.id)
        ).scalar_one()
        step = 50_000
        for start in range(0, len(units), step):
            chunk = units[start : start + step]
            session.execute(
                insert(TmUnitRecord),
                [
                    {
                        "id": start + i + 1,
                        "content_key": f"{start + i:064d}",
                        "srclang": "ar",
                        "origin": "generated",
                        "import_id": import_id,
                        "changed_at": now,
                    }
                    for i in range(len(chunk))
                ],
            )
            session.execute(
                insert(TmVariantRecord),
                [
                    row
                    for i, (a, e) in enumerate(chunk)
                    for row in (
                        {"unit_id": start + i + 1, "position": 1, "lang": "ar", "text": a},
                        {"unit_id": start + i + 1, "position": 2, "lang": "en", "text": e},
                    )
                ],
            )
    ws.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--recall-queries", type=int, default=100)
    parser.add_argument("--ttk-units", type=int, default=50_000)
    args = parser.parse_args()
    rng = random.Random(7)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    pairs = load_pairs()
    units = generate(pairs, args.units, rng)
    words = [w for a, _ in pairs[:5000] for w in a.split()]
    queries = [vary(rng.choice(units)[0], words, rng) for _ in range(args.queries)]
    queries += [rng.choice(units)[0] for _ in range(args.queries // 10)]  # exact repetitions
    scratch = Path(tempfile.mkdtemp())
    os.environ["XDG_CACHE_HOME"] = str(scratch / "cache")
    db = scratch / "memory.sqlite"
    t = time.perf_counter()
    store(db, units)
    print(f"memory: {len(units):,} units stored in {time.perf_counter() - t:.1f} s")

    ws = open_workspace(str(db))
    t = time.perf_counter()
    index = matching.Matcher(ws).index_for("ar")
    build = time.perf_counter() - t
    ws.close()
    del index
    ws = open_workspace(str(db))
    matcher = matching.Matcher(ws)
    t = time.perf_counter()
    index = matcher.index_for("ar")
    reopen = time.perf_counter() - t
    print(
        f"index build (read + index + save): {build:.1f} s;  reopen ready to match: "
        f"{reopen:.2f} s;  resident memory {rss_mb():,.0f} MB"
    )

    timings = []
    for query in queries:
        t = time.perf_counter()
        matcher.search(query, source_lang="ar", target_lang="en", min_score=70, limit=5)
        timings.append(1000 * (time.perf_counter() - t))
    print(
        f"lookup (top 5, >= 70%, {len(queries)} queries): median "
        f"{statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms, "
        f"p99 {percentile(timings, 0.99):.1f} ms"
    )

    found = expected = exact_found = exact_expected = 0
    brute_times = []
    for query in queries[: args.recall_queries]:
        t = time.perf_counter()
        brute = {v for v, score in index.brute_force(query, min_similarity=75)}
        brute_times.append(1000 * (time.perf_counter() - t))
        ours = {v for v, _, _ in index.search(query, min_similarity=75, limit=100_000)}
        expected += len(brute)
        found += len(brute & ours)
        exact = {v for v, score in index.brute_force(query, min_similarity=99.999)}
        exact_expected += len(exact)
        exact_found += len(exact & ours)
    recall = found / expected if expected else 1.0
    exact_recall = exact_found / exact_expected if exact_expected else 1.0
    brute_median = statistics.median(brute_times)
    print(
        f"recall vs brute force at >= 75%: {recall:.2%} ({found}/{expected}); "
        f"exact matches: {exact_recall:.2%} ({exact_found}/{exact_expected})"
    )
    print(
        f"brute-force scan (rapidfuzz, same scorer): median {brute_median:.0f} ms per lookup; "
        f"ratio {brute_median / statistics.median(timings):.0f}x slower than the index"
    )

    from translate.search import match

    # translate-toolkit compares units on equal scores and its units are not orderable.
    from translate.storage import base, po

    base.TranslationUnit.__lt__ = lambda a, b: id(a) < id(b)  # type: ignore[method-assign,assignment]
    store_ttk = po.pofile()
    for a, e in units[: args.ttk_units]:
        unit = store_ttk.addsourceunit(a)
        unit.target = e
    t = time.perf_counter()
    ttk = match.matcher(store_ttk, max_candidates=5, min_similarity=70, max_length=2000)
    ttk_build = time.perf_counter() - t
    ttk_times = []
    for query in queries[:50]:
        t = time.perf_counter()
        ttk.matches(query)
        ttk_times.append(1000 * (time.perf_counter() - t))
    ttk_median = statistics.median(ttk_times)
    ours = statistics.median(timings)
    print(
        f"translate-toolkit matcher on {args.ttk_units:,} units: build {ttk_build:.1f} s, "
        f"median {ttk_median:.0f} ms per lookup (translator at {len(units):,} units: "
        f"{ours:.1f} ms; ratio {ttk_median / ours:.0f}x)"
    )
    ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
