"""Which language a person works in, and the one place that applies it.

Each person's choice is kept on the user (`User.language`), so reading it costs no query on a
page that already loads the user. Until they choose, the browser's Accept-Language decides
(Django's LocaleMiddleware), and the first sign-in keeps what it decided. URLs do not change
with the language. E-mails and background work use `in_language_of(user)`.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation


def supported(code: str | None) -> bool:
    return code in dict(settings.LANGUAGES)


def language_of(user) -> str:
    """The language to write to this person in: their choice, else the site's default."""
    code = getattr(user, "language", "")
    return code if supported(code) else settings.LANGUAGE_CODE


def in_language_of(user):
    """`with in_language_of(user): …` renders e-mails and digests in the recipient's language,
    whatever language the worker or the request that sends them is in."""
    return translation.override(language_of(user))


def remember_cookie(response, code: str) -> None:
    """The signed-out pages (sign-in, unsubscribe) follow this cookie."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class UserLanguageMiddleware:
    """After authentication: a signed-in person's saved language wins over the browser's and
    the cookie's, and the cookie follows it so the sign-in page after signing out does too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and supported(user.language):
            code = user.language
            translation.activate(code)
            request.LANGUAGE_CODE = code
        response = self.get_response(request)
        if code and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != code:
            remember_cookie(response, code)
        return response


@receiver(user_logged_in, dispatch_uid="resolutions.languages.keep_first_language")
def keep_first_language(sender, request, user, **kwargs):
    """Someone who has never chosen keeps the language their browser asked for (or the switch
    on the sign-in page set), so e-mails reach them in it too."""
    if supported(getattr(user, "language", None)) or request is None:
        return
    said = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or request.headers.get(
        "accept-language"
    )
    if not said:
        return  # the browser asked for nothing: keep following it until it does
    code = translation.get_language_from_request(request)
    if supported(code):
        user.language = code
        user.save(update_fields=["language"])
