"""PO catalogues: read what translators and tools produce, write what msgfmt -c accepts."""

from __future__ import annotations

import codecs
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import polib
import pytest
from translate.storage import po as ttk_po

from tests.conftest import shared_data
from translator.domain import Status
from translator.errors import InputFileError
from translator.formats.po import (
    PoCatalog,
    PoEntry,
    catalog_from_segments,
    read_po,
    render_po,
    write_po,
)

ARABIC_PLURAL = (
    "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
    ": n%100>=11 ? 4 : 5);"
)

# A catalogue as an English->Arabic newsroom keeps one: every feature a tool may write.
ARABIC_PO = r"""# Arabic translation of the wire-desk style guide.
# Copyright (C) 2024 The Desk
#
msgid ""
msgstr ""
"Project-Id-Version: desk-guide 2.1\n"
"Report-Msgid-Bugs-To: desk@example.org\n"
"POT-Creation-Date: 2024-03-01 09:15+0300\n"
"PO-Revision-Date: 2024-03-02 11:40+0300\n"
"Last-Translator: Huda <huda@example.org>\n"
"Language-Team: Arabic <ar@example.org>\n"
"Language: ar\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && "
"n%100<=10 ? 3 : n%100>=11 ? 4 : 5);\n"
"X-Desk-Reviewed: yes\n"

#. Headline of the front page.
#: guide/front.txt:12 guide/front.txt:40
msgctxt "headline"
msgid "Ceasefire holds in Gaza"
msgstr "صمود وقف إطلاق النار في غزة"

# Checked against the agency copy.
#. %d is the number of casualties.
#: guide/stats.c:7
#, c-format
msgid "%d person was injured"
msgid_plural "%d people were injured"
msgstr[0] "لم يصب أحد"
msgstr[1] "أصيب شخص واحد"
msgstr[2] "أصيب شخصان"
msgstr[3] "أصيب %d أشخاص"
msgstr[4] "أصيب %d شخصًا"
msgstr[5] "أصيب %d شخص"

#, fuzzy
#| msgid "The minister said \"no\"."
msgid "The minister said \"no comment\"."
msgstr "قال الوزير \"لا تعليق\"."

msgctxt "body"
msgid ""
"First line of a quote,\n"
"second line with a tab\tand a backslash \\ here."
msgstr ""
"السطر الأول من الاقتباس،\n"
"السطر الثاني مع علامة جدولة\tوشرطة مائلة \\ هنا."

#: guide/untranslated.txt
msgid "Reuters contributed to this report."
msgstr ""

# Dropped from the guide in 2023.
#, fuzzy
#~ msgctxt "old"
#~ msgid "Breaking news"
#~ msgstr "عاجل"
"""

