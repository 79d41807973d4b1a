"""`translator glossary ...`: the glossary on the command line (see ``services.glossary``)."""

from __future__ import annotations

import argparse
import functools
import sys
from datetime import UTC, datetime
from typing import Any

from translator.cli import EXIT_OK, add_command, print_json
from translator.domain import GlossaryTerm, TermHit
from translator.services import glossary
from translator.storage.database import Workspace
from translator.storage.models import aware_utc


def _term_json(term: GlossaryTerm) -> dict[str, Any]:
    return {
        "id": term.id,
        "source_lang": term.source_lang,
        "source": term.source,
        "target_lang": term.target_lang,
        "target": term.target,
        "note": term.note,
        "origin": term.origin,
        "changed_at": _iso(term.changed_at),
        "changed_by": term.changed_by,
    }


def _iso(moment: datetime | None) -> str | None:
    """A stored time stamp in ISO 8601, in UTC with its offset, on either backend."""
    aware = aware_utc(moment)
    return aware.astimezone(UTC).isoformat() if aware else None


def _hit_json(hit: TermHit) -> dict[str, Any]:
    return {
        "start": hit.start,
        "end": hit.end,
        "found": hit.found,
        "term": hit.source,
        "translations": list(hit.targets),
        "note": hit.note,
        "term_ids": list(hit.term_ids),
    }


def _line(term: GlossaryTerm) -> str:
    note = f"  ({term.note})" if term.note else ""
    pair = f"{term.source_lang} {term.source}  ->  {term.target_lang} {term.target}"
    return f"{term.id:>5}  {pair}{note}"


def cmd_add(ws: Workspace, args: argparse.Namespace) -> int:
    term = glossary.add_term(
        ws, args.source_lang, args.source, args.target_lang, args.target, args.note
    )
    if args.json:
        print_json(_term_json(term), sys.stdout)
    else:
        print(f"added term {term.id}: {term.source} -> {term.target}")
    return EXIT_OK


def cmd_edit(ws: Workspace, args: argparse.Namespace) -> int:
    term = glossary.update_term(
        ws, args.term_id, source=args.source, target=args.target, note=args.note
    )
    if args.json:
        print_json(_term_json(term), sys.stdout)
    else:
        print(f"term {term.id}: {term.source} -> {term.target}")
    return EXIT_OK


def cmd_remove(ws: Workspace, args: argparse.Namespace) -> int:
    removed = glossary.remove_terms(ws, args.term_ids)
    print(f"removed {removed} term{'s' if removed != 1 else ''}")
    return EXIT_OK


def cmd_list(ws: Workspace, args: argparse.Namespace) -> int:
    terms = glossary.list_terms(ws, search=args.search, lang=args.lang)
    if args.json:
        print_json([_term_json(t) for t in terms], sys.stdout)
        return EXIT_OK
    for term in terms:
        print(_line(term))
    print(f"{len(terms)} term{'s' if len(terms) != 1 else ''}", file=sys.stderr)
    return EXIT_OK


def cmd_import(ws: Workspace, args: argparse.Namespace) -> int:
    languages = [x.strip() for x in args.languages.split(",")] if args.languages else []
    report = glossary.import_glossary(
        ws,
        args.file,
        source_lang=args.source_lang,
        target_lang=args.target_lang,
        encoding=args.encoding,
        languages=languages,
    )
    if args.json:
        print_json(
            {
                "file": report.path,
                "format": report.format,
                "added": report.added,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "skipped": report.skipped,
                "skips": [{"line": line, "reason": reason} for line, reason in report.skips],
                "languages": list(report.languages),
                "warnings": list(report.warnings),
            },
            sys.stdout,
        )
        return EXIT_OK
    print(
        f"{args.file}: {report.added} terms added, {report.updated} updated, "
        f"{report.unchanged} already in the glossary, {report.skipped} skipped; "
        f"languages: {', '.join(report.languages) or '-'}"
    )
    for line, reason in report.skips:
        print(f"  skipped {f'line {line}' if line else '?'}: {reason}")
    if report.skipped > len(report.skips):
        print(f"  ... and {report.skipped - len(report.skips)} more skipped")
    for warning in report.warnings:
        print(f"translator: warning: {warning}", file=sys.stderr)
    return EXIT_OK


def cmd_export(ws: Workspace, args: argparse.Namespace) -> int:
    out = args.output or f"glossary.{args.format or 'tbx'}"
    count = glossary.export_glossary(
        ws, out, format=args.format, lang=args.lang, source_lang=args.source_lang
    )
    print(f"wrote {count} terms to {out}", file=sys.stderr)
    return EXIT_OK


