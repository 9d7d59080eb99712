from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "openaeo.screening"
    label = "screening"
    verbose_name = _("Compliance screening")

    def ready(self):
        from openaeo.screening import policy, tasks  # noqa: F401
