"""The site's header, drawn in Python: it is on every page, and through the template language
(a dozen URLs, translations and comparisons with the current page) it cost about a millisecond
of each, as much as some pages' own content. What it offers comes from the navigation context
processor (permissions.py decides)."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from .escaping import escape

register = template.Library()

NO_TOKEN = "NOTPROVIDED"  # noqa: S105 (what Django's {% csrf_token %} draws as nothing)


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    request = context.get("request")
    user = context.get("user")
    csrf_token = context.get("csrf_token")
    token = ""
    if csrf_token and csrf_token != NO_TOKEN:
        token = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
    # Looked up outside the f-strings: makemessages does not read inside them.
    words = {
        name: escape(text)
        for name, text in (
            ("tracker", _("Commitment Tracker")), ("main", _("Main")),
            ("site_search", _("Site search")), ("search", _("Search")),
            ("search_for", _("Search actions and evidence")), ("sign_out", _("Sign out")),
            ("administration", _("Administration")), ("language", _("Language")),
        )
    }  # fmt: skip
    match = getattr(request, "resolver_match", None)
    here = match.url_name if match else None

    def link(name: str, label: str, url: str = "") -> str:
        current = ' aria-current="page"' if here == name else ""
        return f'<a href="{escape(url or reverse(name))}"{current}>{escape(label)}</a>'

    out = [
        '  <header class="site-header">\n    <div class="site-header__inner">\n'
        f'      <a class="site-name" href="{escape(reverse("home"))}">'
        f"{words['tracker']}</a>\n"
    ]
    if user is not None and user.is_authenticated:
        nav = context.get("nav") or {}
        items = []
        if nav.get("own_nation"):
            url = reverse("nation-dashboard", kwargs={"code": nav["own_nation"].code})
            items.append(link("nation-dashboard", _("My nation"), url))
        items += [link("resolution-list", _("Resolutions")), link("matrix", _("Matrix"))]
        if nav.get("can_review"):
            items.append(link("review-queue", _("Review")))
        items.append(link("round-list", _("Rounds")))
        if nav.get("can_import"):
            items.append(link("resolution-import", _("Import")))
        if user.is_staff:
            admin = escape(reverse("admin:index"))
            items.append(f'<a href="{admin}">{words["administration"]}</a>')
        listed = "".join(f"          <li>{item}</li>\n" for item in items)
        search_words = words["search_for"]
        nation = f" · {escape(user.nation.name)}" if user.nation else ""
        preferences = link("preferences", _("Preferences"))
        security = link("two-factor", _("Security"))
        out.append(
            f'      <nav class="site-nav" aria-label="{words["main"]}">\n'
            f"        <ul>\n{listed}        </ul>\n      </nav>\n"
            f'      <form class="site-search" method="get" action="{escape(reverse("search"))}" '
            f'role="search" aria-label="{words["site_search"]}">\n'
            f'        <label for="site-search-q" class="visually-hidden">{search_words}</label>\n'
            '        <input type="search" id="site-search-q" name="q" '
            f'placeholder="{search_words}">\n'
            f'        <button type="submit" class="site-search__button">{words["search"]}'
            "</button>\n      </form>\n"
            '      <div class="site-user">\n'
            f'        <span class="site-user__name">{escape(user)}{nation} '
            f'<span class="role">({escape(user.get_role_display())})</span></span>\n'
            f"        {preferences}\n"
            f"        {security}\n"
            f'        <form method="post" action="{escape(reverse("logout"))}">{token}'
            f'<button type="submit" class="link-button">{words["sign_out"]}</button>'
            "</form>\n      </div>\n"
        )
    current = get_language()
    buttons = "".join(
        f'<button type="submit" name="language" value="{escape(code)}" lang="{escape(code)}" '
        f'class="link-button">{escape(capfirst(get_language_info(code)["name_local"]))}</button>'
        for code, _name in settings.LANGUAGES
        if code != current
    )
    path = request.get_full_path() if request is not None else ""
    out.append(
        '      <form class="language-switch" method="post" '
        f'action="{escape(reverse("set-language"))}" aria-label="{words["language"]}">\n'
        f'        {token}<input type="hidden" name="next" value="{escape(path)}">\n'
        f"        {buttons}\n      </form>\n    </div>\n  </header>\n"
    )
    # Every value above went through escape().
    return mark_safe("".join(out))  # noqa: S308
