"""Glossary reader and writer: TICO-19 termbases, CSV, TSV and TBX, round trips, bad input."""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest

from tests.conftest import shared_data
from translator.domain import GlossaryConcept, GlossaryFile, GlossaryTerm
from translator.errors import InputFileError, TranslatorError
from translator.formats.glossary import read_glossary, write_glossary

GOOGLE = ("glossary", "tico19_google_g_ar_en.csv")
FACEBOOK = ("glossary", "tico19_facebook_f_en-ar_AR.csv")


def pairs(glossary: GlossaryFile) -> list[tuple[tuple[str, str], ...]]:
    return [concept.terms for concept in glossary.concepts]


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def refused(path: Path, **kwargs: str) -> InputFileError:
    with pytest.raises(InputFileError) as caught:
        read_glossary(path, **kwargs)
    assert str(caught.value).startswith(str(path))
    return caught.value


# -- the TICO-19 termbases ------------------------------------------------------------------


def test_tico19_google_reads_ar_to_en() -> None:
    glossary = read_glossary(shared_data(*GOOGLE))
    assert glossary.format == "csv"
    assert len(glossary.concepts) == 49
    assert glossary.skipped == () and glossary.warnings == ()
    first = glossary.concepts[0]
    assert first == GlossaryConcept((("ar", "جائحة"), ("en", "pandemic")), None, 2)
    found = {concept.terms[0][1]: concept.terms[1][1] for concept in glossary.concepts}
    assert found["لمس العينين والفم والأنف"] == "touching eyes, mouth and nose"  # quoted comma
    assert {concept.terms[0][0] for concept in glossary.concepts} == {"ar"}
    assert glossary.concepts[-1].line == 50


def test_tico19_facebook_reads_en_to_ar_ar() -> None:
    glossary = read_glossary(shared_data(*FACEBOOK))
    assert len(glossary.concepts) == 306
    assert glossary.skipped == ()
    assert glossary.concepts[0].terms == (("en", "1918 flu"), ("ar-AR", "إنفلونزا 1918"))
    assert (("en", "AIDS"), ("ar-AR", "الإيدز")) in pairs(glossary)
    assert {tuple(lang for lang, _ in concept.terms) for concept in glossary.concepts} == {
        ("en", "ar-AR")
    }


def test_row_languages_win_over_arguments() -> None:
    glossary = read_glossary(shared_data(*GOOGLE), source_lang="fr", target_lang="de")
    assert glossary.concepts[0].terms == (("ar", "جائحة"), ("en", "pandemic"))
    assert glossary.warnings == ("the file names its own languages; they were used, not fr, de",)


# -- CSV and TSV dialects -------------------------------------------------------------------


def test_quoted_commas_newlines_and_line_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "g.csv",
        "sourceLang,targetLang,sourceString,targetString,note\r\n"
        'ar,en,"مجلس  الأمن","Security\r\nCouncil","UN body, ""the council"""\r\n'
        "\r\n"
        "ar,en, وزير الخارجية ,foreign minister,\r\n",
    )
    glossary = read_glossary(path)
    assert glossary.concepts == (
        GlossaryConcept(
            (("ar", "مجلس الأمن"), ("en", "Security Council")), 'UN body, "the council"', 2
        ),
        GlossaryConcept((("ar", "وزير الخارجية"), ("en", "foreign minister")), None, 5),
    )


def test_semicolon_csv_as_excel_writes_it_in_many_locales(tmp_path: Path) -> None:
    path = write(tmp_path, "g.csv", "source;target;comment\nحكومة;government;noun, formal\n")
    glossary = read_glossary(path, source_lang="ar", target_lang="en")
    assert glossary.concepts == (
        GlossaryConcept((("ar", "حكومة"), ("en", "government")), "noun, formal", 2),
    )
    assert glossary.warnings == ("the file is named .csv but is semicolon-separated; read as such",)


