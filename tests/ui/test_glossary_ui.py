"""The glossary in the window: terms of the segment shown and inserted with the keyboard,
a new term from a selection, a warning on confirm, the glossary dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialog, QMessageBox

from tests.conftest import shared_data
from translator.services import glossary, segments
from translator.storage.database import Workspace
from translator.ui.glossary_dialogs import GlossaryDialog, TermDialog
from translator.ui.main_window import MainWindow

NEWS = (
    "قال متحدث باسم جيش العزة إن هيئة تحرير الشام انسحبت من حلب.\n\n"
    "وأكد أن لجيش العزة مواقع جديدة قرب إدلب.\n"
)


@pytest.fixture
def news(tmp_path: Path, workspace: Workspace) -> Path:
    glossary.add_term(workspace, "ar", "جيش العزة", "en", "Jaysh al-Azza", "armed group")
    glossary.add_term(workspace, "ar", "هيئة تحرير الشام", "en", "Hay'at Tahrir al-Sham")
    glossary.add_term(workspace, "ar", "حلب", "en", "Aleppo")
    path = tmp_path / "news.txt"
    path.write_text(NEWS, encoding="utf-8")
    return path


def alt(qtbot, window: MainWindow, n: int) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(
        window.editor.target_edit, Qt.Key(Qt.Key.Key_0 + n), Qt.KeyboardModifier.AltModifier
    )


def test_terms_of_the_segment_are_shown_highlighted_and_inserted_with_alt_digits(
    qtbot,
    window: MainWindow,
    news: Path,  # type: ignore[no-untyped-def]
) -> None:
    window.import_file(str(news))
    panel = window.editor.terms
    assert [(h.found, h.targets[0]) for h in panel.hits] == [
        ("جيش العزة", "Jaysh al-Azza"),
        ("هيئة تحرير الشام", "Hay'at Tahrir al-Sham"),
        ("حلب", "Aleppo"),
    ]
    shown = panel.view.toPlainText()
    assert "Alt+1" in shown and "Jaysh al-Azza" in shown and "armed group" in shown
    # the terms are shaded where the source field has them
    source = window.editor.source_view

    def shaded() -> list[str]:
        return [s.cursor.selectedText() for s in source.extraSelections()]

    assert shaded() == ["جيش العزة", "هيئة تحرير الشام", "حلب"]

    edit = window.editor.target_edit
    qtbot.keyClicks(edit, "A spokesman for")
    window.editor.save_draft()  # as the draft timer does: the shading stays
    assert shaded() == ["جيش العزة", "هيئة تحرير الشام", "حلب"]
    alt(qtbot, window, 1)
    qtbot.keyClicks(edit, " said")
    alt(qtbot, window, 2)
    qtbot.keyClicks(edit, " withdrew from")
    alt(qtbot, window, 3)
    qtbot.keyClicks(edit, ".")
    expected = "A spokesman for Jaysh al-Azza said Hay'at Tahrir al-Sham withdrew from Aleppo."
    assert edit.toPlainText() == expected
    assert panel.missing() == []
    assert panel.view.toPlainText().count("in the translation") == 3
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    stored = segments.load_segments(window.workspace, 1)[0]
    assert (stored.target, stored.status.is_confirmed) == (expected, True)
    # the second segment: its term with a clitic is found, a term not in the glossary is not
    assert [(h.found, h.targets[0]) for h in panel.hits] == [("لجيش العزة", "Jaysh al-Azza")]


def test_confirming_without_a_glossary_term_warns_and_still_confirms(
    qtbot,
    window: MainWindow,
    news: Path,  # type: ignore[no-untyped-def]
) -> None:
    window.import_file(str(news))
    edit = window.editor.target_edit
    qtbot.keyClicks(edit, "A spokesman for Jaish al-Izza said HTS withdrew from Aleppo.")
    assert [h.found for h in window.editor.terms.missing()] == ["جيش العزة", "هيئة تحرير الشام"]
    assert "not used yet" in window.editor.terms.view.toPlainText()
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    message = window.statusBar().currentMessage()
    assert "confirmed, but" in message and "should be translated “Jaysh al-Azza”" in message
    assert segments.load_segments(window.workspace, 1)[0].status.is_confirmed


def test_a_term_is_added_from_the_selection_and_found_at_once(
    qtbot,
    window: MainWindow,
    news: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    window.import_file(str(news))
    window.editor.go_to_segment(2)
    source = window.editor.source_view
    text = source.toPlainText()
    cursor = source.textCursor()
    cursor.setPosition(text.index("إدلب"))
    cursor.setPosition(text.index("إدلب") + len("إدلب"), QTextCursor.MoveMode.KeepAnchor)
    source.setTextCursor(cursor)
    shown: list[TermDialog] = []

    def fill_and_save(dialog: TermDialog) -> int:
        shown.append(dialog)
        assert dialog.source.text() == "إدلب"
        assert dialog.target.hasFocus() or dialog.focusWidget() is dialog.target
        dialog.target.setText("Idlib")
        dialog.accept()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(TermDialog, "exec", fill_and_save)
    qtbot.keyClick(
        window.editor.target_edit,
        Qt.Key.Key_T,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert shown, "Ctrl+Shift+T opened no dialog"
    assert [h.targets[0] for h in window.editor.terms.hits] == ["Jaysh al-Azza", "Idlib"]
    assert "Idlib" in window.statusBar().currentMessage()


def test_a_duplicate_term_keeps_the_dialog_open_with_what_was_typed(
    qtbot,
    window: MainWindow,
    news: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    dialog = TermDialog(
        window.workspace, source_lang="ar", target_lang="en", source="حلب", target="Aleppo"
    )
    qtbot.addWidget(dialog)
    dialog.accept()
    assert "already in the glossary" in warnings[0]
    assert dialog.saved is None and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.target.text() == "Aleppo"


def test_glossary_dialog_searches_edits_removes_and_imports(
    qtbot,
    window: MainWindow,
    news: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    dialog = GlossaryDialog(window.workspace, window.settings, parent=window)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 3
    qtbot.keyClicks(dialog.search, "armed")
    assert dialog.model.rowCount() == 1 and dialog.count.text() == "1 term"
    dialog.search.clear()

    dialog.table.selectRow(2)
    monkeypatch.setattr(
        TermDialog, "exec", lambda d: (d.target.setText("Halab"), d.accept(), 1)[-1]
    )
    assert dialog.edit_selected() is not None
    assert dialog.model.row_at(2).target == "Halab"

    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    dialog.table.selectRow(0)
    assert dialog.remove_selected() == 1
    assert [dialog.model.row_at(r).source for r in range(dialog.model.rowCount())] == [
        "هيئة تحرير الشام",
        "حلب",
    ]
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getOpenFileName",
        lambda *_a, **_k: (str(shared_data("glossary", "tico19_google_g_ar_en.csv")), ""),
    )
    dialog.import_dialog()
    assert dialog.model.rowCount() == 2 + 49
    report = dialog.property("last_glossary_report")
    assert "49 terms added" in report.summary.text()
    qtmodeltester.check(dialog.model)


def test_a_glossary_that_cannot_be_read_says_why_and_adds_nothing(
    qtbot,
    window: MainWindow,
    news: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    bad = tmp_path / "broken.tbx"
    bad.write_text('<?xml version="1.0"?>\n<martif><text><body><termEntry>\n', encoding="utf-8")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    assert window.glossary.import_file(str(bad)) is None
    assert "broken.tbx" in warnings[0] and "line" in warnings[0]
    assert len(glossary.list_terms(window.workspace)) == 3


def test_check_document_lists_segments_and_goes_to_one(
    qtbot,
    window: MainWindow,
    news: Path,  # type: ignore[no-untyped-def]
) -> None:
    window.import_file(str(news))
    edit = window.editor.target_edit
    qtbot.keyClicks(edit, "A spokesman for Jaysh al-Azza said HTS withdrew from Aleppo.")
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    dialog = window.glossary.check_document()
    assert dialog is not None and dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "هيئة تحرير الشام"
    assert window.editor.current_segment.n == 2  # type: ignore[union-attr]
    dialog.table.cellDoubleClicked.emit(0, 1)
    assert window.editor.current_segment.n == 1  # type: ignore[union-attr]


def test_shading_lands_on_the_term_after_an_emoji_and_a_no_break_space(
    qtbot,
    window: MainWindow,
    workspace: Workspace,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    glossary.add_term(workspace, "ar", "حلب", "en", "Aleppo")
    path = tmp_path / "breaking.txt"
    path.write_text("🔴 عاجل:\u00a0انفجار في حلب وقتلى.\n", encoding="utf-8")
    window.import_file(str(path))
    source = window.editor.source_view
    assert [s.cursor.selectedText() for s in source.extraSelections()] == ["حلب"]


def test_the_glossary_dialog_shows_every_pair_from_the_documents_language(
    qtbot,
    window: MainWindow,
    workspace: Workspace,  # type: ignore[no-untyped-def]
) -> None:
    glossary.add_term(workspace, "ar", "حلب", "en", "Aleppo")
    glossary.add_term(workspace, "en", "Idlib", "ar", "إدلب")  # stored the other way round
    dialog = GlossaryDialog(workspace, window.settings, source_lang="ar", parent=window)
    qtbot.addWidget(dialog)
    rows = [
        [dialog.model.index(r, c).data() for c in range(3)] for r in range(dialog.model.rowCount())
    ]
    assert rows == [["حلب", "Aleppo", "ar → en"], ["إدلب", "Idlib", "ar → en"]]
    assert dialog.model.row_at(1).source == "Idlib"  # editing keeps the stored pair


def test_tab_from_the_translation_reaches_the_source_to_select_a_term(
    qtbot,
    window: MainWindow,
    news: Path,  # type: ignore[no-untyped-def]
) -> None:
    window.import_file(str(news))
    window.activateWindow()  # focus moves only in the active window
    qtbot.waitActive(window)
    window.editor.target_edit.setFocus()
    qtbot.waitUntil(window.editor.target_edit.hasFocus)
    qtbot.keyClick(window.editor.target_edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(window.editor.source_view.hasFocus)
