"""An uploaded file -> the rows of a workbook, as plain data; or WorkbookRefused saying why.
Nothing here touches the database: what the rows mean is planning.py's business.

Checked before any row is read: the size, that it is an XLSX (a zip with a workbook inside, not
too large unpacked), that it is one of ours (the hidden facts), for which nation, that the sheets
and headers are as written. While reading: no formulas, at most `max_rows` rows a sheet.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from . import layout


class WorkbookRefused(Exception):
    """The whole file is refused; nothing from it is saved."""


@dataclass(frozen=True)
class Row:
    number: int  # as Excel shows it
    cells: dict  # column key -> value (str, int, float, date or None)


@dataclass
class WorkbookRows:
    nation: str
    language: str
    statuses: list[Row] = field(default_factory=list)
    actions: list[Row] = field(default_factory=list)


def read_workbook(
    data: bytes, *, nation: str, max_bytes: int, max_rows: int, max_unpacked: int
) -> WorkbookRows:
    if len(data) > max_bytes:
        raise WorkbookRefused(
            _("The file is larger than %(limit)s MB; a workbook is much smaller.")
            % {"limit": round(max_bytes / 1_048_576, 1)}
        )
    book = _open(data, max_unpacked)
    try:
        facts = _facts(book)
        if facts["nation"] != nation.upper():
            raise WorkbookRefused(
                _("This workbook is for another nation (%(theirs)s): upload a workbook "
                  "downloaded for %(ours)s.") % {"theirs": facts["nation"], "ours": nation.upper()}
            )  # fmt: skip
        expected = layout.headers_in(facts["language"])
        if book.sheetnames != expected["titles"]:
            raise WorkbookRefused(
                _("The sheets were renamed, added or removed; expected: %(sheets)s.")
                % {"sheets": ", ".join(expected["titles"])}
            )
        titles = expected["titles"]
        rows = WorkbookRows(nation=facts["nation"], language=facts["language"])
        rows.statuses = _rows(
            book[titles[1]], layout.status_columns(), expected["statuses"], max_rows
        )
        rows.actions = _rows(
            book[titles[2]], layout.action_columns(), expected["actions"], max_rows
        )
        return rows
    finally:
        book.close()


def _open(data: bytes, max_unpacked: int):
    not_xlsx = _("This file is not an Excel workbook (.xlsx). Upload the workbook you downloaded.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise WorkbookRefused(not_xlsx) from error
    if "xl/workbook.xml" not in names:
        raise WorkbookRefused(not_xlsx)
    # A small zip can unpack to gigabytes; refuse it before openpyxl inflates anything.
    if unpacked > max_unpacked:
        raise WorkbookRefused(_("The workbook is too large once unpacked."))
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for damaged files
        raise WorkbookRefused(not_xlsx) from error


def _facts(book) -> dict:
    not_ours = _("This is not a workbook from the tracker: download your nation's workbook, "
                 "fill it and upload it.")  # fmt: skip
    if not book.sheetnames:
        raise WorkbookRefused(not_ours)
    sheet = book[book.sheetnames[-1]]  # the hidden Lists sheet is always last
    values = {}
    for row in sheet.iter_rows(min_row=1, max_row=max(layout.FACT_ROWS.values()), max_col=2):
        cells = [c.value for c in row] + [None, None]
        values[cells[0]] = cells[1]
    if values.get(layout.MARKER) != layout.FORMAT or not isinstance(values.get("nation"), str):
        raise WorkbookRefused(not_ours)
    language = values.get("language") if values.get("language") in {"en", "fr"} else "en"
    return {"nation": values["nation"].upper(), "language": language}


def _rows(sheet, columns, headers, max_rows) -> list[Row]:
    width = len(columns)
    iterator = sheet.iter_rows(min_row=1, max_col=width)
    header = next(iterator, ())
    found = [_text(c.value) for c in header] + [""] * (width - len(header))
    if found[:width] != headers:
        raise WorkbookRefused(
            _("The headers of the sheet “%(sheet)s” were changed; expected: %(headers)s.")
            % {"sheet": sheet.title, "headers": ", ".join(headers)}
        )
    rows = []
    for number, cells in enumerate(iterator, start=2):
        values = {}
        for column, cell in zip(columns, cells, strict=False):
            if getattr(cell, "data_type", None) == "f":
                raise WorkbookRefused(
                    _("Cell %(cell)s of “%(sheet)s” holds a formula; type values only.")
                    % {"cell": cell.coordinate, "sheet": sheet.title}
                )
            values[column.key] = _value(cell.value)
        blank = not any(v not in (None, "") for v in values.values())
        # Empty rows count too (up to the blank rows we offer), so that a sheet of a million
        # empty rows is not read to the end.
        if (
            not blank and len(rows) >= max_rows
        ) or number > max_rows + layout.BLANK_ACTION_ROWS + 1:
            raise WorkbookRefused(
                _(
                    "The sheet “%(sheet)s” has more than %(limit)s rows; split the work into "
                    "several workbooks (one per resolution)."
                )
                % {"sheet": sheet.title, "limit": f"{max_rows:,}"}
            )
        if not blank:
            rows.append(Row(number=number, cells=values))
    return rows


def _value(value):
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    if isinstance(value, str):
        return value.strip()
    return value


def _text(value) -> str:
    return "" if value is None else str(value).strip()
