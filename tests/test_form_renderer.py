"""The form renderer writes the plain widgets in Python: the HTML must be Django's own, byte for
byte, for every kind of value and attribute the templates treat apart."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from tracker.form_renderer import FormRenderer


class EveryWidget(forms.Form):
    title = forms.CharField(max_length=20, help_text="A hint", initial='Quotes " & <tags>')
    nothing = forms.CharField(required=False)
    hidden = forms.IntegerField(widget=forms.HiddenInput, initial=3)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField(min_value=0, initial=0)
    mail = forms.EmailField(required=False, disabled=True)
    link = forms.URLField(initial="https://example.org/?a=1&b=<2>", assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="x&y")
    agree = forms.BooleanField(required=False, initial=True)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), initial="Line 1\n<b>2</b>")
    empty_note = forms.CharField(widget=forms.Textarea, required=False)
    safe_note = forms.CharField(widget=forms.Textarea, initial=mark_safe("<i>kept</i>"))
    kind = forms.ChoiceField(
        choices=[("", "—"), ("a", gettext_lazy("Law")), ("b&c", "B & <C>")], initial="b&c"
    )
    grouped = forms.ChoiceField(
        choices=[("One", [("1", "first"), ("2", "second")]), ("3", "third")], initial="2"
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], initial=["x", "y"])
    upload = forms.FileField(required=False)


def rendered(form_class, renderer, **kwargs):
    form = form_class(renderer=renderer, **kwargs)
    return [str(bound) for bound in form]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"data": {"title": "", "when": "not a date", "count": "-1", "kind": "zz", "many": ["y"]}},
        {"data": {"title": "t", "when": datetime.date(2026, 1, 2), "note": "", "agree": "on"}},
    ],
    ids=["initial", "errors", "bound"],
)
def test_every_plain_widget_is_written_as_djangos_templates_write_it(kwargs):
    ours = rendered(EveryWidget, FormRenderer(), **kwargs)
    djangos = rendered(EveryWidget, DjangoTemplates(), **kwargs)
    assert ours == djangos
    assert any("<select" in html for html in ours) and any("<textarea" in html for html in ours)


def test_other_templates_are_left_to_django():
    class Radios(forms.Form):
        choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)

    form = Radios(renderer=FormRenderer())
    assert str(form["choice"]) == str(Radios(renderer=DjangoTemplates())["choice"])
    assert 'type="radio"' in str(form["choice"])
    assert str(form) == str(Radios(renderer=DjangoTemplates()))


def test_the_project_renders_forms_with_it(settings):
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)
