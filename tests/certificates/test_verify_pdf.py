"""The certificate PDF: two languages, the QR codes, the attached credential, who gets it."""

import io

import pytest
import segno
from django.urls import reverse
from pypdf import PdfReader

from openaeo.accounts.roles import OperatorRole
from openaeo.certificates import credentials, documents
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_certificate(certify):
    certificate = certify(factories.OperatorFactory(legal_name="Kisumu Fresh Produce"))
    certificate.decision.language = "fr"
    certificate.decision.save(update_fields=["language"])
    return certificate


def test_the_pdf_has_the_holders_language_and_english(french_certificate):
    reader = PdfReader(io.BytesIO(documents.certificate_pdf(french_certificate)))
    assert len(reader.pages) == 2
    french, english = (page.extract_text() for page in reader.pages)
    for text in (french, english):
        assert french_certificate.aeo_number in text
        assert "Kisumu Fresh Produce" in text
    assert "Administration douanière de référence" in french
    assert french_certificate.tier_label("fr") in french
    assert "Reference Customs Administration" in english
    assert french_certificate.tier_label("en") in english
    # The credential travels with the document, for offline checks.
    (name,) = reader.attachments
    assert name.endswith(".jwt")
    (attached,) = reader.attachments[name]
    assert attached.decode() == credentials.certificate_jwt(french_certificate)


def test_an_english_holder_gets_one_page(certify):
    certificate = certify(factories.OperatorFactory())
    reader = PdfReader(io.BytesIO(documents.certificate_pdf(certificate)))
    assert len(reader.pages) == 1


def test_the_qr_code_carries_the_verification_address(french_certificate, settings):
    url = documents.verification_url(french_certificate)
    assert url.startswith(settings.SITE_URL.rstrip("/") + reverse("certificates:verify") + "?n=")
    number = french_certificate.aeo_number.replace(" ", "+").replace("/", "%2F")
    assert url.endswith(f"?n={number}")
    # No decoder is installed: the code drawn is segno's encoding of exactly that address.
    assert documents.qr_svg_data_uri(url) == segno.make_qr(url, error="m").svg_data_uri(
        scale=4, border=4
    )


def test_the_pdf_embeds_the_codes_it_builds(french_certificate, monkeypatch):
    seen = []
    real = documents.qr_svg_data_uri

    def spy(content, **kwargs):
        seen.append(content)
        return real(content, **kwargs)

    monkeypatch.setattr(documents, "qr_svg_data_uri", spy)
    documents.certificate_pdf(french_certificate)
    assert seen == [
        documents.verification_url(french_certificate),
        credentials.certificate_jwt(french_certificate),
    ]


def test_a_credential_too_large_for_a_qr_code_is_left_to_the_attachment():
    assert documents.qr_svg_data_uri("x" * 5000, error="l") is None


def test_the_holder_and_staff_download_the_pdf(french_certificate, client_for, staff):
    url = reverse("certificates:pdf", args=[french_certificate.pk])
    viewer = factories.make_member(french_certificate.holder, OperatorRole.VIEWER)
    response = client_for(viewer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client_for(staff["validator"]).get(url).status_code == 200
    stranger = factories.make_member(factories.OperatorFactory())
    assert client_for(stranger).get(url).status_code == 404
    business = client_for(viewer).get(
        reverse("certificates:business", args=[french_certificate.holder_id])
    )
    assert url in business.content.decode()
