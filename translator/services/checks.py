"""Quality checks of a document's translations: ``text.checks`` on every translated segment,
and the glossary's terms, in segment order. The editor checks one segment the same way
(``segment_findings``) when it is confirmed."""

from __future__ import annotations

from collections.abc import Iterable

from translator.domain import CheckFinding, DocumentCheck, Segment, TermHit
from translator.services import documents as document_service
from translator.services import glossary
from translator.storage.database import Workspace
from translator.text.checks import Finding, check_translation


def glossary_message(hit: TermHit) -> str:
    """What the glossary check says of a term translated otherwise."""
    return f"“{hit.found}” should be translated {' or '.join(f'“{t}”' for t in hit.targets)}"


def segment_findings(
    source: str, target: str, target_lang: str, missing_terms: Iterable[TermHit]
) -> list[Finding]:
    """What looks wrong in one translation: the text checks, then each glossary term it
    does not use (once, however often the term stands in the sentence)."""
    found = check_translation(source, target, target_lang)
    found += [Finding("glossary", glossary_message(hit)) for hit in missing_terms]
    return list(dict.fromkeys(found))


def check_document(
    workspace: Workspace, ref: str | int, *, confirmed_only: bool = True
) -> DocumentCheck:
    """What looks wrong in the document's confirmed translations (every translation, with
    ``confirmed_only`` False), segment by segment."""
    document = document_service.load_document(workspace, ref)
    summary = document.summary
    terms = glossary.term_index(workspace, summary.source_lang, summary.target_lang)
    checked = [s for s in document.segments if _to_check(s, confirmed_only)]
    findings = [
        CheckFinding(segment.id, segment.n, found.check, found.message)
        for segment in checked
        for found in segment_findings(
            segment.source,
            segment.target or "",
            summary.target_lang,
            terms.missing(segment.source, segment.target or ""),
        )
    ]
    return DocumentCheck(tuple(findings), len(checked))


def _to_check(segment: Segment, confirmed_only: bool) -> bool:
    return bool(segment.target) and (segment.status.is_confirmed or not confirmed_only)
