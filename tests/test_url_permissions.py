"""Walks every URL the project serves as every role.

Each named URL needs at least one case in CASES: the objects it is asked about and the status
each role gets. A URL added without a case fails `test_every_url_has_a_rule`, so no page escapes
the permission check. GETs only here; the POSTs that change things are walked in
`test_every_change_is_refused_to_other_nations`.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from resolutions import actions
from resolutions.digests import unsubscribe_token
from resolutions.models import ExportJob, NationalAction, ReportingRound

from .conftest import make_action, minimal_pdf

ROLES = ["anonymous", "viewer", "editor_ca", "editor_fr", "secretary", "admin_user"]
LOGIN = "login"  # anonymous users are sent to the login page
SIGNED_IN = {"anonymous": LOGIN}
REVIEWERS = {"anonymous": LOGIN, "secretary": 200, "admin_user": 200}
CANADA_ONLY = {"anonymous": LOGIN, "editor_ca": 200, "admin_user": 200, "*": 404}
API_SIGNED_IN = {"anonymous": 401, "*": 200}
API_CANADA_ONLY = {"anonymous": 401, "editor_ca": 200, "admin_user": 200, "*": 404}


def rule(base, **overrides):
    return {**base, **overrides}


# URL name -> [(kwargs from the objects, {role: expected status}; "*" is every role not named)]
CASES = {
    "home": [(lambda o: {}, {"anonymous": LOGIN, "*": 302})],
    "healthz": [(lambda o: {}, {"*": 200})],
    "login": [(lambda o: {}, {"*": 200})],
    "logout": [(lambda o: {}, {"anonymous": LOGIN, "*": 405})],  # sign-out is a POST
    # The language switch works signed out too (the sign-in page has it); it is a POST.
    "set-language": [(lambda o: {}, {"*": 405})],
    "resolution-list": [(lambda o: {}, rule(SIGNED_IN, **{"*": 200}))],
    "resolution-detail": [
        (lambda o: {"document_type": "resolution", "number": 493}, rule(SIGNED_IN, **{"*": 200}))
    ],
    "my-nation": [(lambda o: {}, rule(SIGNED_IN, editor_ca=302, editor_fr=302, **{"*": 404}))],
    "nation-dashboard": [
        (lambda o: {"code": "CA"}, rule(SIGNED_IN, **{"*": 200})),
        (lambda o: {"code": "XX"}, rule(SIGNED_IN, **{"*": 404})),
    ],
    # One folded resolution of a dashboard: every nation's page is read by every signed-in user.
    "nation-dashboard-resolution": [
        (
            lambda o: {"code": "CA", "pk": o["commitment"].resolution_id},
            rule(SIGNED_IN, **{"*": 200}),
        ),
        (lambda o: {"code": "CA", "pk": 999999}, rule(SIGNED_IN, **{"*": 404})),
        (
            lambda o: {"code": "XX", "pk": o["commitment"].resolution_id},
            rule(SIGNED_IN, **{"*": 404}),
        ),
    ],
    "commitment-detail": [
        (lambda o: {"code": "CA", "pk": o["commitment"].pk}, rule(SIGNED_IN, **{"*": 200})),
        (lambda o: {"code": "CA", "pk": 999999}, rule(SIGNED_IN, **{"*": 404})),
    ],
    # GET on the status form goes back to the commitment page for those who may change it.
    "status-edit": [
        (
            lambda o: {"code": "CA", "pk": o["commitment"].pk},
            rule(CANADA_ONLY, editor_ca=302, admin_user=302),
        )
    ],
    "action-create": [(lambda o: {"code": "CA", "pk": o["commitment"].pk}, CANADA_ONLY)],
    "action-detail": [
        (lambda o: {"pk": o["draft"].pk}, CANADA_ONLY),  # another nation's draft: 404
        (lambda o: {"pk": o["submitted"].pk}, rule(SIGNED_IN, **{"*": 200})),
    ],
    "action-edit": [
        (lambda o: {"pk": o["draft"].pk}, CANADA_ONLY),
        # Submitted: read-only, so its own editors are sent back to the action.
        (lambda o: {"pk": o["submitted"].pk}, rule(CANADA_ONLY, editor_ca=302, admin_user=302)),
    ],
    "action-delete": [(lambda o: {"pk": o["draft"].pk}, CANADA_ONLY)],
    # The reporting cycle: revising is for an accepted action's own delegation (a draft sends
    # them back to the action); withdraw and discard are POSTs.
    "action-revise": [
        (lambda o: {"pk": o["accepted"].pk}, CANADA_ONLY),
        (lambda o: {"pk": o["draft"].pk}, rule(CANADA_ONLY, editor_ca=302, admin_user=302)),
    ],
    "action-withdraw": [(lambda o: {"pk": o["submitted"].pk}, rule(SIGNED_IN, **{"*": 405}))],
    "revision-discard": [(lambda o: {"pk": o["accepted"].pk}, rule(SIGNED_IN, **{"*": 405}))],
    "round-detail": [
        (lambda o: {"pk": o["round"].pk}, rule(SIGNED_IN, **{"*": 200})),
        (lambda o: {"pk": 999999}, rule(SIGNED_IN, **{"*": 404})),
    ],
    "round-close": [(lambda o: {"pk": o["round"].pk}, rule(SIGNED_IN, **{"*": 405}))],
    "action-submit": [(lambda o: {"pk": o["draft"].pk}, rule(SIGNED_IN, **{"*": 405}))],
    "evidence-add": [
        (lambda o: {"pk": o["draft"].pk, "kind": "file"}, rule(SIGNED_IN, **{"*": 405}))
    ],
    "evidence-download": [
        (lambda o: {"pk": o["draft_evidence"].pk}, CANADA_ONLY),
        (lambda o: {"pk": o["submitted_evidence"].pk}, rule(SIGNED_IN, **{"*": 200})),
    ],
    "evidence-delete": [(lambda o: {"pk": o["draft_evidence"].pk}, rule(SIGNED_IN, **{"*": 405}))],
    # Reminder digests: every signed-in person has preferences; the unsubscribe link works
    # without signing in (GET only asks), and a tampered token is refused.
    "preferences": [(lambda o: {}, rule(SIGNED_IN, **{"*": 200}))],
    "preferences-preview": [(lambda o: {}, rule(SIGNED_IN, **{"*": 405}))],  # a POST
    "digest-unsubscribe": [
        (lambda o: {"token": unsubscribe_token(o["draft"].author)}, {"*": 200}),
        (lambda o: {"token": unsubscribe_token(o["draft"].author)[:-2]}, {"*": 400}),
    ],
    # The secretariat
    "matrix": [(lambda o: {}, rule(SIGNED_IN, **{"*": 200}))],
    "matrix-cell": [  # without htmx, a cell is the commitment page
        (lambda o: {"pk": o["commitment"].pk, "code": "FR"}, rule(SIGNED_IN, **{"*": 302})),
        (lambda o: {"pk": o["commitment"].pk, "code": "XX"}, rule(SIGNED_IN, **{"*": 404})),
    ],
    "review-queue": [(lambda o: {}, rule(REVIEWERS, **{"*": 404}))],
    "review-action": [(lambda o: {"pk": o["submitted"].pk}, rule(SIGNED_IN, **{"*": 405}))],
    "round-list": [(lambda o: {}, rule(SIGNED_IN, **{"*": 200}))],
    "round-edit": [(lambda o: {"pk": o["round"].pk}, rule(REVIEWERS, **{"*": 404}))],
    "resolution-import": [(lambda o: {}, rule(REVIEWERS, **{"*": 404}))],
    # Search: every signed-in person; what each finds is tested in test_search.py.
    "search": [(lambda o: {}, rule(SIGNED_IN, **{"*": 200}))],
    # Status reports: without scope and format the export is a 400; a background job and its
    # file belong to whoever asked for it (here Canada's editor) and administrators.
    "report-export": [(lambda o: {}, rule(SIGNED_IN, **{"*": 400}))],
    "report-job": [(lambda o: {"pk": o["export_job"].pk}, CANADA_ONLY)],
    "report-job-download": [(lambda o: {"pk": o["export_job"].pk}, CANADA_ONLY)],
    # The person's own account (hardening). The code page sends people who gave their code
    # already (the secretary's and administrator's test sessions) on to where they were going.
    "two-factor": [(lambda o: {}, rule(SIGNED_IN, **{"*": 200}))],
    "two-factor-enrol": [(lambda o: {}, rule(SIGNED_IN, **{"*": 200}))],
    "two-factor-verify": [
        (lambda o: {}, rule(SIGNED_IN, secretary=302, admin_user=302, **{"*": 200}))
    ],
    "two-factor-backup-codes": [(lambda o: {}, rule(SIGNED_IN, **{"*": 405}))],
    "two-factor-remove": [(lambda o: {}, rule(SIGNED_IN, **{"*": 405}))],
    "password-change": [(lambda o: {}, rule(SIGNED_IN, **{"*": 200}))],
    "password-change-done": [(lambda o: {}, rule(SIGNED_IN, **{"*": 200}))],
    # Forgotten passwords work without signing in; a made-up link says it does not work.
    "password-reset": [(lambda o: {}, {"*": 200})],
    "password-reset-done": [(lambda o: {}, {"*": 200})],
    "password-reset-confirm": [(lambda o: {"uidb64": "MQ", "token": "set-password"}, {"*": 200})],
    "password-reset-complete": [(lambda o: {}, {"*": 200})],
    "csp-report": [(lambda o: {}, {"*": 405})],  # browsers POST their reports
    # A delegation's workbook: its editors, secretaries (read-only) and administrators.
    "workbook": [(lambda o: {"code": "CA"}, rule(CANADA_ONLY, secretary=200))],
    "workbook-download": [(lambda o: {"code": "CA"}, rule(CANADA_ONLY, secretary=200))],
    "workbook-confirm": [(lambda o: {"code": "CA"}, rule(SIGNED_IN, **{"*": 405}))],
    # The REST API answers 401 (not a redirect) without a token or session; another nation's
    # drafts and their evidence are 404, as on the pages. Writes are POSTs (405 to a GET).
    "api:resolution-list": [(lambda o: {}, API_SIGNED_IN)],
    "api:resolution-detail": [(lambda o: {"pk": o["commitment"].resolution_id}, API_SIGNED_IN)],
    "api:commitment-list": [(lambda o: {}, API_SIGNED_IN)],
    "api:commitment-detail": [(lambda o: {"pk": o["commitment"].pk}, API_SIGNED_IN)],
    "api:status-list": [(lambda o: {}, API_SIGNED_IN)],
    "api:status-detail": [(lambda o: {"pk": o["status"].pk}, API_SIGNED_IN)],
    "api:action-list": [(lambda o: {}, API_SIGNED_IN)],
    "api:action-detail": [
        (lambda o: {"pk": o["draft"].pk}, API_CANADA_ONLY),
        (lambda o: {"pk": o["submitted"].pk}, API_SIGNED_IN),
    ],
    "api:action-submit": [(lambda o: {"pk": o["draft"].pk}, rule(API_SIGNED_IN, **{"*": 405}))],
    "api:evidence-list": [(lambda o: {}, API_SIGNED_IN)],
    "api:evidence-detail": [
        (lambda o: {"pk": o["draft_evidence"].pk}, API_CANADA_ONLY),
        (lambda o: {"pk": o["submitted_evidence"].pk}, API_SIGNED_IN),
    ],
    "api:evidence-download": [
        (lambda o: {"pk": o["draft_evidence"].pk}, API_CANADA_ONLY),
        (lambda o: {"pk": o["submitted_evidence"].pk}, API_SIGNED_IN),
    ],
    "api:round-list": [(lambda o: {}, API_SIGNED_IN)],
    "api:round-detail": [(lambda o: {"pk": o["round"].pk}, API_SIGNED_IN)],
    "api:schema": [(lambda o: {}, API_SIGNED_IN)],
    "api:docs": [(lambda o: {}, rule(SIGNED_IN, **{"*": 200}))],
    "api-token-create": [(lambda o: {}, rule(SIGNED_IN, **{"*": 405}))],
    "api-token-revoke": [(lambda o: {"pk": 1}, rule(SIGNED_IN, **{"*": 405}))],
}
# The admin site guards itself (staff only); we check its front door for every role.
ADMIN_INDEX = {"admin_user": 200, "*": 302}


def named_project_urls(patterns=None, namespace=None):
    """Names of every URL pattern outside the admin site."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            # An include() without a namespace of its own stays in its parent's (the API's
            # router sits inside "api:").
            yield from named_project_urls(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_url_has_a_rule():
    missing = [name for name in named_project_urls() if name not in CASES]
    assert missing == [], f"URLs without a permission rule: {missing}"


@pytest.fixture
def objects(resolution_493, editor_ca, canada):
    commitment = resolution_493.commitments.get(label="25.e")
    draft = make_action(commitment, canada, editor_ca, title="Draft law")
    submitted = make_action(commitment, canada, editor_ca, title="Adopted law")
    pdf = SimpleUploadedFile("proof.pdf", minimal_pdf("one"), content_type="application/pdf")
    pdf2 = SimpleUploadedFile("proof.pdf", minimal_pdf("two"), content_type="application/pdf")
    draft_evidence = actions.add_evidence_file(draft, pdf, {}, by=editor_ca)
    submitted_evidence = actions.add_evidence_file(submitted, pdf2, {}, by=editor_ca)
    actions.submit_action(submitted, by=editor_ca)
    accepted = make_action(commitment, canada, editor_ca, title="Accepted law")
    accepted = actions.accept_action(actions.submit_action(accepted, by=editor_ca), by=editor_ca)
    round_ = ReportingRound.objects.create(name="Spring 2027", deadline="2027-05-01")
    export_job = ExportJob.objects.create(
        requested_by=editor_ca, format="csv", state=ExportJob.State.DONE, filename="r.csv"
    )
    export_job.file.name = default_storage.save(f"reports/{export_job.pk}.csv", ContentFile(b"a"))
    export_job.save()
    status = actions.set_status(commitment, canada, "in_progress", "", version=0, by=editor_ca)
    return {
        "status": status,
        "export_job": export_job,
        "round": round_,
        "commitment": commitment,
        "draft": draft,
        "accepted": accepted,
        "submitted": NationalAction.objects.get(pk=submitted.pk),
        "draft_evidence": draft_evidence,
        "submitted_evidence": submitted_evidence,
    }


@pytest.fixture
def as_role(request, client):
    def login(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return login


ALL_CASES = [(name, index) for name in sorted(CASES) for index in range(len(CASES[name]))]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "case"), ALL_CASES)
def test_url_answers_each_role_as_ruled(name, case, role, as_role, objects):
    kwargs_for, expected = CASES[name][case]
    want = expected.get(role, expected.get("*"))
    response = as_role(role).get(reverse(name, kwargs=kwargs_for(objects)))
    if want == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == want


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_site_is_for_administrators_only(role, as_role):
    response = as_role(role).get("/admin/")
    assert response.status_code == ADMIN_INDEX.get(role, ADMIN_INDEX["*"])


@pytest.mark.django_db
def test_unknown_resolution_and_document_type_are_404(client, viewer, resolution_493):
    client.force_login(viewer)
    assert client.get("/resolutions/resolution/999/").status_code == 404
    assert client.get("/resolutions/treaty/493/").status_code == 404
