from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from resolutions.views import health, resolutions

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
    path("admin/", admin.site.urls),
]
