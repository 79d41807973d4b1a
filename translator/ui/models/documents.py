"""The document list model: one row per document with its progress."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from translator.domain import DocumentSummary

_Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractTableModel):
    COLUMNS = ("Name", "Languages", "Segments", "Translated", "Words")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[DocumentSummary] = []

    def set_documents(self, rows: Sequence[DocumentSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def document_at(self, row: int) -> DocumentSummary:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        doc = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                doc.name,
                f"{doc.source_lang} → {doc.target_lang}",
                str(doc.segments),
                f"{100 * doc.progress:.0f}% ({doc.translated})",
                f"{doc.words_translated}/{doc.words}",
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:  # the name column is often too narrow
            return f"{doc.name} ({doc.source_lang} → {doc.target_lang}, {doc.segments} segments)"
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return doc.id
        return None
