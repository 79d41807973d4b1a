"""A PO message's plural forms translated in the editor, saved and exported."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.formats.test_po import ARABIC_PO
from translator.formats.po import read_po
from translator.services import documents, po_plurals, segments
from translator.storage.database import Workspace
from translator.ui.main_window import MainWindow

UNTRANSLATED = ARABIC_PO.replace(
    'msgstr[2] "أصيب شخصان"\nmsgstr[3] "أصيب %d أشخاص"', 'msgstr[2] ""\nmsgstr[3] ""'
)


@pytest.fixture
def po_file(tmp_path: Path) -> Path:
    path = tmp_path / "guide.ar.po"
    path.write_text(UNTRANSLATED, encoding="utf-8")
    return path


def test_plural_forms_are_typed_saved_and_exported(
    qtbot,
    window: MainWindow,
    po_file: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    window.import_file(str(po_file))
    editor = window.editor
    window.editor.go_to_segment(2)  # "%d person was injured"
    box = editor.plurals
    assert box.isVisible() and len(box.fields) == 5
    assert "%d people were injured" in box.title.text()
    assert [f.text() for f in box.fields] == [
        "أصيب شخص واحد",
        "",
        "",
        "أصيب %d شخصًا",
        "أصيب %d شخص",
    ]
    # typed with the keyboard (QTest types ASCII only; the words stand in for Arabic)
    qtbot.keyClicks(box.fields[1], "two injured")
    qtbot.keyClicks(box.fields[2], "%d injured (3-10)")
    qtbot.keyClick(editor.target_edit, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert editor.current_segment.n == 3  # type: ignore[union-attr]
    assert not editor.plurals_area.isVisible()  # not a plural message
    out = tmp_path / "back.po"
    assert window.export_file(str(out))
    plural = next(e for e in read_po(out).entries if e.msgid_plural)
    assert plural.msgstr_plural == (
        "لم يصب أحد",
        "أصيب شخص واحد",
        "two injured",
        "%d injured (3-10)",
        "أصيب %d شخصًا",
        "أصيب %d شخص",
    )
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        checked = subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(out)], capture_output=True)
        assert checked.returncode == 0, checked.stderr


def test_plural_forms_are_saved_within_a_second_of_typing(
    qtbot,
    window: MainWindow,
    po_file: Path,  # type: ignore[no-untyped-def]
) -> None:
    window.import_file(str(po_file))
    window.editor.go_to_segment(2)
    qtbot.keyClicks(window.editor.plurals.fields[1], "two injured")
    segment_id = window.editor.current_segment.id  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not window.editor.plurals.dirty, timeout=3000)
    forms = po_plurals.plural_forms(window.workspace, segment_id, "ar")
    assert forms is not None and forms.forms[2] == "two injured"


def test_a_colleagues_save_is_not_overwritten(workspace: Workspace, po_file: Path) -> None:
    doc = documents.import_document(workspace, po_file)
    seen = segments.load_segments(workspace, doc.id)[1]
    forms = po_plurals.plural_forms(workspace, seen.id, "ar")
    assert forms is not None and forms.labels[2] == "n = 2"
    segments.update_segment(  # a colleague edits the segment meanwhile
        workspace,
        seen.id,
        target="لم يصب أحد.",
        status=seen.status,
        expected_version=seen.version,
    )
    from translator.errors import ConflictError

    with pytest.raises(ConflictError):
        po_plurals.save_plural_forms(workspace, seen, list(forms.forms), "ar")
