"""Delegation editors record national actions: create, edit (with conflicts), submit, delete."""

import pytest
from django.test import Client

from resolutions.models import NationalAction

from .conftest import ACTION_VALUES, make_action

pytestmark = pytest.mark.django_db


def form_data(**values):
    data = {**ACTION_VALUES, **values}
    return {k: ("" if v is None else v) for k, v in data.items()}


def create_url(commitment, code="CA"):
    return f"/nations/{code}/commitments/{commitment.pk}/actions/new/"


def test_editor_adds_an_action_as_a_draft(client, editor_ca, commitment_25e, canada):
    client.force_login(editor_ca)
    response = client.post(create_url(commitment_25e), form_data(date="2025-03-01"))
    action = NationalAction.objects.get()
    assert response.status_code == 302 and response.url == f"/actions/{action.pk}/"
    assert (action.member, action.commitment, action.author) == (canada, commitment_25e, editor_ca)
    assert action.review_state == "draft"
    assert action.date.isoformat() == "2025-03-01"
    assert action.history.get().history_user == editor_ca


def test_htmx_add_returns_the_refreshed_actions_section(client, editor_ca, commitment_25e):
    client.force_login(editor_ca)
    response = client.post(
        create_url(commitment_25e),
        form_data(title="Sanctions unit staffed"),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="actions-section"')
    assert "Sanctions unit staffed" in html
    assert "<html" not in html
    assert "data-autofocus" in html  # focus goes to the new action, not to <body>


def test_invalid_action_is_re_shown_with_what_was_typed(client, editor_ca, commitment_25e):
    client.force_login(editor_ca)
    response = client.post(
        create_url(commitment_25e),
        form_data(title="", description="A long description I typed", action_type="bogus"),
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in html
    assert "A long description I typed" in html
    assert "Select a valid choice. bogus is not one of the available choices." in html
    assert NationalAction.objects.count() == 0


def test_editor_cannot_add_an_action_for_another_nation(client, editor_fr, commitment_25e):
    client.force_login(editor_fr)
    response = client.post(create_url(commitment_25e, "CA"), form_data())
    assert response.status_code == 404
    assert NationalAction.objects.count() == 0


def test_edit_saves_and_bumps_the_version(client, editor_ca, commitment_25e, canada):
    action = make_action(commitment_25e, canada, editor_ca)
    client.force_login(editor_ca)
    response = client.post(
        f"/actions/{action.pk}/edit/", form_data(title="Act in force", version=action.version)
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.version) == ("Act in force", 2)


def test_a_stale_edit_shows_the_conflict_and_keeps_what_was_typed(
    client, editor_ca, commitment_25e, canada
):
    action = make_action(commitment_25e, canada, editor_ca, title="Original")
    other = Client()
    other.force_login(editor_ca)
    other.post(f"/actions/{action.pk}/edit/", form_data(title="Saved first", version=1))

    client.force_login(editor_ca)
    response = client.post(
        f"/actions/{action.pk}/edit/", form_data(title="My late edit", version=1)
    )
    html = response.content.decode()
    assert "Someone else saved this action while you were editing" in html
    assert "Saved first" in html  # their version is shown
    assert 'value="My late edit"' in html  # mine is kept in the form
    assert 'name="version" value="2"' in html  # saving again knowingly replaces theirs
    action.refresh_from_db()
    assert action.title == "Saved first"

    client.post(f"/actions/{action.pk}/edit/", form_data(title="My late edit", version=2))
    action.refresh_from_db()
    assert (action.title, action.version) == ("My late edit", 3)


def test_htmx_edit_returns_the_item_fragment(client, editor_ca, commitment_25e, canada):
    action = make_action(commitment_25e, canada, editor_ca)
    client.force_login(editor_ca)
    form = client.get(f"/actions/{action.pk}/edit/", HTTP_HX_REQUEST="true").content.decode()
    assert form.lstrip().startswith(f'<li class="action-form action-item" id="action-{action.pk}"')
    response = client.post(
        f"/actions/{action.pk}/edit/", form_data(title="Renamed", version=1), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="action-item" id="action-{action.pk}"')
    assert "Renamed" in html


def test_submit_sends_the_draft_for_review_and_locks_it(client, editor_ca, commitment_25e, canada):
    action = make_action(commitment_25e, canada, editor_ca)
    client.force_login(editor_ca)
    client.post(f"/actions/{action.pk}/submit/")
    action.refresh_from_db()
    assert action.review_state == "submitted"
    response = client.post(f"/actions/{action.pk}/edit/", form_data(title="Too late", version=2))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == ACTION_VALUES["title"]


def test_delete_asks_first_then_deletes(client, editor_ca, commitment_25e, canada):
    action = make_action(commitment_25e, canada, editor_ca)
    client.force_login(editor_ca)
    page = client.get(f"/actions/{action.pk}/delete/").content.decode()
    assert "Delete this action?" in page
    assert NationalAction.objects.count() == 1
    response = client.post(f"/actions/{action.pk}/delete/")
    assert response.status_code == 302
    assert NationalAction.objects.count() == 0
    assert NationalAction.history.filter(history_type="-").count() == 1


@pytest.mark.parametrize("path", ["edit/", "submit/", "delete/"])
def test_editor_of_another_nation_changes_nothing(
    client, editor_ca, editor_fr, commitment_25e, canada, path
):
    action = make_action(commitment_25e, canada, editor_ca)
    client.force_login(editor_fr)
    response = client.post(f"/actions/{action.pk}/{path}", form_data(title="Hijacked", version=1))
    assert response.status_code == 404
    action.refresh_from_db()
    assert (action.title, action.review_state, action.version) == (
        ACTION_VALUES["title"],
        "draft",
        1,
    )


def test_script_in_text_fields_is_shown_escaped(client, editor_ca, viewer, commitment_25e, canada):
    action = make_action(
        commitment_25e, canada, editor_ca, title="<script>alert(1)</script>",
        description='<img src=x onerror="alert(2)">',
    )  # fmt: skip
    client.force_login(editor_ca)
    for url in [f"/actions/{action.pk}/", f"/nations/CA/commitments/{commitment_25e.pk}/"]:
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<img src=x" not in html


def test_a_post_without_csrf_token_is_refused(editor_ca, commitment_25e):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor_ca)
    response = client.post(create_url(commitment_25e), form_data())
    assert response.status_code == 403
    assert NationalAction.objects.count() == 0


def test_action_history_shows_who_changed_which_field(client, editor_ca, commitment_25e, canada):
    action = make_action(commitment_25e, canada, editor_ca, stage="planned")
    client.force_login(editor_ca)
    client.post(f"/actions/{action.pk}/edit/", form_data(stage="completed", version=1))
    html = client.get(f"/actions/{action.pk}/").content.decode()
    assert "Action changed" in html
    assert "Stage: <del>Planned</del> → <ins>Completed</ins>" in html
    assert "Action created" in html
