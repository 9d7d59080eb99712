"""Change notices and incident reports: sent once, with evidence, reviewed by the office."""

import datetime as dt
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openaeo.common import clock
from openaeo.common.models import AuditEvent
from openaeo.monitoring.models import ChangeNotice, IncidentReport
from openaeo.notifications.models import Notification
from tests.scenarios.evidence import PDF_BYTES, FakeScanner, eicar


def _notice_data(key=None, **extra):
    return {
        "key": str(key or uuid.uuid4()),
        "kind": "owners",
        "description": "Ms Okafor sold her 40% share to Mr Diallo.",
        "effective_on": "2026-11-01",
        **extra,
    }


def test_the_holder_notifies_a_change_with_a_document(
    certificate, owner, staff, client_for, use_scanner
):
    use_scanner(FakeScanner())
    data = _notice_data(files=SimpleUploadedFile("register.pdf", PDF_BYTES))
    response = client_for(owner).post(reverse("monitoring:change_new", args=[certificate.pk]), data)
    assert response.status_code == 302
    notice = ChangeNotice.objects.get()
    assert notice.kind == "owners"
    assert [file.original_name for file in notice.evidence.all()] == ["register.pdf"]
    assert AuditEvent.objects.filter(action="monitoring.change.submit").count() == 1
    assert Notification.objects.filter(recipient=staff["supervisor"]).exists()
    assert not Notification.objects.filter(recipient=staff["supervisor_elsewhere"]).exists()


def test_sending_the_same_form_twice_makes_one_notice(certificate, owner, client_for):
    client = client_for(owner)
    data = _notice_data()
    url = reverse("monitoring:change_new", args=[certificate.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert ChangeNotice.objects.count() == 1


def test_an_infected_file_is_refused_and_nothing_is_sent(
    certificate, owner, client_for, use_scanner
):
    use_scanner(FakeScanner(signature="Eicar-Test-Signature"))
    data = _notice_data(files=SimpleUploadedFile("register.pdf", PDF_BYTES))
    response = client_for(owner).post(reverse("monitoring:change_new", args=[certificate.pk]), data)
    assert response.status_code == 400
    assert "contains a virus" in response.content.decode()
    assert ChangeNotice.objects.count() == 0
    assert eicar()  # the sample stays importable for the real-clamd tests


def test_bad_input_keeps_what_was_typed(certificate, owner, client_for):
    data = _notice_data(effective_on="not a date")
    response = client_for(owner).post(reverse("monitoring:change_new", args=[certificate.pk]), data)
    assert response.status_code == 400
    assert "Ms Okafor sold her 40% share" in response.content.decode()


def test_others_may_not_notify(certificate, viewer, stranger, staff, client_for):
    url = reverse("monitoring:change_new", args=[certificate.pk])
    assert client_for(viewer).post(url, _notice_data()).status_code == 403
    assert client_for(stranger).post(url, _notice_data()).status_code == 404
    assert client_for(staff["validator"]).post(url, _notice_data()).status_code == 403
    assert ChangeNotice.objects.count() == 0


def test_the_officer_reviews_a_notice_and_the_holder_is_told(certificate, owner, staff, client_for):
    client_for(owner).post(reverse("monitoring:change_new", args=[certificate.pk]), _notice_data())
    notice = ChangeNotice.objects.get()
    url = reverse("monitoring:change_review", args=[notice.pk])
    data = {"review_decision": "accepted", "outcome": "no_action", "review_note": ""}
    assert client_for(staff["validator_elsewhere"]).post(url, data).status_code == 404
    response = client_for(staff["validator"]).post(url, data)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.is_reviewed and notice.outcome == "no_action"
    assert AuditEvent.objects.filter(action="monitoring.change.review").count() == 1
    told = [n.subject for n in Notification.objects.filter(recipient=owner)]
    assert any("reviewed your change notice" in subject for subject in told)
    page = client_for(owner).get(reverse("monitoring:holder", args=[certificate.pk]))
    assert "Accepted" in page.content.decode()


def _incident(key=None, **extra):
    return {
        "key": str(key or uuid.uuid4()),
        "kind": "seal_breach",
        "occurred_on": (clock.today() - dt.timedelta(days=7)).isoformat(),
        "place": "Warehouse 2, loading bay",
        "description": "A seal was found broken on container MSCU1234567.",
        "actions_taken": "The police and the carrier were told; the container was inspected.",
        **extra,
    }


def test_the_holder_reports_an_incident_once(certificate, owner, staff, client_for):
    client = client_for(owner)
    url = reverse("monitoring:incident_new", args=[certificate.pk])
    data = _incident()
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    incident = IncidentReport.objects.get()
    assert not incident.reported_by_customs
    assert Notification.objects.filter(recipient=staff["supervisor"]).exists()


def test_a_future_date_is_refused(certificate, owner, client_for):
    response = client_for(owner).post(
        reverse("monitoring:incident_new", args=[certificate.pk]),
        _incident(occurred_on="2999-01-01"),
    )
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()


def test_an_officer_records_an_incident_for_the_holder(certificate, owner, staff, client_for):
    url = reverse("monitoring:incident_report_for_holder", args=[certificate.pk])
    assert client_for(staff["validator_elsewhere"]).post(url, _incident()).status_code == 404
    response = client_for(staff["validator"]).post(url, _incident())
    assert response.status_code == 302
    incident = IncidentReport.objects.get()
    assert incident.reported_by_customs
    assert Notification.objects.filter(
        recipient=owner, subject_text__startswith="Customs recorded"
    ).exists()
    review = reverse("monitoring:incident_review", args=[incident.pk])
    data = {
        "review_decision": "follow_up",
        "outcome": "suspension_proposed",
        "review_note": "Third seal breach this year; seals are not controlled.",
    }
    assert client_for(staff["validator"]).post(review, data).status_code == 302
    incident.refresh_from_db()
    assert incident.outcome == "suspension_proposed"
    assert certificate.__class__.objects.get(pk=certificate.pk).status == "active"


def test_a_notice_asking_for_reassessment_leads_to_a_filled_in_reassessment_form(
    certificate, owner, staff, client_for
):
    client_for(owner).post(reverse("monitoring:change_new", args=[certificate.pk]), _notice_data())
    notice = ChangeNotice.objects.get()
    client_for(staff["validator"]).post(
        reverse("monitoring:change_review", args=[notice.pk]),
        {
            "review_decision": "follow_up",
            "outcome": "reassessment_needed",
            "review_note": "New owners: the security declaration must be checked again.",
        },
    )
    page = client_for(staff["supervisor"]).get(
        reverse("monitoring:change_detail", args=[notice.pk])
    )
    text = page.content.decode()
    assert "This review asks for a reassessment." in text
    link = reverse("certificates:detail", args=[certificate.pk])
    expected = f"{link}?trigger=change_notice&amp;trigger_reference=Change%20notice%20{notice.pk}"
    assert expected in text
    form_page = client_for(staff["supervisor"]).get(
        link, {"trigger": "change_notice", "trigger_reference": f"Change notice {notice.pk}"}
    )
    form = form_page.context["reassess_form"]
    assert form.initial == {
        "trigger": "change_notice",
        "trigger_reference": f"Change notice {notice.pk}",
    }
    assert '<details class="disclosure" id="reassess" open>' in form_page.content.decode()
    # A made-up trigger fills in nothing.
    other = client_for(staff["supervisor"]).get(link, {"trigger": "because"})
    assert other.context["reassess_form"].initial == {}
