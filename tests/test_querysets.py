"""The models' querysets say who may read what once, and chain with their other verbs:
`NationalAction.objects.visible_to(user).for_member(m).accepted()`."""

import pytest
from django.contrib.auth.models import AnonymousUser

from resolutions import actions, permissions
from resolutions.models import Commitment, Evidence, NationalAction, Resolution

from .conftest import make_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafts_and_accepted(commitment_25e, canada, france, editor_ca, editor_fr, secretary):
    ca_draft = make_action(commitment_25e, canada, editor_ca, title="Canada's draft")
    fr_draft = make_action(commitment_25e, france, editor_fr, title="France's draft")
    ca_accepted = make_action(commitment_25e, canada, editor_ca, title="Canada's accepted")
    actions.submit_action(ca_accepted, by=editor_ca)
    actions.accept_action(ca_accepted, by=secretary, comment="")
    for action in (ca_draft, fr_draft, ca_accepted):
        actions.add_evidence_link(action, f"https://example.org/{action.pk}", {}, by=action.author)
    return ca_draft, fr_draft, ca_accepted


def titles(queryset):
    return sorted(queryset.values_list("title", flat=True))


def test_an_editor_sees_their_own_drafts_and_everyone_elses_submitted_work(
    drafts_and_accepted, editor_ca, editor_fr
):
    assert titles(NationalAction.objects.visible_to(editor_ca)) == [
        "Canada's accepted",
        "Canada's draft",
    ]
    assert titles(NationalAction.objects.visible_to(editor_fr)) == [
        "Canada's accepted",
        "France's draft",
    ]


def test_secretaries_and_viewers_never_see_drafts_administrators_see_everything(
    drafts_and_accepted, secretary, viewer, admin_user
):
    for person in (secretary, viewer):
        assert titles(NationalAction.objects.visible_to(person)) == ["Canada's accepted"]
    assert len(NationalAction.objects.visible_to(admin_user)) == 3


def test_nobody_signed_out_sees_anything(drafts_and_accepted, resolution_493):
    anonymous = AnonymousUser()
    assert not NationalAction.objects.visible_to(anonymous).exists()
    assert not Evidence.objects.visible_to(anonymous).exists()
    assert not Resolution.objects.visible_to(anonymous).exists()
    assert not Commitment.objects.visible_to(anonymous).exists()


def test_the_verbs_chain(drafts_and_accepted, editor_fr, canada, france):
    visible = NationalAction.objects.visible_to(editor_fr)
    assert titles(visible.for_member(canada)) == ["Canada's accepted"]
    assert titles(visible.for_member(france).accepted()) == []
    assert titles(visible.drafts()) == ["France's draft"]
    assert titles(NationalAction.objects.accepted().visible_to(editor_fr)) == ["Canada's accepted"]


def test_evidence_is_seen_exactly_when_its_action_is(drafts_and_accepted, editor_fr, secretary):
    for person in (editor_fr, secretary):
        seen = set(Evidence.objects.visible_to(person).values_list("action_id", flat=True))
        assert seen == set(NationalAction.objects.visible_to(person).values_list("pk", flat=True))


def test_permissions_reads_the_same_rule(drafts_and_accepted, editor_ca, secretary):
    for person in (editor_ca, secretary):
        assert titles(permissions.visible_actions(person)) == titles(
            NationalAction.objects.visible_to(person)
        )
