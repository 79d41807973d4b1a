"""The main window: the workspace's documents; File > Import adds an article."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableView,
)

from translator.errors import TranslatorError
from translator.services import documents
from translator.storage.database import Workspace
from translator.ui.models.documents import DocumentListModel


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.setWindowTitle(self.tr("translator — {0}").format(workspace.display_name))
        self.model = DocumentListModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.setCentralWidget(self.table)
        self.status_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.status_label)
        self._build_menus()
        self.refresh()
        self.resize(900, 560)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.import_action = QAction(self.tr("&Import Article…"), self)
        self.import_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Open))
        self.import_action.triggered.connect(self._on_import_triggered)
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

    def refresh(self) -> None:
        docs = documents.list_documents(self.workspace)
        self.model.set_documents(docs)
        total = sum(d.segments for d in docs)
        done = sum(d.translated for d in docs)
        self.status_label.setText(
            self.tr("{0} documents, {1} of {2} segments translated").format(len(docs), done, total)
        )

    def import_file(self, path: str) -> bool:
        """Import one article; errors are shown in a dialog, never as a traceback."""
        try:
            summary = documents.import_document(self.workspace, path)
        except TranslatorError as exc:
            QMessageBox.warning(self, self.tr("Import failed"), str(exc))
            return False
        self.refresh()
        self.statusBar().showMessage(
            self.tr("Imported {0}: {1} segments").format(summary.name, summary.segments), 5000
        )
        return True

    def _on_import_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import Article"), "",
            self.tr("Articles (*.txt *.docx);;All files (*)"),
        )
        if path:
            self.import_file(path)