SLOPPY_PO = r"""msgid ""
msgstr ""
"Project-Id-Version: Newsroom\n"
"PO-Revision-Date: yesterday afternoon\n"
"Language: \n"
"Content-Type: text/plain; charset=utf-8\n"

msgid "Prime Minister"
msgstr "رئيس الوزراء"
"""


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def msgfmt_check(path: Path) -> str:
    """Run ``msgfmt -c --check-format``; fail on an error, return its warnings."""
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (GNU gettext) is not installed")
    result = subprocess.run(
        ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def round_trip(tmp_path: Path, source: Path) -> tuple[PoCatalog, PoCatalog, Path]:
    first = read_po(source)
    written = tmp_path / f"written-{source.name}"
    write_po(written, first)
    return first, read_po(written), written


# -- reading ------------------------------------------------------------------------------


def test_arabic_catalogue_is_read_with_every_part_of_each_entry(tmp_path: Path) -> None:
    catalog = read_po(write(tmp_path, "guide.po", ARABIC_PO))

    assert catalog.language == "ar"
    assert catalog.nplurals == 6
    assert catalog.warnings == ()
    assert catalog.header("Project-Id-Version") == "desk-guide 2.1"
    assert [key for key, _ in catalog.metadata][-1] == "X-Desk-Reviewed"
    assert catalog.header_comment.splitlines()[0] == (
        "Arabic translation of the wire-desk style guide."
    )
    headline, plural, fuzzy, quote, untranslated, old = catalog.entries
    assert headline.msgctxt == "headline"
    assert headline.msgstr == "صمود وقف إطلاق النار في غزة"
    assert headline.extracted_comment == "Headline of the front page."
    assert headline.references == (("guide/front.txt", 12), ("guide/front.txt", 40))
    assert headline.line == 20
    assert plural.msgid_plural == "%d people were injured"
    assert plural.msgstr_plural[2] == "أصيب شخصان"
    assert len(plural.msgstr_plural) == 6
    assert plural.flags == ("c-format",)
    assert plural.translator_comment == "Checked against the agency copy."
    assert fuzzy.fuzzy
    assert fuzzy.msgid == 'The minister said "no comment".'
    assert fuzzy.previous_msgid == 'The minister said "no".'
    assert quote.msgid == "First line of a quote,\nsecond line with a tab\tand a backslash \\ here."
    assert quote.msgstr.startswith("السطر الأول من الاقتباس،\n")
    assert untranslated.msgstr == ""
    assert untranslated.references == (("guide/untranslated.txt", None),)
    assert old.obsolete
    assert (old.msgctxt, old.msgid, old.msgstr) == ("old", "Breaking news", "عاجل")
    assert old.translator_comment == "Dropped from the guide in 2023."
    assert old.flags == ("fuzzy",)


def test_sloppy_header_is_accepted_with_warnings(tmp_path: Path) -> None:
    catalog = read_po(write(tmp_path, "sloppy.po", SLOPPY_PO))

    assert catalog.entries[0].msgstr == "رئيس الوزراء"
    assert catalog.language is None
    assert catalog.nplurals is None
    assert "empty Language header" in catalog.warnings
    assert "no Plural-Forms header" in catalog.warnings
    assert "unparseable PO-Revision-Date 'yesterday afternoon'" in catalog.warnings


def test_missing_plural_forms_is_taken_from_the_language(tmp_path: Path) -> None:
    text = SLOPPY_PO.replace('"Language: \\n"', '"Language: ar_EG\\n"')
    text = text.replace('"Content-Type: text/plain; charset=utf-8\\n"\n', "")

    catalog = read_po(write(tmp_path, "ar.po", text))

    assert catalog.language == "ar-EG"
    assert catalog.nplurals == 6
    assert "no Plural-Forms header; assuming nplurals=6 for Arabic" in catalog.warnings
    assert "no Content-Type header" in catalog.warnings


def test_duplicate_messages_and_wrong_plural_counts_are_reported(tmp_path: Path) -> None:
    text = ARABIC_PO.replace('msgstr[5] "أصيب %d شخص"\n', "") + (
        '\nmsgctxt "headline"\nmsgid "Ceasefire holds in Gaza"\nmsgstr "تكرار"\n'
    )

    catalog = read_po(write(tmp_path, "dup.po", text))

    assert any("5 plural forms where Plural-Forms says 6" in w for w in catalog.warnings)
    assert any("duplicate of the message at line 20" in w for w in catalog.warnings)


@pytest.mark.parametrize("name", ["ExportTest1D.po", "ExportTest1D_fr.po"])
def test_compliance_kit_po_files_are_read_as_windows_1252(name: str) -> None:
    catalog = read_po(shared_data("tmx-compliance-kit", name))

    assert [entry.msgid for entry in catalog.entries] == ["id100", "id101", "id102", "103"]
    assert catalog.entries[1].msgstr.count("\t") == 3
    assert catalog.entries[3].msgstr.startswith("é=eacute, \xa0=nbsp, ¤=curr, ÿ=yumlaut")
    assert catalog.entries[3].line == 10
    assert any("read as cp1252" in warning for warning in catalog.warnings)


def test_legacy_arabic_file_without_charset_is_read_as_windows_1256(tmp_path: Path) -> None:
    data = 'msgid "Minister"\nmsgstr "الوزير قال إن الحرب انتهت"\n'.encode("cp1256")

    catalog = read_po(write(tmp_path, "legacy.po", data))

    assert catalog.entries[0].msgstr == "الوزير قال إن الحرب انتهت"


def test_declared_charset_is_honoured(tmp_path: Path) -> None:
    text = SLOPPY_PO.replace("charset=utf-8", "charset=ISO-8859-1").replace(
        "رئيس الوزراء", "Premier ministre à Gaza"
    )

    catalog = read_po(write(tmp_path, "fr.po", text.encode("latin-1")))

    assert catalog.entries[0].msgstr == "Premier ministre à Gaza"


@pytest.mark.parametrize(
    ("prefix", "codec"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")],
    ids=["utf8-bom", "utf16le-bom"],
)
def test_byte_order_marks_are_understood(tmp_path: Path, prefix: bytes, codec: str) -> None:
    catalog = read_po(write(tmp_path, "bom.po", prefix + ARABIC_PO.encode(codec)))

    assert catalog.entries[0].msgstr == "صمود وقف إطلاق النار في غزة"
    assert catalog.language == "ar"
    assert catalog.entries[0].line == 20
    if codec != "utf-8":
        assert any("UTF-16" in warning for warning in catalog.warnings)


# -- refusing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "detail"),
    [
        ('msgid "a"\nmsgstr "b"\n\nmsgid "say "hi""\nmsgstr "x"\n', 4, "unescaped double quote"),
        ('msgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgid "d"\nmsgstr "e"\n', 5, "syntax error"),
        ('msgid "a"\nmsgstr "b"\nthis is an article, not a PO file\n', 3, "not a PO file"),
        ('msgid "a"\n#| msgfoo "x"\nmsgstr "b"\n', 2, "unknown keyword msgfoo"),
        ('msgid "a"\nmsgstr "b"\n\nmsgid "cut off here', 4, "a string is not closed"),
        ('msgid "a"\nmsgstr ""\n"first line\\n"\n"cut\n', 4, "a string is not closed"),
        ('msgid "a"\nmsgstr "b"\n\nmsgctxt "x"\nmsgid "c"\n', 5, "msgid without msgstr"),
    ],
    ids=["quote", "msgid-twice", "prose", "previous-keyword", "cut", "cut-continued", "no-msgstr"],
)
def test_syntax_errors_name_the_file_and_line(
    tmp_path: Path, text: str, line: int, detail: str
) -> None:
    path = write(tmp_path, "broken.po", text)

    with pytest.raises(InputFileError) as caught:
        read_po(path)

    assert caught.value.line == line
    message = str(caught.value)
    assert message.startswith(f"{path}: line {line}: is not a valid PO file")
    assert detail in message
    assert "Traceback" not in message and "polib" not in message


def test_png_renamed_to_po_is_refused_clearly(tmp_path: Path) -> None:
    path = write(tmp_path, "photo.po", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))

    with pytest.raises(InputFileError, match=r"photo\.po: is a PNG image, not text"):
        read_po(path)


