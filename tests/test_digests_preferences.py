"""The preferences page, the preview button, and the one-click unsubscribe link."""

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from resolutions import digests
from resolutions.models import DigestLog, DigestPreference

SITE = "https://tracker.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def frequency_of(user):
    return digests.preference_of(type(user).objects.get(pk=user.pk)).frequency


# --- Preferences -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_preferences_page_shows_the_defaults(client, editor_ca):
    client.force_login(editor_ca)
    page = client.get("/preferences/")
    assert page.status_code == 200
    html = page.text
    assert 'value="weekly" required id="id_frequency_1" checked' in html.replace("\n", "")
    assert '<option value="0" selected>Monday</option>' in html
    assert "Send me a preview now" in html
    assert 'href="/preferences/" aria-current="page"' in html  # the link in the header


@pytest.mark.django_db
def test_choosing_daily_is_saved(client, editor_ca):
    client.force_login(editor_ca)
    response = client.post("/preferences/", {"frequency": "daily", "weekday": "4"})
    assert response.status_code == 302
    saved = DigestPreference.objects.get(user=editor_ca)
    assert (saved.frequency, saved.weekday) == ("daily", 4)
    assert "Your digest preferences are saved." in client.get("/preferences/").text


@pytest.mark.django_db
def test_a_bad_choice_is_refused_and_nothing_is_saved(client, editor_ca):
    client.force_login(editor_ca)
    response = client.post("/preferences/", {"frequency": "hourly", "weekday": "9"})
    assert response.status_code == 422
    assert "Select a valid choice. hourly is not one of the available choices." in response.text
    assert not DigestPreference.objects.exists()


@pytest.mark.django_db
def test_preview_sends_the_digest_now_without_counting_it(client, editor_ca, resolution_493):
    client.force_login(editor_ca)
    response = client.post("/preferences/preview/", follow=True)
    assert "A preview with 12 items was sent to claire-ca@example.org." in response.text
    (message,) = mail.outbox
    assert message.subject == "[Preview] 12 items need your attention · Commitment Tracker"
    assert "It does not replace your weekly digest." in message.body
    assert not DigestLog.objects.exists()


@pytest.mark.django_db
def test_preview_says_so_when_there_is_nothing_to_say(client, viewer):
    client.force_login(viewer)
    response = client.post("/preferences/preview/", follow=True)
    assert "Nothing needs your attention right now, so no e-mail was sent." in response.text
    assert mail.outbox == []


# --- Unsubscribe -------------------------------------------------------------------------------


def unsubscribe_url(user):
    return f"/digests/unsubscribe/{digests.unsubscribe_token(user)}/"


@pytest.mark.django_db
def test_opening_the_link_asks_first_and_changes_nothing(editor_ca):
    page = Client().get(unsubscribe_url(editor_ca))  # not signed in, like a mail scanner
    assert page.status_code == 200
    assert "claire-ca@example.org gets a weekly reminder digest. Stop sending it?" in page.text
    assert '<button type="submit" class="button">Stop reminder digests</button>' in page.text
    assert frequency_of(editor_ca) == "weekly"


@pytest.mark.django_db
def test_confirming_turns_digests_off_without_signing_in(editor_ca):
    page = Client().post(unsubscribe_url(editor_ca))
    assert page.status_code == 200
    assert "Done: claire-ca@example.org will get no more reminder digests." in page.text
    assert frequency_of(editor_ca) == "off"
    again = Client().get(unsubscribe_url(editor_ca))
    assert "Reminder digests are already off for claire-ca@example.org." in again.text


@pytest.mark.django_db
def test_mail_clients_one_click_post_works_without_a_csrf_token(editor_ca):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        unsubscribe_url(editor_ca),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert frequency_of(editor_ca) == "off"


@pytest.mark.django_db
def test_a_tampered_link_is_refused_with_a_clear_message_and_changes_nothing(editor_ca, editor_fr):
    token = digests.unsubscribe_token(editor_ca)
    _value, rest = token.split(":", 1)
    forged = digests.unsubscribe_token(editor_fr).split(":", 1)[0] + ":" + rest  # someone else's id
    for bad in (forged, token[:-3], "not-a-token"):
        response = Client().post(f"/digests/unsubscribe/{bad}/")
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.text
        assert "Nothing was changed." in response.text
    assert frequency_of(editor_ca) == frequency_of(editor_fr) == "weekly"
    assert not DigestPreference.objects.exists()


@pytest.mark.django_db
def test_the_link_in_a_sent_digest_works(editor_ca, resolution_493):
    message = digests.build_message(digests.compose_digest(editor_ca, timezone.now()))
    path = message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix(SITE)
    assert Client().post(path).status_code == 200
    assert frequency_of(editor_ca) == "off"
