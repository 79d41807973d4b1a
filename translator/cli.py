"""The command line: parses arguments, calls services, prints text or --json.

Exit codes are a contract: 0 success, 1 a user error (one line on stderr), 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from translator import __version__
from translator.domain import Document, DocumentSummary
from translator.errors import OperationCancelled, TranslatorError
from translator.storage.database import ENV_VAR, Workspace, default_workspace_path, open_workspace

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

EPILOG = f"""\
workspace:
  --db takes a path to an SQLite file or a database URL, e.g.
  postgresql://user:password@host/dbname; without --db, ${ENV_VAR} is used, and
  without it the embedded default {default_workspace_path()}.

exit codes:
  0  success
  1  a user error (missing or unreadable file, unknown document ...): one line on stderr
  2  bad usage (unknown command or option)

--json output is stable; see the README for its shape.
"""


def _print_json(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _summary_json(s: DocumentSummary) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "source_lang": s.source_lang,
        "target_lang": s.target_lang,
        "format": s.format,
        "segments": s.segments,
        "translated": s.translated,
        "words": s.words,
        "words_translated": s.words_translated,
        "progress": round(100 * s.progress, 1),
    }


class _Bar:
    """A progress line on stderr, only when a person is watching."""

    def __init__(self, label: str, stream: TextIO) -> None:
        self.label, self.stream = label, stream
        self.enabled = stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if self.enabled and total:
            pct = min(100, 100 * done // total)
            self.stream.write(f"\r{self.label} {pct:3d}%")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * (len(self.label) + 5) + "\r")


def cmd_import(ws: Workspace, args: argparse.Namespace) -> int:
    from translator.services.documents import import_document

    bar = _Bar(f"importing {args.file}", sys.stderr)
    try:
        summary = import_document(
            ws,
            args.file,
            name=args.name,
            encoding=args.encoding,
            source_lang=args.source_lang,
            target_lang=args.target_lang,
            progress=bar,
        )
    finally:
        bar.close()
    if args.json:
        _print_json(
            {"id": summary.id, "name": summary.name, "segments": summary.segments}, sys.stdout
        )
    else:
        print(
            f"imported {summary.name!r} as document {summary.id}: {summary.segments} segments, "
            f"{summary.words} words ({summary.source_lang} -> {summary.target_lang})"
        )
    return EXIT_OK


def cmd_docs(ws: Workspace, args: argparse.Namespace) -> int:
    from translator.services.documents import list_documents

    docs = list_documents(ws)
    if args.json:
        _print_json([_summary_json(d) for d in docs], sys.stdout)
        return EXIT_OK
    if not docs:
        print("no documents yet; add one with: translator import FILE")
        return EXIT_OK
    width = max(len(d.name) for d in docs)
    print(f"{'id':>4}  {'name':<{width}}  {'langs':<7}  {'segments':>8}  {'done':>6}  {'words':>8}")
    for d in docs:
        langs = f"{d.source_lang}>{d.target_lang}"
        print(
            f"{d.id:>4}  {d.name:<{width}}  {langs:<7}  {d.segments:>8}  "
            f"{100 * d.progress:5.1f}%  {d.words:>8}"
        )
    return EXIT_OK


def _document_json(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.summary.id,
        "name": doc.summary.name,
        "source_lang": doc.summary.source_lang,
        "target_lang": doc.summary.target_lang,
        "segments": [
            {
                "n": s.n,
                "paragraph": s.paragraph,
                "source": s.source,
                "target": s.target,
                "status": s.status.value,
            }
            for s in doc.segments
        ],
    }


def cmd_show(ws: Workspace, args: argparse.Namespace) -> int:
    from translator.services.documents import load_document

    doc = load_document(ws, args.doc)
    if args.json:
        _print_json(_document_json(doc), sys.stdout)
        return EXIT_OK
    s = doc.summary
    print(
        f"document {s.id}: {s.name} ({s.source_lang} -> {s.target_lang}), "
        f"{s.translated}/{s.segments} segments translated"
    )
    paragraph = 0
    for seg in doc.segments:
        if seg.paragraph != paragraph:
            paragraph = seg.paragraph
            print(f"\n¶ {paragraph}")
        print(f"{seg.n:>5} [{seg.status.value}] {seg.source}")
        if seg.target is not None:
            print(f"{'':>5}   -> {seg.target}")
    return EXIT_OK


def cmd_export(ws: Workspace, args: argparse.Namespace) -> int:
    from translator.services.documents import export_document

    if args.format == "docx" and not args.output:
        raise TranslatorError("--format docx needs an output file: -o FILE.docx")
    result = export_document(ws, args.doc, args.output, format=args.format)
    if result.path is None:
        sys.stdout.write(result.text)
    if result.untranslated:
        print(
            f"translator: warning: {result.untranslated} untranslated segment(s); "
            "their source text stands in",
            file=sys.stderr,
        )
    if result.path is not None:
        print(f"wrote {result.path}", file=sys.stderr)
    return EXIT_OK


def cmd_delete(ws: Workspace, args: argparse.Namespace) -> int:
    from translator.services.documents import delete_document

    summary = delete_document(ws, args.doc)
    print(f"deleted document {summary.id} ({summary.name!r})")
    return EXIT_OK


def cmd_info(ws: Workspace, args: argparse.Namespace) -> int:
    from translator.storage.database import head_revision

    data = {
        "workspace": ws.display_name,
        "backend": ws.dialect,
        "schema": head_revision(),
        "version": __version__,
    }
    if args.json:
        _print_json(data, sys.stdout)
    else:
        for key, value in data.items():
            print(f"{key}: {value}")
    return EXIT_OK


def cmd_gui(_ws: Workspace | None, args: argparse.Namespace) -> int:
    from translator.ui.app import run  # Qt is imported only here

    return run(db=args.db)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="translator",
        description="Computer-assisted translation of Arabic news articles into English.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"translator {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=os.environ.get(ENV_VAR),
        help=f"workspace: SQLite file or database URL (default: ${ENV_VAR}, "
        "else the user's data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, func: Callable[..., int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

    p = add("import", cmd_import, "import an article (.txt or .docx) as a new document")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--name", help="document name (default: the file name without extension)")
    p.add_argument(
        "--encoding",
        help="text encoding of FILE (default: detected; UTF-8, "
        "UTF-16 with BOM and Windows-1256 are recognised)",
    )
    p.add_argument("--source-lang", metavar="LANG", help="source language (default: ar)")
    p.add_argument("--target-lang", metavar="LANG", help="target language (default: en)")
    p.add_argument(
        "--json", action="store_true", help='print {"id": ..., "name": ..., "segments": N}'
    )

    p = add("docs", cmd_docs, "list the documents with their progress")
    p.add_argument("--json", action="store_true", help="print a JSON list")

    p = add("show", cmd_show, "print a document's segments")
    p.add_argument("doc", metavar="DOC", help="document id or name")
    p.add_argument(
        "--json",
        action="store_true",
        help='print {"id", "name", "segments": [{"n", "paragraph", "source", "target", "status"}]}',
    )

    p = add("export", cmd_export, "write the translated text with the original paragraphs")
    p.add_argument("doc", metavar="DOC", help="document id or name")
    p.add_argument("--format", choices=["txt", "docx"], default="txt")
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout, txt only)")

    p = add("delete", cmd_delete, "delete a document and its segments")
    p.add_argument("doc", metavar="DOC", help="document id or name")

    p = add("info", cmd_info, "show which workspace is in use")
    p.add_argument("--json", action="store_true")

    add("gui", cmd_gui, "open the desktop application")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.func is cmd_gui:
            return int(cmd_gui(None, args))
        ws = open_workspace(args.db)
        try:
            return int(args.func(ws, args))
        finally:
            ws.close()
    except OperationCancelled:
        print("translator: cancelled; nothing was changed", file=sys.stderr)
        return EXIT_ERROR
    except TranslatorError as exc:
        print(f"translator: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:  # disk full, permission denied on an output file ...
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"translator: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("translator: interrupted; nothing was changed", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