def test_mo_file_is_refused_with_a_hint(tmp_path: Path) -> None:
    mo = tmp_path / "ar.mo"
    polib.pofile(ARABIC_PO).save_as_mofile(str(mo))
    path = write(tmp_path, "ar.po", mo.read_bytes())

    with pytest.raises(InputFileError, match="compiled MO file"):
        read_po(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"# Arabic translation\n# nothing yet\n", "contains no PO messages"),
        (b'msgid "a"\x00\x01\x02\nmsgstr "b"\n', "binary file"),
        (
            SLOPPY_PO.encode("utf-8").replace("رئيس".encode(), b"\xff\xfe\xfd"),
            "not valid utf-8, the charset its header declares",
        ),
    ],
    ids=["empty", "comments-only", "binary", "bad-utf8"],
)
def test_unreadable_files_get_one_clear_error(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(InputFileError, match=message):
        read_po(write(tmp_path, "bad.po", data))


# -- writing ------------------------------------------------------------------------------


def test_arabic_catalogue_round_trips_entry_for_entry(tmp_path: Path) -> None:
    first, second, written = round_trip(tmp_path, write(tmp_path, "guide.po", ARABIC_PO))

    assert second.entries == first.entries
    assert second.header_comment == first.header_comment
    assert second.language == "ar" and second.nplurals == 6
    assert second.warnings == ()
    before = {k: v for k, v in first.metadata if k not in ("PO-Revision-Date", "X-Generator")}
    after = {k: v for k, v in second.metadata if k not in ("PO-Revision-Date", "X-Generator")}
    assert after == before
    assert [k for k, _ in second.metadata if k in before] == [k for k in before]
    assert msgfmt_check(written) == ""


@pytest.mark.parametrize("name", ["ExportTest1D.po", "ExportTest1D_fr.po"])
def test_compliance_kit_files_round_trip(tmp_path: Path, name: str) -> None:
    first, second, written = round_trip(tmp_path, shared_data("tmx-compliance-kit", name))

    assert second.entries == first.entries
    assert written.read_bytes().decode("utf-8")  # written back as UTF-8
    msgfmt_check(written)


def test_sloppy_catalogue_round_trips_and_passes_msgfmt(tmp_path: Path) -> None:
    first, second, written = round_trip(tmp_path, write(tmp_path, "sloppy.po", SLOPPY_PO))

    assert second.entries == first.entries
    assert second.header("Project-Id-Version") == "Newsroom"
    assert not any("PO-Revision-Date" in warning for warning in second.warnings)
    msgfmt_check(written)


def test_obsolete_entry_keeps_its_comments_and_goes_last(tmp_path: Path) -> None:
    catalog = PoCatalog(
        metadata=(("Language", "ar"),),
        language="ar",
        entries=(
            PoEntry(
                msgid="Old",
                msgstr="قديم",
                obsolete=True,
                translator_comment="gone",
                extracted_comment="was on page 1",
                references=(("front.txt", 3),),
            ),
            PoEntry(msgid="New", msgstr="جديد"),
        ),
    )
    path = tmp_path / "obsolete.po"

    write_po(path, catalog)

    assert read_po(path).entries == (catalog.entries[1], catalog.entries[0])
    assert path.read_text(encoding="utf-8").rstrip().endswith('#~ msgstr "قديم"')


def test_header_is_complete_and_never_fuzzy(tmp_path: Path) -> None:
    catalog = PoCatalog(
        metadata=(("Project-Id-Version", "desk 1"), ("X-Custom", "kept"), ("Language", "ar")),
        header_flags=("fuzzy",),
        language="ar",
        entries=(PoEntry(msgid="one", msgid_plural="many", msgstr_plural=("",) * 6),),
    )
    path = tmp_path / "header.po"

    write_po(path, catalog, generator="desk-tool 9")

    written = polib.pofile(str(path))
    assert not written.metadata_is_fuzzy
    assert written.metadata["X-Generator"] == "desk-tool 9"
    assert written.metadata["Plural-Forms"] == ARABIC_PLURAL
    assert written.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert list(written.metadata)[:3] == ["Project-Id-Version", "X-Custom", "Language"]
    stamp = datetime.strptime(written.metadata["PO-Revision-Date"], "%Y-%m-%d %H:%M%z")
    assert abs((datetime.now(UTC) - stamp).total_seconds()) < 120
    assert msgfmt_check(path) == ""


def test_translate_toolkit_reads_the_same_units(tmp_path: Path) -> None:
    path = tmp_path / "guide.po"
    catalog = read_po(write(tmp_path, "source.po", ARABIC_PO))
    write_po(path, catalog)

    store = ttk_po.pofile.parsefile(str(path))
    units = [unit for unit in store.units if not unit.isheader()]

    assert len(units) == len(catalog.entries)
    for unit, entry in zip(units, catalog.entries, strict=True):
        assert unit.isobsolete() == entry.obsolete
        assert unit.getcontext() == (entry.msgctxt or "")
        assert str(unit.source) == entry.msgid
        assert unit.isfuzzy() == entry.fuzzy
        if entry.msgstr_plural:
            assert list(unit.target.strings) == list(entry.msgstr_plural)
        else:
            assert str(unit.target) == entry.msgstr
        if not entry.obsolete:
            assert unit.getlocations() == [
                name if line is None else f"{name}:{line}" for name, line in entry.references
            ]


def test_unwritable_destination_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="cannot be written"):
        write_po(tmp_path / "missing-folder" / "out.po", PoCatalog())


