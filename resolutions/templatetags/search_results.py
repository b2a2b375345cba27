"""The search results, built in Python: a page lists 25 actions, and through the template
language each one's filters, conditions and plural cost more than finding it."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .escaping import escape
from .wordings import DateWords

register = template.Library()


@register.simple_tag
def search_results(items) -> str:
    """One <li> per result (queries.search.Item): title, review state, where it belongs, and
    the titles of the evidence that matched."""
    dates = DateWords()
    matching = escape(_("Matching evidence:"))
    out = []
    for item in items:
        facts = f"{escape(item.nation)} · {escape(item.reference)} · {escape(item.details)}"
        if item.date:
            facts += f' · <time datetime="{item.date.isoformat()}">{dates.short(item.date)}</time>'
        evidence = ""
        if item.evidence:
            evidence = "; ".join(escape(title) for title in item.evidence)
            if item.more_evidence:
                more = ngettext(
                    "(and %(counter)s more)", "(and %(counter)s more)", item.more_evidence
                )
                evidence += " " + escape(more % {"counter": item.more_evidence})
            evidence = (
                f'    <p class="search-result__evidence"><strong>{matching}</strong> '
                f"{evidence}</p>\n"
            )
        out.append(
            '  <li class="search-result">\n'
            '    <div class="action-item__head">\n'
            f'      <h2 class="search-result__title"><a href="{escape(item.url)}">'
            f"{escape(item.title)}</a></h2>\n"
            f'      <span class="review review--{escape(item.review_state)}">'
            f"{escape(item.review_label)}</span>\n"
            "    </div>\n"
            f'    <p class="muted">{facts}</p>\n'
            f"{evidence}"
            "  </li>\n"
        )
    # Every value above went through escape().
    return mark_safe("".join(out))  # noqa: S308
