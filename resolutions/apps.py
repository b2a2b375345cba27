from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResolutionsConfig(AppConfig):
    name = "resolutions"
    verbose_name = _("Resolutions and commitments")

    def ready(self):
        from . import (
            languages,  # noqa: F401  (connects the sign-in signal)
            storage_check,  # noqa: F401 - registers the object storage check
        )
        from .security import events  # noqa: F401 - connects the audit trail's receivers
