"""Glossary dialogs: adding or editing a term, the glossary itself, what an import did, and
the terms a document's translations do not use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from translator.domain import GlossaryImport, GlossaryTerm, TermIssue
from translator.errors import TranslatorError
from translator.services import glossary
from translator.storage.database import Workspace
from translator.text.bidi import is_rtl
from translator.ui.memory_dialogs import ReportDialog
from translator.ui.models.glossary import GlossaryTableModel
from translator.ui.workers import run_with_progress


class TermDialog(QDialog):
    """A term and its translation, with a note: a new one, or one to change."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        source_lang: str,
        target_lang: str,
        source: str = "",
        target: str = "",
        note: str = "",
        term: GlossaryTerm | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.term = term
        self.saved: GlossaryTerm | None = None
        if term is not None:
            source_lang, target_lang = term.source_lang, term.target_lang
            source, target, note = term.source, term.target, term.note or ""
        self.source_lang, self.target_lang = source_lang, target_lang
        self.setWindowTitle(self.tr("Edit Term") if term else self.tr("Add Term to Glossary"))
        self.source = QLineEdit(source.strip(), self)
        self.target = QLineEdit(target.strip(), self)
        self.note = QLineEdit(note, self)
        self.note.setPlaceholderText(self.tr("optional: a definition, where it applies …"))
        for field, lang in ((self.source, source_lang), (self.target, target_lang)):
            field.setLayoutDirection(
                Qt.LayoutDirection.RightToLeft if is_rtl(lang) else Qt.LayoutDirection.LeftToRight
            )
        form = QFormLayout()
        form.addRow(self.tr("Term ({0}):").format(source_lang), self.source)
        form.addRow(self.tr("Translation ({0}):").format(target_lang), self.target)
        form.addRow(self.tr("Note:"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())
        (self.target if source.strip() and not target.strip() else self.source).setFocus()

    def accept(self) -> None:
        try:
            if self.term is None:
                self.saved = glossary.add_term(
                    self.workspace,
                    self.source_lang,
                    self.source.text(),
                    self.target_lang,
                    self.target.text(),
                    self.note.text(),
                )
            else:
                self.saved = glossary.update_term(
                    self.workspace,
                    self.term.id,
                    source=self.source.text(),
                    target=self.target.text(),
                    note=self.note.text(),
                )
        except TranslatorError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return  # the dialog stays open with what was typed
        super().accept()


class GlossaryImportDialog(ReportDialog):
    """What a glossary import did: counts, languages, and each skipped entry with why."""

    def __init__(self, report: GlossaryImport, parent: QWidget | None = None) -> None:
        tr = QCoreApplication.translate
        super().__init__(
            tr("GlossaryImportDialog", "Glossary imported: {0}").format(Path(report.path).name),
            tr(
                "GlossaryImportDialog",
                "{0} terms added, {1} updated, {2} already in the glossary, {3} skipped.\n"
                "Languages: {4}",
            ).format(
                report.added,
                report.updated,
                report.unchanged,
                report.skipped,
                ", ".join(report.languages) or "-",
            ),
            report.warnings,
            [tr("GlossaryImportDialog", "Line"), tr("GlossaryImportDialog", "Why skipped")],
            [[str(line or ""), reason] for line, reason in report.skips],
            report.skipped - len(report.skips),
            parent,
        )


class GlossaryDialog(QDialog):
    """The whole glossary: search it, add, edit and remove terms, import and export files."""

    def __init__(
        self,
        workspace: Workspace,
        settings: QSettings,
        *,
        source_lang: str = "ar",
        target_lang: str = "en",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace, self.settings = workspace, settings
        self.source_lang, self.target_lang = source_lang, target_lang
        self.setWindowTitle(self.tr("Glossary"))
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search terms, translations and notes"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._show)
        self.model = GlossaryTableModel(self, source_lang)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column in (0, 1, 3)
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.count = QLabel(self)
        row = QHBoxLayout()
        actions: list[tuple[str, Callable[[], object]]] = [
            (self.tr("&Add…"), self.add),
            (self.tr("&Edit…"), self.edit_selected),
            (self.tr("&Remove"), self.remove_selected),
            (self.tr("&Import…"), self.import_dialog),
            (self.tr("E&xport…"), self.export_dialog),
        ]
        self.buttons: dict[str, QPushButton] = {}
        for label, slot in actions:
            button = QPushButton(label, self)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            row.addWidget(button)
            self.buttons[label.replace("&", "").rstrip("…")] = button
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addLayout(row)
        self.resize(900, 520)
        self.refresh()

    def refresh(self) -> None:
        """Read the glossary again (after a change) and show what the search finds."""
        self.terms = glossary.list_terms(self.workspace)
        self._show()

    def _show(self) -> None:
        """What the search finds, among the terms read (no query a keystroke)."""
        search = self.search.text().strip()
        terms = glossary.search_terms(self.terms, search) if search else self.terms
        self.model.set_rows(terms)
        self.count.setText(
            self.tr("1 term") if len(terms) == 1 else self.tr("{0} terms").format(len(terms))
        )

    def selected(self) -> list[GlossaryTerm]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(row) for row in rows]

    def add(self) -> GlossaryTerm | None:
        dialog = TermDialog(
            self.workspace, source_lang=self.source_lang, target_lang=self.target_lang, parent=self
        )
        dialog.exec()
        self.refresh()
        return dialog.saved

    def edit_selected(self) -> GlossaryTerm | None:
        chosen = self.selected()
        if not chosen:
            return None
        dialog = TermDialog(
            self.workspace,
            source_lang=self.source_lang,
            target_lang=self.target_lang,
            term=chosen[0],
            parent=self,
        )
        dialog.exec()
        self.refresh()
        return dialog.saved

    def remove_selected(self) -> int:
        chosen = self.selected()
        if not chosen:
            return 0
        answer = QMessageBox.question(
            self,
            self.tr("Remove Terms"),
            self.tr("Remove {0} term(s) from the glossary?").format(len(chosen)),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return 0
        removed = glossary.remove_terms(self.workspace, [t.id for t in chosen])
        self.refresh()
        return removed

    def import_dialog(self) -> None:
        choose_and_import(self, self.workspace, self.settings, self.source_lang, self.target_lang)
        self.refresh()

    def export_dialog(self) -> None:
        start = Path(str(self.settings.value("last_glossary_dir", Path.home())))
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export Glossary"),
            str(start / "glossary.tbx"),
            self.tr("TBX (*.tbx);;CSV (*.csv);;Tab-separated, OmegaT (*.txt *.tsv)"),
        )
        if path:
            self.settings.setValue("last_glossary_dir", str(Path(path).parent))
            export_glossary_file(self, self.workspace, path)


def import_glossary_file(
    parent: QWidget, workspace: Workspace, path: str, source_lang: str, target_lang: str
) -> GlossaryImport | None:
    """Import a glossary file off the GUI thread and show what it did (or why nothing was
    added). A file that names no languages (OmegaT's) is taken to be in the open
    document's."""
    try:
        report = run_with_progress(
            parent,
            parent.tr("Importing glossary {0}…").format(Path(path).name),
            lambda progress: glossary.import_glossary(
                workspace,
                path,
                source_lang=source_lang,
                target_lang=target_lang,
                progress=progress,
            ),
        )
    except TranslatorError as exc:
        QMessageBox.warning(parent, parent.tr("Glossary import failed"), str(exc))
        return None
    if report is None:
        return None  # cancelled: nothing was added
    dialog = GlossaryImportDialog(report, parent)
    dialog.open()
    parent.setProperty("last_glossary_report", dialog)  # keeps the open dialog alive
    return report


def choose_and_import(
    parent: QWidget, workspace: Workspace, settings: QSettings, source_lang: str, target_lang: str
) -> GlossaryImport | None:
    """Ask for a glossary file (starting where the last one was) and import it."""
    path, _ = QFileDialog.getOpenFileName(
        parent,
        parent.tr("Import Glossary"),
        str(settings.value("last_glossary_dir", "")),
        parent.tr("Glossaries (*.tbx *.csv *.tsv *.txt *.tab *.utf8);;All files (*)"),
    )
    if not path:
        return None
    settings.setValue("last_glossary_dir", str(Path(path).parent))
    return import_glossary_file(parent, workspace, path, source_lang, target_lang)


def export_glossary_file(parent: QWidget, workspace: Workspace, path: str) -> int | None:
    try:
        count = glossary.export_glossary(workspace, path)
    except (TranslatorError, OSError) as exc:
        QMessageBox.warning(parent, parent.tr("Glossary export failed"), str(exc))
        return None
    QMessageBox.information(
        parent,
        parent.tr("Glossary exported"),
        parent.tr("Wrote {0} terms to {1}").format(count, path),
    )
    return count


class TermCheckDialog(QDialog):
    """The confirmed segments whose translation does not use a glossary term's translation;
    double-click one to go to it."""

    def __init__(
        self,
        issues: Sequence[TermIssue],
        go_to: Callable[[int], object],
        parent: QWidget | None = None,
        *,
        source_lang: str = "ar",
        target_lang: str = "en",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Glossary Check"))
        self.issues = list(issues)
        summary = (
            self.tr("Every confirmed translation uses the glossary's terms.")
            if not issues
            else self.tr("{0} term(s) not translated as the glossary says:").format(len(issues))
        )
        self.summary = QLabel(summary, self)
        self.table = QTableWidget(len(issues), 3, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Segment"), self.tr("Term"), self.tr("Glossary translation")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, issue in enumerate(issues):
            self.table.setItem(row, 0, QTableWidgetItem(str(issue.n)))
            for column, (text, lang) in enumerate(
                ((issue.hit.found, source_lang), (" | ".join(issue.hit.targets), target_lang)), 1
            ):
                item = QTableWidgetItem(text)
                side = Qt.AlignmentFlag.AlignRight if is_rtl(lang) else Qt.AlignmentFlag.AlignLeft
                item.setTextAlignment(side | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.go_to = go_to
        self.table.cellDoubleClicked.connect(self._on_cell_double_clicked)
        self.table.setVisible(bool(issues))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 400 if issues else 120)

    def _on_cell_double_clicked(self, row: int, _column: int) -> None:
        self.go_to(self.issues[row].n)
        self.accept()
