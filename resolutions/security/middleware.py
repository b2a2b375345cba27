"""Middleware of the hardening: request-body cap, idle sessions, the second factor, and the
headers every response carries (Permissions-Policy, no-store for signed-in pages)."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from . import second_factor

LAST_SEEN = "last_seen"
SIGNED_IN_AT = "signed_in_at"
# The session is written at most once a minute to keep the idle clock: not on every request,
# which would add a query to every page.
TOUCH_EVERY_SECONDS = 60


def touch_session(session) -> None:
    session[LAST_SEEN] = int(time.time())


def start_session_clock(session) -> None:
    session[SIGNED_IN_AT] = session[LAST_SEEN] = int(time.time())


class RequestBodyCapMiddleware:
    """Refuses a request whose declared body is larger than REQUEST_BODY_MAX_BYTES before the
    application parses it (the proxy's cap is higher, so this answer reaches the person); the
    body is read and dropped first (_drop_body)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_BODY_MAX_BYTES:
            # Without the request: nothing about the person is looked up for this answer.
            body = render_to_string(
                "413.html", {"limit_mb": settings.REQUEST_BODY_MAX_BYTES // (1024 * 1024)}
            )
            _drop_body(request, length)
            response = HttpResponse(body, status=413)
            # Whatever is left unread must not be taken for the next request on this connection.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


DRAINED_AT_MOST = 32_000_000  # the proxy's own cap (deploy/Caddyfile): it refuses longer bodies
DRAIN_CHUNK = 256 * 1024


def _drop_body(request, length: int) -> None:
    """Reads and throws away a refused body (up to the proxy's cap) before the answer goes out.
    Closing a socket that still holds unread data resets the connection: the proxy, still
    sending the body it buffered, then loses the 413 and answers 502 instead."""
    if length > DRAINED_AT_MOST:
        return
    stream = request.META.get("wsgi.input")
    left = length
    while stream is not None and left > 0:
        chunk = stream.read(min(DRAIN_CHUNK, left))
        if not chunk:
            break
        left -= len(chunk)


class IdleSessionMiddleware:
    """Ends a session after SESSION_IDLE_SECONDS without a request, and in any case
    SESSION_MAX_SECONDS after signing in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            started = request.session.get(SIGNED_IN_AT)
            if last is not None and now - last > settings.SESSION_IDLE_SECONDS:
                hours = settings.SESSION_IDLE_SECONDS / 3600
                message = _("You were signed out after %(hours)g hours without activity.")
                return _end_session(request, message % {"hours": hours})
            if started is not None and now - started > settings.SESSION_MAX_SECONDS:
                hours = settings.SESSION_MAX_SECONDS / 3600
                message = _("Please sign in again: a session lasts at most %(hours)g hours.")
                return _end_session(request, message % {"hours": hours})
            if last is None or now - last >= TOUCH_EVERY_SECONDS:
                touch_session(request.session)
        return self.get_response(request)


def _end_session(request, message: str):
    logout(request)
    messages.info(request, message)
    return redirect(f"{reverse('login')}?{urlencode({'next': request.path})}")


# Pages a person who still owes the second factor may open.
OPEN_BEFORE_SECOND_FACTOR = {
    "two-factor-verify",
    "two-factor-enrol",
    "logout",
    "healthz",
    "csp-report",
    "login",
}


class SecondFactorMiddleware:
    """Secretaries and administrators (and anyone who enrolled) must enter a code from their
    authenticator app before any other page, the admin site included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not second_factor.is_verified(request):
            enrolled = second_factor.is_enrolled(request)
            if (enrolled or second_factor.is_required(user)) and not _is_open(request):
                target = reverse("two-factor-verify" if enrolled else "two-factor-enrol")
                url = f"{target}?{urlencode({'next': request.get_full_path()})}"
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(url)
                return redirect(url)
        return self.get_response(request)


def _is_open(request) -> bool:
    if request.path_info.startswith(f"/{settings.STATIC_URL.strip('/')}/"):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # a 404 page reveals nothing
    return match.url_name in OPEN_BEFORE_SECOND_FACTOR


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; signed-in pages are never stored by a browser or
    a shared cache (they show what only this person may see)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
            patch_vary_headers(response, ["Cookie"])
        return response
