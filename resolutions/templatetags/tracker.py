"""Small template helpers for the tracker's pages."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..changes import CHOICES
from ..models import ImplementationStatus, NationalAction
from ..queries.links import pk_url_maker, url_maker
from ..text import first_words
from .escaping import escape
from .wordings import DateWords, StatusWords

register = template.Library()

# Each label an action's list item shows, by value (lazy: in the reader's language).
ACTION_CHOICES = {**CHOICES, "review_state": NationalAction.ReviewState.labels_by_value()}


@register.filter
def get_item(mapping, key):
    """{{ counts|get_item:"implemented" }}: a dictionary value by key in a template."""
    return mapping.get(key) if mapping else None


@register.filter
def with_information(counts) -> int:
    """How many cells carry a status other than "no information"."""
    return sum(n for status, n in counts.items() if status != "no_information")


@register.filter
def status_symbol(value) -> str:
    return ImplementationStatus.Status.symbol_of(value)


@register.simple_tag
def matrix_table(matrix) -> str:
    """The matrix as one HTML table, built in Python: 32 nations × every commitment is too many
    cells for the template language (an include and two URL reversals per cell took about
    half a second at 12 commitments)."""
    detail_url = url_maker("commitment-detail")
    cell_url = url_maker("matrix-cell")
    nations = [(escape(m.code), escape(m.name)) for m in matrix.members]
    out = [
        '<table class="matrix">\n  <caption class="visually-hidden">',
        escape(_("Implementation status of each commitment (rows) by each nation (columns)")),
        '</caption>\n  <thead>\n    <tr>\n      <th scope="col" class="matrix__corner">',
        escape(_("Commitment")),
        "</th>\n      ",
    ]
    out += [
        f'<th scope="col" class="matrix__nation"><abbr title="{name}">{code}</abbr></th>'
        for code, name in nations
    ]
    # Labels are looked up outside the f-strings: makemessages does not read inside them.
    implemented_title, implemented = _("Nations that implemented it"), _("Impl.")
    informed_title, informed = _("Nations with information"), _("Info")
    out.append(
        '\n      <th scope="col" class="matrix__total"><abbr title="'
        f'{escape(implemented_title)}">{escape(implemented)}</abbr></th>\n'
        '      <th scope="col" class="matrix__total"><abbr title="'
        f'{escape(informed_title)}">{escape(informed)}</abbr></th>\n'
        "    </tr>\n  </thead>\n  <tbody>\n"
    )
    resolution_url = escape(matrix.resolution.get_absolute_url())
    # Everything said the same way in every cell is translated once: gettext per cell was most
    # of the table's time (about 400 cells for 12 commitments).
    words = StatusWords()
    tip_format, name_format = _("%(name)s: %(value)s"), _("%(label)s, %(nation)s: %(status)s")
    dates = DateWords()
    for row in matrix.rows:
        commitment = row.commitment
        label = escape(commitment.label)
        out.append(
            f'    <tr>\n      <th scope="row" class="matrix__commitment"><a href="'
            f'{resolution_url}#commitment-{label}" title="'
            f'{escape(first_words(commitment.text, 30))}">{label}</a></th>\n'
        )
        for (code, name), cell in zip(nations, row.cells, strict=True):
            if not cell.shown:
                out.append('      <td class="matrix__cell is-filtered">\n        \n      </td>\n')
                continue
            status, status_label, symbol = words.of(cell.status)
            # A visible tooltip (CSS, on hover and on focus): nation, status, last update.
            tip = tip_format % {"name": name, "value": status_label}
            if cell.updated_at:
                tip += " · " + dates.updated(cell.updated_at)
            cell_name = name_format % {"label": label, "nation": name, "status": status_label}
            out.append(
                f'      <td class="matrix__cell status--{status}">\n        <a href="'
                f'{detail_url(code, commitment.pk)}"\n           hx-get="'
                f'{cell_url(code, commitment.pk)}" hx-target="#cell-panel" hx-swap="innerHTML"\n'
                f'           aria-label="{cell_name}"\n'
                f'           data-tip="{tip}"><span aria-hidden="true">'
                f"{symbol}</span></a>\n      </td>\n"
            )
        out.append(
            f'      <td class="matrix__total">{row.counts.get("implemented") or 0}</td>\n'
            f'      <td class="matrix__total">{with_information(row.counts)}</td>\n    </tr>\n'
        )
    if not matrix.rows:
        nothing = _("No commitment matches these filters.")
        out.append(f'    <tr><td colspan="{len(nations) + 3}">{escape(nothing)}</td></tr>\n')
    out.append(
        '  </tbody>\n  <tfoot>\n    <tr>\n      <th scope="row">'
        + escape(_("Implemented"))
        + "</th>\n      "
    )
    out += [
        f'<td class="matrix__total">{counts.get("implemented") or 0}</td>'
        for counts in matrix.column_counts
    ]
    out.append(
        f'\n      <td class="matrix__total">{matrix.totals.get("implemented") or 0}</td>\n'
        f'      <td class="matrix__total">{with_information(matrix.totals)}</td>\n'
        "    </tr>\n  </tfoot>\n</table>"
    )
    # Every value above went through escape(); the rest is this function's own markup.
    return mark_safe("".join(out))  # noqa: S308


@register.simple_tag
def status_badge(value, label) -> str:
    """The status badge (symbol and label) of _status_badge.html, without an include: the
    dashboard shows one per commitment, hundreds on a page."""
    return mark_safe(badge(escape(value), escape(label), status_symbol(value)))  # noqa: S308


def badge(value: str, label: str, symbol: str) -> str:
    """A status badge from escaped parts."""
    return (
        f'<span class="status status--{value}"><span class="status__symbol" aria-hidden="true">'
        f"{symbol}</span> {label}</span>"
    )


@register.simple_tag
def nation_strip(chips, current) -> str:
    """Every nation's status on one commitment (the commitment page's strip), built in Python:
    32 chips, each naming its nation three times, cost more through the template language than
    the rest of the page's top."""
    words = StatusWords()
    title_format = _("%(name)s: %(value)s")
    out = []
    for chip in chips:
        nation = chip.member
        name, code = escape(nation.name), escape(nation.code)
        status, label, symbol = words.of(chip.status)
        mark = " is-current" if nation.pk == current.pk else ""
        title = title_format % {"name": name, "value": label}
        out.append(
            f'    <li class="nation-chip status--{status}{mark}">\n'
            f'      <a href="{escape(chip.url)}" title="{title}"><abbr title="{name}">'
            f'{code}</abbr> <span class="status__symbol" aria-hidden="true">'
            f"{symbol}</span>"
            f'<span class="visually-hidden">: {label}</span></a>\n'
            "    </li>\n"
        )
    # Every value above went through escape().
    return mark_safe("".join(out))  # noqa: S308


