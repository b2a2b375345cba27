"""The exporters: one small class per format, all fed by `data.py`, kept in one registry.

An exporter knows its extension and content type, writes a report for a scope into a binary
file (`export`), and answers an HTTP request with it as an attachment (`response`). PDF, DOCX
and XLSX render the gathered `ReportData`; CSV streams its rows instead (see csv.py).
"""

import io
from collections.abc import Callable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from .data import ReportData, ReportScope, gather_report

Progress = Callable[[int], None]

# Characters that make a spreadsheet read a cell as a formula (or, for tab and carriage return,
# that spreadsheets strip before reading one): OWASP's list for CSV injection.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A text cell that a spreadsheet will not run: one beginning with =, +, -, @, tab or CR
    gets a leading apostrophe. Other values are returned as they are.

    Why the apostrophe: it is what Excel and LibreOffice themselves use to mark "this is text",
    it keeps the original readable (a title "-2 % tariff" becomes "'-2 % tariff", not a blank or
    a number), and it survives a round trip through the spreadsheet, where a quoted or
    space-prefixed value would be read as a formula again once edited. Readers who need the
    exact text strip one leading apostrophe. Numbers and dates are real numbers and dates, never
    formulas, so they are left alone.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Exporter:
    format = ""
    extension = ""
    content_type = "application/octet-stream"
    label = ""
    # How much heavier one action is to render than a CSV row: the view multiplies the action
    # count by this before comparing it with EXPORT_BACKGROUND_THRESHOLD. WeasyPrint lays out
    # about a dozen pages a second, so a PDF of a few hundred actions already takes seconds.
    weight = 1

    def filename(self, scope: ReportScope, day=None) -> str:
        """What the file is: `resolution-493-status-2026-11-28.pdf`, `nation-ca-status-….xlsx`."""
        day = day or timezone.localdate()
        return f"{scope.file_prefix}-status-{day.isoformat()}.{self.extension}"

    def render(self, report: ReportData, out, progress: Progress | None = None) -> None:
        """Writes the report into `out`, a binary file."""
        raise NotImplementedError

    def export(self, scope: ReportScope, out, progress: Progress | None = None) -> None:
        report = gather_report(scope)
        if progress:
            progress(30)
        self.render(report, out, progress)

    def response(self, scope: ReportScope) -> HttpResponse:
        buffer = io.BytesIO()
        self.export(scope, buffer)
        response = HttpResponse(buffer.getvalue(), content_type=self.content_type)
        return attach(response, self.filename(scope))


def attach(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The registry. Imported last: each module subclasses Exporter from this one.
from .csv import CsvExporter  # noqa: E402
from .docx import DocxExporter  # noqa: E402
from .pdf import PdfExporter  # noqa: E402
from .xlsx import XlsxExporter  # noqa: E402

EXPORTERS: dict[str, Exporter] = {
    "pdf": PdfExporter(),
    "docx": DocxExporter(),
    "xlsx": XlsxExporter(),
    "csv": CsvExporter(),
}
FORMAT_LABELS = {
    "pdf": _("PDF (to print and circulate)"),
    "docx": _("Word (to edit)"),
    "xlsx": _("Excel (to analyse)"),
    "csv": _("CSV (one row per action)"),
}
