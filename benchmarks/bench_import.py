"""Import throughput: a generated article of real Arabic sentences into a fresh workspace.

Prints segments/second for translator's import (read, segment, store in one transaction)
and, measured in the same run, for a baseline that stores the same segments through the
ORM (objects added in bulk, one commit), with the ratio.  Usage:

    .venv/bin/python benchmarks/bench_import.py [--segments 100000]
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
import tracemalloc
from pathlib import Path

from translator.services.documents import import_document
from translator.storage.database import open_workspace
from translator.storage.models import DocumentRecord, ParagraphRecord, SegmentRecord
from translator.text.segmentation import split_sentences

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "parallel"


def make_article(path: Path, segments: int) -> None:
    sentences = [
        line.strip()
        for line in (DATA / "tatoeba-test-v2021-08-07.ara-eng.ara").read_text("utf-8").splitlines()
        if line.strip().endswith((".", "؟", "!", "?"))
    ]
    lines, paragraph = [], []
    for i in range(segments):
        paragraph.append(sentences[i % len(sentences)])
        if len(paragraph) == 5:
            lines.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        lines.append(" ".join(paragraph))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def orm_baseline(db: Path, article: Path) -> int:
    """The usual ORM way, done properly: objects added in bulk, two flushes, one commit."""
    ws = open_workspace(str(db))
    with ws.session() as session:
        doc = DocumentRecord(name="orm", source_lang="ar", target_lang="en", format="txt")
        session.add(doc)
        lines = article.read_text("utf-8").splitlines()
        paragraphs = [
            ParagraphRecord(document=doc, position=number, blank_lines_before=0)
            for number, _ in enumerate(lines, 1)
        ]
        session.add_all(paragraphs)
        session.flush()
        position = 0
        records = []
        for paragraph, line in zip(paragraphs, lines, strict=True):
            for sentence in split_sentences(line, "ar"):
                position += 1
                records.append(
                    SegmentRecord(
                        document_id=doc.id,
                        paragraph_id=paragraph.id,
                        position=position,
                        source=sentence,
                        source_words=0,
                    )
                )
        session.add_all(records)
    ws.close()
    return position


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "article.txt"
        make_article(article, args.segments)
        size_mb = article.stat().st_size / 1e6

        start = time.perf_counter()
        ws = open_workspace(str(Path(tmp) / "ours.sqlite"))
        summary = import_document(ws, article)
        ours = time.perf_counter() - start
        ws.close()

        # Memory in a second run: tracemalloc slows Python down, so it is not timed.
        tracemalloc.start()
        ws = open_workspace(str(Path(tmp) / "memory.sqlite"))
        import_document(ws, article)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        ws.close()

        start = time.perf_counter()
        count = orm_baseline(Path(tmp) / "orm.sqlite", article)
        base = time.perf_counter() - start

    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}"
    )
    print(f"article: {summary.segments} segments, {size_mb:.1f} MB")
    print(
        f"translator import: {ours:.2f} s, {summary.segments / ours:,.0f} segments/s, "
        f"peak Python memory {peak:.0f} MB"
    )
    print(f"ORM baseline:      {base:.2f} s, {count / base:,.0f} segments/s")
    print(f"ratio: {base / ours:.1f}x faster than the ORM baseline")


if __name__ == "__main__":
    main()
