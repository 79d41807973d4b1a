"""Quality checks of a document's translations: ``text.checks`` on every translated segment,
and the glossary's terms (``glossary.check_document``), in segment order."""

from __future__ import annotations

from translator.domain import CheckFinding, TermHit
from translator.services import documents as document_service
from translator.services import glossary
from translator.storage.database import Workspace
from translator.text.checks import check_translation


def glossary_message(hit: TermHit) -> str:
    """What the glossary check says of a term translated otherwise."""
    return f"“{hit.found}” should be translated {' or '.join(f'“{t}”' for t in hit.targets)}"


def check_document(
    workspace: Workspace, ref: str | int, *, confirmed_only: bool = True
) -> list[CheckFinding]:
    """What looks wrong in the document's confirmed translations (every translation, with
    ``confirmed_only`` False), segment by segment."""
    document = document_service.load_document(workspace, ref)
    summary = document.summary
    terms: dict[int, list[CheckFinding]] = {}
    for issue in glossary.check_document(workspace, summary.id, confirmed_only=confirmed_only):
        found = CheckFinding(issue.segment_id, issue.n, "glossary", glossary_message(issue.hit))
        terms.setdefault(issue.n, []).append(found)
    findings = []
    for segment in document.segments:
        if not segment.target or (confirmed_only and not segment.status.is_confirmed):
            continue
        for finding in check_translation(segment.source, segment.target, summary.target_lang):
            findings.append(CheckFinding(segment.id, segment.n, finding.check, finding.message))
        findings.extend(terms.get(segment.n, ()))
    return list(dict.fromkeys(findings))  # a term twice in a sentence is one finding


def confirmed_count(workspace: Workspace, ref: str | int) -> int:
    """How many segments of the document are confirmed (what ``check_document`` checks)."""
    return document_service.find_document(workspace, ref).translated
