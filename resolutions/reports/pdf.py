"""PDF: the report a committee prints, typeset by Typst from templates/reports/status_report.typ.

The template reads the report as JSON (`typst_data`), every word already translated here, so
that the language is the one the exporter runs under. A4, a cover, the chart of status counts
per commitment (the SVG of charts.py), the matrix on a landscape page with nation codes as
column heads and a legend, then per commitment each nation's status, justification and actions
with their evidence. The running header names the commitment being read; the footer says
"Page X of Y". Typst writes a tagged PDF (headings, tables, reading order) with the document's
language set, for screen readers.
"""

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from .base import Exporter
from .charts import STATUS_COLOURS, Bar, describe, status_bar_chart
from .data import ReportData, ResolutionReport, status_labels

TEMPLATE = Path(settings.BASE_DIR) / "templates" / "reports" / "status_report.typ"
REVIEW_COLOURS = {"accepted": "#1e6b36", "submitted": "#0a3d73", "draft": "#7a4b00",
                  "returned": "#a4161a"}  # fmt: skip


@cache
def template() -> bytes:
    return TEMPLATE.read_bytes()


class PdfExporter(Exporter):
    format = "pdf"
    extension = "pdf"
    content_type = "application/pdf"
    label = gettext_lazy("PDF")
    description = gettext_lazy("PDF (to print and circulate)")
    weight = 2  # about twice a CSV row's cost: see docs/performance.md

    def render(self, report: ReportData, out, progress=None) -> None:
        # Imported here: loading the typesetter is for the processes that make PDFs.
        import typst

        data = json.dumps(typst_data(report), ensure_ascii=False, default=str)
        if progress:
            progress(50)
        fonts = [folder for folder in settings.REPORT_FONT_DIRS if Path(folder).is_dir()]
        out.write(
            typst.compile(
                template(),
                sys_inputs={"data": data},
                font_paths=fonts,
                # Only the fonts named: scanning every system font costs more than a short
                # report. Without them (another system), the system's fonts rather than none.
                ignore_system_fonts=bool(fonts),
                pdf_tags=True,
            )
        )


def _date(value, fmt="j F Y") -> str:
    return date_format(value, fmt) if value else ""


def words() -> dict[str, object]:
    """The template's fixed words, in the current language."""
    return {
        "assembly": _("NATO Parliamentary Assembly"),
        "page_of": _("Page %(page)s of %(pages)s") % {"page": "{page}", "pages": "{pages}"},
        "commitment": _("Commitment"),
        "actions": _("Actions"),
        "no_commitment": _("No commitment matches these filters."),
        "nation_heads": [_("Commitment"), _("Status"), _("Actions"), _("Last update")],
        "implemented_short": _("Impl."),
        "with_info_short": _("With info"),
        "symbols": _("Symbols"),
        "filtered_out": _("Left out by a filter"),
        "matrix_note": _(
            "“Impl.”: nations that report the commitment implemented. “With info”: nations "
            "with a status other than “No information”."
        ),
        "nations": _("Nations"),
        "justification": _("Justification:"),
        "no_action": _("No action reported."),
        "no_evidence": _("No evidence attached."),
    }


def typst_data(report: ReportData) -> dict:
    """The report as the Typst template reads it: plain JSON, every word translated."""
    generated = _date(report.generated_at)
    several = len(report.resolutions) > 1
    one_nation = report.kind == "nation"
    return {
        "lang": (get_language() or settings.LANGUAGE_CODE).split("-")[0],
        "words": {
            **words(),
            "generated_footer": f"{_('Generated')} {generated} · {_('NATO Parliamentary Assembly')}",  # noqa: E501
        },
        "document_title": f"{_('Status report')}: {report.title}",
        "scope_label": report.scope_label,
        "running_title": f"{report.scope_label} · {_('Status report')}",
        "one_nation": one_nation,
        "details": report.details,
        **_cover(report),
        "statuses": [
            {"value": s.value, "label": s.label, "symbol": s.symbol} for s in report.statuses
        ],
        "colours": {str(status): list(pair) for status, pair in STATUS_COLOURS.items()},
        "sections": [_section(report, r, several or one_nation) for r in report.resolutions],
    }


def _cover(report: ReportData) -> dict:
    facts = []
    if report.kind == "resolution":
        resolution = report.resolutions[0]
        number, title = resolution.name, resolution.title
        code = f" ({resolution.committee_code})" if resolution.committee_code else ""
        facts.append((_("Committee"), f"{resolution.committee}{code}"))
        if resolution.session:
            place = f", {resolution.session_place}" if resolution.session_place else ""
            facts.append((_("Session"), f"{resolution.session}{place}"))
        if resolution.adoption_date:
            facts.append((_("Adopted"), _date(resolution.adoption_date)))
    else:
        number, title = _("Status report"), report.title
        if report.deadline:
            facts.append((_("Deadline"), _date(report.deadline)))
        names = [
            r.name + (f" ({r.committee_code})" if r.committee_code else "")
            for r in report.resolutions
        ]
        facts.append((_("Resolutions"), ", ".join(names) or _("none")))
    by = f" {_('by')} {report.generated_by}" if report.generated_by else ""
    facts += [
        (_("Scope"), report.scope_label),
        (_("Contents"), report.contents),
        (_("Filters"), "; ".join(report.filters) or _("none: every commitment and nation")),
        (_("Generated"), f"{_date(report.generated_at)}, {_date(report.generated_at, 'H:i')}{by}"),
    ]
    return {
        "cover_number": number,
        "cover_title": title,
        "facts": facts,
        "key_figures": [
            (len(report.resolutions), _("resolution(s)")),
            (len(report.nations), _("nation(s)")),
            (report.action_count, _("national action(s)")),
            (report.evidence_count, _("evidence item(s)")),
        ],
        "limit_note": report.limit_note or None,
        "cover_note": report.review_note,
    }


