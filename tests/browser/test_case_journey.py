"""A case from received application to decision, in a real browser, as officers and trader.

1. A validator accepts, asks for information (the clock stops), the trader replies (it
   restarts), the validator plans the visit, records the checklist with one finding and
   recommends; a supervisor grants; the trader sees the decision and opens its letter.
2. A supervisor refuses with reasons; the trader appeals; another supervisor decides it.
"""

import datetime as dt
import io
import time

import pytest
from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from openaeo.accounts.roles import OperatorRole, StaffRole
from openaeo.assessments import services as assessment_services
from openaeo.cases import decisions, workflow
from openaeo.cases import services as case_services
from openaeo.cases.models import Application, CaseStatus, Decision, ValidationVisit
from openaeo.common import clock
from tests import factories
from tests.scenarios.browser import watch_for_page_errors
from tests.scenarios.cases import answer_everything

pytestmark = pytest.mark.django_db(transaction=True)

REFUSAL = (
    "The business has no written procedure for checking container seals and its staff "
    "were not trained on one. The entry level requires both."
)


def _sign_in(page, user, *, staff=False):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    if staff:
        code = format_hotp_value(
            hotp_value(factories.TOTP_SECRET, int(time.time()) // app_settings.TOTP_PERIOD)
        )
        page.fill("input[name=code]", code)
        page.get_by_role("button", name="Sign in").click()
    expect(page.locator("form[action='/accounts/logout/']")).to_be_visible()


@pytest.fixture
def setting(programmes):
    """A micro exporter's submitted application at the seaport office, and its officers."""
    office = factories.OfficeFactory(code="PORT")
    office.receives_applications = True
    office.save()
    business = factories.OperatorFactory(
        roles=["exporter"], employees=6, legal_name="Kahawa Ndogo Exporters"
    )
    owner = factories.make_member(business, OperatorRole.OWNER)
    assessment = assessment_services.assessment_start(
        actor=owner, operator=business, programme=programmes["safe-reference"], tier_code="entry"
    )
    answer_everything(assessment, owner)
    revision = case_services.application_submit(
        actor=owner, assessment=assessment, declaration_accepted=True
    )
    return {
        "case": revision.application,
        "owner": owner,
        "validator": factories.make_staff(StaffRole.VALIDATOR, office=office),
        "supervisor": factories.make_staff(StaffRole.SUPERVISOR, office=office),
        "supervisor2": factories.make_staff(StaffRole.SUPERVISOR, office=office),
    }


def _flash(page, text):
    expect(page.locator(".messages")).to_contain_text(text)


def test_accept_ask_reply_visit_recommend_grant(setting, page, new_context):
    problems = watch_for_page_errors(page)
    case = setting["case"]
    _sign_in(page, setting["validator"], staff=True)

    # The work queue lists the case; the validator opens it and accepts it as complete.
    page.goto("/applications/cases/")
    page.get_by_role("link", name=case.reference).click()
    expect(page.locator("h1")).to_contain_text("Kahawa Ndogo Exporters")
    page.get_by_role("button", name="Accept as complete").click()
    _flash(page, "accepted")
    page.fill("#id_risk-summary", "No infringement in three years; payments on time.")
    page.get_by_role("button", name="Record and start the desk review").click()
    _flash(page, "desk review starts")

    # An information request stops the decision clock.
    page.locator("summary", has_text="Ask the applicant for information").click()
    page.fill("#id_ask-subject", "Seal log")
    page.fill("#id_ask-body", "Please send the seal log of the last three months.")
    page.get_by_role("button", name="Send the request").click()
    _flash(page, "request is sent")
    expect(page.locator(".case-facts")).to_contain_text("Clock stopped")
    case.refresh_from_db()
    assert case.clock_stopped_on is not None

    # The trader replies from the portal; the clock runs again.
    trader = new_context().new_page()
    trader_problems = watch_for_page_errors(trader)
    _sign_in(trader, setting["owner"])
    trader.goto(f"/applications/{case.pk}/")
    expect(trader.locator("#messages")).to_contain_text("Please send the seal log")
    trader.locator("#messages textarea[name=body]").fill("The seal log is kept at the gate.")
    trader.get_by_role("button", name="Send to Customs").click()
    _flash(trader, "sent to Customs")
    case.refresh_from_db()
    assert case.clock_stopped_on is None and case.status == CaseStatus.DESK_REVIEW

    # The validator plans the visit and works through the checklist, with one finding.
    page.reload()
    expect(page.locator(".case-facts")).not_to_contain_text("Clock stopped")
    expect(page.locator("#messages")).to_contain_text("The seal log is kept at the gate.")
    page.fill("#id_visit_plan-planned_on", (clock.today() + dt.timedelta(days=7)).isoformat())
    page.fill("#id_visit_plan-site", "Warehouse, Kilindini Road, Mombasa")
    page.locator(f"input[name='visit_plan-team'][value='{setting['validator'].pk}']").check()
    page.get_by_role("button", name="Plan the visit and tell the business").click()
    expect(page.locator("#visit-progress")).to_be_visible()
    visit = ValidationVisit.objects.get(application=case)
    items = list(visit.items.order_by("position"))
    assert items, "the checklist is empty"
    for number, item in enumerate(items):
        page.locator(f"#item-{item.pk} > summary").click()
        result = "minor" if number == 0 else "verified"
        page.locator(f"input[name='item-{item.pk}-result'][value='{result}']").check()
        if result == "minor":
            page.fill(f"#id_item-{item.pk}-notes", "The seal log misses two days in May.")
        page.locator(f"#item-{item.pk} button[type=submit]").click()
    expect(page.locator("#visit-progress")).to_contain_text(f"{len(items)} of {len(items)}")
    page.fill("#id_visit_complete-summary", "Small, tidy operation; one gap in the seal log.")
    page.get_by_role("button", name="Complete the report and tell the business").click()
    visit.refresh_from_db()
    assert visit.completed_at is not None
    assert case.corrective_actions.count() == 1

    # The validator recommends a grant.
    page.locator("input[name='recommend-outcome'][value='granted']").check()
    page.locator("#id_recommend-tier_code").select_option("entry")
    page.fill("#id_recommend-reasons", "Meets the entry level; the seal log gap is minor.")
    page.get_by_role("button", name="Send the recommendation").click()
    _flash(page, "recommendation is sent")

    # A supervisor decides.
    boss = new_context().new_page()
    _sign_in(boss, setting["supervisor"], staff=True)
    boss.goto(f"/applications/cases/{case.pk}/")
    boss.locator("input[name='decide-outcome'][value='granted']").check()
    boss.locator("#id_decide-tier_code").select_option("entry")
    boss.fill("#id_decide-reasons", "All entry-level requirements are met.")
    boss.get_by_role("button", name="Take the decision").click()
    _flash(boss, "decision is taken")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == "granted"
    assert Decision.objects.filter(application=case).count() == 1

    # The trader sees the decision and opens its letter.
    trader.goto(f"/applications/{case.pk}/")
    expect(trader.locator("#decision-heading")).to_be_visible()
    expect(trader.locator("main")).to_contain_text("Granted")
    expect(trader.locator("main")).to_contain_text("The seal log misses two days in May.")
    href = trader.get_by_role("link", name="Download the decision letter (PDF)").get_attribute(
        "href"
    )
    letter = trader.request.get(href)
    assert letter.status == 200 and letter.headers["content-type"] == "application/pdf"
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.body())).pages)
    assert case.reference in text and "All entry-level requirements are met." in text
    assert not problems and not trader_problems, problems + trader_problems