def test_csv_that_is_tab_separated_follows_the_content(tmp_path: Path) -> None:
    path = write(tmp_path, "g.csv", "ar\ten\tnote\nرئيس, وزراء\tprime minister\tpost\n")
    glossary = read_glossary(path)
    assert glossary.format == "tsv"
    assert pairs(glossary) == [(("ar", "رئيس, وزراء"), ("en", "prime minister"))]
    assert "tab-separated" in glossary.warnings[0]


def test_omegat_tsv_with_comments_and_given_languages(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "glossary.txt",
        "# OmegaT glossary\n"
        "انتخابات\telections\tplural\n"
        "#\tcommented\tout\n"
        'برلمان\t"parliament"\n'
        "حزب\t\n"
        "وحيد\n",
    )
    glossary = read_glossary(path, source_lang="AR", target_lang="En-us")
    assert glossary.format == "tsv"
    assert glossary.concepts == (
        GlossaryConcept((("ar", "انتخابات"), ("en-US", "elections")), "plural", 2),
        GlossaryConcept((("ar", "برلمان"), ("en-US", "parliament")), None, 4),
    )
    assert glossary.skipped == ((5, "empty target term"), (6, "too few columns (1, expected 2)"))


def test_headerless_tsv_without_languages_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "glossary.tsv", "انتخابات\telections\n")
    error = refused(path)
    assert "does not name its languages" in str(error)
    assert "--source-lang" in str(error) and "--target-lang" in str(error)


def test_language_code_header_and_three_languages(tmp_path: Path) -> None:
    path = write(
        tmp_path, "g.tsv", "AR\ten_gb\tfr\tnote\nسلام\tpeace\tpaix\tgreeting\nحرب\twar\t\t\n"
    )
    glossary = read_glossary(path)
    assert glossary.concepts == (
        GlossaryConcept((("ar", "سلام"), ("en-GB", "peace"), ("fr", "paix")), "greeting", 2),
        GlossaryConcept((("ar", "حرب"), ("en-GB", "war")), None, 3),
    )


def test_language_name_header_and_empty_source(tmp_path: Path) -> None:
    path = write(tmp_path, "g.csv", "English,Arabic\nminister,وزير\n,سفير\n")
    glossary = read_glossary(path)
    assert pairs(glossary) == [(("en", "minister"), ("ar", "وزير"))]
    assert glossary.skipped == ((3, "empty source term"),)


def test_pos_starts_the_note_and_unknown_columns_are_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "g.csv",
        "stringID,sourceLang,targetLang,pos,description,domain,sourceString,targetString\n"
        "1,ar,en,noun,head of state,politics,رئيس,president\n",
    )
    glossary = read_glossary(path)
    assert glossary.concepts[0].note == "noun; head of state"
    assert glossary.warnings == ("column 'domain' was not read",)


def test_row_of_short_words_is_not_a_header(tmp_path: Path) -> None:
    path = write(tmp_path, "g.tsv", "car\tسيارة\nbus\tحافلة\n")
    glossary = read_glossary(path, source_lang="en", target_lang="ar")
    assert len(glossary.concepts) == 2
    assert glossary.concepts[0].terms == (("en", "car"), ("ar", "سيارة"))


def test_header_without_source_and_target_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "g.csv", "term,definition\nرئيس,head of state\n")
    error = refused(path, source_lang="ar", target_lang="en")
    assert "names no source and target columns" in str(error)
    assert error.line == 1


@pytest.mark.parametrize(
    "encoded",
    [
        codecs.BOM_UTF16_LE + "ar,en\nصحفي,journalist\n".encode("utf-16-le"),
        "ar,en\nصحفي,journalist\n".encode("utf-16-le"),
        "ar,en\nصحفي,journalist\n".encode("utf-16-be"),
        codecs.BOM_UTF8 + "ar,en\nصحفي,journalist\n".encode(),
        "ar,en\nصحفي,journalist\n".encode("cp1256"),
    ],
    ids=["utf16-bom", "utf16le-no-bom", "utf16be-no-bom", "utf8-bom", "windows-1256"],
)
def test_encodings_are_detected(tmp_path: Path, encoded: bytes) -> None:
    glossary = read_glossary(write(tmp_path, "g.csv", encoded))
    assert pairs(glossary) == [(("ar", "صحفي"), ("en", "journalist"))]


