"""The REST API: tokens, the pages' rules, optimistic locking, filters, pages, errors, limits."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from resolutions import actions, permissions
from resolutions.api.tokens import create_token, token_for
from resolutions.models import ActionRevision, ApiToken, ImplementationStatus, NationalAction

from .conftest import make_action, minimal_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # the request counts of the throttle live in the cache
    yield
    cache.clear()


def bearer(user, **extra):
    _token, raw = create_token(user, "test", **extra)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def draft(commitment_25e, canada, editor_ca):
    return make_action(commitment_25e, canada, editor_ca, title="Draft law")


@pytest.fixture
def accepted(commitment_25e, canada, editor_ca, secretary):
    action = make_action(commitment_25e, canada, editor_ca, title="Accepted law", stage="planned")
    actions.submit_action(action, by=editor_ca)
    return actions.accept_action(action, by=secretary)


def error_of(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body["error"]) >= {"status", "code", "message"}
    assert body["error"]["status"] == status
    return body


# --- Tokens --------------------------------------------------------------------------------


def test_a_token_is_shown_once_and_stored_hashed(client, editor_ca):
    client.force_login(editor_ca)
    response = client.post(
        reverse("api-token-create"), {"name": "Ministry script", "expires": "30"}
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    raw = response.context["raw"]
    assert raw.startswith("rct_") and raw in response.content.decode()
    token = ApiToken.objects.get(user=editor_ca)
    assert raw not in (token.key_hash, token.prefix) and len(token.key_hash) == 64
    assert 29 <= (token.expires_at - timezone.now()).days <= 30
    assert token_for(raw) == token
    page = client.get(reverse("preferences")).content.decode()
    assert f"rct_{token.prefix}…" in page and raw not in page
    from resolutions.models import SecurityEvent

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.API_TOKEN)
    assert (
        event.user == editor_ca and event.detail == f"created Ministry script (rct_{token.prefix}…)"
    )
    assert raw not in event.detail


def test_a_token_needs_a_name(client, editor_ca):
    client.force_login(editor_ca)
    response = client.post(reverse("api-token-create"), {"name": "", "expires": "30"})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_revoked_expired_and_unknown_tokens_are_refused(client, editor_ca, viewer):
    url = reverse("api:resolution-list")
    token, raw = create_token(editor_ca, "script")
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    client.force_login(viewer)  # someone else cannot revoke it
    assert client.post(reverse("api-token-revoke", kwargs={"pk": token.pk})).status_code == 404
    client.force_login(editor_ca)
    assert client.post(reverse("api-token-revoke", kwargs={"pk": token.pk})).status_code == 302
    from resolutions.models import SecurityEvent

    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.API_TOKEN, user=editor_ca, detail__startswith="revoked script"
    ).exists()
    # Revoked already: nothing more to do, nothing recorded.
    assert client.post(reverse("api-token-revoke", kwargs={"pk": token.pk})).status_code == 404
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.API_TOKEN).count() == 1
    client.logout()
    body = error_of(client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}"), 401)
    assert "revoked" in body["error"]["message"]
    _old, expired = create_token(
        editor_ca, "old", expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    error_of(client.get(url, HTTP_AUTHORIZATION=f"Bearer {expired}"), 401)
    error_of(client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw[:-3]}abc"), 401)
    error_of(client.get(url, HTTP_AUTHORIZATION="Bearer nonsense"), 401)
    response = error_of(client.get(url), 401)
    assert response["error"]["code"] == "not_authenticated"


def test_administrators_list_and_revoke_tokens_without_seeing_a_secret(
    client, admin_user, editor_ca, secretary
):
    from resolutions.models import SecurityEvent

    token, raw = create_token(editor_ca, "Ministry script")
    _other, other_raw = create_token(editor_ca, "Old script")
    client.force_login(admin_user)
    changelist = "/admin/resolutions/apitoken/"
    for url in (changelist, f"{changelist}{token.pk}/change/"):
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        assert "Ministry script" in text and f"rct_{token.prefix}…" in text
        assert editor_ca.username in text
        for secret in (raw, other_raw, token.key_hash, raw.split("_", 2)[2]):
            assert secret not in text, url
    assert client.get(f"{changelist}add/").status_code == 403
    response = client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token_for(raw) is None
    assert token_for(other_raw) is not None  # only the chosen one
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.API_TOKEN)
    assert event.user == editor_ca and admin_user.username in event.detail
    revoked = client.get(changelist, {"state": "revoked"}).content.decode()
    assert "Ministry script" in revoked and "Old script" not in revoked
    client.force_login(secretary)
    assert client.get(changelist).status_code == 302  # not staff


def test_no_credentials_answers_401_with_the_scheme(client):
    response = client.get(reverse("api:action-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_browser_session_works_too(client, viewer, resolution_493):
    client.force_login(viewer)
    response = client.get(reverse("api:resolution-list"))
    assert response.status_code == 200
    assert response.json()["results"][0]["number"] == 493


# --- The pages' rules ----------------------------------------------------------------------


def test_another_nations_drafts_are_404(client, draft, editor_ca, editor_fr):
    url = reverse("api:action-detail", kwargs={"pk": draft.pk})
    assert client.get(url, **bearer(editor_ca)).json()["title"] == "Draft law"
    error_of(client.get(url, **bearer(editor_fr)), 404)
    listed = client.get(reverse("api:action-list"), **bearer(editor_fr)).json()["results"]
    assert draft.pk not in [a["id"] for a in listed]


def test_editors_create_actions_for_their_own_nation_only(
    client, commitment_25e, editor_ca, editor_fr, viewer, secretary
):
    body = {"commitment": commitment_25e.pk, "nation": "ca", "title": "AI audit fund",
            "action_type": "funding", "actor": "government", "stage": "planned"}  # fmt: skip
    for person in (editor_fr, viewer, secretary):
        error_of(client.post(reverse("api:action-list"), body, content_type="application/json",
                             **bearer(person)), 404)  # fmt: skip
    response = client.post(reverse("api:action-list"), body, content_type="application/json",
                           **bearer(editor_ca))  # fmt: skip
    assert response.status_code == 201
    created = NationalAction.objects.get(pk=response.json()["id"])
    assert (created.member.code, created.review_state, created.author) == ("CA", "draft", editor_ca)
    assert created.history.first().history_change_reason == "api"


def test_bad_input_is_400_with_the_fields(client, commitment_25e, editor_ca):
    body = {"commitment": commitment_25e.pk, "nation": "CA", "title": "",
            "action_type": "bribery", "actor": "government", "stage": "planned"}  # fmt: skip
    response = client.post(reverse("api:action-list"), body, content_type="application/json",
                           **bearer(editor_ca))  # fmt: skip
    fields = error_of(response, 400)["error"]["fields"]
    assert set(fields) == {"title", "action_type"}
    assert not NationalAction.objects.exists()
    body.update(title="Fine", action_type="funding", commitment=999999)
    error_of(client.post(reverse("api:action-list"), body, content_type="application/json",
                         **bearer(editor_ca)), 404)  # fmt: skip


def test_a_stale_write_is_409_with_the_current_object(client, draft, editor_ca):
    url = reverse("api:action-detail", kwargs={"pk": draft.pk})
    auth = bearer(editor_ca)
    ok = client.patch(
        url, {"title": "Renamed", "version": 1}, content_type="application/json", **auth
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(url, {"title": "From an old copy", "version": 1},
                         content_type="application/json", **auth)  # fmt: skip
    body = error_of(stale, 409)
    assert body["error"]["code"] == "stale_edit"
    assert body["current"]["title"] == "Renamed" and body["current"]["version"] == 2
    error_of(
        client.patch(url, {"title": "No version"}, content_type="application/json", **auth), 400
    )
    draft.refresh_from_db()
    assert draft.title == "Renamed"
    # A draft is changed in place: no revision is opened for it.
    assert ok.json()["revision"] is None and not ActionRevision.objects.exists()


def test_submit_then_changes_are_refused_with_409(client, draft, editor_ca, editor_fr):
    auth = bearer(editor_ca)
    error_of(
        client.post(reverse("api:action-submit", kwargs={"pk": draft.pk}), **bearer(editor_fr)), 404
    )
    submitted = client.post(reverse("api:action-submit", kwargs={"pk": draft.pk}), **auth)
    assert submitted.json()["review_state"] == "submitted"
    url = reverse("api:action-detail", kwargs={"pk": draft.pk})
    body = error_of(client.patch(url, {"title": "Late", "version": 2},
                                 content_type="application/json", **auth), 409)  # fmt: skip
    assert body["error"]["code"] == "not_editable"
    error_of(client.post(reverse("api:action-submit", kwargs={"pk": draft.pk}), **auth), 409)
    # Waiting for review is not accepted: no revision either, the action stays as submitted.
    assert not ActionRevision.objects.exists()
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Draft law", 2)


# --- Revisions of accepted actions -----------------------------------------------------------


def patch(client, action, body, auth):
    url = reverse("api:action-detail", kwargs={"pk": action.pk})
    return client.patch(url, body, content_type="application/json", **auth)


def test_a_change_to_an_accepted_action_is_a_revision_for_review(
    client, accepted, editor_ca, editor_fr, viewer, secretary
):
    response = patch(
        client, accepted, {"title": "Amended law", "version": accepted.version}, bearer(editor_ca)
    )
    assert response.status_code == 202, response.content
    body = response.json()
    # The answer is the action as accepted, with the change waiting beside it.
    assert (body["title"], body["review_state"], body["version"]) == (
        "Accepted law", "accepted", accepted.version
    )  # fmt: skip
    revision = body["revision"]
    assert (revision["title"], revision["stage"], revision["state"]) == (
        "Amended law", "planned", "pending"
    )  # fmt: skip
    # A revision's versions count on from the action's (never the same number).
    assert (revision["version"], revision["base_version"]) == (
        accepted.version + 1, accepted.version
    )  # fmt: skip
    saved = ActionRevision.objects.get()
    assert (saved.action, saved.title, saved.author) == (accepted, "Amended law", editor_ca)
    assert saved.history.first().history_change_reason == "api"
    before = accepted.version
    accepted.refresh_from_db()
    assert (accepted.title, accepted.version, accepted.review_state) == (
        "Accepted law", before, "accepted"
    )  # fmt: skip
    assert accepted in permissions.review_queue(secretary)
    # Everyone else reads the accepted action and is not told a revision exists.
    url = reverse("api:action-detail", kwargs={"pk": accepted.pk})
    for person in (editor_fr, viewer):
        read = client.get(url, **bearer(person)).json()
        assert (read["title"], read["revision"]) == ("Accepted law", None)
        listed = client.get(reverse("api:action-list"), **bearer(person)).json()["results"]
        assert [(a["title"], a["revision"]) for a in listed] == [("Accepted law", None)]
    assert client.get(url, **bearer(secretary)).json()["revision"]["title"] == "Amended law"


def test_an_edit_from_the_actions_version_never_lands_on_a_revision(
    client, accepted, editor_ca, secretary
):
    """While a revision is open, an edit made from the accepted action's version is refused with
    the revision to merge, at every step of the revision's life (returned, resubmitted): the
    revision's number never reaches the action's."""
    auth = bearer(editor_ca)
    action_version = accepted.version
    assert patch(client, accepted, {"title": "First", "version": action_version},
                 auth).status_code == 202  # fmt: skip
    for step in range(4):
        stale = error_of(
            patch(client, accepted, {"title": f"Stale {step}", "version": action_version}, auth),
            409,
        )
        assert stale["error"]["code"] == "stale_edit"
        revision = ActionRevision.objects.get()
        assert revision.title == "First" and revision.version != action_version
        if revision.state == ActionRevision.State.PENDING:
            actions.return_revision(revision, "Again.", by=secretary)
        else:
            values = {name: getattr(revision, name) for name in actions.ACTION_FIELDS}
            actions.revise_action(accepted, values, version=revision.version, by=editor_ca)


def test_a_second_change_goes_to_the_open_revision_with_its_version(
    client, accepted, editor_ca, secretary
):
    auth = bearer(editor_ca)
    action_version = accepted.version
    assert patch(client, accepted, {"title": "Amended law", "version": action_version},
                 auth).status_code == 202  # fmt: skip
    # The action's version no longer guards anything: the open revision's does.
    stale = error_of(patch(client, accepted, {"stage": "completed", "version": action_version},
                           auth), 409)  # fmt: skip
    assert stale["error"]["code"] == "stale_edit"
    assert stale["current"]["title"] == "Accepted law"
    assert stale["current"]["revision"]["title"] == "Amended law"
    opened = action_version + 1  # a revision's versions count on from the action's
    assert stale["current"]["revision"]["version"] == opened
    assert ActionRevision.objects.get().stage == "planned"
    # With the revision's version, the change goes onto it; fields left out keep its values.
    second = patch(client, accepted, {"stage": "completed", "version": opened}, auth)
    assert second.status_code == 202, second.content
    revision = second.json()["revision"]
    assert (revision["title"], revision["stage"], revision["version"]) == (
        "Amended law", "completed", opened + 1
    )  # fmt: skip
    assert ActionRevision.objects.count() == 1
    # A returned revision changed again goes back for review.
    actions.return_revision(ActionRevision.objects.get(), "Cite the gazette.", by=secretary)
    again = patch(
        client, accepted, {"description": "Gazette 2025/14.", "version": opened + 2}, auth
    )
    assert again.status_code == 202, again.content
    saved = ActionRevision.objects.get()
    assert (saved.state, saved.version, saved.description) == (
        "pending", opened + 3, "Gazette 2025/14."
    )  # fmt: skip
    accepted.refresh_from_db()
    assert (accepted.title, accepted.stage, accepted.version) == (
        "Accepted law", "planned", action_version
    )  # fmt: skip
    # Once the secretariat accepts it, everyone reads the new values.
    actions.accept_revision(saved, by=secretary)
    read = client.get(reverse("api:action-detail", kwargs={"pk": accepted.pk}), **auth).json()
    assert (read["title"], read["stage"], read["revision"]) == ("Amended law", "completed", None)


def test_a_full_put_on_an_accepted_action_is_a_revision_too(client, accepted, editor_ca):
    body = {"title": "Rewritten", "description": "", "action_type": "funding",
            "actor": "government", "date": "2025-03-01", "stage": "completed",
            "version": accepted.version}  # fmt: skip
    url = reverse("api:action-detail", kwargs={"pk": accepted.pk})
    response = client.put(url, body, content_type="application/json", **bearer(editor_ca))
    assert response.status_code == 202, response.content
    saved = ActionRevision.objects.get()
    assert (saved.title, saved.action_type, saved.date.isoformat()) == (
        "Rewritten", "funding", "2025-03-01"
    )  # fmt: skip
    accepted.refresh_from_db()
    assert (accepted.title, accepted.action_type) == ("Accepted law", "legislation")


def test_only_the_nations_editors_revise_and_only_valid_values(
    client, accepted, editor_fr, viewer, secretary, editor_ca
):
    body = {"title": "Not yours", "version": accepted.version}
    for person in (editor_fr, viewer, secretary):
        error_of(patch(client, accepted, body, bearer(person)), 404)
    fields = error_of(patch(client, accepted, {"action_type": "bribery", "version": 3},
                            bearer(editor_ca)), 400)["error"]["fields"]  # fmt: skip
    assert set(fields) == {"action_type"}
    error_of(patch(client, accepted, {"title": "No version"}, bearer(editor_ca)), 400)
    assert not ActionRevision.objects.exists()
    accepted.refresh_from_db()
    assert accepted.title == "Accepted law"


def test_statuses_are_set_with_their_version(client, commitment_25e, canada, editor_ca, editor_fr):
    url = reverse("api:status-list")
    body = {"commitment": commitment_25e.pk, "nation": "CA", "status": "in_progress",
            "justification": "", "version": 0}  # fmt: skip
    error_of(client.post(url, body, content_type="application/json", **bearer(editor_fr)), 404)
    auth = bearer(editor_ca)
    assert client.post(url, body, content_type="application/json", **auth).json()["version"] == 1
    stale = error_of(client.post(url, body, content_type="application/json", **auth), 409)
    assert stale["current"]["status"] == "in_progress" and stale["current"]["version"] == 1
    body.update(status="implemented", version=1)
    assert "justification" in str(error_of(
        client.post(url, body, content_type="application/json", **auth), 400))  # fmt: skip
    assert ImplementationStatus.objects.get(member=canada).version == 1


def test_evidence_files_download_through_the_permission_checked_view(
    client, draft, editor_ca, editor_fr
):
    pdf = SimpleUploadedFile("proof.pdf", minimal_pdf(), content_type="application/pdf")
    evidence = actions.add_evidence_file(draft, pdf, {}, by=editor_ca)
    link = actions.add_evidence_link(draft, "https://example.org/law", {}, by=editor_ca)
    auth = bearer(editor_ca)
    listed = client.get(reverse("api:evidence-list"), {"action": draft.pk}, **auth).json()
    by_id = {e["id"]: e for e in listed["results"]}
    assert (
        by_id[link.pk]["download_url"] is None
        and by_id[link.pk]["url"] == "https://example.org/law"
    )
    download = by_id[evidence.pk]["download_url"]
    assert download.endswith(reverse("api:evidence-download", kwargs={"pk": evidence.pk}))
    response = client.get(download, **auth)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    error_of(client.get(download, **bearer(editor_fr)), 404)
    error_of(client.get(reverse("api:evidence-download", kwargs={"pk": link.pk}), **auth), 404)


def test_commitments_carry_their_texts(client, viewer, commitment_25e):
    commitment_25e.text_fr = "renforcer les contrôles à l'exportation"
    commitment_25e.save()
    body = client.get(reverse("api:commitment-detail", kwargs={"pk": commitment_25e.pk}),
                      **bearer(viewer)).json()  # fmt: skip
    assert body["label"] == "25.e" and body["text"] == commitment_25e.text
    assert body["clause"] == 25
    assert body["text_fr"] == "renforcer les contrôles à l'exportation"
    assert body["addressees_fr"] == commitment_25e.clause.addressees_fr


# --- Filters, pages, limits ----------------------------------------------------------------


def test_filters_by_nation_review_state_resolution_and_date(
    client, draft, commitment_25e, france, editor_fr, editor_ca, secretary
):
    theirs = make_action(commitment_25e, france, editor_fr, title="Loi")
    actions.submit_action(theirs, by=editor_fr)
    actions.submit_action(draft, by=editor_ca)
    auth = bearer(secretary)
    url = reverse("api:action-list")

    def titles(**params):
        return sorted(a["title"] for a in client.get(url, params, **auth).json()["results"])

    assert titles(nation="fr") == ["Loi"]
    assert titles(review_state="submitted") == ["Draft law", "Loi"]
    assert titles(resolution=commitment_25e.resolution_id, nation="CA") == ["Draft law"]
    assert titles(updated_since=(timezone.now() + datetime.timedelta(hours=1)).isoformat()) == []
    for bad in ({"review_state": "lost"}, {"updated_since": "yesterday"}, {"resolution": "x"}):
        error_of(client.get(url, bad, **auth), 400)


def test_pages_follow_a_cursor(client, viewer, resolution_493):
    auth = bearer(viewer)
    first = client.get(reverse("api:commitment-list"), {"page_size": 5}, **auth).json()
    assert len(first["results"]) == 5 and first["next"]
    second = client.get(first["next"], **auth).json()
    assert {c["id"] for c in first["results"]}.isdisjoint({c["id"] for c in second["results"]})
    error_of(client.get(reverse("api:commitment-list"), {"cursor": "bad"}, **auth), 404)


def test_requests_are_limited_per_token(client, viewer, editor_ca, settings):
    settings.API_RATE_LIMIT = "2/minute"
    url = reverse("api:round-list")
    auth = bearer(viewer)
    assert [client.get(url, **auth).status_code for _ in range(2)] == [200, 200]
    limited = client.get(url, **auth)
    body = error_of(limited, 429)
    assert body["error"]["code"] == "throttled" and int(limited["Retry-After"]) > 0
    assert client.get(url, **bearer(editor_ca)).status_code == 200  # another token, its own count


@pytest.mark.parametrize(
    "name",
    [
        "api:action-list",
        "api:evidence-list",
        "api:status-list",
        "api:commitment-list",
        "api:resolution-list",
        "api:round-list",
    ],
)
def test_list_endpoints_make_the_same_number_of_queries_for_1_and_100_objects(
    client, name, editor_ca, canada, resolution_493
):
    from resolutions.models import Commitment, Evidence, Member, ReportingRound

    client.force_login(editor_ca)
    commitment = resolution_493.commitments.first()

    def grow(to):
        if name == "api:action-list":
            while NationalAction.objects.count() < to:
                make_action(commitment, canada, editor_ca)
        elif name == "api:evidence-list":
            action = NationalAction.objects.first() or make_action(commitment, canada, editor_ca)
            while Evidence.objects.count() < to:
                n = Evidence.objects.count()
                actions.add_evidence_link(action, f"https://example.org/{n}", {}, by=editor_ca)
        elif name == "api:status-list":
            # Every nation's statuses are read by everyone: 100 across 12 commitments.
            pairs = [
                (c, m) for m in Member.objects.order_by("pk") for c in Commitment.objects.all()
            ]
            for c, m in pairs[ImplementationStatus.objects.count() : to]:
                actions.set_status(c, m, "in_progress", "", version=0, by=editor_ca)
        elif name == "api:commitment-list" or name == "api:resolution-list":
            pass  # 12 commitments, 1 resolution: the page's query shape is what is pinned
        else:
            while ReportingRound.objects.count() < to:
                ReportingRound.objects.create(name="R", deadline="2027-01-01").resolutions.add(
                    resolution_493
                )

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name), {"page_size": 200})
        assert response.status_code == 200
        return len(queries), len(response.json()["results"])

    grow(1)
    few, shown = count()
    grow(100)
    many, shown_many = count()
    assert few == many, (few, many)
    if name in {"api:action-list", "api:evidence-list", "api:round-list", "api:status-list"}:
        assert (shown, shown_many) == (1, 100)
    assert many <= 6


def test_schema_is_openapi_3_1_and_docs_are_served_without_a_cdn(client, viewer):
    client.force_login(viewer)
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    assert schema["openapi"] == "3.1.0"
    assert "/api/v1/actions/{id}/submit/" in schema["paths"]
    assert "409" in schema["paths"]["/api/v1/actions/{id}/"]["patch"]["responses"]
    for method in ("put", "patch"):
        assert "202" in schema["paths"]["/api/v1/actions/{id}/"][method]["responses"]
    assert "revision" in schema["components"]["schemas"]["NationalAction"]["properties"]
    docs = client.get(reverse("api:docs")).content.decode()
    assert "/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js" in docs
    assert "https://" not in docs.split("<body>")[0]
    assert client.get("/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js").status_code in {
        200,
        404,
    }


def test_the_history_says_a_change_came_through_the_api(client, draft, editor_ca):
    from resolutions.history import action_timeline

    url = reverse("api:action-detail", kwargs={"pk": draft.pk})
    client.patch(url, {"stage": "planned", "version": 1}, content_type="application/json",
                 **bearer(editor_ca))  # fmt: skip
    assert action_timeline(draft)[0].summary == "Action changed (through the API)"


def test_a_malformed_authorization_header_is_refused(client, editor_ca):
    _token, raw = create_token(editor_ca, "script")
    url = reverse("api:round-list")
    assert client.get(url, HTTP_AUTHORIZATION=f"Token {raw}").status_code == 200
    error_of(client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw} extra"), 401)
    # Another scheme is not ours: no token, no session, so 401.
    error_of(client.get(url, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz"), 401)


def test_updated_since_takes_any_offset_python_reads(client, draft, editor_ca):
    """PostgreSQL refuses offsets past ±15:59 in a query; they are turned into UTC first."""
    url = reverse("api:action-list")
    auth = bearer(editor_ca)
    for moment in ("2000-01-01T00:00:00+23:07", "8527-05-26T19:35:22+23:07",
                   "0945-09-23T06:47:44.244-19:14"):  # fmt: skip
        assert client.get(url, {"updated_since": moment}, **auth).status_code == 200, moment
    error_of(client.get(url, {"updated_since": "0001-01-01T00:00:00+23:00"}, **auth), 400)
