"""The editor as a translator uses it: real key presses, checked in the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QRectF, Qt
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit

from tests.conftest import shared_data
from translator.domain import Status
from translator.services import documents, segments
from translator.storage.database import Workspace, open_workspace
from translator.ui.main_window import MainWindow
from translator.ui.models.segments import SOURCE, TARGET

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def stored(workspace: Workspace, n: int, doc: int = 1) -> tuple[str | None, Status]:
    segment = documents.load_document(workspace, doc).segments[n - 1]
    return segment.target, segment.status


def key(qtbot, widget, k: Qt.Key, modifiers: Qt.KeyboardModifier = CTRL) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(widget, k, modifiers)


@pytest.fixture
def opened(window: MainWindow, article: Path) -> MainWindow:
    assert window.import_file(str(article))
    assert window.editor.current_segment is not None
    return window


def test_import_opens_the_article_with_arabic_laid_out_right_to_left(opened: MainWindow) -> None:
    editor = opened.editor
    assert editor.model.rowCount() == 5
    assert editor.model.data(editor.model.index(0, SOURCE)) == (
        "قال د. أحمد إن الجيش انسحب من المدينة."
    )
    assert editor.current_segment is not None and editor.current_segment.n == 1
    assert SOURCE in editor.delegate.rtl_columns and TARGET not in editor.delegate.rtl_columns
    assert editor.source_view.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert editor.target_edit.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert "0/5 segments" in opened.status_label.text()
    # the Arabic sentence (shorter than the field) stands at its right edge
    width = editor.source_view.viewport().width()
    line = first_line(editor.source_view)
    assert line.left() > 40 and line.right() > width - 20, (line, width)
    editor.target_edit.setPlainText("Dr. Ahmed said")
    assert first_line(editor.target_edit).left() < 10


def first_line(edit: QPlainTextEdit) -> QRectF:
    """Where the first line of a field's text is drawn."""
    layout = edit.document().firstBlock().layout()
    assert layout is not None and layout.lineCount() > 0
    return layout.lineAt(0).naturalTextRect()


def test_segment_model_passes_the_qt_model_tester(qtmodeltester, opened: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(opened.editor.model)


def test_type_confirm_and_move_on_with_the_keyboard(
    qtbot,
    opened: MainWindow,
    workspace: Workspace,  # type: ignore[no-untyped-def]
) -> None:
    edit = opened.editor.target_edit
    qtbot.keyClicks(edit, "Dr. Ahmed said the army withdrew from the city.")
    key(qtbot, edit, Qt.Key.Key_Return)
    assert stored(workspace, 1) == (
        "Dr. Ahmed said the army withdrew from the city.",
        Status.TRANSLATED,
    )
    assert opened.editor.current_segment is not None and opened.editor.current_segment.n == 2
    qtbot.keyClicks(edit, "He added: 'We will not return'!")
    key(qtbot, edit, Qt.Key.Key_Enter)  # the keypad Enter confirms too
    assert stored(workspace, 2)[1] is Status.TRANSLATED
    assert "2/5 segments (40%)" in opened.status_label.text()
    key(qtbot, edit, Qt.Key.Key_Up)
    assert opened.editor.current_segment.n == 2  # type: ignore[union-attr]
    key(qtbot, edit, Qt.Key.Key_Down)
    key(qtbot, edit, Qt.Key.Key_Down)
    assert opened.editor.current_segment.n == 4  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: "40%" in opened.model.data(opened.model.index(0, 3)), timeout=3000)


def test_confirm_skips_to_the_next_unconfirmed_and_wraps(
    qtbot,
    opened: MainWindow,
    workspace: Workspace,  # type: ignore[no-untyped-def]
) -> None:
    editor = opened.editor
    editor.go_to_segment(5)
    qtbot.keyClicks(editor.target_edit, "Inflation reached 3.5 percent today.")
    key(qtbot, editor.target_edit, Qt.Key.Key_Return)
    assert editor.current_segment.n == 1  # type: ignore[union-attr]


