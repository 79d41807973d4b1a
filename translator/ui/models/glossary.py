"""The glossary table model: one row per term pair, over what the glossary service returns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from translator.domain import GlossaryTerm
from translator.text.bidi import is_rtl
from translator.text.languages import base_language

_Index = QModelIndex | QPersistentModelIndex


class GlossaryTableModel(QAbstractTableModel):
    COLUMNS = ("Term", "Translation", "Languages", "Note", "From", "Changed")

    def __init__(self, parent: Any = None, source_lang: str = "ar") -> None:
        super().__init__(parent)
        self._rows: list[GlossaryTerm] = []
        self.source_lang = base_language(source_lang)  # pairs are shown from this language

    def set_terms(self, rows: Sequence[GlossaryTerm]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def term_at(self, row: int) -> GlossaryTerm:
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
        term = self._rows[index.row()]
        column = index.column()
        source, source_lang, target, target_lang = (
            (term.target, term.target_lang, term.source, term.source_lang)
            if base_language(term.target_lang) == self.source_lang
            else (term.source, term.source_lang, term.target, term.target_lang)
        )
        if role == Qt.ItemDataRole.DisplayRole:
            when = f"{term.changed_at:%Y-%m-%d}" if term.changed_at else ""
            by = f" · {term.changed_by}" if term.changed_by else ""
            return (
                source,
                target,
                f"{source_lang} → {target_lang}",
                term.note or "",
                term.origin or self.tr("added by hand"),
                when + by,
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 1):
            lang = source_lang if column == 0 else target_lang
            side = Qt.AlignmentFlag.AlignRight if is_rtl(lang) else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return term.id
        return None
