"""Security in the browser: the Content-Security-Policy blocks inline script (and the journeys'
check notices it), and a new secretary sets up the second factor at first sign-in."""

import re

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from resolutions.models import User

from ..conftest import make_user
from .conftest import current_code, screenshot, serious_accessibility_violations, sign_in


def test_the_policy_blocks_inline_script_and_the_check_sees_it(
    page, live_server, viewer, csp_violations
):
    sign_in(page, live_server, viewer.username)
    page.goto(f"{live_server.url}/resolutions/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__ran = true"; document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__ran === undefined")
    assert any("script-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()  # seen; the journey itself had none


def test_a_new_secretary_sets_up_the_second_factor_at_first_sign_in(page, live_server, db):
    make_user("nina-new-secretary", User.Role.SECRETARY, second_factor=False)
    sign_in(page, live_server, "nina-new-secretary")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/enrol/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a second factor")
    expect(page.get_by_role("img", name="QR code for the authenticator app")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, "two-factor-enrol")

    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.locator(".error-summary")).to_contain_text("That code is not right")

    device = TOTPDevice.objects.get(user__username="nina-new-secretary")
    page.wait_for_timeout(2100)  # django-otp slows guessing down after a failure
    page.get_by_label("Code", exact=True).fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    expect(page.get_by_test_id("backup-codes").locator("li")).to_have_count(10)
    screenshot(page, "two-factor-backup-codes")
    page.get_by_role("link", name="I have kept them, continue").click()
    page.goto(f"{live_server.url}/review/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review")


def test_a_secretary_enters_the_code_after_the_password(page, live_server, secretary):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(secretary.username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    assert serious_accessibility_violations(page) == []
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot(page, "two-factor-verify")
    page.get_by_label("Code", exact=True).fill(current_code())
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("link", name="Review")).to_be_visible()


def test_repeated_failures_pause_signing_in_with_a_clear_message(page, live_server, editor_ca):
    for _ in range(5):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(editor_ca.username)
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in paused")
    expect(page.get_by_role("alert")).to_contain_text("Signing in is paused for 15 minutes")
    assert serious_accessibility_violations(page) == []
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot(page, "sign-in-paused")
