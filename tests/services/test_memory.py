"""The translation memory: fed by confirmed segments, TMX in and out, on both backends."""

from __future__ import annotations

import gc
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import shared_data
from translator.domain import Status, Unit
from translator.errors import InputFileError, OperationCancelled
from translator.formats import tmx
from translator.services import documents, glossary, memory, memory_rows, segments
from translator.storage import database
from translator.storage.database import Workspace
from translator.storage.models import TmImportRecord, TmUnitRecord, TmVariantRecord

ARTICLE = "قال د. أحمد إن الجيش انسحب. هل انتهت الحرب؟\n\nقال د. أحمد إن الجيش انسحب.\n"


def counts(ws: Workspace) -> tuple[int, int, int]:
    with ws.session() as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(m)) or 0
            for m in (TmImportRecord, TmUnitRecord, TmVariantRecord)
        )


@pytest.fixture
def doc(workspace: Workspace, tmp_path: Path) -> int:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return documents.import_document(workspace, path).id


def confirm(ws: Workspace, doc: int, n: int, text: str, status: Status = Status.TRANSLATED) -> None:
    segment = documents.load_document(ws, doc).segments[n - 1]
    segments.update_segment(
        ws, segment.id, target=text, status=status, expected_version=segment.version
    )


def units(ws: Workspace) -> list[tuple[tuple[str, str], ...]]:
    return [tuple((v.lang, v.text) for v in u.variants) for u in memory.iter_memory(ws)]


def test_confirming_adds_a_unit_and_identical_pairs_are_stored_once(
    workspace: Workspace, doc: int
) -> None:
    confirm(workspace, doc, 1, "Dr. Ahmed said the army withdrew.")
    assert units(workspace) == [
        (("ar", "قال د. أحمد إن الجيش انسحب."), ("en", "Dr. Ahmed said the army withdrew."))
    ]
    confirm(workspace, doc, 3, "Dr. Ahmed said the army withdrew.")  # the same sentence again
    assert len(units(workspace)) == 1
    [unit] = list(memory.iter_memory(workspace))
    assert unit.origin == "article, segment 1" and unit.status == "translated"


def test_a_draft_does_not_enter_the_memory_and_a_reconfirmed_edit_replaces_its_unit(
    workspace: Workspace, doc: int
) -> None:
    confirm(workspace, doc, 2, "Is the war over", Status.DRAFT)
    assert units(workspace) == []
    confirm(workspace, doc, 2, "Is the war over?")
    confirm(workspace, doc, 2, "Has the war ended?")
    assert units(workspace) == [(("ar", "هل انتهت الحرب؟"), ("en", "Has the war ended?"))]
    confirm(workspace, doc, 2, "Has the war ended?", Status.DRAFT)  # an undone confirm
    assert units(workspace) == []


def test_a_pair_confirmed_twice_stays_while_one_of_them_still_confirms_it(
    workspace: Workspace, doc: int, tmp_path: Path
) -> None:
    """Rejecting or editing one of two segments with the same translation must not take
    the other's unit out of the memory (found by a reviewer: the second document's export
    was empty)."""
    (tmp_path / "second.txt").write_text("قال د. أحمد إن الجيش انسحب.\n", encoding="utf-8")
    second = documents.import_document(workspace, tmp_path / "second.txt").id
    said = "Dr. Ahmed said the army withdrew."
    confirm(workspace, doc, 1, said)
    confirm(workspace, second, 1, said, Status.APPROVED)
    first = documents.load_document(workspace, doc).segments[0]
    segments.reject_segment(workspace, first.id, "too literal", expected_version=first.version)
    [unit] = list(memory.iter_memory(workspace))
    assert unit.origin == "second, segment 1" and unit.status == "approved"
    out = tmp_path / "second.tmx"
    assert memory.export_memory(workspace, out, document_id=second) == 1
    # The first document's segment 1 is edited and confirmed again: both pairs are kept.
    confirm(workspace, doc, 1, "Dr. Ahmed said the army had withdrawn.")
    assert sorted(u[1][1] for u in units(workspace)) == [
        "Dr. Ahmed said the army had withdrawn.",
        said,
    ]
    # The same segment, confirmed in the first document at its third position too, then
    # edited there: the pair stays as long as one segment still has it.
    confirm(workspace, second, 1, said, Status.DRAFT)
    assert [u[1][1] for u in units(workspace)] == ["Dr. Ahmed said the army had withdrawn."]
    confirm(workspace, doc, 3, "Dr. Ahmed said the army had withdrawn.")
    confirm(workspace, doc, 1, said)
    assert sorted(u[1][1] for u in units(workspace)) == [
        "Dr. Ahmed said the army had withdrawn.",
        said,
    ]
    origins = sorted(u.origin or "" for u in memory.iter_memory(workspace))
    assert origins == ["article, segment 1", "article, segment 3"]


