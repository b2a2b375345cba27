"""A person's digest preferences, a preview sent on demand, and the one-click unsubscribe link
every digest carries (which works without signing in)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .. import digests, ratelimit
from ..models import DigestPreference, User


class DigestPreferenceForm(forms.ModelForm):
    class Meta:
        model = DigestPreference
        fields = ["frequency", "weekday"]
        widgets = {"frequency": forms.RadioSelect}
        labels = {"frequency": gettext_lazy("Send me a reminder digest")}


@require_http_methods(["GET", "POST"])
def preferences(request):
    preference = digests.preference_of(request.user)
    form = DigestPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your digest preferences are saved."))
            return redirect("preferences")
        return render(request, "resolutions/preferences.html", _context(request, form), status=422)
    return render(request, "resolutions/preferences.html", _context(request, form))


def _context(request, form):
    return {
        "form": form,
        "has_address": bool(request.user.email),
        "gets_content": request.user.role in {User.Role.EDITOR, User.Role.SECRETARY},
    }


@require_POST
def preview(request):
    """Sends the digest as it stands now; it does not count as the period's digest."""
    user = request.user
    if not user.email:
        messages.error(request, _("Your account has no e-mail address to send a preview to."))
        return redirect("preferences")
    if not ratelimit.allow(user, "digest-preview"):
        messages.error(
            request, _("You asked for many previews in a short time. Try again in a few minutes.")
        )
        return redirect("preferences")
    digest = digests.compose_digest(user, timezone.now())
    if digest is None:
        messages.info(request, _("Nothing needs your attention right now, so no e-mail was sent."))
        return redirect("preferences")
    try:
        digests.build_message(digest, preview=True).send()
    except digests.TRANSIENT_MAIL_ERRORS:
        messages.error(request, _("The mail server did not accept the preview. Try again later."))
    else:
        messages.success(
            request,
            _("A preview with %(count)d items was sent to %(email)s.")
            % {"count": digest.count, "email": user.email},
        )
    return redirect("preferences")


# A mail client's one-click unsubscribe (RFC 8058) POSTs here without a CSRF token; the signed
# token in the address is what authorises the change. GET only shows the confirmation, since
# mail scanners follow links.
@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        user = User.objects.get(pk=digests.user_id_from_token(token))
    except (signing.BadSignature, User.DoesNotExist):
        return render(request, "resolutions/digest_unsubscribe.html", {"invalid": True}, status=400)
    done = request.method == "POST"
    if done:
        DigestPreference.objects.update_or_create(
            user=user, defaults={"frequency": DigestPreference.Frequency.OFF}
        )
    preference = digests.preference_of(User.objects.get(pk=user.pk))
    return render(
        request,
        "resolutions/digest_unsubscribe.html",
        {"account": user, "preference": preference, "done": done},
    )
