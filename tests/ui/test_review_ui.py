"""Review in the window: approve, reject, see the changes, score, export the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from translator.domain import Status
from translator.services import documents, segments
from translator.ui.dialogs import SegmentHistoryDialog
from translator.ui.main_window import MainWindow
from translator.ui.models.segments import STATUS

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def translated(qtbot, window: MainWindow, article: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    window.import_file(str(article))
    edit = window.editor.target_edit
    for text in (
        "Dr. Ahmed said the army pulled out of the city.",
        "He added: 'We will not come back'!",
        "Is the war over?",
        "Nobody knows.",
        "Inflation reached 3.5 percent today.",
    ):
        qtbot.keyClicks(edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Return, CTRL)
    return window


def status(window: MainWindow, n: int) -> tuple[str | None, Status, str | None]:
    segment = documents.load_document(window.workspace, 1).segments[n - 1]
    with window.workspace.session() as session:
        from translator.storage.models import SegmentRecord

        note = session.get_one(SegmentRecord, segment.id).note
    return segment.target, segment.status, note


def test_reviewer_edits_and_approves_and_sees_the_change(
    qtbot,
    translated: MainWindow,  # type: ignore[no-untyped-def]
) -> None:
    editor = translated.editor
    qtbot.keyClick(editor.target_edit, Qt.Key.Key_R, CTRL | SHIFT)
    assert editor.review_mode and editor.review_view.isVisible()
    editor.go_to_segment(1)
    assert "Unchanged" in editor.review_view.toPlainText()
    editor.target_edit.setPlainText("Dr. Ahmed said the army withdrew from the city.")
    qtbot.keyClick(editor.target_edit, Qt.Key.Key_Return, CTRL)
    target, state, _ = status(translated, 1)
    assert (target, state) == ("Dr. Ahmed said the army withdrew from the city.", Status.APPROVED)
    assert editor.current_segment.n == 2  # type: ignore[union-attr]
    editor.go_to_segment(1)
    shown = editor.review_view.toHtml()
    assert "pulled out of" in shown and "withdrew from" in shown  # struck out and added


def test_reject_with_a_comment(
    qtbot,
    translated: MainWindow,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    translated.review_mode_action.trigger()
    translated.editor.go_to_segment(3)
    monkeypatch.setattr(
        QInputDialog, "getText", lambda *_a, **_k: ("Use 'ended', as the wire does", True)
    )
    qtbot.keyClick(translated.editor.target_edit, Qt.Key.Key_J, CTRL | SHIFT)
    target, state, note = status(translated, 3)
    assert (target, state) == ("Is the war over?", Status.DRAFT)
    assert note == "Rejected by tester: Use 'ended', as the wire does"
    # The translator sees why, in the pane and in the grid, and can list what was sent back.
    editor = translated.editor
    translated.review_mode_action.trigger()
    editor.go_to_segment(1)
    assert not editor.note_label.isVisible()
    editor.go_to_segment(3)
    assert editor.note_label.isVisible()
    assert editor.note_label.text() == "Rejected by tester: Use 'ended', as the wire does"
    row = editor.model.row_of(editor.current_segment.id)  # type: ignore[union-attr]
    assert editor.model.index(row, STATUS).data() == "rejected"
    editor.status_filter.setCurrentText("Rejected")
    assert [editor.model.segment_at(r).n for r in range(editor.model.rowCount())] == [3]
    editor.status_filter.setCurrentIndex(0)
    # Its history says who did what, and why it was rejected.
    shown: list[SegmentHistoryDialog] = []
    monkeypatch.setattr(SegmentHistoryDialog, "exec", lambda self: shown.append(self) or 0)
    qtbot.keyClick(editor.target_edit, Qt.Key.Key_H, CTRL | SHIFT)
    [dialog] = shown
    rows = [
        [dialog.table.item(r, c).text() for c in (1, 2, 3, 5)]
        for r in range(dialog.table.rowCount())
    ]
    assert rows[0] == ["tester", "rejected", "draft", "Use 'ended', as the wire does"]
    assert rows[1][1:3] == ["confirmed", "translated"]
    # Confirmed again, the segment is no longer flagged.
    editor.go_to_segment(3)
    editor.target_edit.setPlainText("Has the war ended?")
    qtbot.keyClick(editor.target_edit, Qt.Key.Key_Return, CTRL)
    editor.go_to_segment(3)
    assert editor.model.index(row, STATUS).data() == "translated"
    assert not editor.note_label.isVisible()  # the history keeps the reason
    # Typed on later, it is a draft, not a rejected segment again.
    editor.target_edit.setPlainText("Has the war really ended?")
    editor.flush()
    assert editor.model.index(row, STATUS).data() == "draft"
    assert not editor.note_label.isVisible()


def test_undoing_a_rejection_takes_its_reason_away(
    qtbot,
    translated: MainWindow,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    translated.editor.go_to_segment(5)
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("too long", True))
    translated.reject_action.trigger()
    assert status(translated, 5)[1:] == (Status.DRAFT, "Rejected by tester: too long")
    translated.undo_action.trigger()
    assert status(translated, 5)[1:] == (Status.TRANSLATED, None)
    assert not translated.editor.note_label.isVisible()


def test_score_against_the_draft_and_export_the_report(
    qtbot,
    translated: MainWindow,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    doc = documents.load_document(translated.workspace, 1)
    for segment in doc.segments[:3]:
        new = segment.target.replace("army", "troops") if segment.target else None  # type: ignore[union-attr]
        segments.update_segment(
            translated.workspace,
            segment.id,
            target=new,
            status=Status.APPROVED,
            expected_version=segment.version,
        )
    result = translated.score(against="draft")
    assert result is not None
    dialog = translated.score_window
    assert dialog.isVisible()
    assert "BLEU" in dialog.summary.text() and "tok:13a" in dialog.summary.text()
    assert "too small" in dialog.summary.text() or "100 segments" in dialog.summary.text()
    chrf = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    assert chrf == sorted(chrf, key=float)  # worst first
    jumped: list[int] = []
    dialog.go_to_segment.connect(jumped.append)
    dialog.table.cellDoubleClicked.emit(0, 0)
    assert jumped == [int(dialog.table.item(0, 0).text())]
    html_path, csv_path, json_path = dialog.export_report(
        str(tmp_path / "report.html"), open_it=False
    )
    page = lxml_html.parse(str(html_path)).getroot()
    bleu = result.scores.metric("bleu")  # type: ignore[attr-defined]
    assert f"{bleu.score:.1f}" in page.text_content()
    assert csv_path.exists() and json_path.exists()


def test_score_against_an_attached_reference(  # type: ignore[no-untyped-def]
    qtbot,
    translated: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reference = tmp_path / "ap.txt"
    reference.write_text(
        "Dr. Ahmed said the army withdrew from the city.\nHe added: 'We will not return'!\n"
        "Is the war over?\nNobody knows.\nInflation reached 3.5 percent today.\n",
        encoding="utf-8",
    )
    assert translated.attach_reference(str(reference), published=False)
    result = translated.score(reference="ap")
    assert result is not None
    assert translated.score_window.table.rowCount() == 5
    short = tmp_path / "short.txt"
    short.write_text("Only one line.\n", encoding="utf-8")
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    assert not translated.attach_reference(str(short), published=False)
    assert shown and "5 segments" in shown[0]


def test_confirming_a_slip_warns_and_the_check_lists_it(
    qtbot, window: MainWindow, article: Path
) -> None:  # type: ignore[no-untyped-def]
    window.import_file(str(article))
    edit = window.editor.target_edit
    for text in (
        "Dr. Ahmed said the army pulled out of the city.",
        "He added: 'We will not come back'!",
        "Is the war over.",  # the question lost
        "Nobody knows.",
        "Inflation reached 5.3 percent today.",  # the figure turned round
    ):
        qtbot.keyClicks(edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Return, CTRL)
        message = window.statusBar().currentMessage()
        if text.startswith("Is the war"):  # it stays, whole in the tooltip, until the next
            assert window.statusBar().toolTip() == message.split(" · ")[0]
        if text.startswith("Inflation"):
            assert message == (
                "Segment 5 confirmed, but: 3.5 in the source, not in the translation; "
                "5.3 in the translation, not in the source · Every segment is confirmed"
            )
    assert all(s.status is Status.TRANSLATED for s in segments.load_segments(window.workspace, 1))
    qtbot.keyClick(edit, Qt.Key.Key_F7)
    dialog = window.check_window
    assert dialog.isVisible()
    assert dialog.summary.text() == (
        "3 thing(s) to look at in 2 segment(s) of the confirmed translations:"
    )
    rows = [
        [dialog.table.item(r, c).text() for c in range(3)] for r in range(dialog.table.rowCount())
    ]
    assert rows == [
        ["3", "question", "the source asks a question; the translation does not end with ?"],
        ["5", "number", "3.5 in the source, not in the translation"],
        ["5", "number", "5.3 in the translation, not in the source"],
    ]
    dialog.table.cellDoubleClicked.emit(1, 0)
    assert window.editor.current_segment.n == 5  # type: ignore[union-attr]
    window.editor.target_edit.setPlainText("Inflation reached 3.5 percent today.")
    qtbot.keyClick(window.editor.target_edit, Qt.Key.Key_Return, CTRL)
    dialog.refresh()
    assert dialog.table.rowCount() == 1
