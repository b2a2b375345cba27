"""The audit trail of security events: what is recorded, who sees it, how long it is kept."""

from datetime import timedelta

from django.utils import timezone

from resolutions.models import SecurityEvent, User
from resolutions.security.tasks import delete_old_security_events

Kind = SecurityEvent.Kind


def test_sign_in_failure_and_sign_out_are_recorded_with_address_and_browser(client, editor_ca):
    client.post(
        "/accounts/login/",
        {"username": editor_ca.username, "password": "wrong"},
        REMOTE_ADDR="192.0.2.10",
        HTTP_USER_AGENT="Firefox/140",
    )
    client.post(
        "/accounts/login/",
        {"username": editor_ca.username, "password": "pw"},
        REMOTE_ADDR="192.0.2.10",
        HTTP_USER_AGENT="Firefox/140",
    )
    client.post("/accounts/logout/", REMOTE_ADDR="192.0.2.10")
    events = list(SecurityEvent.objects.order_by("at", "pk"))
    assert [e.kind for e in events] == [Kind.SIGN_IN_FAILED, Kind.SIGN_IN, Kind.SIGN_OUT]
    failed, signed_in, _ = events
    assert (failed.username, failed.user, failed.ip_address) == (
        editor_ca.username,
        None,
        "192.0.2.10",
    )
    assert (signed_in.user, signed_in.user_agent) == (editor_ca, "Firefox/140")


def test_a_failure_for_an_unknown_name_keeps_the_name_typed(client, db):
    client.post("/accounts/login/", {"username": "mallory", "password": "x"})
    event = SecurityEvent.objects.get()
    assert (event.kind, event.username, event.user) == (Kind.SIGN_IN_FAILED, "mallory", None)


def test_a_role_or_delegation_change_in_the_admin_is_recorded(client, admin_user, viewer):
    client.force_login(admin_user)
    viewer.role = User.Role.SECRETARY
    # Through the admin's change form, as an administrator does it.
    response = client.post(
        f"/admin/resolutions/user/{viewer.pk}/change/",
        {
            "username": viewer.username,
            "email": viewer.email,
            "role": User.Role.SECRETARY,
            "delegation": "",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = SecurityEvent.objects.get(kind=Kind.ROLE_CHANGED)
    assert event.user == viewer
    assert "viewer -> secretary" in event.detail and admin_user.username in event.detail


def test_saving_a_user_without_changing_the_role_records_nothing(viewer):
    viewer.first_name = "Vera"
    viewer.save()
    viewer.save(update_fields=["last_login"])
    assert not SecurityEvent.objects.filter(kind=Kind.ROLE_CHANGED).exists()


def test_a_full_export_is_recorded(client, secretary, resolution_493):
    client.force_login(secretary)
    response = client.get("/reports/export/?scope=all&format=csv")
    assert response.status_code in (200, 302)
    event = SecurityEvent.objects.get(kind=Kind.FULL_EXPORT)
    assert (event.user, event.detail) == (secretary, "csv")


def test_only_administrators_read_the_trail_and_nobody_edits_it(client, admin_user, secretary):
    SecurityEvent.objects.create(kind=Kind.SIGN_IN, username="someone")
    client.force_login(admin_user)
    page = client.get("/admin/resolutions/securityevent/")
    assert page.status_code == 200 and "someone" in page.content.decode()
    event = SecurityEvent.objects.first()
    assert client.get(f"/admin/resolutions/securityevent/{event.pk}/delete/").status_code == 403
    assert client.get("/admin/resolutions/securityevent/add/").status_code == 403
    client.force_login(secretary)
    assert client.get("/admin/resolutions/securityevent/").status_code == 302  # not staff


def test_events_are_kept_for_the_configured_time(db, settings):
    settings.SECURITY_EVENTS_KEEP_DAYS = 30
    old = SecurityEvent.objects.create(
        kind=Kind.SIGN_IN, username="old", at=timezone.now() - timedelta(days=31)
    )
    recent = SecurityEvent.objects.create(
        kind=Kind.SIGN_IN, username="recent", at=timezone.now() - timedelta(days=29)
    )
    assert delete_old_security_events() == 1
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()
    assert SecurityEvent.objects.filter(pk=recent.pk).exists()
