"""The site's own error pages, and what a failed sign-in tells assistive technology."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db

RUN_LOCAL = Path(__file__).resolve().parent.parent / "scripts" / "run-local.sh"


def test_an_unknown_address_gets_the_sites_404_page(client, viewer):
    client.force_login(viewer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<title>Page not found · NATO PA</title>" in page
    assert 'class="site-header"' in page and "Sign out" in page  # the site's layout
    assert "URLconf" not in page  # not Django's technical page


def test_403_and_500_pages_use_the_layout():
    request = RequestFactory().get("/")
    forbidden = defaults.permission_denied(request, PermissionDenied())
    assert forbidden.status_code == 403
    assert "Not allowed" in forbidden.content.decode()
    error = defaults.server_error(request)
    assert error.status_code == 500
    page = error.content.decode()
    assert "Something went wrong" in page and 'class="site-header"' in page


def test_a_failed_sign_in_marks_both_fields_invalid(client, viewer):
    response = client.post("/accounts/login/", {"username": viewer.username, "password": "no"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('aria-invalid="true"') == 2
    assert 'aria-describedby="error-summary"' in page
    assert "<title>Error: Sign in" in page


def test_a_first_sign_in_page_marks_nothing_invalid(client):
    assert "aria-invalid" not in client.get("/accounts/login/").content.decode()


def test_make_run_serves_on_port_and_points_links_there():
    script = RUN_LOCAL.read_text()
    assert "PORT=${PORT:-8000}" in script
    assert "export SITE_URL=${SITE_URL:-http://$HOST:$PORT}" in script
    assert "export DEBUG=${DEBUG:-false}" in script
