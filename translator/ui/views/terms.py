"""The glossary panel: the terms of the current segment, their translations, and whether the
translation typed so far uses them.

A lookup is a small query (has the glossary changed?) and a search of one sentence in an
index kept between segments, so it runs on the GUI thread; while the translator types only
the typed text is searched, with no query at all.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from translator.domain import TermHit
from translator.errors import TranslatorError
from translator.services import glossary
from translator.storage.database import Workspace
from translator.text.bidi import is_rtl

_TERM = "background-color:#dcedfb;"
_MISSING = "color:#c62828;"
_USED = "color:#2e7d32;"
MAX_SHORTCUTS = 9  # Alt+1 .. Alt+9


class TermsPanel(QWidget):
    """The current segment's glossary terms (Alt+1..9 inserts one); a term the translation
    does not use yet is marked."""

    insert_requested = Signal(str)
    hits_changed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.source_lang, self.target_lang = "ar", "en"
        self.hits: list[TermHit] = []
        self.glossary_size = 0
        self.target_text = ""
        self.title = QLabel(self.tr("Glossary"), self)
        self.title.setStyleSheet("font-weight: bold")
        self.view = QTextBrowser(self)
        self.view.setOpenLinks(False)
        self.view.setAccessibleName(self.tr("Glossary terms in this segment"))
        self.view.anchorClicked.connect(lambda url: self._insert_from_link(url.toString()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)

    def set_workspace(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def set_languages(self, source_lang: str, target_lang: str) -> None:
        self.source_lang, self.target_lang = source_lang, target_lang

    def lookup(self, source: str, target: str) -> None:
        """Find the glossary's terms in a segment's source; check them against ``target``."""
        self.hits = []
        self.target_text = target
        if source.strip():
            try:
                index = glossary.term_index(self.workspace, self.source_lang, self.target_lang)
            except TranslatorError as exc:
                self.view.setPlainText(str(exc))
                return
            self.glossary_size = index.size
            self.hits = index.find(source)
        self._show()
        self.hits_changed.emit()

    def check(self, target: str) -> None:
        """The translation changed: mark again which terms it uses (the list is redrawn,
        where it was scrolled to, only when a mark changes)."""
        if target == self.target_text:
            return
        before = self._marks()
        self.target_text = target
        if self.hits and self._marks() != before:
            scrolled = self.view.verticalScrollBar().value()
            self._show()
            self.view.verticalScrollBar().setValue(scrolled)

    def _marks(self) -> list[bool | None]:
        typed = bool(self.target_text.strip())
        return [self._used(hit) if typed else None for hit in self.hits]

    def missing(self) -> list[TermHit]:
        """The terms whose translations the current translation uses none of."""
        return [hit for hit in self.hits if not self._used(hit)]

    def _used(self, hit: TermHit) -> bool:
        return glossary.uses_translation(self.target_text, hit)

    def _show(self) -> None:
        if not self.hits:
            message = (
                self.tr("No glossary term in this segment")
                if self.glossary_size
                else self.tr(
                    "The glossary has no {0}–{1} terms yet: select a term in the source and "
                    "press Ctrl+Shift+T to add one, or import a glossary (Glossary menu)"
                ).format(self.source_lang, self.target_lang)
            )
            self.view.setHtml(f"<p style='color:#777'>{html.escape(message)}</p>")
            return
        src_dir = "rtl" if is_rtl(self.source_lang) else "ltr"
        tgt_dir = "rtl" if is_rtl(self.target_lang) else "ltr"
        used_text, missing_text = self.tr("in the translation"), self.tr("not used yet")
        rows = []
        for number, hit in enumerate(self.hits, 1):
            key = (
                f"<a href='term:{number}'><b>Alt+{number}</b></a>"
                if number <= MAX_SHORTCUTS
                else ""
            )
            used = self._used(hit) if self.target_text.strip() else None
            mark = (
                ""
                if used is None
                else f"<span style='{_USED}'>✓ {used_text}</span>"
                if used
                else f"<span style='{_MISSING}'>✗ {missing_text}</span>"
            )
            targets = " | ".join(
                f"<a href='target:{number}:{i}'>{html.escape(t)}</a>"
                for i, t in enumerate(hit.targets)
            )
            note = (
                f"<div style='color:#777; font-size:small'>{html.escape(hit.note)}</div>"
                if hit.note
                else ""
            )
            shade = " bgcolor='#f4f6f8'" if number % 2 == 0 else ""
            rows.append(
                f"<tr{shade}><td width='50' valign='top'>{key}</td><td valign='top'>"
                f"<div dir='{src_dir}'><span style='{_TERM}'>{html.escape(hit.found)}</span>"
                f"</div><div dir='{tgt_dir}'><b>{targets}</b></div>"
                f"<div style='font-size:small'>{mark}</div>{note}</td></tr>"
            )
        self.view.setHtml(
            f"<table width='100%' cellspacing='0' cellpadding='4'>{''.join(rows)}</table>"
        )

    def _insert_from_link(self, link: str) -> None:
        kind, _, rest = link.partition(":")
        if kind == "term":
            self.insert(int(rest))
        elif kind == "target":
            number, _, which = rest.partition(":")
            self.insert(int(number), int(which))

    def insert(self, number: int, which: int = 0) -> bool:
        """Put term ``number``'s translation (its first, or ``which``) into the translation."""
        if not 1 <= number <= len(self.hits):
            return False
        targets: Sequence[str] = self.hits[number - 1].targets
        if not 0 <= which < len(targets):
            return False
        self.insert_requested.emit(targets[which])
        return True
