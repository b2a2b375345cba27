"""The e-mail a delegation gets at once when the secretariat accepts or returns one of its
actions (or a revision of one), with the comment. Each person can turn these off under
Preferences; the digest still lists returned actions."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .models import NationalAction, User

DECISIONS = {
    "accepted": lambda: _("Accepted: %(title)s"),
    "returned": lambda: _("Returned for revision: %(title)s"),
    "revision_accepted": lambda: _("Revision accepted: %(title)s"),
    "revision_returned": lambda: _("Revision returned: %(title)s"),
}


def recipients(action: NationalAction):
    """The editors of the action's delegation who have an address and did not turn these off."""
    return (
        User.objects.filter(
            is_active=True,
            role=User.Role.EDITOR,
            delegation__member_id=action.member_id,
        )
        .exclude(email="")
        .exclude(Q(digest_preference__review_notices=False))
        .order_by("pk")
    )


def build_notice(
    action: NationalAction, decision: str, comment: str, recipient
) -> EmailMultiAlternatives:
    subject = DECISIONS[decision]() % {"title": action.title}
    context = {
        "action": action,
        "decision": decision,
        "returned": decision.endswith("returned"),
        "revision": decision.startswith("revision"),
        "comment": comment,
        "name": recipient.get_full_name() or recipient.get_username(),
        "url": f"{settings.SITE_URL}{action.get_absolute_url()}",
        "preferences_url": f"{settings.SITE_URL}/preferences/",
        "subject": subject,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("email/review_notice.txt", context),
        to=[recipient.email],
    )
    message.attach_alternative(render_to_string("email/review_notice.html", context), "text/html")
    return message
