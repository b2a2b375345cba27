"""One JSON shape for every error the API answers:

    {"error": {"status": 409, "code": "stale_edit", "message": "…", "fields": {"title": ["…"]}},
     "current": {…}}

`fields` only for invalid input, `current` only for a stale write (the object as saved now).
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class Conflict(exceptions.APIException):
    """409: the write collides with the saved state (a newer version, or a review state)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, message, *, code="conflict", current=None):
        super().__init__(message, code)
        self.code = code
        self.current = current


def handle_exception(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            {"non_field_errors": exc.messages} if not hasattr(exc, "error_dict")
            else exc.message_dict
        )  # fmt: skip
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or not yours to see."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's own handling (500, logged)
    detail = response.data
    error = {"status": response.status_code}
    if isinstance(exc, exceptions.ValidationError):
        error.update(code="invalid", message=_("Some values are not valid."), fields=detail)
        if isinstance(detail, list):
            error["fields"] = {"non_field_errors": detail}
    else:
        error["code"] = getattr(exc, "code", None) or _code(exc)
        error["message"] = str(detail.get("detail", "") if isinstance(detail, dict) else detail)
    body = {"error": error}
    if isinstance(exc, Conflict) and exc.current is not None:
        body["current"] = exc.current
    return Response(body, status=response.status_code, headers=_headers(response))


def _code(exc) -> str:
    codes = exc.get_codes() if hasattr(exc, "get_codes") else "error"
    return codes if isinstance(codes, str) else "error"


def _headers(response) -> dict:
    return {k: v for k, v in response.items() if k in {"WWW-Authenticate", "Retry-After"}}


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": True},
            },
        },
        "current": {"type": "object", "additionalProperties": True},
    },
}
ERRORS = {
    "400": "Invalid input (unknown filter value, missing field, bad choice)",
    "401": "No valid token or session",
    "403": "Not allowed",
    "404": "Not found, or not yours to see",
    "405": "Method not allowed",
    "406": "Not acceptable",
    "409": "Stale version or review state: the saved object is in `current`",
    "415": "Unsupported media type",
    "429": "Too many requests: wait Retry-After seconds",
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular hook: every operation may answer with the error shape."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
