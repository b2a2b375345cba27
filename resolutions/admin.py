from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .api.tokens import named, revoke_tokens
from .models import (
    ApiToken,
    Clause,
    Commitment,
    Committee,
    Delegation,
    DigestLog,
    DigestPreference,
    Member,
    Resolution,
    SecurityEvent,
    Session,
    Theme,
    User,
)
from .security import events as security_events
from .security import second_factor


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "place", "date"]
    list_filter = ["kind"]
    search_fields = ["place"]


class ClauseInline(admin.TabularInline):
    model = Clause
    fields = ["number", "kind", "verb", "text"]
    extra = 0
    show_change_link = True


@admin.register(Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    list_display = ["number", "document_type", "title", "committee", "session", "adoption_date"]
    list_filter = ["document_type", "committee", "session", "language"]
    search_fields = ["number", "title"]
    date_hierarchy = "adoption_date"
    readonly_fields = ["text_sha256", "imported_at", "updated_at"]
    list_select_related = ["committee", "session"]
    inlines = [ClauseInline]


@admin.register(Clause)
class ClauseAdmin(SimpleHistoryAdmin):
    list_display = ["resolution", "number", "kind", "verb"]
    list_filter = ["kind", "resolution__committee", "resolution"]
    search_fields = ["text", "verb", "resolution__number"]
    list_select_related = ["resolution"]


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["label", "resolution", "short_text"]
    list_filter = ["resolution__committee", "resolution", "themes"]
    search_fields = ["label", "text", "resolution__number"]
    filter_horizontal = ["themes"]
    list_select_related = ["resolution"]

    @admin.display(description=_("text"))
    def short_text(self, obj):
        return obj.text[:120]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "kind", "joined"]
    list_filter = ["kind"]
    search_fields = ["country"]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "member"]
    list_filter = ["member__kind"]
    search_fields = ["member__country"]
    list_select_related = ["member"]


@admin.register(User)
class TrackerUserAdmin(UserAdmin):
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "role",
        "delegation",
        "is_active",
    ]
    list_filter = ["role", "delegation", "is_active", "is_staff"]
    list_select_related = ["delegation__member"]
    fieldsets = UserAdmin.fieldsets + ((_("Tracker"), {"fields": ["role", "delegation"]}),)
    add_fieldsets = UserAdmin.add_fieldsets + ((_("Tracker"), {"fields": ["role", "delegation"]}),)
    actions = ["unlock_sign_in", "reset_second_factor"]

    @admin.action(description=_("Unlock sign-in (after too many failed attempts)"))
    def unlock_sign_in(self, request, queryset):
        from axes.utils import reset

        for user in queryset:
            reset(username=user.get_username())
            security_events.record(SecurityEvent.Kind.UNLOCKED, request=request, user=user)
        self.message_user(request, _("Sign-in unlocked for the chosen people."))

    @admin.action(description=_("Reset second factor (they set it up again at next sign-in)"))
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            second_factor.remove_all(user)
            security_events.record(
                SecurityEvent.Kind.SECOND_FACTOR_REMOVED,
                request=request,
                user=user,
                detail=f"by {request.user.get_username()}",
            )
        self.message_user(request, _("Second factor reset for the chosen people."))


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The audit trail, read-only: rows are written by the application and removed only by the
    retention clean-up."""

    list_display = ["at", "kind", "username", "user", "ip_address", "detail"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "ip_address", "detail"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    readonly_fields = [f.name for f in SecurityEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


# --- Reminder digests ------------------------------------------------------------------------


@admin.register(DigestPreference)
class DigestPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "frequency", "weekday", "updated_at"]
    list_filter = ["frequency", "weekday"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(DigestLog)
class DigestLogAdmin(admin.ModelAdmin):
    """Which digests went out; a failed one shows the mail server's last answer."""

    list_display = [
        "user", "period", "state", "item_count", "attempts", "claims", "claimed_at", "sent_at",
        "short_error",
    ]  # fmt: skip
    list_filter = ["state"]
    search_fields = ["user__username", "user__email", "period", "error"]
    list_select_related = ["user"]
    date_hierarchy = "claimed_at"
    readonly_fields = [
        "user", "period", "state", "claim_token", "claimed_at", "claims", "attempts",
        "item_count", "subject", "error", "sent_at",
    ]  # fmt: skip

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return obj.error[:120]

    def has_add_permission(self, request):
        return False  # rows are claims written by the sending task


# --- API tokens --------------------------------------------------------------------------------


class TokenStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("active", _("Active")),
            ("expired", _("Expired")),
            ("revoked", _("Revoked")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        not_expired = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        if self.value() == "active":
            return queryset.filter(not_expired, revoked_at__isnull=True)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True).exclude(not_expired)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """People's API tokens, to see who has which and revoke one. Read-only: a person creates
    their own under Preferences, where its secret is shown once. Neither the secret (never
    stored) nor its hash is shown here; the prefix only tells tokens apart."""

    list_display = [
        "name", "user", "shown_prefix", "created_at", "expires_at", "last_used_at",
        "revoked_at", "active",
    ]  # fmt: skip
    list_filter = [TokenStateFilter, "created_at"]
    search_fields = ["name", "prefix", "user__username", "user__email"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    fields = [
        "user", "name", "shown_prefix", "created_at", "expires_at", "last_used_at", "revoked_at",
    ]  # fmt: skip
    readonly_fields = fields
    actions = ["revoke"]

    @admin.display(description=_("prefix"), ordering="prefix")
    def shown_prefix(self, obj):
        return f"rct_{obj.prefix}…"

    @admin.display(description=_("active"), boolean=True)
    def active(self, obj):
        return obj.is_active

    @admin.action(description=_("Revoke the chosen tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        revoked = revoke_tokens(queryset)
        for token in revoked:
            security_events.record(
                SecurityEvent.Kind.API_TOKEN,
                request=request,
                user=token.user,
                detail=f"revoked {named(token)} by {request.user.get_username()}",
            )
        self.message_user(
            request,
            ngettext(
                "%(count)d token revoked; programs using it are refused now.",
                "%(count)d tokens revoked; programs using them are refused now.",
                len(revoked),
            )
            % {"count": len(revoked)},
        )

    def has_revoke_permission(self, request):
        return request.user.has_perm("resolutions.change_apitoken")

    def has_add_permission(self, request):
        return False  # made by their owner only, who alone sees the secret once

    def has_change_permission(self, request, obj=None):
        return False  # revoking is the one change, through the action

    def has_delete_permission(self, request, obj=None):
        return False  # revoked tokens stay, to show what was used and when
