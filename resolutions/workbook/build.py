"""The database -> a delegation's workbook.

Written with openpyxl rather than the project's streaming writer (reports/xlsx_writer.py): this
file holds one nation's commitments and actions (hundreds of rows, not the million cells the
writer was made for), and it needs what the writer does not do: drop-down lists (data
validation) over another sheet, a hidden sheet, locked information columns. openpyxl does all
of it and reads the file back, so one library covers both directions; the reports' writer stays
as the reports helper reshapes it.
"""

import datetime
import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .. import permissions
from ..models import Commitment, ImplementationStatus, Resolution
from . import layout

HEADER = Font(bold=True)
INFO_FILL = PatternFill("solid", fgColor="FFEFEFEF")  # columns to read, not to change
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Scope:
    """One resolution, or (resolution None) every resolution of an open reporting round."""

    resolution: Resolution | None

    @property
    def slug(self) -> str:
        return str(self.resolution.number) if self.resolution else "open"


def resolutions_in(scope: Scope):
    if scope.resolution is not None:
        return Resolution.objects.filter(pk=scope.resolution.pk)
    open_ones = Resolution.objects.filter(reporting_rounds__is_open=True).distinct()
    # With no round open, "all open" means every resolution rather than an empty workbook.
    return open_ones if open_ones.exists() else Resolution.objects.all()


def workbook_bytes(user, member, scope: Scope) -> bytes:
    commitments = list(
        Commitment.objects.filter(resolution__in=resolutions_in(scope))
        .select_related("resolution")
        .order_by("resolution__number", "resolution__document_type", "order")
    )
    statuses = {
        s.commitment_id: s
        for s in ImplementationStatus.objects.filter(member=member, commitment__in=commitments)
    }
    national_actions = (
        permissions.visible_actions(user)
        .filter(member=member, commitment__in=commitments)
        .select_related("commitment__resolution")
        .order_by("commitment__resolution__number", "commitment__order", "pk")
    )
    book = Workbook()
    book.remove(book.active)
    titles = layout.sheet_titles()
    _instructions(book.create_sheet(titles[0]), member)
    lists = book.create_sheet(titles[3])
    ranges = _lists(lists, member, scope, commitments)
    _statuses(book.create_sheet(titles[1], 1), commitments, statuses, ranges)
    _actions(book.create_sheet(titles[2], 2), national_actions, ranges)
    lists.sheet_state = "hidden"
    book.properties.title = _("Workbook of %(nation)s") % {"nation": member.name}
    book.properties.creator = str(user)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _instructions(sheet, member):
    lines = [
        _("Workbook of %(nation)s") % {"nation": member.name},
        "",
        _(
            "1. On the “Statuses” sheet, choose your nation's status for each commitment "
            "and say why."
        ),
        _(
            "2. On the “Actions” sheet, change the actions you already logged or add new ones "
            "on the empty rows: choose the commitment, then give a title, a type, an actor "
            "and a stage."
        ),
        _(
            "3. Choose types, actors, stages and statuses from the drop-down lists; dates as "
            "YYYY-MM-DD."
        ),
        _(
            "4. Do not change the grey columns (IDs, versions, review states) or the sheets' names "
            "and headers; type values, not formulas."
        ),
        _(
            "5. Upload the workbook on your nation's page. You will see what each row will do "
            "before anything is saved."
        ),
        "",
        _(
            "Actions waiting for review or accepted cannot be changed here. If someone changed an "
            "action or a status after you downloaded this workbook, that row is refused: download "
            "a fresh workbook and try again."
        ),
    ]
    sheet.column_dimensions["A"].width = 110
    for line in lines:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    for row in sheet.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True)


def _lists(sheet, member, scope, commitments) -> dict[str, str]:
    """Writes the facts and the drop-down lists; returns each list's range for validations."""
    facts = {
        "marker": (layout.MARKER, layout.FORMAT),
        "nation": ("nation", member.code),
        "language": ("language", get_language() or "en"),
        "generated": ("generated", timezone.now().isoformat(timespec="seconds")),
        "scope": ("scope", scope.slug),
    }
    for key, row in layout.FACT_ROWS.items():
        sheet.cell(row=row, column=1, value=facts[key][0])
        sheet.cell(row=row, column=2, value=facts[key][1])
    columns = {
        **{
            key: [label for _value, label in entries]
            for key, entries in layout.choice_lists().items()
        },
        "commitment": [layout.commitment_reference(c) for c in commitments],
    }
    ranges = {}
    for number, (key, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(number)
        sheet.cell(row=layout.LIST_HEADER_ROW, column=number, value=key)
        first = layout.LIST_HEADER_ROW + 1
        for offset, value in enumerate(values):
            sheet.cell(row=first + offset, column=number, value=value)
        last = first + max(len(values), 1) - 1
        ranges[key] = f"{quote_sheetname(sheet.title)}!${letter}${first}:${letter}${last}"
    return ranges


def _table(sheet, columns, rows, ranges, blank_rows=0):
    sheet.append([c.header for c in columns])
    for cell in sheet[1]:
        cell.font = HEADER
        cell.alignment = WRAP
    for row in rows:
        sheet.append(row)
    last = sheet.max_row + blank_rows
    for number, column in enumerate(columns, start=1):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = column.width
        if not column.editable:
            for (cell,) in sheet.iter_rows(min_row=2, max_row=last, min_col=number, max_col=number):
                cell.fill = INFO_FILL
        if column.key in ranges and column.editable:
            validation = DataValidation(
                type="list",
                formula1=ranges[column.key],
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Not in the list"),
                error=_("Choose a value from the drop-down list."),
            )
            validation.add(f"{letter}2:{letter}{last + layout.VALIDATED_ROWS}")
            sheet.add_data_validation(validation)
        if column.key in {"commitment_text", "description", "justification", "title"}:
            for (cell,) in sheet.iter_rows(min_row=2, max_row=last, min_col=number, max_col=number):
                cell.alignment = WRAP
    sheet.freeze_panes = "A2"


def _statuses(sheet, commitments, statuses, ranges):
    labels = dict(ImplementationStatus.Status.choices)
    rows = []
    for commitment in commitments:
        status = statuses.get(commitment.pk)
        rows.append([
            layout.commitment_reference(commitment),
            commitment.text,
            str(labels[status.status]) if status else str(labels["no_information"]),
            status.justification if status else "",
            status.version if status else 0,
            commitment.pk,
        ])  # fmt: skip
    _table(sheet, layout.status_columns(), rows, ranges)


def _actions(sheet, national_actions, ranges):
    rows = []
    for action in national_actions:
        rows.append([
            action.pk,
            action.version,
            layout.commitment_reference(action.commitment),
            action.commitment.text,
            action.title,
            action.description,
            action.get_action_type_display(),
            action.get_actor_display(),
            action.date if isinstance(action.date, datetime.date) else None,
            action.get_stage_display(),
            action.get_review_state_display(),
            action.review_comment,
        ])  # fmt: skip
    _table(sheet, layout.action_columns(), rows, ranges, blank_rows=layout.BLANK_ACTION_ROWS)
    date_column = [c.key for c in layout.action_columns()].index("date") + 1
    for (cell,) in sheet.iter_rows(min_row=2, min_col=date_column, max_col=date_column):
        cell.number_format = "yyyy-mm-dd"
