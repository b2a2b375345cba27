from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from resolutions.api import token_views as api_token_views
from resolutions.forms import SignInForm
from resolutions.views import (
    account,
    health,
    languages,
    national_actions,
    preferences,
    reports,
    resolutions,
    search,
    secretariat,
    workspace,
)
from resolutions.workbook import views as workbook_views

urlpatterns = [
    path("", resolutions.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("resolutions/", resolutions.resolution_list, name="resolution-list"),
    path(
        "resolutions/<slug:document_type>/<int:number>/",
        resolutions.resolution_detail,
        name="resolution-detail",
    ),
    # The delegation workspace
    path("my-nation/", workspace.my_nation, name="my-nation"),
    path("nations/<str:code>/", workspace.nation_dashboard, name="nation-dashboard"),
    path(
        "nations/<str:code>/resolutions/<int:pk>/",
        workspace.nation_dashboard_resolution,
        name="nation-dashboard-resolution",
    ),
    path(
        "nations/<str:code>/commitments/<int:pk>/",
        workspace.commitment_detail,
        name="commitment-detail",
    ),
    path(
        "nations/<str:code>/commitments/<int:pk>/status/",
        workspace.status_edit,
        name="status-edit",
    ),
    path(
        "nations/<str:code>/commitments/<int:pk>/actions/new/",
        national_actions.action_create,
        name="action-create",
    ),
    path("actions/<int:pk>/", national_actions.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", national_actions.action_edit, name="action-edit"),
    path("actions/<int:pk>/submit/", national_actions.action_submit, name="action-submit"),
    path("actions/<int:pk>/delete/", national_actions.action_delete, name="action-delete"),
    # The reporting cycle: withdraw a submission, revise an accepted action
    path("actions/<int:pk>/withdraw/", national_actions.action_withdraw, name="action-withdraw"),
    path("actions/<int:pk>/revise/", national_actions.action_revise, name="action-revise"),
    path(
        "actions/<int:pk>/revise/discard/",
        national_actions.revision_discard,
        name="revision-discard",
    ),
    path(
        "actions/<int:pk>/evidence/<str:kind>/",
        national_actions.evidence_add,
        name="evidence-add",
    ),
    path(
        "evidence/<int:pk>/download/",
        national_actions.evidence_download,
        name="evidence-download",
    ),
    path("evidence/<int:pk>/delete/", national_actions.evidence_delete, name="evidence-delete"),
    # The secretariat
    path("matrix/", secretariat.matrix_page, name="matrix"),
    path("matrix/cell/<int:pk>/<str:code>/", secretariat.matrix_cell, name="matrix-cell"),
    path("review/", secretariat.review_queue, name="review-queue"),
    path("review/<int:pk>/", secretariat.review_action, name="review-action"),
    path("rounds/", secretariat.round_list, name="round-list"),
    path("rounds/<int:pk>/", secretariat.round_edit, name="round-edit"),
    path("rounds/<int:pk>/progress/", secretariat.round_detail, name="round-detail"),
    path("rounds/<int:pk>/close/", secretariat.round_close, name="round-close"),
    path("resolutions/import/", secretariat.resolution_import, name="resolution-import"),
    # Search across actions and evidence
    path("search/", search.search_page, name="search"),
    # Reminder digests
    path("preferences/", preferences.preferences, name="preferences"),
    path("preferences/preview/", preferences.preview, name="preferences-preview"),
    path("digests/unsubscribe/<str:token>/", preferences.unsubscribe, name="digest-unsubscribe"),
    # Status reports
    path("reports/export/", reports.report_export, name="report-export"),
    path("reports/jobs/<uuid:pk>/", reports.report_job, name="report-job"),
    path(
        "reports/jobs/<uuid:pk>/download/",
        reports.report_job_download,
        name="report-job-download",
    ),
    # The language switch (header and Preferences); URLs do not change with the language
    path("language/", languages.set_language, name="set-language"),
    # The person's own account: second factor, password change and reset (hardening)
    path("accounts/two-factor/", account.two_factor, name="two-factor"),
    path("accounts/two-factor/enrol/", account.two_factor_enrol, name="two-factor-enrol"),
    path("accounts/two-factor/verify/", account.two_factor_verify, name="two-factor-verify"),
    path(
        "accounts/two-factor/backup-codes/",
        account.two_factor_backup_codes,
        name="two-factor-backup-codes",
    ),
    path("accounts/two-factor/remove/", account.two_factor_remove, name="two-factor-remove"),
    path(
        "accounts/password/change/",
        account.PasswordChangeView.as_view(),
        name="password-change",
    ),
    path(
        "accounts/password/change/done/",
        account.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path("accounts/password/reset/", account.PasswordResetView.as_view(), name="password-reset"),
    path(
        "accounts/password/reset/sent/",
        account.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        account.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "accounts/password/reset/done/",
        account.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("csp-report/", account.csp_report, name="csp-report"),
    path("admin/", admin.site.urls),
]

# A delegation's workbook round trip (issue 15)
urlpatterns += [
    path("nations/<str:code>/workbook/", workbook_views.workbook_page, name="workbook"),
    path(
        "nations/<str:code>/workbook/download/",
        workbook_views.workbook_download,
        name="workbook-download",
    ),
    path(
        "nations/<str:code>/workbook/confirm/",
        workbook_views.workbook_confirm,
        name="workbook-confirm",
    ),
]

# The REST API, its OpenAPI schema and documentation (issue 15)
urlpatterns += [
    path("api/", include("resolutions.api.urls")),
    path("preferences/api-tokens/", api_token_views.token_create, name="api-token-create"),
    path(
        "preferences/api-tokens/<int:pk>/revoke/",
        api_token_views.token_revoke,
        name="api-token-revoke",
    ),
]

# A server error caused by the database being away answers 503 "back shortly" (views/errors.py).
handler500 = "resolutions.views.errors.server_error"
