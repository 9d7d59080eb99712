from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "openaeo.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from openaeo.notifications import policy  # noqa: F401
