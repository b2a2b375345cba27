"""The Assembly's texts in the reader's language: `{% text_language as lang %}` picks it (the
page's `?text=` choice, else the interface language), and the filters give a resolution's,
clause's or commitment's wording in it, falling back to the other language when there is none.

    {% with w=commitment|text_in:lang %}<p lang="{{ w.language }}">{{ w.text }}</p>
    {% if w.fell_back %}{% fallback_note w %}{% endif %}{% endwith %}
"""

from django import template
from django.utils.translation import get_language

from ..models.documents import Wording

register = template.Library()

TEXT_LANGUAGES = ("en", "fr")


def text_language_of(request) -> str:
    """ "fr" or "en": `?text=` when given, else the interface language."""
    asked = request.GET.get("text", "") if request is not None else ""
    if asked in TEXT_LANGUAGES:
        return asked
    return "fr" if (get_language() or "en").startswith("fr") else "en"


@register.simple_tag(takes_context=True)
def text_language(context) -> str:
    return text_language_of(context.get("request"))


@register.filter
def title_in(resolution, language: str) -> Wording:
    return resolution.title_for(language)


@register.filter
def text_in(obj, language: str) -> Wording:
    """A commitment's or a clause's whole text."""
    return obj.text_for(language)


@register.filter
def verb_in(clause, language: str) -> Wording:
    return clause.verb_for(language)


@register.filter
def body_in(clause, language: str) -> Wording:
    return clause.body_for(language)


@register.filter
def addressees_in(clause, language: str) -> Wording:
    return clause.addressees_for(language)


@register.inclusion_tag("resolutions/_fallback_note.html")
def fallback_note(wording: Wording):
    """ "(English only)" after a text shown in English because it has no French, and the
    reverse."""
    return {"wording": wording}


@register.inclusion_tag("resolutions/_text_language_switch.html", takes_context=True)
def text_language_switch(context, resolution):
    """A link to the same page with the resolution's text in the other language, when the
    resolution has it."""
    language = text_language_of(context.get("request"))
    languages = resolution.languages
    shown = language if language in languages else languages[0]
    other = "en" if shown == "fr" else "fr"
    return {"other": other, "available": other in languages}
