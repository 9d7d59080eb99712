from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "openaeo.evidence"
    label = "evidence"
    verbose_name = _("Evidence files")

    def ready(self):
        from openaeo.evidence import checks, policy, tasks  # noqa: F401
