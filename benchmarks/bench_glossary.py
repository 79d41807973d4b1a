"""Glossary lookups: the terms of a segment, as the editor asks for them on every move.

A glossary of --terms terms: TICO-19's two real glossaries, then Arabic word sequences of
one to three words drawn from the Tatoeba sentences (names and phrases a newsroom adds),
each with an English translation. Sentences: the Tatoeba and Wikinews Arabic lines. Prints,
in the same run:

- building the term index, and finding the terms of each sentence with it (median, p95);
- the baseline a simple tool does: every term's matching form looked for in the
  sentence's matching form (``in``), one term after another;
- ``glossary.find_terms`` end to end on an SQLite workspace holding the glossary (what the
  editor's panel calls: a query to see whether the glossary changed, then the index): the
  first call, which loads the glossary, and the first after a term is added, which builds
  the index again (on the GUI thread, when the translator adds a term).

    .venv/bin/python benchmarks/bench_glossary.py [--terms 20000]
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from translator.services import glossary
from translator.storage.database import open_workspace
from translator.storage.models import GlossaryTermRecord, utcnow
from translator.text.terms import TermFinder, _matching_forms, _term_words, readings
from translator.tm.normalize import normalize

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def sentences() -> list[str]:
    lines = []
    for name in ("tatoeba-test-v2021-08-07.ara-eng.ara", "tico19_wikinews.ar"):
        text = (DATA / "parallel" / name).read_text(encoding="utf-8")
        lines += [line.strip() for line in text.splitlines() if line.strip()]
    return lines


def make_terms(count: int, lines: list[str]) -> list[tuple[str, str, str, str]]:
    """(source_lang, source, target_lang, target): the real glossaries, then word runs."""
    terms: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for name in ("tico19_google_g_ar_en.csv", "tico19_facebook_f_en-ar_AR.csv"):
        from translator.formats.glossary import read_glossary

        for concept in read_glossary(DATA / "glossary" / name).concepts:
            (a_lang, a), (b_lang, b) = concept.terms[:2]
            terms[(a, b)] = (a_lang, a, b_lang, b)
    rng = random.Random(7)
    words = [line.split() for line in lines]
    while len(terms) < count:
        sentence = rng.choice(words)
        size = rng.choice((1, 2, 2, 3))
        if len(sentence) < size:
            continue
        start = rng.randrange(len(sentence) - size + 1)
        source = " ".join(sentence[start : start + size]).strip(".,،؟!:«»\"'()")
        if len(source) >= 4:
            terms.setdefault((source, "x"), ("ar", source, "en", f"term {len(terms)}"))
    return list(terms.values())[:count]


def timed(function, items):  # type: ignore[no-untyped-def]
    times = []
    for item in items:
        start = time.perf_counter()
        function(item)
        times.append(time.perf_counter() - start)
    return statistics.median(times), statistics.quantiles(times, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--terms", type=int, default=20_000)
    parser.add_argument("--sentences", type=int, default=2_000)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.platform()}"
    )
    lines = sentences()
    sample = random.Random(3).sample(lines, min(args.sentences, len(lines)))
    terms = make_terms(args.terms, lines)
    arabic = [source if lang == "ar" else target for lang, source, _l, target in terms]
    print(f"{len(terms):,} terms, {len(sample):,} sentences")

    start = time.perf_counter()
    finder = TermFinder(arabic)
    build = time.perf_counter() - start
    readings.cache_clear()  # words met for the first time: a new article
    _matching_forms.cache_clear()
    median, p95 = timed(finder.find, sample)
    found = sum(len(finder.find(s)) for s in sample)
    print(
        f"index: built in {build * 1000:.0f} ms; find: median {median * 1e6:.0f} us, "
        f"p95 {p95 * 1e6:.0f} us a sentence ({found:,} terms found)"
    )

    forms = [f" {normalize(t)} " for t in arabic]

    def brute(sentence: str) -> int:
        text = f" {normalize(sentence)} "
        return sum(1 for form in forms if form in text)

    b_median, b_p95 = timed(brute, sample[:200])
    print(
        f"baseline (every term looked for in turn): median {b_median * 1e6:.0f} us, "
        f"p95 {b_p95 * 1e6:.0f} us a sentence; index {b_median / median:.0f}x faster"
    )

    with tempfile.TemporaryDirectory() as scratch:
        workspace = open_workspace(f"{scratch}/w.sqlite")
        now = utcnow()
        with workspace.session() as session:
            session.execute(
                insert(GlossaryTermRecord),
                [
                    {
                        "source_lang": a,
                        "source": s,
                        "target_lang": b,
                        "target": t,
                        "created_at": now,
                        "changed_at": now,
                    }
                    for a, s, b, t in terms
                ],
            )
        for cache in (_term_words, readings, _matching_forms):  # as a new window finds them
            cache.cache_clear()
        start = time.perf_counter()
        glossary.find_terms(workspace, sample[0], source_lang="ar", target_lang="en")
        first = time.perf_counter() - start
        glossary.add_term(workspace, "ar", "مصطلح جديد", "en", "a new term")
        start = time.perf_counter()
        glossary.find_terms(workspace, sample[0], source_lang="ar", target_lang="en")
        after_add = time.perf_counter() - start

        def lookup(sentence: str) -> object:
            return glossary.find_terms(workspace, sentence, source_lang="ar", target_lang="en")

        e_median, e_p95 = timed(lookup, sample)
        workspace.close()
    print(
        f"find_terms on SQLite: first call (loads the glossary) {first * 1000:.0f} ms; "
        f"after a term is added (the index is built again) {after_add * 1000:.0f} ms; "
        f"then median {e_median * 1000:.2f} ms, p95 {e_p95 * 1000:.2f} ms a segment"
    )


if __name__ == "__main__":
    main()
