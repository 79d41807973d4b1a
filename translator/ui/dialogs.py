"""Small dialogs: Find and Replace, keyboard shortcuts, segmentation rules, a segment's
history."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from translator.domain import HistoryEntry, Segment, Status
from translator.errors import TranslatorError
from translator.text.segmentation import load_rule_file
from translator.ui.views.editor import DocumentEditor


class FindReplaceDialog(QDialog):
    """Find (Ctrl+F) and Replace (Ctrl+H) over the source and/or target of the document."""

    def __init__(self, editor: DocumentEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.setWindowTitle(self.tr("Find and Replace"))
        self.find_text = QLineEdit(self)
        self.replace_text = QLineEdit(self)
        self.in_source = QCheckBox(self.tr("In &source"), self)
        self.in_target = QCheckBox(self.tr("In &target"), self)
        self.in_source.setChecked(True)
        self.in_target.setChecked(True)
        self.case_sensitive = QCheckBox(self.tr("Match &case"), self)
        self.regex = QCheckBox(self.tr("Regular e&xpression"), self)
        self.status_line = QLabel(self)
        form = self.form = QFormLayout()
        form.addRow(self.tr("Find:"), self.find_text)
        form.addRow(self.tr("Replace with:"), self.replace_text)
        options = QHBoxLayout()
        for box in (self.in_source, self.in_target, self.case_sensitive, self.regex):
            options.addWidget(box)
        buttons = QDialogButtonBox(self)
        self.next_button = QPushButton(self.tr("Find &Next"), self)
        self.previous_button = QPushButton(self.tr("Find &Previous"), self)
        self.replace_button = QPushButton(self.tr("&Replace"), self)
        self.replace_all_button = QPushButton(self.tr("Replace &All"), self)
        for button in (
            self.next_button,
            self.previous_button,
            self.replace_button,
            self.replace_all_button,
        ):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close).clicked.connect(self.close)
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(lambda: self.search(forward=True))
        self.previous_button.clicked.connect(lambda: self.search(forward=False))
        self.replace_button.clicked.connect(self.replace)
        self.replace_all_button.clicked.connect(self.replace_all)
        editor.message.connect(self.status_line.setText)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(options)
        layout.addWidget(self.status_line)
        layout.addWidget(buttons)

    def show_for(self, replace: bool) -> None:
        self.replace_text.setVisible(replace)
        self.replace_button.setVisible(replace)
        self.replace_all_button.setVisible(replace)
        self.form.setRowVisible(1, replace)
        self.setWindowTitle(self.tr("Find and Replace") if replace else self.tr("Find"))
        selected = self.editor.source_view.textCursor().selectedText()
        if selected:
            self.find_text.setText(selected)
        self.status_line.clear()
        self.show()
        self.raise_()
        self.activateWindow()
        self.find_text.setFocus()
        self.find_text.selectAll()

    def search(self, forward: bool = True) -> bool:
        found = self.editor.find_next(
            self.find_text.text(),
            in_source=self.in_source.isChecked(),
            in_target=self.in_target.isChecked(),
            case_sensitive=self.case_sensitive.isChecked(),
            regex=self.regex.isChecked(),
            forward=forward,
        )
        if found:
            self.status_line.setText(
                self.tr("Found in segment {0}").format(
                    self.editor.current_segment.n if self.editor.current_segment else "?"
                )
            )
        return found

    def replace(self) -> None:
        done = self.editor.replace_current(
            self.find_text.text(),
            self.replace_text.text(),
            case_sensitive=self.case_sensitive.isChecked(),
            regex=self.regex.isChecked(),
        )
        if not done:
            self.search(forward=True)

    def replace_all(self) -> None:
        self.editor.replace_all(
            self.find_text.text(),
            self.replace_text.text(),
            case_sensitive=self.case_sensitive.isChecked(),
            regex=self.regex.isChecked(),
        )


class ShortcutsDialog(QDialog):
    """Every action that has a shortcut, as the menus define them (so the list never lies)."""

    def __init__(self, actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        rows = [
            (action.text().replace("&", "").rstrip("…"), action.shortcuts())
            for action in actions
            if action.shortcuts()
        ]
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Shortcut")])
        for row, (name, shortcuts) in enumerate(rows):
            keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in shortcuts)
            self.table.setItem(row, 0, QTableWidgetItem(name))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(460, 520)


class SegmentHistoryDialog(QDialog):
    """Every change of one segment, newest first: when, who, what it did, the translation
    it left and, for a rejection, why."""

    def __init__(
        self,
        segment: Segment,
        history: Sequence[HistoryEntry],
        status_name: Callable[[Status], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("History of Segment {0}").format(segment.n))
        source = QLabel(segment.source, self)
        source.setWordWrap(True)
        source.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
        source.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        actions = {
            "edit": self.tr("edited"),
            "draft": self.tr("typed"),
            "confirm": self.tr("confirmed"),
            "approve": self.tr("approved"),
            "reject": self.tr("rejected"),
            "undo": self.tr("undone"),
            "redo": self.tr("redone"),
            "split": self.tr("split"),
            "merge": self.tr("merged"),
            "replace": self.tr("replaced"),
            "pretranslate": self.tr("from memory"),
            "propagate": self.tr("filled as a repetition"),
            "copy-source": self.tr("source copied"),
            "plural forms": self.tr("plural forms"),
        }
        headers = [self.tr("When"), self.tr("Who"), self.tr("Change"), self.tr("Status")]
        headers += [self.tr("Translation"), self.tr("Why")]
        entries = list(reversed(history))
        self.table = QTableWidget(len(entries), len(headers), self)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for row, entry in enumerate(entries):
            when = entry.changed_at.astimezone().strftime("%Y-%m-%d %H:%M")
            cells = [
                when,
                entry.author or "?",
                actions.get(entry.action, entry.action),
                status_name(entry.status),
                entry.target or "",
                entry.note or "",
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        # Rows as tall as their wrapped text, whatever width the columns end up with.
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        empty = QLabel(self.tr("No change recorded since the document was imported."), self)
        empty.setVisible(not entries)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(source)
        layout.addWidget(empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(860, 420)


def rule_files(settings: QSettings) -> list[str]:
    """The segmentation rule files chosen in the settings (QSettings gives a lone value as a
    string, several as a list)."""
    value = settings.value("segmentation_rules", [])
    if isinstance(value, str):
        return [value] if value else []
    return [str(item) for item in value] if isinstance(value, list) else []


class SegmentationRulesDialog(QDialog):
    """Extra segmentation rule files for the articles imported from now on."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Segmentation Rules"))
        explanation = QLabel(
            self.tr(
                "Rule files (JSON, see docs/segmentation.md) whose rules come before the "
                "built-in ones: your newsroom's abbreviations, or breaks the built-in rules "
                "do not make. They apply to articles imported from now on."
            ),
            self,
        )
        explanation.setWordWrap(True)
        self.files = QListWidget(self)
        self.files.addItems(rule_files(settings))
        add = QPushButton(self.tr("&Add…"), self)
        add.clicked.connect(self._on_add)
        remove = QPushButton(self.tr("&Remove"), self)
        remove.clicked.connect(self.remove_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(add, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(remove, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.files)
        layout.addWidget(buttons)
        self.resize(560, 300)

    def add_file(self, path: str) -> bool:
        """Add a rule file, once it has been read without a fault."""
        try:
            load_rule_file(path)
        except TranslatorError as exc:
            QMessageBox.warning(self, self.tr("Not a usable rule file"), str(exc))
            return False
        if path not in rule_files(self.settings):
            self.files.addItem(path)
            self._save()
        return True

    def remove_selected(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self._save()

    def _on_add(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Add Segmentation Rules"), "", self.tr("Rule files (*.json)")
        )
        if path:
            self.add_file(path)

    def _save(self) -> None:
        paths = [self.files.item(row).text() for row in range(self.files.count())]
        self.settings.setValue("segmentation_rules", paths)
