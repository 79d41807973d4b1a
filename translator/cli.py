"""The command line: parses arguments, calls services, prints text or --json.

Exit codes are a contract: 0 success, 1 a user error (one line on stderr), 2 bad usage.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from translator import __version__
from translator.domain import Document, DocumentSummary, MemoryImport
from translator.errors import OperationCancelled, TranslatorError
from translator.storage.database import ENV_VAR, Workspace, default_workspace_path, open_workspace

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
EXIT_PIPE = 141  # as a shell reports a program ended by SIGPIPE

EPILOG = f"""\
workspace:
  --db takes a path to an SQLite file or a database URL, e.g.
  postgresql://user:password@host/dbname; without --db, ${ENV_VAR} is used, and
  without it the embedded default {default_workspace_path()}.

exit codes:
  0  success
  1  a user error (missing or unreadable file, unknown document ...): one line on stderr
  2  bad usage (unknown command or option)
  141  the output was a pipe whose reader stopped early (e.g. | head)

--json output is stable; see the README for its shape.
"""


def print_json(data: Any, out: TextIO) -> None:
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
            on_warning=lambda message: print(f"translator: warning: {message}", file=sys.stderr),
            rule_files=args.rules or (),
        )
    finally:
        bar.close()
    if args.json:
        print_json(
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
        print_json([_summary_json(d) for d in docs], sys.stdout)
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
                "note": s.note,
            }
            for s in doc.segments
        ],
    }


def cmd_show(ws: Workspace, args: argparse.Namespace) -> int:
    from translator.services.documents import load_document

    doc = load_document(ws, args.doc)
    if args.json:
        print_json(_document_json(doc), sys.stdout)
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
        status = f"{seg.status.value}, rejected" if seg.rejection else seg.status.value
        print(f"{seg.n:>5} [{status}] {seg.source}")
        if seg.target is not None:
            print(f"{'':>5}   -> {seg.target}")
        for line in (seg.note or "").splitlines():
            print(f"{'':>5}   note: {line}")
    return EXIT_OK


def cmd_history(ws: Workspace, args: argparse.Namespace) -> int:
    from translator.services.documents import find_document
    from translator.services.segments import segment_at, segment_history

    summary = find_document(ws, args.doc)
    segment = segment_at(ws, summary.id, args.n)
    history = segment_history(ws, segment.id)
    if args.json:
        print_json(
            {
                "document": {"id": summary.id, "name": summary.name},
                "n": segment.n,
                "source": segment.source,
                "target": segment.target,
                "status": segment.status.value,
                "note": segment.note,
                "history": [
                    {
                        "version": h.version,
                        "action": h.action,
                        "status": h.status.value,
                        "target": h.target,
                        "author": h.author,
                        "changed_at": h.changed_at.isoformat(),
                        "note": h.note,
                    }
                    for h in history
                ],
            },
            sys.stdout,
        )
        return EXIT_OK
    print(f"segment {segment.n} of {summary.name} [{segment.status.value}]: {segment.source}")
    for h in history:
        when = f"{h.changed_at:%Y-%m-%d %H:%M:%S} UTC"
        print(f"{when}  {h.action:<10} {h.status.value:<10} {h.author or '?'}")
        if h.target is not None:
            print(f"{'':>4}-> {h.target}")
        if h.note:
            print(f"{'':>4}why: {h.note}")
    return EXIT_OK


def cmd_check(ws: Workspace, args: argparse.Namespace) -> int:
    from translator.services.checks import check_document

    result = check_document(ws, args.doc, confirmed_only=not args.all)
    findings = result.findings
    if args.json:
        print_json(
            [{"segment": f.n, "check": f.check, "message": f.message} for f in findings],
            sys.stdout,
        )
        return EXIT_OK
    for finding in findings:
        print(f"segment {finding.n} [{finding.check}]: {finding.message}")
    segments = len({finding.n for finding in findings})
    if findings:
        summary = f"{len(findings)} finding(s) in {segments} segment(s)"
    elif args.all:
        summary = "nothing found in the translations"
    elif not result.checked:
        summary = "no translation is confirmed yet: --all checks the unconfirmed ones"
    else:
        summary = "nothing found in the confirmed translations"
    print(summary, file=sys.stderr)
    return EXIT_OK


def cmd_export(ws: Workspace, args: argparse.Namespace) -> int:
    from translator.services.documents import export_document

    if args.format != "txt" and not args.output:
        raise TranslatorError(f"--format {args.format} needs an output file: -o FILE.{args.format}")
    result = export_document(ws, args.doc, args.output, format=args.format)
    if result.path is None:
        sys.stdout.write(result.text)
    for warning in result.warnings:
        print(f"translator: warning: {warning}", file=sys.stderr)
    if result.path is not None:
        written = f" ({result.units} units)" if result.units is not None else ""
        print(f"wrote {result.path}{written}", file=sys.stderr)
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
        print_json(data, sys.stdout)
    else:
        for key, value in data.items():
            print(f"{key}: {value}")
    return EXIT_OK


def _memory_import_json(report: MemoryImport) -> dict[str, Any]:
    return {
        "id": report.id,
        "file": report.path,
        "imported": report.units,
        "updated": report.updated,
        "skipped": report.skipped,
        "skips": [{"line": s.line, "tuid": s.tuid, "reason": s.reason} for s in report.skips],
        "languages": list(report.languages),
        "warnings": list(report.warnings),
    }


def cmd_tm_import(ws: Workspace, args: argparse.Namespace) -> int:
    from translator.services.memory import import_memory

    languages = [lang.strip() for lang in args.languages.split(",")] if args.languages else None
    bar = _Bar(f"importing {args.file}", sys.stderr)
    try:
        report = import_memory(ws, args.file, languages=languages, progress=bar)
    finally:
        bar.close()
    if args.json:
        print_json(_memory_import_json(report), sys.stdout)
        return EXIT_OK
    print(
        f"{report.name}: {report.units} units imported, {report.updated} already in the memory "
        f"(updated), {report.skipped} skipped; languages: {', '.join(report.languages) or '-'}"
    )
    for skip in report.skips:
        where = f"line {skip.line}" if skip.line else "?"
        tuid = f" (tuid {skip.tuid})" if skip.tuid else ""
        print(f"  skipped {where}{tuid}: {skip.reason}")
    if report.skipped > len(report.skips):
        print(f"  ... and {report.skipped - len(report.skips)} more skipped")
    for warning in report.warnings:
        print(f"translator: warning: {warning}", file=sys.stderr)
    return EXIT_OK


def cmd_tm_export(ws: Workspace, args: argparse.Namespace) -> int:
    from translator.services.documents import find_document
    from translator.services.memory import export_memory

    document_id = find_document(ws, args.document).id if args.document else None
    out = args.output or "memory.tmx"
    count = export_memory(
        ws, out, document_id=document_id, min_status=args.status, srclang=args.srclang
    )
    print(f"wrote {count} units to {out}", file=sys.stderr)
    return EXIT_OK


def cmd_tm_list(ws: Workspace, args: argparse.Namespace) -> int:
    from translator.services.memory import list_imports, memory_stats

    stats = memory_stats(ws)
    imports = list_imports(ws)
    if args.json:
        print_json(
            {
                "units": stats.units,
                "from_documents": stats.from_documents,
                "imported": stats.imported,
                "languages": dict(stats.languages),
                "imports": [
                    {
                        "id": m.id,
                        "name": m.name,
                        "imported_at": m.imported_at.isoformat() if m.imported_at else None,
                        "imported_by": m.imported_by,
                        "units": m.units,
                        "updated": m.updated,
                        "skipped": m.skipped,
                    }
                    for m in imports
                ],
            },
            sys.stdout,
        )
        return EXIT_OK
    langs = ", ".join(f"{lang} {n}" for lang, n in stats.languages) or "-"
    print(
        f"{stats.units} units ({stats.from_documents} from documents, {stats.imported} "
        f"imported); texts per language: {langs}"
    )
    for m in imports:
        when = f"{m.imported_at:%Y-%m-%d %H:%M}" if m.imported_at else ""
        print(f"  import {m.id}: {m.name}, {m.units} units, {when} by {m.imported_by or '?'}")
    return EXIT_OK


def cmd_tm_remove(ws: Workspace, args: argparse.Namespace) -> int:
    from translator.services.memory import remove_import

    removed = remove_import(ws, args.import_id)
    print(f"removed import {removed.id} ({removed.name}): {removed.units} units")
    return EXIT_OK


def cmd_tm_search(ws: Workspace, args: argparse.Namespace) -> int:
    from translator.services import matching

    if args.concordance:
        hits = matching.concordance(
            ws,
            args.text,
            source_lang=args.source_lang,
            target_lang=args.target_lang,
            limit=args.limit,
        )
        if args.json:
            print_json(
                [{"source": h.source, "target": h.target, "origin": h.origin} for h in hits],
                sys.stdout,
            )
        for h in [] if args.json else hits:
            print(f"{h.source}\n    -> {h.target}   [{h.origin or ''}]")
        return EXIT_OK
    found = matching.search_memory(
        ws,
        args.text,
        source_lang=args.source_lang,
        target_lang=args.target_lang,
        min_score=args.min,
        limit=args.limit,
    )
    if args.json:
        print_json(
            [
                {"score": m.score, "source": m.source, "target": m.target, "origin": m.origin}
                for m in found
            ],
            sys.stdout,
        )
        return EXIT_OK
    if not found:
        hint = ""
        if args.source_lang == "ar" and not any("\u0600" <= c <= "\u06ff" for c in args.text):
            hint = " (TEXT has no Arabic: for another language give --source-lang)"
        print(f"no match of {args.min:g}% or more{hint}")
    for m in found:
        print(f"{m.score:5.1f}%  {m.source}\n        -> {m.target}   [{m.origin or ''}]")
    return EXIT_OK


def cmd_pretranslate(ws: Workspace, args: argparse.Namespace) -> int:
    from translator.services.documents import find_document
    from translator.services.matching import pretranslate

    doc = find_document(ws, args.doc)
    bar = _Bar(f"pre-translating {doc.name}", sys.stderr)
    try:
        result = pretranslate(ws, doc.id, min_score=args.min, progress=bar)
    finally:
        bar.close()
    if args.json:
        print_json(
            {"filled": result.filled, "exact": result.exact, "considered": result.considered},
            sys.stdout,
        )
    else:
        print(
            f"{result.filled} of {result.considered} untranslated segments filled from the "
            f"memory ({result.exact} exact); their status is 'pretranslated' until confirmed"
        )
    return EXIT_OK


def cmd_score(ws: Workspace | None, args: argparse.Namespace) -> int:
    from translator.review.scoring import metrics_json, score_files, worst_first

    usage = args.score_usage_error
    if args.hyp is not None:
        if args.doc is not None:
            usage("give either DOC or --hyp FILE, not both")
        if not args.ref:
            usage("--hyp needs at least one --ref FILE")
        if args.against or args.reference or args.report or args.published:
            usage("--against, --reference, --report and --published apply to a document")
        bar = _Bar(f"scoring {args.hyp}", sys.stderr)
        try:
            scores = score_files(
                args.hyp,
                args.ref,
                target_lang=args.target_lang or "en",
                metrics=args.metrics.split(","),
                progress=bar,
            )
        finally:
            bar.close()
        result = None
    else:
        if args.doc is None:
            usage("name a document (DOC) or give --hyp FILE --ref FILE")
        if args.target_lang:
            usage("--target-lang applies to --hyp files; a document has its own")
        if args.ref and len(args.ref) > 1:
            usage("a document is scored against one reference at a time")
        if args.ref and args.against:
            usage("give either --ref FILE or --against draft, not both")
        if args.published and not args.ref:
            usage("--published describes the file given with --ref")
        assert ws is not None  # main() opens the workspace for a document
        from translator.services.review import attach_reference, score_document, write_report

        reference = args.reference
        if args.ref:
            attached = attach_reference(
                ws, args.doc, args.ref[0], name=args.reference, published=args.published
            )
            reference = attached.name
            print(
                f"attached reference {attached.name!r}: {len(attached.lines)} lines",
                file=sys.stderr,
            )
        bar = _Bar(f"scoring {args.doc}", sys.stderr)
        try:
            result = score_document(
                ws,
                args.doc,
                reference=reference,
                against=args.against,
                metrics=args.metrics.split(","),
                progress=bar,
            )
        finally:
            bar.close()
        scores = result.scores
        if args.report:
            for path in write_report(ws, result, args.report):
                print(f"wrote {path}", file=sys.stderr)
    for warning in scores.warnings:
        print(f"translator: warning: {warning}", file=sys.stderr)
    if args.json:
        print_json(metrics_json(scores), sys.stdout)
        return EXIT_OK
    if result is not None:
        print(
            f"document {result.document_id} ({result.document_name}) against {result.against}: "
            f"{len(scores.segments)} segments scored, {len(result.excluded)} left out"
        )
    for metric in scores.metrics:
        print(metric.text)
    ranked_by = "chrf" if scores.metric("chrf") else scores.metrics[0].metric
    worst = worst_first(scores.segments, ranked_by)[:5]
    if result is not None and worst:
        figures = ", ".join(f"{s.n} ({getattr(s, ranked_by):.1f})" for s in worst)
        print(f"worst segments by {ranked_by}: {figures}")
    return EXIT_OK


def cmd_gui(_ws: Workspace | None, args: argparse.Namespace) -> int:
    from translator.ui.app import run  # Qt is imported only here

    return run(db=args.db)


def add_command(
    subparsers: Any, name: str, func: Callable[..., int], help: str
) -> argparse.ArgumentParser:
    """A subcommand that runs ``func``, with ``help`` as its description too."""
    p: argparse.ArgumentParser = subparsers.add_parser(name, help=help, description=help)
    p.set_defaults(func=func)
    return p


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

    add = functools.partial(add_command, sub)

    p = add(
        "import",
        cmd_import,
        "import an article (.txt or .docx) or a PO file (.po) as a new document",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--name", help="document name (default: the file name without extension)")
    p.add_argument(
        "--encoding",
        help="text encoding of FILE (default: detected; UTF-8, "
        "UTF-16 and UTF-32 with BOM, UTF-16 without, and Windows-1256 are recognised)",
    )
    p.add_argument("--source-lang", metavar="LANG", help="source language (default: ar)")
    p.add_argument("--target-lang", metavar="LANG", help="target language (default: en)")
    p.add_argument(
        "--rules",
        metavar="RULES.json",
        action="append",
        help="a segmentation rule file whose rules come before the built-in ones (repeat for "
        "several; see docs/segmentation.md)",
    )
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
        help='print {"id", "name", "source_lang", "target_lang", '
        '"segments": [{"n", "paragraph", "source", "target", "status", "note"}]}',
    )

    p = add(
        "history",
        cmd_history,
        "print every change of one segment: who changed it, when, to what, and why a "
        "reviewer rejected it",
    )
    p.add_argument("doc", metavar="DOC", help="document id or name")
    p.add_argument("n", metavar="N", type=int, help="the segment's number in the document")
    p.add_argument(
        "--json",
        action="store_true",
        help='print {"document": {"id", "name"}, "n", "source", "target", "status", "note", '
        '"history": [{"version", "action", "status", "target", "author", "changed_at", '
        '"note"}]}',
    )

    p = add(
        "check",
        cmd_check,
        "check the translations as a desk editor would: numbers changed or missing, questions "
        "that no longer ask, brackets and quotes left open, Arabic left in the text, stray "
        "spaces, glossary terms translated otherwise",
    )
    p.add_argument("doc", metavar="DOC", help="document id or name")
    p.add_argument("--all", action="store_true", help="check unconfirmed translations too")
    p.add_argument("--json", action="store_true", help='print [{"segment": N, "check", "message"}]')

    p = add("export", cmd_export, "write the translated text with the original paragraphs")
    p.add_argument("doc", metavar="DOC", help="document id or name")
    p.add_argument(
        "--format",
        choices=["txt", "docx", "po", "tmx"],
        default="txt",
        help="txt or docx: the translated article; po: one message per segment; "
        "tmx: the confirmed segments as translation units",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout, txt only)")

    p = add("delete", cmd_delete, "delete a document and its segments")
    p.add_argument("doc", metavar="DOC", help="document id or name")

    p = add("info", cmd_info, "show which workspace is in use")
    p.add_argument("--json", action="store_true")

    p = add(
        "score",
        cmd_score,
        "score a translation with sacrebleu (BLEU, chrF, TER): a document, or plain "
        "line-aligned files like the sacrebleu command",
    )
    p.set_defaults(score_usage_error=p.error)
    p.add_argument("doc", nargs="?", metavar="DOC", help="document id or name")
    p.add_argument("--hyp", metavar="FILE", help="a hypothesis file, one segment per line")
    p.add_argument(
        "--ref",
        metavar="FILE",
        action="append",
        help="a reference file, one line per segment (repeat for several with --hyp); "
        "with DOC it is attached to the document (replacing one of the same name) first",
    )
    p.add_argument(
        "--published",
        action="store_true",
        help="with DOC: --ref is the running text of a published translation, split into "
        "sentences like the target; it must line up with the segments",
    )
    p.add_argument("--reference", metavar="NAME", help="with DOC: an attached reference's name")
    p.add_argument(
        "--against",
        choices=["draft"],
        help="with DOC: score the translator's draft against the reviewed text (HTER-style)",
    )
    p.add_argument(
        "--metrics", default="bleu,chrf,ter", help="comma-separated (default: bleu,chrf,ter)"
    )
    p.add_argument(
        "--target-lang",
        metavar="LANG",
        help="with --hyp: the language of the files, which picks BLEU's tokenizer "
        "(default: en, tokenizer 13a; ar gets intl)",
    )
    p.add_argument(
        "--report",
        metavar="OUT.html",
        help="with DOC: also write an HTML report and OUT.csv, OUT.json of the per-segment figures",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help='print {"bleu": {"score", "signature", "name", ...details}, "chrf": ..., "ter": ...}',
    )

    add("gui", cmd_gui, "open the desktop application")

    p = add("pretranslate", cmd_pretranslate, "fill untranslated segments from the memory")
    p.add_argument("doc", metavar="DOC", help="document id or name")
    p.add_argument(
        "--min", type=float, default=100.0, help="lowest match score used (default: 100)"
    )
    p.add_argument("--json", action="store_true", help='print {"filled", "exact", "considered"}')

    tm = sub.add_parser(
        "tm", help="translation memory: import, export, list", description="translation memory"
    )
    tm_sub = tm.add_subparsers(dest="tm_command", metavar="TM_COMMAND", required=True)

    add_tm = functools.partial(add_command, tm_sub)

    p = add_tm("import", cmd_tm_import, "import a TMX memory (one transaction, with a report)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--languages", metavar="LANGS", help="keep only these languages, e.g. ar,en")
    p.add_argument(
        "--json",
        action="store_true",
        help='print {"id", "file", "imported", "updated", "skipped", '
        '"skips": [{"line", "tuid", "reason"}], "languages", "warnings"}',
    )
    p = add_tm("export", cmd_tm_export, "write the memory as TMX 1.4b")
    p.add_argument("-o", "--output", metavar="FILE", help="output file (default: memory.tmx)")
    p.add_argument("--document", metavar="DOC", help="only units from this document")
    p.add_argument(
        "--status",
        choices=["translated", "reviewed", "approved"],
        help="only units at least this far (translated includes reviewed and approved)",
    )
    p.add_argument("--srclang", default="ar", help="the header's source language (default: ar)")
    p = add_tm("list", cmd_tm_list, "show the memory's size and the imported memories")
    p.add_argument("--json", action="store_true")
    p = add_tm("search", cmd_tm_search, "fuzzy matches for a sentence, or a concordance search")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--min", type=float, default=70.0, help="lowest score shown (default: 70)")
    p.add_argument("--limit", type=int, default=5, help="how many (default: 5)")
    p.add_argument(
        "--concordance",
        action="store_true",
        help="find units whose source or target contains TEXT as a word or phrase",
    )
    p.add_argument("--source-lang", default="ar", help="the language of TEXT (default: ar)")
    p.add_argument("--target-lang", default="en", help="the translations' language (default: en)")
    p.add_argument(
        "--json",
        action="store_true",
        help='print a list of {"score", "source", "target", "origin"}, best first '
        '(with --concordance: {"source", "target", "origin"}, no score)',
    )
    p = add_tm("remove", cmd_tm_remove, "remove an imported memory and its units")
    p.add_argument("import_id", metavar="IMPORT", type=int, help="import id (see tm list)")

    from translator import cli_glossary  # here: it imports this module

    cli_glossary.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.func is cmd_gui:
            return int(cmd_gui(None, args))
        if args.func is cmd_score and args.hyp is not None:
            return int(cmd_score(None, args))  # plain files: no workspace is opened
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
    except BrokenPipeError:  # the reader stopped early (| head): not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the exit does not complain again
        return EXIT_PIPE
    except OSError as exc:  # disk full, permission denied on an output file ...
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"translator: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("translator: interrupted; nothing was changed", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
