from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "openaeo.catalogue"
    label = "catalogue"
    verbose_name = _("Criteria catalogue and programmes")

    def ready(self):
        from openaeo.catalogue import policy  # noqa: F401
