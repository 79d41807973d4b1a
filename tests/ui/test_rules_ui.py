"""Segmentation rules chosen in the window apply to the articles imported afterwards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.cli.test_rules_cli import ARTICLE, RULES
from translator.ui.dialogs import SegmentationRulesDialog, rule_files
from translator.ui.main_window import MainWindow


def test_rules_chosen_in_the_dialog_segment_the_next_import(
    qtbot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    good = tmp_path / "newsroom.json"
    good.write_text(json.dumps(RULES, ensure_ascii=False), encoding="utf-8")
    bad = tmp_path / "typo.json"
    bad.write_text('{"rules": [{"brake": true}]}', encoding="utf-8")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))

    dialog = SegmentationRulesDialog(window.settings, window)
    qtbot.addWidget(dialog)
    assert not dialog.add_file(str(bad))
    assert "typo.json" in warnings[0] and "brake" in warnings[0]
    assert dialog.add_file(str(good))
    assert rule_files(window.settings) == [str(good)]

    assert window.import_file(str(article))
    assert [s.source for s in window.editor.model.segments] == [
        "اشترى السكان الخبز والأرز إلخ. من السوق المركزي.",
        "وعاد الهدوء.",
    ]
    dialog.files.setCurrentRow(0)
    dialog.remove_selected()
    assert rule_files(window.settings) == []
    assert window.import_file(str(article))
    assert len(window.editor.model.segments) == 3
