"""The export request: the scope's options (scope.py) plus the format, from the registry."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import registry
from .base import Exporter
from .scope import ReportScope, ScopeError, read_scope


class FormatForm(forms.Form):
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=registry.choices)


def read_export(user, data) -> tuple[Exporter, ReportScope]:
    """The exporter and the scope a request names, or a ScopeError that says what to change."""
    form = FormatForm(data)
    if not form.is_valid():
        names = ", ".join(exporter.format.upper() for exporter in registry.EXPORTERS.values())
        raise ScopeError(
            [_("Choose a report format: %(names)s (“%(format)s” is not one).")
             % {"names": names, "format": data.get("format", "")}]
        )  # fmt: skip
    return registry.get(form.cleaned_data["format"]), read_scope(user, data)
