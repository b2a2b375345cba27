"""PDF: the report a committee prints, rendered by WeasyPrint from an HTML template.

templates/reports/status_report.html lays it out: A4, a cover, the chart of status counts per
commitment (SVG drawn in charts.py), the matrix on landscape pages with nation codes as column
heads and a legend, then per commitment each nation's status, justification and actions with
their evidence. CSS @page rules give the running header and the page numbers.
"""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .base import Exporter
from .charts import STATUS_COLOURS, Bar, status_bar_chart
from .data import ReportData

# WeasyPrint logs every page it lays out at INFO; only its warnings belong in the logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class PdfExporter(Exporter):
    format = "pdf"
    extension = "pdf"
    content_type = "application/pdf"
    label = "PDF"
    weight = 10  # measured: 785 actions, 113 pages, about 10 s

    def render(self, report: ReportData, out, progress=None) -> None:
        # Imported here: WeasyPrint loads Pango when imported, which pages never need.
        from weasyprint import HTML

        html = render_html(report)
        if progress:
            progress(50)
        # Tagged PDF: headings, tables and reading order survive for screen readers.
        HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(out, pdf_tags=True)


def render_html(report: ReportData) -> str:
    return render_to_string(
        "reports/status_report.html",
        {
            "report": report,
            "sections": [section(report, resolution) for resolution in report.resolutions],
            "colours": {status: colours for status, colours in STATUS_COLOURS.items()},
            "language": get_language() or "en",
            "one_nation": report.kind == "nation",
        },
    )


def section(report: ReportData, resolution) -> dict:
    """One resolution's part of the report, with its chart."""
    if report.kind == "nation":
        # One nation: a bar per resolution would be one segment wide; show this resolution's
        # commitments by status instead.
        counts: dict[str, int] = {}
        for commitment in resolution.commitments:
            for cell in commitment.cells:
                if cell.shown:
                    counts[cell.status] = counts.get(cell.status, 0) + 1
        bars = [Bar(resolution.name, counts)]
    else:
        bars = [Bar(c.label, c.counts) for c in resolution.commitments]
    if report.kind == "nation":
        title = _("%(resolution)s: %(nation)s's commitments by status")
    else:
        title = _("%(resolution)s: status counts per commitment")
    chart = status_bar_chart(
        bars,
        title=title % {"resolution": resolution.name, "nation": report.title},
        chart_id=f"chart-{resolution.id}",
    )
    return {"resolution": resolution, "chart": chart}
