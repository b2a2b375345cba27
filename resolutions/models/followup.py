"""What nations do about commitments: national actions, the evidence that proves them, and each
nation's implementation status per commitment. Every change is kept in a history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import Choices
from .documents import Commitment
from .nations import Member


def action_visibility(user, path: str = "") -> Q | None:
    """Which actions `user` may read, as a condition on the action reached through `path`; None
    when none. Drafts are seen only by their own delegation (and administrators); everything
    submitted is read by every signed-in user. The one statement of that rule."""
    if not user.is_authenticated:
        return None
    if user.is_administrator:
        return Q()
    not_draft = ~Q(**{f"{path}review_state": NationalAction.ReviewState.DRAFT})
    own = user.own_member_id
    return not_draft | Q(**{f"{path}member_id": own}) if own else not_draft


def evidence_visibility(user, path: str = "") -> Q:
    """Evidence still awaiting review (added to a submitted or accepted action) is seen only by
    its own delegation and by those who review it; everyone else sees what was reviewed."""
    if user.is_administrator or user.role == user.Role.SECRETARY:
        return Q()
    own = user.own_member_id
    reviewed = Q(**{f"{path}pending": False})
    return reviewed | Q(**{f"{path}action__member_id": own}) if own else reviewed


class NationalActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The actions `user` may read (see action_visibility)."""
        condition = action_visibility(user)
        return self.none() if condition is None else self.filter(condition)

    def for_member(self, member):
        return self.filter(member=member)

    def for_commitment(self, commitment):
        return self.filter(commitment=commitment)

    def drafts(self):
        return self.filter(review_state=NationalAction.ReviewState.DRAFT)

    def submitted(self):
        return self.filter(review_state=NationalAction.ReviewState.SUBMITTED)

    def accepted(self):
        return self.filter(review_state=NationalAction.ReviewState.ACCEPTED)

    def returned(self):
        return self.filter(review_state=NationalAction.ReviewState.RETURNED)

    def with_evidence_count(self, user):
        """Each action with how much of its evidence `user` may see, as `evidence_count`, in
        the same query: evidence awaiting review counts only for those who may see it (the
        actions' own rule is the queryset's)."""
        return self.annotate(
            evidence_count=models.Count("evidence", filter=evidence_visibility(user, "evidence__"))
        )


