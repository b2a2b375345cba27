"""Signing in with a username and password, and reading the signed-in person once per request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    """Django's ModelBackend, reading the person with their delegation and its nation: every
    page's header names a delegation editor's nation, and the permission rules ask which
    nation an editor works for, so without the join each editor page paid two more queries.

    Sessions opened under ModelBackend's name end once when this backend replaces it."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("delegation__member")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