def test_encoding_argument_overrides_detection(tmp_path: Path) -> None:
    path = write(tmp_path, "g.csv", "ar,en\nصحفي,journalist\n".encode("cp1256"))
    error = refused(path, encoding="utf-8")
    assert "cannot be read as utf-8" in str(error)
    assert (error.line, error.column) == (2, 1)


# -- TBX ------------------------------------------------------------------------------------

TBX_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en">
<martifHeader><fileDesc><sourceDesc><p>newsroom</p></sourceDesc></fileDesc></martifHeader>
<text><body>
<termEntry id="c1">
  <descrip type="subjectField">politics</descrip>
  <langSet xml:lang="AR">
    <tig><term>الأمم المتحدة</term><termNote type="partOfSpeech">noun</termNote></tig>
    <tig><term>هيئة الأمم</term></tig>
  </langSet>
  <langSet xml:lang="en_us">
    <descrip type="definition">The intergovernmental
      organisation</descrip>
    <ntig><termGrp><term>United <hi>Nations</hi></term></termGrp></ntig>
    <tig><term>UN</term><note>abbreviation</note></tig>
    <tig><term>League of Nations</term>
      <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
  </langSet>
  <langSet xml:lang="fr"><tig><term>Nations unies</term></tig></langSet>
</termEntry>
<termEntry id="c2">
  <langSet xml:lang="ar"><tig><term>وحيد</term></tig></langSet>
  <langSet xml:lang="ar"><tig><term>منفرد</term></tig></langSet>
</termEntry>
</body></text>
</martif>
"""

TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"
     xmlns:basic="http://www.tbxinfo.net/ns/basic">
<tbxHeader><fileDesc><sourceDesc><p>v3</p></sourceDesc></fileDesc></tbxHeader>
<text><body>
<conceptEntry id="1">
  <langSec xml:lang="ar">
    <termSec><term>لاجئ</term></termSec>
  </langSec>
  <langSec xml:lang="en">
    <descrip type="definition">person who fled their country</descrip>
    <termSec><term>refugee</term><basic:definition>see also asylum</basic:definition></termSec>
  </langSec>
</conceptEntry>
<conceptEntry id="2"><langSec xml:lang="en"><termSec><term>alone</term></termSec></langSec>
</conceptEntry>
</body></text>
</tbx>
"""

TBX_MIN = """<?xml version="1.0" encoding="UTF-8"?>
<TBX dialect="TBX-Min" xml:lang="en">
<header><id>min</id><languages source="ar" target="en"/></header>
<body>
<entry id="e1"><langGroup xml:lang="ar"><termGroup><term>هدنة</term></termGroup></langGroup>
<langGroup xml:lang="en"><termGroup><term>truce</term><note>short pause</note></termGroup>
<termGroup><term>armistice</term><usageStatus>notRecommended</usageStatus></termGroup>
</langGroup></entry>
</body>
</TBX>
"""


def test_tbx_v2_synonyms_languages_notes_and_skips(tmp_path: Path) -> None:
    glossary = read_glossary(write(tmp_path, "g.tbx", TBX_V2))
    assert glossary.format == "tbx"
    (concept,) = glossary.concepts
    assert concept.terms == (
        ("ar", "الأمم المتحدة"),
        ("ar", "هيئة الأمم"),
        ("en-US", "United Nations"),
        ("en-US", "UN"),
        ("fr", "Nations unies"),
    )
    assert concept.note == "politics; The intergovernmental organisation; abbreviation"
    assert concept.line == 5
    assert glossary.skipped == ((21, "only one language (ar)"),)
    assert glossary.warnings == ("1 deprecated or not recommended terms were left out",)


