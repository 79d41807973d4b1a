"""A translator at work, run as its own process so that a test can kill it with SIGKILL.

Usage: python -m tests.ui.crash_child WORKSPACE ARTICLE
Confirms segment 1, then types into segment 2 one letter every 50 ms, printing the count.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from translator.storage.database import open_workspace
from translator.ui.main_window import MainWindow

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def main() -> None:
    db, article, settings_file = sys.argv[1], sys.argv[2], sys.argv[3]
    app = QApplication([])
    window = MainWindow(open_workspace(db), QSettings(settings_file, QSettings.Format.IniFormat))
    window.show()
    window.activateWindow()
    assert window.import_file(article)
    edit = window.editor.target_edit
    QTest.keyClicks(edit, "Confirmed before the crash.")
    QTest.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    typed = 0

    def type_one() -> None:
        nonlocal typed
        QTest.keyClicks(edit, LETTERS[typed % len(LETTERS)])
        typed += 1
        print(f"typed {typed}", flush=True)

    timer = QTimer()
    timer.timeout.connect(type_one)
    timer.start(50)
    app.exec()


if __name__ == "__main__":
    main()
