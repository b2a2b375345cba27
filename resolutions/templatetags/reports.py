"""Template helpers for the status-report links and options; the formats come from
reports/registry.py, the rules from permissions.py."""

from django import template
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .. import permissions
from ..reports import registry
from ..reports.scope import default_language
from .escaping import escape

register = template.Library()


@register.filter
def can_export_everything(user) -> bool:
    return permissions.can_export_everything(user)


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


@register.simple_tag(takes_context=True)
def export_panel(context, scope: str, ident="", query: str = "") -> str:
    """The export links and the report-options form (reports/_export_links.html says what
    they offer), drawn in Python: on the dashboard and the matrix, through the template
    language they cost as much as a dozen of the dashboard's rows."""
    user = context["request"].user
    links = export_links(scope, ident, query)
    words = {
        name: escape(text)
        for name, text in (
            ("status_report", _("Status report (accepted actions):")),
            ("every", _("Every resolution:")), ("format", _("Format")),
            ("options", _("Report options: language, actions awaiting review")),
            ("language", _("Language")), ("csv_rows", _("CSV rows")),
            ("per_action", _("one row per action")),
            ("per_status", _("one row per commitment and nation")),
            ("submitted", _("Include actions awaiting review (marked)")),
            ("drafts", _("Include our drafts and returned actions (marked)")),
            ("make", _("Make the report")),
        )
    }  # fmt: skip
    key = escape(scope)

    def listed(links, label=None) -> str:
        return " · ".join(
            f'<a href="{escape(link["url"])}"'
            + (f' aria-label="{escape(label % {"format": link["label"]})}"' if label else "")
            + f">{escape(link['label'])}</a>"
            for link in links
        )

    out = [
        '<p class="export-links">\n'
        f'  <span class="export-links__label">{words["status_report"]}</span>\n'
        f"  {listed(links)}\n</p>\n"
    ]
    if scope == "resolution" and permissions.can_export_everything(user):
        every = _("%(format)s, every resolution")
        out.append(
            '<p class="export-links">\n'
            f'  <span class="export-links__label">{words["every"]}</span>\n'
            f"  {listed(export_links('all'), every)}\n</p>\n"
        )
    options = export_options(context, scope, ident, query)
    hidden = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in options["hidden"]
    )
    formats = "".join(
        f'<option value="{escape(value)}">{escape(label)}</option>'
        for value, label in options["formats"]
    )
    languages = "".join(
        f'<option value="{escape(value)}"'
        + (" selected" if value == options["language"] else "")
        + f">{escape(label)}</option>"
        for value, label in options["languages"]
    )
    drafts = ""
    if options["drafts"]:
        drafts = (
            '    <div class="field field--inline"><label><input type="checkbox" name="drafts" '
            f'value="1"> {words["drafts"]}</label></div>\n'
        )
    out.append(
        '<details class="export-options">\n'
        f"  <summary>{words['options']}</summary>\n"
        f'  <form method="get" action="{escape(reverse("report-export"))}" class="filters">\n'
        f"    {hidden}\n"
        f'    <div class="field field--inline"><label for="export-format-{key}">'
        f"{words['format']}</label>\n"
        f'      <select id="export-format-{key}" name="format">{formats}</select></div>\n'
        f'    <div class="field field--inline"><label for="export-language-{key}">'
        f"{words['language']}</label>\n"
        f'      <select id="export-language-{key}" name="language">{languages}</select></div>\n'
        f'    <div class="field field--inline"><label for="export-rows-{key}">'
        f"{words['csv_rows']}</label>\n"
        f'      <select id="export-rows-{key}" name="rows"><option value="actions">'
        f'{words["per_action"]}</option><option value="statuses">{words["per_status"]}'
        "</option></select></div>\n"
        '    <div class="field field--inline"><label><input type="checkbox" name="submitted" '
        f'value="1"> {words["submitted"]}</label></div>\n'
        f"{drafts}"
        '    <button type="submit" class="button button--secondary">'
        f"{words['make']}</button>\n"
        "  </form>\n</details>\n"
    )
    # Every value above went through escape().
    return mark_safe("".join(out))  # noqa: S308
