"""The Glossary menu of the main window: its actions and what they do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from translator.domain import GlossaryImport, GlossaryTerm
from translator.errors import TranslatorError
from translator.services import glossary
from translator.ui.glossary_dialogs import (
    GlossaryDialog,
    TermCheckDialog,
    TermDialog,
    choose_and_import,
    import_glossary_file,
)
from translator.ui.views.terms import MAX_SHORTCUTS

if TYPE_CHECKING:
    from translator.ui.main_window import MainWindow


class GlossaryActions(QObject):
    """Add Term (Ctrl+Shift+T), Insert Term 1..9 (Alt+1..9), the glossary, import, check."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        editor = window.editor
        self.add_term_action = window._action(
            self.tr("&Add Term…"), self.add_term_dialog, "Ctrl+Shift+T"
        )
        self.insert_term_actions = [
            window._action(
                self.tr("Insert Term {0}").format(n),
                lambda _checked=False, n=n: editor.terms.insert(n),
                f"Alt+{n}",
            )
            for n in range(1, MAX_SHORTCUTS + 1)
        ]
        self.glossary_action = window._action(
            self.tr("&Glossary…"), self.show_glossary, "Ctrl+Shift+L"
        )
        self.import_action = window._action(self.tr("&Import Glossary…"), self._on_import)
        self.check_action = window._action(
            self.tr("&Check Terms in Document…"), self.check_document
        )

    @property
    def menu_actions(self) -> list[QAction | None]:
        return [
            self.add_term_action,
            *self.insert_term_actions,
            None,
            self.glossary_action,
            self.import_action,
            None,
            self.check_action,
        ]

    @property
    def editor_actions(self) -> list[QAction]:
        """The shortcuts the translation field must not swallow."""
        return [self.add_term_action, *self.insert_term_actions]

    def _languages(self) -> tuple[str, str]:
        summary = self.window.editor.summary
        return (summary.source_lang, summary.target_lang) if summary else ("ar", "en")

    def add_term_dialog(self) -> GlossaryTerm | None:
        """A new term, filled in from what is selected in the source and the translation."""
        source_lang, target_lang = self._languages()
        source, target = self.window.editor.selected_texts()
        dialog = TermDialog(
            self.window.workspace,
            source_lang=source_lang,
            target_lang=target_lang,
            source=source,
            target=target,
            parent=self.window,
        )
        dialog.exec()
        if dialog.saved is not None:
            self.window.editor.lookup_terms()
            self.window.statusBar().showMessage(
                self.tr("Added to the glossary: {0} → {1}").format(
                    dialog.saved.source, dialog.saved.target
                ),
                6000,
            )
        return dialog.saved

    def show_glossary(self) -> None:
        source_lang, target_lang = self._languages()
        GlossaryDialog(
            self.window.workspace,
            self.window.settings,
            source_lang=source_lang,
            target_lang=target_lang,
            parent=self.window,
        ).exec()
        self.window.editor.lookup_terms()

    def import_file(self, path: str) -> GlossaryImport | None:
        source_lang, target_lang = self._languages()
        report = import_glossary_file(
            self.window, self.window.workspace, path, source_lang, target_lang
        )
        self.window.editor.lookup_terms()
        return report

    def _on_import(self) -> None:
        source_lang, target_lang = self._languages()
        window = self.window
        choose_and_import(window, window.workspace, window.settings, source_lang, target_lang)
        window.editor.lookup_terms()

    def check_document(self) -> TermCheckDialog | None:
        editor = self.window.editor
        if editor.summary is None:
            self.window.statusBar().showMessage(self.tr("Open a document to check it"), 5000)
            return None
        editor.flush()
        try:
            issues = glossary.check_document(self.window.workspace, editor.summary.id)
        except TranslatorError as exc:
            self.window.statusBar().showMessage(str(exc), 8000)
            return None
        dialog = TermCheckDialog(
            issues,
            editor.go_to_segment,
            self.window,
            source_lang=editor.summary.source_lang,
            target_lang=editor.summary.target_lang,
        )
        dialog.open()
        return dialog
