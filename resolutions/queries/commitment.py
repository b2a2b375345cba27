"""What a nation's page for one commitment shows: the nation's status and its history, its
actions with their evidence, every nation's status at a glance, and (for those who may edit)
the forms. The commitment page and the fragments that redraw parts of it read it here."""

from dataclasses import dataclass

from .. import permissions
from ..forms import ImplementationStatusForm, NationalActionForm
from ..history import status_timeline
from ..models import Commitment, ImplementationStatus, Member, NationalAction
from .links import url_maker

Status = ImplementationStatus.Status


@dataclass
class NationStatus:
    """One chip of the "every nation at a glance" strip."""

    member: Member
    status: str
    label: str
    url: str


def commitment_statuses(
    commitment: Commitment, member: Member
) -> tuple[ImplementationStatus, list[NationStatus]]:
    """`member`'s status on one commitment (an unsaved "no information" one when none is saved,
    as actions.status_of gives) and every nation's, for the at-a-glance strip: two queries for
    both, where asking for them apart took four."""
    saved = {
        s.member_id: s
        for s in ImplementationStatus.objects.filter(commitment=commitment).select_related("set_by")
    }
    status = saved.get(member.pk) or ImplementationStatus(
        commitment=commitment, member=member, status=Status.NO_INFORMATION, version=0
    )
    labels = Status.labels_by_value()
    detail_url = url_maker("commitment-detail")
    strip = []
    for m in Member.objects.filter(kind=Member.Kind.MEMBER):
        value = saved[m.pk].status if m.pk in saved else Status.NO_INFORMATION
        strip.append(NationStatus(m, value, labels[value], detail_url(m.code, commitment.pk)))
    return status, strip


def commitment_context(user, member: Member, commitment: Commitment, **extra) -> dict:
    """Everything the commitment page and its fragments show; `extra` is added as it is."""
    can_edit = permissions.can_edit_for_member(user, member)
    status, nation_statuses = commitment_statuses(commitment, member)
    national_actions = (
        NationalAction.objects.visible_to(user)
        .for_member(member)
        .filter(commitment=commitment)
        .select_related("author")
        # The list shows how much evidence each has, not which.
        .with_evidence_count(user)
        .order_by("-updated_at")
    )
    context = {
        "member": member,
        "commitment": commitment,
        "resolution": commitment.resolution,
        "can_edit": can_edit,
        "status": status,
        "status_history": status_timeline(status),
        "national_actions": national_actions,
        "nation_statuses": nation_statuses,
        "action_form": NationalActionForm() if can_edit else None,
        "status_form": ImplementationStatusForm(
            initial={
                "status": status.status,
                "justification": status.justification,
                "version": status.version,
            }
        )
        if can_edit
        else None,
    }
    context.update(extra)
    return context
