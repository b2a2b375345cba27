"""A person's own account: the second factor (enrol, verify, backup codes, remove), password
change and reset in the site's layout, and the endpoint browsers report CSP violations to."""

import io
import json
import logging
from base64 import b32encode
from types import SimpleNamespace

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .. import ratelimit
from ..models import SecurityEvent
from ..security import events, second_factor
from ..security.client import client_ip

logger = logging.getLogger("tracker.security.csp")
Kind = SecurityEvent.Kind


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse_lazy(default)


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


@require_http_methods(["GET", "POST"])
def two_factor_enrol(request):
    """Set up an authenticator app: scan the code (or type the key), confirm with a code. The
    backup codes are shown once, right after."""
    device = second_factor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token("".join(form.cleaned_data["code"].split())):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            second_factor.mark_verified(request, device)
            codes = second_factor.new_backup_codes(request.user)
            events.record(Kind.SECOND_FACTOR_ENROLLED, request=request)
            events.record(Kind.BACKUP_CODES_CREATED, request=request)
            return render(
                request,
                "account/backup_codes.html",
                {"codes": codes, "next": _next_url(request), "just_enrolled": True},
            )
        form.add_error("code", _("That code is not right. Enter the 6-digit code shown now."))
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "account/two_factor_enrol.html",
        {
            "form": form,
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - our own SVG
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": second_factor.is_required(request.user),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The code from the authenticator app (or a backup code) after the password."""
    if second_factor.is_verified(request):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor.verify(request.user, form.cleaned_data["code"])
        if device is not None:
            second_factor.mark_verified(request, device)
            events.record(Kind.SECOND_FACTOR_VERIFIED, request=request, detail=device.name)
            return redirect(_next_url(request))
        events.record(Kind.SECOND_FACTOR_FAILED, request=request)
        form.add_error(
            "code",
            _("That code is not right, or was used already. Wait for a new code and try again."),
        )
    return render(
        request,
        "account/two_factor_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET"])
def two_factor(request):
    """The person's second factor: whether it is set up, backup codes left, remove."""
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return render(
        request,
        "account/two_factor.html",
        {
            "enrolled": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
            "backup_left": StaticToken.objects.filter(device__user=request.user).count(),
            "required": second_factor.is_required(request.user),
        },
    )


@require_POST
def two_factor_backup_codes(request):
    codes = second_factor.new_backup_codes(request.user)
    events.record(Kind.BACKUP_CODES_CREATED, request=request)
    return render(request, "account/backup_codes.html", {"codes": codes, "next": ""})


@require_POST
def two_factor_remove(request):
    """Only for people who chose a second factor: secretaries and administrators keep theirs."""
    if second_factor.is_required(request.user):
        messages.error(request, _("Your role needs a second factor; it cannot be removed."))
        return redirect("two-factor")
    second_factor.remove_all(request.user)
    second_factor.remember_enrolment(request, False)
    events.record(Kind.SECOND_FACTOR_REMOVED, request=request)
    messages.success(request, _("Your second factor is removed."))
    return redirect("two-factor")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "account/password_change.html"
    success_url = reverse_lazy("password-change-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        events.record(Kind.PASSWORD_CHANGED, request=self.request)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "account/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "account/password_reset.html"
    email_template_name = "account/password_reset_email.txt"
    subject_template_name = "account/password_reset_subject.txt"
    success_url = reverse_lazy("password-reset-done")

    def form_valid(self, form):
        # Recorded with the address typed, whether or not an account has it (the page says the
        # same either way, also when the limit holds the e-mail back).
        email = form.cleaned_data["email"].strip().lower()
        # At most 3 e-mails an hour to one address, 20 asked from one client.
        allowed = ratelimit.allow(
            SimpleNamespace(pk=f"email-{email}"),
            "password-reset",
            limit=3,
            window=3600,
        ) and ratelimit.allow(
            SimpleNamespace(pk=client_ip(self.request) or "unknown"),
            "password-reset-from",
            limit=20,
            window=3600,
        )
        events.record(
            Kind.PASSWORD_RESET_REQUESTED,
            request=self.request,
            username=email,
            detail="" if allowed else "not sent: more than 3 in an hour",
        )
        if not allowed:
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "account/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "account/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        events.record(Kind.PASSWORD_RESET, request=self.request, user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "account/password_reset_complete.html"


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a paused sign-in (AXES_LOCKOUT_CALLABLE). The same page whether or
    not the account exists: it names neither the account nor why it matched."""
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": settings.AXES_COOLOFF_MINUTES},
        status=429,
    )


CSP_REPORT_MAX_BYTES = 16 * 1024


@csrf_exempt
@login_not_required
@require_POST
def csp_report(request):
    """Browsers POST a JSON report for each blocked resource or inline script; it is logged
    (as a warning, so a new violation shows in the logs) and nothing else is done with it."""
    body = request.body[:CSP_REPORT_MAX_BYTES]
    try:
        report = json.loads(body or b"{}")
    except ValueError:
        return HttpResponseBadRequest()
    if isinstance(report, dict):
        report = report.get("csp-report", report)
    logger.warning("CSP violation: %s", json.dumps(report, sort_keys=True)[:2000])
    return HttpResponse(status=204)
