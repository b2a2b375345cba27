"""What the navigation may offer this user, decided by permissions.py (not by templates)."""

from . import permissions


def navigation(request):
    # An error page can be rendered for a request that never reached the auth middleware.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "own_nation": user.nation if permissions.is_editor(user) else None,
            "can_review": permissions.can_review(user),
            "can_manage_rounds": permissions.can_manage_rounds(user),
            "can_import": permissions.can_import_resolutions(user),
        }
    }