def one_unit_tmx(path: Path, source: str, target: str) -> Path:
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="ar" '
        f'datatype="plaintext"/><body><tu><tuv xml:lang="ar"><seg>{source}</seg></tuv>'
        f'<tuv xml:lang="en"><seg>{target}</seg></tuv></tu></body></tmx>\n',
        encoding="utf-8",
    )
    return path


def test_a_pair_both_imported_and_confirmed_stays_while_either_has_it(
    workspace: Workspace, doc: int, tmp_path: Path
) -> None:
    """Found by a reviewer: rejecting a segment took out a pair an imported memory has, and
    removing the import took out a pair a confirmed segment has."""
    source, said = "قال د. أحمد إن الجيش انسحب.", "Dr. Ahmed said the army withdrew."
    tmx_file = one_unit_tmx(tmp_path / "wire.tmx", source, said)
    # Confirmed first, then imported: rejecting the segment leaves the import's pair.
    confirm(workspace, doc, 1, said)
    first = memory.import_memory(workspace, tmx_file)
    assert (first.units, first.updated) == (0, 1)
    segment = documents.load_document(workspace, doc).segments[0]
    segments.reject_segment(workspace, segment.id, "no", expected_version=segment.version)
    assert units(workspace) == [(("ar", source), ("en", said))]
    # Removing the import then takes it out: nobody has it any more.
    memory.remove_import(workspace, first.id)
    assert units(workspace) == []
    # Imported first, then confirmed: removing the import leaves the segment's pair.
    second = memory.import_memory(workspace, tmx_file)
    confirm(workspace, doc, 1, said)
    memory.remove_import(workspace, second.id)
    [unit] = list(memory.iter_memory(workspace))
    assert unit.origin == "article, segment 1"
    # ... and it is the segment's again: un-confirming it takes it out.
    confirm(workspace, doc, 1, said, Status.DRAFT)
    assert units(workspace) == []


def test_undoing_a_merge_gives_the_segment_its_unit_back(workspace: Workspace, doc: int) -> None:
    confirm(workspace, doc, 1, "Dr. Ahmed said the army withdrew.")
    confirm(workspace, doc, 2, "Is the war over?")
    one, two = documents.load_document(workspace, doc).segments[:2]
    merged = segments.merge_segments(
        workspace, one.id, expected_versions=(one.version, two.version)
    )
    segments.unmerge_segments(workspace, merged)
    two = documents.load_document(workspace, doc).segments[1]
    segments.reject_segment(workspace, two.id, "no", expected_version=two.version)
    assert [u[1][1] for u in units(workspace)] == ["Dr. Ahmed said the army withdrew."]


def test_a_handed_over_unit_names_its_new_translator(workspace: Workspace, doc: int) -> None:
    said = "Dr. Ahmed said the army withdrew."
    first, _, third = documents.load_document(workspace, doc).segments
    for segment, who in ((first, "amal"), (third, "basma")):
        segments.update_segment(
            workspace,
            segment.id,
            target=said,
            status=Status.TRANSLATED,
            expected_version=segment.version,
            author=who,
        )
    first = documents.load_document(workspace, doc).segments[0]
    first = segments.update_segment(  # amal approves her segment: the pair's last change
        workspace,
        first.id,
        target=said,
        status=Status.APPROVED,
        expected_version=first.version,
        author="amal",
    )
    segments.reject_segment(workspace, first.id, "no", expected_version=first.version)
    [unit] = list(memory.iter_memory(workspace))
    assert (unit.origin, unit.changed_by) == ("article, segment 3", "basma")


