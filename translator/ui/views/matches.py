"""The matches panel: memory matches for the current segment, and concordance search.

Lookups run in a worker thread, so moving through a document never waits for the memory
(the first lookup of a large memory loads or builds its index). A newer request makes an
older one's answer obsolete; only the latest is shown.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Sequence

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from translator.domain import ConcordanceHit, Match
from translator.errors import TranslatorError
from translator.services import matching
from translator.storage.database import Workspace
from translator.text.bidi import is_rtl

_WORDS = re.compile(r"\S+")
_HIGHLIGHT = "background-color:#ffe082;"


def highlight_differences(memory_text: str, segment_text: str) -> str:
    """The memory's text as HTML, its words that the segment does not have highlighted."""
    theirs = _WORDS.findall(memory_text)
    ours = _WORDS.findall(segment_text)
    matcher = difflib.SequenceMatcher(a=theirs, b=ours, autojunk=False)
    same = [False] * len(theirs)
    for block in matcher.get_matching_blocks():
        for i in range(block.a, block.a + block.size):
            same[i] = True
    parts = [
        html.escape(word) if keep else f'<span style="{_HIGHLIGHT}">{html.escape(word)}</span>'
        for word, keep in zip(theirs, same, strict=True)
    ]
    return " ".join(parts)


class _Worker(QObject):
    matched = Signal(int, list)
    failed = Signal(str)
    concordance_found = Signal(list)

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.latest = 0

    @Slot(int, str, str, str, float, int)
    def lookup(
        self,
        ticket: int,
        text: str,
        source_lang: str,
        target_lang: str,
        min_score: float,
        limit: int,
    ) -> None:
        if ticket != self.latest:
            return  # the translator has moved on
        try:
            found = matching.search_memory(
                self.workspace,
                text,
                source_lang=source_lang,
                target_lang=target_lang,
                min_score=min_score,
                limit=limit,
            )
        except TranslatorError as exc:
            self.failed.emit(str(exc))
            return
        self.matched.emit(ticket, found)

    @Slot(str, str, str)
    def concordance(self, phrase: str, source_lang: str, target_lang: str) -> None:
        try:
            hits = matching.concordance(
                self.workspace, phrase, source_lang=source_lang, target_lang=target_lang
            )
        except TranslatorError as exc:
            self.failed.emit(str(exc))
            return
        self.concordance_found.emit(hits)


