"""The Assembly's documents: committees, sessions, resolutions, their clauses and commitments.

Each text is kept in English and, once its French version is imported, in French (the `_fr`
fields). A text first imported in French has its French wording in both: the English fields stand
in for the English until it is imported. The `…_for(language)` methods pick the wording a reader
asked for and say when they fell back to the other language."""

from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import Choices


class Wording(NamedTuple):
    """A text in the language it is shown in; `fell_back` when the reader asked for another."""

    text: str
    language: str
    fell_back: bool


def wording_for(language: str, text: str, text_fr: str) -> Wording:
    """`text` is the English (or, when it equals `text_fr`, the French standing in for it)."""
    english_missing = bool(text_fr) and text == text_fr
    if language == "fr":
        return Wording(text_fr, "fr", False) if text_fr else Wording(text, "en", True)
    return Wording(text, "fr", True) if english_missing else Wording(text, "en", False)


class Committee(models.Model):
    """One of the Assembly's committees, e.g. the Economics and Security Committee (ESC)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self):
        """The name in the active language: the Assembly's five are in the catalogue."""
        return gettext(self.name)


class Session(models.Model):
    """An Assembly session, e.g. the 70th Annual Session, Montréal, 25 November 2024."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual Session")
        SPRING = "spring", _("Spring Session")

    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ANNUAL)
    place = models.CharField(_("place"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        ordering = ["-number", "kind"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["number", "kind"],
                name="session_unique_number_kind",
                violation_error_message=_("This session already exists."),
            )
        ]

    def __str__(self):
        # One sentence per kind, so that French can write "70e session annuelle" (lower case,
        # agreement) rather than glue a translated kind to an ordinal.
        names = {
            self.Kind.ANNUAL: gettext("%(ordinal)s Annual Session"),
            self.Kind.SPRING: gettext("%(ordinal)s Spring Session"),
        }
        return names.get(self.kind, "%(ordinal)s") % {"ordinal": ordinal(self.number)}


def ordinal(number: int) -> str:
    """70 -> "70th", 71 -> "71st" in English; "70e", "1re" (une session) in French."""
    if get_language() and get_language().startswith("fr"):
        return "1re" if number == 1 else f"{number}e"
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


TEXTS = ("original_text", "original_text_fr")  # a resolution's imported texts


def texts_at(path: str) -> list[str]:
    """The imported texts of the resolution reached through `path`, for defer(): a list of
    actions that names each one's resolution ("493 25.e") should not carry its whole text in
    every row. `.defer(*texts_at("commitment__resolution"))`."""
    return [f"{path}__{name}" for name in TEXTS]


class ResolutionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Resolutions are public texts, read by every signed-in user."""
        return self if user.is_authenticated else self.none()

    def newest_first(self):
        return self.order_by("-adoption_date", "-number")

    def as_choices(self):
        """Only what a filter's choice says ("Resolution 493: …", labelled()), newest first, as
        rows with those attributes (not models: a hundred models cost twice the rows): the
        filters name every resolution, and only use the one chosen by its key."""
        return self.newest_first().values_list("pk", "document_type", "number", "title", named=True)

    def without_texts(self):
        """Without the imported texts (tens of kilobytes each): for lists and filters, which
        name a hundred resolutions and read none of their texts."""
        return self.defer(*TEXTS)


