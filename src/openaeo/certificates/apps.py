from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "openaeo.certificates"
    label = "certificates"
    verbose_name = _("AEO certificates")

    def ready(self):
        # Imported here, not at the top: an AppConfig module is imported before the models
        # are ready.
        from openaeo.cases import hooks
        from openaeo.certificates import case_follow_up, policy, tasks  # noqa: F401

        hooks.decision_taken.register(case_follow_up.certificates_follow_decision)
        hooks.reapplication_bar.register(case_follow_up.revoked_certificate_barring)
        hooks.renewal_of.register(case_follow_up.certificate_renewed_by_applying)
