"""The side-by-side editor: the segment grid above, the editing pane for one segment below.

Why a pane rather than editing in the grid: the grid stays a fast, read-only view over
100,000 rows, and the pane gives the current segment a real text field with its own
direction, zoom, paste rules and room for long sentences (the memoQ/Trados layout).
Every change goes through a service and an undo command; the grid only displays.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QResizeEvent, QTextCursor, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTableView,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from translator.domain import DocumentSummary, Segment, Status, without_rejection
from translator.errors import ConflictError, TranslatorError
from translator.services import documents as document_service
from translator.services import matching, po_plurals
from translator.services import review as review_service
from translator.services import segments as segment_service
from translator.services.checks import segment_findings
from translator.services.documents import count_words
from translator.services.progress import Progress
from translator.storage.database import Workspace
from translator.text.bidi import is_rtl, show_bidi_controls
from translator.ui.delegates import SegmentDelegate
from translator.ui.models.segments import NUMBER, SOURCE, STATUS, TARGET, SegmentTableModel
from translator.ui.review import word_diff_html
from translator.ui.undo import EditSegmentCommand, RestoreCommand, StructureCommand
from translator.ui.views.matches import MatchesPanel
from translator.ui.views.plurals import PluralFormsBox
from translator.ui.views.target_edit import TargetEdit, set_direction, set_show_marks
from translator.ui.views.terms import TermsPanel

# After these a glossary term is inserted without a space in between.
_OPENING = "([{«“‘\"'/-\u200f\u200e"

# A draft is written at most this long after a keystroke, so a crash loses at most this.
DRAFT_DELAY_MS = 700

# Marked for pyside6-lupdate; translated when the combo box is filled.
STATUS_FILTERS: tuple[tuple[str, Callable[[Segment], bool]], ...] = (
    (str(QT_TRANSLATE_NOOP("DocumentEditor", "All segments")), lambda _s: True),
    (
        str(QT_TRANSLATE_NOOP("DocumentEditor", "Not confirmed")),
        lambda s: not s.status.is_confirmed,
    ),
    (str(QT_TRANSLATE_NOOP("DocumentEditor", "Rejected")), lambda s: s.rejection is not None),
    (str(QT_TRANSLATE_NOOP("DocumentEditor", "New")), lambda s: s.status is Status.NEW),
    (str(QT_TRANSLATE_NOOP("DocumentEditor", "Draft")), lambda s: s.status is Status.DRAFT),
    (
        str(QT_TRANSLATE_NOOP("DocumentEditor", "From memory")),
        lambda s: s.status is Status.PRETRANSLATED,
    ),
    (
        str(QT_TRANSLATE_NOOP("DocumentEditor", "Translated")),
        lambda s: s.status is Status.TRANSLATED,
    ),
    (str(QT_TRANSLATE_NOOP("DocumentEditor", "Reviewed")), lambda s: s.status is Status.REVIEWED),
    (str(QT_TRANSLATE_NOOP("DocumentEditor", "Approved")), lambda s: s.status is Status.APPROVED),
)


class DocumentEditor(QWidget):
    """Edits one document at a time; ``changed`` fires after every saved change."""

    changed = Signal()
    message = Signal(str)
    warned = Signal(str)  # what the checks found in a confirmed segment: stays until the next

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.summary: DocumentSummary | None = None
        self.undo_stack = QUndoStack(self)
        self._loading = False
        self._dirty = False
        self._current_id: int | None = None
        self._words: dict[int, int] = {}
        self._total_words = 0
        self._confirmed = 0
        self._words_confirmed = 0
        self._fitted: set[int] = set()
        self._reveal_row: int | None = None
        self._plurals_for: int | None = None  # the segment whose plural forms are shown
        self.propagate = True  # fill the other repetitions of a confirmed sentence
        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_DELAY_MS)
        self.draft_timer.timeout.connect(self.save_draft)
        self._plural_timer = QTimer(self)
        self._plural_timer.setSingleShot(True)
        self._plural_timer.setInterval(DRAFT_DELAY_MS)
        self._plural_timer.timeout.connect(self.save_plurals)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_visible_rows)
        self._build()

    # -- layout -------------------------------------------------------------------------

    def _build(self) -> None:
        self.status_filter = QComboBox(self)
        for label, _ in STATUS_FILTERS:
            self.status_filter.addItem(self.tr(label))
        self.text_filter = QLineEdit(self)
        self.text_filter.setPlaceholderText(self.tr("Filter by text in source or target"))
        self.text_filter.setClearButtonEnabled(True)
        self.status_filter.currentIndexChanged.connect(self._apply_filter)
        self.text_filter.textChanged.connect(self._apply_filter)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Show:"), self))
        filters.addWidget(self.status_filter)
        filters.addWidget(self.text_filter, 1)

        self.model = SegmentTableModel(self)
        self.delegate = SegmentDelegate(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setItemDelegate(self.delegate)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NUMBER, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SOURCE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TARGET, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(NUMBER, 48)
        header.resizeSection(STATUS, 90)
        header.sectionResized.connect(self._invalidate_heights)
        self.table.verticalScrollBar().valueChanged.connect(self._fit_timer.start)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.model.modelReset.connect(self._invalidate_heights)
        self.model.dataChanged.connect(self._on_data_changed)

        self.source_view = QPlainTextEdit(self)
        self.source_view.setReadOnly(True)
        self.source_view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.source_view.setAccessibleName(self.tr("Source text"))
        self.target_edit = TargetEdit(self)
        self.target_edit.setAccessibleName(self.tr("Translation"))
        self.target_edit.setPlaceholderText(self.tr("Type the translation here"))
        self.target_edit.textChanged.connect(self._on_text_changed)
        self.segment_label = QLabel(self)
        # The segment's note: a reviewer's rejection (the translator must see why), a PO
        # file's translator comment.
        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)
        self.note_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_label.setAccessibleName(self.tr("Note"))
        self.note_label.hide()
        self.review_view = QTextBrowser(self)
        self.review_view.setMaximumHeight(90)
        self.review_view.setAccessibleName(self.tr("What the review changed"))
        self.review_view.hide()
        self.review_mode = False
        self._drafts: dict[int, str] = {}
        pane = QWidget(self)
        pane_layout = QVBoxLayout(pane)
        pane_layout.setContentsMargins(0, 0, 0, 0)
        pane_layout.addWidget(self.segment_label)
        pane_layout.addWidget(self.note_label)
        pane_layout.addWidget(self.review_view)
        self.plurals = PluralFormsBox(pane)
        self.plurals.edited.connect(self._plural_timer.start)
        self.target_side = QWidget(pane)  # the translation, and a PO message's other plurals
        target_layout = QVBoxLayout(self.target_side)
        target_layout.setContentsMargins(0, 0, 0, 0)
        target_layout.addWidget(self.target_edit, 1)
        # Six Arabic forms need room: they scroll rather than squeeze.
        self.plurals_area = QScrollArea(self.target_side)
        self.plurals_area.setWidget(self.plurals)
        self.plurals_area.setWidgetResizable(True)
        self.plurals_area.setFrameShape(QFrame.Shape.NoFrame)
        self.plurals_area.hide()
        target_layout.addWidget(self.plurals_area)
        fields = QSplitter(Qt.Orientation.Horizontal, pane)
        fields.addWidget(self.target_side)
        fields.addWidget(self.source_view)
        fields.setChildrenCollapsible(False)
        self.fields_splitter = fields
        # Tab from the translation goes to its source (to select a term there), then on.
        QWidget.setTabOrder(self.target_edit, self.source_view)
        self.matches = MatchesPanel(self.workspace, pane)
        self.matches.insert_requested.connect(self.insert_text)
        self.terms = TermsPanel(self.workspace, pane)
        self.terms.insert_requested.connect(self.insert_term)
        self.terms.hits_changed.connect(self._highlight_terms)
        self.helpers_splitter = QSplitter(Qt.Orientation.Horizontal, pane)
        self.helpers_splitter.addWidget(self.matches)
        self.helpers_splitter.addWidget(self.terms)
        self.helpers_splitter.setChildrenCollapsible(False)
        self.helpers_splitter.setStretchFactor(0, 3)
        self.helpers_splitter.setStretchFactor(1, 2)
        self.pane_splitter = QSplitter(Qt.Orientation.Vertical, pane)
        self.pane_splitter.addWidget(fields)
        self.pane_splitter.addWidget(self.helpers_splitter)
        self.pane_splitter.setChildrenCollapsible(False)
        self.pane_splitter.setStretchFactor(0, 1)
        self.pane_splitter.setStretchFactor(1, 1)
        pane_layout.addWidget(self.pane_splitter, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        grid = QWidget(self)
        grid_layout = QVBoxLayout(grid)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        grid_layout.addLayout(filters)
        grid_layout.addWidget(self.table, 1)
        self.splitter.addWidget(grid)
        self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.setEnabled(False)

    def _order_fields(self, source_rtl: bool) -> None:
        """Source on the right for a right-to-left source, as the reader's eye expects."""
        first = self.target_side if source_rtl else self.source_view
        self.fields_splitter.insertWidget(0, first)
        table_header = self.table.horizontalHeader()
        if source_rtl:
            table_header.moveSection(table_header.visualIndex(TARGET), SOURCE)
        else:
            table_header.moveSection(table_header.visualIndex(SOURCE), SOURCE)

    # -- opening ------------------------------------------------------------------------

    def open_document(self, ref: int | str) -> None:
        self.flush()
        summary = document_service.find_document(self.workspace, ref)
        segments = segment_service.load_segments(self.workspace, summary.id)
        self.undo_stack.clear()
        self.summary = summary
        source_rtl, target_rtl = is_rtl(summary.source_lang), is_rtl(summary.target_lang)
        self.delegate.set_directions(source_rtl, target_rtl)
        set_direction(self.source_view, source_rtl)
        set_direction(self.target_edit, target_rtl)
        self._order_fields(source_rtl)
        self.matches.set_workspace(self.workspace)
        self.matches.set_languages(summary.source_lang, summary.target_lang)
        self.terms.set_workspace(self.workspace)
        self.terms.set_languages(summary.source_lang, summary.target_lang)
        self._current_id = None
        self._count(segments)
        self.model.set_segments(segments)
        self.setEnabled(True)
        first = segment_service.next_unconfirmed(segments, 0) if segments else None
        if first is not None:
            self.go_to_segment(first.n)
        elif segments:
            self.go_to_segment(1)
        self.changed.emit()

    def close_document(self) -> None:
        self.flush()
        self.summary = None
        self._current_id = None
        self.undo_stack.clear()
        self.model.set_segments([])
        self._load_pane(None)
        self.setEnabled(False)

    def _count(self, segments: Sequence[Segment]) -> None:
        """Words per segment and the progress counts; kept up to date by ``apply``."""
        self._words = {s.id: count_words(s.source) for s in segments}
        self._total_words = sum(self._words.values())
        confirmed = [s for s in segments if s.status.is_confirmed]
        self._confirmed = len(confirmed)
        self._words_confirmed = sum(self._words.get(s.id, 0) for s in confirmed)

    # -- what commands need (EditorContext) ---------------------------------------------

    def current(self, segment_id: int) -> Segment:
        segment = self.model.segment_by_id(segment_id)
        return segment or segment_service.get_segment(self.workspace, segment_id)

    def apply(self, changed: Sequence[Segment], focus: int | None = None) -> None:
        """Show segments just saved; move to ``focus`` when given."""
        for segment in changed:
            old = self.model.segment_by_id(segment.id)
            if old is not None and old.status.is_confirmed != segment.status.is_confirmed:
                sign = 1 if segment.status.is_confirmed else -1
                self._confirmed += sign
                self._words_confirmed += sign * self._words.get(segment.id, 0)
            self.model.replace_segment(segment)
            if segment.id == self._current_id and focus is None:
                self._load_pane(segment)
        if focus is not None:
            self._select_id(focus)
            if focus == self._current_id:
                self._load_pane(self.current_segment)
        self.changed.emit()

    def reload(self, focus_n: int | None = None) -> None:
        """Reload every segment (after a split or merge renumbered them)."""
        if self.summary is None:
            return
        segments = segment_service.load_segments(self.workspace, self.summary.id)
        self._count(segments)
        self._current_id = None
        self.model.replace_all(segments)
        if focus_n is not None:
            self.go_to_segment(focus_n)
        self.changed.emit()

    def report(self, error: TranslatorError) -> None:
        QMessageBox.warning(self, self.tr("Not changed"), str(error))
        if self.summary is not None:
            self.reload(self.current_segment.n if self.current_segment else None)

    # -- the current segment ------------------------------------------------------------

    @property
    def current_segment(self) -> Segment | None:
        return None if self._current_id is None else self.model.segment_by_id(self._current_id)

    def progress_text(self) -> str:
        if self.summary is None:
            return ""
        total = len(self.model.segments)
        words = self._total_words
        current = self.current_segment
        where = self.tr("Segment {0} of {1}").format(current.n, total) if current else ""
        pct = 100 * self._confirmed / total if total else 0.0
        wpct = 100 * self._words_confirmed / words if words else 0.0
        return self.tr("{0}  ·  {1}/{2} segments ({3:.0f}%)  ·  {4}/{5} words ({6:.0f}%)").format(
            where, self._confirmed, total, pct, self._words_confirmed, words, wpct
        )

    def _select_id(self, segment_id: int) -> None:
        row = self.model.row_of(segment_id)
        if row is None:
            return
        index = self.model.index(row, SOURCE)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        self._reveal_row = row  # again once the rows are measured: the row may grow

    def go_to_segment(self, n: int) -> bool:
        """Select segment number ``n``; clears a filter that hides it."""
        segments = self.model.segments
        if not 1 <= n <= len(segments):
            return False
        segment = segments[n - 1]
        if self.model.row_of(segment.id) is None:
            self.status_filter.setCurrentIndex(0)
            self.text_filter.clear()
        self._select_id(segment.id)
        self.target_edit.setFocus()
        return True

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.flush()
        segment = self.model.segment_at(current.row()) if current.isValid() else None
        self._current_id = segment.id if segment else None
        self._load_pane(segment)
        self.matches.lookup(segment.source if segment else "")
        self.lookup_terms()
        self._fit_timer.start()
        self.changed.emit()

    def _load_pane(self, segment: Segment | None) -> None:
        self._loading = True
        try:
            if segment is None:
                self.source_view.setPlainText("")
                self.target_edit.setPlainText("")
                self.segment_label.setText("")
                self._show_note(None)
                self.plurals.show_forms(None, False)
                self.plurals_area.hide()
                self._plurals_for = None
                return
            source = segment.source
            if self.model.show_marks:
                source = show_bidi_controls(source)
            if self.source_view.toPlainText() != source:  # keeps the terms' shading
                self.source_view.setPlainText(source)
            self._load_plurals(segment)
            if self.target_edit.toPlainText() != (segment.target or ""):
                self.target_edit.setPlainText(segment.target or "")
                self.target_edit.moveCursor(QTextCursor.MoveOperation.End)
            self._dirty = False
            if self.review_mode:
                self._show_review_diff(segment)
            self.segment_label.setText(
                self.tr("Segment {0} · {1}").format(segment.n, self.model.status_text(segment))
            )
            self._show_note(segment)
        finally:
            self._loading = False

    def _show_note(self, segment: Segment | None) -> None:
        """A rejection stands out until the segment is confirmed again; other notes are
        shown quietly."""
        note = segment.note if segment is not None else None
        self.note_label.setVisible(bool(note))
        if segment is None or not note:
            self.note_label.clear()
            return
        rejection = segment.rejection
        if rejection is not None:
            self.note_label.setText("\n".join([rejection, *without_rejection(note)]))
            self.note_label.setStyleSheet(
                "QLabel { background: #fdecea; color: #8e1b1b; border: 1px solid #e57373;"
                " border-radius: 3px; padding: 4px; }"
            )
        else:
            self.note_label.setText(self.tr("Note: {0}").format(note))
            self.note_label.setStyleSheet("QLabel { font-style: italic; padding: 2px; }")

    def _load_plurals(self, segment: Segment) -> None:
        """Show a PO message's other plural forms, read once when the segment is shown (the
        pane is loaded again after every save: the fields already hold what is saved)."""
        if self._plurals_for == segment.id:
            return
        self._plurals_for = segment.id
        forms = None
        if self.summary is not None and self.summary.format == "po":
            forms = po_plurals.plural_forms(self.workspace, segment.id, self.summary.target_lang)
        target_rtl = self.summary is not None and is_rtl(self.summary.target_lang)
        self.plurals.show_forms(forms, target_rtl)
        self.plurals_area.setVisible(forms is not None)
        if forms is not None:
            self.plurals_area.setMinimumHeight(min(self.plurals.sizeHint().height(), 170))

    # -- saving -------------------------------------------------------------------------

    def _on_text_changed(self) -> None:
        self.terms.check(self.target_edit.toPlainText())
        if self._loading or self._current_id is None:
            return
        self._dirty = True
        if not self.draft_timer.isActive():
            self.draft_timer.start()

    def flush(self) -> None:
        """Save typing not yet saved (before moving, closing, undoing ...)."""
        self.draft_timer.stop()
        if self._dirty:
            self.save_draft()
        self.save_plurals()

    def save_plurals(self) -> None:
        """Save the other plural forms of a PO message, if any were typed."""
        self._plural_timer.stop()
        segment = self.current_segment
        forms = self.plurals.forms
        if not self.plurals.dirty or segment is None or forms is None or self.summary is None:
            return
        if forms.segment_id != segment.id:
            return
        try:
            saved = po_plurals.save_plural_forms(
                self.workspace, segment, self.plurals.values(), self.summary.target_lang
            )
        except TranslatorError as exc:  # a colleague's save came first, or the segment went
            QMessageBox.warning(self, self.tr("Plural forms not saved"), str(exc))
            self.plurals.dirty = False
            self._plurals_for = None  # show the colleague's forms
            self.reload(segment.n)
            return
        self.plurals.dirty = False
        self.apply([saved])

    def save_draft(self) -> None:
        self.draft_timer.stop()
        segment = self.current_segment
        if not self._dirty or segment is None:
            return
        self._dirty = False
        text = self.target_edit.toPlainText()
        target = text if text.strip() else None
        if target == segment.target:
            return
        status = Status.DRAFT if target is not None else Status.NEW
        self._save(segment, target, status, action="draft", label=self.tr("Typing"))

    def _save(
        self, segment: Segment, target: str | None, status: Status, *, action: str, label: str
    ) -> Segment | None:
        try:
            saved = segment_service.update_segment(
                self.workspace,
                segment.id,
                target=target,
                status=status,
                expected_version=segment.version,
                action=action,
            )
        except ConflictError as exc:
            return self._resolve_conflict(segment, target, status, action, exc)
        except TranslatorError as exc:
            self._dirty = True  # keep it: the next save tries again
            QMessageBox.critical(self, self.tr("Could not save"), str(exc))
            return None
        self.apply([saved])
        command = EditSegmentCommand(
            self, segment, saved, action=action, text=f"{label} {segment.n}"
        )
        self.undo_stack.push(command)
        return saved

    def _resolve_conflict(
        self, mine: Segment, target: str | None, status: Status, action: str, exc: ConflictError
    ) -> Segment | None:
        """Someone else saved this segment first: ask, never overwrite silently."""
        theirs = segment_service.get_segment(self.workspace, mine.id)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Segment changed elsewhere"))
        box.setText(str(exc))
        box.setInformativeText(
            self.tr(
                "Theirs: {0}\nYours: {1}\n\nIf you load theirs, yours is copied to the clipboard."
            ).format(theirs.target or "", target or "")
        )
        keep = box.addButton(self.tr("Keep Mine"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Load Theirs"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        self.apply([theirs])
        if box.clickedButton() is keep:
            return self._save(theirs, target, status, action=action, label=self.tr("Overwrite"))
        QGuiApplication.clipboard().setText(target or "")
        self._load_pane(theirs)
        return None

    # -- translator's actions -----------------------------------------------------------

    def confirm_and_next(self) -> None:
        segment = self.current_segment
        if segment is None:
            return
        text = self.target_edit.toPlainText()
        if not text.strip():
            self.message.emit(self.tr("Type a translation before confirming"))
            return
        self.message.emit("")  # an earlier warning no longer holds
        # Typing first becomes a draft of its own, so undoing the confirm keeps the text.
        self.flush()
        segment = self.current_segment
        if segment is None or self.target_edit.toPlainText() != text:
            return  # the draft met a colleague's version and the translator took theirs
        goal, action = (
            (Status.APPROVED, "approve") if self.review_mode else (Status.TRANSLATED, "confirm")
        )
        done = (
            segment.status is Status.APPROVED if self.review_mode else segment.status.is_confirmed
        )
        if text != segment.target or not done:
            saved = self._save(segment, text, goal, action=action, label=self.tr(action.title()))
            if saved is None:
                return
            segment = saved
            if self.propagate:
                self._propagate(segment)
        # Warnings, not refusals: the translator may know better.
        lang = self.summary.target_lang if self.summary else "en"
        found = [
            f.message for f in segment_findings(segment.source, text, lang, self.terms.missing())
        ]
        warning = ""
        if found:
            done_as = self.tr("approved") if self.review_mode else self.tr("confirmed")
            warning = self.tr("Segment {0} {1}, but: {2}").format(
                segment.n, done_as, "; ".join(found)
            )
            self.warned.emit(warning)
        if self.review_mode:
            following = next(
                (s for s in self.model.segments[segment.n :] if s.status is not Status.APPROVED),
                None,
            )
            done_message = self.tr("Every segment from here on is approved")
        else:
            following = segment_service.next_unconfirmed(self.model.segments, segment.n)
            done_message = self.tr("Every segment is confirmed")
        if following is None:  # the warning must not be wiped out by the good news
            if warning:
                self.warned.emit(f"{warning} · {done_message}")
            else:
                self.message.emit(done_message)
            return
        self.go_to_segment(following.n)

    # -- review ---------------------------------------------------------------------------

    def set_review_mode(self, on: bool) -> None:
        """In review mode Ctrl+Enter approves, and the pane shows what the review changed."""
        self.flush()
        self.review_mode = on
        self.review_view.setVisible(on)
        self._drafts = {}
        if on and self.summary is not None:
            document = document_service.load_document(self.workspace, self.summary.id)
            self._drafts = review_service.translator_drafts(self.workspace, document)
        self._load_pane(self.current_segment)

    def _show_review_diff(self, segment: Segment) -> None:
        draft = self._drafts.get(segment.id)
        if draft is None:
            self.review_view.setHtml(
                "<i>" + html.escape(self.tr("No translator's draft for this segment")) + "</i>"
            )
            return
        current = segment.target or ""
        if current == draft:
            note = self.tr("Unchanged from the translator's version")
            self.review_view.setHtml(f"<i>{html.escape(note)}</i><br>{html.escape(draft)}")
            return
        self.review_view.setHtml(
            "<i>"
            + html.escape(self.tr("Translator's version → now:"))
            + "</i><br>"
            + word_diff_html(draft, current)
        )

    def reject_current(self, comment: str) -> bool:
        """Send the segment back to the translator with a comment (status draft)."""
        self.flush()
        segment = self.current_segment
        if segment is None:
            return False
        try:
            saved = segment_service.reject_segment(
                self.workspace, segment.id, comment, expected_version=segment.version
            )
        except TranslatorError as exc:
            self.report(exc)
            return False
        self.apply([saved])
        self.undo_stack.push(
            EditSegmentCommand(
                self, segment, saved, action="reject", text=self.tr("Reject {0}").format(segment.n)
            )
        )
        self.message.emit(self.tr("Segment {0} rejected").format(segment.n))
        return True

    def _propagate(self, confirmed: Segment) -> None:
        """Give the same translation to the other unconfirmed repetitions of the sentence."""
        others = [
            s
            for s in self.model.segments
            if s.source == confirmed.source and s.id != confirmed.id and not s.status.is_confirmed
        ]
        if not others:
            return
        wanted = [
            dataclasses.replace(s, target=confirmed.target, status=Status.TRANSLATED)
            for s in others
        ]
        try:
            changed = segment_service.restore_segments(
                self.workspace, others, wanted, action="propagate"
            )
        except TranslatorError as exc:
            self.report(exc)
            return
        self.apply(changed)
        self.undo_stack.push(
            RestoreCommand(
                self,
                list(zip(others, changed, strict=True)),
                self.tr("Propagate to {0} repetition(s)").format(len(changed)),
            )
        )
        self.message.emit(
            self.tr("Also filled {0} repetition(s) of this sentence").format(len(changed))
        )

    def insert_text(self, text: str) -> None:
        """Put a memory match into the translation (saved as a draft at once)."""
        if self.current_segment is None:
            return
        self.target_edit.setPlainText(text)
        self.target_edit.moveCursor(QTextCursor.MoveOperation.End)
        self.target_edit.setFocus()
        self._dirty = True
        self.save_draft()

    def insert_term(self, text: str) -> None:
        """Put a glossary translation into the translation at the cursor."""
        if self.current_segment is None:
            return
        cursor = self.target_edit.textCursor()
        before = self.target_edit.toPlainText()[: cursor.selectionStart()]
        if before and not before[-1].isspace() and before[-1] not in _OPENING:
            text = " " + text
        cursor.insertText(text)
        self.target_edit.setTextCursor(cursor)
        self.target_edit.setFocus()

    def lookup_terms(self) -> None:
        """Find the glossary's terms in the current segment (again, after the glossary
        changed)."""
        segment = self.current_segment
        self.terms.lookup(
            segment.source if segment else "", self.target_edit.toPlainText() if segment else ""
        )

    def _highlight_terms(self) -> None:
        """Glossary terms shaded in the source field (unless it shows direction marks, which
        move the text)."""
        segment = self.current_segment
        selections = []
        if segment is not None and not self.model.show_marks:
            source = segment.source
            for hit in self.terms.hits:
                selection = QTextEdit.ExtraSelection()
                selection.format.setBackground(QColor("#dcedfb"))
                cursor = QTextCursor(self.source_view.document())
                cursor.setPosition(_utf16_offset(source, hit.start))
                cursor.setPosition(_utf16_offset(source, hit.end), QTextCursor.MoveMode.KeepAnchor)
                selection.cursor = cursor
                selections.append(selection)
        self.source_view.setExtraSelections(selections)

    def selected_texts(self) -> tuple[str, str]:
        """What is selected in the source field and in the translation (for a new term)."""
        return (
            self.source_view.textCursor().selectedText(),
            self.target_edit.textCursor().selectedText(),
        )

    def pretranslate(self, min_score: float, progress: Progress) -> matching.PretranslateResult:
        """Fill untranslated segments from the memory (called in a worker thread)."""
        assert self.summary is not None
        return matching.pretranslate(
            self.workspace, self.summary.id, min_score=min_score, progress=progress
        )

    def shutdown(self) -> None:
        self.flush()
        self.matches.shutdown()

    def step(self, step: int) -> None:
        row = self.table.currentIndex().row() + step
        if 0 <= row < self.model.rowCount():
            self._select_id(self.model.segment_at(row).id)
            self.target_edit.setFocus()

    def copy_source(self) -> None:
        segment = self.current_segment
        if segment is None:
            return
        self.draft_timer.stop()
        self._dirty = False
        self._loading = True
        self.target_edit.setPlainText(segment.source)
        self._loading = False
        self._save(
            segment,
            segment.source,
            Status.DRAFT,
            action="copy-source",
            label=self.tr("Copy source to"),
        )

    def can_undo(self) -> bool:
        """Whether there is something to undo: a saved change, or typing not saved yet."""
        return self._dirty or self.undo_stack.canUndo()

    def undo(self) -> None:
        self.flush()
        self.undo_stack.undo()

    def redo(self) -> None:
        self.flush()
        self.undo_stack.redo()

    def _flushed_segment(self) -> Segment | None:
        """The current segment after saving what was typed in it (its version moves on)."""
        if self.current_segment is None:
            return None
        self.flush()
        return self.current_segment

    def split_current(self) -> None:
        segment = self._flushed_segment()
        if segment is None:
            return
        at = self.source_view.textCursor().position()
        if self.model.show_marks:
            self.message.emit(self.tr("Hide direction marks before splitting"))
            return
        if not 0 < at < len(segment.source):
            self.message.emit(
                self.tr("Click in the source text where segment {0} should be split").format(
                    segment.n
                )
            )
            return
        try:
            first, second = segment_service.split_segment(
                self.workspace, segment.id, at, expected_version=segment.version
            )
        except TranslatorError as exc:
            self.report(exc)
            return
        self.undo_stack.push(StructureCommand.split(self, segment, second, at))
        self.reload(focus_n=first.n)

    def merge_with_next(self) -> None:
        segment = self._flushed_segment()
        if segment is None:
            return
        segments = self.model.segments
        if segment.n >= len(segments):
            self.message.emit(self.tr("Segment {0} is the last one").format(segment.n))
            return
        following = segments[segment.n]
        try:
            result = segment_service.merge_segments(
                self.workspace, segment.id, expected_versions=(segment.version, following.version)
            )
        except TranslatorError as exc:
            QMessageBox.information(self, self.tr("Cannot merge"), str(exc))
            return
        self.undo_stack.push(StructureCommand.merge(self, result))
        self.reload(focus_n=segment.n)

    # -- find, replace, filter ----------------------------------------------------------

    def find_next(
        self,
        pattern: str,
        *,
        in_source: bool,
        in_target: bool,
        case_sensitive: bool,
        regex: bool,
        forward: bool = True,
    ) -> bool:
        """Select the next occurrence after the current segment; False when there is none."""
        if self.summary is None or not pattern:
            return False
        self.flush()
        hits = segment_service.find_segments(
            self.workspace,
            self.summary.id,
            pattern,
            in_source=in_source,
            in_target=in_target,
            case_sensitive=case_sensitive,
            regex=regex,
        )
        if not hits:
            self.message.emit(self.tr("“{0}” not found").format(pattern))
            return False
        current = self.current_segment
        here = current.n if current else 0
        ordered = hits if forward else list(reversed(hits))
        after = [h for h in ordered if (h.n > here if forward else h.n < here)]
        hit = (after or ordered)[0]
        self.go_to_segment(hit.n)
        view = self.source_view if hit.field == "source" else self.target_edit
        cursor = view.textCursor()
        cursor.setPosition(hit.start)
        cursor.setPosition(hit.end, QTextCursor.MoveMode.KeepAnchor)
        view.setTextCursor(cursor)
        return True

    def replace_current(
        self, pattern: str, replacement: str, *, case_sensitive: bool, regex: bool
    ) -> bool:
        """Replace the first occurrence in the current segment's translation."""
        segment = self.current_segment
        if segment is None or not pattern:
            return False
        flags = 0 if case_sensitive else re.IGNORECASE
        try:
            compiled = re.compile(pattern if regex else re.escape(pattern), flags)
        except re.error as exc:
            self.message.emit(self.tr("Not a valid regular expression: {0}").format(exc))
            return False
        text = self.target_edit.toPlainText()
        new, count = compiled.subn(replacement if regex else lambda _m: replacement, text, count=1)
        if not count:
            return False
        self.target_edit.setPlainText(new)
        self._dirty = True
        self.save_draft()
        return True

    def replace_all(
        self, pattern: str, replacement: str, *, case_sensitive: bool, regex: bool
    ) -> int:
        if self.summary is None or not pattern:
            return 0
        self.flush()
        try:
            pairs = segment_service.replace_in_targets(
                self.workspace,
                self.summary.id,
                pattern,
                replacement,
                case_sensitive=case_sensitive,
                regex=regex,
            )
        except TranslatorError as exc:
            QMessageBox.warning(self, self.tr("Replace"), str(exc))
            return 0
        if pairs:
            self.apply([after for _, after in pairs])
            self.undo_stack.push(
                RestoreCommand(self, pairs, self.tr("Replace all ({0})").format(len(pairs)))
            )
        self.message.emit(self.tr("{0} segment(s) changed").format(len(pairs)))
        return len(pairs)

    def _apply_filter(self) -> None:
        self.flush()
        wanted = STATUS_FILTERS[max(self.status_filter.currentIndex(), 0)][1]
        needle = self.text_filter.text().casefold()
        keep = self._current_id
        if self.status_filter.currentIndex() <= 0 and not needle:
            self.model.set_filter(None)
        else:

            def accept(segment: Segment) -> bool:
                if not wanted(segment):
                    return False
                if not needle:
                    return True
                return (
                    needle in segment.source.casefold()
                    or needle in (segment.target or "").casefold()
                )

            self.model.set_filter(accept)
        self._current_id = None
        if keep is not None and self.model.row_of(keep) is not None:
            self._select_id(keep)
        elif self.model.rowCount():
            self._select_id(self.model.segment_at(0).id)
        else:
            self._load_pane(None)

    def set_show_marks(self, show: bool) -> None:
        self.model.set_show_marks(show)
        set_show_marks(self.target_edit, show)
        self._load_pane(self.current_segment)

    # -- row heights: only the rows on screen are measured ------------------------------

    def _invalidate_heights(self, *_args: object) -> None:
        self._fitted.clear()
        self._fit_timer.start()

    def _on_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        for row in range(top_left.row(), bottom_right.row() + 1):
            self._fitted.discard(row)
        self._fit_timer.start()

    def _fit_visible_rows(self) -> None:
        viewport = self.table.viewport()
        first = self.table.rowAt(0)
        if first < 0:
            return
        # Measuring a row can change the heights above the fold; repeat until stable.
        for _ in range(3):
            last = self.table.rowAt(viewport.height() - 1)
            last = self.model.rowCount() - 1 if last < 0 else last
            todo = [r for r in range(first, last + 1) if r not in self._fitted]
            if not todo:
                break
            for row in todo:
                self.table.resizeRowToContents(row)
                self._fitted.add(row)
        reveal, self._reveal_row = self._reveal_row, None
        if reveal is not None and reveal < self.model.rowCount():
            self.table.scrollTo(self.model.index(reveal, SOURCE))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_timer.start()


def _utf16_offset(text: str, index: int) -> int:
    """Qt counts positions in UTF-16 units: an emoji before a term counts two."""
    return len(text[:index].encode("utf-16-le")) // 2
