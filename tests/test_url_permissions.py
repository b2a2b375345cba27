"""Walks every URL the project serves as every role.

Each named URL needs a row in RULES: the status each role gets. A URL added without a row fails
`test_every_url_has_a_rule`, so no page escapes the permission check.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ["anonymous", "viewer", "editor_ca", "editor_fr", "secretary", "admin_user"]
LOGIN = "login"  # anonymous users are sent to the login page

# URL name -> (kwargs builder, {role: expected status}); "*" is every role not named.
RULES = {
    "home": (lambda ctx: {}, {"anonymous": LOGIN, "*": 302}),
    "healthz": (lambda ctx: {}, {"*": 200}),
    "login": (lambda ctx: {}, {"*": 200}),
    "logout": (lambda ctx: {}, {"anonymous": LOGIN, "*": 405}),  # sign-out is a POST
    "resolution-list": (lambda ctx: {}, {"anonymous": LOGIN, "*": 200}),
    "resolution-detail": (
        lambda ctx: {"document_type": "resolution", "number": 493},
        {"anonymous": LOGIN, "*": 200},
    ),
}
# The admin site guards itself (staff only); we check its front door for every role.
ADMIN_INDEX = {"anonymous": 302, "viewer": 302, "editor_ca": 302, "editor_fr": 302,
               "secretary": 302, "admin_user": 200}  # fmt: skip


def named_project_urls(patterns=None, namespace=None):
    """Names of every URL pattern outside the admin site."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from named_project_urls(entry.url_patterns, entry.namespace)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_url_has_a_rule():
    missing = [name for name in named_project_urls() if name not in RULES]
    assert missing == [], f"URLs without a permission rule: {missing}"


@pytest.fixture
def as_role(request, client):
    def login(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return login


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(RULES))
def test_url_answers_each_role_as_ruled(name, role, as_role, resolution_493):
    from django.urls import reverse

    kwargs_for, expected = RULES[name]
    want = expected.get(role, expected.get("*"))
    response = as_role(role).get(reverse(name, kwargs=kwargs_for({})))
    if want == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == want


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_site_is_for_administrators_only(role, as_role):
    response = as_role(role).get("/admin/")
    assert response.status_code == ADMIN_INDEX[role]


@pytest.mark.django_db
def test_unknown_resolution_and_document_type_are_404(client, viewer, resolution_493):
    client.force_login(viewer)
    assert client.get("/resolutions/resolution/999/").status_code == 404
    assert client.get("/resolutions/treaty/493/").status_code == 404
