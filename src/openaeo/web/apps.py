from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "openaeo.web"
    label = "web"
    verbose_name = _("Web pages")

    def ready(self):
        from openaeo.web import policy  # noqa: F401
        from openaeo.web.admin_cleanup import unregister_unaudited_admins

        # Runs after django.contrib.admin's autodiscovery: this app is listed last.
        unregister_unaudited_admins()
