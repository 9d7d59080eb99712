from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperatorsConfig(AppConfig):
    name = "openaeo.operators"
    label = "operators"
    verbose_name = _("Economic operators")

    def ready(self):
        from openaeo.operators import policy  # noqa: F401
