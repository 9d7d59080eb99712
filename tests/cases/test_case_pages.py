"""The officer's case page and the applicant's status page, through the browser-facing views."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openaeo.cases import correspondence, workflow
from openaeo.cases.models import CaseStatus
from openaeo.notifications.models import Notification
from tests.scenarios.cases import accepted, ask

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_case_page_shows_the_case_and_its_next_step(client, case, staff):
    client.force_login(staff["validator"])
    response = client.get(reverse("cases:case", args=[case.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert case.reference in body and "Accept as complete" in body
    assert "The self-assessment as submitted" in body and "Compliance history" in body
    client.force_login(staff["validator_elsewhere"])
    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 404


def test_accepting_from_the_page_and_a_stale_form(client, case, staff):
    client.force_login(staff["validator"])
    url = reverse("cases:act", args=[case.pk, "accept"])
    response = client.post(url, {"accept-version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.RISK_REVIEW
    # The same form again (a second tab, a double click): refused with a clear message.
    response = client.post(url, {"accept-version": case.version - 1}, follow=True)
    assert "changed by someone else" in response.content.decode()


def test_a_form_error_shows_the_page_again_with_the_message(client, case, staff):
    client.force_login(staff["validator"])
    response = client.post(
        reverse("cases:act", args=[case.pk, "return"]),
        {"return-version": case.version, "return-missing_items": ""},
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_the_applicant_replies_with_a_document_and_the_clock_restarts(
    client, case, staff, owner, settings
):
    case = accepted(case, staff)
    request = ask(case, staff["validator"], "Seal log", "Please send the seal log of May.")
    client.force_login(owner)
    status_url = reverse("cases:status", args=[case.pk])
    body = client.get(status_url).content.decode()
    assert "Seal log" in body and "Send to Customs" in body
    response = client.post(
        reverse("cases:reply", args=[case.pk, request.pk]),
        {
            "body": "Here it is.",
            "files": SimpleUploadedFile("seal-log.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.clock_stopped_on is None
    message = request.messages.get(from_customs=False)
    files = correspondence.message_purpose(message)
    from openaeo.evidence.models import EvidenceFile

    assert EvidenceFile.objects.filter(purpose=files).count() == 1
    client.force_login(staff["validator"])
    assert "seal-log.pdf" in client.get(reverse("cases:case", args=[case.pk])).content.decode()


def test_an_empty_reply_is_refused_and_nothing_is_sent(client, case, staff, owner):
    case = accepted(case, staff)
    request = ask(case, staff["validator"], "Q", "Question")
    client.force_login(owner)
    response = client.post(reverse("cases:reply", args=[case.pk, request.pk]), {"body": " "})
    assert response.status_code == 400
    assert request.messages.count() == 1


def test_the_applicant_withdraws_from_the_status_page(client, case, owner):
    client.force_login(owner)
    url = reverse("cases:withdraw", args=[case.pk])
    assert client.post(url, {}).status_code == 400  # the confirmation is required
    assert client.post(url, {"confirm": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN


def test_notifications_are_listed_and_marked_read_only_by_their_owner(client, case, staff, owner):
    notice = Notification.objects.filter(recipient=staff["supervisor"]).first()
    client.force_login(staff["supervisor"])
    page = client.get(reverse("notifications:list")).content.decode()
    assert "New application" in page
    # Someone else cannot mark it read (nor learn that it exists).
    client.force_login(owner)
    response = client.post(reverse("notifications:read"), {"notification": notice.pk})
    assert response.status_code == 302 and response["Location"] == reverse("notifications:list")
    notice.refresh_from_db()
    assert notice.read_at is None
    client.force_login(staff["supervisor"])
    response = client.post(reverse("notifications:read"), {"notification": notice.pk})
    assert response["Location"] == reverse("cases:case", args=[case.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_the_queue_lists_the_case_for_its_office_only(client, case, staff):
    client.force_login(staff["validator"])
    assert case.reference in client.get(reverse("cases:queue")).content.decode()
    client.force_login(staff["validator_elsewhere"])
    assert case.reference not in client.get(reverse("cases:queue")).content.decode()


def test_the_staff_overview_says_what_waits(client, case, staff):
    workflow.case_assign(
        actor=staff["supervisor"], applications=[case], assignee=staff["validator"]
    )
    client.force_login(staff["validator"])
    body = client.get(reverse("web:dashboard")).content.decode()
    assert "1 open case assigned to you" in body
    client.force_login(staff["supervisor2"])
    body = client.get(reverse("web:dashboard")).content.decode()
    assert "0 cases wait for a validator" in body and "0 decisions or appeals to take" in body


def test_an_infected_attachment_stops_the_reply_and_its_refusal_is_kept(
    client, case, staff, owner, use_clamd, settings, tmp_path
):
    """With the real clamd: nothing is sent, and the refused upload keeps its record."""
    from tests.scenarios.evidence import eicar

    settings.MEDIA_ROOT = tmp_path / "media"
    case = accepted(case, staff)
    request = ask(case, staff["validator"], "Seal log", "Please send it.")
    client.force_login(owner)
    response = client.post(
        reverse("cases:reply", args=[case.pk, request.pk]),
        {"body": "Here.", "files": SimpleUploadedFile("log.txt", eicar(), "text/plain")},
    )
    assert response.status_code == 400
    assert "refused by the virus check" in response.content.decode()
    assert request.messages.filter(from_customs=False).count() == 0
    from openaeo.evidence.models import EvidenceFile

    refused = EvidenceFile.objects.get(original_name="log.txt")
    assert refused.status == "infected" and not refused.file
    case.refresh_from_db()
    assert case.clock_stopped_on is not None  # the clock still waits for a real reply
