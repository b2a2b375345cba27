from django import template

from ..api.token_views import ApiTokenForm
from ..models import ApiToken

register = template.Library()


@register.inclusion_tag("api/_tokens.html", takes_context=True)
def api_tokens(context):
    """The Preferences section listing the person's API tokens, with the form for a new one."""
    request = context["request"]
    return {
        "tokens": ApiToken.objects.filter(user=request.user, revoked_at__isnull=True),
        "form": ApiTokenForm(),
        "csrf_token": context.get("csrf_token"),
    }