def _planned(setting):
    """Set up through the services: accepted, reviewed, a visit planned, a question asked."""
    case, validator = setting["case"], setting["validator"]
    workflow.case_accept(actor=validator, application=case, seen_version=case.version)
    case.refresh_from_db()
    workflow.case_finish_risk_review(
        actor=validator, application=case, seen_version=case.version, summary="Clean record"
    )
    case.refresh_from_db()
    from openaeo.cases import visits

    visits.visit_plan(
        actor=validator,
        application=case,
        seen_version=case.version,
        planned_on=clock.today() + dt.timedelta(days=1),
        site="Head office",
        mode="remote",
        team=[validator],
    )
    case.refresh_from_db()
    from openaeo.cases import correspondence

    correspondence.case_ask(
        actor=validator,
        application=case,
        seen_version=case.version,
        subject="Seal log",
        body="Please bring the seal log to the visit.",
    )
    return Application.objects.get(pk=case.pk)


def _recommended_refusal(setting, case=None):
    """Set up through the services: accepted, reviewed, visited, refusal recommended."""
    from openaeo.cases import correspondence, visits

    case, validator = case or _planned(setting), setting["validator"]
    correspondence.case_reply(
        actor=setting["owner"], request=case.information_requests.get(), body="We will."
    )
    case.refresh_from_db()
    visit = ValidationVisit.objects.get(application=case)
    for item in visit.items.all():
        visits.visit_item_record(
            actor=validator,
            item=item,
            result="major",
            notes="No written seal procedure.",
        )
    case.refresh_from_db()
    visits.visit_complete(
        actor=validator, visit=visit, seen_version=case.version, summary="Procedures missing."
    )
    case.refresh_from_db()
    decisions.case_recommend(
        actor=validator,
        application=case,
        seen_version=case.version,
        outcome="refused",
        reasons=REFUSAL,
    )
    return Application.objects.get(pk=case.pk)


