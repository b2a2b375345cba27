from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from resolutions.api import token_views as api_token_views
from resolutions.views import (
    health,
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
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
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
