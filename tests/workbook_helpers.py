"""Reading and changing workbooks in tests, as a person would in Excel (through openpyxl)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, code="CA", resolution="open") -> bytes:
    response = client.get(
        reverse("workbook-download", kwargs={"code": code}), {"resolution": resolution}
    )
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    return response.content


def edit(data: bytes, change) -> bytes:
    """Opens the workbook, lets `change(book)` edit it, and saves it again."""
    book = load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data: bytes, code="CA", name="workbook.xlsx"):
    return client.post(
        reverse("workbook", kwargs={"code": code}),
        {"file": SimpleUploadedFile(name, data, content_type=XLSX)},
    )


def confirm(client, preview, code="CA"):
    return client.post(
        reverse("workbook-confirm", kwargs={"code": code}), {"token": preview.context["token"]}
    )


def row_of(sheet, column: int, value) -> int:
    for row in sheet.iter_rows(min_row=2):
        if row[column - 1].value == value:
            return row[0].row
    raise AssertionError(f"{value!r} not in column {column} of {sheet.title}")


def first_blank_row(sheet) -> int:
    for row in sheet.iter_rows(min_row=2):
        if all(cell.value in (None, "") for cell in row):
            return row[0].row
    return sheet.max_row + 1
