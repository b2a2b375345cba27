"""An editor downloads the workbook, fills it in, uploads it and confirms, in a real browser."""

import pytest
from playwright.sync_api import expect

from resolutions.models import ImplementationStatus, NationalAction

from ..conftest import make_action
from ..workbook_helpers import edit, first_blank_row, row_of
from .conftest import screenshot, serious_accessibility_violations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [1280, 375])
def test_editor_previews_and_confirms_a_filled_workbook(
    page, live_server, editor_ca, canada, commitment_25e, width, tmp_path
):
    draft = make_action(commitment_25e, canada, editor_ca, title="Draft law")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, editor_ca.username)
    page.goto(f"{live_server.url}/nations/CA/")
    page.get_by_role("link", name="Workbook: download, fill in offline, upload").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the workbook").click()
    data = download.value.path().read_bytes()

    def fill(book):
        sheet = book["Actions"]
        sheet.cell(row_of(sheet, 1, draft.pk), 5).value = "Draft law, second reading"
        new = first_blank_row(sheet)
        for column, value in {
            3: "Resolution 493 · 25.e",
            5: "Funding for AI audits",
            7: "Funding",
            8: "Government",
            10: "Planned",
        }.items():
            sheet.cell(new, column).value = value
        bad = new + 1
        for column, value in {
            3: "Resolution 493 · 25.e",
            5: "Hearing",
            7: "Hearing",
            8: "Parliament",
            10: "Soon",
        }.items():
            sheet.cell(bad, column).value = value
        statuses = book["Statuses"]
        statuses.cell(row_of(statuses, 1, "Resolution 493 · 25.e"), 3).value = "Implemented"

    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(edit(data, fill))
    page.get_by_label("Filled-in workbook (.xlsx)").set_input_files(str(filled))
    page.get_by_role("button", name="Preview the changes").click()
    expect(page.get_by_role("heading", name="Preview: nothing is saved yet")).to_be_visible()
    expect(page.get_by_text("“Hearing” is not a type")).to_be_visible()
    expect(page.get_by_text("a justification is required")).to_be_visible()
    screenshot(page, "workbook-preview")
    assert serious_accessibility_violations(page) == []
    assert NationalAction.objects.count() == 1

    page.get_by_role("button", name="Save 2 changes").click()
    expect(page.get_by_text("2 rows saved from the workbook.")).to_be_visible()
    assert NationalAction.objects.filter(title="Funding for AI audits").exists()
    draft.refresh_from_db()
    assert draft.title == "Draft law, second reading"
    assert not ImplementationStatus.objects.filter(member=canada).exists()
