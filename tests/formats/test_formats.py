"""Reading articles as newsrooms have them, and refusing what is not one, clearly."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import docx
import pytest

from tests.conftest import shared_data
from translator.errors import InputFileError
from translator.formats.registry import read_document, render_text, write_document

ARABIC = "قال د. أحمد إن الجيش انسحب.\n\nهل انتهت الحرب؟ لا أحد يعرف.\nالعدد ٣٫٥ مليون.\n"
# Windows-1256 has no Arabic-Indic digits; legacy files use Western ones.
LEGACY = ARABIC.replace("٣٫٥", "3.5")
PARAGRAPHS = ("قال د. أحمد إن الجيش انسحب.", "هل انتهت الحرب؟ لا أحد يعرف.", "العدد ٣٫٥ مليون.")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (ARABIC.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + ARABIC.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + ARABIC.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + ARABIC.encode("utf-16-be"), "utf-16"),
        (ARABIC.encode("utf-16-le"), "utf-16-le"),
        (ARABIC.encode("utf-16-be"), "utf-16-be"),
        (LEGACY.replace("\n", "\r\n").encode("cp1256"), "cp1256"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "cp1256-crlf"],
)
def test_every_common_arabic_encoding_is_detected(
    tmp_path: Path, encoded: bytes, encoding: str
) -> None:
    document = read_document(write(tmp_path, "article.txt", encoded))
    expected = PARAGRAPHS if encoding != "cp1256" else (*PARAGRAPHS[:2], "العدد 3.5 مليون.")
    assert document.paragraphs == expected
    assert document.blank_lines_before == (0, 1, 0)
    assert document.encoding == encoding


def test_real_news_in_windows_1256_reads_like_the_utf8_original(tmp_path: Path) -> None:
    original = shared_data("parallel", "tico19_wikinews.ar").read_text(encoding="utf-8")
    legacy = original.encode("cp1256", errors="ignore").decode("cp1256")
    path = write(tmp_path, "legacy.txt", legacy.encode("cp1256"))
    document = read_document(path)
    assert document.encoding == "cp1256"
    assert document.paragraphs == tuple(
        line.strip() for line in legacy.splitlines() if line.strip()
    )


def test_explicit_encoding_overrides_detection(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "قال".encode("cp1256"))
    assert read_document(path, encoding="cp1256").paragraphs == ("قال",)
    with pytest.raises(InputFileError, match=r"a\.txt: line 1, column 1: cannot be read as utf-8"):
        read_document(path, encoding="utf-8")
    with pytest.raises(InputFileError, match="unknown encoding 'klingon'"):
        read_document(path, encoding="klingon")


def test_undecodable_bytes_are_located(tmp_path: Path) -> None:
    # Valid UTF-8 Arabic, then a stray byte that is neither UTF-8 nor plausible cp1256 text.
    data = "سطر أول\nسطر ثان".encode() + b" \x81\x8d\x9d\x01\n"
    with pytest.raises(InputFileError) as caught:
        read_document(write(tmp_path, "mixed.txt", data))
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'mixed.txt'}: line 2, column 9: byte 0x81")
    assert "--encoding" in message


def test_render_text_rebuilds_the_layout(tmp_path: Path) -> None:
    path = write(tmp_path, "article.txt", ARABIC.encode())
    document = read_document(path)
    assert render_text(document.paragraphs, document.blank_lines_before) == ARABIC


def _docx_bytes(build: object = None) -> bytes:
    document = docx.Document()
    document.add_paragraph("العنوان")
    document.add_paragraph("")
    document.add_paragraph("الفقرة الأولى. جملة ثانية.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "خلية أولى"
    table.cell(0, 1).text = "خلية ثانية"
    document.add_paragraph("الخاتمة")
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def test_docx_paragraphs_and_tables_in_reading_order(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "article.docx", _docx_bytes()))
    assert document.format == "docx"
    assert document.paragraphs == (
        "العنوان",
        "الفقرة الأولى. جملة ثانية.",
        "خلية أولى",
        "خلية ثانية",
        "الخاتمة",
    )
    assert document.blank_lines_before == (0, 1, 0, 0, 0)


def test_docx_written_right_to_left_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "out.docx"
    write_document(out, ["مرحبا بالعالم.", "ثانية"], [0, 1], lang="ar")
    assert read_document(out).paragraphs == ("مرحبا بالعالم.", "ثانية")
    paragraph = docx.Document(str(out)).paragraphs[0]
    assert (
        paragraph._p.pPr is not None
        and paragraph._p.pPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi"
        )
        is not None
    )
    english = tmp_path / "en.docx"
    write_document(english, ["Hello."], lang="en")
    assert docx.Document(str(english)).paragraphs[0]._p.pPr is None


def _replace_part(docx_data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx_data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == name else source.read(item))
    return out.getvalue()


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"""


