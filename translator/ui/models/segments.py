"""The segment grid's model: a thin, read-only adapter over the segments services return.

It keeps every segment of the document and a list of the rows the filter lets through,
so filtering a 100,000-segment document is one pass in Python and no proxy model.
Edits never go through ``setData``: the editor pushes undo commands that call services
and hand the changed segments back with :meth:`replace_segment`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from translator.domain import Segment, Status
from translator.text.bidi import show_bidi_controls

_Index = QModelIndex | QPersistentModelIndex

NUMBER, SOURCE, TARGET, STATUS = range(4)
SEGMENT_ROLE = Qt.ItemDataRole.UserRole + 1

STATUS_COLOURS = {
    Status.NEW: QColor("#9e9e9e"),
    Status.DRAFT: QColor("#e08a00"),
    Status.PRETRANSLATED: QColor("#00838f"),
    Status.TRANSLATED: QColor("#2e7d32"),
    Status.REVIEWED: QColor("#1565c0"),
    Status.APPROVED: QColor("#6a1b9a"),
}
REJECTED_COLOUR = QColor("#c62828")  # a draft a reviewer sent back


class SegmentTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._segments: list[Segment] = []
        self._rows: list[int] = []  # indexes into _segments that pass the filter
        self._row_of_id: dict[int, int] = {}
        self._position_of_id: dict[int, int] = {}
        self._filter: Callable[[Segment], bool] | None = None
        self.show_marks = False
        self._headers = (self.tr("#"), self.tr("Source"), self.tr("Target"), self.tr("Status"))
        self._status_names = {
            Status.NEW: self.tr("new"),
            Status.DRAFT: self.tr("draft"),
            Status.PRETRANSLATED: self.tr("from memory"),
            Status.TRANSLATED: self.tr("translated"),
            Status.REVIEWED: self.tr("reviewed"),
            Status.APPROVED: self.tr("approved"),
        }

    # -- content ------------------------------------------------------------------------

    def set_segments(self, segments: Sequence[Segment]) -> None:
        self.beginResetModel()
        self._segments = list(segments)
        self._position_of_id = {segment.id: i for i, segment in enumerate(self._segments)}
        self._apply_filter()
        self.endResetModel()

    def set_filter(self, accept: Callable[[Segment], bool] | None) -> None:
        self.beginResetModel()
        self._filter = accept
        self._apply_filter()
        self.endResetModel()

    def _apply_filter(self) -> None:
        accept = self._filter
        self._rows = [
            i for i, segment in enumerate(self._segments) if accept is None or accept(segment)
        ]
        self._row_of_id = {self._segments[i].id: row for row, i in enumerate(self._rows)}

    def set_show_marks(self, show: bool) -> None:
        self.show_marks = show
        if self._rows:
            self.dataChanged.emit(self.index(0, SOURCE), self.index(len(self._rows) - 1, TARGET))

    @property
    def segments(self) -> list[Segment]:
        """Every segment of the document, filtered or not, in order."""
        return self._segments

    def segment_at(self, row: int) -> Segment:
        return self._segments[self._rows[row]]

    def status_name(self, status: Status) -> str:
        """The status as the grid shows it (translated for the interface)."""
        return self._status_names[status]

    def status_text(self, segment: Segment) -> str:
        """What the grid and the pane say of a segment: its status, or "rejected" while a
        reviewer's rejection waits for the translator."""
        return self.tr("rejected") if segment.rejection else self.status_name(segment.status)

    def segment_by_id(self, segment_id: int) -> Segment | None:
        position = self._position_of_id.get(segment_id)
        return None if position is None else self._segments[position]

    def row_of(self, segment_id: int) -> int | None:
        """The grid row showing a segment, or None when the filter hides it."""
        return self._row_of_id.get(segment_id)

    def replace_segment(self, segment: Segment) -> None:
        """Show the new state of one segment (after a save, an undo ...)."""
        position = self._position_of_id.get(segment.id)
        if position is None:
            return
        self._segments[position] = segment
        row = self._row_of_id.get(segment.id)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, STATUS))

    def replace_all(self, segments: Sequence[Segment]) -> None:
        """Reload after a change of structure (split, merge), keeping the filter."""
        self.set_segments(segments)

    # -- Qt interface -------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        segment = self._segments[self._rows[index.row()]]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NUMBER:
                return str(segment.n)
            if column == STATUS:
                return self.status_text(segment)
            text = segment.source if column == SOURCE else segment.target or ""
            return show_bidi_controls(text) if self.show_marks else text
        if role == Qt.ItemDataRole.ForegroundRole and column in (NUMBER, STATUS):
            return REJECTED_COLOUR if segment.rejection else STATUS_COLOURS[segment.status]
        if role == Qt.ItemDataRole.ToolTipRole and column == STATUS:
            who = segment.author or "?"
            when = f"{segment.updated_at:%Y-%m-%d %H:%M}" if segment.updated_at else ""
            tip = self.tr("{0} by {1} {2}").format(self._status_names[segment.status], who, when)
            return f"{tip}\n{segment.note}" if segment.note else tip
        if role == SEGMENT_ROLE:
            return segment
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