def test_tico19_memory_imports_with_a_report_and_can_be_removed(
    workspace: Workspace, doc: int
) -> None:
    confirm(workspace, doc, 1, "Dr. Ahmed said the army withdrew.")
    source = shared_data("tmx", "tico19_all.en-ar.tmx")
    report = memory.import_memory(workspace, source)
    assert report.units + report.updated + report.skipped == 3071
    assert report.units > 3000
    assert set(report.languages) == {"en", "ar"}
    again = memory.import_memory(workspace, source)
    assert (again.units, again.updated) == (0, report.units + report.updated)
    assert len(memory.list_imports(workspace)) == 2
    memory.remove_import(workspace, report.id)
    memory.remove_import(workspace, again.id)
    assert units(workspace) == [
        (("ar", "قال د. أحمد إن الجيش انسحب."), ("en", "Dr. Ahmed said the army withdrew."))
    ]


def test_a_broken_memory_leaves_no_trace(workspace: Workspace, tmp_path: Path) -> None:
    source = shared_data("tmx", "tico19_all.en-ar.tmx").read_bytes()
    broken = tmp_path / "cut.tmx"
    broken.write_bytes(source[: len(source) // 2])
    before = counts(workspace)
    with pytest.raises(InputFileError, match=r"cut\.tmx"):
        memory.import_memory(workspace, broken)
    assert counts(workspace) == before


def test_export_round_trips_and_filters(workspace: Workspace, doc: int, tmp_path: Path) -> None:
    confirm(workspace, doc, 1, "Dr. Ahmed said the army withdrew.")
    confirm(workspace, doc, 2, "Is the war over?", Status.APPROVED)
    memory.import_memory(workspace, shared_data("tmx", "tico19_all.en-ar.tmx"))
    out = tmp_path / "all.tmx"
    written = memory.export_memory(workspace, out)
    assert written == len(units(workspace))
    read = list(tmx.iter_units(out))
    assert all(isinstance(u, Unit) for u in read)  # nothing of ours is skipped on the way back
    assert sorted(
        tuple((v.lang, v.text) for v in u.variants) for u in read if isinstance(u, Unit)
    ) == sorted(units(workspace))
    approved = tmp_path / "approved.tmx"
    assert memory.export_memory(workspace, approved, document_id=doc, min_status="approved") == 1
    [unit] = list(tmx.iter_units(approved))
    assert unit.status == "approved" and unit.variant("en").text == "Is the war over?"  # type: ignore[union-attr]


def test_content_keys_and_json_match_the_stored_format() -> None:
    """Keys already stored in users' workspaces must stay valid: same bytes as json.dumps."""
    import hashlib
    import json

    tricky = [("ar", 'قال "أحمد"\t\\ \u2028 \x01'), ("en-US", "Tab\there, </seg> & é")]
    canonical = sorted((lang.lower(), text) for lang, text in tricky)
    expected = hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode()).hexdigest()
    assert memory.content_key(tricky) == memory.content_key(reversed(tricky)) == expected
    assert memory.content_key([]) == hashlib.sha256(b"[]").hexdigest()
    for items in (('a "note"', "ملاحظة\n"), (("x-url", 'http://x/?a=1&b="2"'),)):
        assert memory_rows.json_list(items) == json.dumps(list(items), ensure_ascii=False)
    assert memory_rows.json_list(()) is None
    # The import's own key of a unit's variants (lang, text, markup, notes, props): the same.
    cases = [
        tricky,
        list(reversed(tricky)),
        [("EN", "b"), ("en", "a")],  # one language twice: ordered by text
        [("en", "same"), ("EN", "same")],
        [("AR", "نص"), ("fr", "texte"), ("en", "text")],
        [("ar", "نص")],
    ]
    for pairs in cases:
        variants = [(lang, text, None, (), ()) for lang, text in pairs]
        canonical = sorted((lang.lower(), text) for lang, text in pairs)
        expected = hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode()).hexdigest()
        assert memory_rows.content_key(variants) == expected, pairs


