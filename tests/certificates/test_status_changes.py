"""Suspension, reinstatement, revocation and expiry: who may, with what reason, what follows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openaeo.certificates import services
from openaeo.certificates.models import CertificateStatus
from openaeo.common.models import AuditEvent
from openaeo.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db
REASON = "Seals were found broken during an audit."


@pytest.fixture
def holder(db):
    return factories.OperatorFactory()


@pytest.fixture
def owner_of(holder):
    return factories.make_member(holder)


def test_suspension_is_audited_and_told_to_the_owners(certify, holder, owner_of, staff):
    certificate = certify(holder)
    services.certificate_suspend(actor=staff["supervisor2"], certificate=certificate, reason=REASON)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUSPENDED
    assert certificate.status_reason == REASON and certificate.status_changed_at is not None
    event = AuditEvent.objects.get(action="certificate.suspend")
    assert (event.actor, event.reason, event.acting_for) == (staff["supervisor2"], REASON, holder)
    assert event.before == {"status": "active"} and event.after == {"status": "suspended"}
    notice = Notification.objects.get(recipient=owner_of, subject_text__contains="suspended")
    assert REASON in notice.body


@pytest.mark.parametrize("who", ["validator", "supervisor_elsewhere"])
def test_only_supervisors_of_the_deciding_office_change_the_status(certify, holder, staff, who):
    certificate = certify(holder)
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(actor=staff[who], certificate=certificate, reason=REASON)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE


def test_a_reason_is_needed(certify, holder, staff):
    with pytest.raises(ValidationError, match="reason"):
        services.certificate_suspend(
            actor=staff["supervisor"], certificate=certify(holder), reason="bad"
        )


def test_only_allowed_moves(certify, holder, staff):
    certificate = certify(holder)
    supervisor = staff["supervisor"]
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.certificate_reinstate(actor=supervisor, certificate=certificate, reason=REASON)
    services.certificate_suspend(actor=supervisor, certificate=certificate, reason=REASON)
    services.certificate_revoke(actor=supervisor, certificate=certificate, reason=REASON)
    for change in (services.certificate_reinstate, services.certificate_suspend):
        with pytest.raises(ValidationError, match="revoked"):
            change(actor=supervisor, certificate=certificate, reason=REASON)
    assert [
        event.action
        for event in AuditEvent.objects.filter(action__startswith="certificate.").order_by(
            "sequence"
        )
    ] == ["certificate.issue", "certificate.suspend", "certificate.revoke"]


def test_the_status_list_is_signed_again_in_the_same_transaction(certify, holder, staff):
    from openaeo.certificates.models import StatusList

    certificate = certify(holder)
    before = StatusList.objects.get(number=certificate.status_list, purpose="suspension")
    services.certificate_suspend(actor=staff["supervisor"], certificate=certificate, reason=REASON)
    after = StatusList.objects.get(pk=before.pk)
    assert after.credential_jwt and after.credential_jwt != before.credential_jwt


def test_tick_leaves_certificates_without_an_end_date_alone(certify, holder):
    certificate = certify(holder)
    assert services.certificates_expire_due() == 0
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE
