"""TMX reader and writer: the LISA compliance kit, the TICO-19 memories, round trips, bad input."""

from __future__ import annotations

import codecs
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import shared_data
from translator.domain import SkippedUnit, Unit, Variant
from translator.errors import InputFileError, OperationCancelled
from translator.formats import tmx
from translator.formats.tmx import (
    iter_units,
    normalise_lang,
    parse_tmx_date,
    read_header,
    seg_markups,
    write_tmx,
)

KIT = ("tmx-compliance-kit",)
TICO_EN_AR = ("tmx", "tico19_all.en-ar.tmx")
TICO_AR_FR = ("tmx", "tico19_all.ar-fr.tmx")
HEADER = (
    '<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
    'adminlang="en" srclang="en" datatype="plaintext"/>'
)

IMPORT_COUNTS = {
    "ImportTest1A.tmx": 2,
    "ImportTest1B.tmx": 1,
    "ImportTest1C.tmx": 3,
    "ImportTest1D.tmx": 3,
    "ImportTest1E.tmx": 3,
    "ImportTest1F.tmx": 3,
    "ImportTest1G.tmx": 3,
    "ImportTest1H.tmx": 3,
    "ImportTest1I.tmx": 1,
    "ImportTest1J.tmx": 2,
    "ImportTest1J_many.tmx": 3,
    "ImportTest1K.tmx": 2,
    "ImportTest1L.tmx": 1,
    "ImportTest2A-0index.tmx": 7,
    "ImportTest2A.tmx": 7,
    "ImportTest2B.tmx": 7,
    "ImportTest2C.tmx": 1,
}


def units_of(path: Path, **kwargs: object) -> list[Unit]:
    items = list(iter_units(path, **kwargs))  # type: ignore[arg-type]
    assert all(isinstance(item, Unit) for item in items), items
    return [item for item in items if isinstance(item, Unit)]


def texts(unit: Unit) -> dict[str, str]:
    return {variant.lang: variant.text for variant in unit.variants}


def write_file(tmp_path: Path, body: str, name: str = "memory.tmx", head: str = "") -> Path:
    path = tmp_path / name
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n{head}<tmx version="1.4">{HEADER}<body>\n'
        f"{body}\n</body></tmx>\n",
        encoding="utf-8",
    )
    return path


# -- the LISA TMX compliance kit ------------------------------------------------------------


def test_kit_has_every_import_file() -> None:
    found = {path.name for path in shared_data(*KIT).glob("ImportTest*.tmx")}
    assert found == set(IMPORT_COUNTS)


@pytest.mark.parametrize("name", sorted(IMPORT_COUNTS))
def test_every_kit_import_file_reads(name: str) -> None:
    path = shared_data(*KIT, name)
    units = units_of(path)
    assert len(units) == IMPORT_COUNTS[name]
    expected_srclang = "es-ES" if name == "ImportTest1J_many.tmx" else "en-US"
    assert read_header(path).srclang == expected_srclang
    for unit in units:
        assert len(unit.variants) >= 2
        assert all(variant.text.strip() for variant in unit.variants)


def test_utf16_le_file_keeps_tabs_and_spaces() -> None:
    first, second = units_of(shared_data(*KIT, "ImportTest1A.tmx"))
    assert texts(first) == {
        "en-US": "First segment with [\t\t   ]",
        "fr-CA": "Premier segment avec [\t\t   ]",
    }
    assert texts(second)["en-US"] == "Second segment with [  \t\t]"


def test_utf16_be_file_and_character_references_read_alike() -> None:
    expected = ["à=agrave, é=eacute, æ=aelig", "ÿ=U+00FF, ™=U+2122, ’=U+2019"]
    for name in ("ImportTest1D.tmx", "ImportTest1F.tmx", "ImportTest1G.tmx", "ImportTest1H.tmx"):
        units = units_of(shared_data(*KIT, name))
        assert [unit.variant("en-US").text for unit in units[:2]] == expected, name  # type: ignore[union-attr]
        assert [unit.variant("en-GB").text for unit in units[:2]] == expected, name  # type: ignore[union-attr]


def test_odd_spacing_and_language_case() -> None:
    (unit,) = units_of(shared_data(*KIT, "ImportTest1B.tmx"))
    assert texts(unit) == {"en-US": "Text of the segment", "fr-CA": "Texte du segment"}


def test_ideographic_spaces_are_kept() -> None:
    (unit,) = units_of(shared_data(*KIT, "ImportTest1I.tmx"))
    assert texts(unit)["ja-JP"] == "Japanese segment with [\u3000\u3000]"
    assert texts(unit)["en-US"] == "English segment with [    ]"


def test_more_than_two_languages_are_all_kept() -> None:
    units = units_of(shared_data(*KIT, "ImportTest1C.tmx"))
    for unit in units:
        assert sorted(texts(unit)) == ["en-GB", "en-US", "es-ES", "fr-CA", "ja-JP"]
    assert texts(units[2])["ja-JP"] == "Third entry in Japanese"


def test_languages_restrict_variants_and_skip_what_is_left_alone() -> None:
    path = shared_data(*KIT, "ImportTest1J_many.tmx")
    items = list(iter_units(path, languages=["en-us", "EN-GB"]))
    assert [type(item) for item in items] == [Unit, Unit, SkippedUnit]
    assert texts(items[0]) == {  # type: ignore[arg-type]
        "en-US": "First entry in US English",
        "en-GB": "First entry in UK English",
    }
    skipped = items[2]
    assert isinstance(skipped, SkippedUnit)
    assert skipped.reason == "only one language (en-US)"
    assert skipped.line == 17  # the <tu> start tag


def test_base_language_matches_every_region() -> None:
    units = units_of(shared_data(*KIT, "ImportTest1C.tmx"), languages=["en", "ja"])
    assert [sorted(texts(unit)) for unit in units] == [["en-GB", "en-US", "ja-JP"]] * 3


def test_unit_srclang_overrides_header() -> None:
    units = units_of(shared_data(*KIT, "ImportTest1K.tmx"))
    assert [unit.srclang for unit in units] == ["de-DE", "fr-CA"]
    units = units_of(shared_data(*KIT, "ImportTest1J_many.tmx"))
    assert [unit.srclang for unit in units] == ["en-US", "en-US", "es-ES"]


def test_notes_props_and_dates() -> None:
    (unit,) = units_of(shared_data(*KIT, "ImportTest1L.tmx"))
    assert unit.tuid == "tu001"
    assert unit.created_at == datetime(2002, 5, 23, 9, 12, tzinfo=UTC)
    assert unit.changed_at == datetime(2002, 5, 23, 9, 12, tzinfo=UTC)
    assert (unit.created_by, unit.changed_by) == ("ys", "ys")
    assert unit.notes == ("Text of tu note 1", "Text of tu note 2")
    assert unit.props == (("myPropeType", "Data"),)
    assert [variant.lang for variant in unit.variants] == ["en-US", "fr", "en-GB"]
    french = unit.variant("fr")
    assert french is not None
    assert french.notes == ("Text of tuv fr note 1",) * 2
    assert french.props == (("myPropeType", "Data"),) * 2


def test_inline_markup_is_kept_and_code_is_not_text() -> None:
    units = units_of(shared_data(*KIT, "ImportTest2A.tmx"))
    black = units[0].variant("en-US")
    assert black is not None
    assert black.text == "The big black cat sleeps."
    assert black.markup is not None
    assert black.markup.startswith('The big <bpt i="1" x="1" type="bold">&lt;b&gt;</bpt>black')
    assert units[1].variant("fr-CA").text == (  # type: ignore[union-attr]
        'Test pour caractères spéciaux = <=lt, >=gt, &=amp, "=quot.'
    )
    picture = units[5]
    assert texts(picture) == {"en-US": "Picture: ", "fr-CA": "Image: "}  # ph is code
    assert "<ph " in (picture.variants[0].markup or "")
    highlighted = units[6]
    assert [variant.lang for variant in highlighted.variants] == ["fr-CA", "en-US"]
    assert texts(highlighted)["en-US"] == "Some text with a part highlighted."  # hi is text


