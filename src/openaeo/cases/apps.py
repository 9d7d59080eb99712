from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "openaeo.cases"
    label = "cases"
    verbose_name = _("Applications and cases")

    def ready(self):
        from openaeo.cases import policy, tasks  # noqa: F401
