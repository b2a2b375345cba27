"""Template helpers for the status-report links and options; the formats come from
reports/registry.py, the rules from permissions.py."""

from django import template
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode

from .. import permissions
from ..reports import registry
from ..reports.scope import default_language

register = template.Library()


@register.filter
def can_export_everything(user) -> bool:
    return permissions.can_export_everything(user)


@register.simple_tag
def export_links(scope: str, ident="", query: str = "") -> list[dict]:
    """One link per entry of the registry: the report of what the page shows, accepted
    actions only, in the page's language."""
    base = {"scope": scope, **({"id": str(ident)} if scope != "all" else {})}
    links = []
    for link in registry.LINKS:
        parts = [urlencode({**base, "format": link.format})]
        parts += [part for part in (query, link.extra) if part]
        links.append({"label": link.label, "url": f"{reverse('report-export')}?{'&'.join(parts)}"})
    return links


@register.simple_tag(takes_context=True)
def export_options(context, scope: str, ident="", query: str = "") -> dict:
    """What the report-options form needs: its hidden fields, the formats, the languages with
    the person's chosen, and whether the drafts option applies (a delegation's editors)."""
    user = context["request"].user
    hidden = [("scope", scope), *([("id", str(ident))] if scope != "all" else [])]
    hidden += list(QueryDict(query or "").items())
    return {
        "hidden": hidden,
        "formats": registry.choices(),
        "languages": settings.LANGUAGES,
        "language": default_language(user),
        "drafts": permissions.own_member_id(user) is not None,
    }