def test_sub_flow_is_not_visible_text_but_kept_in_markup() -> None:
    (unit,) = units_of(shared_data(*KIT, "ImportTest2C.tmx"))
    english = unit.variant("en-US")
    assert english is not None
    assert english.text == "Click  to start."
    assert "<sub>Start Here!</sub>" in (english.markup or "")
    assert "<it " in (english.markup or "") and "<hi " in (english.markup or "")


def test_rtf_codes_read() -> None:
    units = units_of(shared_data(*KIT, "ImportTest2B.tmx"))
    assert units[0].variant("en-US").markup.count("{\\b ") == 1  # type: ignore[union-attr]
    assert units[0].variant("fr-CA").text == "Le gros chat noir dors."  # type: ignore[union-attr]


# -- the TICO-19 memories -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "langs", "srclang"),
    [(TICO_EN_AR, {"en", "ar"}, "en"), (TICO_AR_FR, {"ar", "fr"}, "ar")],
)
def test_tico19_reads_completely(parts: tuple[str, str], langs: set[str], srclang: str) -> None:
    path = shared_data(*parts)
    units = units_of(path)
    assert len(units) == 3071
    assert all({variant.lang for variant in unit.variants} == langs for unit in units)
    assert all(unit.srclang == srclang for unit in units)
    assert units[0].tuid == "CMU_1:1"
    assert units[0].variant("ar").text == "منذ متى لا تزال هذه الأعراض مستمرة تقريبًا؟"  # type: ignore[union-attr]
    assert units[-1].tuid == "wiki_9:3071"
    assert units[0].props[0][0] == "note"


def test_tico19_with_a_language_not_in_it_skips_everything() -> None:
    items = list(iter_units(shared_data(*TICO_EN_AR), languages=["ar", "fr"]))
    assert len(items) == 3071
    assert {item.reason for item in items if isinstance(item, SkippedUnit)} == {
        "only one language (ar)"
    }


# -- round trips ----------------------------------------------------------------------------


