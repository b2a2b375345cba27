"""A committee secretary works through Resolution 493 in a real browser: the matrix, a cell,
the review queue, and the status reports."""

import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from resolutions import actions
from resolutions.models import Member, NationalAction

from ..conftest import make_action
from .conftest import screenshot, serious_accessibility_violations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def submitted_pair(resolution_493, editor_ca, admin_user):
    canada = Member.objects.get(country="CA")
    commitment = resolution_493.commitments.get(label="25.e")
    actions.set_status(commitment, canada, "in_progress", "", version=0, by=admin_user)
    first = make_action(commitment, canada, editor_ca, title="Export Control Act amended")
    second = make_action(commitment, canada, editor_ca, title="Sanctions unit staffed")
    for action in (first, second):
        actions.submit_action(action, by=editor_ca)
    return commitment, first, second


def test_secretary_filters_the_matrix_reviews_and_downloads_reports(
    page, live_server, secretary, editor_ca, submitted_pair
):
    commitment, first, second = submitted_pair
    sign_in(page, live_server, secretary.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Matrix").click()
    expect(page.locator("th.matrix__nation")).to_have_count(32)
    assert serious_accessibility_violations(page) == []
    screenshot(page, "matrix")

    page.get_by_label("Status", exact=True).select_option(label="In progress")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("th.matrix__commitment")).to_have_count(1)
    page.get_by_label("25.e, Canada: In progress").click()  # an htmx fragment, same page
    panel = page.locator("#cell-panel")
    expect(panel).to_contain_text("Export Control Act amended")
    page.wait_for_function("document.activeElement.closest('#cell-panel') !== null")

    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Excel", exact=True).click()
    workbook = openpyxl.load_workbook(io.BytesIO(Path(xlsx.value.path()).read_bytes()))
    assert workbook.sheetnames == ["Summary", "Matrix", "Actions", "Evidence"]
    assert xlsx.value.suggested_filename.startswith("resolution-493-status-")
    page.goto(f"{live_server.url}/matrix/")
    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF", exact=True).click()
    assert Path(pdf.value.path()).read_bytes()[:5] == b"%PDF-"

    # The report options: in French, with the actions awaiting review.
    page.get_by_text("Report options").click()
    options = page.locator(".export-options form")
    options.get_by_label("Format").select_option("pdf")
    options.get_by_label("Language").select_option("fr")
    options.get_by_label("Include actions awaiting review").check()
    assert serious_accessibility_violations(page) == []
    screenshot(page, "matrix-report-options")
    with page.expect_download() as french:
        options.get_by_role("button", name="Make the report").click()
    # On a phone the options fold into the page without scrolling sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(page, "matrix-report-options")
    page.set_viewport_size({"width": 1280, "height": 800})
    reader = PdfReader(french.value.path())
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Export Control Act amended" in text  # submitted, so only with the option

    page.get_by_role("link", name="Review").click()
    assert serious_accessibility_violations(page) == []
    screenshot(page, "review")
    page.locator(f"#review-{first.pk}").get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text("Accepted")
    item = page.locator(f"#review-{second.pk}")
    item.get_by_label("Comment for the delegation").fill("Please add the unit's budget.")
    item.get_by_role("button", name="Return for revision").click()
    expect(page.get_by_role("status")).to_contain_text("Returned")
    states = dict(NationalAction.objects.values_list("pk", "review_state"))
    assert states == {first.pk: "accepted", second.pk: "returned"}

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, editor_ca.username)
    page.goto(f"{live_server.url}/nations/CA/commitments/{commitment.pk}/")
    expect(page.locator(f"#action-{second.pk}")).to_contain_text("Please add the unit's budget.")
