"""The document list model: one row per document with its progress."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from translator.domain import DocumentSummary
from translator.ui.models.rows import Index, RowsTableModel


class DocumentListModel(RowsTableModel[DocumentSummary]):
    COLUMNS = ("Name", "Languages", "Segments", "Translated", "Words")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.row_valid(index):
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
