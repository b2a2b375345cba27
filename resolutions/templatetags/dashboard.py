"""A nation's dashboard, built in Python: the current resolutions' commitments, a table per
resolution, and one line for each older resolution. A busy delegation has hundreds of rows and a
hundred folded lines, and through the template language (regroup, includes, a translation per
heading and cell) they cost more than reading them."""

from itertools import groupby

from django import template
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Resolution
from .escaping import escape
from .tracker import badge
from .wording import text_language_of
from .wordings import DateWords, StatusWords

register = template.Library()


def document_kinds() -> dict[str, str]:
    """ "Resolution", "Declaration"… by value, translated and escaped once per page."""
    return {value: escape(str(label)) for value, label in Resolution.DocumentType.choices}


@register.simple_tag(takes_context=True)
def dashboard_groups(context, rows) -> str:
    """A section per resolution (rows come grouped, in the resolutions' order): its heading,
    the next deadline of its reporting round, and the table of its commitments."""
    if not rows:
        nothing, show_all = escape(_("No commitments match.")), escape(_("Show all"))
        return mark_safe(f'<p>{nothing} <a href="?">{show_all}</a></p>\n')  # noqa: S308
    language = text_language_of(context.get("request"))
    kinds = document_kinds()
    heads = "".join(
        f'        <th scope="col"{css}>{escape(word)}</th>\n'
        for word, css in (
            (_("Commitment"), ""), (_("Status"), ""), (_("Actions"), ' class="num"'),
            (_("Evidence"), ""), (_("Last update"), ""),
        )
    )  # fmt: skip
    caption, deadline = _("Commitments of resolution %(number)s"), None
    statuses, dates = StatusWords(), DateWords()
    out = []
    for _pk, group in groupby(rows, key=lambda row: row.commitment.resolution_id):
        group = list(group)
        resolution = group[0].commitment.resolution
        pk, number = resolution.pk, escape(resolution.number)
        title = resolution.title_for(language)
        kind = kinds.get(resolution.document_type) or escape(resolution.document_type)
        out.append(
            f'<section class="dashboard-group" aria-labelledby="res-{pk}">\n'
            f'  <h2 id="res-{pk}"><a href="{escape(resolution.get_absolute_url())}">'
            f'{kind} {number}</a>: <span lang="{escape(title.language)}">{escape(title.text)}'
            "</span></h2>\n"
        )
        next_round = group[0].next_round
        if next_round:
            deadline = deadline or _("Next deadline: <strong>%(date)s</strong> (%(name)s)")
            when = formats.date_format(next_round.deadline, "j F Y")
            # The translation's own markup is kept; what goes into it is escaped.
            said = deadline % {"date": escape(when), "name": escape(next_round.name)}
            out.append(f'  <p class="deadline">{said}</p>\n')
        out.append(
            '  <div class="table-scroll">\n'
            '  <table class="table dashboard">\n'
            f'    <caption class="visually-hidden">'
            f"{escape(caption % {'number': resolution.number})}</caption>\n"
            f"    <thead>\n      <tr>\n{heads}      </tr>\n    </thead>\n"
            f"    <tbody>\n{_rows(group, statuses, dates)}    </tbody>\n"
            "  </table>\n  </div>\n</section>\n"
        )
    # Every value above went through escape(); the deadline's markup is the translation's.
    return mark_safe("".join(out))  # noqa: S308


@register.simple_tag
def folded_resolutions(folded, query="") -> str:
    """The dashboard's earlier resolutions, one line each, built in Python: a long archive is a
    hundred lines. What every line says alike is translated once."""
    kinds = document_kinds()
    show_format = _("Show the commitments of %(number)s")
    deadline_format = _("next deadline %(date)s")
    counted: dict[int, str] = {}
    deadlines: dict = {}
    out = []
    for fold in folded:
        resolution = fold.resolution
        number = escape(resolution.number)
        url = escape(f"{fold.url}{query}")
        details = counted.get(fold.commitments)
        if details is None:
            details = counted[fold.commitments] = escape(
                ngettext("%(counter)s commitment", "%(counter)s commitments", fold.commitments)
                % {"counter": fold.commitments}
            )
        if fold.next_round:
            deadline = fold.next_round.deadline
            if deadline not in deadlines:
                deadlines[deadline] = escape(
                    deadline_format % {"date": formats.date_format(deadline, "j F Y")}
                )
            details += " · " + deadlines[deadline]
        kind = kinds.get(resolution.document_type) or escape(resolution.document_type)
        out.append(
            f'    <div class="folded" id="fold-{resolution.pk}">\n'
            f'      <span class="folded__title">{kind} '
            f"{number}: {escape(resolution.title)}</span>\n"
            f'      <span class="muted">{details}</span>\n'
            f'      <a class="folded__open" href="{url}" hx-get="{url}" '
            f'hx-target="#fold-{resolution.pk}" hx-swap="outerHTML" hx-push-url="false">'
            + escape(show_format % {"number": resolution.number})
            + "</a>\n    </div>\n"
        )
    # Every value above went through escape().
    return mark_safe("".join(out))  # noqa: S308


def _rows(rows, statuses: StatusWords, dates: DateWords) -> str:
    """The rows of one resolution's table (queries.dashboard.CommitmentRow)."""
    words = {
        "actions": escape(_("Actions")),
        "evidence": escape(_("Evidence")),
        "last_update": escape(_("Last update")),
        "no_evidence": escape(_("No evidence")),
        "yes": escape(_("Yes")),
        "never": escape(_("Never")),
        "stale": escape(_("Stale")),
    }
    out = []
    for row in rows:
        if row.action_count and not row.has_evidence:
            evidence = f'<span class="flag flag--missing">{words["no_evidence"]}</span>'
        elif row.has_evidence:
            evidence = f'<span class="flag flag--ok">{words["yes"]}</span>'
        else:
            evidence = '<span class="muted">—</span>'
        if row.last_update:
            local = dates.local(row.last_update)
            updated = f'<time datetime="{local.isoformat()}">{dates.short(local)}</time>'
        else:
            updated = f'<span class="muted">{words["never"]}</span>'
        if row.stale:
            updated += f' <span class="flag flag--stale">{words["stale"]}</span>'
        out.append(
            f'      <tr class="{"is-stale" if row.stale else ""}">\n'
            '        <th scope="row" class="dashboard__commitment">\n'
            f'          <a href="{escape(row.url)}">{escape(row.commitment.label)}</a>\n'
            f'          <span class="dashboard__text">{escape(row.summary)}</span>\n'
            "        </th>\n"
            f"        <td>{badge(*statuses.of(row.status))}</td>\n"
            f'        <td class="num" data-label="{words["actions"]}">{row.action_count}</td>\n'
            f'        <td data-label="{words["evidence"]}">{evidence}</td>\n'
            f'        <td data-label="{words["last_update"]}">{updated}</td>\n'
            "      </tr>\n"
        )
    return "".join(out)
