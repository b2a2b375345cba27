"""The benchmark's URLconf: the real one plus a trivial view to compare pages with.

The trivial view answers a constant, but only after the whole middleware stack (sessions,
authentication and the login requirement included), so a page's ratio to it is what the page
itself costs. It lives here, not in tracker/urls.py: production has no use for it.
"""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from tracker.urls import urlpatterns as tracker_urlpatterns


@require_GET
def constant(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/constant/", constant, name="bench-constant"), *tracker_urlpatterns]
