"""CSV: one row per national action with its commitment, nation, status and evidence count.

Streamed: rows come from `data.stream_actions()` (a database cursor read with `.iterator()` in
chunks, inside one transaction so that it also works behind PgBouncer: see pooling.py) and
leave in blocks of `BATCH` rows, so a 150,000-action export never holds the file, or
the actions, in memory. Blocks rather than single lines: one `write()` (or one chunk of the HTTP
response) per row costs more than formatting the row.

UTF-8 *with* a byte-order mark: without it Excel (still what most secretariats open a CSV with)
reads the file as the local ANSI code page and garbles "Montréal" or "Türkiye"; LibreOffice,
Numbers, pandas (`encoding="utf-8-sig"`) and Python's csv module read the mark correctly.
Comma-separated, quoted where needed, CRLF line ends (RFC 4180).
"""

import csv
import io
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from ..pooling import in_one_transaction
from .base import Exporter, attach, safe_cell
from .data import ActionRow, ReportScope, stream_actions

BOM = "\ufeff"
BATCH = 1000  # rows per block written or sent


def header() -> list[str]:
    return [
        _("Resolution"),
        _("Commitment"),
        _("Nation code"),
        _("Nation"),
        _("Status"),
        _("Action ID"),
        _("Action"),
        _("Type"),
        _("Actor"),
        _("Stage"),
        _("Review state"),
        _("Date"),
        _("Evidence items"),
    ]


def cells(row: ActionRow) -> list:
    return [
        row.resolution,
        row.commitment,
        row.nation_code,
        row.nation,
        row.status,
        row.action_id,
        safe_cell(row.title),
        row.type_label,
        row.actor_label,
        row.stage_label,
        row.review_label,
        row.date.isoformat() if row.date else "",
        row.evidence_count,
    ]


def csv_blocks(rows: Iterable[ActionRow], batch: int | None = None) -> Iterator[bytes]:
    """The file in encoded blocks: the byte-order mark and the header first (before any row is
    read), then up to `batch` rows a block. Rows are pulled from `rows` only as blocks are
    asked for."""
    batch = batch or BATCH
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header())
    yield (BOM + buffer.getvalue()).encode("utf-8")
    pending = 0
    for row in rows:
        if pending == 0:
            buffer.seek(0)
            buffer.truncate()
        writer.writerow(cells(row))
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
    label = "CSV"

    def export(self, scope: ReportScope, out, progress=None) -> None:
        for line in csv_blocks(in_one_transaction(stream_actions(scope))):
            out.write(line)

    def response(self, scope: ReportScope) -> StreamingHttpResponse:
        response = StreamingHttpResponse(
            csv_blocks(in_one_transaction(stream_actions(scope))), content_type=self.content_type
        )
        return attach(response, self.filename(scope))
