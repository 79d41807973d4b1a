"""The memory export on SQLite (SQL writes the XML, two processes share the batches) gives
the very bytes that the Python TMX writer gives, for every kind of unit, on both backends."""

from __future__ import annotations

import itertools
import json
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, exists, insert

from tests.formats.test_tmx import xmllint_valid
from translator.domain import Status, Unit, Variant
from translator.errors import OperationCancelled
from translator.formats import tmx
from translator.services import documents, memory, memory_export, segments
from translator.storage import tmx_sql
from translator.storage.database import Workspace
from translator.storage.models import TmUnitRecord, TmVariantRecord

ARTICLE = "قال د. أحمد إن الجيش انسحب. هل انتهت الحرب؟\n\nقال د. أحمد إن الجيش انسحب.\n"
WHEN = datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
LATER = datetime(2021, 6, 7, 8, 9, 10, tzinfo=UTC)
NOTES = json.dumps(["checked against the wire copy"], ensure_ascii=False)
PROPS = json.dumps([["x-source-url", "https://example.org/a?b=1&c=2"], ["x-domain", "health"]])


@dataclass
class Spec:
    """A unit stored as it is given (no import in between), and who should write it."""

    tuid: str | None
    by: str  # "sql": SQL writes the whole unit; "python": the Python writer does
    variants: list[dict[str, Any]] = field(
        default_factory=lambda: [{"lang": "ar", "text": "نص"}, {"lang": "en", "text": "text"}]
    )
    srclang: str | None = "ar"
    status: str | None = "approved"
    origin: str | None = "desk"
    created_at: datetime | str | None = WHEN  # a str: stored as it is (SQLite only)
    created_by: str | None = "amal"
    changed_at: datetime | str | None = None
    changed_by: str | None = None
    notes: str | None = None
    props: str | None = None


def pair(ar: str, en: str, **extra: Any) -> list[dict[str, Any]]:
    return [{"lang": "ar", "text": ar, **extra}, {"lang": "en", "text": en}]


def variants(*texts: tuple[str, str, int]) -> list[dict[str, Any]]:
    return [{"lang": lang, "text": text, "position": position} for lang, text, position in texts]


