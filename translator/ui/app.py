"""Composition root of the desktop application: opens the workspace and the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from translator import __version__
from translator.errors import TranslatorError
from translator.storage.database import ENV_VAR, open_workspace


def _choose_workspace(db: str | None, settings: QSettings) -> str | None:
    """--db, then $TRANSLATOR_DB, then the workspace used last, then the default."""
    if db or os.environ.get(ENV_VAR):
        return db
    last = settings.value("last_workspace")
    if isinstance(last, str) and last and ("://" in last or Path(last).exists()):
        return last
    return None


def run(db: str | None = None, argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("translator")
    app.setOrganizationName("translator")
    app.setApplicationVersion(__version__)
    settings = QSettings()
    try:
        workspace = open_workspace(_choose_workspace(db, settings))
    except TranslatorError as exc:
        QMessageBox.critical(None, "translator", str(exc))
        return 1
    if workspace.url.startswith("sqlite:///"):  # never store a server password in settings
        settings.setValue("last_workspace", workspace.url.removeprefix("sqlite:///"))
    from translator.ui.main_window import MainWindow

    window = MainWindow(workspace, settings)
    window.show()
    try:
        return int(app.exec())
    finally:
        workspace.close()


def main() -> int:
    return run()
