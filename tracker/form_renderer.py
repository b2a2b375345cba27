"""Django's form renderer, with the plain widgets (inputs, text areas, selects) written out in
Python from the context Django builds for them: the same HTML as Django's own templates
(django/forms/widgets/input.html, attrs.html, textarea.html, select.html, select_option.html),
which no installed app overrides. Each widget went through three or four template includes,
and the commitment page's two forms (nine widgets) cost a fifth of the page. Any other
template (a form's layout, radio buttons, the admin's widgets) is rendered by Django."""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

WIDGETS = "django/forms/widgets/"
# Widgets whose template is only `{% include "django/forms/widgets/input.html" %}`.
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime",
        "time", "search", "tel", "color", "checkbox", "file",
    )
}  # fmt: skip
TEXTAREA = f"{WIDGETS}textarea.html"
SELECT = f"{WIDGETS}select.html"
OPTION = f"{WIDGETS}select_option.html"


def attributes(attrs: dict) -> str:
    """attrs.html: ` name="value"` each, a bare name for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}")
        if value is not True:
            out.append(f'="{conditional_escape(value)}"')
    return "".join(out)


def input_html(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{attributes(widget["attrs"])}>'
    )


def textarea_html(widget: dict) -> str:
    value = widget["value"]
    text = conditional_escape(value) if value else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>\n'
        f"{text}</textarea>"
    )


def select_html(widget: dict) -> str | None:
    """select.html, or None when an option has a template of its own."""
    out = [f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            out.append(
                f'\n  <option value="{conditional_escape(option["value"])}"'
                f"{attributes(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            )  # select_option.html ends with a line break, which its include keeps
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name in INPUTS:
                return input_html(widget)
            if template_name == TEXTAREA:
                return textarea_html(widget)
            if template_name == SELECT:
                html = select_html(widget)
                if html is not None:
                    return html
        return super().render(template_name, context, request)
