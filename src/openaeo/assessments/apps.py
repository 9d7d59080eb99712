from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "openaeo.assessments"
    label = "assessments"
    verbose_name = _("Self-assessments")

    def ready(self):
        from openaeo.assessments import policy, tasks  # noqa: F401
