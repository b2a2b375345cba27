from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResolutionsConfig(AppConfig):
    name = "resolutions"
    verbose_name = _("Resolutions and commitments")

    def ready(self):
        from .security import events  # noqa: F401 - connects the audit trail's receivers
