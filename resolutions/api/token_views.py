"""Personal API tokens under Preferences: create one (shown once), revoke one."""

import datetime

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..models import ApiToken, SecurityEvent
from ..security import events as security_events
from . import tokens

EXPIRY_CHOICES = [
    ("30", gettext_lazy("In 30 days")),
    ("90", gettext_lazy("In 90 days")),
    ("365", gettext_lazy("In a year")),
    ("", gettext_lazy("Never (until revoked)")),
]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Token name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “Ministry reporting script”."),
    )
    expires = forms.ChoiceField(
        label=gettext_lazy("Expires"), choices=EXPIRY_CHOICES, required=False, initial="90"
    )

    def expires_at(self):
        days = self.cleaned_data.get("expires")
        return timezone.now() + datetime.timedelta(days=int(days)) if days else None


@require_POST
def token_create(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return render(request, "api/token_created.html", {"form": form}, status=422)
    token, raw = tokens.create_token(request.user, form.cleaned_data["name"], form.expires_at())
    security_events.record(
        SecurityEvent.Kind.API_TOKEN, request=request, detail=f"created {tokens.named(token)}"
    )
    # Shown this once: only its hash is kept. no-store keeps it out of the browser's cache.
    response = render(request, "api/token_created.html", {"token": token, "raw": raw})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request, pk: int):
    revoked = tokens.revoke_tokens(ApiToken.objects.filter(user=request.user, pk=pk))
    if not revoked:
        raise Http404  # not theirs, or already revoked: nothing to say about it
    security_events.record(
        SecurityEvent.Kind.API_TOKEN, request=request, detail=f"revoked {tokens.named(revoked[0])}"
    )
    messages.success(request, _("The token was revoked; programs using it are refused now."))
    return redirect("/preferences/#api-tokens")