def test_imported_units_keep_dates_and_fields_and_reimport_refreshes_dates(
    workspace: Workspace, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    from translator.domain import Variant

    def unit(n: int, changed: datetime | None) -> Unit:
        return Unit(
            variants=(Variant("ar", f"نص {n}"), Variant("en", f"text {n}", notes=("n",))),
            tuid=f"t{n}",
            srclang="ar",
            created_at=datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC),
            created_by="amal",
            changed_at=changed,
            changed_by="desk" if changed else None,
            status="approved",
            notes=("checked",),
            props=(("x-url", "http://x"),),
        )

    first = tmp_path / "first.tmx"
    tmx.write_tmx(first, [unit(n, None) for n in range(12_000)], srclang="ar")
    report = memory.import_memory(workspace, first)
    assert (report.units, report.updated) == (12_000, 0)
    stored = {u.tuid: u for u in memory.iter_memory(workspace)}
    assert len(stored) == 12_000 and len({u.id for u in stored.values()}) == 12_000
    one = stored["t11999"]
    assert one.created_at == datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC) and one.changed_at is None
    assert one.notes == ("checked",) and one.props == (("x-url", "http://x"),)
    assert one.variant("en").notes == ("n",)  # type: ignore[union-attr]
    later = datetime(2021, 6, 1, 12, 0, 0, tzinfo=UTC)
    second = tmp_path / "second.tmx"
    tmx.write_tmx(second, [unit(n, later) for n in range(11_000, 13_000)], srclang="ar")
    again = memory.import_memory(workspace, second)
    assert (again.units, again.updated) == (1_000, 1_000)
    stored = {u.tuid: u for u in memory.iter_memory(workspace)}
    assert len(stored) == 13_000
    assert stored["t11999"].changed_at == later and stored["t10999"].changed_at is None
    assert stored["t12999"].changed_at == later


def children() -> list[int]:
    """This process's child processes (Linux), to see that none is left behind."""
    found: list[int] = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        found += [int(pid) for pid in (task / "children").read_text().split()]
    return found


def many_units(count: int, start: int = 0) -> list[Unit]:
    from translator.domain import Variant

    return [
        Unit(
            variants=(Variant("ar", f"نص رقم {n}"), Variant("en", f"text number {n}")), tuid=f"u{n}"
        )
        for n in range(start, start + count)
    ]


# Every import below runs in this process, with the file read by a second process, and with
# it read by two processes, a half each.
MODES: dict[str, dict[str, bool]] = {
    "in-process": {"parallel": False},
    "two-process": {"parallel": True, "split": False},
    "halves": {"parallel": True, "split": True},
}
READERS = pytest.mark.parametrize("readers", list(MODES.values()), ids=list(MODES))


@READERS
def test_units_keep_the_file_order_across_batches(
    workspace: Workspace, tmp_path: Path, readers: dict[str, bool]
) -> None:
    # Rows go into the database sorted by content_key; the memory must still read in file order.
    source = tmp_path / "ordered.tmx"
    tmx.write_tmx(source, many_units(12_000), srclang="ar")
    memory.import_memory(workspace, source, **readers)
    assert [u.tuid for u in memory.iter_memory(workspace)] == [f"u{n}" for n in range(12_000)]