def _section(report: ReportData, resolution: ResolutionReport, prefixed: bool) -> dict:
    prefix = f"{resolution.name}: " if prefixed else ""
    one_nation = report.kind == "nation"
    if one_nation:
        summary = f"{resolution.name}: " + _("%(nation)s's status per commitment") % {
            "nation": report.title
        }
    else:
        summary = prefix + _("Status counts per commitment")
    chart = _chart(report, resolution)
    return {
        "summary_heading": summary,
        "matrix_heading": prefix + _("Matrix: status of each commitment by nation"),
        "details_heading": prefix + _("Commitments in detail"),
        "subtitle": resolution.title if prefixed else None,
        "chart_svg": str(chart["svg"]),
        "chart_alt": chart["alt"],
        "nations": [{"code": n.code, "name": n.name} for n in resolution.nations],
        "nation_rows": [
            {
                "label": c.label,
                "gist": _gist(c.text),
                "status": cell.status,
                "symbol": cell.symbol,
                "status_label": cell.status_label,
                "actions": len(cell.actions),
                "updated": _date(cell.updated_at, "Y-m-d") or "—",
            }  # fmt: skip
            for c in resolution.commitments
            for cell in c.cells
            if one_nation and cell.shown
        ],
        "commitments": [_commitment(report, c) for c in resolution.commitments],
    }


def _commitment(report: ReportData, commitment) -> dict:
    counts = commitment.counts
    silent = commitment.silent
    reporting = commitment.reporting if report.details else []
    if not silent or not report.details:
        silent_text = None
    elif not reporting:
        silent_text = _("No nation has reported on this commitment yet.")
    else:
        silent_text = (
            ngettext(
                "No information from %(n)s nation:",
                "No information from %(n)s nations:",
                len(silent),
            )  # fmt: skip
            % {"n": len(silent)}
            + " "
            + ", ".join(cell.code for cell in silent)
            + "."
        )
    return {
        "label": commitment.label,
        "gist": _gist(commitment.text),
        "text": commitment.text,
        "counts": [counts.get(s.value, 0) for s in report.statuses],
        "action_count": len(commitment.actions),
        "implemented": commitment.implemented,
        "with_info": commitment.with_information,
        "cells": [
            {"status": cell.status if cell.shown else None, "symbol": cell.symbol}
            for cell in commitment.cells
        ],
        "reporting": [_cell(cell) for cell in reporting],
        "silent": silent_text,
    }


def _cell(cell) -> dict:
    return {
        "code": cell.code,
        "name": cell.name,
        "status": cell.status,
        "symbol": cell.symbol,
        "status_label": cell.status_label,
        "justification": cell.justification,
        "actions": [_action(n, a) for n, a in enumerate(cell.actions, 1)],
    }


def _action(number: int, action) -> dict:
    meta = [action.type_label, action.actor_label, action.stage_label]
    if action.date:
        meta.append(action.date.isoformat())
    return {
        "title": f"{number}. {action.title}",
        "meta": " · ".join(meta),
        "review": action.review_label,
        "review_colour": REVIEW_COLOURS.get(action.review_state, "#1b1f24"),
        "description": action.description,
        "evidence": [_evidence(e) for e in action.evidence],
    }


def _evidence(item) -> dict:
    dated = f" ({item.date.isoformat()})" if item.date else ""
    if item.kind == "link":
        return {"text": f"{_('Link:')} {item.title}{dated}", "url": item.url}
    name = f" — {item.file_name}" if item.file_name and item.file_name != item.title else ""
    return {
        "text": f"{_('File:')} {item.title}{dated}{name} · SHA-256 {item.sha256_prefix}…",
        "url": "",
    }


def _gist(text: str, words_: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words_]) + (" …" if len(parts) > words_ else "")


def _chart(report: ReportData, resolution: ResolutionReport) -> dict:
    """One resolution's chart, with its description for the PDF's alternative text."""
    if report.kind == "nation":
        # One nation: a bar per resolution would be one segment wide; show this resolution's
        # commitments by status instead.
        counts: dict[str, int] = {}
        for commitment in resolution.commitments:
            for cell in commitment.cells:
                if cell.shown:
                    counts[cell.status] = counts.get(cell.status, 0) + 1
        bars = [Bar(resolution.name, counts)]
        title = _("%(resolution)s: %(nation)s's commitments by status")
    else:
        bars = [Bar(c.label, c.counts) for c in resolution.commitments]
        title = _("%(resolution)s: status counts per commitment")
    title = title % {"resolution": resolution.name, "nation": report.title}
    chart = status_bar_chart(bars, title=title, chart_id=f"chart-{resolution.id}")
    return {"svg": chart, "alt": f"{title}. {describe(bars, status_labels())}"}
