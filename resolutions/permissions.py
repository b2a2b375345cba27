"""Who may see and change what: the one place that decides.

Views never filter by role or delegation themselves; they ask here. An object a user may not see
is answered with 404, not 403, so that nothing about it leaks.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Resolution, User


def is_administrator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == User.Role.ADMINISTRATOR)


def is_secretary(user) -> bool:
    return user.is_authenticated and user.role == User.Role.SECRETARY


def is_editor(user) -> bool:
    return (
        user.is_authenticated and user.role == User.Role.EDITOR and user.delegation_id is not None
    )


def can_import_resolutions(user) -> bool:
    """Secretaries and administrators bring new resolutions in."""
    return is_administrator(user) or is_secretary(user)


def visible_resolutions(user):
    """Resolutions are public texts: every signed-in user reads all of them."""
    if not user.is_authenticated:
        return Resolution.objects.none()
    return Resolution.objects.all()


def get_resolution_for_user(user, document_type: str, number: int) -> Resolution:
    """The resolution, or 404 when it does not exist or the user may not read it."""
    if document_type not in Resolution.DocumentType.values:
        raise Http404
    return get_object_or_404(
        visible_resolutions(user).select_related("committee", "session"),
        document_type=document_type,
        number=number,
    )
