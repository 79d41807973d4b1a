"""Import reports (a memory's, a glossary's) and the list of imported memories."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from translator.domain import MemoryImport
from translator.services import memory
from translator.storage.database import Workspace


def _table(parent: QWidget, headers: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return table


class ReportDialog(QDialog):
    """What an import did: a summary, its warnings, and every skip with its reason (the
    first ones; ``more`` says how many were not listed)."""

    def __init__(
        self,
        title: str,
        summary: str,
        warnings: Sequence[str],
        headers: list[str],
        skips: list[list[str]],
        more: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.summary = QLabel(summary, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        for warning in warnings:
            layout.addWidget(QLabel(self.tr("Note: {0}").format(warning), self))
        self.skips = _table(self, headers, skips)
        self.skips.setVisible(bool(skips))
        layout.addWidget(self.skips)
        if more > 0:
            layout.addWidget(QLabel(self.tr("… and {0} more skipped").format(more), self))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420 if skips else 160)


class ImportReportDialog(ReportDialog):
    """What a memory import did: counts, languages, and every skipped unit with its reason."""

    def __init__(self, report: MemoryImport, parent: QWidget | None = None) -> None:
        tr = QCoreApplication.translate
        super().__init__(
            tr("ImportReportDialog", "Memory imported: {0}").format(report.name),
            tr(
                "ImportReportDialog",
                "{0} units imported, {1} already in the memory (updated), {2} skipped.\n"
                "Languages: {3}",
            ).format(
                report.units, report.updated, report.skipped, ", ".join(report.languages) or "-"
            ),
            report.warnings,
            [
                tr("ImportReportDialog", "Line"),
                tr("ImportReportDialog", "tuid"),
                tr("ImportReportDialog", "Why skipped"),
            ],
            [[str(s.line or ""), s.tuid or "", s.reason] for s in report.skips],
            report.skipped - len(report.skips),
            parent,
        )


class MemoriesDialog(QDialog):
    """The memory's size and every imported memory, each removable on its own."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle(self.tr("Translation Memories"))
        self.summary = QLabel(self)
        self.table = _table(self, [], [])
        self.remove_button = QPushButton(self.tr("&Remove Selected Memory…"), self)
        self.remove_button.clicked.connect(self._remove_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(720, 400)
        self.refresh()

    def refresh(self) -> None:
        stats = memory.memory_stats(self.workspace)
        self.imports = memory.list_imports(self.workspace)
        langs = ", ".join(f"{lang} ({n})" for lang, n in stats.languages) or "-"
        self.summary.setText(
            self.tr(
                "{0} units: {1} from your documents, {2} imported. Texts per language: {3}"
            ).format(stats.units, stats.from_documents, stats.imported, langs)
        )
        headers = [
            self.tr("Memory"),
            self.tr("Imported"),
            self.tr("By"),
            self.tr("Units"),
            self.tr("Skipped"),
            self.tr("File"),
        ]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(self.imports))
        for r, m in enumerate(self.imports):
            when = f"{m.imported_at:%Y-%m-%d %H:%M}" if m.imported_at else ""
            values = [m.name, when, m.imported_by or "", str(m.units), str(m.skipped), m.path or ""]
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.horizontalHeader().setSectionResizeMode(
            len(headers) - 1, QHeaderView.ResizeMode.Stretch
        )
        self.remove_button.setEnabled(bool(self.imports))

    def _remove_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.imports):
            return
        chosen = self.imports[row]
        answer = QMessageBox.question(
            self,
            self.tr("Remove Memory"),
            self.tr("Remove “{0}” and its {1} units from the memory?").format(
                chosen.name, chosen.units
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            memory.remove_import(self.workspace, chosen.id)
            self.refresh()