def test_typing_is_saved_as_a_draft_within_a_second(
    qtbot,
    opened: MainWindow,
    workspace: Workspace,  # type: ignore[no-untyped-def]
) -> None:
    qtbot.keyClicks(opened.editor.target_edit, "Dr. Ahmed said")
    qtbot.waitUntil(lambda: stored(workspace, 1) == ("Dr. Ahmed said", Status.DRAFT), timeout=1500)


def test_moving_away_saves_what_was_typed(
    qtbot,
    opened: MainWindow,
    workspace: Workspace,  # type: ignore[no-untyped-def]
) -> None:
    qtbot.keyClicks(opened.editor.target_edit, "half a sentence")
    key(qtbot, opened.editor.target_edit, Qt.Key.Key_Down)
    assert stored(workspace, 1) == ("half a sentence", Status.DRAFT)


def test_undo_and_redo_across_segments(
    qtbot,
    opened: MainWindow,
    workspace: Workspace,  # type: ignore[no-untyped-def]
) -> None:
    edit = opened.editor.target_edit
    qtbot.keyClicks(edit, "One.")
    key(qtbot, edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, "Two.")
    key(qtbot, edit, Qt.Key.Key_Return)
    assert stored(workspace, 2) == ("Two.", Status.TRANSLATED)
    key(qtbot, edit, Qt.Key.Key_Z)  # undo the confirm of 2
    assert stored(workspace, 2) == ("Two.", Status.DRAFT)
    key(qtbot, edit, Qt.Key.Key_Z)  # undo the typing of 2
    assert stored(workspace, 2) == (None, Status.NEW)
    key(qtbot, edit, Qt.Key.Key_Z)  # and the confirm of 1
    assert stored(workspace, 1) == ("One.", Status.DRAFT)
    assert opened.editor.current_segment.n == 1  # type: ignore[union-attr]
    assert edit.toPlainText() == "One."
    key(qtbot, edit, Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored(workspace, 1) == ("One.", Status.TRANSLATED)
    key(qtbot, edit, Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored(workspace, 2) == ("Two.", Status.DRAFT)


def test_copy_source_to_target(
    qtbot,
    opened: MainWindow,
    workspace: Workspace,  # type: ignore[no-untyped-def]
) -> None:
    key(qtbot, opened.editor.target_edit, Qt.Key.Key_C, CTRL | SHIFT)
    assert opened.editor.target_edit.toPlainText() == "قال د. أحمد إن الجيش انسحب من المدينة."
    assert stored(workspace, 1) == ("قال د. أحمد إن الجيش انسحب من المدينة.", Status.DRAFT)


def test_split_and_merge_with_undo(
    qtbot,
    opened: MainWindow,
    workspace: Workspace,  # type: ignore[no-untyped-def]
) -> None:
    editor = opened.editor
    source = editor.source_view
    cursor = source.textCursor()
    cursor.setPosition(len("قال د. أحمد إن الجيش انسحب"))
    source.setTextCursor(cursor)
    key(qtbot, editor.target_edit, Qt.Key.Key_T)
    doc = documents.load_document(workspace, 1)
    assert [s.source for s in doc.segments[:2]] == ["قال د. أحمد إن الجيش انسحب", "من المدينة."]
    assert len(doc.segments) == 6 and editor.model.rowCount() == 6
    key(qtbot, editor.target_edit, Qt.Key.Key_J)  # merge them back
    doc = documents.load_document(workspace, 1)
    assert doc.segments[0].source == "قال د. أحمد إن الجيش انسحب من المدينة."
    assert len(doc.segments) == 5
    key(qtbot, editor.target_edit, Qt.Key.Key_Z)  # undo the merge: split again
    assert len(documents.load_document(workspace, 1).segments) == 6
    key(qtbot, editor.target_edit, Qt.Key.Key_Z)  # undo the split
    assert [s.source for s in documents.load_document(workspace, 1).segments] == [
        s.source for s in doc.segments
    ]


def test_merge_refuses_across_paragraphs(
    qtbot,
    opened: MainWindow,
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    opened.editor.go_to_segment(2)
    key(qtbot, opened.editor.target_edit, Qt.Key.Key_J)
    assert len(shown) == 1 and "paragraph" in shown[0]
    assert len(documents.load_document(workspace, 1).segments) == 5


def test_find_and_replace(qtbot, opened: MainWindow, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    editor = opened.editor
    for text in ("The war is over.", "The WAR goes on."):
        qtbot.keyClicks(editor.target_edit, text)
        key(qtbot, editor.target_edit, Qt.Key.Key_Return)
    key(qtbot, editor.target_edit, Qt.Key.Key_F)
    dialog = opened.find_dialog
    assert dialog.isVisible()
    dialog.find_text.setText("الحرب")
    dialog.next_button.click()
    assert editor.current_segment.n == 3  # type: ignore[union-attr]
    assert editor.source_view.textCursor().selectedText() == "الحرب"
    key(qtbot, editor.target_edit, Qt.Key.Key_H)
    dialog.find_text.setText(r"\bwar\b")
    dialog.regex.setChecked(True)
    dialog.replace_text.setText("fighting")
    dialog.replace_all_button.click()
    assert stored(workspace, 1)[0] == "The fighting is over."
    assert stored(workspace, 2)[0] == "The fighting goes on."
    key(qtbot, editor.target_edit, Qt.Key.Key_Z)
    assert stored(workspace, 1)[0] == "The war is over."
    assert stored(workspace, 2)[0] == "The WAR goes on."


def test_filter_by_status_and_text(qtbot, opened: MainWindow) -> None:  # type: ignore[no-untyped-def]
    editor = opened.editor
    qtbot.keyClicks(editor.target_edit, "One.")
    key(qtbot, editor.target_edit, Qt.Key.Key_Return)
    editor.status_filter.setCurrentText("Not confirmed")
    assert editor.model.rowCount() == 4
    editor.status_filter.setCurrentText("Translated")
    assert editor.model.rowCount() == 1
    editor.status_filter.setCurrentIndex(0)
    editor.text_filter.setText("الحرب")  # QTest cannot type non-ASCII keys
    assert editor.model.rowCount() == 1
    assert editor.current_segment.n == 3  # type: ignore[union-attr]
    assert editor.go_to_segment(5)  # going to a hidden segment clears the filter
    assert editor.model.rowCount() == 5


def test_paste_strips_direction_marks_unless_asked(qtbot, opened: MainWindow) -> None:  # type: ignore[no-untyped-def]
    edit = opened.editor.target_edit
    mime = QMimeData()
    mime.setText("\u200fAl-Qaeda\u200e said\u202b x\u202c")
    edit.insertFromMimeData(mime)
    assert edit.toPlainText() == "Al-Qaeda said x"
    edit.clear()
    opened.keep_marks_action.trigger()
    edit.insertFromMimeData(mime)
    assert edit.toPlainText() == "\u200fAl-Qaeda\u200e said\u202b x\u202c"


def test_show_direction_marks_in_the_grid(qtbot, opened: MainWindow, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    segment = documents.load_document(workspace, 1).segments[0]
    segments.update_segment(
        workspace,
        segment.id,
        target="\u200fHello",
        status=Status.DRAFT,
        expected_version=segment.version,
    )
    opened.editor.reload(1)
    index = opened.editor.model.index(0, TARGET)
    assert opened.editor.model.data(index) == "\u200fHello"
    opened.show_marks_action.trigger()
    assert opened.editor.model.data(index) == "⟨RLM⟩Hello"


def test_export_from_the_window(
    qtbot,
    opened: MainWindow,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    for text in ("One.", "Two."):
        qtbot.keyClicks(opened.editor.target_edit, text)
        key(qtbot, opened.editor.target_edit, Qt.Key.Key_Return)
    out = tmp_path / "out.txt"
    assert opened.export_file(str(out))
    assert out.read_text(encoding="utf-8").splitlines()[:2] == ["One. Two.", ""]
    # What the export left in the source language is said where it can be read whole.
    box = opened.export_warning
    assert box.isVisible() and box.text() == "Exported out.txt, but:"
    assert box.informativeText() == "• 3 untranslated segment(s); their source text stands in"


def test_a_bad_file_shows_one_message(
    opened: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"%PDF-1.4\n" + bytes(range(256)))
    assert not opened.import_file(str(bad))
    assert len(shown) == 1 and "scan.txt" in shown[0] and "PDF" in shown[0]
    assert opened.model.rowCount() == 1


def test_a_real_news_article(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.import_file(str(shared_data("parallel", "tico19_wikinews.ar")))
    assert window.editor.model.rowCount() >= 88


def test_two_windows_never_overwrite_each_other(
    qtbot,
    opened: MainWindow,
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    """A colleague saves segment 1 first; our save must ask, not overwrite."""
    other = open_workspace(workspace.url)
    first = documents.load_document(other, 1).segments[0]
    segments.update_segment(
        other,
        first.id,
        target="Their version.",
        status=Status.TRANSLATED,
        expected_version=first.version,
        author="amal",
    )
    other.close()

    def load_theirs(box: QMessageBox) -> int:
        [button] = [b for b in box.buttons() if b.text() == "Load Theirs"]
        button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", load_theirs)
    qtbot.keyClicks(opened.editor.target_edit, "My version.")
    key(qtbot, opened.editor.target_edit, Qt.Key.Key_Return)
    assert stored(workspace, 1) == ("Their version.", Status.TRANSLATED)
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == "My version."


def test_settings_are_remembered(
    qtbot,
    workspace: Workspace,
    settings,
    article: Path,  # type: ignore[no-untyped-def]
) -> None:
    first = MainWindow(workspace, settings)
    qtbot.addWidget(first)
    first.zoom(3)
    first.resize(700, 500)  # the offscreen screen is 800x600; bigger would be clamped
    first.close()
    second = MainWindow(workspace, settings)
    qtbot.addWidget(second)
    assert second.editor.target_edit.font().pointSize() == 14
    assert (second.size().width(), second.size().height()) == (700, 500)


def test_every_shortcut_is_listed(opened: MainWindow) -> None:
    from translator.ui.dialogs import ShortcutsDialog

    dialog = ShortcutsDialog(opened.all_actions, opened)
    names = {dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())}
    assert {"Confirm and Go to Next Unconfirmed", "Undo", "Split Segment at Source Cursor"} <= names
    menu_actions = {a for m in opened.menuBar().actions() for a in m.menu().actions()}
    assert all(a in menu_actions for a in opened.all_actions if a.shortcuts())


def test_document_list_model_passes_the_qt_model_tester(qtmodeltester, opened: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(opened.model)


def test_dropping_an_article_on_the_window_imports_it(
    qtbot,
    window: MainWindow,
    article: Path,  # type: ignore[no-untyped-def]
) -> None:
    from PySide6.QtCore import QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(article))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert window.model.rowCount() == 1
    assert window.editor.model.rowCount() == 5


def test_a_glossary_dropped_on_the_window_goes_to_the_glossary(
    qtbot,
    window: MainWindow,
    workspace: Workspace,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from PySide6.QtCore import QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    from translator.services import glossary

    terms = tmp_path / "terms.csv"
    terms.write_text("ar,en\nحلب,Aleppo\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(terms))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert [(t.source, t.target) for t in glossary.list_terms(workspace)] == [("حلب", "Aleppo")]
    assert window.model.rowCount() == 0  # not an article


def test_long_work_runs_off_the_gui_thread_and_can_be_cancelled(
    qtbot,
    window: MainWindow,  # type: ignore[no-untyped-def]
) -> None:
    import threading
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from translator.ui.workers import run_with_progress

    threads: list[threading.Thread] = []
    steps: list[int] = []

    def work(progress) -> str:  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        for step in range(1000):
            progress(step, 1000)
            steps.append(step)
            time.sleep(0.01)
        return "finished"

    def press_cancel() -> None:
        [dialog] = window.findChildren(QProgressDialog)
        dialog.findChild(QPushButton).click()  # as the translator does

    QTimer.singleShot(300, press_cancel)
    assert run_with_progress(window, "Working", work, delay_ms=0) is None
    assert threads and threads[0] is not threading.main_thread()
    assert 0 < len(steps) < 1000


def test_export_docx_from_the_window(
    qtbot,
    opened: MainWindow,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from translator.formats.registry import read_document

    qtbot.keyClicks(opened.editor.target_edit, "Dr. Ahmed said the army withdrew.")
    key(qtbot, opened.editor.target_edit, Qt.Key.Key_Return)
    out = tmp_path / "out.docx"
    assert opened.export_file(str(out))
    assert read_document(out).paragraphs[0].startswith("Dr. Ahmed said the army withdrew. ")


def test_a_po_file_opens_and_exports_from_the_window(
    qtbot,
    window: MainWindow,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from tests.formats.test_po import ARABIC_PO
    from translator.formats.po import read_po

    source = tmp_path / "guide.po"
    source.write_text(ARABIC_PO, encoding="utf-8")
    assert window.import_file(str(source))
    editor = window.editor
    assert editor.summary is not None and editor.summary.format == "po"
    assert TARGET in editor.delegate.rtl_columns  # English to Arabic: the target is RTL
    assert editor.target_edit.layoutDirection() == Qt.LayoutDirection.RightToLeft
    out = tmp_path / "out.po"
    assert window.export_file(str(out))
    assert read_po(out).entries == read_po(source).entries


def test_ctrl_z_right_after_typing_in_a_fresh_document_undoes_it(
    qtbot,
    window: MainWindow,
    article: Path,  # type: ignore[no-untyped-def]
) -> None:
    window.import_file(str(article))
    edit = window.editor.target_edit
    qtbot.keyClicks(edit, "Dr. Ahmed")  # before the draft timer has saved anything
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert edit.toPlainText() == ""
    qtbot.keyClick(
        edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert edit.toPlainText() == "Dr. Ahmed"


def test_the_current_row_is_shown_whole_once_rows_are_measured(
    qtbot,
    window: MainWindow,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    long = "قال المتحدث إن القوات انسحبت من المدينة بعد معارك عنيفة استمرت أياما طويلة " * 3
    path = tmp_path / "long.txt"
    path.write_text("\n".join(f"{long.strip()} {n}." for n in range(40)) + "\n", encoding="utf-8")
    window.import_file(str(path))
    table = window.editor.table
    for n in (6, 12, 25):
        window.editor.go_to_segment(n)
        qtbot.wait(50)  # the rows on screen are measured on a zero timer
        row = n - 1
        top = table.rowViewportPosition(row)
        assert table.rowHeight(row) > 40  # wrapped over several lines
        assert top >= 0 and top + table.rowHeight(row) <= table.viewport().height(), n


def test_ctrl_z_takes_back_the_last_burst_of_typing_not_the_whole_segment(
    qtbot,
    window: MainWindow,
    article: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    from translator.ui import undo

    clock = [1000.0]
    monkeypatch.setattr(undo.time, "monotonic", lambda: clock[0])
    window.import_file(str(article))
    edit = window.editor.target_edit
    qtbot.keyClicks(edit, "First part.")
    window.editor.save_draft()  # as the draft timer does
    clock[0] += 0.7
    qtbot.keyClicks(edit, " More")
    window.editor.save_draft()  # still typing: the same step
    clock[0] += 5  # a pause
    qtbot.keyClicks(edit, " Second part.")
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert edit.toPlainText() == "First part. More"
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert edit.toPlainText() == ""
