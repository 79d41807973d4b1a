"""The review report: one self-contained HTML file with charts, and the per-segment CSV and JSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from translator.domain import DocumentScore, ScoreHistoryEntry, SegmentScore
from translator.review.charts import histogram_svg, timeline_svg
from translator.review.scoring import metrics_json, worst_first
from translator.text.bidi import is_rtl

WORST = 20
_NAMES = {"bleu": "BLEU", "chrf": "chrF", "ter": "TER"}
_CSS = """
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font-size: 90%; }
.warning { color: #8a4b00; }
.flag { color: #b00020; font-weight: bold; }
"""


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _when(value: datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}"


def segment_rows(result: DocumentScore) -> list[dict[str, Any]]:
    """The per-segment figures, in document order, as the CSV and JSON give them."""
    return [
        {
            "segment": s.n,
            "bleu": s.bleu,
            "chrf": s.chrf,
            "ter": s.ter,
            "flags": list(s.flags),
            "hypothesis": s.hypothesis,
            "reference": s.reference,
        }
        for s in result.scores.segments
    ]


def report_json(result: DocumentScore) -> dict[str, Any]:
    return {
        "document": {"id": result.document_id, "name": result.document_name},
        "against": result.against,
        "scored_by": result.scored_by,
        "scored_at": result.scored_at.isoformat(),
        "target_lang": result.scores.target_lang,
        "scores": metrics_json(result.scores),
        "warnings": list(result.scores.warnings),
        "excluded": [{"segment": n, "reason": why} for n, why in result.excluded],
        "segments": segment_rows(result),
    }


def write_csv(result: DocumentScore, path: Path) -> None:
    columns = ["segment", "bleu", "chrf", "ter", "flags", "hypothesis", "reference"]
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(columns)
        for row in segment_rows(result):
            writer.writerow(
                [
                    row["segment"],
                    _fmt(row["bleu"]),
                    _fmt(row["chrf"]),
                    _fmt(row["ter"]),
                    "; ".join(row["flags"]),
                    row["hypothesis"],
                    row["reference"],
                ]
            )


def _segment_row(s: SegmentScore, text_dir: str) -> str:
    flags = "".join(f'<span class="flag">{escape(f)}</span> ' for f in s.flags)
    return (
        f'<tr data-segment="{s.n}"><td class="num">{s.n}</td>'
        f'<td class="num chrf">{_fmt(s.chrf)}</td><td class="num bleu">{_fmt(s.bleu)}</td>'
        f'<td class="num ter">{_fmt(s.ter)}</td><td>{flags}</td>'
        f'<td dir="{text_dir}">{escape(s.hypothesis)}</td>'
        f'<td dir="{text_dir}">{escape(s.reference)}</td></tr>'
    )


def render_html(result: DocumentScore, history: Sequence[ScoreHistoryEntry]) -> str:
    """The report as one HTML page: no scripts, no external files, charts as inline SVG."""
    scores = result.scores
    text_dir = "rtl" if is_rtl(scores.target_lang) else "ltr"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Scores: {escape(result.document_name)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Scores: {escape(result.document_name)}</h1>",
        '<table id="about">',
        f"<tr><th>scored against</th><td>{escape(_against(result.against))}</td></tr>",
        f"<tr><th>segments scored</th><td>{len(scores.segments)}</td></tr>",
        f"<tr><th>target language</th><td>{escape(scores.target_lang)}</td></tr>",
        f"<tr><th>scored by</th><td>{escape(result.scored_by or '?')}</td></tr>",
        f"<tr><th>scored at (UTC)</th><td>{_when(result.scored_at)}</td></tr>",
        "</table>",
    ]
    if scores.warnings:
        out.append('<ul id="warnings">')
        out += [f'<li class="warning">{escape(w)}</li>' for w in scores.warnings]
        out.append("</ul>")
    out += [
        "<h2>Corpus scores</h2>",
        '<table id="corpus-scores"><tr><th>metric</th><th>score</th><th>signature</th>'
        "<th>details</th></tr>",
    ]
    for m in scores.metrics:
        details = ", ".join(f"{k} = {_detail(v)}" for k, v in m.details.items())
        out.append(
            f'<tr data-metric="{m.metric}"><td>{escape(m.name)}</td>'
            f'<td class="num score">{m.score:.1f}</td>'
            f"<td><code>{escape(m.signature)}</code></td><td>{escape(details)}</td></tr>"
        )
    out.append("</table>")
    chrf = [s.chrf for s in scores.segments if s.chrf is not None]
    if chrf:
        out += [
            "<h2>Per-segment chrF</h2>",
            histogram_svg(chrf, "segments by sentence-level chrF", "chrf-histogram"),
        ]
    out += [
        "<h2>Scores over time</h2>",
        timeline_svg(_series(history), "the document's scores over time", "score-history"),
    ]
    ranked = worst_first(scores.segments, "chrf" if chrf else scores.metrics[0].metric)
    out += [
        f"<h2>The {min(WORST, len(ranked))} worst segments</h2>",
        '<table id="worst-segments"><tr><th>segment</th><th>chrF</th><th>BLEU</th><th>TER</th>'
        "<th>flags</th><th>hypothesis</th><th>reference</th></tr>",
        *(_segment_row(s, text_dir) for s in ranked[:WORST]),
        "</table>",
    ]
    if result.excluded:
        out.append(f'<h2>Not scored ({len(result.excluded)} segments)</h2><ul id="excluded">')
        out += [f"<li>segment {n}: {escape(why)}</li>" for n, why in result.excluded]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out)


def _detail(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return "/".join(_detail(v) for v in value)
    return str(value)


def _against(against: str) -> str:
    if against == "draft":
        return "the translator's draft against the reviewed text (post-editing effort)"
    return against.replace("reference:", "reference ", 1)


def _series(
    history: Sequence[ScoreHistoryEntry],
) -> list[tuple[str, list[tuple[datetime, float]]]]:
    grouped: dict[str, list[tuple[datetime, float]]] = {}
    for entry in history:
        name = f"{_NAMES.get(entry.metric, entry.metric)} vs {entry.against}"
        grouped.setdefault(name, []).append((entry.scored_at, entry.score))
    return list(grouped.items())


def write_report_files(
    result: DocumentScore, history: Sequence[ScoreHistoryEntry], path: Path
) -> list[Path]:
    """Write PATH (HTML) and, beside it, PATH.csv and PATH.json; returns the three paths."""
    html_path = path if path.suffix.lower() in (".html", ".htm") else path.with_suffix(".html")
    csv_path, json_path = html_path.with_suffix(".csv"), html_path.with_suffix(".json")
    html_path.write_text(render_html(result, history), encoding="utf-8")
    write_csv(result, csv_path)
    with open(json_path, "w", encoding="utf-8") as stream:
        json.dump(report_json(result), stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    return [html_path, csv_path, json_path]
