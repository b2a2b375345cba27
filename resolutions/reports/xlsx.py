"""XLSX: the report as four sheets to analyse: Summary, Matrix, Actions, Evidence.

Written by xlsx_writer.py, which streams rows into the file as text (memory stays flat, and a
million cells take seconds: openpyxl, even write-only, took 15 µs a cell).
Every sheet has its header row frozen and a filter on it, and sensible column widths; dates are
real dates; every text that could be read as a formula goes through `safe_cell()`.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import Exporter, safe_cell
from .charts import STATUS_COLOURS
from .columns import ACTION_COLUMNS, headings, values
from .data import ReportData
from .xlsx_writer import Style, Workbook

STATUS_ORDER = list(STATUS_COLOURS)
FILLS = {status: Style.FILL + index for index, status in enumerate(STATUS_ORDER)}


class XlsxExporter(Exporter):
    format = "xlsx"
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    label = gettext_lazy("Excel")
    description = gettext_lazy("Excel (to analyse)")

    def render(self, report: ReportData, out, progress=None) -> None:
        book = Workbook(
            out,
            fills=[STATUS_COLOURS[status][0] for status in STATUS_ORDER],
            title=report.title,
            subject=_("Status report"),
            creator=report.generated_by or _("Commitment Tracker"),
        )
        summary(book, report)
        matrix(book, report)
        if progress:
            progress(60)
        actions(book, report)
        evidence(book, report)
        if progress:
            progress(85)
        book.close()


class Sheet:
    """A sheet with its header: widths and the frozen header are set before the first row,
    the filter once the rows are known."""

    def __init__(self, book, title, columns, *, intro_rows=0, freeze_column="A"):
        self.columns = columns
        self.header_row = intro_rows + 1
        self.sheet = book.sheet(
            title, [width for _label, width in columns],
            freeze=f"{freeze_column}{self.header_row + 1}",
        )  # fmt: skip

    def header(self):
        assert self.sheet.rows == self.header_row - 1, "write the intro rows first"
        self.append([(label, Style.HEADER) for label, _w in self.columns])
        return self

    def append(self, values):
        self.sheet.append(values)

    def close(self):
        self.sheet.auto_filter(self.header_row)
        self.sheet.close()


def summary(book, report: ReportData):
    statuses = report.statuses
    columns = [
        (_("Resolution"), 16), (_("Commitment"), 12), (_("Commitment text"), 60),
        *[(s.label, 13) for s in statuses],
        (_("Nations shown"), 10), (_("Actions"), 10), (_("Evidence items"), 10),
    ]  # fmt: skip
    # Above the table, what the report is: a reader of a forwarded file must be able to tell.
    intro = [
        (_("Status report"), report.title),
        (_("Scope"), report.scope_label),
        (_("Filters"), "; ".join(report.filters) or _("none")),
        (_("Generated"), _local(report.generated_at)),
    ]
    sheet = Sheet(book, _("Summary"), columns, intro_rows=len(intro) + 1)
    for label, value in intro:
        sheet.append([(label, Style.BOLD), safe_cell(value)])
    sheet.append([])
    sheet.header()
    for resolution in report.resolutions:
        for commitment in resolution.commitments:
            sheet.append(
                [
                    resolution.name,
                    commitment.label,
                    (safe_cell(commitment.text), Style.WRAP),
                    *[commitment.counts.get(s.value, 0) for s in statuses],
                    sum(commitment.counts.values()),
                    len(commitment.actions),
                    sum(len(a.evidence) for a in commitment.actions),
                ]
            )
    sheet.close()


def matrix(book, report: ReportData):
    nations = report.nations
    columns = [
        (_("Resolution"), 16), (_("Commitment"), 12),
        *[(f"{n.code} {n.name}", 14) for n in nations],
        (_("Implemented"), 12), (_("With information"), 12),
    ]  # fmt: skip
    sheet = Sheet(book, _("Matrix"), columns, freeze_column="C").header()
    for resolution in report.resolutions:
        for commitment in resolution.commitments:
            by_code = {cell.code: cell for cell in commitment.cells}
            row = [resolution.name, commitment.label]
            for nation in nations:
                cell = by_code.get(nation.code)
                if cell is None or not cell.shown:
                    row.append(None)
                else:
                    row.append((cell.status_label, FILLS[cell.status]))
            row.append(commitment.implemented)
            row.append(commitment.with_information)
            sheet.append(row)
    sheet.close()


def actions(book, report: ReportData):
    """The same columns as the CSV's, from the same rows."""
    columns = [(heading, column.width) for heading, column in
               zip(headings(ACTION_COLUMNS), ACTION_COLUMNS, strict=True)]  # fmt: skip
    sheet = Sheet(book, _("Actions"), columns).header()
    zone = timezone.get_current_timezone()
    for resolution in report.resolutions:
        for commitment in resolution.commitments:
            for action in commitment.actions:
                row = values(ACTION_COLUMNS, action)
                sheet.append([_local(v, zone) if isinstance(v, datetime) else v for v in row])
    sheet.close()


def evidence(book, report: ReportData):
    columns = [
        (_("Action ID"), 10), (_("Resolution"), 16), (_("Commitment"), 12),
        (_("Nation code"), 8), (_("Action"), 40), (_("Evidence"), 40), (_("Kind"), 8),
        (_("Date"), 12), (_("Link"), 40), (_("File name"), 28), (_("File type"), 22),
        (_("Size (bytes)"), 12), (_("SHA-256"), 66),
    ]  # fmt: skip
    sheet = Sheet(book, _("Evidence"), columns).header()
    kinds = (_("File"), _("Link"))  # translated once, not once a row
    for resolution in report.resolutions:
        for commitment in resolution.commitments:
            for cell in commitment.cells:
                for action in cell.actions:
                    for item in action.evidence:
                        sheet.append(
                            [
                                action.id,
                                resolution.name,
                                commitment.label,
                                cell.code,
                                safe_cell(action.title),
                                safe_cell(item.title),
                                kinds[item.kind == "link"],
                                item.date,
                                safe_cell(item.url),
                                safe_cell(item.file_name),
                                item.content_type,
                                item.size,
                                item.sha256,
                            ]
                        )
    sheet.close()


def _local(moment, zone=None):
    """Excel has no time zones: the tracker's local time, without one. `zone`, when given, is
    the current time zone looked up once for a whole sheet (a lookup per row cost more than
    writing the cell)."""
    if moment is None:
        return None
    return moment.astimezone(zone or timezone.get_current_timezone()).replace(
        tzinfo=None, microsecond=0
    )
