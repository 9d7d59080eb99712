"""The whole trader journey in a real browser: a micro exporter registers its business,
answers the entry-tier self-assessment with uploads, reads the gap report, closes an action
and submits. Another trader is then refused every page and file of it."""

import os

import pytest
from django.conf import settings
from playwright.sync_api import expect

from openaeo.assessments import selectors
from openaeo.assessments.models import SelfAssessment
from openaeo.cases.models import Application
from openaeo.evidence.models import EvidenceFile
from tests import factories
from tests.scenarios.browser import watch_for_page_errors
from tests.scenarios.evidence import PDF_BYTES

pytestmark = pytest.mark.django_db(transaction=True)


def _need_clamd():
    if not (settings.CLAMD_SOCKET or settings.CLAMD_HOST):
        message = "uploads are checked by clamd; set CLAMD_SOCKET (.ci/run starts one)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)


def _sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    expect(page.locator("form[action='/accounts/logout/']")).to_be_visible()


def _answer(page, question, value_for_yes="yes"):
    form = page.locator(f"#q-{question['id'].rsplit(':', 1)[-1]}")
    kind = question["answer"]
    if kind == "yes_no_partly":
        form.locator(f"input[name=value][value={value_for_yes}]").check()
    elif kind == "choice":
        best = max(question["options"], key=lambda option: option.get("score", 1))
        form.locator(f"input[name=value][value='{best['value']}']").check()
    elif kind == "number":
        form.locator("input[name=value]").fill("12")
        form.locator("input[name=value]").blur()
    elif kind == "date":
        form.locator("input[name=value]").fill("2026-01-15")
        form.locator("input[name=value]").blur()
    if kind != "document":
        expect(form.locator(".question-status")).to_contain_text("Saved.")


def test_micro_exporter_from_registration_to_submission(page, new_context, programmes, tmp_path):
    _need_clamd()
    problems = watch_for_page_errors(page)
    owner = factories.UserFactory()
    _sign_in(page, owner)

    # Register the business.
    page.goto("/businesses/register/")
    page.fill("input[name=legal_name]", "Kahawa Ndogo Exporters")
    page.fill("input[name=identifier]", "KE-P0999111")
    page.fill("input[name=country]", "KE")
    page.locator("input[name=roles][value=exporter]").check()
    page.fill("input[name=employees]", "4")
    page.locator("form:has(input[name=legal_name]) button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Kahawa Ndogo Exporters")

    # Start the entry-tier self-assessment.
    entry = page.locator("select[name=level] option", has_text="AEO Entry").first.get_attribute(
        "value"
    )
    page.locator("select[name=level]").select_option(entry)
    page.locator("form:has(select[name=level]) button[type=submit]").click()
    assessment = SelfAssessment.objects.get()
    assert assessment.size_class == "micro"
    headings = selectors.questionnaire(assessment)
    partly_question = None
    for part in headings:
        page.goto(f"/self-assessment/{assessment.pk}/part/{part.number}/")
        for block in part.requirements:
            for question, _answer_row in block.questions:
                if question["answer"] == "document":
                    pdf = tmp_path / "document.pdf"
                    pdf.write_bytes(PDF_BYTES)
                    attach = page.locator(f"form.attach-form:has(input[value='{question['id']}'])")
                    attach.locator("input[type=file]").set_input_files(str(pdf))
                    attach.locator("button[type=submit]").click()
                    expect(page.locator(".messages")).to_contain_text("is attached")
                elif question["answer"] == "yes_no_partly" and partly_question is None:
                    partly_question = question
                    form = page.locator(f"#q-{question['id'].rsplit(':', 1)[-1]}")
                    form.locator("textarea[name=explanation]").fill(
                        "Our seal log starts next month."
                    )
                    _answer(page, question, value_for_yes="partly")
                else:
                    _answer(page, question)
    assert EvidenceFile.objects.filter(status="clean").count() == 2

    # The gap report shows the one gap; make it an action, close it, readiness rises.
    page.goto(f"/self-assessment/{assessment.pk}/gaps/")
    expect(page.locator("ol.gaps li")).to_have_count(1)
    page.locator("form[action$='/action-plan/'] button").click()
    page.fill("input[name=note]", "Seal log started")
    page.locator("form:has(input[name=note]) button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Marked done")
    page.goto(f"/self-assessment/{assessment.pk}/gaps/")
    expect(page.locator(".empty")).to_contain_text("No gap")

    # Submit with the declaration.
    page.goto(f"/applications/submit/{assessment.pk}/")
    page.locator("input[name=declaration]").check()
    page.locator("form:has(input[name=declaration]) button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Your application")
    expect(page.locator(".timeline")).to_contain_text("Application submitted")
    application = Application.objects.get()
    assert not problems, problems

    # Another trader is refused every page and file of it.
    stranger = factories.make_member(factories.OperatorFactory(), "owner")
    other = new_context().new_page()
    _sign_in(other, stranger)
    evidence = EvidenceFile.objects.filter(status="clean").first()
    paths = [
        f"/businesses/{assessment.operator_id}/",
        f"/businesses/{assessment.operator_id}/profile/",
        f"/self-assessment/{assessment.pk}/",
        f"/self-assessment/{assessment.pk}/part/1/",
        f"/self-assessment/{assessment.pk}/gaps/",
        f"/self-assessment/{assessment.pk}/gaps.pdf",
        f"/self-assessment/{assessment.pk}/gaps.xlsx",
        f"/self-assessment/{assessment.pk}/actions/",
        f"/applications/submit/{assessment.pk}/",
        f"/applications/{application.pk}/",
        f"/evidence/{assessment.operator_id}/upload/",
        f"/evidence/files/{evidence.pk}/download/",
    ]
    for path in paths:
        response = other.request.get(path)
        assert response.status == 404, f"{path} answered {response.status} to another trader"
