"""Proof of MSME status: asked by some programmes before an MSME may submit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openaeo.accounts.roles import OperatorRole
from openaeo.assessments import services
from openaeo.cases.services import submission_problems
from openaeo.evidence import scanning
from openaeo.evidence.services import evidence_upload
from openaeo.operators import msme
from tests import factories
from tests.scenarios.evidence import PDF_BYTES, FakeScanner

pytestmark = pytest.mark.django_db

PROBLEM = "Upload proof of your business's MSME status"


def _start(programme, business, owner, tier_code):
    return services.assessment_start(
        actor=owner, operator=business, programme=programme, tier_code=tier_code
    )


@pytest.fixture
def india_assessment(programmes, business, owner):
    return _start(programmes["india-style"], business, owner, "t1")


def _send_proof(owner, business, content=PDF_BYTES, name="msme-certificate.pdf"):
    return evidence_upload(
        actor=owner,
        operator=business,
        uploaded_file=SimpleUploadedFile(name, content),
        purpose=msme.proof_purpose(business),
    )


def _has_problem(assessment) -> bool:
    return any(PROBLEM in problem for problem in submission_problems(assessment))


def test_an_msme_in_a_programme_that_asks_must_send_proof(india_assessment):
    assert india_assessment.size_class in msme.MSME_SIZE_CLASSES
    assert _has_problem(india_assessment)


def test_the_problem_goes_once_a_clean_proof_is_there(
    india_assessment, owner, business, use_scanner
):
    use_scanner(FakeScanner(raises=scanning.ScanUnavailable("down")))
    waiting = _send_proof(owner, business)
    assert waiting.status == "quarantined" and _has_problem(india_assessment)
    use_scanner(FakeScanner(signature="Eicar-Test-Signature"))
    assert _send_proof(owner, business).status == "infected"
    assert _has_problem(india_assessment)

    use_scanner(FakeScanner())
    assert _send_proof(owner, business).status == "clean"
    assert not _has_problem(india_assessment)


def test_a_file_sent_for_something_else_does_not_count(
    india_assessment, owner, business, use_scanner
):
    use_scanner(FakeScanner())
    evidence_upload(
        actor=owner,
        operator=business,
        uploaded_file=SimpleUploadedFile("seal-log.pdf", PDF_BYTES),
        purpose="Seal register",
    )
    assert _has_problem(india_assessment)


def test_another_businesss_proof_does_not_count(india_assessment, use_scanner):
    other = factories.OperatorFactory(roles=["exporter"], employees=5)
    other_owner = factories.make_member(other, OperatorRole.OWNER)
    use_scanner(FakeScanner())
    _send_proof(other_owner, other)
    assert _has_problem(india_assessment)


@pytest.mark.parametrize("programme", ["safe-reference", "eu-style", "hong-kong-style"])
def test_programmes_that_do_not_ask_raise_no_problem(programmes, business, owner, programme):
    tier_code = programmes[programme].config["tiers"][0]["code"]
    assessment = _start(programmes[programme], business, owner, tier_code)
    assert assessment.size_class in msme.MSME_SIZE_CLASSES
    assert not _has_problem(assessment)


def test_a_large_business_is_not_asked(programmes, business, owner):
    business.annual_turnover, business.balance_sheet_total = 9_000_000_000, 3_000_000_000
    business.save()
    assessment = _start(programmes["india-style"], business, owner, "t1")
    assert assessment.size_class == "large"
    assert not _has_problem(assessment)


def test_the_submit_page_says_what_is_missing_and_links_to_the_profile(
    client, india_assessment, owner, business
):
    client.force_login(owner)
    html = client.get(reverse("cases:submit", args=[india_assessment.pk])).content.decode()
    assert "proof of your business&#x27;s MSME status" in html
    assert reverse("operators:profile", args=[business.pk]) + "#msme-heading" in html


def test_the_profile_page_asks_for_the_proof_and_takes_it(
    client, india_assessment, owner, business, use_scanner
):
    profile = reverse("operators:profile", args=[business.pk])
    client.force_login(owner)
    html = client.get(profile).content.decode()
    assert "Proof of MSME status" in html and "Proof still needed" in html
    assert 'enctype="multipart/form-data"' in html
    assert "AEO programme (India-style, three tiers)" in html

    use_scanner(FakeScanner())
    response = client.post(
        reverse("operators:msme_proof", args=[business.pk]),
        {"msme-file": SimpleUploadedFile("udyam.pdf", PDF_BYTES)},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == profile + "#msme-heading"
    assert "The virus check found nothing." in html and "Proof received" in html
    proof = msme.proof_files(business).get()
    assert reverse("evidence:download", args=[proof.pk]) in html
    assert "Checked: no virus found" in html
    assert not _has_problem(india_assessment)


def test_a_refused_proof_is_explained(client, india_assessment, owner, business, use_scanner):
    client.force_login(owner)
    url = reverse("operators:msme_proof", args=[business.pk])
    use_scanner(FakeScanner(signature="Eicar-Test-Signature"))
    html = client.post(
        url, {"msme-file": SimpleUploadedFile("udyam.pdf", PDF_BYTES)}, follow=True
    ).content.decode()
    assert "was refused: the virus check found Eicar-Test-Signature" in html
    assert "Refused: a virus was found" in html and "Proof still needed" in html

    response = client.post(url, {"msme-file": SimpleUploadedFile("udyam.pdf", b"MZ\x90\x00")})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    response = client.post(url, {})
    assert response.status_code == 400 and "Choose the file to send." in response.content.decode()
    assert _has_problem(india_assessment)


def test_viewers_cannot_send_proof(client, india_assessment, business, use_scanner):
    viewer = factories.make_member(business, OperatorRole.VIEWER)
    client.force_login(viewer)
    use_scanner(FakeScanner())
    response = client.post(
        reverse("operators:msme_proof", args=[business.pk]),
        {"msme-file": SimpleUploadedFile("udyam.pdf", PDF_BYTES)},
    )
    assert response.status_code == 404 and not msme.proof_files(business).exists()


def test_the_default_programme_asks_before_any_self_assessment(client, programmes, business, owner):
    from openaeo.catalogue.models import Programme

    profile = reverse("operators:profile", args=[business.pk])
    client.force_login(owner)
    assert "Proof of MSME status" not in client.get(profile).content.decode()  # SAFE default
    Programme.objects.update(is_default=False)
    Programme.objects.filter(pk=programmes["india-style"].pk).update(is_default=True)
    assert "Proof of MSME status" in client.get(profile).content.decode()
