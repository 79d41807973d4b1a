"""Make the screenshots in docs/ the way a translator works: import, type, confirm.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshots.py
(or under xvfb-run for a real X server).
Writes docs/editor.png, docs/scores.png, docs/rejected.png, docs/history.png,
docs/check.png and docs/glossary.png.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from translator.services import glossary, memory
from translator.storage.database import open_workspace
from translator.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "parallel"


def shoot(widget: QWidget, name: str) -> None:
    """Save what the widget shows as docs/NAME."""
    out = ROOT / "docs" / name
    widget.grab().save(str(out))
    print(f"wrote {out}")


def main() -> int:
    app = QApplication(sys.argv[:1])  # noqa: F841 - must live while the window does
    scratch = Path(tempfile.mkdtemp())
    article = scratch / "wikinews.txt"
    lines = (DATA / "tico19_wikinews.ar").read_text(encoding="utf-8").splitlines()
    english = (DATA / "tico19_wikinews.en").read_text(encoding="utf-8").splitlines()
    # Three paragraphs of a real news text, as an article arrives in the newsroom.
    # A newer figure in one sentence, so the matches panel shows a fuzzy match.
    lines = [line.replace("17 حالة", "19 حالة") for line in lines]
    paragraphs = [" ".join(lines[0:3]), " ".join(lines[3:6]), " ".join(lines[6:10])]
    article.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    workspace = open_workspace(str(scratch / "workspace.sqlite"))
    window = MainWindow(workspace, QSettings(str(scratch / "s.ini"), QSettings.Format.IniFormat))
    window.resize(1400, 860)
    window.show()
    memory.import_memory(workspace, DATA.parent / "tmx" / "tico19_all.en-ar.tmx")
    # TICO-19's two glossaries, and the names a newsroom adds by hand.
    for name in ("tico19_google_g_ar_en.csv", "tico19_facebook_f_en-ar_AR.csv"):
        glossary.import_glossary(workspace, DATA.parent / "glossary" / name)
    glossary.add_term(workspace, "ar", "بنغلاديش", "en", "Bangladesh")
    glossary.add_term(
        workspace, "ar", "حالة وفاة", "en", "death", "a count: '17 deaths', not '17 death cases'"
    )
    glossary.add_term(
        workspace,
        "ar",
        "معهد علم الأوبئة ومكافحة الأمراض والبحوث",
        "en",
        "Institute of Epidemiology, Disease Control and Research",
        "IEDCR, Bangladesh",
    )
    window.import_file(str(article))
    edit = window.editor.target_edit
    # The headline has no full stop, so it and the next sentence are one segment.
    published = [f"{english[0]}. {english[1]}", *english[2:10]]
    for sentence in published[:3]:
        QTest.keyClicks(edit, sentence)
        QTest.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(edit, published[3][:20])
    for _ in range(100):  # matches arrive from their thread (the index is built first)
        QTest.qWait(100)
        if window.editor.matches.matches:
            break
    QTest.qWait(600)  # the list refreshes after 0.5 s
    shoot(window, "editor.png")

    # The scores dialog: the three translated sentences against the published English.
    reference = scratch / "published.txt"
    reference.write_text("\n".join(published) + "\n", encoding="utf-8")
    window.attach_reference(str(reference), published=False)
    window.score(reference="published")
    QTest.qWait(300)
    shoot(window.score_window, "scores.png")
    window.score_window.close()
    # A reviewer sends segment 2 back; the translator sees why, and the segment's history.
    window.editor.go_to_segment(2)
    window.editor.reject_current("Say 'confirmed cases', as the ministry's statement does")
    window.editor.go_to_segment(3)
    window.editor.go_to_segment(2)
    QTest.qWait(300)
    shoot(window, "rejected.png")
    from translator.services import segments
    from translator.ui.dialogs import SegmentHistoryDialog

    segment = window.editor.current_segment
    assert segment is not None
    history = SegmentHistoryDialog(
        segment,
        segments.segment_history(workspace, segment.id),
        window.editor.model.status_name,
        window,
    )
    history.show()
    QTest.qWait(200)
    shoot(history, "history.png")
    history.close()
    # Segment 4, typed with a slip in its figure, and the check that catches it.
    window.activateWindow()
    window.editor.go_to_segment(4)
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, "A total of 18 deaths have been recorded")
    window.editor.confirm_and_next()  # Ctrl+Enter, once the window has the focus back
    check = window.check_dialog()
    assert check is not None
    QTest.qWait(200)
    shoot(check, "check.png")
    check.close()
    # The glossary itself, searched for a word.
    from translator.ui.glossary_dialogs import GlossaryDialog

    dialog = GlossaryDialog(workspace, window.settings, parent=window)
    dialog.resize(1000, 420)
    dialog.show()
    QTest.keyClicks(dialog.search, "virus")
    QTest.qWait(200)
    shoot(dialog, "glossary.png")
    dialog.close()
    window.close()
    workspace.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
