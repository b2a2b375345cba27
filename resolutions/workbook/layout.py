"""What a workbook looks like: its sheets, their columns, the drop-down lists and the hidden
facts (format, nation, language) that tell an uploaded file apart from any other spreadsheet.
Headers and list entries are in the person's language; reading an upload activates the
workbook's own language to compare them."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import override

from ..models import ImplementationStatus, NationalAction

MARKER = "commitment-tracker-workbook"
FORMAT = "1"
# Rows of the hidden Lists sheet holding the facts; the lists start below them.
FACT_ROWS = {"marker": 1, "nation": 2, "language": 3, "generated": 4, "scope": 5}
LIST_HEADER_ROW = 7
BLANK_ACTION_ROWS = 50  # empty rows offered for new actions
VALIDATED_ROWS = 1000  # drop-downs reach this far below the last written row


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    editable: bool = False


def sheet_titles() -> list[str]:
    return [_("Instructions"), _("Statuses"), _("Actions"), _("Lists")]


def status_columns() -> list[Column]:
    return [
        Column("commitment", _("Commitment"), 22),
        Column("commitment_text", _("Commitment text"), 60),
        Column("status", _("Status"), 24, editable=True),
        Column("justification", _("Justification"), 50, editable=True),
        Column("version", _("Version (do not change)"), 12),
        Column("commitment_id", _("Commitment ID (do not change)"), 14),
    ]


def action_columns() -> list[Column]:
    return [
        Column("action_id", _("Action ID (empty for a new action)"), 14),
        Column("version", _("Version (do not change)"), 12),
        Column("commitment", _("Commitment"), 22, editable=True),
        Column("commitment_text", _("Commitment text"), 50),
        Column("title", _("Title"), 40, editable=True),
        Column("description", _("Description"), 50, editable=True),
        Column("action_type", _("Type"), 24, editable=True),
        Column("actor", _("Actor"), 14, editable=True),
        Column("date", _("Date (YYYY-MM-DD)"), 14, editable=True),
        Column("stage", _("Stage"), 14, editable=True),
        Column("review_state", _("Review state (for information)"), 22),
        Column("review_comment", _("Secretariat's comment (for information)"), 40),
    ]


def choice_lists() -> dict[str, list[tuple[str, str]]]:
    """The drop-down lists, by the column they fill: (value, label in the active language)."""
    return {
        "action_type": [(v, str(label)) for v, label in NationalAction.Type.choices],
        "actor": [(v, str(label)) for v, label in NationalAction.Actor.choices],
        "stage": [(v, str(label)) for v, label in NationalAction.Stage.choices],
        "status": [(v, str(label)) for v, label in ImplementationStatus.Status.choices],
    }


def choice_readers(language: str) -> dict[str, dict[str, str]]:
    """For each drop-down: what a cell may hold (its label in the workbook's language, or the
    stored value, in any case) -> the stored value."""
    with override(language):
        lists = choice_lists()
    return {
        key: {
            **{value.casefold(): value for value, _label in entries},
            **{label.casefold(): value for value, label in entries},
        }
        for key, entries in lists.items()
    }


def commitment_reference(commitment) -> str:
    """How a commitment is named in a workbook cell, unique across documents:
    "Resolution 493 · 25.e". Needs the commitment's resolution."""
    resolution = commitment.resolution
    return f"{resolution.get_document_type_display()} {resolution.number} · {commitment.label}"


def headers_in(language: str) -> dict[str, list[str]]:
    with override(language):
        return {
            "titles": sheet_titles(),
            "statuses": [c.header for c in status_columns()],
            "actions": [c.header for c in action_columns()],
        }
