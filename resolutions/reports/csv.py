"""CSV: one row per national action with its commitment, nation, status and evidence count.

Streamed: rows come one at a time from `data.stream_actions()` (a database cursor read with
`.iterator()`) and leave as soon as they are written, so a 10,000-action export never holds the
file, or the actions, in memory.

UTF-8 *with* a byte-order mark: without it Excel (still what most secretariats open a CSV with)
reads the file as the local ANSI code page and garbles "Montréal" or "Türkiye"; LibreOffice,
Numbers, pandas (`encoding="utf-8-sig"`) and Python's csv module read the mark correctly.
Comma-separated, quoted where needed, CRLF line ends (RFC 4180).
"""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from .base import Exporter, attach, safe_cell
from .data import ActionRow, ReportScope, stream_actions

BOM = "\ufeff"


class _Line:
    """A file-like object whose write() hands back what it was given: csv.writer formats one
    row, and the generator yields it straight away."""

    def write(self, value: str) -> str:
        return value


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


def csv_lines(rows: Iterable[ActionRow]) -> Iterator[bytes]:
    """The file, one encoded line per row (the first with the byte-order mark and the header);
    each row is pulled from `rows` only when its line is asked for."""
    writer = csv.writer(_Line())
    yield (BOM + writer.writerow(header())).encode("utf-8")
    for row in rows:
        yield writer.writerow(cells(row)).encode("utf-8")


class CsvExporter(Exporter):
    format = "csv"
    extension = "csv"
    content_type = "text/csv; charset=utf-8"
    label = "CSV"

    def export(self, scope: ReportScope, out, progress=None) -> None:
        for line in csv_lines(stream_actions(scope)):
            out.write(line)

    def response(self, scope: ReportScope) -> StreamingHttpResponse:
        response = StreamingHttpResponse(
            csv_lines(stream_actions(scope)), content_type=self.content_type
        )
        return attach(response, self.filename(scope))
