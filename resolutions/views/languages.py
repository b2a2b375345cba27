"""The language switch: in the header of every page, signed in or not, and under Preferences.

URLs stay the same in both languages; the choice is kept on the person (when signed in) and in
a cookie (for the signed-out pages).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..languages import remember_cookie, supported


def _back(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@login_not_required
@require_POST
def set_language(request):
    code = request.POST.get("language", "")
    if not supported(code):
        messages.error(
            request,
            _("Choose one of: %(languages)s.")
            % {"languages": ", ".join(str(name) for _code, name in settings.LANGUAGES)},
        )
        return HttpResponseRedirect(_back(request))
    translation.activate(code)
    if request.user.is_authenticated:
        request.user.language = code
        request.user.save(update_fields=["language"])
        messages.success(request, _("Your language is now English."))
    response = HttpResponseRedirect(_back(request))
    remember_cookie(response, code)
    return response
