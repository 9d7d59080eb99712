from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "openaeo.common"
    label = "common"
    verbose_name = _("Audit trail and shared parts")

    def ready(self):
        from openaeo.common import periodic, policy  # noqa: F401
