"""A reader signs in and reads Resolution 493 in a real browser, wide and narrow."""

import pytest
from playwright.sync_api import expect

from .conftest import screenshot, serious_accessibility_violations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [1280, 375, 320])
def test_editor_reads_493_and_its_twelve_commitments(
    page, live_server, editor_ca, resolution_493, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, editor_ca.username)
    # An editor lands on their nation's workspace, and reaches the list through the menu.
    expect(page.get_by_role("heading", level=1)).to_have_text("Canada")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Resolutions").click()
    expect(page.get_by_role("heading", name="Resolutions")).to_be_visible()
    screenshot(page, "resolution-list")

    page.get_by_role("link", name="Galvanising Technological Advance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Galvanising Technological Advance to Support Allied Prosperity and Security"
    )
    expect(page.locator("li.commitment")).to_have_count(12)
    expect(page.locator("#commitment-25\\.e")).to_contain_text("to coordinate export controls")
    screenshot(page, "resolution-493")

    # Nothing overflows sideways on a small screen.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert serious_accessibility_violations(page) == []


def test_skip_link_is_first_and_moves_focus_to_the_content(
    page, live_server, viewer, resolution_493
):
    sign_in(page, live_server, viewer.username)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_login_page_passes_axe_and_a_wrong_password_is_announced(page, live_server, viewer):
    page.goto(f"{live_server.url}/resolutions/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/resolutions/")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Username").fill(viewer.username)
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("did not match")
    screenshot(page, "login-error")
