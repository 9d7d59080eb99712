from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "openaeo.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring of certificate holders")

    def ready(self):
        from openaeo.monitoring import policy, tasks  # noqa: F401