class NationalAction(models.Model):
    """Something a nation did about one commitment: a law, a strategy, funding, a hearing…"""

    class Type(Choices):
        LEGISLATION = "legislation", _("Legislation")
        REGULATION = "regulation", _("Regulation")
        POLICY = "policy", _("Policy or strategy")
        FUNDING = "funding", _("Funding")
        ENFORCEMENT = "enforcement", _("Enforcement")
        COOPERATION = "cooperation", _("International cooperation")
        PARLIAMENTARY = "parliamentary", _("Parliamentary activity")
        OTHER = "other", _("Other")

    class Actor(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        PARLIAMENT = "parliament", _("Parliament")

    class Stage(Choices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        COMPLETED = "completed", _("Completed")

    class ReviewState(Choices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for revision")

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("commitment"),
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="actions", verbose_name=_("nation")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    action_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    actor = models.CharField(_("actor"), max_length=12, choices=Actor.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    review_state = models.CharField(
        _("review state"), max_length=12, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    # Optimistic locking: a save must name the version it was edited from.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    objects = NationalActionQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("national action")
        verbose_name_plural = _("national actions")
        indexes = [
            models.Index(fields=["member", "commitment"], name="action_member_commitment"),
            models.Index(fields=["review_state", "updated_at"], name="action_review_queue"),
            # The review queue's order: a page of it is read from the index, not sorted.
            models.Index(
                fields=["review_state", "submitted_at", "id"], name="action_review_submitted"
            ),
            # A nation's actions returned for revision, newest first (dashboard and digests):
            # the first ten read from the index instead of every one joined and sorted.
            models.Index(
                fields=["member", "review_state", "-reviewed_at", "-id"],
                name="action_member_review",
            ),
            # The most recently updated first: search's first pages of a word that matches
            # thousands walk it, testing each action, instead of sorting every match.
            models.Index(fields=["-updated_at", "-id"], name="action_recent"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("action-detail", kwargs={"pk": self.pk})

    @property
    def is_editable_state(self) -> bool:
        """Drafts and returned actions can be changed; submitted and accepted ones wait."""
        return self.review_state in {self.ReviewState.DRAFT, self.ReviewState.RETURNED}


def evidence_upload_to(instance, filename):
    # The storage name is generated by uploads.storage_name() before saving; this only
    # satisfies FileField's contract for names set directly.
    return filename


class EvidenceQuerySet(models.QuerySet):
    def reviewed(self):
        """Evidence the secretariat has seen: what readers outside the delegation are shown.
        Evidence added to a submitted or accepted action waits (`pending`) until the action or
        its revision is reviewed."""
        return self.filter(pending=False)

    def visible_to(self, user):
        """Evidence is seen exactly when its action is, and while pending only by its own
        delegation and reviewers (evidence_visibility). The rule is applied through a join, not
        `action__in=…`, so that search can start from matching evidence and look up each action
        once."""
        condition = action_visibility(user, "action__")
        if condition is None:
            return self.none()
        return self.filter(condition).filter(evidence_visibility(user))


class Evidence(models.Model):
    """What proves an action: an uploaded file (PDF, DOCX, …) or a link."""

    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link")

    action = models.ForeignKey(
        NationalAction,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("national action"),
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True, max_length=200)
    url = models.URLField(_("link"), max_length=2000, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("detected type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    # Added to a submitted or accepted action and not yet reviewed: only the delegation and the
    # secretariat see it (permissions.visible_evidence), and reports leave it out.
    pending = models.BooleanField(_("awaiting review"), default=False)
    history = HistoricalRecords()

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "sha256"],
                condition=~Q(sha256=""),
                name="evidence_same_file_once_per_action",
                violation_error_message=_("This file is already attached to this action."),
            ),
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="") & Q(url=""))
                | (Q(kind="link") & ~Q(url="") & Q(file="")),
                name="evidence_is_a_file_or_a_link",
                violation_error_message=_("Evidence is either a file or a link."),
            ),
        ]

    def __str__(self):
        return self.title

    LANGUAGE_LABELS = {"en": _("English"), "fr": _("French"), "other": _("Other")}

    @property
    def language_label(self) -> str:
        return str(self.LANGUAGE_LABELS.get(self.language, self.language))


# Each status's symbol, beside its label wherever a status is drawn (matrix, dashboard, nation
# strip, reports), so that colour is never the only cue.
STATUS_SYMBOLS = {
    "no_information": "?",
    "not_started": "○",
    "in_progress": "◑",
    "partial": "◕",
    "implemented": "●",
    "not_applicable": "–",
}


class ImplementationStatusQuerySet(models.QuerySet):
    def for_member(self, member):
        return self.filter(member=member)


class ImplementationStatus(models.Model):
    """Where a nation stands on one commitment. No row means "no information"."""

    class Status(Choices):
        NO_INFORMATION = "no_information", _("No information")
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        PARTIAL = "partial", _("Partially implemented")
        IMPLEMENTED = "implemented", _("Implemented")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

        @property
        def symbol(self) -> str:
            return STATUS_SYMBOLS[self.value]

        @classmethod
        def symbol_of(cls, value) -> str:
            """The symbol of a status value; "?" for anything that is not one."""
            return STATUS_SYMBOLS.get(value, "?")

    # A justification is required for these, so readers know why.
    NEEDS_JUSTIFICATION = {Status.IMPLEMENTED, Status.NOT_APPLICABLE}

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="statuses",
        verbose_name=_("commitment"),
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="statuses", verbose_name=_("nation")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NO_INFORMATION
    )
    justification = models.TextField(_("justification"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    objects = ImplementationStatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("implementation status")
        verbose_name_plural = _("implementation statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "member"],
                name="status_one_per_commitment_and_nation",
                violation_error_message=_("This nation already has a status for this commitment."),
            ),
        ]

    def __str__(self):
        return f"{self.commitment} {self.member}: {self.get_status_display()}"


class ActionRevision(models.Model):
    """A change a delegation proposes to an accepted action. It is its own row so that the
    action keeps its accepted content, which every other reader (other nations, viewers, the
    matrix, reports, the API) goes on reading until the secretariat accepts the revision;
    accepting copies the values onto the action (actions.accept_revision). One open revision
    per action: the delegation edits it until it is reviewed."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        RETURNED = "returned", _("Returned for revision")

    action = models.OneToOneField(
        NationalAction,
        on_delete=models.CASCADE,
        related_name="revision",
        verbose_name=_("national action"),
    )
    # The proposed values, the same fields as the action's.
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    action_type = models.CharField(_("type"), max_length=20, choices=NationalAction.Type.choices)
    actor = models.CharField(_("actor"), max_length=12, choices=NationalAction.Actor.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=NationalAction.Stage.choices)
    # The action's version this revision was written against: accepting it over a newer
    # accepted version would silently undo that one.
    base_version = models.PositiveIntegerField(_("based on version"))
    state = models.CharField(
        _("review state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    submitted_at = models.DateTimeField(_("submitted"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("revision of an accepted action")
        verbose_name_plural = _("revisions of accepted actions")
        indexes = [models.Index(fields=["state", "submitted_at"], name="revision_review_queue")]

    def __str__(self):
        return self.title

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING
