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