def test_tbx_v3_with_namespaces(tmp_path: Path) -> None:
    glossary = read_glossary(write(tmp_path, "g.tbx", TBX_V3))
    assert glossary.concepts == (
        GlossaryConcept(
            (("ar", "لاجئ"), ("en", "refugee")),
            "person who fled their country; see also asylum",
            6,
        ),
    )
    assert glossary.skipped == ((15, "only one language (en)"),)


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16"])
def test_tbx_min(tmp_path: Path, encoding: str) -> None:
    content = TBX_MIN.replace("UTF-8", encoding).encode(encoding)
    glossary = read_glossary(write(tmp_path, "g.tbx", content))
    assert glossary.concepts == (
        GlossaryConcept((("ar", "هدنة"), ("en", "truce")), "short pause", 5),
    )


def test_txt_holding_tbx_is_read_as_tbx(tmp_path: Path) -> None:
    glossary = read_glossary(write(tmp_path, "terms.txt", TBX_MIN))
    assert glossary.format == "tbx" and len(glossary.concepts) == 1
    assert glossary.warnings == (
        "the file is named .txt but holds TBX; it was read as TBX",
        "1 deprecated or not recommended terms were left out",
    )


def test_doctype_without_internal_subset_is_read_and_its_dtd_never_loaded(
    tmp_path: Path,
) -> None:
    # If the DTD were loaded, &leak; would expand to its text.
    write(tmp_path, "evil.dtd", '<!ENTITY leak "LEAKED">')
    head = '<?xml version="1.0"?>\n<!DOCTYPE martif SYSTEM "evil.dtd">\n'
    body = TBX_MIN.split("\n", 1)[1].replace("truce", "truce &leak;")
    glossary = read_glossary(write(tmp_path, "g.tbx", head + body))
    assert "LEAKED" not in repr(glossary)
    assert glossary.concepts[0].terms[1] == ("en", "truce &leak;")
    standard = '<?xml version="1.0"?>\n<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">\n'
    glossary = read_glossary(write(tmp_path, "v2.tbx", standard + TBX_V2.split("\n", 1)[1]))
    assert len(glossary.concepts) == 1


# -- writing and round trips ----------------------------------------------------------------

TERMS = [
    GlossaryTerm(1, "ar", "الْمَجْلِسُ الوَطَنِيُّ", "en", "National Council", 'a note, with "quote"'),
    GlossaryTerm(2, "ar", "وزارة الدفاع", "en", "Defence & Security <Ministry>", None),
    GlossaryTerm(3, "en", "ceasefire", "ar", "وقف إطلاق النار", "agreed; signed"),
]


