"""Nothing typed is lost: a real process killed with SIGKILL while typing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.ui.crash_child import LETTERS
from translator.domain import Status
from translator.services import documents
from translator.storage.database import open_workspace


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killing_the_process_loses_at_most_the_last_second(tmp_path: Path, article: Path) -> None:
    db = tmp_path / "crash.sqlite"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.ui.crash_child",
            str(db),
            str(article),
            str(tmp_path / "settings.ini"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    typed = 0
    started = None
    try:
        for line in child.stdout:
            typed = int(line.split()[1])
            started = started or time.monotonic()
            if time.monotonic() - started > 3.0:
                break
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert typed > 40, child.stderr.read() if child.stderr else ""

    workspace = open_workspace(str(db))
    try:
        first, second = documents.load_document(workspace, 1).segments[:2]
    finally:
        workspace.close()
    assert (first.target, first.status) == ("Confirmed before the crash.", Status.TRANSLATED)
    expected = "".join(LETTERS[i % len(LETTERS)] for i in range(typed))
    assert second.status is Status.DRAFT
    assert second.target is not None and expected.startswith(second.target)
    # One letter every 50 ms: a second of typing is 20 letters; allow for a slow machine.
    assert typed - len(second.target) <= 30, (typed, len(second.target))
