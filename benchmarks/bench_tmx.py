"""TMX throughput: write and read a generated memory of real TICO-19 Arabic-English pairs.

Prints units/second for translator's TMX export and import and, measured in the same run
on the same file, for translate-toolkit's TMX parser, with the ratios; then the peak
resident memory of an import in a separate process (untimed). Usage:

    .venv/bin/python benchmarks/bench_tmx.py [--units 200000]
"""

from __future__ import annotations

import argparse
import csv
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from translator.domain import Unit, Variant
from translator.formats.tmx import iter_units, write_tmx

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT.parent / "shared" / "data" / "parallel" / "tico19_ar-en.tsv"
STATUSES = ("translated", "reviewed", "approved", "translated", "draft")

# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the (large) parent across exec.
_PEAK = """
import re, sys
from translator.formats.tmx import iter_units
def hwm():
    status = open("/proc/self/status").read()
    return int(re.search(r"VmHWM:\\s+(\\d+)", status).group(1))
base = hwm()
count = sum(1 for _ in iter_units(sys.argv[1]))
print(count, base, hwm())
"""


def load_pairs() -> list[tuple[str, str, str, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as stream:
        rows = csv.reader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        return [(row[0], row[1], row[2], row[3]) for row in rows if len(row) >= 4]


def make_units(count: int) -> Iterator[Unit]:
    """Units as a newsroom memory holds them: real pairs, varied in the ways real ones vary."""
    pairs = load_pairs()
    start = datetime(2021, 3, 1, 8, 0, tzinfo=UTC)
    for n in range(count):
        tuid, ar, en, url = pairs[n % len(pairs)]
        markup_ar = markup_en = None
        if n % 7 == 3:  # two paragraphs merged into one unit
            _tuid2, ar2, en2, _url2 = pairs[(n + 1) % len(pairs)]
            ar, en = f"{ar} {ar2}", f"{en} {en2}"
        elif n % 11 == 5:  # the first word in bold, as a DOCX import leaves it
            first, _, rest = en.partition(" ")
            markup_en = (
                f'<bpt i="1" type="bold">&lt;b&gt;</bpt>{escape(first)}'
                f'<ept i="1">&lt;/b&gt;</ept> {escape(rest)}'
            )
            word, _, tail = ar.partition(" ")
            markup_ar = (
                f'<bpt i="1" type="bold">&lt;b&gt;</bpt>{escape(word)}'
                f'<ept i="1">&lt;/b&gt;</ept> {escape(tail)}'
            )
        yield Unit(
            variants=(
                Variant("ar", ar, markup=markup_ar),
                Variant("en-US" if n % 3 else "en", en, markup=markup_en),
            ),
            tuid=f"{tuid}/{n // len(pairs)}",
            srclang="ar",
            created_at=start + timedelta(minutes=7 * n),
            created_by=("amal", "omar", "sara")[n % 3],
            changed_at=start + timedelta(minutes=7 * n + 90) if n % 4 == 0 else None,
            changed_by="desk editor" if n % 4 == 0 else None,
            origin=f"document {n // 40 + 1}, segment {n % 40 + 1}",
            status=STATUSES[n % len(STATUSES)],
            notes=("checked against the wire copy",) if n % 10 == 0 else (),
            props=(("x-source-url", url),),
        )


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=200_000)
    args = parser.parse_args()
    units = list(make_units(args.units))
    print(f"Python {platform.python_version()}, {args.units:,} units of TICO-19 ar/en pairs")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.tmx"
        started = time.perf_counter()
        written = write_tmx(path, units, srclang="ar")
        write_s = time.perf_counter() - started
        size = path.stat().st_size
        del units

        started = time.perf_counter()
        read = sum(1 for item in iter_units(path) if isinstance(item, Unit))
        read_s = time.perf_counter() - started

        from translate.storage import tmx  # imported late: it is only the referee

        started = time.perf_counter()
        store = tmx.tmxfile.parsefile(str(path))
        theirs = sum(1 for unit in store.units if unit.source)
        tt_s = time.perf_counter() - started
        del store

        peak = subprocess.run(
            [sys.executable, "-c", _PEAK, str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout.split()

    print(f"file: {size / 2**20:,.1f} MB")
    print(f"export (write_tmx):           {written / write_s:>10,.0f} units/s  ({write_s:.2f} s)")
    print(f"import (iter_units):          {read / read_s:>10,.0f} units/s  ({read_s:.2f} s)")
    print(f"translate-toolkit parsefile:  {theirs / tt_s:>10,.0f} units/s  ({tt_s:.2f} s)")
    print(f"import / translate-toolkit:   {tt_s / read_s:>10.2f}x")
    print(f"export / translate-toolkit parse: {tt_s / write_s:>6.2f}x")
    count, base_kb, peak_kb = (int(value) for value in peak)
    print(
        f"import peak RSS (separate process, {count:,} units): {int(peak_kb) / 1024:,.0f} MB "
        f"(after imports: {int(base_kb) / 1024:,.0f} MB)"
    )
    assert written == read == theirs == args.units, (written, read, theirs)


if __name__ == "__main__":
    main()
