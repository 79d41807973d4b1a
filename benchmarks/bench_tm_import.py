"""Translation-memory import and export end to end, against translate-toolkit in the same run.

Generates a TMX memory (default 1,000,000 units) from the real TICO-19 Arabic-English pairs,
varied the way a newsroom memory varies (merged paragraphs, changed figures, bold first
words, repeats), each unit with tuid, dates, users, status, origin, a prop, sometimes a note.
Then measures, on that file:

- parse alone (``tmx.iter_units``);
- import end to end into a fresh SQLite workspace (``memory.import_memory``: parse, store in
  one transaction, indexes maintained, committed; the file read by two more processes, a
  half each), and as baselines the same import with the file read by one second process,
  and read in the importing process;
- re-import of the same file (every unit already known: the "updated" path);
- export from the workspace (``memory.export_memory``), and for reference the same units
  through ``memory.iter_memory`` and ``tmx.write_tmx`` (Unit objects; identical bytes);
- translate-toolkit's ``tmxfile.parsefile`` on the first ``--tt-units`` units (it builds the
  whole tree in memory, so by default it gets a 100,000-unit file of the same units);
- peak resident memory (VmHWM) of an import in a separate process, on the full file, and of
  the largest process that reads the file for it; then the same for an export.

With ``--repeat-import N``, N more imports each way (two reading processes, then one),
alternating, and their medians: a shared machine's speed varies from minute to minute. With
``--repeat-export N``, N more exports, and the median of all of them (in the ratio and the
targets line too).

Usage:

    .venv/bin/python benchmarks/bench_tm_import.py [--units 1000000] [--tt-units 100000]
        [--repeat-import 5] [--repeat-export 5]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from translator.domain import Unit, Variant
from translator.formats import tmx
from translator.services import memory
from translator.storage.database import open_workspace

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT.parent / "shared" / "data" / "parallel" / "tico19_ar-en.tsv"
STATUSES = ("translated", "reviewed", "approved", "translated", "approved")
USERS = ("amal", "omar", "sara", "layla", "yusuf", "hana")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the (large) parent across exec.
# One import (argv: import FILE URL) or export (argv: export FILE URL) in a fresh process:
# units, VmHWM after start-up, VmHWM at the end, and the largest child process (the helper
# interpreter that reads or renders for it), all in KB.
_PEAK = """
import os, re, sys, threading, time
from pathlib import Path
from translator.services import memory
from translator.storage.database import open_workspace
def status(pid, field):
    try:
        text = open(f"/proc/{pid}/status").read()
    except OSError:
        return 0
    found = re.search(field + r":\\s+(\\d+)", text)
    return int(found.group(1)) if found else 0
def children():
    me = os.getpid()
    found = []
    for task in Path(f"/proc/{me}/task").iterdir():
        try:
            found += (task / "children").read_text().split()
        except OSError:
            pass
    return found
# Every 50 ms: each helper process's own high-water mark (read from /proc, after its exec:
# RUSAGE_CHILDREN would count the parent's memory a forked child has before it), and the
# resident memory of this process and its helpers together.
helper_peak, total_peak, done = 0, 0, False
def sample():
    global helper_peak, total_peak
    while not done:
        kids = children()
        helper_peak = max([helper_peak] + [status(pid, "VmHWM") for pid in kids])
        total = status("self", "VmRSS") + sum(status(pid, "VmRSS") for pid in kids)
        total_peak = max(total_peak, total)
        time.sleep(0.05)
action, path, url = sys.argv[1:]
ws = open_workspace(url)
base = status("self", "VmHWM")
threading.Thread(target=sample, daemon=True).start()
if action == "import":
    report = memory.import_memory(ws, path)
    count = report.units + report.updated
else:
    count = memory.export_memory(ws, path)
