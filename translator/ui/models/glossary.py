"""The glossary table model: one row per term pair, over what the glossary service returns."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from translator.domain import GlossaryTerm
from translator.text.bidi import is_rtl
from translator.text.languages import base_language
from translator.ui.models.rows import Index, RowsTableModel


class GlossaryTableModel(RowsTableModel[GlossaryTerm]):
    COLUMNS = ("Term", "Translation", "Languages", "Note", "From", "Changed")

    def __init__(self, parent: Any = None, source_lang: str = "ar") -> None:
        super().__init__(parent)
        self.source_lang = base_language(source_lang)  # pairs are shown from this language

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.row_valid(index):
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
