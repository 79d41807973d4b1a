"""Editor speed: opening 10,000- and 100,000-segment documents, moving, confirming.

Targets (issue 3): a 10,000-segment document opens to a usable grid in at most 1 s,
100,000 in at most 3 s; moving to the next segment and confirming take under 50 ms.
The baseline, measured in the same run, is the naive grid: the same model in a
QTableView sized with a full-table ``resizeRowsToContents()``.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_editor.py [--sizes 10000,100000]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QTableView

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_import import make_article

from translator.services import segments as segment_service
from translator.services.documents import import_document
from translator.storage.database import open_workspace
from translator.ui.main_window import MainWindow
from translator.ui.models.segments import SegmentTableModel


def ms(seconds: float) -> str:
    return f"{1000 * seconds:8.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--moves", type=int, default=200)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    scratch = Path(tempfile.mkdtemp())
    workspace = open_workspace(str(scratch / "bench.sqlite"))
    settings = QSettings(str(scratch / "s.ini"), QSettings.Format.IniFormat)
    machine = f"{platform.machine()}, {os.cpu_count()} cores"
    print(f"machine: {machine}, Python {platform.python_version()}")
    for size in (int(s) for s in args.sizes.split(",")):
        article = scratch / f"article-{size}.txt"
        make_article(article, size)
        summary = import_document(workspace, article, name=f"doc-{size}")
        window = MainWindow(workspace, settings)
        window.resize(1400, 900)
        window.show()
        app.processEvents()

        start = time.perf_counter()
        window.open_document(summary.id)
        app.processEvents()  # layout, the first paint, visible rows measured
        opened = time.perf_counter() - start

        editor = window.editor
        moves = []
        for _ in range(args.moves):
            t = time.perf_counter()
            editor.step(1)
            app.processEvents()
            moves.append(time.perf_counter() - t)
        confirms = []
        for i in range(min(args.moves, 100)):
            editor.target_edit.setPlainText(f"Translation number {i}.")
            t = time.perf_counter()
            editor.confirm_and_next()
            app.processEvents()
            confirms.append(time.perf_counter() - t)

        # Baseline: the same rows in a plain QTableView sized the naive way.
        segments = segment_service.load_segments(workspace, summary.id)
        baseline = float("nan")
        if size <= 10_000:
            view = QTableView()
            model = SegmentTableModel(view)
            view.setModel(model)
            view.setWordWrap(True)
            view.resize(1400, 700)
            view.show()
            t = time.perf_counter()
            model.set_segments(segments)
            view.resizeRowsToContents()
            app.processEvents()
            baseline = time.perf_counter() - t
            view.close()
            view.deleteLater()
        window.close()
        window.deleteLater()
        app.processEvents()

        p95 = statistics.quantiles(moves, n=20)[-1]
        c95 = statistics.quantiles(confirms, n=20)[-1]
        print(f"\n{size:,} segments ({summary.segments:,} after segmentation)")
        print(f"  open to usable grid     {ms(opened)}")
        print(f"  next segment  median    {ms(statistics.median(moves))}   p95 {ms(p95)}")
        print(f"  confirm+next  median    {ms(statistics.median(confirms))}   p95 {ms(c95)}")
        if baseline == baseline:
            print(f"  baseline: naive grid (resizeRowsToContents) {ms(baseline)}")
            print(f"  ratio baseline/ours: {baseline / opened:.1f}x")
    workspace.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