@pytest.mark.parametrize("name", ["out.tbx", "out.csv", "out.tsv"])
def test_round_trip(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    assert write_glossary(path, TERMS) == 3
    glossary = read_glossary(path, source_lang="ar", target_lang="en")
    got = [(set(concept.terms), concept.note) for concept in glossary.concepts]
    expected = [({(t.source_lang, t.source), (t.target_lang, t.target)}, t.note) for t in TERMS]
    assert got == expected
    assert glossary.skipped == () and glossary.warnings == ()
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left


def test_csv_is_excel_friendly(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_glossary(path, TERMS[:1])
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8 + b"sourceLang,targetLang,sourceString,targetString,")
    assert data.count(b"\r\n") == 2
    assert data.decode("utf-8-sig").splitlines()[1] == (
        'ar,en,الْمَجْلِسُ الوَطَنِيُّ,National Council,"a note, with ""quote"""'
    )


def test_tsv_is_omegat_format_in_one_direction(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    terms = [*TERMS, GlossaryTerm(4, "ar", "#هاشتاغ", "en", "hash\ttag", "line\nbreak")]
    write_glossary(path, terms)
    data = path.read_bytes()
    assert not data.startswith(codecs.BOM_UTF8)
    assert data.decode().splitlines()[2:] == [
        "وقف إطلاق النار\tceasefire\tagreed; signed",  # turned round to ar -> en
        " #هاشتاغ\thash tag\tline break",
    ]
    glossary = read_glossary(path, source_lang="ar", target_lang="en")
    assert glossary.concepts[3].terms == (("ar", "#هاشتاغ"), ("en", "hash tag"))


def test_tsv_refuses_a_second_language_pair(tmp_path: Path) -> None:
    terms = [*TERMS, GlossaryTerm(4, "fr", "paix", "en", "peace")]
    with pytest.raises(TranslatorError, match="one language pair"):
        write_glossary(tmp_path / "out.tsv", terms)
    assert not (tmp_path / "out.tsv").exists()


def test_tbx_drops_characters_xml_cannot_carry(tmp_path: Path) -> None:
    path = tmp_path / "out.tbx"
    write_glossary(path, [GlossaryTerm(1, "ar", "سلام\x01", "en", "pe\x0bace", "n\x00ote")])
    assert b"\x01" not in path.read_bytes()
    glossary = read_glossary(path)
    assert glossary.concepts == (GlossaryConcept((("ar", "سلام"), ("en", "peace")), "note", 5),)


def test_written_tbx_reads_in_translate_toolkit(tmp_path: Path) -> None:
    tbx = pytest.importorskip("translate.storage.tbx", reason="translate-toolkit not installed")
    path = tmp_path / "out.tbx"
    write_glossary(path, TERMS)
    store = tbx.tbxfile.parsefile(str(path))
    assert [(unit.source, unit.target) for unit in store.units] == [
        (t.source, t.target) for t in TERMS
    ]
    assert store.units[0].getnotes() == 'a note, with "quote"'


def test_tbx_written_by_translate_toolkit_reads(tmp_path: Path) -> None:
    tbx = pytest.importorskip("translate.storage.tbx", reason="translate-toolkit not installed")
    store = tbx.tbxfile(sourcelanguage="ar", targetlanguage="en")
    unit = store.addsourceunit("وقف إطلاق النار")
    unit.target = "ceasefire"
    path = write(tmp_path, "tt.tbx", bytes(store))
    assert b"<!DOCTYPE martif PUBLIC" in path.read_bytes()  # accepted: no internal subset
    glossary = read_glossary(path)
    assert pairs(glossary) == [(("ar", "وقف إطلاق النار"), ("en", "ceasefire"))]


# -- bad input ------------------------------------------------------------------------------


def test_malformed_xml_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "g.tbx", TBX_V2.replace("<term>UN</term>", "<term>UN</trem>"))
    error = refused(path)
    assert "damaged XML" in str(error)
    assert (error.line, error.column) == (15, 25)
    assert str(error).startswith(f"{path}: line 15, column 25: damaged XML: ")
    assert "trem" in str(error)


def test_truncated_tbx(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "g.tbx", TBX_V2[:300]))
    assert "ends too early" in str(error) and "truncated" in str(error)