# -- documents ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Seg:
    n: int
    source: str
    target: str | None
    status: Status
    context: str | None = None
    note: str | None = None


SEGMENTS = (
    Seg(
        1, "قال المتحدث إن المحادثات مستمرة.", "The spokesman said talks continue.", Status.APPROVED
    ),
    Seg(2, "قال المتحدث إن المحادثات مستمرة.", "The spokesman said talks go on.", Status.DRAFT),
    Seg(3, "لم يعلق الجيش.", None, Status.NEW),
    Seg(4, "العدد ٣٫٥ مليون.", "The figure is 3.5 million.", Status.TRANSLATED, note="check"),
    Seg(5, "عاجل", "Breaking", Status.REVIEWED, context="headline"),
)


def test_document_export_gives_one_message_per_segment(tmp_path: Path) -> None:
    catalog = catalog_from_segments(
        SEGMENTS, document_name="gaza-0312.txt", source_lang="ar", target_lang="en-us"
    )

    contexts = [entry.msgctxt for entry in catalog.entries]
    assert contexts == [*(f"gaza-0312.txt:{n}" for n in range(1, 5)), "headline"]
    assert [entry.flags for entry in catalog.entries] == [(), ("fuzzy",), (), (), ()]
    assert catalog.entries[2].msgstr == ""
    assert catalog.entries[3].translator_comment == "check"
    assert catalog.entries[0].references == ()
    assert catalog.language == "en-US"

    path = tmp_path / "gaza.po"
    write_po(path, catalog)
    assert msgfmt_check(path) == ""
    back = read_po(path)
    assert back.entries == catalog.entries
    assert back.language == "en-US" and back.nplurals == 2
    assert back.header("Language") == "en_US"
    assert back.header("X-Source-Language") == "ar"
    assert back.warnings == ()


