from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from ..models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """API_RATE_LIMIT requests per token (per person on a browser session), counted in the
    cache, so every web process shares the count when the cache is Redis."""

    scope = "api"

    def get_rate(self):
        return settings.API_RATE_LIMIT  # read per request, so a changed setting applies

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
