"""Painting segment text: direction per column from the document's languages, wrapped."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from translator.ui.models.segments import SOURCE, TARGET


class SegmentDelegate(QStyledItemDelegate):
    """Lays out the source and target columns in their own direction (the Lokalize rule).

    Qt shapes Arabic and orders mixed Arabic/Latin/digits by itself; what it cannot know
    is the paragraph's base direction and alignment, which follow the language, not the
    first letter (an Arabic sentence that starts with "CNN" is still right-to-left).
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rtl_columns: set[int] = set()

    def set_directions(self, source_rtl: bool, target_rtl: bool) -> None:
        self.rtl_columns = {c for c, rtl in ((SOURCE, source_rtl), (TARGET, target_rtl)) if rtl}

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        column = index.column()
        if column in (SOURCE, TARGET):
            rtl = column in self.rtl_columns
            option.direction = (
                Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
            )
            option.displayAlignment = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop
            option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        else:
            option.displayAlignment = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
