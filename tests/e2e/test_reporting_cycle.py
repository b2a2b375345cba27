"""The whole reporting cycle in a real browser: an editor submits, the secretariat returns it
with a comment, the editor sees the comment and the e-mail, revises and resubmits, the
secretariat sees what changed and accepts; the editor revises the accepted action, reports keep
the accepted version until the secretariat accepts the revision."""

import shutil
import subprocess

import pytest
from django.core import mail
from playwright.sync_api import expect

from resolutions import actions
from resolutions.models import Member, ReportingRound
from tracker.celery import app as celery_app

from ..conftest import make_action
from .conftest import horizontal_overflow, screenshot, serious_accessibility_violations, sign_in

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"  # poppler-utils

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def eager_tasks():
    """Notices are sent by Celery after the commit; here the task runs in the server's thread."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


def pdf_text(page, live_server, resolution) -> str:
    response = page.request.get(
        f"{live_server.url}/reports/export/?scope=resolution&id={resolution.pk}&format=pdf"
    )
    assert response.ok and response.body()[:5] == b"%PDF-"
    result = subprocess.run(
        [PDFTOTEXT, "-layout", "-", "-"], input=response.body(), capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


def switch_to(page, live_server, user):
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, user.username)


def test_an_action_goes_round_the_whole_cycle(
    page, live_server, resolution_493, editor_ca, secretary, eager_tasks
):
    canada = Member.objects.get(country="CA")
    commitment = resolution_493.commitments.get(label="25.e")
    action = make_action(commitment, canada, editor_ca, title="Export Control Act amended",
                         stage="under_way")  # fmt: skip
    # A long link with nowhere to break: the action page must still fit a 375 px screen.
    long_url = "https://laws.example.ca/act?id=" + "0123456789ABCDEF" * 8
    actions.add_evidence_link(action, long_url, {"title": long_url}, by=editor_ca)
    round_ = ReportingRound.objects.create(name="Spring 2099", deadline="2099-05-01")
    round_.resolutions.add(resolution_493)
    action_url = f"{live_server.url}/actions/{action.pk}/"

    # The editor submits.
    sign_in(page, live_server, editor_ca.username)
    page.goto(action_url)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status")).to_contain_text("Submitted")

    # The secretary returns it; a missing comment is shown on the item first.
    switch_to(page, live_server, secretary)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review").click()
    item = page.locator(f"#review-{action.pk}")
    item.get_by_role("button", name="Return for revision").click()
    item = page.locator(f"#review-{action.pk}")
    expect(item.get_by_role("alert")).to_contain_text("a comment is required")
    expect(item.get_by_role("alert")).to_be_focused()
    item.get_by_label("Comment for the delegation").fill("Say when the act enters into force.")
    item.get_by_role("button", name="Return for revision").click()
    expect(page.get_by_role("status")).to_contain_text("Returned")

    # The editor sees the comment, on the page and in an e-mail, revises and resubmits.
    assert [m.to for m in mail.outbox] == [[editor_ca.email]]
    assert "Say when the act enters into force." in mail.outbox[0].body
    switch_to(page, live_server, editor_ca)
    page.goto(action_url)
    expect(page.locator(".review-comment")).to_contain_text("Say when the act enters into force.")
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Stage").select_option(label="Completed")
    page.get_by_label("Date").fill("2026-03-01")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("button", name="Submit for review").click()

    # The secretary sees what changed since the return, and accepts.
    switch_to(page, live_server, secretary)
    page.goto(f"{live_server.url}/review/")
    item = page.locator(f"#review-{action.pk}")
    expect(item).to_contain_text("Changes since it was returned")
    expect(item.locator("table.changes")).to_contain_text("Under way")
    expect(item.locator("table.changes")).to_contain_text("Completed")
    expect(item).to_contain_text("Say when the act enters into force.")  # earlier comment
    item.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text("Accepted")
    assert "Accepted: Export Control Act amended" in [m.subject for m in mail.outbox]

    # The editor revises the accepted action: a pending revision.
    switch_to(page, live_server, editor_ca)
    page.goto(action_url)
    page.get_by_role("link", name="Revise", exact=True).click()
    page.get_by_label("Title").fill("Export Control Act in force")
    page.get_by_role("button", name="Send the revision for review").click()
    expect(page.locator("#revision")).to_contain_text("Export Control Act in force")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "action-pending-revision")
    assert horizontal_overflow(page) <= 0
    screenshot(page, "action-pending-revision")
    page.set_viewport_size({"width": 1280, "height": 800})

    # The report still shows the accepted version.
    text = pdf_text(page, live_server, resolution_493)
    assert "Export Control Act amended" in text
    assert "Export Control Act in force" not in text

    # The secretary sees the revision as a diff and accepts it; the report shows the new one.
    switch_to(page, live_server, secretary)
    page.goto(f"{live_server.url}/review/")
    item = page.locator(f"#review-{action.pk}")
    expect(item).to_contain_text("Changes against the accepted version")
    expect(item.locator("ins")).to_contain_text("Export Control Act in force")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "review-revision")
    item.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text("Accepted the revision")
    text = pdf_text(page, live_server, resolution_493)
    assert "Export Control Act in force" in text
    assert "Export Control Act amended" not in text

    # The round's page: completion, then closing.
    page.goto(f"{live_server.url}/rounds/{round_.pk}/progress/")
    expect(page.get_by_role("heading", name="Completion per nation")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Close the round and fix its report").click()
    expect(page.get_by_role("status")).to_contain_text("closed")
    screenshot(page, "round")
    assert horizontal_overflow(page) <= 0
    screenshot(page, "round")
    page.goto(f"{live_server.url}/rounds/")
    assert horizontal_overflow(page) <= 0
