"""Composition root of the desktop application: opens the workspace and the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from translator import __version__
from translator.errors import TranslatorError
from translator.storage.database import open_workspace


def run(db: str | None = None, argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("translator")
    app.setOrganizationName("translator")
    app.setApplicationVersion(__version__)
    try:
        workspace = open_workspace(db)
    except TranslatorError as exc:
        QMessageBox.critical(None, "translator", str(exc))
        return 1
    from translator.ui.main_window import MainWindow

    window = MainWindow(workspace)
    window.show()
    try:
        return int(app.exec())
    finally:
        workspace.close()


def main() -> int:
    return run()