def xmllint_valid(path: Path) -> None:
    if shutil.which("xmllint") is None:
        pytest.skip("xmllint is not installed")
    dtd = shared_data("tmx", "tmx14.dtd")
    result = subprocess.run(
        ["xmllint", "--noout", "--nonet", "--dtdvalid", str(dtd), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def round_trip(source: Path, tmp_path: Path) -> tuple[list[Unit], list[Unit], Path]:
    units = units_of(source)
    header = read_header(source)
    target = tmp_path / f"out-{source.name}"
    assert write_tmx(target, units, srclang=header.srclang or "*all*") == len(units)
    return units, units_of(target), target


@pytest.mark.parametrize("name", [*sorted(IMPORT_COUNTS), "tico19_all.en-ar.tmx"])
def test_round_trip_gives_equal_units_and_a_valid_file(name: str, tmp_path: Path) -> None:
    source = shared_data(*TICO_EN_AR) if name.startswith("tico") else shared_data(*KIT, name)
    before, after, written = round_trip(source, tmp_path)
    assert after == before
    xmllint_valid(written)


@pytest.mark.parametrize(
    "name", ["ImportTest1C.tmx", "ImportTest1L.tmx", "ImportTest2A.tmx", "tico19_all.en-ar.tmx"]
)
def test_translate_toolkit_reads_what_we_write(name: str, tmp_path: Path) -> None:
    tmx = pytest.importorskip("translate.storage.tmx")
    source = shared_data(*TICO_EN_AR) if name.startswith("tico") else shared_data(*KIT, name)
    before, _after, written = round_trip(source, tmp_path)
    store = tmx.tmxfile.parsefile(str(written))
    theirs = [unit for unit in store.units if unit.istranslatable()]
    assert len(theirs) == len(before)
    for ours, their in zip(before, theirs, strict=True):
        if len(ours.variants) > 2 or any(variant.markup for variant in ours.variants):
            continue  # its plain text includes native codes ("<b>"); its target is one language
        assert their.source == ours.variants[0].text
        assert their.target == ours.variants[1].text
        assert their.getid() == (ours.tuid or their.getid())


def canonical_segs(path: Path) -> list[bytes]:
    tree = etree.parse(str(path), etree.XMLParser(load_dtd=False, no_network=True))
    return [etree.tostring(seg, method="c14n") for seg in tree.iter("seg")]


@pytest.mark.parametrize("name", ["ExportTest1A.tmx", "ExportTest1B.tmx", "ExportTest2A.tmx"])
def test_inline_markup_written_as_the_kit_expects(name: str, tmp_path: Path) -> None:
    source = shared_data(*KIT, name)
    _before, _after, written = round_trip(source, tmp_path)
    assert canonical_segs(written) == canonical_segs(source)


def test_control_characters_are_never_written_raw(tmp_path: Path) -> None:
    text = "a\x01b\x0bc\x1f \ufffe\uffff\ud800 d\r\ne\tf"
    unit = Unit(
        variants=(Variant("ar", "نص" + text), Variant("en", text)),
        tuid="c\x02",
        notes=("note\x03",),
    )
    path = tmp_path / "ctrl.tmx"
    write_tmx(path, [unit], srclang="ar")
    raw = path.read_bytes()
    assert b"\x01" not in raw and b"\x0b" not in raw and b"\x1f" not in raw
    xmllint_valid(path)
    (back,) = units_of(path)
    assert back.variant("en").text == text  # type: ignore[union-attr]
    assert back.variant("en").markup is None  # type: ignore[union-attr]
    assert back.tuid == "c\ufffd"  # attributes and notes cannot hold a placeholder
    assert back.notes == ("note\ufffd",)


def test_unit_fields_round_trip(tmp_path: Path) -> None:
    unit = Unit(
        variants=(
            Variant("ar-SA", "مرحبا", notes=("ملاحظة",), props=(("x-a", "1"),)),
            Variant("en-US", 'Hello <world> & "you"'),
            Variant(
                "fr",
                "Bonjour",
                markup='<bpt i="1">&lt;b&gt;</bpt>Bonjour<ept i="1">&lt;/b&gt;</ept>',
            ),
        ),
        tuid=None,
        id=42,
        srclang="ar-SA",
        created_at=datetime(2024, 2, 29, 23, 59, 58, tzinfo=UTC),
        created_by="مترجم",
        changed_at=datetime(2024, 3, 1, 0, 0, 1),  # naive: taken as UTC
        changed_by="reviewer",
        origin="document 3, segment 17",
        status="approved",
        notes=("first", "second\nline"),
        props=(("x-domain", "health"),),
    )
    path = tmp_path / "fields.tmx"
    write_tmx(path, iter([unit]), srclang="en-US")
    xmllint_valid(path)
    (back,) = units_of(path)
    assert back == Unit(
        variants=unit.variants,
        tuid="42",
        srclang="ar-SA",
        created_at=unit.created_at,
        created_by="مترجم",
        changed_at=datetime(2024, 3, 1, 0, 0, 1, tzinfo=UTC),
        changed_by="reviewer",
        origin="document 3, segment 17",
        status="approved",
        notes=unit.notes,
        props=unit.props,
    )
    raw = path.read_text(encoding="utf-8")
    assert raw.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert 'creationdate="20240229T235958Z"' in raw
    assert '<prop type="x-status">approved</prop>' in raw
    assert read_header(path).srclang == "en-US"


def test_markup_that_does_not_parse_falls_back_to_text(tmp_path: Path) -> None:
    unit = Unit(variants=(Variant("en", "a < b", markup="a <bpt"), Variant("ar", "أ")))
    path = tmp_path / "bad-markup.tmx"
    write_tmx(path, [unit], srclang="en")
    assert units_of(path)[0].variant("en") == Variant("en", "a < b")


# Markups as imports store them; the second list cannot be re-serialised as a batch.
WELL_FORMED_MARKUPS = [
    '<bpt i="1">&lt;b&gt;</bpt>bold<ept i="1">&lt;/b&gt;</ept>',
    'a\r\nb &amp; <ph x="1"/>',
    "<![CDATA[x < y]]> and <!-- a note -->",
    '<x:ph xmlns:x="urn:x">&#x41;</x:ph>',
    "  ",
    "&#xD;&#x9;ok",
]
BATCH_BREAKERS = [
    "<![CDATA[]]>",
    '<bpt i="2">',
    '<ept i="2"/>',
    "<![CDATA[unclosed",
    "<translator-markup-item>inside</translator-markup-item>",
    "</translator-markup-item><translator-markup-item>",
]


def test_markups_serialised_as_a_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [tmx._seg_markup(markup) for markup in WELL_FORMED_MARKUPS]
    assert expected[:3] == [
        '<bpt i="1">&lt;b&gt;</bpt>bold<ept i="1">&lt;/b&gt;</ept>',
        'a\nb &amp; <ph x="1"/>',
        "x &lt; y and <!-- a note -->",
    ]
    monkeypatch.setattr(tmx, "_seg_markup", None)  # the batch must not fall back
    assert seg_markups(WELL_FORMED_MARKUPS) == expected
    assert seg_markups(WELL_FORMED_MARKUPS[::-1]) == expected[::-1]


@pytest.mark.parametrize("breaker", BATCH_BREAKERS)
def test_markups_that_break_a_batch_are_serialised_one_by_one(breaker: str) -> None:
    """The exporter re-serialises markup in batches; one that does not parse, or that the
    batch could mistake for its own wrapper, must give what it gives alone."""
    markups = [*WELL_FORMED_MARKUPS[:2], breaker, *WELL_FORMED_MARKUPS[2:]]
    assert seg_markups(markups) == [tmx._seg_markup(markup) for markup in markups]
    assert tmx._seg_markup("<![CDATA[]]>") == ""
    assert tmx._seg_markup('<bpt i="2">') is None


def test_progress_and_count(tmp_path: Path) -> None:
    units = [
        Unit(variants=(Variant("ar", f"نص {n}"), Variant("en", f"text {n}"))) for n in range(2500)
    ]
    calls: list[tuple[int, int]] = []
    count = write_tmx(
        tmp_path / "p.tmx", units, srclang="ar", progress=lambda d, t: calls.append((d, t))
    )
    assert count == 2500
    assert calls == [(1000, 2500), (2000, 2500), (2500, 2500)]


def test_cancelled_export_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "keep.tmx"
    path.write_text("old content", encoding="utf-8")
    units = (Unit(variants=(Variant("ar", "ن"), Variant("en", "t"))) for _ in range(5000))

    def cancel(done: int, total: int) -> None:
        raise OperationCancelled("cancelled")

    with pytest.raises(OperationCancelled):
        write_tmx(path, units, srclang="ar", progress=cancel)
    assert path.read_text(encoding="utf-8") == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.tmx"]


def test_unwritable_folder_is_an_input_file_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="cannot be written"):
        write_tmx(tmp_path / "missing" / "x.tmx", [], srclang="en")


def test_a_disk_error_while_writing_out_fails_the_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The OS reports a write-back error (EIO, a full NFS disk) once, to the first sync after
    # it: here the background one. The export must fail, not install a damaged file.
    from translator.formats import registry

    def failing_sync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(registry, "_SYNC_EVERY_S", 0.01)
    monkeypatch.setattr(os, "fdatasync", failing_sync, raising=False)  # the thread's sync

    def slow_units() -> Iterator[Unit]:
        for n in range(20):
            time.sleep(0.01)
            yield Unit(variants=(Variant("ar", f"نص {n}"), Variant("en", f"text {n}")))

    target = tmp_path / "out.tmx"
    monkeypatch.setattr(os, "fsync", lambda fd: None)  # the final one sees nothing
    with pytest.raises(InputFileError, match=r"out\.tmx: cannot be written .*Input/output"):
        write_tmx(target, slow_units(), srclang="ar")
    assert list(tmp_path.iterdir()) == []


# -- small conversions and odd but valid files ------------------------------------------------


def test_language_codes_are_normalised() -> None:
    assert [normalise_lang(code) for code in ("AR", "En-uS", "ar-sa", "zh-hant-tw", "es-419")] == [
        "ar",
        "en-US",
        "ar-SA",
        "zh-Hant-TW",
        "es-419",
    ]


def test_odd_dates_are_kept_as_none() -> None:
    assert parse_tmx_date("20020523T091200Z") == datetime(2002, 5, 23, 9, 12, tzinfo=UTC)
    for odd in ("20021345T000000Z", "2002-05-23", "20020523T091200", "", None, "00000000T000000Z"):
        assert parse_tmx_date(odd) is None


def test_tmx_11_lang_attribute_and_all_srclang(tmp_path: Path) -> None:
    path = tmp_path / "old.tmx"
    path.write_text(
        '<?xml version="1.0"?>\n<tmx version="1.1"><header creationtool="x" '
        'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="EN" srclang="*all*" '
        'datatype="plaintext"/><body>\n<tu creationdate="2002" changedate="20020230T000000Z">'
        '<tuv lang="AR"><seg>مرحبا</seg></tuv><tuv lang="EN-GB"><seg>Hello</seg></tuv></tu>\n'
        "</body></tmx>",
        encoding="utf-8",
    )
    header = read_header(path)
    assert (header.version, header.srclang, header.adminlang) == ("1.1", None, "en")
    (unit,) = units_of(path)
    assert texts(unit) == {"ar": "مرحبا", "en-GB": "Hello"}
    assert unit.srclang is None
    assert unit.created_at is None and unit.changed_at is None


def test_whitespace_is_preserved_unless_the_file_says_default(tmp_path: Path) -> None:
    path = write_file(
        tmp_path,
        '<tu><tuv xml:lang="en"><seg>  two  spaces\n</seg></tuv>'
        '<tuv xml:lang="ar"><seg> ا </seg></tuv></tu>\n'
        '<tu xml:space="default"><tuv xml:lang="en"><seg>  two \t spaces\n</seg></tuv>'
        '<tuv xml:lang="ar"><seg xml:space="preserve"> ا </seg></tuv></tu>',
    )
    first, second = units_of(path)
    assert texts(first) == {"en": "  two  spaces\n", "ar": " ا "}
    assert texts(second) == {"en": "two spaces", "ar": " ا "}


def test_unusable_units_are_skipped_with_a_reason(tmp_path: Path) -> None:
    path = write_file(
        tmp_path,
        '<tu tuid="one"><tuv xml:lang="en"><seg>alone</seg></tuv></tu>\n'
        '<tu tuid="empty"><tuv xml:lang="en"><seg>text</seg></tuv>'
        '<tuv xml:lang="ar"><seg> </seg></tuv></tu>\n'
        '<tu tuid="broken"><tuv xml:lang="en"><seg><bpt i="1">&lt;b&gt;</bpt>x</seg></tuv>'
        '<tuv xml:lang="ar"><seg>س</seg></tuv></tu>\n'
        '<tu tuid="ok"><tuv xml:lang="en"><seg>yes</seg></tuv>'
        '<tuv xml:lang="ar"><seg>نعم</seg></tuv></tu>',
    )
    items = list(iter_units(path))
    assert [(item.tuid, getattr(item, "reason", None)) for item in items] == [
        ("one", "only one language (en)"),
        ("empty", "empty segment in ar"),
        ("broken", "broken inline markup in en: <bpt i=1> without <ept>"),
        ("ok", None),
    ]
    assert [item.line for item in items if isinstance(item, SkippedUnit)] == [3, 4, 5]
    skipped = list(iter_units(path, languages=["fr", "de"]))
    assert {item.reason for item in skipped if isinstance(item, SkippedUnit)} == {
        "no variant in fr, de"
    }


def test_external_dtd_declaration_is_accepted_and_never_loaded(tmp_path: Path) -> None:
    with listening_socket() as (port, was_contacted):
        path = write_file(
            tmp_path,
            '<tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="ar"><seg>ب</seg></tuv></tu>',
            head=f'<!DOCTYPE tmx SYSTEM "http://127.0.0.1:{port}/tmx14.dtd">\n',
        )
        assert len(units_of(path)) == 1
        assert not was_contacted()


# -- bad and hostile input ------------------------------------------------------------------


class listening_socket:
    """A local port that records whether anything connected to it."""

    def __enter__(self) -> tuple[int, object]:
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(1)
        self.server.setblocking(False)
        port = self.server.getsockname()[1]

        def was_contacted() -> bool:
            try:
                connection, _ = self.server.accept()
            except BlockingIOError:
                return False
            connection.close()
            return True

        return port, was_contacted

    def __exit__(self, *exc: object) -> None:
        self.server.close()


def assert_refused(path: Path, *fragments: str, line: int | None = None) -> InputFileError:
    with pytest.raises(InputFileError) as info:
        list(iter_units(path))
    message = str(info.value)
    assert message.startswith(str(path))
    for fragment in fragments:
        assert fragment in message
    if line is not None:
        assert info.value.line == line
    return info.value


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tmx [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<tmx version="1.4">HEADER<body><tu><tuv xml:lang="en"><seg>&lol9;</seg></tuv>
<tuv xml:lang="ar"><seg>&lol9;</seg></tuv></tu></body></tmx>
""".replace("HEADER", HEADER)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_billion_laughs_is_refused(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "laughs.tmx"
    path.write_bytes(BILLION_LAUGHS.encode(encoding))  # utf-16 writes a BOM
    error = assert_refused(path, "declares entities", "refused", line=3)
    with pytest.raises(InputFileError, match="declares entities"):
        read_header(path)
    assert error.line == 3


def test_external_file_entity_is_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("MARKER-7f3a-SECRET", encoding="utf-8")
    path = tmp_path / "xxe.tmx"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
        f'<tmx version="1.4">{HEADER}<body><tu><tuv xml:lang="en"><seg>&xxe;</seg></tuv>'
        '<tuv xml:lang="ar"><seg>&xxe;</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    error = assert_refused(path, "declares entities")
    assert "MARKER" not in str(error)


def test_external_http_entity_is_refused_and_never_fetched(tmp_path: Path) -> None:
    with listening_socket() as (port, was_contacted):
        path = tmp_path / "http.tmx"
        path.write_text(
            f'<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY % remote SYSTEM "http://127.0.0.1:{port}/x.dtd">\n'
            f'%remote;\n<!ENTITY web SYSTEM "http://127.0.0.1:{port}/secret">]>\n'
            f'<tmx version="1.4">{HEADER}<body><tu><tuv xml:lang="en"><seg>&web;</seg></tuv>'
            '<tuv xml:lang="ar"><seg>ب</seg></tuv></tu></body></tmx>',
            encoding="utf-8",
        )
        assert_refused(path, "declares entities", line=3)
        assert not was_contacted()


def test_internal_subset_without_entities_is_refused(tmp_path: Path) -> None:
    path = write_file(tmp_path, "", head="<!DOCTYPE tmx [<!ELEMENT tmx ANY>]>\n")
    assert_refused(path, "refused", line=2)


def test_entity_declaration_behind_a_long_comment_is_still_refused(tmp_path: Path) -> None:
    padding = "<!-- " + "x" * 70_000 + " -->\n"
    path = write_file(tmp_path, "", head=padding + '<!DOCTYPE tmx [<!ENTITY e "e">]>\n')
    assert_refused(path, "declares entities")


def test_malformed_xml_names_line_and_column(tmp_path: Path) -> None:
    path = write_file(
        tmp_path,
        '<tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="ar"><seg>ب</seg></tuv></tu>\n'
        '<tu><tuv xml:lang="en"><seg>unclosed</tuv></tu>',
    )
    error = assert_refused(path, "damaged XML", line=4)
    assert error.column is not None
    assert f"{path}: line 4, column" in str(error)


def test_truncated_file(tmp_path: Path) -> None:
    data = shared_data(*TICO_EN_AR).read_bytes()
    path = tmp_path / "half.tmx"
    path.write_bytes(data[: len(data) // 2])
    error = assert_refused(path, "truncated")
    assert error.line is not None and error.line > 1000


@pytest.mark.parametrize(
    ("after", "extra"),
    [(b'<tuv xml:lang="', 0), (b"<tuv xml", 0), ("منظمة".encode(), -9)],  # -9: inside "م"
)
def test_a_file_cut_inside_a_tag_or_a_character_is_called_truncated(
    tmp_path: Path, after: bytes, extra: int
) -> None:
    data = shared_data(*TICO_EN_AR).read_bytes()
    cut = data.index(after, len(data) // 3) + len(after) + extra
    path = tmp_path / "cut.tmx"
    path.write_bytes(data[:cut])
    assert_refused(path, "the file ends too early, it is probably truncated")


def test_wrong_encoding_declaration(tmp_path: Path) -> None:
    path = tmp_path / "cp1256.tmx"
    text = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">{HEADER}<body>\n'
        '<tu><tuv xml:lang="en"><seg>hello</seg></tuv>'
        '<tuv xml:lang="ar"><seg>مرحبا</seg></tuv></tu>\n'
        "</body></tmx>"
    )
    path.write_bytes(text.encode("cp1256"))
    assert_refused(path, "declared encoding", line=3)


def test_hundred_megabyte_segment_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "huge.tmx"
    chunk = "ا" * (1 << 20)  # 2 MB of UTF-8
    with path.open("w", encoding="utf-8") as stream:
        stream.write(f'<?xml version="1.0"?>\n<tmx version="1.4">{HEADER}<body>\n<tu>\n')
        stream.write('<tuv xml:lang="ar"><seg>')
        for _ in range(50):
            stream.write(chunk)
        stream.write('</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>')
    started = time.perf_counter()
    assert_refused(path, "exceeds the limit of 10 MB", line=4)
    assert time.perf_counter() - started < 10


def test_segment_split_by_inline_codes_is_refused_too(tmp_path: Path) -> None:
    piece = "b" * 1_000_000 + '<ph x="1"/>'
    path = write_file(
        tmp_path,
        f'<tu><tuv xml:lang="en"><seg>{piece * 11}</seg></tuv>'
        '<tuv xml:lang="ar"><seg>ب</seg></tuv></tu>',
    )
    assert_refused(path, "segment of 11 MB", "exceeds the limit")


def test_not_a_tmx_file(tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    path.write_text('<?xml version="1.0"?>\n<xliff version="1.2"><file/></xliff>', encoding="utf-8")
    assert_refused(path, "is not a TMX file", "<xliff>", line=2)
    with pytest.raises(InputFileError, match="not a TMX file"):
        read_header(path)


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        iter_units(tmp_path / "nothing.tmx")
    empty = tmp_path / "empty.tmx"
    empty.write_bytes(codecs.BOM_UTF8)
    with pytest.raises(InputFileError, match="is empty"):
        read_header(empty)
