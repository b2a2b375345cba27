"""The nations the resolutions address, their delegations, and the people who sign in."""

import functools

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country, CountryField


@functools.cache
def country_name(code: str, language: str | None) -> str:
    """A country's name in a language. django_countries looks the translation up afresh on each
    call (about 40 µs); a page names the 32 nations once or twice, and the names are fixed
    for the life of the process."""
    with translation.override(language):
        return str(Country(code).name)


class Member(models.Model):
    """A nation of the Assembly: the 32 member nations now; associates and partners later."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("member")
        ASSOCIATE = "associate", _("associate")
        PARTNER = "partner", _("partner")

    country = CountryField(_("country"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    joined = models.PositiveIntegerField(_("year joined NATO"), null=True, blank=True)

    class Meta:
        ordering = ["country"]
        verbose_name = _("member nation")
        verbose_name_plural = _("member nations")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The nation's name in the active language (English or French)."""
        return country_name(self.country.code, get_language())

    @property
    def code(self) -> str:
        return self.country.code


class Delegation(models.Model):
    """A nation's parliamentary delegation to the Assembly: whose staff log national actions."""

    member = models.OneToOneField(
        Member, on_delete=models.PROTECT, related_name="delegation", verbose_name=_("nation")
    )

    class Meta:
        ordering = ["member__country"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self):
        return _("Delegation of %(nation)s") % {"nation": self.member.name}


class User(AbstractUser):
    """A person who signs in. The role decides what they may see and change (permissions.py)."""

    class Role(models.TextChoices):
        VIEWER = "viewer", _("Viewer")
        EDITOR = "editor", _("Delegation editor")
        SECRETARY = "secretary", _("Committee secretary")
        ADMINISTRATOR = "admin", _("Administrator")

    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("delegation"),
    )
    # Empty until chosen or until the first sign-in keeps the browser's (resolutions/languages.py).
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="editor") | Q(delegation__isnull=False),
                name="user_editor_has_delegation",
                violation_error_message=_("A delegation editor must belong to a delegation."),
            )
        ]

    def __str__(self):
        return self.display_name(self.username, self.first_name, self.last_name)

    @staticmethod
    def display_name(username: str, first_name: str, last_name: str) -> str:
        """How a person is named on pages: the full name (as get_full_name() writes it), else
        the user name. For lists that read the names without the person."""
        return f"{first_name} {last_name}".strip() or username

    # What the permission rules read of a person (permissions.py and the querysets' visible_to()).

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMINISTRATOR

    @property
    def own_member_id(self) -> int | None:
        """The nation a delegation editor works for; None for everyone else."""
        if self.role != self.Role.EDITOR or self.delegation_id is None:
            return None
        if User.delegation.is_cached(self):  # read with the person (the digests do)
            return self.delegation.member_id
        return self.nation.pk

    @functools.cached_property
    def nation(self) -> Member | None:
        """The nation of the person's delegation, for the page header and the editor's own
        pages: one query for the delegation and its nation together, none when they were read
        with the person. Not read with every request's user: a page that names no nation (an
        htmx fragment, a download) would pay for the join."""
        if self.delegation_id is None:
            return None
        if User.delegation.is_cached(self):
            return self.delegation.member
        return (
            Member.objects.filter(delegation__id=self.delegation_id)
            .select_related("delegation")
            .first()
        )
