"""The review queue's items, built in Python: each carries the commitment, the nation's status,
every piece of evidence, earlier comments and a table of changes, and 25 of them through the
template language (loops, filters, an include and a URL per evidence item) cost more than
reading them from the database."""

from django import template
from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..models import Evidence
from ..queries.links import pk_url_maker
from ..text import first_chars
from .escaping import escape

register = template.Library()


def queue_words() -> dict[str, str]:
    """What every item says alike, translated and escaped once per page."""
    words = {
        "comment": _("Comment for the delegation"),
        "required": _("required to return"),
        "accept": _("Accept"),
        "send_back": _("Return for revision"),
        "commitment": _("Commitment"),
        "status": _("Nation's status"),
        "evidence": _("Evidence"),
        "none": _("None"),
        "new_tab": _("(opens in a new tab)"),
        "awaiting": _("new, awaiting review"),
        "earlier": _("Earlier comments"),
        "revision": _("Revision of an accepted action"),
        "against_accepted": _("Changes against the accepted version"),
        "since_returned": _("Changes since it was returned"),
    }
    return {name: escape(text) for name, text in words.items()}


@register.simple_tag
def review_items(items, page_number: int, query: dict, csrf_token: str) -> str:
    """Every item of a page of the queue, each with its context and its decision form; the
    form carries the queue's filters and page, so that a decision comes back to them."""
    words = queue_words()
    kept = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in query.items()
    )
    if page_number > 1:
        kept += f'<input type="hidden" name="page" value="{page_number}">'
    hidden = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
    evidence = EvidenceLines(words)
    out = [_item(item, words, hidden + kept, evidence) for item in items]
    # Every value in them went through escape().
    return mark_safe("".join(out))  # noqa: S308


def _item(item, words: dict[str, str], hidden: str, evidence: "EvidenceLines") -> str:
    ctx = item.context
    pk = item.pk
    revision = f' <span class="review review--submitted">{words["revision"]}</span>'
    status = escape(ctx.status_label)
    if ctx.justification:
        status += ": " + escape(ctx.justification)
    out = [
        f'  <li class="review-item" id="review-{pk}">\n'
        f'    <h2 class="review-item__title"><a href="{escape(item.url)}">{escape(item.title)}'
        f"</a>{revision if ctx.is_revision else ''}</h2>\n"
        f'    <p class="muted">{escape(item.details)}</p>\n'
    ]
    if item.description:
        out.append(f"    <p>{escape(item.description)}</p>\n")
    out.append(
        '    <dl class="review-context">\n'
        f"      <dt>{words['commitment']}</dt><dd>{escape(item.commitment_text)}</dd>\n"
        f"      <dt>{words['status']}</dt><dd>{status}</dd>\n"
        f"      <dt>{words['evidence']}</dt>\n"
        f"      <dd>{evidence.html(ctx.evidence)}</dd>\n"
    )
    if ctx.earlier_comments:
        comments = "".join(f"<li>{escape(c)}</li>" for c in ctx.earlier_comments)
        out.append(f"      <dt>{words['earlier']}</dt><dd><ul>{comments}</ul></dd>\n")
    out.append("    </dl>\n")
    if ctx.compared_with:
        subtitle = words["against_accepted"] if ctx.is_revision else words["since_returned"]
        out.append(
            f'    <h3 class="review-item__subtitle">{subtitle}</h3>\n{changes_table(ctx.changes)}'
        )
    error, invalid = "", ""
    if item.error:
        error = (
            f'      <p class="field-error" id="comment-{pk}-error" role="alert" data-autofocus>'
            f"{escape(item.error)}</p>\n"
        )
        invalid = f' aria-invalid="true" aria-describedby="comment-{pk}-error"'
    quoted = f'<span class="visually-hidden"> {escape(item.quoted_title)}</span>'
    out.append(
        f'    <form method="post" action="{escape(item.review_url)}" class="review-form">\n'
        f"      {hidden}\n"
        f'      <label for="comment-{pk}">{words["comment"]} '
        f'<span class="optional">({words["required"]})</span></label>\n'
        f"{error}"
        f'      <textarea id="comment-{pk}" name="comment" rows="2"{invalid}>'
        f"{escape(item.typed)}</textarea>\n"
        '      <div class="form-actions">\n'
        '        <button type="submit" name="decision" value="accept" class="button">'
        f"{words['accept']}{quoted}</button>\n"
        '        <button type="submit" name="decision" value="return" '
        f'class="button button--secondary">{words["send_back"]}{quoted}</button>\n'
        "      </div>\n"
        "    </form>\n"
        "  </li>\n"
    )
    return "".join(out)


class EvidenceLines:
    """Each item's evidence as a list; the words, language names and download URL worked out
    once per page."""

    def __init__(self, words: dict[str, str]):
        self.words = words
        self.languages = {value: escape(label) for value, label in Evidence.LANGUAGE_LABELS.items()}
        self.download_url = pk_url_maker("evidence-download")

    def html(self, evidence: list) -> str:
        words = self.words
        if not evidence:
            return words["none"]
        out = []
        for item in evidence:
            if item.kind == "file":
                url = self.download_url(item.pk)
                size = filesizeformat(item.size)
                line = (
                    f'<a href="{escape(url)}">{escape(item.original_name or item.title)}</a> '
                    f'<span class="muted">{escape(item.content_type)} · {escape(size)}</span>'
                )
            else:
                line = (
                    f'<a href="{escape(item.url)}" rel="noopener noreferrer nofollow" '
                    f'target="_blank">{escape(item.title)}'
                    f'<span class="visually-hidden"> {words["new_tab"]}</span></a> '
                    f'<span class="muted">{escape(first_chars(item.url, 60))}</span>'
                )
            if item.language:
                language = self.languages.get(item.language) or escape(item.language)
                line += f' <span class="muted">· {language}</span>'
            if item.pending:
                line += f' <span class="review review--submitted">{words["awaiting"]}</span>'
            out.append(f"<li>{line}</li>")
        return f"<ul>{''.join(out)}</ul>"


@register.simple_tag
def changes_table(changes) -> str:
    """What changed in an action, field by field (changes.FieldChange), as a table: before,
    struck through, and after."""
    if not changes:
        nothing = escape(_("No field changed."))
        return mark_safe(f'<p class="muted">{nothing}</p>\n')  # noqa: S308
    rows = "".join(
        f'<tr><th scope="row">{escape(change.label)}</th>'
        f"<td><del>{linebreaksbr(change.old, autoescape=True)}</del></td>"
        f"<td><ins>{linebreaksbr(change.new, autoescape=True)}</ins></td></tr>"
        for change in changes
    )
    heads = "".join(
        f'<th scope="col">{escape(word)}</th>' for word in (_("Field"), _("Before"), _("After"))
    )
    caption = escape(_("What changed"))
    # Every value above went through escape() or linebreaksbr's autoescape.
    return mark_safe(  # noqa: S308
        '<table class="table changes">\n'
        f'  <caption class="visually-hidden">{caption}</caption>\n'
        f"  <thead><tr>{heads}</tr></thead>\n"
        f"  <tbody>{rows}</tbody>\n"
        "</table>\n"
    )
