from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "openaeo.screening"
    label = "screening"
    verbose_name = _("Compliance screening")

    def ready(self):
        # Imported here, not at the top: an AppConfig module is imported before the models
        # are ready.
        from openaeo.cases import hooks
        from openaeo.screening import policy, tasks, views  # noqa: F401

        hooks.compliance_panel.register(views.case_panel)
