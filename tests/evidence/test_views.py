"""The upload page and the download link, as people use them."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openaeo.common import clock
from openaeo.evidence import scanning
from openaeo.evidence.models import EvidenceFile, EvidenceStatus
from tests.scenarios.evidence import PDF_BYTES, PNG_BYTES, FakeScanner, eicar, stored_files

pytestmark = pytest.mark.django_db


def upload_url(operator):
    return reverse("evidence:upload", kwargs={"operator_id": operator.pk})


def download_url(evidence):
    return reverse("evidence:download", kwargs={"evidence_id": evidence.pk})


def post_file(client, operator, name, content, purpose=""):
    return client.post(
        upload_url(operator),
        {"file": SimpleUploadedFile(name, content), "purpose": purpose},
        follow=True,
    )


def test_the_page_lists_files_with_their_status_in_plain_words(
    people, operator, client_for, use_scanner
):
    client = client_for(people["owner"])
    page = client.get(upload_url(operator))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html and "No file has been sent yet." in html
    assert 'accept=".pdf,' in html

    use_scanner(FakeScanner(raises=scanning.ScanUnavailable("down")))
    response = post_file(client, operator, "waiting.pdf", PDF_BYTES, "Seal register")
    html = response.content.decode()
    assert "waits for the virus check" in html
    assert "Waiting for the virus check" in html and "Seal register" in html
    waiting = EvidenceFile.objects.get()
    assert download_url(waiting) not in html


def test_a_clean_upload_is_downloadable_by_those_entitled(
    people, operator, client_for, use_scanner
):
    use_scanner(FakeScanner())
    response = post_file(client_for(people["editor"]), operator, "Seal log.pdf", PDF_BYTES)
    assert response.redirect_chain[-1][0] == upload_url(operator)
    assert "The virus check found nothing." in response.content.decode()
    evidence = EvidenceFile.objects.get()
    assert download_url(evidence) in response.content.decode()

    # Customs sees a business's files once it has a case they may read.
    assert client_for(people["validator"]).get(download_url(evidence)).status_code == 404
    _application_at(operator, "PORT")
    assert client_for(people["validator_elsewhere"]).get(download_url(evidence)).status_code == 404
    assert client_for(people["relationship_manager"]).get(download_url(evidence)).status_code == 404
    for role in ("owner", "editor", "viewer", "representative", "validator", "auditor"):
        download = client_for(people[role]).get(download_url(evidence))
        assert download.status_code == 200, role
        assert b"".join(download.streaming_content) == PDF_BYTES
        assert download["Content-Type"] == "application/pdf"
        assert download["X-Content-Type-Options"] == "nosniff"
        assert download["Content-Disposition"].startswith("attachment;")
        assert "Seal log.pdf" in download["Content-Disposition"]
    assert evidence.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()


@pytest.mark.parametrize("role", ["other_owner", "newcomer"])
def test_others_get_not_found_exactly_as_for_a_missing_file(
    role, people, operator, client_for, use_scanner
):
    use_scanner(FakeScanner())
    post_file(client_for(people["owner"]), operator, "a.pdf", PDF_BYTES)
    evidence = EvidenceFile.objects.get()
    client = client_for(people[role])
    assert client.get(download_url(evidence)).status_code == 404
    missing = reverse("evidence:download", kwargs={"evidence_id": evidence.pk + 1000})
    assert client.get(missing).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(people, operator, client_for, use_scanner):
    use_scanner(FakeScanner())
    post_file(client_for(people["owner"]), operator, "a.pdf", PDF_BYTES)
    evidence = EvidenceFile.objects.get()
    for url in (download_url(evidence), upload_url(operator)):
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_a_quarantined_file_cannot_be_downloaded(people, operator, client_for, use_scanner):
    use_scanner(FakeScanner(raises=scanning.ScanUnavailable("down")))
    post_file(client_for(people["owner"]), operator, "a.pdf", PDF_BYTES)
    evidence = EvidenceFile.objects.get()
    assert evidence.status == EvidenceStatus.QUARANTINED
    for role in ("owner", "validator"):
        assert client_for(people[role]).get(download_url(evidence)).status_code == 404


@pytest.mark.parametrize("role", ["viewer", "other_owner", "newcomer", "validator"])
def test_only_those_who_prepare_reach_the_upload_page(role, people, operator, client_for):
    client = client_for(people[role])
    assert client.get(upload_url(operator)).status_code == 404
    assert (
        client.post(upload_url(operator), {"file": SimpleUploadedFile("a.pdf", PDF_BYTES)})
    ).status_code == 404
    assert not EvidenceFile.objects.exists()


def test_the_representative_who_prepares_reaches_the_upload_page(people, operator, client_for):
    assert client_for(people["representative"]).get(upload_url(operator)).status_code == 200


def test_uploading_eicar_says_a_virus_was_found_and_keeps_nothing(
    people, operator, client_for, use_clamd, media_root
):
    response = post_file(client_for(people["owner"]), operator, "invoice.txt", eicar())
    html = response.content.decode()
    assert "was refused: the virus check found" in html and "Nothing of it was kept" in html
    assert "Refused: a virus was found" in html
    evidence = EvidenceFile.objects.get()
    assert evidence.status == EvidenceStatus.INFECTED
    assert download_url(evidence) not in html
    assert client_for(people["owner"]).get(download_url(evidence)).status_code == 404
    assert stored_files(media_root) == []


def test_a_mismatched_file_is_refused_on_the_form(
    people, operator, client_for, use_scanner, media_root
):
    use_scanner(FakeScanner())
    response = client_for(people["owner"]).post(
        upload_url(operator), {"file": SimpleUploadedFile("report.pdf", PNG_BYTES)}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "is named as a PDF document, but its content is a PNG picture" in html
    assert not EvidenceFile.objects.exists() and stored_files(media_root) == []


def test_an_oversized_file_is_refused_on_the_form(
    people, operator, client_for, use_scanner, media_root, settings
):
    use_scanner(FakeScanner())
    settings.EVIDENCE_MAX_BYTES = 100
    response = client_for(people["owner"]).post(
        upload_url(operator), {"file": SimpleUploadedFile("scan.pdf", PDF_BYTES + bytes(200))}
    )
    assert response.status_code == 400
    assert "is larger than 100" in response.content.decode()
    assert not EvidenceFile.objects.exists() and stored_files(media_root) == []


def test_a_form_without_a_file_is_refused(people, operator, client_for):
    response = client_for(people["owner"]).post(upload_url(operator), {"purpose": "x"})
    assert response.status_code == 400
    assert not EvidenceFile.objects.exists()


def test_text_is_served_as_utf8_text_attachment(people, operator, client_for, use_scanner):
    use_scanner(FakeScanner())
    post_file(client_for(people["owner"]), operator, "stock.csv", "café;1\n".encode())
    evidence = EvidenceFile.objects.get()
    download = client_for(people["owner"]).get(download_url(evidence))
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"].startswith("attachment;")


def test_customs_working_files_are_not_shown_to_the_business(db, people, operator, client_for):
    from django.core.files.base import ContentFile

    from openaeo.evidence.models import EvidenceFile, EvidenceStatus

    photo = EvidenceFile(
        operator=operator,
        uploaded_by=people["validator"],
        original_name="gate.png",
        purpose="visit-item:1",
        detected_type="image/png",
        size=8,
        sha256="1" * 64,
        status=EvidenceStatus.CLEAN,
        uploaded_at=clock.now(),
    )
    photo.file.save("gate.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    url = f"/evidence/files/{photo.pk}/download/"
    _application_at(operator, "PORT")
    assert client_for(people["owner"]).get(url).status_code == 404
    assert client_for(people["validator"]).get(url).status_code == 200
    page = client_for(people["owner"]).get(f"/evidence/{operator.pk}/upload/")
    assert "gate.png" not in page.content.decode()


def _application_at(operator, office_code):
    from openaeo.accounts.models import Office
    from openaeo.cases.models import Application
    from openaeo.catalogue.models import Programme
    from openaeo.catalogue.programmes import shipped_programme_files
    from openaeo.catalogue.services import catalogue_publish, programme_load

    programme = Programme.objects.first()
    if programme is None:
        catalogue_publish(actor=None)
        programme, _ = programme_load(actor=None, path=shipped_programme_files()[0])
    return Application.objects.create(
        operator=operator,
        programme=programme,
        tier_code="entry",
        submitted_at=clock.now(),
        completeness_due=clock.today(),
        office=Office.objects.get(code=office_code),
    )


def test_a_purpose_that_looks_like_a_link_is_refused(people, operator, client_for, use_scanner):
    """A trader cannot attach a file to a Customs message or a visit by typing its label."""
    use_scanner(FakeScanner())
    client = client_for(people["owner"])
    for purpose in ("case-message:1", "visit-item:3", "corrective-action:2", "action:1"):
        response = client.post(
            upload_url(operator),
            {"purpose": purpose, "file": SimpleUploadedFile("a.pdf", PDF_BYTES)},
        )
        assert response.status_code == 400, purpose
    assert not EvidenceFile.objects.exists()
