"""The reporting cycle in actions.py and permissions.py: withdraw, revise an accepted action,
evidence added after submission, review of revisions, and who sees what meanwhile."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from resolutions import actions, permissions
from resolutions.models import ActionRevision, Evidence, NationalAction

from .conftest import ACTION_VALUES, make_action, minimal_pdf

pytestmark = pytest.mark.django_db

State = NationalAction.ReviewState


@pytest.fixture
def submitted(commitment_25e, canada, editor_ca):
    action = make_action(commitment_25e, canada, editor_ca)
    return actions.submit_action(action, by=editor_ca)


@pytest.fixture
def accepted(submitted, secretary):
    return actions.accept_action(submitted, by=secretary)


def revised_values(**changes):
    return {**ACTION_VALUES, "stage": "completed", **changes}


# --- Withdraw ---------------------------------------------------------------------------------


def test_a_withdrawn_action_is_a_draft(submitted, editor_ca, viewer):
    withdrawn = actions.withdraw_action(submitted, by=editor_ca)
    assert withdrawn.review_state == State.DRAFT
    assert withdrawn.submitted_at is None
    # A draft again: another nation and viewers no longer see it.
    assert not permissions.visible_actions(viewer).filter(pk=submitted.pk).exists()
    assert withdrawn.history.first().history_user == editor_ca


def test_a_reviewed_action_cannot_be_withdrawn(accepted, editor_ca):
    with pytest.raises(actions.NotEditable):
        actions.withdraw_action(accepted, by=editor_ca)
    assert NationalAction.objects.get(pk=accepted.pk).review_state == State.ACCEPTED


def test_a_draft_cannot_be_withdrawn(commitment_25e, canada, editor_ca):
    draft = make_action(commitment_25e, canada, editor_ca)
    with pytest.raises(actions.NotEditable):
        actions.withdraw_action(draft, by=editor_ca)


def test_only_its_delegation_may_withdraw(submitted, editor_ca, editor_fr, secretary):
    assert permissions.can_withdraw_action(editor_ca, submitted)
    assert not permissions.can_withdraw_action(editor_fr, submitted)
    assert not permissions.can_withdraw_action(secretary, submitted)


# --- Revisions of accepted actions -------------------------------------------------------------


def test_revising_an_accepted_action_keeps_the_accepted_content(accepted, editor_ca):
    revision = actions.revise_action(
        accepted, revised_values(title="Act in force"), version=accepted.version, by=editor_ca
    )
    assert revision.state == ActionRevision.State.PENDING
    assert revision.base_version == accepted.version
    action = NationalAction.objects.get(pk=accepted.pk)
    assert action.title == ACTION_VALUES["title"]
    assert action.review_state == State.ACCEPTED


def test_another_nation_never_sees_a_pending_revision(accepted, editor_ca, editor_fr, viewer):
    actions.revise_action(
        accepted, revised_values(title="Act in force"), version=accepted.version, by=editor_ca
    )
    for outsider in (editor_fr, viewer):
        assert permissions.revision_for_user(outsider, accepted) is None
    assert permissions.revision_for_user(editor_ca, accepted).title == "Act in force"


def test_a_revision_is_only_for_accepted_actions(submitted, editor_ca):
    with pytest.raises(actions.NotEditable):
        actions.revise_action(submitted, revised_values(), version=submitted.version, by=editor_ca)
    assert not ActionRevision.objects.exists()


def test_an_accepted_action_is_not_edited_directly(accepted, editor_ca):
    with pytest.raises(actions.NotEditable):
        actions.update_action(accepted, revised_values(), version=accepted.version, by=editor_ca)


def test_a_revision_from_a_stale_page_is_refused(accepted, editor_ca):
    revision = actions.revise_action(
        accepted, revised_values(), version=accepted.version, by=editor_ca
    )
    with pytest.raises(actions.StaleEdit):
        actions.revise_action(
            accepted, revised_values(title="Other"), version=revision.version - 1, by=editor_ca
        )
    assert ActionRevision.objects.get().title == ACTION_VALUES["title"]


def test_accepting_a_revision_applies_it_with_history(accepted, editor_ca, secretary):
    revision = actions.revise_action(
        accepted, revised_values(title="Act in force", stage="completed"),
        version=accepted.version, by=editor_ca,
    )  # fmt: skip
    action = actions.accept_revision(revision, by=secretary)
    assert action.title == "Act in force"
    assert action.review_state == State.ACCEPTED
    assert action.reviewed_by == secretary
    assert not ActionRevision.objects.exists()
    latest = action.history.first()
    assert latest.history_user == secretary
    assert latest.history_change_reason == "revision accepted"


def test_returning_a_revision_needs_a_comment(accepted, editor_ca, secretary):
    revision = actions.revise_action(
        accepted, revised_values(), version=accepted.version, by=editor_ca
    )
    with pytest.raises(ValidationError):
        actions.return_revision(revision, "  ", by=secretary)
    assert ActionRevision.objects.get().state == ActionRevision.State.PENDING


def test_a_returned_revision_saved_again_goes_back_for_review(accepted, editor_ca, secretary):
    revision = actions.revise_action(
        accepted, revised_values(), version=accepted.version, by=editor_ca
    )
    revision = actions.return_revision(revision, "Give the date of entry into force.", by=secretary)
    assert revision.state == ActionRevision.State.RETURNED
    assert NationalAction.objects.get(pk=accepted.pk).review_state == State.ACCEPTED
    again = actions.revise_action(
        accepted, revised_values(date="2026-03-01"), version=revision.version, by=editor_ca
    )
    assert again.state == ActionRevision.State.PENDING
    assert list(permissions.review_queue(secretary)) == [accepted]


def test_a_returned_revision_cannot_be_accepted(accepted, editor_ca, secretary):
    revision = actions.revise_action(
        accepted, revised_values(), version=accepted.version, by=editor_ca
    )
    actions.return_revision(revision, "No.", by=secretary)
    with pytest.raises(actions.NotEditable):
        actions.accept_revision(ActionRevision.objects.get(), by=secretary)


def test_discarding_a_revision_leaves_the_accepted_action(accepted, editor_ca):
    revision = actions.revise_action(
        accepted, revised_values(), version=accepted.version, by=editor_ca
    )
    actions.discard_revision(revision, by=editor_ca)
    assert not ActionRevision.objects.exists()
    assert NationalAction.objects.get(pk=accepted.pk).review_state == State.ACCEPTED


def test_the_review_queue_holds_submissions_and_pending_revisions(
    accepted, commitment_25e, canada, editor_ca, secretary, editor_fr
):
    other = actions.submit_action(make_action(commitment_25e, canada, editor_ca), by=editor_ca)
    assert list(permissions.review_queue(secretary)) == [other]
    actions.revise_action(accepted, revised_values(), version=accepted.version, by=editor_ca)
    assert list(permissions.review_queue(secretary)) == [other, accepted]
    assert list(permissions.review_queue(editor_fr)) == []


# --- Evidence added after submission ----------------------------------------------------------


def pdf(name="law.pdf"):
    return SimpleUploadedFile(name, minimal_pdf(name), content_type="application/pdf")


def test_evidence_on_a_draft_is_not_pending(commitment_25e, canada, editor_ca):
    draft = make_action(commitment_25e, canada, editor_ca)
    evidence = actions.add_evidence_file(draft, pdf(), {}, by=editor_ca)
    assert evidence.pending is False


def test_evidence_added_to_a_submitted_action_waits_for_review(
    submitted, editor_ca, editor_fr, viewer, secretary
):
    evidence = actions.add_evidence_link(submitted, "https://laws.example.ca/act", {}, by=editor_ca)
    assert evidence.pending
    for outsider in (editor_fr, viewer):
        assert not permissions.visible_evidence(outsider).filter(pk=evidence.pk).exists()
    for insider in (editor_ca, secretary):
        assert permissions.visible_evidence(insider).filter(pk=evidence.pk).exists()
    actions.accept_action(submitted, by=secretary)
    evidence.refresh_from_db()
    assert not evidence.pending
    assert permissions.visible_evidence(viewer).filter(pk=evidence.pk).exists()


def test_evidence_added_to_an_accepted_action_opens_a_revision(
    accepted, editor_ca, secretary, viewer
):
    evidence = actions.add_evidence_file(accepted, pdf(), {}, by=editor_ca)
    assert evidence.pending
    revision = ActionRevision.objects.get(action=accepted)
    assert revision.title == accepted.title  # the accepted values, unchanged
    assert list(Evidence.objects.reviewed()) == []
    actions.accept_revision(revision, by=secretary)
    evidence.refresh_from_db()
    assert not evidence.pending
    assert permissions.visible_evidence(viewer).filter(pk=evidence.pk).exists()


def test_pending_evidence_can_be_taken_back_but_reviewed_evidence_stays(
    commitment_25e, canada, editor_ca, secretary
):
    draft = make_action(commitment_25e, canada, editor_ca)
    reviewed = actions.add_evidence_link(draft, "https://a.example.org/", {}, by=editor_ca)
    action = actions.accept_action(actions.submit_action(draft, by=editor_ca), by=secretary)
    pending = actions.add_evidence_link(action, "https://b.example.org/", {}, by=editor_ca)
    with pytest.raises(actions.NotEditable):
        actions.delete_evidence(Evidence.objects.get(pk=reviewed.pk), by=editor_ca)
    actions.delete_evidence(Evidence.objects.get(pk=pending.pk), by=editor_ca)
    assert list(Evidence.objects.values_list("pk", flat=True)) == [reviewed.pk]


def test_discarding_a_revision_removes_its_pending_evidence(accepted, editor_ca):
    actions.add_evidence_link(accepted, "https://b.example.org/", {}, by=editor_ca)
    actions.discard_revision(ActionRevision.objects.get(), by=editor_ca)
    assert not Evidence.objects.exists()
