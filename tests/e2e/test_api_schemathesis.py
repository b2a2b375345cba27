"""The API against its own OpenAPI schema, on a live test server: schemathesis generates
requests for every operation, as every role (with each one's personal token), and checks that
no answer is a server error or breaks the schema. Lives with the browser tests because it needs
a live server in real transactions (the database is emptied afterwards)."""

import pytest
import requests
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from schemathesis import checks

from resolutions import actions
from resolutions.api.tokens import create_token
from resolutions.importing import import_resolution
from resolutions.models import Member, ReportingRound, User
from resolutions.parsing import parse_resolution

from ..conftest import FIXTURE_493, make_action, make_user, minimal_pdf

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROLES = {
    "viewer": (User.Role.VIEWER, None),
    "editor_ca": (User.Role.EDITOR, "CA"),
    "editor_fr": (User.Role.EDITOR, "FR"),
    "secretary": (User.Role.SECRETARY, None),
    "admin_user": (User.Role.ADMINISTRATOR, None),
}
EXAMPLES = 12  # per operation and role: about 1,200 requests in all


@pytest.fixture
def world(live_server):
    """Resolution 493 with a Canadian draft, a submitted action with a file, an accepted one
    with a revision, a French draft, statuses, a round, and a token per role."""
    text = FIXTURE_493.read_text(encoding="utf-8")
    resolution = import_resolution(parse_resolution(text), text).resolution
    people = {name: make_user(f"st-{name}", role, country, is_superuser=name == "admin_user")
              for name, (role, country) in ROLES.items()}  # fmt: skip
    canada, france = Member.objects.get(country="CA"), Member.objects.get(country="FR")
    commitment = resolution.commitments.get(label="25.e")
    make_action(commitment, canada, people["editor_ca"], title="Canadian draft")
    make_action(commitment, france, people["editor_fr"], title="French draft")
    submitted = make_action(commitment, canada, people["editor_ca"], title="Submitted")
    pdf = SimpleUploadedFile("proof.pdf", minimal_pdf(), content_type="application/pdf")
    actions.add_evidence_file(submitted, pdf, {}, by=people["editor_ca"])
    actions.submit_action(submitted, by=people["editor_ca"])
    # Accepted, with a revision waiting (shown to its editors and the secretariat): a change
    # to it through the API goes to the revision (202).
    accepted = make_action(commitment, canada, people["editor_ca"], title="Accepted")
    actions.submit_action(accepted, by=people["editor_ca"])
    accepted = actions.accept_action(accepted, by=people["secretary"])
    values = {name: getattr(accepted, name) for name in actions.ACTION_FIELDS}
    actions.revise_action(accepted, {**values, "title": "Revised"}, version=accepted.version,
                          by=people["editor_ca"])  # fmt: skip
    actions.set_status(commitment, canada, "in_progress", "", version=0, by=people["editor_ca"])
    ReportingRound.objects.create(name="Spring", deadline="2027-05-01").resolutions.add(resolution)
    tokens = {name: create_token(person, "schemathesis")[1] for name, person in people.items()}
    return {"tokens": tokens, "url": live_server.url}


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_every_operation_answers_within_its_schema(world, role, settings):
    settings.API_RATE_LIMIT = "100000/minute"
    headers = {"Authorization": f"Bearer {world['tokens'][role]}"} if role in ROLES else {}
    viewer = {"Authorization": f"Bearer {world['tokens']['viewer']}"}
    raw = requests.get(f"{world['url']}/api/schema/?format=json", headers=viewer, timeout=30)
    assert raw.status_code == 200, raw.text[:200]
    schema = schemathesis.openapi.from_dict(raw.json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 18  # every method of every path in the schema
    session = requests.Session()
    seen = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @examples(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def check(case):
            response = case.call_and_validate(
                base_url=world["url"],
                session=session,
                headers=headers,
                checks=[checks.not_a_server_error, checks.response_schema_conformance],
            )
            seen.append(response.status_code)

        check()
    assert seen and all(code < 500 for code in seen)
    if role == "anonymous":
        assert set(seen) == {401}
    else:
        assert 200 in seen
