"""A person creates an API token under Preferences, sees it once, uses it, and revokes it."""

import pytest
import requests
from playwright.sync_api import expect

from .conftest import screenshot, serious_accessibility_violations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [1280, 375])
def test_a_token_is_created_shown_once_used_and_revoked(page, live_server, editor_ca, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, editor_ca.username)
    page.goto(f"{live_server.url}/preferences/")
    page.get_by_label("Token name").fill("Ministry reporting script")
    page.get_by_label("Expires").select_option(label="In 90 days")
    page.get_by_role("button", name="Create a token").click()
    raw = page.get_by_role("textbox", name="Token").input_value()
    assert raw.startswith("rct_")
    screenshot(page, "api-token-created")
    assert serious_accessibility_violations(page) == []

    api = f"{live_server.url}/api/v1/rounds/"
    assert requests.get(api, headers={"Authorization": f"Bearer {raw}"}, timeout=10).ok

    page.get_by_role("link", name="Back to your preferences").click()
    expect(page.get_by_text(raw)).to_have_count(0)  # never shown again
    expect(page.get_by_text(f"{raw[:12]}…")).to_be_visible()
    screenshot(page, "api-tokens-preferences")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Revoke Ministry reporting script").click()
    expect(page.get_by_text("The token was revoked")).to_be_visible()
    refused = requests.get(api, headers={"Authorization": f"Bearer {raw}"}, timeout=10)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "authentication_failed"


def test_the_api_documentation_renders_under_the_content_security_policy(
    page, live_server, editor_ca
):
    """Swagger UI is served from static files (no CDN) and works with the site's CSP: the
    autouse check of tests/e2e/conftest.py fails the test on any violation."""
    sign_in(page, live_server, editor_ca.username)
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible(timeout=20_000)
    expect(page.get_by_text("/api/v1/actions/").first).to_be_visible()
    screenshot(page, "api-docs")
