"""Answering the self-assessment in a real browser: saved on change by htmx, kept on reload."""

import pytest
from playwright.sync_api import expect

from openaeo.accounts.roles import OperatorRole
from openaeo.assessments import selectors, services
from openaeo.assessments.models import Answer
from tests import factories
from tests.scenarios.browser import watch_for_page_errors

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    expect(page.locator("form[action='/accounts/logout/']")).to_be_visible()


def test_answers_save_as_they_are_given_and_survive_a_reload(page, programmes):
    business = factories.OperatorFactory(roles=["exporter"], employees=5)
    owner = factories.make_member(business, OperatorRole.OWNER)
    assessment = services.assessment_start(
        actor=owner, operator=business, programme=programmes["safe-reference"], tier_code="entry"
    )
    first = next(q for _h, _r, q in selectors.asked(assessment) if q["answer"] == "yes_no_partly")
    form_id = "q-" + first["id"].rsplit(":", 1)[-1]
    problems = watch_for_page_errors(page)

    _sign_in(page, owner)
    page.goto(f"/self-assessment/{assessment.pk}/part/1/")
    expect(page.locator("#progress")).to_contain_text("Part 1 of")
    form = page.locator(f"#{form_id}")
    # "Partly" without an explanation: htmx sends it on change and the reason comes back in place.
    form.locator("input[name=value][value=partly]").check()
    expect(page.locator(f"#{form_id} .question-status")).to_contain_text("Please explain")
    page.locator(f"#{form_id} textarea[name=explanation]").fill("We keep a log since May.")
    page.locator(f"#{form_id} textarea[name=explanation]").blur()
    expect(page.locator(f"#{form_id} .question-status")).to_contain_text("Saved.")
    assert Answer.objects.get(question_id=first["id"]).explanation == "We keep a log since May."

    page.reload()
    expect(page.locator(f"#{form_id} input[name=value][value=partly]")).to_be_checked()
    expect(page.locator(f"#{form_id} textarea[name=explanation]")).to_have_value(
        "We keep a log since May."
    )
    assert not problems, problems


def test_the_questionnaire_works_without_javascript(new_context, programmes):
    business = factories.OperatorFactory(roles=["exporter"], employees=5)
    owner = factories.make_member(business, OperatorRole.OWNER)
    assessment = services.assessment_start(
        actor=owner, operator=business, programme=programmes["safe-reference"], tier_code="entry"
    )
    first = next(q for _h, _r, q in selectors.asked(assessment) if q["answer"] == "yes_no_partly")
    form_id = "q-" + first["id"].rsplit(":", 1)[-1]
    page = new_context(java_script_enabled=False).new_page()
    _sign_in(page, owner)
    page.goto(f"/self-assessment/{assessment.pk}/part/1/")
    page.locator(f"#{form_id} input[name=value][value=yes]").check()
    page.locator(f"#{form_id} button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Saved.")
    assert Answer.objects.get(question_id=first["id"]).value == "yes"