def test_refusal_with_reasons_then_an_appeal(setting, page, new_context):
    case = _recommended_refusal(setting)
    problems = watch_for_page_errors(page)
    _sign_in(page, setting["supervisor"], staff=True)
    page.goto(f"/applications/cases/{case.pk}/")
    # A refusal with a one-word reason is refused, with the reason why.
    page.locator("input[name='decide-outcome'][value='refused']").check()
    page.fill("#id_decide-reasons", "Non-compliant.")
    page.get_by_role("button", name="Take the decision").click()
    expect(page.locator(".error-summary")).to_contain_text("plain words")
    page.locator("input[name='decide-outcome'][value='refused']").check()
    page.fill("#id_decide-reasons", REFUSAL)
    page.get_by_role("button", name="Take the decision").click()
    _flash(page, "decision is taken")

    trader = new_context().new_page()
    _sign_in(trader, setting["owner"])
    trader.goto(f"/applications/{case.pk}/")
    expect(trader.locator("main")).to_contain_text("written procedure for checking container")
    trader.locator("summary", has_text="Appeal this decision").click()
    trader.fill("#id_grounds", "We wrote the procedure and trained all six staff in May.")
    trader.get_by_role("button", name="Lodge the appeal").click()
    _flash(trader, "appeal is lodged")
    case.refresh_from_db()
    assert case.status == CaseStatus.APPEALED

    # The supervisor who refused may not decide the appeal; another one does.
    page.goto(f"/applications/cases/{case.pk}/")
    page.locator("input[name='appeal_decide-allowed'][value='no']").check()
    page.fill("#id_appeal_decide-reasons", "The procedure was written after the decision.")
    page.get_by_role("button", name="Decide the appeal").click()
    expect(page.locator(".error-summary")).to_contain_text("another supervisor")
    other = new_context().new_page()
    _sign_in(other, setting["supervisor2"], staff=True)
    other.goto(f"/applications/cases/{case.pk}/")
    other.locator("input[name='appeal_decide-allowed'][value='yes']").check()
    other.fill("#id_appeal_decide-reasons", "The new procedure answers the reason for refusal.")
    other.get_by_role("button", name="Decide the appeal").click()
    _flash(other, "appeal is decided")
    case.refresh_from_db()
    assert case.status == CaseStatus.DESK_REVIEW and case.round == 2
    trader.goto(f"/applications/{case.pk}/")
    expect(trader.locator("main")).to_contain_text("Allowed")
    assert not problems, problems


@pytest.mark.parametrize("language", ["en", "ar"])
def test_case_and_status_pages_have_no_serious_accessibility_problem(
    setting, new_context, language
):
    """axe-core on the busiest pages: the case page in validation (checklist, a thread,
    many forms), the supervisor's decision form, and the applicant's status page with a
    refusal, corrective actions and messages."""
    from tests.scenarios.browser import blocking_violations, describe

    def check(user, path, *, staff):
        page = new_context(bypass_csp=True).new_page()
        _sign_in(page, user, staff=staff)
        if language != "en":
            page.locator("#language-select").select_option(language)
            page.locator("form.language-form button[type=submit]").click()
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        blocking, url = blocking_violations(page)
        assert not blocking, f"{url}\n{describe(blocking)}"
        page.context.close()

    case = _planned(setting)
    check(setting["validator"], f"/applications/cases/{case.pk}/", staff=True)
    case = _recommended_refusal(setting, case)
    check(setting["supervisor"], f"/applications/cases/{case.pk}/", staff=True)
    decisions.case_decide(
        actor=setting["supervisor"],
        application=case,
        seen_version=case.version,
        outcome="refused",
        reasons=REFUSAL,
    )
    check(setting["owner"], f"/applications/{case.pk}/", staff=False)