def test_wrong_encoding_declarations(tmp_path: Path) -> None:
    utf16 = TBX_MIN.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert "declares the encoding UTF-16" in str(refused(write(tmp_path, "a.tbx", utf16)))
    latin = TBX_MIN.encode("cp1256")
    assert "do not match its declared encoding" in str(refused(write(tmp_path, "b.tbx", latin)))
    unknown = TBX_MIN.replace('encoding="UTF-8"', 'encoding="klingon"')
    assert "unknown encoding 'klingon'" in str(refused(write(tmp_path, "c.tbx", unknown)))


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE martif [
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
<martif type="TBX"><text><body><termEntry>
<langSet xml:lang="ar"><tig><term>&lol9;</term></tig></langSet>
<langSet xml:lang="en"><tig><term>&lol9;</term></tig></langSet>
</termEntry></body></text></martif>
"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_billion_laughs_is_refused_fast(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, "bomb.tbx", BILLION_LAUGHS.encode(encoding))
    started = time.perf_counter()
    error = refused(path)
    assert time.perf_counter() - started < 1
    assert "declares entities" in str(error) and error.line == 3  # the first <!ENTITY


def test_external_entity_is_refused_and_nothing_read(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.txt", "TOP SECRET")
    path = write(
        tmp_path,
        "xxe.tbx",
        f'<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
        + TBX_MIN.split("\n", 1)[1].replace("truce", "&x;"),
    )
    error = refused(path)
    assert "nothing in it was read" in str(error)
    assert "TOP SECRET" not in str(error)


def test_root_that_is_not_tbx(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "g.tbx", '<?xml version="1.0"?>\n<html><body/></html>'))
    assert "is not a TBX glossary: its root element is <html>" in str(error)
    assert error.line == 2
    memory = write(tmp_path, "m.txt", '<tmx version="1.4"><header/><body/></tmx>')
    assert "translation memory" in str(refused(memory))


@pytest.mark.parametrize("content", [b"", codecs.BOM_UTF8 + b"\r\n  \n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    assert str(refused(write(tmp_path, "g.csv", content))).endswith(": is empty")


def test_binary_files(tmp_path: Path) -> None:
    png = write(tmp_path, "g.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert "PNG image" in str(refused(png))
    xlsx = write(tmp_path, "g2.csv", b"PK\x03\x04" + bytes(100))
    assert "Excel" in str(refused(xlsx))
    nul = write(tmp_path, "g3.tsv", b"a\tb\x00\x01\x02\nc\td\n")
    assert "binary file" in str(refused(nul))


def test_tbx_that_is_not_xml(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "g.tbx", "ar,en\nسلام,peace\n"))
    assert "does not start with XML markup" in str(error)


def test_unknown_extension(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "g.xlsx", "ar,en\nسلام,peace\n"))
    assert "is not a glossary file" in str(error) and ".tbx" in str(error)


def test_prose_is_not_a_glossary(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "article.txt", "قال الوزير إن المحادثات مستمرة.\n"))
    assert "no line has two columns" in str(error)


def test_unclosed_quote_is_refused_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "g.csv", 'ar,en\nسلام,peace\nحرب,"war\nهدنة,truce\n')
    error = refused(path)
    assert "quoted field is never closed" in str(error)
    assert error.line == 3


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as stream:
        stream.truncate(51 * 1024 * 1024)  # sparse: nothing is really written
    assert "glossaries larger than 50 MB" in str(refused(path))


def test_missing_file(tmp_path: Path) -> None:
    assert str(refused(tmp_path / "none.csv")).endswith(": no such file")


def test_the_note_of_a_left_out_term_goes_with_it(tmp_path: Path) -> None:
    path = tmp_path / "names.tbx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX-Basic"><text><body>\n'
        '<termEntry id="hts"><descrip type="definition">armed group in Idlib</descrip>\n'
        '<langSet xml:lang="ar"><tig><term>هيئة تحرير الشام</term></tig></langSet>\n'
        '<langSet xml:lang="en"><tig><term>Hay\'at Tahrir al-Sham</term></tig>\n'
        "<tig><term>Jabhat al-Nusra</term>\n"
        '<termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>\n'
        "<note>former name; do not use for events after 2017</note></tig>\n"
        "</langSet></termEntry>\n</body></text></martif>\n",
        encoding="utf-8",
    )
    read = read_glossary(path)
    (concept,) = read.concepts
    assert concept.terms == (("ar", "هيئة تحرير الشام"), ("en", "Hay'at Tahrir al-Sham"))
    assert concept.note == "armed group in Idlib"
    assert read.warnings == ("1 deprecated or not recommended terms were left out",)
