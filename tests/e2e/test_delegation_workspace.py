"""Delegation staff record what their nation did, in a real browser: actions, evidence, status."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from resolutions import actions
from resolutions.models import Evidence, ImplementationStatus, NationalAction

from ..conftest import make_action, minimal_pdf
from .conftest import screenshot, serious_accessibility_violations, sign_in

pytestmark = [
    pytest.mark.browser,
    # As in test_resolution_pages: the tables are restored after each test, not just emptied.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def focused(page, expression="id"):
    """A property of the element that has keyboard focus ("BODY" tag name means focus was lost)."""
    return page.evaluate(f"document.activeElement.{expression}")


def commitment_url(live_server, commitment):
    return f"{live_server.url}/nations/CA/commitments/{commitment.pk}/"


def fill_action_form(scope, title, description=""):
    scope.get_by_label("Title").fill(title)
    scope.get_by_label("Description").fill(description)
    scope.get_by_label("Type").select_option(label="Legislation")
    scope.get_by_label("Actor").select_option(label="Parliament")
    scope.get_by_label("Stage").select_option(label="Under way")
    scope.get_by_label("Date").fill("2025-03-14")


def mark_page(page):
    """A marker that only survives if the page is not reloaded."""
    page.evaluate("window.__marker = 'same page'")


def assert_same_page(page):
    assert page.evaluate("window.__marker") == "same page"


def test_editor_adds_an_action_with_pdf_evidence_and_sets_status(
    page, live_server, editor_ca, commitment_25e, tmp_path
):
    sign_in(page, live_server, editor_ca.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Canada")
    page.get_by_role("link", name="25.e", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Commitment 25.e")

    mark_page(page)
    page.locator("summary", has_text="Add an action").click()
    new_action = page.locator("#new-action")
    fill_action_form(new_action, "Export Control Act amended", "Covers AI accelerators.")
    new_action.get_by_role("button", name="Save as draft").click()
    item = page.locator(".action-item", has_text="Export Control Act amended")
    expect(item).to_be_visible()
    assert_same_page(page)
    action = NationalAction.objects.get()
    assert (action.stage, action.date.isoformat()) == ("under_way", "2025-03-14")
    expect(item).to_be_focused()
    assert focused(page) == f"action-{action.pk}"

    item.get_by_role("link", name="Export Control Act amended", exact=True).click()
    pdf = tmp_path / "export-control-act.pdf"
    pdf.write_bytes(minimal_pdf("Export Control Act"))
    upload = page.locator("form", has=page.get_by_role("heading", name="Attach a file"))
    upload.get_by_label("File").set_input_files(pdf)
    upload.get_by_label("Title").fill("Act as published in the Gazette")
    upload.get_by_role("button", name="Upload").click()
    evidence_list = page.locator(".evidence-list")
    expect(evidence_list).to_contain_text("Act as published in the Gazette")
    evidence = Evidence.objects.get(action=action)
    assert evidence.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
    expect(evidence_list.locator("code")).to_have_text(evidence.sha256[:12])

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="25.e").click()
    status = page.locator("#status")
    status.get_by_label("Status", exact=True).select_option(label="In progress")
    status.get_by_role("button", name="Save status").click()
    expect(status.locator(".status")).to_have_text("◑ In progress")
    expect(status.get_by_role("status")).to_have_text("Status saved.")
    assert ImplementationStatus.objects.get(member__country="CA").status == "in_progress"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My nation").click()
    row = page.locator("tr", has=page.get_by_role("link", name="25.e", exact=True))
    expect(row.locator(".status")).to_have_text("◑ In progress")
    expect(row.locator("td.num")).to_have_text("1")
    expect(row.locator(".flag--ok")).to_have_text("Yes")
    expect(row).not_to_contain_text("No evidence")
    expect(row).not_to_contain_text("Stale")
    expect(page.locator(".messages")).to_have_count(0)  # nothing said earlier is repeated here


def test_a_refused_action_shows_the_error_summary_with_focus_and_keeps_the_text(
    page, live_server, editor_ca, commitment_25e
):
    sign_in(page, live_server, editor_ca.username)
    page.goto(commitment_url(live_server, commitment_25e))
    mark_page(page)
    page.locator("summary", has_text="Add an action").click()
    new_action = page.locator("#new-action")
    # Spaces pass the browser's own "required" check; the server refuses a blank title.
    fill_action_form(new_action, "   ", "Three paragraphs I do not want to type again.")
    new_action.get_by_role("button", name="Save as draft").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Title: This field is required.")
    expect(summary).to_be_focused()
    assert focused(page, "tagName") != "BODY"
    assert_same_page(page)
    expect(new_action.get_by_label("Description")).to_have_value(
        "Three paragraphs I do not want to type again."
    )
    expect(new_action.get_by_label("Type")).to_have_value("legislation")
    # The field itself tells a screen reader its hint and what is wrong with it.
    expect(new_action.get_by_label("Title")).to_have_accessible_description(
        re.compile(r"^For example: .* This field is required\.$")
    )
    assert NationalAction.objects.count() == 0
    assert serious_accessibility_violations(page) == []


def test_a_second_editor_sees_the_conflict_and_keeps_their_text(
    page, browser, live_server, editor_ca, admin_user, commitment_25e, canada
):
    action = make_action(commitment_25e, canada, editor_ca)
    edit_url = f"{live_server.url}/actions/{action.pk}/edit/"
    sign_in(page, live_server, editor_ca.username)
    page.goto(edit_url)
    other_context = browser.new_context()
    other = other_context.new_page()
    sign_in(other, live_server, admin_user.username)
    other.goto(edit_url)

    page.get_by_label("Title").fill("Act in force since March")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Act in force since March")

    other.get_by_label("Title").fill("Act amended by the Senate")
    other.get_by_role("button", name="Save changes").click()
    conflict = other.locator(".conflict")
    expect(conflict).to_contain_text("Someone else saved this action while you were editing")
    expect(conflict).to_contain_text(f"saved by {editor_ca.username}")
    expect(conflict.locator("dd").first).to_have_text("Act in force since March")
    expect(other.get_by_label("Title")).to_have_value("Act amended by the Senate")
    expect(conflict).to_be_focused()
    action.refresh_from_db()
    assert (action.title, action.version) == ("Act in force since March", 2)

    other.get_by_role("button", name="Save changes").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Act amended by the Senate")
    action.refresh_from_db()
    assert (action.title, action.version) == ("Act amended by the Senate", 3)
    other_context.close()


def test_workspace_pages_have_no_serious_accessibility_violations(
    page, live_server, editor_ca, commitment_25e, canada
):
    action = make_action(commitment_25e, canada, editor_ca)
    details = {"title": "The Act", "date": None, "language": "en"}
    actions.add_evidence_link(action, "https://laws.example.org/act", details, by=editor_ca)
    sign_in(page, live_server, editor_ca.username)
    assert serious_accessibility_violations(page) == [], "dashboard"

    page.goto(commitment_url(live_server, commitment_25e))
    page.locator("summary", has_text="Add an action").click()
    assert serious_accessibility_violations(page) == [], "commitment page, add form open"

    page.goto(f"{live_server.url}/actions/{action.pk}/")
    expect(page.get_by_role("heading", name="Attach a file")).to_be_visible()
    assert serious_accessibility_violations(page) == [], "action page"

    page.goto(f"{live_server.url}/actions/{action.pk}/edit/")
    assert serious_accessibility_violations(page) == [], "full-page edit form"

    page.goto(commitment_url(live_server, commitment_25e))
    page.locator(f"#action-{action.pk}").get_by_role("link", name="Edit").click()
    expect(page.locator(f"#action-{action.pk} form")).to_be_visible()
    assert serious_accessibility_violations(page) == [], "after the inline edit swap"


def test_inline_edit_swaps_in_the_form_and_back_keeping_focus(
    page, live_server, editor_ca, commitment_25e, canada
):
    action = make_action(commitment_25e, canada, editor_ca)
    sign_in(page, live_server, editor_ca.username)
    page.goto(commitment_url(live_server, commitment_25e))
    mark_page(page)
    item = page.locator(f"#action-{action.pk}")
    item.get_by_role("link", name="Edit").click()

    # The form takes the item's place, and focus goes to its first field, not to <body>.
    expect(item.get_by_label("Title")).to_have_value("Export Control Act amended")
    expect(item.get_by_label("Title")).to_be_focused()
    item.get_by_label("Title").fill("Export Control Act in force")
    item.get_by_role("button", name="Save changes").click()

    expect(item.get_by_role("link", name="Export Control Act in force", exact=True)).to_be_visible()
    expect(item).to_be_focused()
    assert_same_page(page)
    action.refresh_from_db()
    assert (action.title, action.version) == ("Export Control Act in force", 2)


def test_file_form_has_a_hidden_upload_progress_bar(
    page, live_server, editor_ca, commitment_25e, canada
):
    action = make_action(commitment_25e, canada, editor_ca)
    sign_in(page, live_server, editor_ca.username)
    page.goto(f"{live_server.url}/actions/{action.pk}/")
    upload = page.locator("form", has=page.get_by_role("heading", name="Attach a file"))
    progress = upload.locator("progress[data-upload-progress]")
    expect(progress).to_have_count(1)
    expect(progress).to_be_hidden()
    expect(progress).to_have_attribute("aria-label", "Upload progress")
    # What htmx reports while the file is sent shows in the bar.
    upload.evaluate(
        "form => htmx.trigger(form, 'htmx:xhr:progress',"
        " {lengthComputable: true, loaded: 3, total: 4})"
    )
    expect(progress).to_be_visible()
    expect(progress).to_have_js_property("value", 75)
    expect(progress).to_have_text("75%")


@pytest.mark.parametrize("width", [1280, 375])
def test_workspace_pages_fit_wide_and_narrow_screens(
    page, live_server, editor_ca, commitment_25e, canada, width
):
    action = make_action(commitment_25e, canada, editor_ca)
    pdf = SimpleUploadedFile("export-control-act-2025-consolidated.pdf", minimal_pdf())
    details = {"title": "Act as published in the Canada Gazette", "date": None, "language": "en"}
    actions.add_evidence_file(action, pdf, details, by=editor_ca)
    actions.set_status(commitment_25e, canada, "in_progress", "", version=0, by=editor_ca)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, editor_ca.username)
    pages = {
        "dashboard": f"{live_server.url}/nations/CA/",
        "commitment": commitment_url(live_server, commitment_25e),
        "action": f"{live_server.url}/actions/{action.pk}/",
    }
    for name, url in pages.items():
        page.goto(url)
        screenshot(page, f"workspace-{name}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} overflows sideways by {overflow}px at {width}px"
        assert serious_accessibility_violations(page) == [], f"{name} at {width}px"
        if name == "dashboard":
            # Every column of a row is on screen, not scrolled away inside the table.
            row = page.locator("tr", has=page.get_by_role("link", name="25.e", exact=True))
            for cell in row.locator("th, td").all():
                box = cell.bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= width, cell.inner_text()


DUPLICATE_IDS = """[...document.querySelectorAll("[id]")].map(e => e.id)
    .filter((id, i, all) => all.indexOf(id) !== i)"""


def test_every_field_has_its_own_label_when_two_forms_share_a_page(
    page, live_server, editor_ca, commitment_25e, canada
):
    action = make_action(commitment_25e, canada, editor_ca)
    sign_in(page, live_server, editor_ca.username)
    page.goto(f"{live_server.url}/actions/{action.pk}/")
    link_form = page.locator("form", has=page.get_by_role("heading", name="Add a link"))
    expect(link_form.get_by_role("textbox", name="Title")).to_have_count(1, timeout=1000)
    assert page.evaluate(DUPLICATE_IDS) == [], "action page"

    page.goto(commitment_url(live_server, commitment_25e))
    page.locator(f"#action-{action.pk}").get_by_role("link", name="Edit").click()
    expect(page.locator(f"#action-{action.pk} form")).to_be_visible()
    assert page.evaluate(DUPLICATE_IDS) == [], "commitment page with the inline edit open"