@register.simple_tag
def select_options(choices, chosen) -> str:
    """A filter's <option>s (the empty choice left out: templates write "Any" themselves), built
    in Python: a hundred resolutions through the template language's loop and comparisons cost
    more than the rest of a filter form."""
    chosen = "" if chosen is None else str(chosen)
    out = []
    for value, label in choices:
        value = str(value)
        if not value:
            continue
        selected = " selected" if value == chosen else ""
        out.append(f'<option value="{escape(value)}"{selected}>{escape(label)}</option>')
    # Every value above went through escape().
    return mark_safe("".join(out))  # noqa: S308


@register.simple_tag
def action_item(action, can_edit=False, just_saved=None) -> str:
    """One national action in a commitment's list (the `item` partial of _action.html)."""
    # Every value in it went through escape() or linebreaksbr's own escaping.
    return mark_safe(action_item_maker(can_edit, just_saved)(action))  # noqa: S308


@register.simple_tag
def action_items(actions, can_edit=False, just_saved=None) -> str:
    """A commitment's list of national actions, each as action_item draws it."""
    item = action_item_maker(can_edit, just_saved)
    # Every value in them went through escape() or linebreaksbr's own escaping.
    return mark_safe("".join(item(action) for action in actions))  # noqa: S308


def action_item_maker(can_edit: bool, just_saved):
    """A function action -> HTML of its list item, built in Python: a busy commitment lists
    dozens, and each through the template language (four choice labels, a plural, three URLs,
    includes) cost more than the rest of the page. What every item says alike (labels, words,
    URL patterns) is worked out once per list."""
    labels = {
        name: {value: escape(str(label)) for value, label in choices.items()}
        for name, choices in ACTION_CHOICES.items()
    }
    words = {
        name: escape(text)
        for name, text in (
            ("returned_by", _("Returned by the secretariat:")), ("edit", _("Edit")),
            ("add_evidence", _("Add evidence")), ("revise", _("Revise")), ("to", _("to")),
            ("withdraw", _("Withdraw or add evidence")),
        )
    }  # fmt: skip
    quoted = _("“%(title)s”")
    detail_url, edit_url = pk_url_maker("action-detail"), pk_url_maker("action-edit")
    revise_url = pk_url_maker("action-revise")
    dates = DateWords()
    evidence_counts: dict[int, str] = {}

    def label(name: str, value: str) -> str:
        return labels[name].get(value) or escape(value)

    def item(action) -> str:
        pk, title = action.pk, escape(action.title)
        state = action.review_state
        focus = " data-autofocus" if just_saved == pk else ""
        detail = escape(detail_url(pk))
        # Counted with the list (queries.commitment), or read with the action.
        n = getattr(action, "evidence_count", None)
        if n is None:
            n = len(action.evidence.all())
        if n not in evidence_counts:
            evidence_counts[n] = escape(
                ngettext("%(counter)s piece of evidence", "%(counter)s pieces of evidence", n)
                % {"counter": n}
            )
        facts = " · ".join(
            label(name, getattr(action, name)) for name in ("action_type", "actor", "stage")
        )
        if action.date:
            facts += (
                f' · <time datetime="{action.date.isoformat()}">{dates.short(action.date)}</time>'
            )
        facts += " · " + evidence_counts[n]
        out = [
            f'<li class="action-item" id="action-{pk}"{focus}>\n'
            '  <div class="action-item__head">\n'
            f'    <h3 class="action-item__title"><a href="{detail}">{title}</a></h3>\n'
            f'    <span class="review review--{escape(state)}">'
            f"{label('review_state', state)}</span>\n"
            "  </div>\n"
            f'  <p class="muted">{facts}</p>\n'
        ]
        if action.description:
            out.append(f"  <p>{linebreaksbr(action.description, autoescape=True)}</p>\n")
        if state == "returned" and action.review_comment:
            out.append(
                f'  <p class="review-comment"><strong>{words["returned_by"]}</strong> '
                f"{escape(action.review_comment)}</p>\n"
            )
        evidence_url = f"{detail}#evidence"
        if can_edit and action.is_editable_state:
            edit = escape(edit_url(pk))
            hidden = escape(quoted % {"title": action.title})
            out.append(
                '  <p class="action-item__tools">\n'
                f'    <a href="{edit}" hx-get="{edit}" hx-target="#action-{pk}" '
                f'hx-swap="outerHTML">{words["edit"]}'
                f'<span class="visually-hidden"> {hidden}</span></a>\n'
                f'    · <a href="{evidence_url}">{words["add_evidence"]}</a>\n'
                "  </p>\n"
            )
        elif can_edit and state == "accepted":
            revise = escape(revise_url(pk))
            out.append(
                '  <p class="action-item__tools">\n'
                f'    <a href="{revise}">{words["revise"]}'
                f'<span class="visually-hidden"> “{title}”</span></a>\n'
                f'    · <a href="{evidence_url}">{words["add_evidence"]}'
                f'<span class="visually-hidden"> {words["to"]} “{title}”</span></a>\n'
                "  </p>\n"
            )
        elif can_edit and state == "submitted":
            out.append(
                '  <p class="action-item__tools">\n'
                f'    <a href="{detail}">{words["withdraw"]}'
                f'<span class="visually-hidden"> “{title}”</span></a>\n'
                "  </p>\n"
            )
        out.append("</li>\n")
        return "".join(out)

    return item
