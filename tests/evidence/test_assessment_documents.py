"""Documents for self-assessment questions: uploaded, virus-checked by a real clamd, then counted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openaeo.accounts.roles import OperatorRole
from openaeo.assessments import selectors, services
from openaeo.evidence.models import EvidenceFile
from tests import factories
from tests.scenarios.evidence import PDF_BYTES, PNG_BYTES, eicar, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(programmes):
    business = factories.OperatorFactory(
        roles=["exporter"], employees=300
    )  # large: asked for documents
    owner = factories.make_member(business, OperatorRole.OWNER)
    assessment = services.assessment_start(
        actor=owner, operator=business, programme=programmes["safe-reference"], tier_code="security"
    )
    question = next(q for _h, _r, q in selectors.asked(assessment) if q["answer"] == "document")
    part = next(
        block.number
        for block in selectors.questionnaire(assessment)
        for requirement in block.requirements
        for asked_question, _answer in requirement.questions
        if asked_question["id"] == question["id"]
    )
    return assessment, owner, question, part


def _attach(client, assessment, question, part, name, content):
    return client.post(
        f"/self-assessment/{assessment.pk}/attach/",
        {"question": question["id"], "part": part, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_a_clean_document_counts_once_clamd_has_checked_it(client, setup, use_clamd, media_root):
    assessment, owner, question, part = setup
    client.force_login(owner)
    before = selectors.readiness_of(assessment)
    missing = [gap for gap in before.gaps if question["id"] in gap.question_ids]
    assert missing and "missing_document" in missing[0].reasons
    response = _attach(client, assessment, question, part, "seal-log.pdf", PDF_BYTES)
    assert "is attached" in response.content.decode()
    after = selectors.readiness_of(assessment)
    assert not any(
        question["id"] in gap.question_ids
        for gap in after.gaps
        if "missing_document" in gap.reasons
    )
    assert after.score > before.score
    assert len(stored_files(media_root)) == 1


def test_the_eicar_file_is_refused_and_counts_for_nothing(client, setup, use_clamd, media_root):
    assessment, owner, question, part = setup
    client.force_login(owner)
    response = _attach(client, assessment, question, part, "seal-log.txt", eicar())
    assert "was refused" in response.content.decode()
    assert stored_files(media_root) == []
    gaps = selectors.readiness_of(assessment).gaps
    assert any(question["id"] in gap.question_ids for gap in gaps)


def test_a_file_whose_content_does_not_match_its_name_is_refused(client, setup, media_root):
    assessment, owner, question, part = setup
    client.force_login(owner)
    response = _attach(client, assessment, question, part, "seal-log.pdf", PNG_BYTES)
    body = response.content.decode()
    assert "PNG" in body and not EvidenceFile.objects.exists()
    assert stored_files(media_root) == []


def test_another_trader_cannot_attach(client, setup):
    assessment, _owner, question, part = setup
    client.force_login(factories.make_member(factories.OperatorFactory(), OperatorRole.OWNER))
    response = client.post(
        f"/self-assessment/{assessment.pk}/attach/",
        {"question": question["id"], "part": part, "file": SimpleUploadedFile("a.pdf", PDF_BYTES)},
    )
    assert response.status_code == 404 and not EvidenceFile.objects.exists()
