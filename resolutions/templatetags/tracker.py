"""Small template helpers for the tracker's pages."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """{{ counts|get_item:"implemented" }}: a dictionary value by key in a template."""
    return mapping.get(key) if mapping else None


@register.filter
def with_information(counts) -> int:
    """How many cells carry a status other than "no information"."""
    return sum(n for status, n in counts.items() if status != "no_information")
