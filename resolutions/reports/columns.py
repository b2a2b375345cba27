"""The columns of the action and status tables, written once for the CSV and the XLSX.

Each column has its heading, its width in a spreadsheet and how it reads a row; text that a
person typed goes through `safe_cell()` so that a spreadsheet never runs it as a formula.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .base import safe_cell
from .data import ActionRow, StatusRow


@dataclass(frozen=True)
class Column:
    heading: Promise
    width: int
    value: Callable
    typed: bool = False  # typed by a person: neutralise formulas

    def read(self, row):
        value = self.value(row)
        return safe_cell(value) if self.typed else value


def _get(name):
    return lambda row: getattr(row, name)


ACTION_COLUMNS: list[Column] = [
    Column(_("Action ID"), 10, _get("id")),
    Column(_("Resolution"), 16, _get("resolution")),
    Column(_("Commitment"), 12, _get("commitment")),
    Column(_("Nation code"), 8, _get("nation_code")),
    Column(_("Nation"), 18, _get("nation")),
    Column(_("Status"), 20, _get("status")),
    Column(_("Action"), 48, _get("title"), typed=True),
    Column(_("Type"), 18, _get("type_label")),
    Column(_("Actor"), 12, _get("actor_label")),
    Column(_("Stage"), 12, _get("stage_label")),
    Column(_("Review state"), 20, _get("review_label")),
    Column(_("Date"), 12, _get("date")),
    Column(_("Last updated"), 17, _get("updated_at")),
    Column(_("Evidence items"), 10, _get("evidence_count")),
    Column(_("Justification of the status"), 40, _get("justification"), typed=True),
    Column(_("Description"), 60, _get("description"), typed=True),
]

STATUS_COLUMNS: list[Column] = [
    Column(_("Resolution"), 16, _get("resolution")),
    Column(_("Commitment"), 12, _get("commitment")),
    Column(_("Nation code"), 8, _get("nation_code")),
    Column(_("Nation"), 18, _get("nation")),
    Column(_("Status"), 20, _get("status")),
    Column(_("Justification of the status"), 40, _get("justification"), typed=True),
    Column(_("Accepted actions"), 10, _get("accepted")),
    Column(_("Actions awaiting review"), 10, _get("submitted")),
    Column(_("Last update"), 17, _get("last_update")),
]


def headings(columns: list[Column]) -> list[str]:
    return [str(column.heading) for column in columns]


def values(columns: list[Column], row: ActionRow | StatusRow) -> list:
    return [column.read(row) for column in columns]