class Resolution(models.Model):
    """A document adopted by the Assembly: a resolution, declaration or recommendation."""

    class DocumentType(Choices):
        RESOLUTION = "resolution", _("Resolution")
        DECLARATION = "declaration", _("Declaration")
        RECOMMENDATION = "recommendation", _("Recommendation")

    document_type = models.CharField(
        _("document type"),
        max_length=20,
        choices=DocumentType.choices,
        default=DocumentType.RESOLUTION,
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=500)
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        related_name="resolutions",
        verbose_name=_("committee"),
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolutions",
        verbose_name=_("session"),
    )
    adoption_date = models.DateField(_("adoption date"), null=True, blank=True)
    # "fr" while only the French text has been imported: the English fields hold the French.
    language = models.CharField(_("language"), max_length=8, default="en")
    title_fr = models.CharField(_("title in French"), max_length=500, blank=True)
    original_text = models.TextField(_("original text"))
    original_text_fr = models.TextField(_("original text in French"), blank=True)
    text_sha256 = models.CharField(_("SHA-256 of the text"), max_length=64, editable=False)
    imported_at = models.DateTimeField(_("first imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = ResolutionQuerySet.as_manager()

    class Meta:
        ordering = ["-adoption_date", "-number"]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "number"],
                name="resolution_unique_type_number",
                violation_error_message=_("A document of this type and number already exists."),
            )
        ]

    def __str__(self):
        return self.labelled([self])[0][1]

    def get_absolute_url(self):
        return reverse(
            "resolution-detail",
            kwargs={"document_type": self.document_type, "number": self.number},
        )

    @classmethod
    def labelled(cls, resolutions) -> list[tuple["Resolution", str]]:
        """Each resolution with its label (what str() says), the shared words translated once:
        filter lists name a hundred resolutions, and two translations each added up."""
        template = gettext("%(type)s %(number)s: %(title)s")
        types = {value: str(label) for value, label in cls.DocumentType.choices}
        return [
            (r, template % {"type": types.get(r.document_type, r.document_type),
                            "number": r.number, "title": r.title})
            for r in resolutions
        ]  # fmt: skip

    def title_for(self, language: str) -> Wording:
        return wording_for(language, self.title, self.title_fr)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the text has been imported in: ("en",), ("fr",) or ("en", "fr")."""
        if self.language == "fr":
            return ("fr",)
        return ("en", "fr") if self.original_text_fr else ("en",)


class Clause(models.Model):
    """One numbered paragraph of a resolution, preambular or operative ("URGES …")."""

    class Kind(models.TextChoices):
        PREAMBULAR = "preambular", _("preambular")
        OPERATIVE = "operative", _("operative")

    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="clauses", verbose_name=_("resolution")
    )
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    verb = models.CharField(_("leading verb"), max_length=100)
    text = models.TextField(_("text"))
    addressees = models.TextField(_("addressees"), blank=True)
    verb_fr = models.CharField(_("leading verb in French"), max_length=100, blank=True)
    text_fr = models.TextField(_("text in French"), blank=True)
    addressees_fr = models.TextField(_("addressees in French"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["resolution", "number"]
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "number"],
                name="clause_unique_number_per_resolution",
                violation_error_message=_(
                    "This resolution already has a paragraph with this number."
                ),
            )
        ]

    def __str__(self):
        return f"{self.resolution.number} §{self.number} {self.verb}"

    @property
    def body(self) -> str:
        """The text after the leading verb, for display next to the verb in bold."""
        return self.text[len(self.verb) :] if self.text.startswith(self.verb) else self.text

    def text_for(self, language: str) -> Wording:
        return wording_for(language, self.text, self.text_fr)

    def verb_for(self, language: str) -> Wording:
        return wording_for(language, self.verb, self.verb_fr)

    def addressees_for(self, language: str) -> Wording:
        return wording_for(language, self.addressees, self.addressees_fr)

    def body_for(self, language: str) -> Wording:
        """The text after the leading verb, in `language` when it exists."""
        text, shown, fell_back = self.text_for(language)
        verb = self.verb_fr if shown == "fr" and self.verb_fr else self.verb
        body = text[len(verb) :] if text.startswith(verb) else text
        return Wording(body, shown, fell_back)


class Theme(models.Model):
    """A subject that cuts across resolutions: export controls, AI, supply chains…"""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name


class CommitmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The commitments of the resolutions `user` may read."""
        return self if user.is_authenticated else self.none()


class Commitment(models.Model):
    """One lettered sub-clause of an operative paragraph ("25.e"), or a whole operative
    paragraph without sub-clauses: what the nations are asked to do."""

    resolution = models.ForeignKey(
        Resolution,
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("resolution"),
    )
    clause = models.ForeignKey(
        Clause, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("clause")
    )
    label = models.CharField(_("label"), max_length=20)
    letter = models.CharField(_("letter"), max_length=4, blank=True)
    text = models.TextField(_("text"))
    text_fr = models.TextField(_("text in French"), blank=True)
    order = models.PositiveIntegerField(_("order"))
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="commitments", verbose_name=_("themes")
    )
    history = HistoricalRecords()

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["resolution", "order"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "label"],
                name="commitment_unique_label_per_resolution",
                violation_error_message=_(
                    "This resolution already has a commitment with this label."
                ),
            )
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        """How people cite it: "493 25.e" (the resolution's number and the label)."""
        return self.reference_of(self.resolution.number, self.label)

    @staticmethod
    def reference_of(number, label: str) -> str:
        """The reference from its parts, for lists that read them without the models."""
        return f"{number} {label}"

    @property
    def addressees(self) -> str:
        return self.clause.addressees

    def text_for(self, language: str) -> Wording:
        """The commitment in `language` when it exists, else in the other language, marked
        `fell_back` (pages say "(English only)")."""
        return wording_for(language, self.text, self.text_fr)


class ReportingRound(models.Model):
    """A collection period with a deadline, e.g. "Progress ahead of the 2025 Spring Session"."""

    name = models.CharField(_("name"), max_length=200)
    deadline = models.DateField(_("deadline"))
    resolutions = models.ManyToManyField(
        Resolution, related_name="reporting_rounds", verbose_name=_("resolutions")
    )
    is_open = models.BooleanField(_("open"), default=True)
    # Staleness counts from the later of a resolution's adoption and the opening of its
    # current round (workspace, digests).
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    # What the round's report shows once it is closed: statuses and accepted actions as they
    # were at closing (resolutions/rounds.py says why a snapshot and not the history).
    snapshot = models.JSONField(_("report as of closing"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["deadline"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")

    def __str__(self):
        return f"{self.name} ({self.deadline:%Y-%m-%d})"
