"""The base of the filter forms that lists read from their query string (matrix, review queue,
search): a value that is not understood is reported by the filter's label and ignored, and the
filters that were understood still apply."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..models import Committee, Member
from ..models.nations import country_name


class ListedChoiceField(forms.ChoiceField):
    """A filter among values read for the person (resolutions, committees, nations): the
    (value, label) pairs are kept as given and a value is checked against a set. A ChoiceField
    normalizes its choices twice each time they are set, a hundred resolutions on every page.
    The templates draw the options themselves (`select_options`), never the widget."""

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        self._choices = list(value)
        self._values = {str(key) for key, _label in self._choices}

    def valid_value(self, value) -> bool:
        return str(value) in self._values


class FilterForm(forms.Form):
    """A form bound to a query string for the person reading the list. `problems()` validates
    it and says what was wrong, one message per bad value."""

    # Added after each message, e.g. "This filter was ignored."; empty for none.
    ignored_note = ""

    def __init__(self, data, *, user):
        super().__init__(data)
        self.user = user

    def problems(self) -> list[str]:
        """The bad values as messages, "Label: what is wrong"; validates the form first."""
        self.is_valid()
        note = f" {self.ignored_note}" if self.ignored_note else ""
        messages = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            messages += [
                _("%(name)s: %(value)s") % {"name": label, "value": error} + note
                for error in errors
            ]
        return messages

    def understood(self, names) -> dict[str, str]:
        """The filters among `names` that were given and understood, as query-string values."""
        return {
            name: self.cleaned_data[name]
            for name in names
            if name not in self.errors and self.cleaned_data.get(name)
        }


def nation_choices() -> dict[str, tuple[int, str]]:
    """The member nations as {code: (pk, name in the active language)}, in the order of
    their codes, read as rows: the filters list all 32 and use only the one chosen."""
    language = get_language()
    return {
        code: (pk, country_name(code, language))
        for pk, code in Member.objects.filter(kind=Member.Kind.MEMBER).values_list("pk", "country")
    }


def committee_choices() -> dict[str, tuple[int, str]]:
    """The committees as {code: (pk, name in the active language)}."""
    return {
        code: (pk, str(Committee(name=name)))
        for pk, code, name in Committee.objects.values_list("pk", "code", "name")
    }
