"""The text fields of the editing pane: direction per language, safe paste."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QMimeData, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QTextOption
from PySide6.QtWidgets import QPlainTextEdit

from translator.text.bidi import strip_bidi_controls


def set_direction(edit: QPlainTextEdit, rtl: bool) -> None:
    """Lay a field out in its language's direction (alignment and base direction)."""
    direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    edit.setLayoutDirection(direction)
    option = edit.document().defaultTextOption()
    option.setTextDirection(direction)
    # Visual and absolute: QPlainTextEdit's layout reads AlignLeading (= AlignLeft) as the
    # left even for right-to-left text, which put Arabic at the left edge.
    side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    option.setAlignment(side | Qt.AlignmentFlag.AlignAbsolute)
    edit.document().setDefaultTextOption(option)


def set_show_marks(edit: QPlainTextEdit, show: bool) -> None:
    """Show invisible format characters (bidi marks, ZWJ ...) as visible glyphs."""
    option = edit.document().defaultTextOption()
    flags = option.flags()
    flag = QTextOption.Flag.ShowDefaultIgnorables
    option.setFlags(flags | flag if show else flags & ~flag)
    edit.document().setDefaultTextOption(option)


class TargetEdit(QPlainTextEdit):
    """The translation field.

    Pasted text loses its bidi control characters unless ``keep_marks`` is set, and the
    editor's shortcuts (confirm, move, undo ...) reach the window's actions instead of
    being swallowed by the text field.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.keep_marks = False
        self.reserved: list[QKeySequence] = []
        # Undo is the window's, across segments; the field keeps no history of its own.
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasText() and not self.keep_marks:
            text = source.text()
            cleaned = strip_bidi_controls(text)
            if cleaned != text:
                self.textCursor().insertText(cleaned)
                return
        super().insertFromMimeData(source)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ShortcutOverride and isinstance(e, QKeyEvent):
            pressed = QKeySequence(e.keyCombination())
            if any(
                pressed.matches(seq) == QKeySequence.SequenceMatch.ExactMatch
                for seq in self.reserved
            ):
                e.ignore()  # let the window's action take it
                return False
        return super().event(e)
