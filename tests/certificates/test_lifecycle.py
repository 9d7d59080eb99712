"""The life of a certificate after the grant: suspension with a remedy deadline,
reinstatement, revocation with a reapplication bar, renewal notices, supersession."""

import datetime as dt
import json
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openaeo.certificates import services
from openaeo.certificates.models import Certificate, CertificateStatus
from openaeo.common import clock
from openaeo.common.models import AuditEvent
from openaeo.notifications.models import Notification
from tests import factories
from tests.scenarios import independent
from tests.scenarios.certificates import in_effect
from tests.scenarios.days import at

pytestmark = pytest.mark.django_db
REASON = "Seals were found broken during an audit."
REMEDY = "Train the loading staff on seal checks and keep a seal log."


@pytest.fixture
def holder(db):
    return factories.OperatorFactory(legal_name="Lakeside Freight")


@pytest.fixture
def owner_of(holder):
    return factories.make_member(holder)


@pytest.fixture
def published(certify, holder):
    """An active certificate whose effective date has passed (so verification answers)."""
    return in_effect(certify(holder), clock.today() - dt.timedelta(days=30))


def published_bit(client, certificate, purpose: str) -> bool:
    """The certificate's bit in the status list as the public fetches it."""
    url = reverse(
        "certificates:status_list_json",
        kwargs={"purpose": purpose, "number": certificate.status_list},
    )
    payload = json.loads(client.get(url).content)
    return independent.bit(independent.status_bits(payload), certificate.status_index)


def verify_status(client, certificate) -> str:
    return client.get(f"/api/v1/verify/{quote(certificate.aeo_number, safe='')}").json()["status"]


# --------------------------------------------------------------------------- suspension


def test_a_suspension_with_a_remedy_deadline_reaches_verification_and_the_status_list(
    published, client, staff, owner_of
):
    due = clock.today() + dt.timedelta(days=30)
    services.certificate_suspend(
        actor=staff["supervisor"],
        certificate=published,
        reason=REASON,
        remedy_due=due,
        remedy_required=REMEDY,
    )
    published.refresh_from_db()
    assert (published.remedy_due, published.remedy_required) == (due, REMEDY)
    assert verify_status(client, published) == "suspended"
    assert published_bit(client, published, "suspension") is True
    assert published_bit(client, published, "revocation") is False
    event = AuditEvent.objects.get(action="certificate.suspend")
    assert event.after["remedy_due"] == due.isoformat()
    assert event.after["remedy_required"] == REMEDY
    notice = Notification.objects.get(recipient=owner_of, subject_text__contains="suspended")
    assert REASON in notice.body

    services.certificate_reinstate(
        actor=staff["supervisor"],
        certificate=published,
        reason="The seal log and the training are in place.",
        remedied="Staff trained on 3 March; seal log kept since.",
    )
    published.refresh_from_db()
    assert published.status == CertificateStatus.ACTIVE
    assert published.remedied == "Staff trained on 3 March; seal log kept since."
    assert verify_status(client, published) == "valid"
    assert published_bit(client, published, "suspension") is False
    assert AuditEvent.objects.get(action="certificate.reinstate").after["remedied"]


def test_a_remedy_deadline_must_be_in_the_future_and_say_what(published, staff):
    with pytest.raises(ValidationError, match="future"):
        services.certificate_suspend(
            actor=staff["supervisor"],
            certificate=published,
            reason=REASON,
            remedy_due=clock.today(),
            remedy_required=REMEDY,
        )
    with pytest.raises(ValidationError, match="put right"):
        services.certificate_suspend(
            actor=staff["supervisor"],
            certificate=published,
            reason=REASON,
            remedy_due=clock.today() + dt.timedelta(days=5),
        )
    published.refresh_from_db()
    assert published.status == CertificateStatus.ACTIVE


def test_tick_reminds_the_holder_a_week_before_and_tells_the_office_once_overdue(
    published, staff, owner_of
):
    today = clock.today()
    due = today + dt.timedelta(days=20)
    services.certificate_suspend(
        actor=staff["supervisor"],
        certificate=published,
        reason=REASON,
        remedy_due=due,
        remedy_required=REMEDY,
    )
    assert services.certificates_remedy_deadlines() == 0  # too early for anything
    with at(due - dt.timedelta(days=7)):
        assert services.certificates_remedy_deadlines() == 1
        assert services.certificates_remedy_deadlines() == 0  # once
    reminder = Notification.objects.get(recipient=owner_of, subject_text__contains="remedy by")
    assert REMEDY in reminder.body
    with at(due):
        assert services.certificates_remedy_deadlines() == 0  # the last day is still in time
    with at(due + dt.timedelta(days=1)):
        assert services.certificates_remedy_deadlines() == 1
        assert services.certificates_remedy_deadlines() == 0  # once
    told = Notification.objects.filter(subject_text__contains="Remedy deadline passed")
    assert {notice.recipient for notice in told} == {staff["supervisor"], staff["supervisor2"]}
    assert AuditEvent.objects.filter(action="certificate.remedy_overdue").count() == 1


def test_a_reinstated_certificate_is_not_chased(published, staff):
    due = clock.today() + dt.timedelta(days=3)
    services.certificate_suspend(
        actor=staff["supervisor"],
        certificate=published,
        reason=REASON,
        remedy_due=due,
        remedy_required=REMEDY,
    )
    services.certificate_reinstate(actor=staff["supervisor"], certificate=published, reason=REASON)
    with at(due + dt.timedelta(days=2)):
        assert services.certificates_remedy_deadlines() == 0


# --------------------------------------------------------------------------- revocation


