from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MraConfig(AppConfig):
    name = "openaeo.mra"
    label = "mra"
    verbose_name = _("Mutual recognition")

    def ready(self):
        from openaeo.mra import policy  # noqa: F401
