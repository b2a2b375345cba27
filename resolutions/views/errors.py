"""The error pages Django shows with DEBUG off. A server error caused by the database being away
becomes a 503 "back shortly" page, rendered without touching the database (no request context:
the user, the session and the navigation all live there)."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.template import loader
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)
DATABASE_AWAY = (OperationalError, InterfaceError)


def server_error(request, template_name="500.html"):
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_AWAY):
        body = loader.render_to_string("503.html")
        response = HttpResponseServerError(body)
        response.status_code = 503
        response["Retry-After"] = "60"
        return response
    return django_server_error(request, template_name)
