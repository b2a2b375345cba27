"""/api/v1/ (the endpoints), /api/schema/ (OpenAPI 3.1), /api/docs/ (Swagger UI, vendored)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("resolutions", views.ResolutionViewSet, basename="resolution")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("statuses", views.StatusViewSet, basename="status")
router.register("actions", views.NationalActionViewSet, basename="action")
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("rounds", views.ReportingRoundViewSet, basename="round")

# The API answers 401 in its own error shape rather than redirecting to the sign-in page:
# DRF checks the token or session of every request itself.
for pattern in router.urls:
    login_not_required(pattern.callback)

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", TemplateView.as_view(template_name="api/docs.html"), name="docs"),
]
