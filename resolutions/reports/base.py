"""What every exporter is: a small class that knows its file name and content type and writes a
report for a scope into a binary file, in the language it is asked for. The views make the HTTP
responses, the background task stores the file; the formats are listed in registry.py.

Formats that can be sent while they are written (CSV) also give `chunks()`; the others render
the gathered `ReportData` (`render()`), which needs no database.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils import timezone, translation

from .data import ReportData, gather_report
from .scope import ReportScope

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


@dataclass(frozen=True)
class ExportedFile:
    """What was written: the name to give the download and its content type."""

    filename: str
    content_type: str


class Exporter:
    format = ""
    extension = ""
    content_type = "application/octet-stream"
    label = ""  # for the export links, e.g. "PDF"
    # How much heavier one action is to render than a CSV row: the view multiplies the action
    # count by this before comparing it with EXPORT_BACKGROUND_THRESHOLD (measured costs in
    # docs/performance.md).
    weight = 1
    streams = False  # True: chunks() sends the file while it is written

    def filename(self, scope: ReportScope, day=None) -> str:
        """What the file is: `resolution-493-status-2026-11-28.pdf`, `nation-ca-status-….xlsx`."""
        day = day or timezone.localdate()
        return f"{scope.file_prefix}-status-{day.isoformat()}.{self.extension}"

    def write(
        self, scope: ReportScope, out, *, language: str | None = None,
        progress: Progress | None = None,
    ) -> ExportedFile:  # fmt: skip
        """Writes the report into `out`, a binary file, in `language` (the scope's when not
        given), and says what it is."""
        with translation.override(language or scope.language):
            self.write_content(scope, out, progress)
            return ExportedFile(self.filename(scope), self.content_type)

    def write_content(self, scope: ReportScope, out, progress: Progress | None = None) -> None:
        report = gather_report(scope)
        if progress:
            progress(30)
        self.render(report, out, progress)

    def render(self, report: ReportData, out, progress: Progress | None = None) -> None:
        """Writes the gathered report into `out`, a binary file."""
        raise NotImplementedError

    def chunks(self, scope: ReportScope, *, language: str | None = None) -> Iterator[bytes]:
        """The file in blocks, read from the database as they are asked for."""
        raise NotImplementedError
