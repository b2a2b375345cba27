"""The benchmark's URLconf: the real one plus a trivial view to compare pages with.

The trivial view answers a constant, but only after the whole middleware stack (sessions,
authentication and the login requirement included), so a page's ratio to it is what the page
itself costs. The layout view renders base.html around an empty page: the floor under every
page. They live here, not in tracker/urls.py: production has no use for them.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from tracker.urls import urlpatterns as tracker_urlpatterns


@require_GET
def constant(request):
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def layout(request):
    """The site's layout around an empty page: what every real page costs before its content."""
    return render(request, "benchmark/layout.html")


urlpatterns = [
    path("bench/constant/", constant, name="bench-constant"),
    path("bench/layout/", layout, name="bench-layout"),
    *tracker_urlpatterns,
]
