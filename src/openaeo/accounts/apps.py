from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "openaeo.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from openaeo.accounts import policy, signal_handlers  # noqa: F401
