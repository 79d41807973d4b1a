"""Review test material: real Arabic-English pairs, hypotheses degraded from the references."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from tests.conftest import shared_data

SACREBLEU = Path(sys.executable).with_name("sacrebleu")


def parallel(name: str) -> list[str]:
    return shared_data("parallel", name).read_text(encoding="utf-8").splitlines()


def degrade(lines: list[str], seed: int, drop: float = 0.25) -> list[str]:
    """A plausible bad translation: words dropped and neighbours swapped, some lines empty."""
    rng = random.Random(seed)
    out = []
    for line in lines:
        words = [w for w in line.split() if rng.random() > drop]
        if len(words) > 3 and rng.random() < 0.3:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        out.append(" ".join(words))
    return out


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def sacrebleu_cli(*args: str) -> str:
    """The sacrebleu command's standard output (the reference implementation)."""
    done = subprocess.run(
        [str(SACREBLEU), *args], capture_output=True, text=True, encoding="utf-8", check=True
    )
    return done.stdout


def sacrebleu_json(
    ref: Path, hyp: Path, *extra: str, width: int = 4
) -> dict[str, dict[str, object]]:
    """{"BLEU": {...}, "chrF2": {...}, "TER": {...}} as the sacrebleu command reports them."""
    out = sacrebleu_cli(
        str(ref), "-i", str(hyp), "-m", "bleu", "chrf", "ter", "-w", str(width), *extra
    )
    data = json.loads(out)
    items = data if isinstance(data, list) else [data]
    return {item["name"]: item for item in items}
