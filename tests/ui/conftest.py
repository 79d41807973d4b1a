"""GUI tests run offscreen; any Qt warning fails the test (see pyproject's qt_log_level_fail)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings

from translator.storage.database import Workspace
from translator.ui.main_window import MainWindow

ARTICLE = (
    "قال د. أحمد إن الجيش انسحب من المدينة. وأضاف: «لن نعود»!\n"
    "\n"
    "هل انتهت الحرب؟ لا أحد يعرف.\n"
    "بلغت نسبة التضخم 3.5 في المئة اليوم.\n"
)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Settings in a file of the test's own, never the user's."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def window(qtbot, workspace: Workspace, settings: QSettings) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(workspace, settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    win.close()  # saves typing and stops timers before the workspace goes
