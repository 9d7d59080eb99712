from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "openaeo.certificates"
    label = "certificates"
    verbose_name = _("AEO certificates")

    def ready(self):
        from openaeo.certificates import policy, tasks  # noqa: F401
