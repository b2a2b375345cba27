"""CSV, in two shapes: one row per national action (`iter_actions`, the XLSX Actions sheet's
columns), or one row per commitment and nation (`iter_statuses`: status, justification, counts
of accepted and awaiting actions, last update), so that a nation with a status but no action
is not missing. The scope's `rows` option chooses.

Streamed: rows come from a database cursor read in chunks and leave in blocks of `BATCH` rows,
so a 150,000-action export never holds the file, or the actions, in memory. Blocks rather than
single lines: one `write()` (or one chunk of the HTTP response) per row costs more than
formatting the row.

UTF-8 *with* a byte-order mark: without it Excel (still what most secretariats open a CSV with)
reads the file as the local ANSI code page and garbles "Montréal" or "Türkiye"; LibreOffice,
Numbers, pandas (`encoding="utf-8-sig"`) and Python's csv module read the mark correctly.
Comma-separated, quoted where needed, CRLF line ends (RFC 4180).
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from .base import Exporter
from .columns import ACTION_COLUMNS, STATUS_COLUMNS, Column, headings, values
from .data import iter_actions, iter_statuses
from .scope import ReportScope

BOM = "\ufeff"
BATCH = 1000  # rows per block written or sent


def text(value, zone=None):
    """Dates as ISO dates, moments in the tracker's time zone to the minute."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(zone or timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def csv_blocks(rows: Iterable, columns: list[Column], batch: int | None = None) -> Iterator[bytes]:
    """The file in encoded blocks: the byte-order mark and the header first (before any row is
    read), then up to `batch` rows a block. Rows are pulled from `rows` only as blocks are
    asked for."""
    batch = batch or BATCH
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings(columns))
    yield (BOM + buffer.getvalue()).encode("utf-8")
    zone = timezone.get_current_timezone()  # looked up once, not once a row
    pending = 0
    for row in rows:
        if pending == 0:
            buffer.seek(0)
            buffer.truncate()
        writer.writerow([text(value, zone) for value in values(columns, row)])
        pending += 1
        if pending == batch:
            yield buffer.getvalue().encode("utf-8")
            pending = 0
    if pending:
        yield buffer.getvalue().encode("utf-8")


class CsvExporter(Exporter):
    format = "csv"
    extension = "csv"
    content_type = "text/csv; charset=utf-8"
    label = gettext_lazy("CSV")
    description = gettext_lazy("CSV (to analyse)")
    streams = True

    def filename(self, scope: ReportScope, day=None) -> str:
        name = super().filename(scope, day)
        return name.replace("-status-", "-nations-") if scope.rows == "statuses" else name

    def write_content(self, scope: ReportScope, out, progress=None) -> None:
        for block in self._blocks(scope):
            out.write(block)

    def chunks(self, scope: ReportScope, *, language: str | None = None) -> Iterator[bytes]:
        # The language is held while the blocks are made, which is after the view returned.
        with translation.override(language or scope.language):
            yield from self._blocks(scope)

    def _blocks(self, scope: ReportScope) -> Iterator[bytes]:
        if scope.rows == "statuses":
            return csv_blocks(iter_statuses(scope), STATUS_COLUMNS)
        return csv_blocks(iter_actions(scope), ACTION_COLUMNS)
