"""Template filters for the status-report links; the rules stay in permissions.py."""

from django import template

from .. import permissions

register = template.Library()


@register.filter
def can_export_everything(user) -> bool:
    return permissions.can_export_everything(user)
