"""Which reader or writer handles a file: by extension, checked against the file's content."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from translator.domain import SourceDocument
from translator.errors import InputFileError, TranslatorError
from translator.formats.docx import read_docx, write_docx
from translator.formats.plaintext import read_text, render_text

__all__ = [
    "EXPORT_FORMATS",
    "SUPPORTED_IMPORT_EXTENSIONS",
    "atomic_write",
    "read_document",
    "render_text",
    "write_document",
]

TEXT_EXTENSIONS = frozenset({".txt", ".text", ".md", ".markdown", ""})
SUPPORTED_IMPORT_EXTENSIONS = (".txt", ".docx", ".po")
EXPORT_FORMATS = ("txt", "docx")
# Larger than any article by two orders of magnitude; beyond it, reading would only
# exhaust memory before the segmenter refused the content anyway.
MAX_FILE_BYTES = 100 * 1024 * 1024
_UNSUPPORTED = {
    ".pdf": "PDF files cannot be imported; save the article as DOCX or plain text",
    ".doc": "old Word (.doc) files cannot be imported; save the article as DOCX",
    ".odt": "OpenDocument files cannot be imported yet; save the article as DOCX",
    ".rtf": "RTF files cannot be imported; save the article as DOCX or plain text",
    ".tmx": "is a translation memory, not an article: import it with `translator tm import` "
    "(in the window: File > Import Translation Memory…)",
    **dict.fromkeys(
        (".tbx", ".csv", ".tsv"),
        "is a glossary, not an article: import it with `translator glossary import` "
        "(in the window: Glossary > Import Glossary…)",
    ),
    **dict.fromkeys(
        (".xlf", ".xliff", ".sdlxliff", ".mqxliff"),
        "XLIFF files cannot be imported yet; import the article (DOCX or plain text) or a PO file",
    ),
}


def _check_readable(path: Path) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputFileError(path, "no such file") from None
    except OSError as exc:
        raise InputFileError(path, f"cannot be read ({exc.strerror})") from None
    if path.is_dir():
        raise InputFileError(path, "is a folder, not a file")
    if size == 0:
        raise InputFileError(path, "is empty")
    if size > MAX_FILE_BYTES:
        raise InputFileError(
            path,
            f"is {size / 2**20:,.0f} MB; articles larger than {MAX_FILE_BYTES // 2**20} MB "
            "are not supported",
        )
    return size


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputFileError(path, f"cannot be read ({exc.strerror})") from None


def read_document(path: str | Path, encoding: str | None = None) -> SourceDocument:
    """Read an article (plain text or DOCX) into paragraphs; bad files raise InputFileError."""
    path = Path(path)
    _check_readable(path)
    suffix = path.suffix.lower()
    if suffix in _UNSUPPORTED:
        raise InputFileError(path, _UNSUPPORTED[suffix])
    if suffix == ".docx":
        with path.open("rb") as stream:
            head = stream.read(4)
        if head != b"PK\x03\x04":
            raise InputFileError(path, "is not a DOCX file (a DOCX file is a ZIP archive)")
        return read_docx(path)
    if suffix not in TEXT_EXTENSIONS:
        with path.open("rb") as stream:
            if stream.read(4) == b"PK\x03\x04":
                return read_docx(path)
    return read_text(path, _read_bytes(path), encoding)


def _read_umask() -> int:
    mask = os.umask(0o022)  # the only way to read it; done once, at import, before any thread
    os.umask(mask)
    return mask


_NEW_FILE_MODE = 0o666 & ~_read_umask()


def temp_file_beside(path: Path) -> tuple[int, str]:
    """A new temporary file in ``path``'s folder, to write whole and then rename to
    ``path``: with the permissions any new file of the user's gets (mkstemp's are
    owner-only, which would hide an exported file from the colleagues it is for)."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    if hasattr(os, "fchmod"):  # not on Windows, where files have no such modes
        os.fchmod(fd, _NEW_FILE_MODE)
    return fd, temp


_SYNC_EVERY_S = 0.25


@contextmanager
def syncing_meanwhile(fd: int) -> Iterator[None]:
    """While a large file is written to ``fd``, a thread has the OS write out what is
    written so far (every quarter of a second), so that the fsync at the end waits for the
    last part only: at 900 MB that wait was 0.3 s with nothing else to do. A write-out
    error is raised when the block ends: the OS reports it once, to the first sync after
    it, so the final fsync would not see it."""
    sync = getattr(os, "fdatasync", os.fsync)  # macOS and Windows have fsync only
    stop = threading.Event()
    failed: list[OSError] = []

    def write_out() -> None:
        while not stop.wait(_SYNC_EVERY_S):
            try:
                sync(fd)
            except OSError as exc:
                failed.append(exc)
                return

    thread = threading.Thread(target=write_out, name="write out", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
    if failed:
        raise failed[0]


def atomic_write(path: Path, data: bytes) -> None:
    """Write a whole file or nothing: a crash or a full disk never leaves half a file."""
    fd, temp = temp_file_beside(path)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_document(
    path: str | Path,
    paragraphs: Sequence[str],
    blank_lines_before: Sequence[int] | None = None,
    format: str | None = None,
    lang: str = "en",
) -> None:
    """Write an article as plain UTF-8 text or DOCX, atomically."""
    path = Path(path)
    blanks = list(blank_lines_before or [0] * len(paragraphs))
    kind = format or ("docx" if path.suffix.lower() == ".docx" else "txt")
    if kind not in EXPORT_FORMATS:
        raise TranslatorError(
            f"cannot export as {kind!r}; choose one of {', '.join(EXPORT_FORMATS)}"
        )
    try:
        if kind == "txt":
            atomic_write(path, render_text(paragraphs, blanks).encode("utf-8"))
        else:
            fd, temp = temp_file_beside(path)
            os.close(fd)
            try:
                write_docx(Path(temp), paragraphs, blanks, lang)
                os.replace(temp, path)
            finally:
                Path(temp).unlink(missing_ok=True)
    except OSError as exc:
        raise InputFileError(path, f"cannot be written ({exc.strerror or exc})") from None
