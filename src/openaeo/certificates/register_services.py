"""The owner gives or withdraws consent to a certificate appearing in the public register.

Each runs in one transaction, checks that the actor is an owner of the holder (again: the
view's check is not enough) and records an audit event. A change shows in the register
at once: the register reads the certificate as it is.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openaeo.certificates import policy
from openaeo.certificates.models import Certificate
from openaeo.certificates.register import STATUSES
from openaeo.common import clock
from openaeo.common.audit import record_event


def _locked(actor, certificate: Certificate) -> Certificate:
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("holder")
        .get(pk=certificate.pk)
    )
    if not policy.can_manage_register_consent(actor, certificate):
        raise PermissionDenied
    return certificate


def register_consent_give(*, actor, certificate: Certificate) -> Certificate:
    """List the certificate in the public register (owners of the holder only).

    Only a current certificate (valid or suspended) can be listed; giving consent twice
    changes nothing and records nothing.
    """
    with transaction.atomic():
        certificate = _locked(actor, certificate)
        if certificate.status not in STATUSES.values():
            raise ValidationError(
                _("A certificate that is %(status)s cannot be listed in the public register.")
                % {"status": certificate.get_status_display().lower()}
            )
        if certificate.register_consent_at is not None:
            return certificate
        certificate.register_consent_at = clock.now()
        certificate.save(update_fields=["register_consent_at"])
        record_event(
            actor=actor,
            action="certificate.register_consent_give",
            obj=certificate,
            acting_for=certificate.holder,
            before={"register_consent_at": None},
            after={"register_consent_at": certificate.register_consent_at},
        )
    return certificate


def register_consent_withdraw(*, actor, certificate: Certificate) -> Certificate:
    """Take the certificate out of the public register at once (owners only)."""
    with transaction.atomic():
        certificate = _locked(actor, certificate)
        if certificate.register_consent_at is None:
            return certificate
        before = certificate.register_consent_at
        certificate.register_consent_at = None
        certificate.save(update_fields=["register_consent_at"])
        record_event(
            actor=actor,
            action="certificate.register_consent_withdraw",
            obj=certificate,
            acting_for=certificate.holder,
            before={"register_consent_at": before},
            after={"register_consent_at": None},
        )
    return certificate
