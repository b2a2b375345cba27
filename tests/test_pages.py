"""The resolution pages as a signed-in reader sees them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resolutions.importing import import_resolution
from resolutions.parsing import parse_resolution

pytestmark = pytest.mark.django_db


def test_resolution_page_shows_the_twelve_commitments_with_full_texts(
    client, viewer, resolution_493
):
    client.force_login(viewer)
    response = client.get("/resolutions/resolution/493/")
    html = response.content.decode()
    assert response.status_code == 200
    for commitment in resolution_493.commitments.all():
        assert f'id="commitment-{commitment.label}"' in html
    assert html.count('class="commitment"') == 12
    assert (
        "to allocate public funding needed to underwrite technological advances with military "
        "applications, in line with the renewed commitment to defence and investment spending "
        "adopted at the 2023 Vilnius Summit and reiterated at the 2024 Washington Summit."
    ) in html
    assert "Economics and Security Committee" in html
    assert "70th Annual Session, Montréal, Canada" in html
    assert "<strong>URGES</strong> the governments and parliaments of the North Atlantic" in html
    assert "<strong>Stressing</strong> that maintaining NATO" in html


def test_resolution_list_links_each_resolution(client, viewer, resolution_493):
    client.force_login(viewer)
    html = client.get("/resolutions/").content.decode()
    assert 'href="/resolutions/resolution/493/"' in html
    assert "Galvanising Technological Advance" in html


def test_text_from_the_file_is_shown_escaped(client, viewer, text_493):
    hostile = text_493.replace("i. to strengthen", "i. <script>alert(1)</script> to strengthen")
    import_resolution(parse_resolution(hostile), hostile)
    client.force_login(viewer)
    html = client.get("/resolutions/resolution/493/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_pages_make_a_constant_number_of_queries(client, viewer, resolution_493, text_493):
    client.force_login(viewer)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    detail_one, list_one = count("/resolutions/resolution/493/"), count("/resolutions/")
    # A second resolution with two more operative paragraphs and 18 commitments in all.
    bigger = text_493.replace("RESOLUTION 493", "RESOLUTION 494") + (
        "\n26. **CALLS UPON** the member parliaments of the Alliance:\n\n"
        "- a. to hold hearings on export controls;\n"
        "- b. to question their governments on sanctions enforcement;\n"
        "- c. to report on supply chain security;\n"
        "- d. to fund research security offices;\n"
        "- e. to share lessons learned with partners;\n\n"
        "27. **ENCOURAGES** the NATO Secretary General to report on DIANA every year.\n"
    )
    import_resolution(parse_resolution(bigger), bigger)
    assert count("/resolutions/resolution/494/") == detail_one
    assert count("/resolutions/") == list_one


def test_sign_in_with_a_wrong_password_says_so(client, viewer):
    response = client.post("/accounts/login/", {"username": viewer.username, "password": "no"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert 'value="vera-viewer"' in response.content.decode()  # what was typed is kept


def test_sign_in_then_out(client, viewer):
    response = client.post("/accounts/login/", {"username": viewer.username, "password": "pw"})
    assert response.status_code == 302
    assert client.get("/resolutions/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/resolutions/").status_code == 302
