"""The main window: the workspace's documents on the left, the editor on the right."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QModelIndex, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
)

from translator import __version__
from translator.domain import MemoryImport
from translator.errors import TranslatorError
from translator.formats.registry import SUPPORTED_IMPORT_EXTENSIONS
from translator.services import documents, memory
from translator.services import review as review_service
from translator.services import segments as segment_service
from translator.storage.database import Workspace
from translator.ui.dialogs import (
    FindReplaceDialog,
    SegmentationRulesDialog,
    SegmentHistoryDialog,
    ShortcutsDialog,
    rule_files,
)
from translator.ui.glossary_actions import GlossaryActions
from translator.ui.memory_dialogs import ImportReportDialog, MemoriesDialog
from translator.ui.models.documents import DocumentListModel
from translator.ui.review import CheckDialog, ScoreDialog
from translator.ui.views.editor import DocumentEditor
from translator.ui.workers import run_with_progress

DEFAULT_POINT_SIZE = 11


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace, settings: QSettings | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.settings = settings or QSettings()
        self.setWindowTitle(self.tr("translator — {0}").format(workspace.display_name))
        self.setAcceptDrops(True)

        self.model = DocumentListModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # "arti…(2)" tells copies apart
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.activated.connect(self._on_document_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_document_activated)

        self.editor = DocumentEditor(workspace, self)
        self.editor.changed.connect(self._on_editor_changed)
        self.editor.message.connect(self._show_message)
        self.editor.warned.connect(self._show_warning)
        self.find_dialog = FindReplaceDialog(self.editor, self)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([380, 1000])
        self.setCentralWidget(self.splitter)
        self.status_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.status_label)
        self._list_timer = QTimer(self)
        self._list_timer.setSingleShot(True)
        self._list_timer.setInterval(500)
        self._list_timer.timeout.connect(self.refresh)

        self._build_actions()
        self._build_menus()
        self.editor.target_edit.reserved = [
            seq for action in self.editor_actions for seq in action.shortcuts()
        ]
        self.refresh()
        self.resize(1280, 800)
        self._restore_settings()

    # -- actions and menus --------------------------------------------------------------

    def _action(
        self, text: str, slot: object, shortcut: QKeySequence | str | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        ed = self.editor
        std = QKeySequence.StandardKey
        self.new_workspace_action = self._action(self.tr("&New Workspace…"), self.new_workspace)
        self.open_workspace_action = self._action(
            self.tr("Open &Workspace…"), self.open_workspace_dialog
        )
        self.import_action = self._action(
            self.tr("&Import Article…"), self._on_import_triggered, QKeySequence(std.Open)
        )
        self.export_action = self._action(
            self.tr("&Export Translation…"), self._on_export_triggered, "Ctrl+E"
        )
        self.delete_action = self._action(self.tr("&Delete Document…"), self._on_delete)
        self.rules_action = self._action(
            self.tr("Segmentation &Rules…"),
            lambda: SegmentationRulesDialog(self.settings, self).exec(),
        )
        self.tm_import_action = self._action(
            self.tr("Import Translation &Memory…"), self._on_tm_import
        )
        self.tm_export_action = self._action(
            self.tr("Export Translation Memory…"), self._on_tm_export
        )
        self.tm_list_action = self._action(self.tr("Translation Memories…"), self.show_memories)
        self.quit_action = self._action(self.tr("&Quit"), self.close, QKeySequence(std.Quit))
        self.undo_action = self._action(self.tr("&Undo"), ed.undo, "Ctrl+Z")
        self.redo_action = self._action(self.tr("&Redo"), ed.redo, "Ctrl+Shift+Z")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.copy_source_action = self._action(
            self.tr("&Copy Source to Target"), ed.copy_source, "Ctrl+Shift+C"
        )
        self.find_action = self._action(
            self.tr("&Find…"), lambda: self.find_dialog.show_for(False), "Ctrl+F"
        )
        self.replace_action = self._action(
            self.tr("Find and &Replace…"), lambda: self.find_dialog.show_for(True), "Ctrl+H"
        )
        self.keep_marks_action = self._action(
            self.tr("&Keep Direction Marks When Pasting"), self._on_keep_marks
        )
        self.keep_marks_action.setCheckable(True)
        self.confirm_action = self._action(
            self.tr("&Confirm and Go to Next Unconfirmed"), ed.confirm_and_next, "Ctrl+Return"
        )
        self.confirm_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.next_action = self._action(self.tr("&Next Segment"), lambda: ed.step(1), "Ctrl+Down")
        self.previous_action = self._action(
            self.tr("&Previous Segment"), lambda: ed.step(-1), "Ctrl+Up"
        )
        self.goto_action = self._action(self.tr("&Go to Segment…"), self.go_to_dialog, "Ctrl+G")
        self.split_action = self._action(
            self.tr("&Split Segment at Source Cursor"), ed.split_current, "Ctrl+T"
        )
        self.merge_action = self._action(
            self.tr("&Merge with Next Segment"), ed.merge_with_next, "Ctrl+J"
        )
        self.history_action = self._action(
            self.tr("Segment &History…"), self.show_history, "Ctrl+Shift+H"
        )
        self.insert_match_actions = [
            self._action(
                self.tr("Insert Match {0}").format(n),
                lambda _checked=False, n=n: ed.matches.insert(n),
                f"Ctrl+{n}",
            )
            for n in range(1, 6)
        ]
        self.pretranslate_action = self._action(
            self.tr("&Pre-translate from Memory…"), self.pretranslate_dialog
        )
        self.propagate_action = self._action(
            self.tr("Fill &Repetitions on Confirm"), self._on_propagate
        )
        self.propagate_action.setCheckable(True)
        self.match_settings_action = self._action(
            self.tr("Match &Settings…"), self.match_settings_dialog
        )
        self.concordance_action = self._action(
            self.tr("&Concordance Search"), self._focus_concordance, "Ctrl+K"
        )
        self.review_mode_action = self._action(
            self.tr("&Review Mode (Ctrl+Enter Approves)"), self._on_review_mode, "Ctrl+Shift+R"
        )
        self.review_mode_action.setCheckable(True)
        self.reject_action = self._action(
            self.tr("Re&ject Segment…"), self.reject_dialog, "Ctrl+Shift+J"
        )
        self.attach_reference_action = self._action(
            self.tr("&Attach Reference Translation…"), self.attach_reference_dialog
        )
        self.score_action = self._action(self.tr("&Score Document…"), self.score_dialog)
        self.check_action = self._action(self.tr("&Check Translations…"), self.check_dialog, "F7")
        self.filter_action = self._action(
            self.tr("&Filter Segments"), self._focus_filter, "Ctrl+Shift+F"
        )
        self.show_marks_action = self._action(
            self.tr("Show &Direction Marks"), self._on_show_marks, "Ctrl+Shift+M"
        )
        self.show_marks_action.setCheckable(True)
        self.zoom_in_action = self._action(self.tr("Zoom &In"), lambda: self.zoom(1), "Ctrl++")
        self.zoom_in_action.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        self.zoom_out_action = self._action(self.tr("Zoom &Out"), lambda: self.zoom(-1), "Ctrl+-")
        self.zoom_reset_action = self._action(
            self.tr("&Reset Zoom"), lambda: self.zoom(0), "Ctrl+0"
        )
        self.shortcuts_action = self._action(
            self.tr("&Keyboard Shortcuts"), self.show_shortcuts, "F1"
        )
        self.about_action = self._action(self.tr("&About translator"), self._about)
        self.glossary = GlossaryActions(self)
        # Actions the translation field must not swallow.
        self.editor_actions = [
            self.undo_action,
            self.redo_action,
            self.copy_source_action,
            self.confirm_action,
            self.next_action,
            self.previous_action,
            self.goto_action,
            self.split_action,
            self.merge_action,
            self.history_action,
            self.find_action,
            self.replace_action,
            self.zoom_in_action,
            self.zoom_out_action,
            self.zoom_reset_action,
            self.concordance_action,
            self.reject_action,
            *self.insert_match_actions,
            *self.glossary.editor_actions,
        ]
        # Typing not yet saved as a draft can be undone too (undo saves it first).
        self.editor.undo_stack.canUndoChanged.connect(self._update_undo)
        self.editor.target_edit.textChanged.connect(self._update_undo)
        self.editor.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        menus: dict[str, list[QAction | None]] = {
            self.tr("&File"): [
                self.new_workspace_action,
                self.open_workspace_action,
                None,
                self.import_action,
                self.export_action,
                self.delete_action,
                self.rules_action,
                None,
                self.tm_import_action,
                self.tm_export_action,
                self.tm_list_action,
                None,
                self.quit_action,
            ],
            self.tr("&Edit"): [
                self.undo_action,
                self.redo_action,
                None,
                self.copy_source_action,
                None,
                self.find_action,
                self.replace_action,
                None,
                self.keep_marks_action,
            ],
            self.tr("&Segment"): [
                self.confirm_action,
                self.next_action,
                self.previous_action,
                self.goto_action,
                None,
                self.split_action,
                self.merge_action,
                None,
                self.history_action,
            ],
            self.tr("&Memory"): [
                *self.insert_match_actions,
                None,
                self.concordance_action,
                self.pretranslate_action,
                self.propagate_action,
                self.match_settings_action,
            ],
            self.tr("&Glossary"): self.glossary.menu_actions,
            self.tr("&Review"): [
                self.review_mode_action,
                self.reject_action,
                self.check_action,
                None,
                self.attach_reference_action,
                self.score_action,
            ],
            self.tr("&View"): [
                self.filter_action,
                self.show_marks_action,
                None,
                self.zoom_in_action,
                self.zoom_out_action,
                self.zoom_reset_action,
            ],
            self.tr("&Help"): [self.shortcuts_action, self.about_action],
        }
        for title, actions in menus.items():
            menu = bar.addMenu(title)
            for action in actions:
                if action is None:
                    menu.addSeparator()
                else:
                    menu.addAction(action)

    def _show_message(self, text: str) -> None:
        self.statusBar().setToolTip("")
        self.statusBar().showMessage(text, 6000)

    def _show_warning(self, text: str) -> None:
        """What the checks found stays in the status bar until the next confirm (or other
        message), the whole of it in the tooltip when the bar is too narrow."""
        self.statusBar().setToolTip(text)
        self.statusBar().showMessage(text)

    def _update_undo(self, *_args: object) -> None:
        self.undo_action.setEnabled(self.editor.can_undo())

    @property
    def all_actions(self) -> list[QAction]:
        return [a for a in self.actions() if isinstance(a, QAction)]

    # -- documents ----------------------------------------------------------------------

    def refresh(self) -> None:
        docs = documents.list_documents(self.workspace)
        current = self.editor.summary.id if self.editor.summary else None
        self.table.selectionModel().blockSignals(True)
        self.model.set_rows(docs)
        for row, doc in enumerate(docs):
            if doc.id == current:
                self.table.selectRow(row)
        self.table.selectionModel().blockSignals(False)
        self._update_status()

    def _update_status(self) -> None:
        if self.editor.summary is not None:
            self.status_label.setText(self.editor.progress_text())
            return
        docs = [self.model.row_at(r) for r in range(self.model.rowCount())]
        total = sum(d.segments for d in docs)
        done = sum(d.translated for d in docs)
        self.status_label.setText(
            self.tr("{0} documents, {1} of {2} segments translated").format(len(docs), done, total)
        )

    def _on_editor_changed(self) -> None:
        self._update_status()
        self._list_timer.start()

    def _on_document_activated(self, index: QModelIndex, *_args: object) -> None:
        if not index.isValid():
            return
        doc = self.model.row_at(index.row())
        if self.editor.summary is not None and self.editor.summary.id == doc.id:
            return
        self.open_document(doc.id)

    def open_document(self, ref: int | str) -> bool:
        try:
            self.editor.open_document(ref)
        except TranslatorError as exc:
            QMessageBox.warning(self, self.tr("Cannot open document"), str(exc))
            return False
        summary = self.editor.summary
        assert summary is not None
        self.setWindowTitle(
            self.tr("{0} — translator — {1}").format(summary.name, self.workspace.display_name)
        )
        self.refresh()
        return True

    def import_file(self, path: str) -> bool:
        """Import one article off the GUI thread; errors are shown in a dialog."""
        try:
            summary = run_with_progress(
                self,
                self.tr("Importing {0}…").format(Path(path).name),
                lambda progress: documents.import_document(
                    self.workspace, path, progress=progress, rule_files=rule_files(self.settings)
                ),
            )
        except TranslatorError as exc:
            QMessageBox.warning(self, self.tr("Import failed"), str(exc))
            return False
        if summary is None:
            self.statusBar().showMessage(self.tr("Import cancelled; nothing was added"), 6000)
            return False
        self.refresh()
        self.statusBar().showMessage(
            self.tr("Imported {0}: {1} segments").format(summary.name, summary.segments), 6000
        )
        self.open_document(summary.id)
        return True

    def export_file(self, path: str) -> bool:
        if self.editor.summary is None:
            return False
        self.editor.flush()
        doc_id = self.editor.summary.id
        suffix = Path(path).suffix.lower().lstrip(".")
        fmt = suffix if suffix in ("docx", "po", "tmx") else "txt"
        try:
            result = run_with_progress(
                self,
                self.tr("Exporting {0}…").format(Path(path).name),
                lambda _progress: documents.export_document(
                    self.workspace, doc_id, path, format=fmt
                ),
            )
        except TranslatorError as exc:
            QMessageBox.warning(self, self.tr("Export failed"), str(exc))
            return False
        if result is None:
            return False
        self.statusBar().showMessage(self.tr("Exported {0}").format(path), 8000)
        if result.warnings:  # too much for the status bar, and worth a look
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                self.tr("Exported with Warnings"),
                self.tr("Exported {0}, but:").format(Path(path).name),
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setInformativeText("\n".join(f"• {w}" for w in result.warnings))
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            self.export_warning = box
        return True

    def _on_import_triggered(self) -> None:
        patterns = " ".join(f"*{ext}" for ext in SUPPORTED_IMPORT_EXTENSIONS)
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import Article"),
            str(self.settings.value("last_import_dir", "")),
            self.tr("Articles and PO files ({0});;All files (*)").format(patterns),
        )
        if path:
            self.settings.setValue("last_import_dir", str(Path(path).parent))
            self.import_file(path)

    def _on_export_triggered(self) -> None:
        if self.editor.summary is None:
            self.statusBar().showMessage(self.tr("Open a document to export it"), 5000)
            return
        suggested = Path(str(self.settings.value("last_export_dir", Path.home())))
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export Translation"),
            str(suggested / f"{self.editor.summary.name}.{self.editor.summary.target_lang}.txt"),
            self.tr(
                "Plain text (*.txt);;Word document (*.docx);;PO file (*.po);;"
                "Translation memory of this document (*.tmx)"
            ),
        )
        if path:
            self.settings.setValue("last_export_dir", str(Path(path).parent))
            self.export_file(path)

    def _on_delete(self) -> None:
        if self.editor.summary is None:
            return
        name = self.editor.summary.name
        answer = QMessageBox.question(
            self,
            self.tr("Delete Document"),
            self.tr("Delete “{0}” and all its translations from this workspace?").format(name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        doc_id = self.editor.summary.id
        self.editor.close_document()
        documents.delete_document(self.workspace, doc_id)
        self.refresh()

    # -- translation memory -------------------------------------------------------------

    def import_memory_file(self, path: str) -> MemoryImport | None:
        """Import a TMX memory off the GUI thread; the report is shown in a dialog."""
        try:
            report = run_with_progress(
                self,
                self.tr("Importing memory {0}…").format(Path(path).name),
                lambda progress: memory.import_memory(self.workspace, path, progress=progress),
            )
        except TranslatorError as exc:
            QMessageBox.warning(self, self.tr("Memory import failed"), str(exc))
            return None
        if report is None:
            self.statusBar().showMessage(self.tr("Import cancelled; nothing was added"), 6000)
            return None
        self.last_report = ImportReportDialog(report, self)
        self.last_report.open()
        return report

    def export_memory_file(self, path: str) -> int | None:
        self.editor.flush()
        try:
            count = run_with_progress(
                self,
                self.tr("Exporting memory to {0}…").format(Path(path).name),
                lambda progress: memory.export_memory(self.workspace, path, progress=progress),
            )
        except TranslatorError as exc:
            QMessageBox.warning(self, self.tr("Memory export failed"), str(exc))
            return None
        if count is not None:
            self.statusBar().showMessage(
                self.tr("Wrote {0} units to {1}").format(count, path), 8000
            )
        return count

    def _on_tm_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import Translation Memory"),
            str(self.settings.value("last_tm_dir", "")),
            self.tr("TMX memories (*.tmx);;All files (*)"),
        )
        if path:
            self.settings.setValue("last_tm_dir", str(Path(path).parent))
            self.import_memory_file(path)

    def _on_tm_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export Translation Memory"),
            str(Path(str(self.settings.value("last_tm_dir", Path.home()))) / "memory.tmx"),
            self.tr("TMX memories (*.tmx)"),
        )
        if path:
            self.settings.setValue("last_tm_dir", str(Path(path).parent))
            self.export_memory_file(path)

    def show_memories(self) -> None:
        MemoriesDialog(self.workspace, self).exec()

    def pretranslate_dialog(self) -> None:
        if self.editor.summary is None:
            self.statusBar().showMessage(self.tr("Open a document to pre-translate it"), 5000)
            return
        minimum, ok = QInputDialog.getInt(
            self,
            self.tr("Pre-translate from Memory"),
            self.tr("Fill untranslated segments with memory matches of at least (%):"),
            100,
            50,
            100,
        )
        if ok:
            self.pretranslate(minimum)

    def pretranslate(self, minimum: float) -> int | None:
        """Fill the open document's untranslated segments from the memory, off the GUI thread."""
        self.editor.flush()
        try:
            result = run_with_progress(
                self,
                self.tr("Pre-translating…"),
                lambda progress: self.editor.pretranslate(minimum, progress),
            )
        except TranslatorError as exc:
            QMessageBox.warning(self, self.tr("Pre-translation failed"), str(exc))
            return None
        if result is None:
            self.statusBar().showMessage(self.tr("Pre-translation cancelled; nothing changed"))
            return None
        current = self.editor.current_segment
        self.editor.reload(current.n if current else None)
        self.statusBar().showMessage(
            self.tr("{0} of {1} untranslated segments filled from the memory ({2} exact)").format(
                result.filled, result.considered, result.exact
            ),
            8000,
        )
        return result.filled

    def match_settings_dialog(self) -> None:
        panel = self.editor.matches
        minimum, ok = QInputDialog.getInt(
            self,
            self.tr("Match Settings"),
            self.tr("Lowest match to show (%):"),
            int(panel.min_score),
            30,
            100,
        )
        if not ok:
            return
        count, ok = QInputDialog.getInt(
            self, self.tr("Match Settings"), self.tr("Matches to show:"), panel.limit, 1, 20
        )
        if ok:
            self._set_match_settings(minimum, count)

    def _set_match_settings(self, minimum: float, count: int) -> None:
        panel = self.editor.matches
        panel.min_score, panel.limit = float(minimum), int(count)
        self.settings.setValue("match_min_score", panel.min_score)
        self.settings.setValue("match_limit", panel.limit)
        current = self.editor.current_segment
        if current is not None:
            panel.lookup(current.source)

    def _on_propagate(self, checked: bool) -> None:
        self.editor.propagate = checked
        self.settings.setValue("propagate", checked)

    def _focus_concordance(self) -> None:
        panel = self.editor.matches
        panel.setCurrentIndex(1)
        selected = self.editor.source_view.textCursor().selectedText()
        if selected:
            panel.concordance_input.setText(selected)
        panel.concordance_input.setFocus()
        panel.concordance_input.selectAll()

    # -- review ---------------------------------------------------------------------------

    def _on_review_mode(self, checked: bool) -> None:
        self.editor.set_review_mode(checked)
        self.statusBar().showMessage(
            self.tr("Review mode: Ctrl+Enter approves, Ctrl+Shift+J rejects")
            if checked
            else self.tr("Translation mode"),
            6000,
        )

    def check_dialog(self) -> CheckDialog | None:
        """What looks wrong in the open document's translations: numbers, questions,
        brackets, Arabic left in, spaces, glossary terms."""
        summary = self.editor.summary
        if summary is None:
            self.statusBar().showMessage(self.tr("Open a document to check it"), 5000)
            return None
        self.editor.flush()
        dialog = CheckDialog(self.workspace, summary.id, self.editor.go_to_segment, self)
        dialog.show()
        self.check_window = dialog
        return dialog

    def show_history(self) -> None:
        """Every change of the current segment, with who, when and why."""
        self.editor.flush()
        segment = self.editor.current_segment
        if segment is None:
            self.statusBar().showMessage(self.tr("Open a document first"), 5000)
            return
        try:
            history = segment_service.segment_history(self.workspace, segment.id)
        except TranslatorError as exc:
            QMessageBox.warning(self, self.tr("Segment History"), str(exc))
            return
        SegmentHistoryDialog(segment, history, self.editor.model.status_name, self).exec()

    def reject_dialog(self) -> None:
        segment = self.editor.current_segment
        if segment is None:
            return
        comment, ok = QInputDialog.getText(
            self,
            self.tr("Reject Segment {0}").format(segment.n),
            self.tr("Why? (the translator sees this as the segment's note)"),
        )
        if ok and comment.strip():
            self.editor.reject_current(comment)

    def attach_reference_dialog(self) -> None:
        summary = self.editor.summary
        if summary is None:
            self.statusBar().showMessage(self.tr("Open a document first"), 5000)
            return
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Attach Reference Translation"),
            "",
            self.tr("Text files (*.txt);;All files (*)"),
        )
        if not path:
            return
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("Reference Translation"))
        box.setText(self.tr("How is this file laid out?"))
        lines = box.addButton(self.tr("One Line per Segment"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Published Article (Split It)"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() not in box.buttons()[:2]:
            return
        self.attach_reference(path, published=box.clickedButton() is not lines)

    def attach_reference(self, path: str, *, published: bool) -> bool:
        summary = self.editor.summary
        assert summary is not None
        try:  # checking the alignment of a long document takes seconds: off the GUI thread
            reference = run_with_progress(
                self,
                self.tr("Checking {0} against the segments…").format(Path(path).name),
                lambda progress: review_service.attach_reference(
                    self.workspace, summary.id, path, published=published, progress=progress
                ),
            )
        except TranslatorError as exc:
            QMessageBox.warning(self, self.tr("Reference not attached"), str(exc))
            return False
        if reference is None:
            return False  # cancelled: nothing stored
        self.statusBar().showMessage(
            self.tr("Reference “{0}” attached").format(reference.name), 6000
        )
        return True

    def score_dialog(self) -> None:
        summary = self.editor.summary
        if summary is None:
            self.statusBar().showMessage(self.tr("Open a document first"), 5000)
            return
        references = review_service.list_references(self.workspace, summary.id)
        draft = self.tr("The translator's draft against the reviewed text")
        choices = [self.tr("Reference: {0}").format(r.name) for r in references] + [draft]
        choice, ok = QInputDialog.getItem(
            self, self.tr("Score Document"), self.tr("Score:"), choices, 0, False
        )
        if not ok:
            return
        index = choices.index(choice)
        if index < len(references):
            self.score(reference=references[index].name)
        else:
            self.score(against="draft")

    def score(self, *, reference: str | None = None, against: str | None = None) -> object:
        """Score the open document off the GUI thread and show the scores dialog."""
        summary = self.editor.summary
        assert summary is not None
        self.editor.flush()
        try:
            result = run_with_progress(
                self,
                self.tr("Scoring {0}…").format(summary.name),
                lambda progress: review_service.score_document(
                    self.workspace,
                    summary.id,
                    reference=reference,
                    against=against,
                    progress=progress,
                ),
            )
        except TranslatorError as exc:
            QMessageBox.warning(self, self.tr("Cannot score"), str(exc))
            return None
        if result is None:
            return None
        history = review_service.list_scores(self.workspace, summary.id)
        self.score_window = ScoreDialog(self.workspace, result, history, self)
        self.score_window.go_to_segment.connect(self.editor.go_to_segment)
        self.score_window.show()
        return result

    # -- drag and drop ------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and all(u.isLocalFile() for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            path = url.toLocalFile()
            suffix = Path(path).suffix.lower()
            if suffix == ".tmx":
                self.import_memory_file(path)
            elif suffix in (".tbx", ".csv", ".tsv"):
                self.glossary.import_file(path)
            else:
                self.import_file(path)
        event.acceptProposedAction()

    # -- workspaces ---------------------------------------------------------------------

    def new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("New Workspace"), "", self.tr("Workspaces (*.sqlite)")
        )
        if path:
            self._switch_workspace(path)

    def open_workspace_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open Workspace"), "", self.tr("Workspaces (*.sqlite);;All files (*)")
        )
        if path:
            self._switch_workspace(path)

    def _switch_workspace(self, path: str) -> None:
        from translator.storage.database import open_workspace

        try:
            workspace = open_workspace(path)
        except TranslatorError as exc:
            QMessageBox.warning(self, self.tr("Cannot open workspace"), str(exc))
            return
        self.editor.close_document()
        self.workspace.close()
        self.workspace = workspace
        self.editor.workspace = workspace
        self.editor.matches.set_workspace(workspace)
        self.editor.terms.set_workspace(workspace)
        self.settings.setValue("last_workspace", path)
        self.setWindowTitle(self.tr("translator — {0}").format(workspace.display_name))
        self.refresh()

    # -- view ---------------------------------------------------------------------------

    def go_to_dialog(self) -> None:
        total = len(self.editor.model.segments)
        if not total:
            return
        current = self.editor.current_segment
        n, ok = QInputDialog.getInt(
            self,
            self.tr("Go to Segment"),
            self.tr("Segment number (1–{0}):").format(total),
            current.n if current else 1,
            1,
            total,
        )
        if ok:
            self.editor.go_to_segment(n)

    def _focus_filter(self) -> None:
        self.editor.text_filter.setFocus()
        self.editor.text_filter.selectAll()

    def _on_show_marks(self, checked: bool) -> None:
        self.editor.set_show_marks(checked)

    def _on_keep_marks(self, checked: bool) -> None:
        self.editor.target_edit.keep_marks = checked

    def zoom(self, step: int) -> None:
        size = self._font_size()
        size = DEFAULT_POINT_SIZE if step == 0 else max(7, min(40, size + step))
        self.settings.setValue("font_size", size)
        self._apply_font_size(size)

    def _font_size(self) -> int:
        try:
            return int(str(self.settings.value("font_size", DEFAULT_POINT_SIZE)))
        except ValueError:
            return DEFAULT_POINT_SIZE

    def _apply_font_size(self, size: int) -> None:
        for widget in (self.editor.table, self.editor.source_view, self.editor.target_edit):
            font = QFont(widget.font())
            font.setPointSize(size)
            widget.setFont(font)
        self.editor._invalidate_heights()

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.all_actions, self).exec()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About translator"),
            self.tr("translator {0}\nA translation editor for Arabic news articles.").format(
                __version__
            ),
        )

    # -- settings -----------------------------------------------------------------------

    def _restore_settings(self) -> None:
        s = self.settings
        for key, restore in (
            ("geometry", self.restoreGeometry),
            ("window_state", self.restoreState),
            ("splitter", self.splitter.restoreState),
            ("editor_splitter", self.editor.splitter.restoreState),
            ("grid_header", self.editor.table.horizontalHeader().restoreState),
        ):
            value = s.value(key)
            if isinstance(value, QByteArray):
                restore(value)
        self._apply_font_size(self._font_size())
        try:
            minimum = float(str(s.value("match_min_score", 70)))
            count = int(str(s.value("match_limit", 5)))
        except ValueError:
            minimum, count = 70.0, 5
        self.editor.matches.min_score, self.editor.matches.limit = minimum, count
        propagate = str(s.value("propagate", "true")).lower() in ("true", "1")
        self.propagate_action.setChecked(propagate)
        self.editor.propagate = propagate

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("geometry", self.saveGeometry())
        s.setValue("window_state", self.saveState())
        s.setValue("splitter", self.splitter.saveState())
        s.setValue("editor_splitter", self.editor.splitter.saveState())
        s.setValue("grid_header", self.editor.table.horizontalHeader().saveState())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.editor.shutdown()
        self._list_timer.stop()
        self.save_settings()
        super().closeEvent(event)
