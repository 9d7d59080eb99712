from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MraConfig(AppConfig):
    name = "openaeo.mra"
    label = "mra"
    verbose_name = _("Mutual recognition")

    def ready(self):
        # Imported here, not at the top: an AppConfig module is imported before the models
        # are ready.
        from openaeo.certificates import verification
        from openaeo.mra import policy, selectors  # noqa: F401 - policy registers routes

        verification.recognise_partner_records(selectors.recognised_for_verification)