@pytest.mark.parametrize("xml", [BOMB, EXTERNAL], ids=["entity-bomb", "external-entity"])
def test_hostile_docx_is_refused_without_expanding_anything(tmp_path: Path, xml: bytes) -> None:
    data = _replace_part(_docx_bytes(), "word/document.xml", xml)
    with pytest.raises(InputFileError, match=r"hostile\.docx: word/document\.xml: contains a doc"):
        read_document(write(tmp_path, "hostile.docx", data))


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    huge = b"<w:document>" + b" " * (210 * 1024 * 1024)
    data = _replace_part(_docx_bytes(), "word/document.xml", huge)
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(InputFileError, match="ZIP bomb"):
        read_document(write(tmp_path, "bomb.docx", data))


def test_malformed_docx_xml_names_the_part_and_line(tmp_path: Path) -> None:
    broken = b'<?xml version="1.0"?>\n<w:document xmlns:w="x">\n<w:body><w:p></w:body>'
    data = _replace_part(_docx_bytes(), "word/document.xml", broken)
    with pytest.raises(
        InputFileError, match=r"broken\.docx: line 3, column \d+, word/document\.xml"
    ):
        read_document(write(tmp_path, "broken.docx", data))


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.txt", b"", "is empty"),
        ("scan.txt", b"%PDF-1.4\n...", "is a PDF document"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(100), "is a PNG image"),
        ("old.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old-style Word"),
        ("blob.txt", bytes(range(256)) * 8, "is a binary file"),
        ("fake.docx", "ليس ملفا".encode(), "is not a DOCX file"),
        ("cut.docx", _docx_bytes()[:3000], "damaged or truncated"),
        ("stub.docx", b"PK\x03\x04", "damaged or truncated"),
        ("report.pdf", b"%PDF-1.4", "PDF files cannot be imported"),
        # other tools' files meant for the memory or the glossary, not as articles
        ("memory.tmx", b'<?xml version="1.0"?><tmx version="1.4"/>', "translator tm import"),
        ("terms.tbx", b'<?xml version="1.0"?><martif/>', "translator glossary import"),
        ("terms.csv", "ar,en\nحلب,Aleppo\n".encode(), "translator glossary import"),
        ("job.xlf", b'<?xml version="1.0"?><xliff/>', "XLIFF files cannot be imported"),
    ],
)
def test_bad_files_get_one_message_naming_the_file(
    tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(InputFileError) as caught:
        read_document(path)
    assert str(caught.value).startswith(str(path) + ":")
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_zip_that_is_not_word(tmp_path: Path) -> None:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputFileError, match="not a Word document"):
        read_document(write(tmp_path, "archive.docx", stream.getvalue()))


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"nothing\.txt: no such file"):
        read_document(tmp_path / "nothing.txt")
    with pytest.raises(InputFileError, match="is a folder"):
        read_document(tmp_path)


def test_fifty_megabytes_without_a_line_break_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    path.write_bytes(("كلمة " * 10_500_000).encode("utf-8")[: 50 * 1024 * 1024])
    with pytest.raises(InputFileError, match=r"dump\.txt: line 1: a single line of"):
        read_document(path)


def test_export_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    out = tmp_path / "en.txt"
    out.write_text("previous version")
    write_document(out, ["One.", "Two."], [0, 1])
    assert out.read_text() == "One.\n\nTwo.\n"
    assert [p.name for p in tmp_path.iterdir()] == ["en.txt"]
    with pytest.raises(InputFileError, match="cannot be written"):
        write_document(tmp_path / "missing-dir" / "x.txt", ["One."])