class MatchesPanel(QTabWidget):
    """Tab 1: matches for the current segment (Ctrl+1..5 inserts one). Tab 2: concordance."""

    requested = Signal(int, str, str, str, float, int)
    concordance_requested = Signal(str, str, str)
    insert_requested = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.min_score = 70.0
        self.limit = 5
        self.matches: list[Match] = []
        self.segment_text = ""
        self.source_lang, self.target_lang = "ar", "en"
        self._ticket = 0
        self.view = QTextBrowser(self)
        self.view.setOpenLinks(False)
        self.view.anchorClicked.connect(lambda url: self._insert_from_link(url.toString()))
        self.addTab(self.view, self.tr("Matches"))
        concordance = QWidget(self)
        self.concordance_input = QLineEdit(concordance)
        self.concordance_input.setPlaceholderText(
            self.tr("Search the memory for a word or phrase (source or target)")
        )
        self.concordance_input.returnPressed.connect(self.search_concordance)
        button = QPushButton(self.tr("Search"), concordance)
        button.clicked.connect(self.search_concordance)
        row = QHBoxLayout()
        row.addWidget(self.concordance_input, 1)
        row.addWidget(button)
        self.concordance_view = QTextBrowser(concordance)
        layout = QVBoxLayout(concordance)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.concordance_view, 1)
        self.addTab(concordance, self.tr("Concordance"))
        self._thread = QThread(self)
        self._worker = _Worker(workspace)
        self._worker.moveToThread(self._thread)
        self.requested.connect(self._worker.lookup)
        self.concordance_requested.connect(self._worker.concordance)
        self._worker.matched.connect(self._show)
        self._worker.concordance_found.connect(self._show_concordance)
        self._worker.failed.connect(self.view.setPlainText)
        self._thread.start()

    def set_workspace(self, workspace: Workspace) -> None:
        self._worker.workspace = workspace

    def set_languages(self, source_lang: str, target_lang: str) -> None:
        self.source_lang, self.target_lang = source_lang, target_lang

    def lookup(self, text: str) -> None:
        """Ask for the matches of a segment; the answer arrives in the panel by itself."""
        self._ticket += 1
        self._worker.latest = self._ticket
        self.segment_text = text
        self.matches = []
        self.view.setHtml("")
        if text.strip():
            self.requested.emit(
                self._ticket, text, self.source_lang, self.target_lang, self.min_score, self.limit
            )

    @property
    def ticket(self) -> int:
        return self._ticket

    def _show(self, ticket: int, found: Sequence[Match]) -> None:
        if ticket != self._ticket:
            return
        self.matches = list(found)
        if not self.matches:
            self.view.setHtml(
                "<p style='color:#777'>"
                + html.escape(
                    self.tr("No memory match of {0}% or more").format(f"{self.min_score:g}")
                )
                + "</p>"
            )
            return
        src_dir = "rtl" if is_rtl(self.source_lang) else "ltr"
        tgt_dir = "rtl" if is_rtl(self.target_lang) else "ltr"
        rows = []
        for number, match in enumerate(self.matches, 1):
            when = f"{match.changed_at:%Y-%m-%d}" if match.changed_at else ""
            about = " · ".join(x for x in (match.origin or "", when, match.changed_by or "") if x)
            colour = "#2e7d32" if match.score >= 100 else "#e08a00" if match.score >= 90 else "#555"
            rows.append(
                f"<table width='100%' cellspacing='0' cellpadding='2'><tr>"
                f"<td width='70' valign='top'><a href='insert:{number}'><b>Ctrl+{number}</b></a>"
                f"<br><b style='color:{colour}'>{match.score:g}%</b></td>"
                f"<td valign='top'><div dir='{src_dir}'>"
                f"{highlight_differences(match.source, self.segment_text)}</div>"
                f"<div dir='{tgt_dir}'><b>{html.escape(match.target)}</b></div>"
                f"<div style='color:#777; font-size:small'>{html.escape(about)}</div>"
                f"</td></tr></table><hr>"
            )
        self.view.setHtml("".join(rows))

    def _insert_from_link(self, link: str) -> None:
        if link.startswith("insert:"):
            self.insert(int(link.split(":", 1)[1]))

    def insert(self, number: int) -> bool:
        """Put match ``number`` (from 1) into the translation."""
        if not 1 <= number <= len(self.matches):
            return False
        self.insert_requested.emit(self.matches[number - 1].target)
        return True

    def search_concordance(self) -> None:
        phrase = self.concordance_input.text().strip()
        if phrase:
            self.setCurrentIndex(1)
            self.concordance_view.setHtml("")
            self.concordance_requested.emit(phrase, self.source_lang, self.target_lang)

    def _show_concordance(self, hits: Sequence[ConcordanceHit]) -> None:
        self.concordance_hits = list(hits)
        if not hits:
            self.concordance_view.setPlainText(self.tr("Not found in the memory"))
            return
        src_dir = "rtl" if is_rtl(self.source_lang) else "ltr"
        tgt_dir = "rtl" if is_rtl(self.target_lang) else "ltr"
        self.concordance_view.setHtml(
            "".join(
                f"<div dir='{src_dir}'>{html.escape(h.source)}</div>"
                f"<div dir='{tgt_dir}'><b>{html.escape(h.target)}</b></div>"
                f"<div style='color:#777; font-size:small'>{html.escape(h.origin or '')}</div><hr>"
                for h in hits
            )
        )

    def shutdown(self) -> None:
        self._thread.quit()
        self._thread.wait()
