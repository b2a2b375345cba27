"""Pages and text downloads are sent gzipped to browsers that accept it; files that are binary or
compressed already (PDF, DOCX, XLSX) are sent as they are. BREACH: docs/compression.md."""

import gzip

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_a_page_is_gzipped_when_the_browser_accepts_it(client, secretary, resolution_493):
    client.force_login(secretary)
    plain = client.get(reverse("matrix"))
    assert "Content-Encoding" not in plain
    packed = client.get(reverse("matrix"), headers=GZIP)
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content)
    assert html.startswith(b"<!DOCTYPE html>") and b"25.e" in html
    assert len(packed.content) * 3 < len(plain.content)


def test_the_csrf_token_differs_on_every_response(client, secretary, resolution_493):
    """Django masks the token afresh on each response, so a compressed page does not repeat a
    secret an attacker could guess byte by byte (BREACH)."""
    client.force_login(secretary)
    first = client.get(reverse("preferences"), headers=GZIP)
    second = client.get(reverse("preferences"), headers=GZIP)

    def token(response):
        html = gzip.decompress(response.content).decode()
        start = html.index('name="csrfmiddlewaretoken" value="') + len(
            'name="csrfmiddlewaretoken" value="'
        )
        return html[start : html.index('"', start)]

    assert token(first) != token(second)


def test_reports_that_are_compressed_already_are_sent_as_they_are(
    client, secretary, resolution_493
):
    client.force_login(secretary)
    query = {"scope": "resolution", "id": resolution_493.pk}
    for fmt in ("pdf", "xlsx", "docx"):
        response = client.get(reverse("report-export"), {**query, "format": fmt}, headers=GZIP)
        assert response.status_code == 200
        assert "Content-Encoding" not in response, fmt
    csv = client.get(reverse("report-export"), {**query, "format": "csv"}, headers=GZIP)
    assert csv["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(csv.streaming_content)).startswith("\ufeffAction ID".encode())