def test_revocation_bars_a_new_application_for_the_waiting_period(published, staff, owner_of):
    services.certificate_revoke(actor=staff["supervisor"], certificate=published, reason=REASON)
    published.refresh_from_db()
    wait = published.programme.config["reapplication_wait_months"]
    assert published.reapplication_barred_until == services.add_months(clock.today(), wait)
    assert AuditEvent.objects.get(action="certificate.revoke").after[
        "reapplication_barred_until"
    ] == (published.reapplication_barred_until.isoformat())
    notice = Notification.objects.get(recipient=owner_of, subject_text__contains="revoked")
    assert published.reapplication_barred_until.isoformat() in notice.body


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert services.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert services.add_months(dt.date(2026, 11, 15), 6) == dt.date(2027, 5, 15)
    assert services.add_months(dt.date(2027, 3, 31), -6) == dt.date(2026, 9, 30)


# --------------------------------------------------------------------------- renewal


def _with_end_date(certificate, renewal="reapplication", expires_in_days=100, notice=None):
    """Give the certificate's programme tier an end date and a renewal rule."""
    programme = certificate.programme
    config = dict(programme.config)
    config["tiers"] = [
        {**tier, "validity": {**tier["validity"], "years": 3, "renewal": renewal}}
        for tier in config["tiers"]
    ]
    if notice is not None:
        config["renewal_notice_months"] = notice
    programme.config = config
    programme.save(update_fields=["config"])
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=clock.today() + dt.timedelta(days=expires_in_days)
    )
    certificate.refresh_from_db()
    return certificate


def test_the_holder_is_told_once_when_the_renewal_window_opens(published, owner_of):
    certificate = _with_end_date(published, expires_in_days=400)
    assert services.certificates_renewal_notices() == 0  # more than 6 months ahead
    opens = services.renewal_opens_on(certificate)
    assert opens == services.add_months(certificate.expires_on, -6)
    with at(opens):
        assert services.certificates_renewal_notices() == 1
        assert services.certificates_renewal_notices() == 0
    notice = Notification.objects.get(recipient=owner_of, subject_text__contains="Renew")
    assert certificate.expires_on.isoformat() in notice.body


def test_the_notice_period_is_a_programme_setting(published):
    certificate = _with_end_date(published, expires_in_days=100, notice=2)
    assert services.renewal_opens_on(certificate) == services.add_months(certificate.expires_on, -2)
    assert not services.renewal_open(certificate)


def test_no_renewal_notice_without_an_end_date(published):
    # The SAFE reference tiers have no end date (risk-based monitoring).
    assert services.renewal_rule(published) is None
    assert services.certificates_renewal_notices() == 0


def test_the_holder_sees_the_suspension_remedy_and_the_bar(
    published, staff, client_for, owner_of, certify, holder
):
    services.certificate_suspend(
        actor=staff["supervisor"],
        certificate=published,
        reason=REASON,
        remedy_due=clock.today() + dt.timedelta(days=30),
        remedy_required=REMEDY,
    )
    revoked = certify(holder)
    services.certificate_revoke(actor=staff["supervisor"], certificate=revoked, reason=REASON)
    revoked.refresh_from_db()
    page = client_for(owner_of).get(reverse("certificates:business", args=[holder.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert REMEDY in text and "To be put right by" in text
    assert (
        f"A new application may be submitted from {revoked.reapplication_barred_until:%Y-%m-%d}"
        in text
    )


def test_the_staff_page_offers_the_actions_by_status(published, staff, client_for):
    supervisor = client_for(staff["supervisor"])
    url = reverse("certificates:detail", args=[published.pk])
    text = supervisor.get(url).content.decode()
    assert "Open a reassessment" in text and "Suspend the certificate" in text
    assert "Reinstate the certificate" not in text
    change = reverse("certificates:change", args=[published.pk])
    # A revocation needs its confirmation box ticked.
    refused = supervisor.post(change, {"action": "revoke", "reason": REASON})
    assert refused.status_code == 400
    published.refresh_from_db()
    assert published.status == CertificateStatus.ACTIVE
    done = supervisor.post(
        change,
        {
            "action": "suspend",
            "reason": REASON,
            "remedy_due": (clock.today() + dt.timedelta(days=9)).isoformat(),
            "remedy_required": REMEDY,
        },
    )
    assert done.status_code == 302
    published.refresh_from_db()
    assert published.status == CertificateStatus.SUSPENDED and published.remedy_required == REMEDY
    text = supervisor.get(url).content.decode()
    assert "Reinstate the certificate" in text and "Suspend the certificate" not in text
    # A validator reads the page and is offered nothing.
    text = client_for(staff["validator"]).get(url).content.decode()
    assert "Open a reassessment" not in text and "Reinstate the certificate" not in text


def test_the_certificates_page_reads_the_same_whatever_the_number_of_certificates(
    certify, holder, owner_of, client_for, staff
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(owner_of)
    url = reverse("certificates:business", args=[holder.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    first = certify(holder)
    services.certificate_suspend(
        actor=staff["supervisor"],
        certificate=first,
        reason=REASON,
        remedy_due=clock.today() + dt.timedelta(days=9),
        remedy_required=REMEDY,
    )
    one = queries()
    for _ in range(3):
        certify(holder)
    assert queries() == one


def test_the_mra_feed_record_follows_the_status(published, staff):
    from openaeo.mra.feed import record_of

    services.certificate_suspend(
        actor=staff["supervisor"],
        certificate=published,
        reason=REASON,
        remedy_due=clock.today() + dt.timedelta(days=9),
        remedy_required=REMEDY,
    )
    published.refresh_from_db()
    record = record_of(published)
    assert record["status"] == "suspended"
    assert record["status_changed_on"] == clock.today().isoformat()
    services.certificate_reinstate(actor=staff["supervisor"], certificate=published, reason=REASON)
    published.refresh_from_db()
    assert record_of(published)["status"] == "active"
