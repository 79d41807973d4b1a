"""Review: approve or reject segments, see what the reviewer changed, check the translations,
score the document."""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from translator.domain import CheckFinding, DocumentScore, ScoreHistoryEntry
from translator.errors import TranslatorError
from translator.review.charts import histogram_svg, timeline_svg
from translator.services import checks as check_service
from translator.services import review as review_service
from translator.storage.database import Workspace

_TOKENS = re.compile(r"\S+")


def word_diff_html(before: str, after: str) -> str:
    """Word-by-word difference: removed words struck through in red, added ones in green."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(html.escape(" ".join(old[a1:a2])))
            continue
        if a2 > a1:
            removed = html.escape(" ".join(old[a1:a2]))
            parts.append(f"<s style='color:#c62828;background:#ffebee'>{removed}</s>")
        if b2 > b1:
            added = html.escape(" ".join(new[b1:b2]))
            parts.append(f"<span style='color:#1b5e20;background:#e8f5e9'>{added}</span>")
    return " ".join(parts)


class _NumberItem(QTableWidgetItem):
    """Sorts by number, with blanks (no figure) last."""

    def __init__(self, value: float | None) -> None:
        super().__init__("" if value is None else f"{value:.1f}")
        self.value = value
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine = self.value if self.value is not None else float("inf")
        theirs = (
            other.value
            if isinstance(other, _NumberItem) and other.value is not None
            else (float("inf"))
        )
        return mine < theirs


class ScoreDialog(QDialog):
    """Corpus scores with sacrebleu's signatures, per-segment figures worst first, charts."""

    go_to_segment = Signal(int)

    def __init__(
        self,
        workspace: Workspace,
        result: DocumentScore,
        history: list[ScoreHistoryEntry],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace, self.scoring = workspace, result
        self.setWindowTitle(self.tr("Scores of {0}").format(result.document_name))
        against = (
            self.tr("the translator's draft against the reviewed text")
            if result.against == "draft"
            else self.tr("the translation against {0}").format(result.against.split(":", 1)[-1])
        )
        lines = [f"<p><b>{html.escape(against)}</b></p>"]
        for metric in result.scores.metrics:
            lines.append(
                f"<p><b>{html.escape(metric.name)} {metric.score:.2f}</b><br>"
                f"<small>{html.escape(metric.signature)}</small></p>"
            )
        for warning in result.scores.warnings:
            lines.append(f"<p style='color:#b71c1c'>⚠ {html.escape(warning)}</p>")
        if result.excluded:
            lines.append(
                "<p>"
                + html.escape(self.tr("{0} segment(s) left out").format(len(result.excluded)))
                + "</p>"
            )
        self.summary = QLabel("".join(lines), self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        segments = result.scores.segments
        self.table = QTableWidget(len(segments), 5, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("#"), self.tr("chrF"), self.tr("BLEU"), self.tr("TER"), self.tr("Translation")]
        )
        for row, s in enumerate(segments):
            number = _NumberItem(float(s.n))
            number.setText(str(s.n))
            self.table.setItem(row, 0, number)
            self.table.setItem(row, 1, _NumberItem(s.chrf))
            self.table.setItem(row, 2, _NumberItem(s.bleu))
            self.table.setItem(row, 3, _NumberItem(s.ter))
            flags = f"  [{', '.join(s.flags)}]" if s.flags else ""
            self.table.setItem(row, 4, QTableWidgetItem(s.hypothesis + flags))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setSortingEnabled(True)
        self.table.sortItems(1, Qt.SortOrder.AscendingOrder)  # worst chrF first
        self.table.cellDoubleClicked.connect(self._jump)

        chrf = [s.chrf for s in segments if s.chrf is not None]
        self.histogram = QSvgWidget(self)
        self.histogram.load(
            QByteArray(histogram_svg(chrf, self.tr("Segments by chrF")).encode("utf-8"))
        )
        series: dict[str, list[tuple[object, float]]] = {}
        for entry in history:
            series.setdefault(f"{entry.metric} ({entry.against})", []).append(
                (entry.scored_at, entry.score)
            )
        self.timeline = QSvgWidget(self)
        self.timeline.load(
            QByteArray(
                timeline_svg(
                    [(name, points) for name, points in series.items()],  # type: ignore[misc]
                    self.tr("Scores over time"),
                ).encode("utf-8")
            )
        )
        charts = QHBoxLayout()
        for chart in (self.histogram, self.timeline):
            chart.setMinimumSize(360, 200)
            charts.addWidget(chart)

        self.report_button = QPushButton(self.tr("Export &Report…"), self)
        self.report_button.clicked.connect(self._export_report)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.report_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(charts)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(900, 760)

    def _jump(self, row: int, _column: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.go_to_segment.emit(int(item.text()))

    def export_report(self, path: str, open_it: bool = True) -> list[Path]:
        written = review_service.write_report(self.workspace, self.scoring, path)
        if open_it:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(written[0])))
        return written

    def _export_report(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export Report"),
            f"{self.scoring.document_name}-scores.html",
            self.tr("HTML report (*.html)"),
        )
        if path:
            try:
                written = self.export_report(path)
            except (TranslatorError, OSError) as exc:
                QMessageBox.warning(self, self.tr("Report"), str(exc))
                return
            QMessageBox.information(
                self,
                self.tr("Report"),
                self.tr("Wrote:\n{0}").format("\n".join(str(p) for p in written)),
            )


class CheckDialog(QDialog):
    """What looks wrong in the document's translations (``services.checks``): one row per
    finding; double-click one to go to its segment."""

    def __init__(
        self,
        workspace: Workspace,
        document_id: int,
        go_to: Callable[[int], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Check Translations"))
        self.workspace = workspace
        self.document_id = document_id
        self.go_to = go_to
        self.findings: list[CheckFinding] = []
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.unconfirmed = QCheckBox(self.tr("Check unconfirmed translations too"), self)
        self.unconfirmed.toggled.connect(self.refresh)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Segment"), self.tr("Check"), self.tr("What looks wrong")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)  # one line a finding; the whole of it in the tooltip
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(self._jump)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        again = buttons.addButton(self.tr("Check Again"), QDialogButtonBox.ButtonRole.ActionRole)
        again.clicked.connect(self.refresh)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.unconfirmed)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(820, 460)
        self._names = {
            "numbers": self.tr("number"),
            "question": self.tr("question"),
            "punctuation": self.tr("punctuation"),
            "brackets": self.tr("brackets"),
            "script": self.tr("Arabic left"),
            "spaces": self.tr("spaces"),
            "glossary": self.tr("glossary"),
        }
        self.refresh()

    def refresh(self) -> None:
        try:
            result = check_service.check_document(
                self.workspace, self.document_id, confirmed_only=not self.unconfirmed.isChecked()
            )
        except TranslatorError as exc:
            self.findings = []
            self.summary.setText(str(exc))
            self.table.setRowCount(0)
            return
        self.findings = list(result.findings)
        which = (
            self.tr("translations")
            if self.unconfirmed.isChecked()
            else self.tr("confirmed translations")
        )
        if not result.checked and not self.unconfirmed.isChecked():
            self.summary.setText(
                self.tr("No translation is confirmed yet: tick the box to check the others.")
            )
        elif not self.findings:
            self.summary.setText(self.tr("Nothing looks wrong in the {0}.").format(which))
        else:
            segments = len({finding.n for finding in self.findings})
            self.summary.setText(
                self.tr("{0} thing(s) to look at in {1} segment(s) of the {2}:").format(
                    len(self.findings), segments, which
                )
            )
        self.table.setRowCount(len(self.findings))
        for row, finding in enumerate(self.findings):
            cells = (str(finding.n), self._names.get(finding.check, finding.check), finding.message)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(finding.message)
                self.table.setItem(row, column, item)

    def _jump(self, row: int, _column: int) -> None:
        self.go_to(self.findings[row].n)
