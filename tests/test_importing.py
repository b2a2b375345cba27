"""Importing a parsed resolution: one transaction, idempotent, updates in place."""

import pytest
from django.db import IntegrityError

from resolutions.importing import import_resolution
from resolutions.models import Clause, Commitment, Committee, Resolution, Session
from resolutions.parsing import parse_resolution

pytestmark = pytest.mark.django_db


def test_importing_493_creates_its_clauses_and_twelve_commitments(resolution_493):
    assert resolution_493.title == (
        "Galvanising Technological Advance to Support Allied Prosperity and Security"
    )
    assert resolution_493.committee == Committee.objects.get(code="ESC")
    assert str(resolution_493.session) == "70th Annual Session"
    assert resolution_493.session.place == "Montréal, Canada"
    assert resolution_493.adoption_date.isoformat() == "2024-11-25"
    assert resolution_493.clauses.filter(kind=Clause.Kind.PREAMBULAR).count() == 24
    urges = resolution_493.clauses.get(kind=Clause.Kind.OPERATIVE)
    assert (urges.number, urges.verb) == (25, "URGES")
    assert urges.addressees == "the governments and parliaments of the North Atlantic Alliance"
    labels = list(resolution_493.commitments.values_list("label", flat=True))
    assert labels == [f"25.{letter}" for letter in "abcdefghijkl"]
    assert resolution_493.commitments.get(label="25.i").text == (
        "to strengthen public-private-university partnerships to drive technology development;"
    )


def test_importing_the_same_text_again_changes_nothing(resolution_493, text_493):
    ids_before = sorted(Commitment.objects.values_list("id", "text"))
    history_before = Commitment.history.count()
    report = import_resolution(parse_resolution(text_493), text_493)
    assert report.unchanged
    assert report.changes == []
    assert sorted(Commitment.objects.values_list("id", "text")) == ids_before
    assert Commitment.history.count() == history_before
    assert Resolution.objects.count() == 1
    assert Session.objects.count() == 1


def test_a_corrected_text_updates_commitments_in_place(resolution_493, text_493):
    commitment = resolution_493.commitments.get(label="25.e")
    corrected = text_493.replace(
        "e. to coordinate export controls", "e. to coordinate closely export controls"
    )
    report = import_resolution(parse_resolution(corrected), corrected)
    assert report.changes == ["paragraph 25 updated", "commitment 25.e updated"]
    commitment.refresh_from_db()
    assert commitment.text.startswith("to coordinate closely export controls")
    assert resolution_493.commitments.count() == 12
    # The change is in the history, so the old wording is not lost.
    assert commitment.history.count() == 2


def test_a_dry_run_reports_but_saves_nothing(db, text_493):
    report = import_resolution(parse_resolution(text_493), text_493, dry_run=True)
    assert report.created and report.dry_run
    assert Resolution.objects.count() == 0
    assert Clause.objects.count() == 0


def test_a_dropped_preambular_paragraph_is_removed(resolution_493, text_493):
    shortened = text_493.replace(
        "24. **Convinced** that NATO Allies require a comprehensive framework for securing "
        "supply chains and regulating trade in sensitive technologies with competitor nations "
        "and should coordinate their approaches in this domain;\n\n",
        "",
    ).replace("25. **URGES**", "24. **URGES**")
    report = import_resolution(parse_resolution(shortened), shortened)
    assert "paragraph 25 removed" in report.changes
    assert resolution_493.clauses.count() == 24
    # Commitments are matched by label: 24.a-l are new rows, 25.a-l are gone.
    assert resolution_493.commitments.filter(label__startswith="24.").count() == 12


def test_the_database_refuses_a_second_resolution_with_the_same_number(resolution_493):
    with pytest.raises(IntegrityError):
        Resolution.objects.create(
            number=493, title="Copy", committee=resolution_493.committee, original_text="x"
        )


def test_the_32_member_nations_have_delegations(db):
    from resolutions.models import Delegation, Member

    assert Member.objects.count() == 32
    assert Delegation.objects.count() == 32
    assert Member.objects.get(country="MK").name == "North Macedonia"
