"""A PO file as a document: imported, translated, exported back as it was."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.formats.test_po import ARABIC_PO, SLOPPY_PO
from translator.domain import Status
from translator.formats.po import read_po
from translator.services import documents, segments
from translator.storage.database import Workspace


@pytest.fixture
def po_file(tmp_path: Path) -> Path:
    path = tmp_path / "styleguide.ar.po"
    path.write_text(ARABIC_PO, encoding="utf-8")
    return path


def test_translated_messages_of_an_imported_po_file_are_in_the_memory(
    workspace: Workspace, po_file: Path
) -> None:
    """Found by a reviewer: they never reached the memory."""
    from translator.services import memory

    summary = documents.import_document(workspace, po_file)
    doc = documents.load_document(workspace, summary.id)
    confirmed = {(s.source, s.target) for s in doc.segments if s.status.is_confirmed}
    assert confirmed
    pairs = {(u.variant("en").text, u.variant("ar").text) for u in memory.iter_memory(workspace)}  # type: ignore[union-attr]
    assert pairs == confirmed


def test_po_import_keeps_statuses_contexts_and_languages(
    workspace: Workspace, po_file: Path
) -> None:
    summary = documents.import_document(workspace, po_file)
    assert (summary.format, summary.source_lang, summary.target_lang) == ("po", "en", "ar")
    doc = documents.load_document(workspace, summary.id)
    catalog = read_po(po_file)
    live = [e for e in catalog.entries if not e.obsolete]
    assert [s.source for s in doc.segments] == [e.msgid for e in live]
    for segment, entry in zip(doc.segments, live, strict=True):
        if entry.fuzzy:
            assert segment.status is Status.DRAFT
        elif entry.msgstr or entry.msgstr_plural:
            assert segment.status is Status.TRANSLATED
        else:
            assert segment.status is Status.NEW and segment.target is None


def test_po_round_trip_reproduces_every_entry(
    workspace: Workspace, po_file: Path, tmp_path: Path
) -> None:
    summary = documents.import_document(workspace, po_file)
    out = tmp_path / "out.po"
    documents.export_document(workspace, summary.id, out, format="po")
    assert read_po(out).entries == read_po(po_file).entries
    if shutil.which("msgfmt"):
        check = subprocess.run(
            ["msgfmt", "-c", "-o", "/dev/null", str(out)], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stderr


def test_translating_a_po_document_changes_only_that_message(
    workspace: Workspace, po_file: Path, tmp_path: Path
) -> None:
    summary = documents.import_document(workspace, po_file)
    doc = documents.load_document(workspace, summary.id)
    fuzzy_n = next(s.n for s in doc.segments if s.status is Status.DRAFT)
    segment = doc.segments[fuzzy_n - 1]
    segments.update_segment(
        workspace,
        segment.id,
        target="قال الوزير «لا تعليق».",
        status=Status.TRANSLATED,
        expected_version=segment.version,
    )
    out = tmp_path / "out.po"
    documents.export_document(workspace, summary.id, out, format="po")
    before, after = read_po(po_file).entries, read_po(out).entries
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1
    old, new = changed[0]
    assert new.msgstr == "قال الوزير «لا تعليق»." and "fuzzy" not in new.flags
    assert old.msgid == new.msgid and old.previous_msgid == new.previous_msgid


def test_a_sloppy_header_is_accepted_with_warnings(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "sloppy.po"
    path.write_text(SLOPPY_PO, encoding="utf-8")
    warnings: list[str] = []
    summary = documents.import_document(workspace, path, on_warning=warnings.append)
    assert summary.segments >= 1
    assert warnings and all(w.startswith(str(path)) for w in warnings)
    # the empty Language header: the warning says what was taken instead
    guess = f"taken as {summary.source_lang} to {summary.target_lang}"
    assert any(guess in warning for warning in warnings), warnings


def test_an_article_exports_as_po_that_msgfmt_and_translate_toolkit_accept(
    workspace: Workspace, tmp_path: Path
) -> None:
    article = tmp_path / "article.txt"
    article.write_text("قال د. أحمد إن الجيش انسحب. قال د. أحمد إن الجيش انسحب.\n", "utf-8")
    summary = documents.import_document(workspace, article)
    first = documents.load_document(workspace, summary.id).segments[0]
    segments.update_segment(
        workspace,
        first.id,
        target="Dr. Ahmed said",
        status=Status.DRAFT,
        expected_version=first.version,
    )
    out = tmp_path / "article.po"
    documents.export_document(workspace, summary.id, out, format="po")
    catalog = read_po(out)
    assert [(e.msgctxt, e.msgstr, e.fuzzy) for e in catalog.entries] == [
        ("article:1", "Dr. Ahmed said", True),
        ("article:2", "", False),
    ]
    assert catalog.language == "en"
    if shutil.which("msgfmt"):
        check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out)], capture_output=True)
        assert check.returncode == 0, check.stderr
    from translate.storage import po as ttk_po

    store = ttk_po.pofile.parsefile(str(out))
    assert [u.source for u in store.units if not u.isheader()] == [
        "قال د. أحمد إن الجيش انسحب.",
        "قال د. أحمد إن الجيش انسحب.",
    ]


def test_a_rejection_goes_beside_the_translators_comment(
    workspace: Workspace, po_file: Path, tmp_path: Path
) -> None:
    summary = documents.import_document(workspace, po_file)
    live = [e for e in read_po(po_file).entries if not e.obsolete]
    n, entry = next((n, e) for n, e in enumerate(live) if e.translator_comment)
    segment = documents.load_document(workspace, summary.id).segments[n]
    for comment in ("Too literal", "Still too literal"):
        segment = segments.reject_segment(
            workspace, segment.id, comment, expected_version=segment.version
        )
    out = tmp_path / "back.po"
    documents.export_document(workspace, summary.id, out, format="po")
    again = [e for e in read_po(out).entries if not e.obsolete][n]
    assert again.translator_comment == (
        f"{entry.translator_comment}\nRejected by tester: Still too literal"
    )