def cmd_find(ws: Workspace, args: argparse.Namespace) -> int:
    hits = glossary.find_terms(
        ws, args.text, source_lang=args.source_lang, target_lang=args.target_lang
    )
    if args.json:
        print_json([_hit_json(h) for h in hits], sys.stdout)
        return EXIT_OK
    for hit in hits:
        print(f"{hit.found}  ->  {' | '.join(hit.targets)}")
    return EXIT_OK


def cmd_check(ws: Workspace, args: argparse.Namespace) -> int:
    issues = glossary.check_document(ws, args.doc, confirmed_only=not args.all)
    if args.json:
        print_json([{"segment": issue.n, **_hit_json(issue.hit)} for issue in issues], sys.stdout)
        return EXIT_OK
    for issue in issues:
        print(
            f"segment {issue.n}: '{issue.hit.found}' should be translated "
            f"{' or '.join(repr(t) for t in issue.hit.targets)}"
        )
    print(
        f"{len(issues)} term{'s' if len(issues) != 1 else ''} not translated as the glossary says",
        file=sys.stderr,
    )
    return EXIT_OK


def add_parser(sub: Any) -> None:
    """Add ``glossary`` and its commands to the main parser's subcommands."""
    parser = sub.add_parser(
        "glossary",
        help="glossary: terms and names translated the same way everywhere",
        description="glossary: add, import (TBX, CSV, TSV), export, find and check terms",
    )
    commands = parser.add_subparsers(dest="glossary_command", metavar="COMMAND", required=True)

    add = functools.partial(add_command, commands)

    def languages(p: argparse.ArgumentParser, what: str) -> None:
        p.add_argument("--source-lang", default="ar", help=f"{what} (default: ar)")
        p.add_argument("--target-lang", default="en", help="the translation's (default: en)")

    p = add("add", cmd_add, "add a term and its translation")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("target", metavar="TARGET")
    languages(p, "the language of SOURCE")
    p.add_argument("--note", help="a definition or usage note")
    p.add_argument("--json", action="store_true", help="print the term as JSON")

    p = add("edit", cmd_edit, "change a term, its translation or its note")
    p.add_argument("term_id", metavar="ID", type=int, help="term id (see glossary list)")
    p.add_argument("--source", help="the new source term")
    p.add_argument("--target", help="the new translation")
    p.add_argument("--note", help="the new note ('' removes it)")
    p.add_argument("--json", action="store_true", help="print the term as JSON")

    p = add("remove", cmd_remove, "remove terms")
    p.add_argument("term_ids", metavar="ID", type=int, nargs="+")

    p = add("list", cmd_list, "print the glossary")
    p.add_argument("--search", metavar="TEXT", help="only terms or notes containing TEXT")
    p.add_argument("--lang", metavar="LANG", help="only pairs with this language")
    p.add_argument(
        "--json",
        action="store_true",
        help='print a list of {"id", "source_lang", "source", "target_lang", "target", '
        '"note", "origin", "changed_at", "changed_by"}',
    )

    p = add(
        "import",
        cmd_import,
        "add the terms of a TBX, CSV or tab-separated (OmegaT) glossary, in one transaction",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--source-lang",
        metavar="LANG",
        help="for a file that does not name its languages (OmegaT's): the first column's",
    )
    p.add_argument("--target-lang", metavar="LANG", help="... and the second column's")
    p.add_argument("--encoding", help="the file's encoding (default: detected)")
    p.add_argument("--languages", metavar="LANGS", help="keep only these languages, e.g. ar,en")
    p.add_argument(
        "--json",
        action="store_true",
        help='print {"file", "format", "added", "updated", "unchanged", "skipped", '
        '"skips": [{"line", "reason"}], "languages", "warnings"}',
    )

    p = add("export", cmd_export, "write the glossary as TBX, CSV or tab-separated text")
    p.add_argument("-o", "--output", metavar="FILE", help="output file (default: glossary.tbx)")
    p.add_argument(
        "--format", choices=["tbx", "csv", "tsv"], help="default: from the file's extension"
    )
    p.add_argument("--lang", metavar="LANG", help="only pairs with this language")
    p.add_argument(
        "--source-lang",
        metavar="LANG",
        help="write every pair from this language (default: the one most pairs go from)",
    )

    p = add("find", cmd_find, "the glossary's terms in a sentence, with their translations")
    p.add_argument("text", metavar="TEXT")
    languages(p, "the language of TEXT")
    p.add_argument(
        "--json",
        action="store_true",
        help='print a list of {"start", "end", "found", "term", "translations", "note", '
        '"term_ids"}',
    )

    p = add(
        "check",
        cmd_check,
        "list confirmed segments whose translation does not use the glossary's translation",
    )
    p.add_argument("doc", metavar="DOC", help="document id or name")
    p.add_argument("--all", action="store_true", help="check unconfirmed translations too")
    p.add_argument(
        "--json",
        action="store_true",
        help='print a list of {"segment", "start", "end", "found", "term", "translations", '
        '"note", "term_ids"}',
    )