def awkward(dialect: str) -> list[Spec]:
    """Every kind of unit a memory can hold, as its tables hold it."""
    specs = [
        # -- SQL writes these ----------------------------------------------------------
        Spec("plain", "sql", changed_at=LATER, changed_by="desk editor", notes=NOTES, props=PROPS),
        Spec(None, "sql", srclang=None, status=None, origin=None, created_at=None, created_by=None),
        Spec("", "sql", srclang="", status="", origin="", created_by="", changed_by=""),
        Spec("empty json", "sql", notes="[]", props="[]"),
        Spec("empty json text", "sql", notes="", props=""),
        Spec(
            "microseconds",
            "sql",
            created_at=datetime(2020, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
            changed_at=datetime(1999, 1, 1, 0, 0, 0, 500000, tzinfo=UTC),
            changed_by="x",
        ),
        Spec(
            "languages",
            "sql",
            variants=[
                {"lang": "ar", "text": "نص"},
                {"lang": "en-US", "text": "text"},
                {"lang": "fr", "text": "texte"},
                {"lang": "zh-Hant-TW", "text": "文字"},
            ],
        ),
        Spec(
            "escapes <&>'",
            "sql",
            variants=pair("أ & ب < ج > د \" ' \t\n\r", "a & b < c > d \" ' \t tab\nline\r\nCRLF"),
            created_by="a&b'<>",
            status="x<y&z",
            origin='o > p & "q"\t\n\r',
            notes=json.dumps(["a & b < c > d", "ملاحظة 😀"], ensure_ascii=False),
            props=json.dumps([["x-a&b", "v<1> ' \u00e9"]], ensure_ascii=False),
        ),
        Spec(
            "astral and BOM",
            "sql",
            variants=pair("قال 😀 \U0001f600 \ufeff \ufe8e", "emoji 😀 𝒜 \ufeff zero\u200bwidth"),
        ),
        Spec(
            "markup",
            "sql",
            variants=pair(
                "كلمة باقي",
                "word rest",
                markup='<bpt i="1" type="bold">&lt;b&gt;</bpt>كلمة<ept i="1">&lt;/b&gt;</ept> باقي',
            ),
        ),
        Spec("empty markup", "sql", variants=pair("نص", "text", markup="")),
        Spec("broken markup", "sql", variants=pair("نص & <", "text", markup="<b>unclosed")),
        Spec("other srclang", "sql", srclang="en"),
        # -- the Python writer writes these --------------------------------------------
        Spec('tuid "quoted"', "python"),
        Spec("tuid\ttab", "python"),
        Spec("tuid\nline", "python"),
        Spec("user line", "python", created_by="a\nb"),
        Spec("user quote", "python", changed_at=LATER, changed_by='say "x"'),
        Spec("srclang tab", "python", srclang="e\tn"),
        Spec("lang quote", "python", variants=variants(('e"n', "t", 1), ("ar", "ن", 2))),
        Spec("lang tab", "python", variants=variants(("e\tn", "t", 1), ("ar", "ن", 2))),
        Spec("escaped note", "python", notes=json.dumps(['say "hi"', "line\nbreak"])),
        Spec("compact notes", "python", notes='["a","b"]'),
        Spec("compact props", "python", props='[["a","b"]]'),
        Spec("spaced props", "python", props='[ ["a", "b"] ]'),
        Spec("variant notes", "python", variants=pair("نص", "text", notes='["vn & <"]')),
        Spec("variant props", "python", variants=pair("نص", "text", props='[["x-v", "1"]]')),
        Spec("variant empty notes", "python", variants=pair("نص", "text", notes="")),
        Spec("out of order", "python", variants=variants(("en", "second", 2), ("ar", "أول", 1))),
        Spec("gap", "python", variants=variants(("ar", "أ", 1), ("en", "b", 3))),
        Spec("twice 1", "python", variants=variants(("ar", "أ", 1), ("en", "b", 1))),
        Spec("ten", "python", variants=[{"lang": f"x-{n}", "text": f"t{n}"} for n in range(10)]),
        Spec("no variant", "python", variants=[]),
        Spec("control in text", "python", variants=pair("نص\x01", "a\x0bb\x1f")),
        Spec("noncharacter in text", "python", variants=pair("نص\ufffe", "text")),
        Spec("noncharacter in origin", "python", origin="o\uffff"),
        Spec("control in status", "python", status="s\x1f"),
        Spec("control in user", "python", created_by="u\x02"),
        Spec("control\x07in tuid", "python"),
    ]
    if dialect == "sqlite":  # PostgreSQL keeps neither NUL nor dates as text
        specs += [
            Spec("nul in text", "python", variants=pair("نص\x00ذيل", "text")),
            Spec("nul\x00in tuid", "python"),
            Spec("nul in origin", "python", origin="o\x00p"),
            Spec("date without microseconds", "python", created_at="2020-01-01 10:00:00"),
            Spec("date with offset", "python", changed_at="2020-01-01T10:00:00+02:00"),
            Spec("date with zone", "python", created_at="2020-01-01 10:00:00.000000+00:00"),
        ]
    return specs


def store(ws: Workspace, specs: list[Spec]) -> dict[int, str]:
    """Store the units as they are given; {unit id: who should write it}."""
    units, variant_table = TmUnitRecord.__table__, TmVariantRecord.__table__
    who: dict[int, str] = {}
    raw_dates: list[tuple[int, str, str]] = []
    with ws.session() as session:
        for spec in specs:
            dates = {
                column: value if not isinstance(value, str) else None
                for column in ("created_at", "changed_at")
                for value in [getattr(spec, column)]
            }
            unit_id = session.execute(
                insert(units)
                .values(
                    content_key=uuid.uuid4().hex,
                    tuid=spec.tuid,
                    srclang=spec.srclang,
                    status=spec.status,
                    origin=spec.origin,
                    created_by=spec.created_by,
                    changed_by=spec.changed_by,
                    notes=spec.notes,
                    props=spec.props,
                    **dates,
                )
                .returning(units.c.id)
            ).scalar_one()
            for column in ("created_at", "changed_at"):
                value = getattr(spec, column)
                if isinstance(value, str):
                    raw_dates.append((unit_id, column, value))
            for position, variant in enumerate(spec.variants, 1):
                values = {key: value for key, value in variant.items() if key != "position"}
                position = variant.get("position", position)
                session.execute(
                    insert(variant_table).values(unit_id=unit_id, position=position, **values)
                )
            who[unit_id] = spec.by
        for unit_id, column, value in raw_dates:
            session.connection().exec_driver_sql(
                f"UPDATE tm_unit SET {column} = ? WHERE id = ?", (value, unit_id)
            )
    return who


@pytest.fixture
def doc(workspace: Workspace, tmp_path: Path) -> int:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    doc_id = documents.import_document(workspace, path).id
    targets = [("Dr. Ahmed said the army withdrew.", Status.TRANSLATED)]
    targets.append(("Is it over?", Status.APPROVED))
    for segment, (text, status) in zip(
        documents.load_document(workspace, doc_id).segments, targets, strict=False
    ):
        segments.update_segment(
            workspace, segment.id, target=text, status=status, expected_version=segment.version
        )
    return doc_id


@pytest.fixture
def awkward_memory(workspace: Workspace, doc: int, tmp_path: Path) -> dict[int, str]:
    """The document's two confirmed segments, an imported file, and every kind of unit."""
    imported = tmp_path / "imported.tmx"
    tmx.write_tmx(
        imported,
        [
            Unit(
                (
                    Variant("ar", "نص\x01 & <b>", notes=("ملاحظة",), props=(("x-a", 'q"\t'),)),
                    Variant("en", "a\r\nb\ttab", markup='a <ph x="1">&lt;br/&gt;</ph>b'),
                ),
                tuid="imported-1",
                created_by="a\x02",
                notes=("n1", "n2 & <"),
                props=(("x-url", "http://x/?a=1&b=2"), ("x-domain", "health")),
            ),
            Unit(
                (Variant("en", "bold word", markup="<hi>bold</hi> word"), Variant("ar", "كلمة")),
                tuid="imported-2",
                srclang="en",
                status="reviewed",
            ),
        ],
        srclang="ar",
    )
    memory.import_memory(workspace, imported)
    return store(workspace, awkward(workspace.dialect))


def reference(ws: Workspace, path: Path, srclang: str = "ar", **filters: Any) -> bytes:
    """What the Python writer writes for the same units."""
    tmx.write_tmx(path, memory.iter_memory(ws, **filters), srclang=srclang)
    return path.read_bytes()


FILTERS = [
    {},
    {"min_status": "approved"},
    {"min_status": "reviewed"},
    {"document_id": "doc"},
    {"document_id": "doc", "min_status": "approved"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "all")
def test_the_export_gives_the_bytes_of_the_python_writer_for_every_kind_of_unit(
    workspace: Workspace, doc: int, awkward_memory: dict[int, str], tmp_path: Path, filters: Any
) -> None:
    filters = {key: doc if value == "doc" else value for key, value in filters.items()}
    out = tmp_path / "out.tmx"
    written = memory.export_memory(workspace, out, **filters)
    expected = reference(workspace, tmp_path / "expected.tmx", **filters)
    assert out.read_bytes() == expected
    assert written == expected.count(b"\n<tu ") > 0


def test_the_header_language_decides_which_units_carry_a_srclang(
    workspace: Workspace, awkward_memory: dict[int, str], tmp_path: Path
) -> None:
    out = tmp_path / "out.tmx"
    memory.export_memory(workspace, out, srclang="en")
    assert out.read_bytes() == reference(workspace, tmp_path / "expected.tmx", srclang="en")
    assert b' srclang="ar"' in out.read_bytes()


def test_the_export_is_valid_tmx(
    workspace: Workspace, awkward_memory: dict[int, str], tmp_path: Path
) -> None:
    with workspace.session() as session:  # a <tu> needs a <tuv> (imports never store one)
        has_variant = exists().where(TmVariantRecord.unit_id == TmUnitRecord.id)
        session.execute(delete(TmUnitRecord).where(~has_variant))
    out = tmp_path / "out.tmx"
    memory.export_memory(workspace, out)
    xmllint_valid(out)


def test_sql_writes_the_plain_units_and_python_only_the_others(
    workspace: Workspace, awkward_memory: dict[int, str], tmp_path: Path, monkeypatch: Any
) -> None:
    if workspace.dialect != "sqlite":
        pytest.skip("the Python writer writes every unit on PostgreSQL")
    by_python: list[int] = []
    rows_of = memory._rows_of

    def recording(connection: Any, ids: Any) -> Any:
        by_python.extend(ids)
        return rows_of(connection, ids)

    markups: list[str] = []
    seg_markup = tmx._seg_markup

    def seg_recording(markup: str) -> str | None:
        markups.append(markup)
        return seg_markup(markup)

    monkeypatch.setattr(memory, "_rows_of", recording)
    monkeypatch.setattr(tmx, "_seg_markup", seg_recording)
    out = tmp_path / "out.tmx"
    memory.export_memory(workspace, out)
    expected = {unit_id for unit_id, by in awkward_memory.items() if by == "python"}
    assert set(by_python) & set(awkward_memory) == expected
    assert len(by_python) == len(set(by_python))  # each unit written once
    # Of the others, the import's first unit (a control character) goes to Python; the
    # document's units and the import's second one do not.
    assert len(set(by_python) - set(awkward_memory)) == 1
    # lxml re-serialises each non-empty markup once: units written by SQL (3) or Python (1).
    assert sorted(markups) == sorted(
        [
            '<bpt i="1" type="bold">&lt;b&gt;</bpt>كلمة<ept i="1">&lt;/b&gt;</ept> باقي',
            "<b>unclosed",
            "<hi>bold</hi> word",
            'a <ph x="1">&lt;br/&gt;</ph>b',
        ]
    )
    assert out.read_bytes() == reference(workspace, tmp_path / "expected.tmx")


def test_an_empty_memory(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out.tmx"
    calls: list[tuple[int, int]] = []
    assert memory.export_memory(workspace, out, progress=lambda *call: calls.append(call)) == 0
    assert out.read_bytes() == reference(workspace, tmp_path / "expected.tmx")
    assert b"<tu" not in out.read_bytes() and calls == [(0, 0)]


def plain_specs(count: int) -> Iterator[Spec]:
    for n in range(count):
        yield Spec(
            f"unit {n}",
            "sql",
            variants=pair(f"نص رقم {n}", f"text number {n} & more"),
            changed_at=LATER if n % 3 else None,
            changed_by="editor" if n % 3 else None,
            notes=NOTES if n % 10 == 0 else None,
            props=PROPS if n % 2 else None,
        )


def test_progress_is_reported_every_1000_units_and_at_the_end(
    workspace: Workspace, tmp_path: Path
) -> None:
    store(workspace, list(plain_specs(2_500)))
    calls: list[tuple[int, int]] = []
    out = tmp_path / "out.tmx"
    assert memory.export_memory(workspace, out, progress=lambda *call: calls.append(call)) == 2_500
    assert calls == [(1_000, 0), (2_000, 0), (2_500, 0)]  # as write_tmx_fields reports
    assert out.read_bytes() == reference(workspace, tmp_path / "expected.tmx")


# -- two processes ------------------------------------------------------------------------


@pytest.fixture
def sqlite_memory(workspace: Workspace, doc: int, tmp_path: Path, monkeypatch: Any) -> Workspace:
    """Plain and awkward units mixed, in batches of about 7 units."""
    if workspace.dialect != "sqlite":
        pytest.skip("SQLite only")
    specs = list(itertools.chain(*zip(plain_specs(80), itertools.cycle(awkward("sqlite")))))
    store(workspace, specs)
    monkeypatch.setattr(tmx_sql, "BATCH", 7)
    return workspace


@dataclass
class Watch:
    """What the export did: batches rendered here, second processes started."""

    here: int = 0
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)


@pytest.fixture
def watch(monkeypatch: Any) -> Watch:
    seen = Watch()
    render = tmx_sql.Renderer.render

    def counting(self: tmx_sql.Renderer, after: int, upto: int) -> tuple[int, bytes]:
        seen.here += 1
        return render(self, after, upto)

    popen = subprocess.Popen

    def starting(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        process: subprocess.Popen[bytes] = popen(*args, **kwargs)
        seen.processes.append(process)
        return process

    monkeypatch.setattr(tmx_sql.Renderer, "render", counting)
    monkeypatch.setattr(memory_export.subprocess, "Popen", starting)
    return seen


def export(ws: Workspace, out: Path, **options: Any) -> int:
    return memory_export.export_sqlite(
        ws,
        out,
        srclang="ar",
        statuses=options.pop("statuses", None),
        progress=options.pop("progress", lambda done, total: None),
        fallback=memory._rows_of,
        **options,
    )


def batches(ws: Workspace) -> int:
    with ws.reading() as connection:
        db = connection.connection.driver_connection
        renderer = tmx_sql.Renderer(db, srclang="ar", statuses=None)
        return len(renderer.bounds()) + 1


def test_a_second_process_renders_batches_and_the_bytes_are_the_same(
    sqlite_memory: Workspace, watch: Watch, tmp_path: Path
) -> None:
    out = tmp_path / "out.tmx"
    written = export(sqlite_memory, out, parallel=True)
    assert out.read_bytes() == reference(sqlite_memory, tmp_path / "expected.tmx")
    assert written == len(list(memory.iter_memory(sqlite_memory)))
    [process] = watch.processes
    assert process.returncode is not None  # stopped at the end
    total = batches(sqlite_memory)
    assert total > 10 and 0 < watch.here < total  # both processes rendered


def test_a_second_process_follows_the_filters(
    sqlite_memory: Workspace, doc: int, watch: Watch, tmp_path: Path
) -> None:
    out = tmp_path / "out.tmx"
    export(sqlite_memory, out, parallel=True, statuses=["approved"])
    expected = reference(sqlite_memory, tmp_path / "expected.tmx", min_status="approved")
    assert out.read_bytes() == expected


def test_without_the_same_snapshot_this_process_renders_every_batch(
    sqlite_memory: Workspace, watch: Watch, tmp_path: Path, monkeypatch: Any
) -> None:
    versions = itertools.count()  # as if something was committed between any two looks
    monkeypatch.setattr(memory_export, "_data_version", lambda connection: next(versions))
    out = tmp_path / "out.tmx"
    export(sqlite_memory, out, parallel=True)
    assert out.read_bytes() == reference(sqlite_memory, tmp_path / "expected.tmx")
    assert watch.here == batches(sqlite_memory)


def test_a_commit_during_the_export_is_not_in_the_file(
    sqlite_memory: Workspace, watch: Watch, tmp_path: Path
) -> None:
    expected = reference(sqlite_memory, tmp_path / "expected.tmx")
    committed: list[dict[int, str]] = []

    def commit_once(done: int, total: int) -> None:
        if not committed:
            committed.append(store(sqlite_memory, [Spec("late", "sql")]))

    out = tmp_path / "out.tmx"
    export(sqlite_memory, out, parallel=True, progress=commit_once)
    assert committed and out.read_bytes() == expected
    assert b'tuid="late"' in reference(sqlite_memory, tmp_path / "after.tmx")


def test_when_the_second_process_dies_this_one_renders_its_batches(
    sqlite_memory: Workspace, watch: Watch, tmp_path: Path, monkeypatch: Any
) -> None:
    send = memory_export._Other.send
    sent = itertools.count(1)

    def dying(self: memory_export._Other, after: int, upto: int) -> None:
        if next(sent) == 4:  # it dies before it gets the fourth range
            self.process.kill()
            self.process.wait()
        send(self, after, upto)

    monkeypatch.setattr(memory_export._Other, "send", dying)
    out = tmp_path / "out.tmx"
    export(sqlite_memory, out, parallel=True)
    assert out.read_bytes() == reference(sqlite_memory, tmp_path / "expected.tmx")
    assert watch.here >= batches(sqlite_memory) - 3


def test_cancelling_stops_the_second_process_and_leaves_the_old_file(
    sqlite_memory: Workspace, watch: Watch, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "out.tmx"
    out.write_text("old content", encoding="utf-8")

    def cancel(done: int, _total: int) -> None:
        if done >= 50:
            raise OperationCancelled("cancelled")

    with pytest.raises(OperationCancelled):
        export(sqlite_memory, out, parallel=True, progress=cancel)
    assert out.read_text(encoding="utf-8") == "old content"
    assert [p.name for p in folder.iterdir()] == ["out.tmx"]  # no temporary file left
    [process] = watch.processes
    assert process.returncode is not None
    assert memory.export_memory(sqlite_memory, out) > 0  # the workspace is still usable
