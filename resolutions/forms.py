"""Forms for what delegation staff type. Each re-shows what was entered when it is refused."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImplementationStatus, NationalAction, ReportingRound

LANGUAGE_CHOICES = [
    ("", _("—")),
    ("en", _("English")),
    ("fr", _("French")),
    ("other", _("Other")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class NationalActionForm(forms.ModelForm):
    """Title, description, type, actor, date and stage of a national action. `version` is the
    version the editor started from, so that a second editor's save is caught."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = NationalAction
        fields = ["title", "description", "action_type", "actor", "date", "stage"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "date": DateInput(),
        }
        help_texts = {
            "title": _("For example: “Export Control Act amended to cover AI chips”."),
            "date": _("When it was adopted, started or is planned."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "version" not in self.initial:
            self.initial["version"] = self.instance.version


class EvidenceDetailsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)


class EvidenceFileForm(EvidenceDetailsForm):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX, XLSX, ODT, PNG, JPEG or TXT."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,.xlsx,.odt,.png,.jpg,.jpeg,.txt"}
        ),
    )
    field_order = ["file", "title", "date", "language"]

    def __init__(self, *args, **kwargs):
        # Two evidence forms share a page: each needs its own ids for its labels.
        kwargs.setdefault("auto_id", "file-%s")
        super().__init__(*args, **kwargs)


class EvidenceLinkForm(EvidenceDetailsForm):
    url = forms.CharField(
        label=_("Link"),
        max_length=2000,
        help_text=_("A web address starting with https:// or http://."),
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    field_order = ["url", "title", "date", "language"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "link-%s")
        super().__init__(*args, **kwargs)


class ImplementationStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ImplementationStatus.Status.choices)
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for “implemented” and “not applicable”."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if (
            status in ImplementationStatus.NEEDS_JUSTIFICATION
            and not data.get("justification", "").strip()
        ):
            self.add_error(
                "justification", _("Say why: a justification is required for this status.")
            )
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("return", _("Return for revision"))],
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("Comment for the delegation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReportingRoundForm(forms.ModelForm):
    class Meta:
        model = ReportingRound
        fields = ["name", "deadline", "resolutions", "is_open"]
        widgets = {"deadline": DateInput(), "resolutions": forms.CheckboxSelectMultiple}
        help_texts = {
            "name": _("For example: “Progress ahead of the 2027 Spring Session”."),
            "is_open": _("Closed rounds no longer show a deadline to delegations."),
        }


class ResolutionImportForm(forms.Form):
    """A resolution or a session booklet, in English or French: a PDF or a text file uploaded,
    or the text pasted. The preview sends the text back with the texts chosen."""

    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "The Assembly's PDF (one text or a session booklet), or Markdown or plain text "
            "(.md, .txt), in English or French."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.md,.txt,application/pdf,text/plain,text/markdown"}
        ),
    )
    text = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        strip=False,  # error messages name line numbers: keep leading blank lines
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )

    all_or_nothing = forms.BooleanField(
        label=_("Import nothing if one of the chosen texts cannot be imported"), required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("text", "").strip():
            raise forms.ValidationError(_("Choose a file or paste the resolution's text."))
        return data
