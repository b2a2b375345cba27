"""What a secretary needs beside each item of the review queue: the commitment's text, the
nation's current status and justification and every piece of evidence (all read with the
action, queries.review), earlier return comments and, for a resubmission or a revision, what
changed since the last review. Two queries for a whole page, whatever its length."""

from dataclasses import dataclass, field

from .changes import FieldChange, compare, values_of
from .models import ActionRevision, ImplementationStatus, NationalAction


@dataclass
class ReviewContext:
    status_label: str
    justification: str
    evidence: list
    earlier_comments: list[str] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)
    is_revision: bool = False
    # "resubmitted": changed since it was returned; "revision": against the accepted version.
    compared_with: str = ""


STATUS_LABELS = ImplementationStatus.Status.labels_by_value()
# The history tables' own models: `Model.history` builds a new manager class on each reading.
ACTION_HISTORY = NationalAction.history.model._default_manager
REVISION_HISTORY = ActionRevision.history.model._default_manager
NO_INFORMATION = ImplementationStatus.Status.NO_INFORMATION.value


def contexts_for(actions: list) -> dict[int, ReviewContext]:
    """Each action's context, by its id; `actions` as the queue reads them
    (queries.review.QueuedAction)."""
    if not actions:
        return {}
    # Every earlier return of these actions, oldest first: its comment, and the version the
    # delegation was sent back with (a resubmission is compared with the latest).
    returns: dict[int, list] = {}
    for record in ACTION_HISTORY.filter(
        id__in=[a.pk for a in actions], review_state=NationalAction.ReviewState.RETURNED
    ).order_by("history_date", "history_id"):
        # Edits while returned keep the state: the return itself is the first row of each
        # review (its reviewed_at), and that is what the delegation was sent back with.
        seen = returns.setdefault(record.id, [])
        if not seen or seen[-1].reviewed_at != record.reviewed_at:
            seen.append(record)
    revision_returns: dict[int, list[str]] = {}
    for action_id, comment in (
        REVISION_HISTORY.filter(
            action_id__in=[a.pk for a in actions], state=ActionRevision.State.RETURNED
        )
        .exclude(review_comment="")
        .order_by("history_date")
        .values_list("action_id", "review_comment")
    ):
        if comment not in revision_returns.setdefault(action_id, []):
            revision_returns[action_id].append(comment)
    contexts = {}
    for action in actions:
        value = action.status or NO_INFORMATION
        records = returns.get(action.pk, [])
        comments = []
        for record in records:
            if record.review_comment and record.review_comment not in comments:
                comments.append(record.review_comment)
        revision = action.pending_revision
        context = ReviewContext(
            status_label=str(STATUS_LABELS.get(value, value)),
            justification=action.justification or "",
            evidence=action.all_evidence,
            earlier_comments=comments + revision_returns.get(action.pk, []),
        )
        if revision is not None:
            context.is_revision = True
            context.compared_with = "revision"
            context.changes = compare(values_of(action), revision)
        elif records:
            context.compared_with = "resubmitted"
            context.changes = compare(values_of(records[-1]), values_of(action))
        contexts[action.pk] = context
    return contexts
