"""Translation memory in the window: import with a report, list and remove, export."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.conftest import shared_data
from translator.formats import tmx
from translator.ui.main_window import MainWindow
from translator.ui.memory_dialogs import MemoriesDialog


def test_import_a_real_memory_shows_what_happened(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    report = window.import_memory_file(str(shared_data("tmx", "tico19_all.en-ar.tmx")))
    assert report is not None and report.units > 3000
    dialog = window.last_report
    assert dialog.isVisible()
    assert f"{report.units} units imported" in dialog.summary.text()


def test_memories_can_be_seen_and_removed(
    qtbot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    window.import_memory_file(str(shared_data("tmx", "tico19_all.en-ar.tmx")))
    dialog = MemoriesDialog(window.workspace, window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 0).text() == "tico19_all.en-ar.tmx"
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    dialog.table.selectRow(0)
    dialog.remove_button.click()
    assert dialog.table.rowCount() == 0
    assert dialog.summary.text().startswith("0 units")


def test_confirmed_segments_are_exported_as_memory(
    qtbot,
    window: MainWindow,
    article: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    window.import_file(str(article))
    qtbot.keyClicks(window.editor.target_edit, "Dr. Ahmed said the army withdrew from the city.")
    qtbot.keyClick(
        window.editor.target_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    out = tmp_path / "memory.tmx"
    assert window.export_memory_file(str(out)) == 1
    [unit] = list(tmx.iter_units(out))
    assert unit.variant("ar").text == "قال د. أحمد إن الجيش انسحب من المدينة."  # type: ignore[union-attr]
    assert unit.variant("en").text == "Dr. Ahmed said the army withdrew from the city."  # type: ignore[union-attr]


WHO = "أعلنت منظمة الصحة العالمية (WHO) مرض كوفيد-19 جائحة في 11 مارس."


def open_with_memory(window: MainWindow, article: Path) -> None:
    """Import the TICO-19 memory, close its report, then open the article."""
    window.import_memory_file(str(shared_data("tmx", "tico19_all.en-ar.tmx")))
    window.last_report.close()
    window.activateWindow()  # offscreen, closing a dialog does not hand activation back
    window.import_file(str(article))


@pytest.fixture
def who_article(tmp_path: Path) -> Path:
    path = tmp_path / "who.txt"
    path.write_text(
        WHO.replace("11 مارس", "12 مارس") + " ذهب الولد إلى المدرسة.\n\n" + WHO + "\n",
        encoding="utf-8",
    )
    return path


def test_matches_appear_for_the_segment_and_ctrl_1_inserts_the_best(
    qtbot,
    window: MainWindow,
    who_article: Path,  # type: ignore[no-untyped-def]
) -> None:
    from translator.services import documents

    open_with_memory(window, who_article)
    panel = window.editor.matches
    qtbot.waitUntil(lambda: bool(panel.matches), timeout=5000)
    best = panel.matches[0]
    assert 90 <= best.score < 100 and best.source == WHO
    shown = panel.view.toHtml()
    assert "background-color:#ffe082" in shown  # the differing word is highlighted
    qtbot.keyClick(window.editor.target_edit, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.target_edit.toPlainText() == best.target
    segment = documents.load_document(window.workspace, 1).segments[0]
    assert segment.target == best.target and segment.status.value == "draft"


def test_confirming_fills_the_repetitions(
    qtbot,
    window: MainWindow,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from translator.services import documents

    article = tmp_path / "rep.txt"
    article.write_text("الحرب انتهت. السلام بدأ.\n\nالحرب انتهت.\n", encoding="utf-8")
    window.import_file(str(article))
    qtbot.keyClicks(window.editor.target_edit, "The war is over.")
    qtbot.keyClick(
        window.editor.target_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    third = documents.load_document(window.workspace, 1).segments[2]
    assert (third.target, third.status.value) == ("The war is over.", "translated")
    qtbot.keyClick(window.editor.target_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    third = documents.load_document(window.workspace, 1).segments[2]
    assert third.target is None  # the propagation is undone on its own


def test_concordance_panel(qtbot, window: MainWindow, who_article: Path) -> None:  # type: ignore[no-untyped-def]
    open_with_memory(window, who_article)
    qtbot.keyClick(window.editor.target_edit, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    panel = window.editor.matches
    assert panel.concordance_input.hasFocus()
    panel.concordance_input.setText("منظمة الصحة العالمية")
    qtbot.keyClick(panel.concordance_input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(getattr(panel, "concordance_hits", None)), timeout=5000)
    assert "World Health Organization" in panel.concordance_view.toPlainText()


def test_pretranslate_from_the_window(
    qtbot,
    window: MainWindow,
    who_article: Path,  # type: ignore[no-untyped-def]
) -> None:
    open_with_memory(window, who_article)
    assert window.pretranslate(100) == 1
    statuses = [s.status.value for s in window.editor.model.segments]
    assert statuses == ["new", "new", "pretranslated"]
