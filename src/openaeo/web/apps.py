from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "openaeo.web"
    label = "web"
    verbose_name = _("Web pages")

    def ready(self):
        from openaeo.web import policy  # noqa: F401
