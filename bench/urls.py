"""The benchmark's URLconf: the project's own plus a trivial view to compare pages with.

The trivial view answers a constant, but only after the whole middleware stack (sessions,
authentication and the login requirement included), so a page's ratio to it is what the page
itself costs. The layout view renders base.html around an empty page: the floor under every
page. They live here, outside the package: production has no use for them.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from django.views.decorators.http import require_GET

LAYOUT = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Benchmark{% endblock %}'
    "{% block content %}<h1>Benchmark</h1>{% endblock %}"
)


@require_GET
def constant(request):
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def layout(request):
    """The site's layout around an empty page: what every real page costs before its content."""
    return HttpResponse(LAYOUT.render({}, request))


urlpatterns = [
    path("bench/constant/", constant, name="bench-constant"),
    path("bench/layout/", layout, name="bench-layout"),
    path("", include("tracker.urls")),
]