def test_repeated_context_and_source_stay_distinct_messages(tmp_path: Path) -> None:
    twice = (
        Seg(1, "عاجل", "Breaking", Status.APPROVED, context="headline"),
        Seg(2, "عاجل", "Urgent", Status.APPROVED, context="headline"),
    )

    catalog = catalog_from_segments(twice, document_name="wire", source_lang="ar", target_lang="en")
    path = tmp_path / "twice.po"
    write_po(path, catalog)

    assert len({(e.msgctxt, e.msgid) for e in read_po(path).entries}) == 2
    assert msgfmt_check(path) == ""


def test_arabic_target_document_gets_six_plural_forms(tmp_path: Path) -> None:
    catalog = catalog_from_segments(
        [Seg(1, "Ceasefire", "وقف إطلاق النار", Status.APPROVED)],
        document_name="en-source",
        source_lang="en",
        target_lang="ar",
    )
    text = render_po(catalog, now=datetime(2024, 5, 1, 12, 30, tzinfo=UTC))

    assert f'"Plural-Forms: {ARABIC_PLURAL}\\n"' in text
    assert '"PO-Revision-Date: 2024-05-01 12:30+0000\\n"' in text
    assert re.search(r'^msgstr "وقف إطلاق النار"$', text, re.MULTILINE)


def test_sloppy_catalogue_once_its_language_is_known_gets_a_full_header(tmp_path: Path) -> None:
    catalog = read_po(write(tmp_path, "sloppy.po", SLOPPY_PO))
    path = tmp_path / "fixed.po"

    write_po(path, replace(catalog, language="ar"))

    fixed = read_po(path)
    assert fixed.header("Language") == "ar"
    assert fixed.nplurals == 6
    assert fixed.warnings == ()
    assert msgfmt_check(path) == ""