done = True
print(count, base, status("self", "VmHWM"), helper_peak, total_peak)
"""


def peak(action: str, path: Path, url: str) -> tuple[int, int, int, int, int]:
    result = subprocess.run(
        [sys.executable, "-c", _PEAK, action, str(path), url],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.split()
    count, base_kb, peak_kb, helper_kb, total_kb = (int(value) for value in result)
    return count, base_kb, peak_kb, helper_kb, total_kb


def load_pairs() -> list[tuple[str, str, str, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as stream:
        rows = csv.reader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        return [(row[0], row[1], row[2], row[3]) for row in rows if len(row) >= 4]


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def bold_first_word(text: str) -> str:
    first, _, rest = text.partition(" ")
    return (
        f'<bpt i="1" type="bold">&lt;b&gt;</bpt>{escape(first)}'
        f'<ept i="1">&lt;/b&gt;</ept> {escape(rest)}'
    )


def make_units(count: int) -> Iterator[Unit]:
    """Units as a large memory holds them: mostly distinct texts, about 2% repeats."""
    pairs = load_pairs()
    size = len(pairs)
    start = datetime(2019, 1, 7, 8, 0, tzinfo=UTC)
    for n in range(count):
        same = n // 2 if n % 50 == 49 else n  # a repeat: an earlier unit's texts, later
        index, cycle = same % size, same // size
        tuid, ar, en, url = pairs[index]
        if cycle % 3 == 1:  # two paragraphs merged into one unit
            _tuid2, ar2, en2, _url2 = pairs[(index + cycle) % size]
            ar, en = f"{ar} {ar2}", f"{en} {en2}"
        elif cycle:  # the same sentence with other figures
            figure = str(cycle * 37 + index % 10)
            ar = f"{ar} ({figure.translate(ARABIC_DIGITS)})"
            en = f"{en} ({figure})"
        markup_ar = markup_en = None
        if n % 23 == 5:  # the first word in bold, as a DOCX import leaves it
            markup_ar, markup_en = bold_first_word(ar), bold_first_word(en)
        changed = n % 4 == 0
        props: tuple[tuple[str, str], ...] = (("x-source-url", url),)
        if n % 3 == 0:
            props += (("x-domain", ("health", "news", "medical")[n % 9 // 3]),)
        yield Unit(
            variants=(
                Variant("ar", ar, markup=markup_ar),
                Variant("en-US" if same % 3 else "en", en, markup=markup_en),
            ),
            tuid=f"{tuid}/{n}",
            srclang="ar",
            created_at=start + timedelta(minutes=3 * n),
            created_by=USERS[n % len(USERS)],
            changed_at=start + timedelta(minutes=3 * n + 90) if changed else None,
            changed_by="desk editor" if changed else None,
            origin=f"document {n // 40 + 1}, segment {n % 40 + 1}",
            status=STATUSES[n % len(STATUSES)],
            notes=("checked against the wire copy",) if n % 10 == 0 else (),
            props=props,
        )


def timed(label: str, count: int, seconds: float) -> None:
    print(f"{label:<44}{count / seconds:>10,.0f} units/s  ({seconds:.2f} s, {count:,} units)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--tt-units", type=int, default=100_000)
    parser.add_argument("--no-peak", action="store_true", help="skip the separate-process run")
    parser.add_argument("--no-toolkit", action="store_true", help="skip translate-toolkit")
    parser.add_argument(
        "--repeat-import",
        type=int,
        default=0,
        metavar="N",
        help="then N more imports each way (two reading processes, one), alternating: "
        "their spread and medians, on a machine whose speed varies",
    )
    parser.add_argument(
        "--repeat-export",
        type=int,
        default=0,
        metavar="N",
        help="N more exports after the first: their spread, and the median of all of them "
        "in the targets line",
    )
    args = parser.parse_args()
    tt_units = min(args.tt_units, args.units)
    print(
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs; "
        f"{args.units:,} units of TICO-19 ar/en pairs"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "memory.tmx"
        started = time.perf_counter()
        written = tmx.write_tmx(path, make_units(args.units), srclang="ar")
        print(f"file: {path.stat().st_size / 2**20:,.1f} MB, generated in ", end="")
        print(f"{time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        parsed = sum(1 for item in tmx.iter_units(path) if isinstance(item, Unit))
        parse_s = time.perf_counter() - started
        timed("parse alone (tmx.iter_units)", parsed, parse_s)

        url = f"sqlite:///{Path(folder) / 'workspace.sqlite'}"
        workspace = open_workspace(url)
        started = time.perf_counter()
        report = memory.import_memory(workspace, path)
        import_s = time.perf_counter() - started
        stored = report.units + report.updated
        timed("import end to end (memory.import_memory)", stored, import_s)
        print(f"{'':<44}{report.units:,} new, {report.updated:,} repeats, {report.skipped} skipped")
        # Baseline: the same import with the file read in this process (the design before).
        single = open_workspace(f"sqlite:///{Path(folder) / 'single.sqlite'}")
        started = time.perf_counter()
        alone = memory.import_memory(single, path, parallel=False)
        single_s = time.perf_counter() - started
        single.close()
        (Path(folder) / "single.sqlite").unlink()
        timed("  the same, read in one process", alone.units + alone.updated, single_s)
        # And with the file read by one second process, not two (the design before).
        piped = open_workspace(f"sqlite:///{Path(folder) / 'piped.sqlite'}")
        started = time.perf_counter()
        one_reader = memory.import_memory(piped, path, parallel=True, split=False)
        piped_s = time.perf_counter() - started
        piped.close()
        (Path(folder) / "piped.sqlite").unlink()
        timed("  the same, one reading process", one_reader.units + one_reader.updated, piped_s)

        started = time.perf_counter()
        again = memory.import_memory(workspace, path)
        reimport_s = time.perf_counter() - started
        timed("re-import, all known (memory.import_memory)", again.updated, reimport_s)

        out = Path(folder) / "export.tmx"
        started = time.perf_counter()
        exported = memory.export_memory(workspace, out)
        export_s = time.perf_counter() - started
        timed("export (memory.export_memory)", exported, export_s)
        export_runs = [export_s]
        for _ in range(args.repeat_export):
            started = time.perf_counter()
            memory.export_memory(workspace, out)
            export_runs.append(time.perf_counter() - started)
        if args.repeat_export:
            export_s = statistics.median(export_runs)
            runs = ", ".join(f"{exported / value:,.0f}" for value in export_runs)
            median = exported / export_s
            print(f"  {len(export_runs)} exports: {runs} units/s; median {median:,.0f}")
        # The same units through Unit objects and write_tmx: the path export used to take.
        started = time.perf_counter()
        through_units = tmx.write_tmx(out, memory.iter_memory(workspace), srclang="ar")
        timed("  export via Unit objects (write_tmx)", through_units, time.perf_counter() - started)
        workspace.close()
        out.unlink()

        tt_s = 0.0
        if not args.no_toolkit:
            small = path
            if tt_units < args.units:
                small = Path(folder) / "small.tmx"
                tmx.write_tmx(small, make_units(tt_units), srclang="ar")
            ours_started = time.perf_counter()
            ours = sum(1 for item in tmx.iter_units(small) if isinstance(item, Unit))
            ours_s = time.perf_counter() - ours_started

            from translate.storage import tmx as tt_tmx  # imported late: only the referee

            started = time.perf_counter()
            store = tt_tmx.tmxfile.parsefile(str(small))
            theirs = sum(1 for unit in store.units if unit.source)
            tt_s = time.perf_counter() - started
            del store
            assert ours == theirs == tt_units, (ours, theirs, tt_units)
            note = "" if small == path else f" (a {tt_units:,}-unit file of the same units)"
            print(f"translate-toolkit parsefile{note}:")
            timed("  translate-toolkit tmxfile.parsefile", theirs, tt_s)
            timed("  ours, parse alone, same file", ours, ours_s)
            tt_rate = theirs / tt_s
            print(f"  ratios against translate-toolkit's parse ({tt_rate:,.0f} units/s):")
            print(f"    parse alone           {parsed / parse_s / tt_rate:>6.2f}x")
            print(f"    import end to end     {stored / import_s / tt_rate:>6.2f}x")
            print(f"    import, one process   {stored / single_s / tt_rate:>6.2f}x")
            print(f"    import, one reader    {stored / piped_s / tt_rate:>6.2f}x")
            print(f"    export                {exported / export_s / tt_rate:>6.2f}x")

        if not args.no_peak:
            peak_url = f"sqlite:///{Path(folder) / 'peak.sqlite'}"
            for action, file in (("import", path), ("export", out)):
                count, base_kb, peak_kb, helper_kb, total_kb = peak(action, file, peak_url)
                print(
                    f"{action} peak RSS (separate process, {count:,} units): "
                    f"{peak_kb / 1024:,.0f} MB (after start-up: {base_kb / 1024:,.0f} MB); "
                    f"largest helper process {helper_kb / 1024:,.0f} MB; "
                    f"all processes together at most {total_kb / 1024:,.0f} MB"
                )
        if args.repeat_import:
            repeat_imports(path, Path(folder), args.repeat_import)
    assert written == parsed == stored == again.updated, (written, parsed, stored, again.updated)
    assert exported == report.units == through_units, (exported, report.units, through_units)
    print(
        f"targets: import >= 50,000 units/s (now {stored / import_s:,.0f}), "
        f"export >= 200,000 units/s (now {exported / export_s:,.0f}), peak < 300 MB"
    )


def repeat_imports(path: Path, folder: Path, times: int) -> None:
    seconds: dict[str, list[float]] = {"two reading processes": [], "one reading process": []}
    for _ in range(times):
        for label, split in (("two reading processes", None), ("one reading process", False)):
            workspace = open_workspace(f"sqlite:///{folder / 'repeat.sqlite'}")
            started = time.perf_counter()
            memory.import_memory(workspace, path, split=split)
            seconds[label].append(time.perf_counter() - started)
            workspace.close()
            for leftover in folder.glob("repeat.sqlite*"):
                leftover.unlink()
    medians = {label: statistics.median(values) for label, values in seconds.items()}
    for label, values in seconds.items():
        runs = ", ".join(f"{value:.1f}" for value in values)
        print(f"import {label}: {runs} s; median {medians[label]:.1f} s")
    two, one = medians.values()
    print(f"  medians: {one / two:.2f}x faster with two reading processes")


if __name__ == "__main__":
    main()