@READERS
def test_a_fault_late_in_a_large_file_stores_nothing(
    workspace: Workspace, tmp_path: Path, readers: dict[str, bool]
) -> None:
    # Batches before the fault are already written (5,000 units each) when the parser hits it.
    whole = tmp_path / "whole.tmx"
    tmx.write_tmx(whole, many_units(20_000), srclang="ar")
    data = whole.read_bytes()
    cut = tmp_path / "cut.tmx"
    cut.write_bytes(data[: len(data) * 9 // 10])
    before = counts(workspace)
    with pytest.raises(InputFileError, match=r"cut\.tmx: line \d+, column \d+: .*truncated"):
        memory.import_memory(workspace, cut, **readers)
    assert counts(workspace) == before


@READERS
def test_cancelling_an_import_stores_nothing_and_stops_reading(
    workspace: Workspace, tmp_path: Path, readers: dict[str, bool]
) -> None:
    source = tmp_path / "big.tmx"
    tmx.write_tmx(source, many_units(30_000), srclang="ar")
    calls: list[int] = []

    def cancel(done: int, _total: int) -> None:
        calls.append(done)
        if done >= 10_000:
            raise OperationCancelled("cancelled")

    before = counts(workspace)
    with pytest.raises(OperationCancelled):
        memory.import_memory(workspace, source, progress=cancel, **readers)
    assert calls == [5_000, 10_000]
    assert counts(workspace) == before
    assert gc.isenabled()  # the import pauses the cycle collector; it is back on
    assert children() == []  # the reading processes, if any, are gone
    spools = memory_rows.spool_folder() or Path(tempfile.gettempdir())
    assert not list(spools.glob("import-*"))  # and the spool of the second half
    report = memory.import_memory(workspace, source)  # the workspace is still usable
    assert (report.units, report.updated) == (30_000, 0)


def test_the_import_page_cache_is_given_back(workspace: Workspace, tmp_path: Path) -> None:
    if workspace.dialect != "sqlite":
        pytest.skip("a setting of SQLite connections")
    with workspace.engine.connect() as connection:
        default = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    source = tmp_path / "small.tmx"
    tmx.write_tmx(source, many_units(10), srclang="ar")
    memory.import_memory(workspace, source)
    broken = tmp_path / "broken.tmx"
    broken.write_bytes(source.read_bytes()[:-40])
    with pytest.raises(InputFileError):
        memory.import_memory(workspace, broken)
    pool = workspace.engine.pool
    assert pool.checkedout() == 0
    with workspace.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == default


def test_a_large_import_does_not_leave_a_large_log_on_disk(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The write-ahead log grows to the size of an import; the next write cuts it back to
    # WAL_KEEP_BYTES (64 MB; 256 kB here, so that a small import shows it).
    if workspace.dialect != "sqlite":
        pytest.skip("a setting of SQLite connections")
    monkeypatch.setattr(database, "WAL_KEEP_BYTES", 256 * 2**10)
    workspace.engine.dispose()  # connections made from now on have the limit
    source = tmp_path / "medium.tmx"  # past 1,000 pages of log: SQLite copies it back
    tmx.write_tmx(source, many_units(20_000), srclang="ar")
    memory.import_memory(workspace, source)
    wal = Path(f"{workspace.engine.url.database}-wal")
    assert wal.stat().st_size > 4 * 2**20
    glossary.add_term(workspace, "ar", "حلب", "en", "Aleppo")  # the next write
    assert wal.stat().st_size <= 256 * 2**10


EXPORT_SOURCES = [
    ("tmx", "tico19_all.en-ar.tmx"),
    *(
        ("tmx-compliance-kit", name)
        for name in (
            "ExportTest1A.tmx",
            "ExportTest1B.tmx",
            "ExportTest2A.tmx",
            "ImportTest1C.tmx",
            "ImportTest2A.tmx",
            "ImportTest1J_many.tmx",
        )
    ),
]


def test_export_gives_the_bytes_write_tmx_gives_for_the_same_units(
    workspace: Workspace, doc: int, tmp_path: Path
) -> None:
    from tests.formats.test_tmx import xmllint_valid
    from translator.domain import Variant

    confirm(workspace, doc, 1, "Dr. Ahmed said the army withdrew.")
    confirm(workspace, doc, 2, "Is the war over?", Status.APPROVED)
    for parts in EXPORT_SOURCES:
        memory.import_memory(workspace, shared_data(*parts))
    odd = tmp_path / "odd.tmx"
    odd_unit = Unit(
        variants=(
            Variant("ar", "نص\x01 & <b>", notes=("ملاحظة",), props=(("x-a", 'q"\t'),)),
            Variant("en", "a\r\nb\ttab", markup='a <ph x="1">&lt;br/&gt;</ph>b'),
        ),
        tuid="",
        created_by="a\x02",
        notes=("n1", "n2 & <"),
        props=(("x-url", "http://x/?a=1&b=2"), ("x-domain", "health")),
    )
    tmx.write_tmx(odd, [odd_unit], srclang="ar")
    memory.import_memory(workspace, odd)
    for filters in ({}, {"min_status": "approved"}, {"document_id": doc}):
        fast, slow = tmp_path / "fast.tmx", tmp_path / "slow.tmx"
        written = memory.export_memory(workspace, fast, **filters)  # type: ignore[arg-type]
        units = list(memory.iter_memory(workspace, **filters))  # type: ignore[arg-type]
        assert tmx.write_tmx(slow, units, srclang="ar") == written == len(units) > 0
        assert fast.read_bytes() == slow.read_bytes(), filters
    assert written == 2  # the document's two confirmed segments
    memory.export_memory(workspace, fast)
    assert fast.read_bytes().count(b"<tu ") > 3_000
    xmllint_valid(fast)


def test_a_cancelled_export_leaves_the_old_file(workspace: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "some.tmx"
    tmx.write_tmx(source, many_units(2_500), srclang="ar")
    memory.import_memory(workspace, source)
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "out.tmx"
    out.write_text("old content", encoding="utf-8")

    def cancel(done: int, _total: int) -> None:
        if done >= 2_000:
            raise OperationCancelled("cancelled")

    with pytest.raises(OperationCancelled):
        memory.export_memory(workspace, out, progress=cancel)
    assert out.read_text(encoding="utf-8") == "old content"
    assert [p.name for p in folder.iterdir()] == ["out.tmx"]  # no temporary file left


def stored_rows(ws: Workspace) -> list[tuple[object, ...]]:
    """Every unit and variant as stored, without the ids and the import it came from."""
    with ws.session() as s:
        unit_rows = s.execute(
            select(
                TmUnitRecord.content_key,
                TmUnitRecord.tuid,
                TmUnitRecord.srclang,
                TmUnitRecord.status,
                TmUnitRecord.origin,
                TmUnitRecord.created_at,
                TmUnitRecord.created_by,
                TmUnitRecord.changed_at,
                TmUnitRecord.changed_by,
                TmUnitRecord.notes,
                TmUnitRecord.props,
            ).order_by(TmUnitRecord.id)
        ).all()
        variant_rows = s.execute(
            select(
                TmUnitRecord.content_key,
                TmVariantRecord.position,
                TmVariantRecord.lang,
                TmVariantRecord.text,
                TmVariantRecord.markup,
                TmVariantRecord.notes,
                TmVariantRecord.props,
            )
            .join(TmUnitRecord, TmUnitRecord.id == TmVariantRecord.unit_id)
            .order_by(TmVariantRecord.id)
        ).all()
    return [tuple(row) for row in [*unit_rows, *variant_rows]]


@pytest.mark.parametrize(
    "parts",
    [
        ("tmx", "tico19_all.en-ar.tmx"),
        ("tmx-compliance-kit", "ImportTest1J_many.tmx"),
        ("tmx-compliance-kit", "ExportTest2A.tmx"),
    ],
)
def test_a_second_reading_process_stores_exactly_what_one_process_does(
    db_url: str, tmp_path: Path, parts: tuple[str, str]
) -> None:
    from translator.storage.database import open_workspace

    source = shared_data(*parts)
    results = []
    for readers in MODES.values():
        ws = open_workspace(db_url)
        try:
            before = counts(ws)
            if before != (0, 0, 0):  # the same database, second round: start from empty
                for record in memory.list_imports(ws):
                    memory.remove_import(ws, record.id)
            report = memory.import_memory(ws, source, **readers)
            results.append(
                (
                    stored_rows(ws),
                    (report.units, report.updated, report.skipped),
                    [(s.line, s.tuid, s.reason) for s in report.skips],
                    report.languages,
                )
            )
        finally:
            ws.close()
    one, two, halves = results
    assert one[0]  # something was stored
    assert one == two == halves


def test_foreign_keys_are_checked_again_after_an_import(
    workspace: Workspace, tmp_path: Path
) -> None:
    # An import stores without foreign-key checks on SQLite; no pooled connection keeps that.
    if workspace.dialect != "sqlite":
        pytest.skip("a setting of SQLite connections")
    source, text = numbered_file(tmp_path, 100)
    memory.import_memory(workspace, source)
    broken = tmp_path / "broken.tmx"
    broken.write_text(text[:-40], encoding="utf-8")
    with pytest.raises(InputFileError):
        memory.import_memory(workspace, broken)
    idle = [workspace.engine.connect() for _ in range(workspace.engine.pool.checkedin())]
    try:
        assert idle
        for connection in idle:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        for connection in idle:
            connection.close()


def numbered_file(tmp_path: Path, count: int) -> tuple[Path, str]:
    source = tmp_path / "numbered.tmx"
    tmx.write_tmx(source, many_units(count), srclang="ar")
    return source, source.read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("pad_lines", [1_000_000, 1_000], ids=["as-is", "padding-cut"])
def test_a_large_file_is_cut_in_two_between_units(
    monkeypatch: pytest.MonkeyPatch, pad_lines: int
) -> None:
    # Line breaks keep the second half's lines where they are in the file; past a number of
    # them (a million; here also a thousand) an element cuts them, or libxml2 would refuse
    # such a long text.
    monkeypatch.setattr(memory_rows, "_PAD_LINES", pad_lines)
    monkeypatch.setattr(memory_rows, "_PAD_PIECE", 97)
    source = shared_data("tmx", "tico19_all.en-ar.tmx")
    spans = memory_rows.split_spans(source)
    assert spans is not None
    first, second = spans
    data = source.read_bytes()
    assert first.end is not None and first.end >= len(data) // 2
    assert data[first.end - 1 : first.end + 4] == b"\n<tu "  # a unit that begins a line
    # Each half read as a document of its own: together, the units of the whole file.
    halves = [
        list(tmx.iter_unit_fields(source, source=memory_rows._SpanStream(source, span)))
        for span in spans
    ]
    assert halves[0] and halves[1]
    assert halves[0] + halves[1] == list(tmx.iter_unit_fields(source))
    assert second.start == first.end


def test_files_that_cannot_be_cut_are_read_whole(tmp_path: Path) -> None:
    source, text = numbered_file(tmp_path, 2_000)
    utf16 = tmp_path / "utf16.tmx"
    utf16.write_bytes(text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    one_line = tmp_path / "one-line.tmx"
    one_line.write_text(text.replace("\n", ""), encoding="utf-8")
    assert memory_rows.split_spans(source) is not None
    assert memory_rows.split_spans(utf16) is None
    assert memory_rows.split_spans(one_line) is None


def test_halves_report_skipped_units_at_their_lines_in_the_file(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, text = numbered_file(tmp_path, 4_000)
    text = text.replace("<seg>text number 100</seg>", "<seg></seg>")
    text = text.replace("<seg>text number 3500</seg>", "<seg> </seg>")
    source.write_text(text, encoding="utf-8")
    assert memory_rows.split_spans(source) is not None
    report = memory.import_memory(workspace, source, parallel=True, split=True)
    assert (report.units, report.skipped) == (3_998, 2)
    assert [(s.line, s.tuid) for s in report.skips] == [
        (line_of(text, '<tu tuid="u100">'), "u100"),
        (line_of(text, '<tu tuid="u3500">'), "u3500"),
    ]
    # The same, the padding cut as in a file of several million lines (read here: a setting
    # of this process does not reach the reading processes).
    monkeypatch.setattr(memory_rows, "_PAD_LINES", 1_000)
    spans = memory_rows.split_spans(source)
    assert spans is not None
    late = [
        s for b in memory_rows.prepare_rows(source, None, "sqlite", span=spans[1]) for s in b.skips
    ]
    assert [(s.line, s.tuid) for s in late] == [(line_of(text, '<tu tuid="u3500">'), "u3500")]


def test_a_fault_in_the_second_half_is_reported_where_it_is(
    workspace: Workspace, tmp_path: Path
) -> None:
    source, text = numbered_file(tmp_path, 4_000)
    source.write_text(text.replace("text number 3000</seg>", "text number 3000</sge>"))
    before = counts(workspace)
    messages = []
    for readers in MODES.values():
        with pytest.raises(InputFileError) as caught:
            memory.import_memory(workspace, source, **readers)
        messages.append(str(caught.value))
    assert counts(workspace) == before
    line = line_of(text, "text number 3000</seg>")
    assert messages[0].startswith(f"{source}: line {line}, column ")
    assert messages == [messages[0]] * 3


def test_a_cut_inside_a_comment_is_found_out_and_the_file_read_whole(
    workspace: Workspace, tmp_path: Path
) -> None:
    # Units 1,000 to 3,000 commented out: the middle of the file, where the cut is sought,
    # falls inside the comment, among lines that look like units.
    source, text = numbered_file(tmp_path, 4_000)
    start = text.index('<tu tuid="u1000">')
    end = text.index('<tu tuid="u3001">')
    source.write_text(f"{text[:start]}<!--\n{text[start:end]}-->\n{text[end:]}")
    spans = memory_rows.split_spans(source)
    assert spans is not None and start < spans[0].end < end  # the cut falls in the comment
    report = memory.import_memory(workspace, source, parallel=True, split=True)
    assert report.units == 1_999
    expected = [f"u{n}" for n in (*range(1_000), *range(3_001, 4_000))]
    assert [u.tuid for u in memory.iter_memory(workspace)] == expected


def test_an_empty_unit_before_the_first_is_counted_once_in_halves(
    workspace: Workspace, tmp_path: Path
) -> None:
    source, text = numbered_file(tmp_path, 2_000)
    source.write_text(text.replace("<body>\n", "<body>\n<tu/>\n", 1), encoding="utf-8")
    report = memory.import_memory(workspace, source, parallel=True, split=True)
    assert (report.units, report.skipped) == (2_000, 1)
    assert [(s.line, s.reason) for s in report.skips] == [(5, "no <tuv> with a language")]


def test_a_repeated_unit_is_stored_as_it_first_came_however_the_file_is_read(
    db_url: str, tmp_path: Path
) -> None:
    # Unit 10 comes back twice in the second half, with another tuid, a note and later change
    # dates: read in one batch or in two halves, the first copy is kept with the latest date.
    from datetime import UTC, datetime

    from translator.domain import Variant
    from translator.storage.database import open_workspace

    units = many_units(4_000)
    first = replace(units[10], tuid="first", changed_at=datetime(2019, 1, 1, tzinfo=UTC))
    units[10] = first
    units[3_500] = replace(
        first,
        tuid="again",
        changed_at=datetime(2021, 1, 1, tzinfo=UTC),
        changed_by="rana",
        notes=("a later copy",),
    )
    units[3_600] = replace(first, tuid="older", changed_at=datetime(2020, 1, 1, tzinfo=UTC))
    source = tmp_path / "repeats.tmx"
    tmx.write_tmx(source, units, srclang="ar")
    assert memory_rows.split_spans(source) is not None
    results = []
    for readers in MODES.values():
        ws = open_workspace(db_url)
        try:
            for record in memory.list_imports(ws):
                memory.remove_import(ws, record.id)
            report = memory.import_memory(ws, source, **readers)
            stored = {u.tuid: u for u in memory.iter_memory(ws)}
            results.append((report.units, report.updated, stored_rows(ws)))
        finally:
            ws.close()
    assert results[0] == results[1] == results[2]
    assert results[0][:2] == (3_998, 2)
    kept = stored["first"]
    assert kept.variants == (Variant("ar", "نص رقم 10"), Variant("en", "text number 10"))
    assert (kept.changed_at, kept.changed_by, kept.notes) == (
        datetime(2021, 1, 1, tzinfo=UTC),
        "rana",
        (),
    )
    assert "again" not in stored and "older" not in stored


def test_when_the_second_reader_dies_this_process_reads_its_half(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = memory_rows._reader

    @contextmanager
    def dying(*args: object) -> Iterator[tuple[subprocess.Popen[bytes], object]]:
        with reader(*args) as (process, errors):  # type: ignore[arg-type]
            spool = args[-1]
            if spool is not None:  # the second half's reader: killed once it has begun
                while process.poll() is None and not Path(str(spool)).stat().st_size:
                    time.sleep(0.01)
                process.kill()
            yield process, errors

    monkeypatch.setattr(memory_rows, "_reader", dying)
    source, _text = numbered_file(tmp_path, 30_000)
    report = memory.import_memory(workspace, source, parallel=True, split=True)
    assert (report.units, report.updated) == (30_000, 0)
    assert [u.tuid for u in memory.iter_memory(workspace)] == [f"u{n}" for n in range(30_000)]
    assert children() == []


def test_stored_dates_are_the_text_sqlalchemy_writes() -> None:
    from datetime import UTC, datetime

    from sqlalchemy.dialects import sqlite

    process = sqlite.DATETIME().bind_processor(sqlite.dialect())  # type: ignore[no-untyped-call]
    convert = memory_rows._date_converter("sqlite")
    for moment in (
        datetime(2019, 1, 7, 8, 0, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59, 59, 123456, tzinfo=UTC),
        datetime(2024, 2, 29, 0, 0, 1),
    ):
        assert convert(moment) == process(moment)
    assert convert(None) is None


def test_a_document_export_has_the_pairs_that_were_in_the_memory_already(
    workspace: Workspace, tmp_path: Path
) -> None:
    memory.import_memory(workspace, shared_data("tmx", "tico19_all.en-ar.tmx"))
    known = next(u for u in memory.iter_memory(workspace) if u.variant("ar") and u.variant("en"))
    arabic, english = known.variant("ar").text, known.variant("en").text  # type: ignore[union-attr]
    article = tmp_path / "known.txt"
    article.write_text(f"{arabic}\n\nقال د. أحمد إن الجيش انسحب.\n", encoding="utf-8")
    doc = documents.import_document(workspace, article).id
    assert len(segments.load_segments(workspace, doc)) == 2
    confirm(workspace, doc, 1, english)  # the pair the imported memory has
    confirm(workspace, doc, 2, "Dr. Ahmed said the army withdrew.", Status.APPROVED)
    before = len(units(workspace))
    out = tmp_path / "doc.tmx"
    assert memory.export_memory(workspace, out, document_id=doc) == 2
    assert sorted(u.variant("en").text for u in tmx.iter_units(out)) == sorted(  # type: ignore[union-attr]
        [english, "Dr. Ahmed said the army withdrew."]
    )
    assert len(units(workspace)) == before  # the known pair was not stored twice
    assert memory.export_memory(workspace, out, document_id=doc, min_status="approved") == 1
