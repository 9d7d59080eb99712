"""The case scenario: a business with its owner and self-assessment, the PORT office with its
officers, a submitted case, and the steps that take a case on to a decision.

Built through the services, on the scenario day (`tests.scenarios.days`).
"""

import pytest

from openaeo.accounts.roles import OperatorRole, StaffRole
from openaeo.assessments import selectors, services
from openaeo.cases import correspondence, decisions, workflow
from openaeo.cases import services as case_services
from openaeo.cases.models import ValidationVisit
from openaeo.common import clock
from tests import factories

REFUSAL = (
    "The business has no written procedure for checking seals, and staff were not trained "
    "on it; this is required at the entry level."
)


@pytest.fixture
def business(db, scenario_day):
    return factories.OperatorFactory(roles=["exporter"], employees=5)


@pytest.fixture
def owner(business):
    return factories.make_member(business, OperatorRole.OWNER)


@pytest.fixture
def assessment(programmes, business, owner):
    return services.assessment_start(
        actor=owner, operator=business, programme=programmes["safe-reference"], tier_code="entry"
    )


def answer_all(assessment, owner, value="yes"):
    """Answer every question but the documents: `value` for yes/no/partly, the best choice,
    a passing number, a date."""
    for _h, _r, question in selectors.asked(assessment):
        kind = question["answer"]
        if kind == "yes_no_partly":
            raw, note = value, ("" if value == "yes" else "Not yet")
        elif kind == "choice":
            best = max(question["options"], key=lambda option: option.get("score", 0))
            raw, note = best["value"], ""
        elif kind == "number":
            raw, note = str(question.get("pass_at_least", question.get("minimum", 1))), ""
        elif kind == "date":
            raw, note = "2026-01-15", ""
        else:
            continue  # documents need the evidence store
        services.answer_save(
            actor=owner,
            assessment=assessment,
            question=question,
            value=raw,
            explanation=note,
            seen_version=0,
        )


def answer_documents(assessment, owner):
    """Mark every document question answered ("uploaded"), without the evidence store."""
    for _h, _r, question in selectors.asked(assessment):
        if question["answer"] == "document":
            services.answer_save(
                actor=owner,
                assessment=assessment,
                question=question,
                value="uploaded",
                explanation="",
                seen_version=0,
            )


def answer_again(assessment, owner, explanation, value="yes"):
    """Change the answer to the first yes/no/partly question (as when a case comes back)."""
    question = next(
        q for _h, _r, q in selectors.asked(assessment) if q["answer"] == "yes_no_partly"
    )
    current = assessment.answers.get(question_id=question["id"])
    return services.answer_save(
        actor=owner,
        assessment=assessment,
        question=question,
        value=value,
        explanation=explanation,
        seen_version=current.version,
    )


def answer_everything(assessment, owner):
    answer_all(assessment, owner)
    answer_documents(assessment, owner)


@pytest.fixture
def port(db):
    return factories.OfficeFactory(code="PORT")


@pytest.fixture
def staff(port):
    """Two validators and two supervisors of PORT, and a validator and a supervisor elsewhere."""
    elsewhere = factories.OfficeFactory(code="ZZZ")
    return {
        "validator": factories.make_staff(StaffRole.VALIDATOR, office=port),
        "validator2": factories.make_staff(StaffRole.VALIDATOR, office=port),
        "supervisor": factories.make_staff(StaffRole.SUPERVISOR, office=port),
        "supervisor2": factories.make_staff(StaffRole.SUPERVISOR, office=port),
        "validator_elsewhere": factories.make_staff(StaffRole.VALIDATOR, office=elsewhere),
        "supervisor_elsewhere": factories.make_staff(StaffRole.SUPERVISOR, office=elsewhere),
    }


@pytest.fixture
def case(assessment, owner, staff, port):
    """A freshly submitted application, routed to PORT (the first office in the country)."""
    answer_everything(assessment, owner)
    revision = case_services.application_submit(
        actor=owner, assessment=assessment, declaration_accepted=True
    )
    application = revision.application
    assert application.office == port
    return application


def accepted(case, staff):
    """The validator accepts `case` for review."""
    workflow.case_accept(actor=staff["validator"], application=case, seen_version=case.version)
    case.refresh_from_db()
    return case


def ask(case, validator, subject, body):
    """`validator` asks the applicant of `case` for information (the case's clock stops)."""
    return correspondence.case_ask(
        actor=validator, application=case, seen_version=case.version, subject=subject, body=body
    )


def to_risk_review_done(case, staff):
    """The validator accepts `case` and finishes its risk review; validation is next."""
    case = accepted(case, staff)
    workflow.case_finish_risk_review(
        actor=staff["validator"], application=case, seen_version=case.version, summary="Clean"
    )
    case.refresh_from_db()
    return case


def to_validation(case, staff, *, team=()):
    """Move a case to the validation step with a completed visit (the visit itself is tested
    in test_visits.py)."""
    case = to_risk_review_done(case, staff)
    case.start_validation()
    case.save()
    visit = ValidationVisit.objects.create(
        application=case,
        planned_on=clock.today(),
        site="Head office",
        mode="on_site",
        planned_by=staff["validator"],
        planned_at=clock.now(),
        size_class=case.size_class,
        completed_at=clock.now(),
    )
    visit.team.set([staff["validator"], *team])
    case.refresh_from_db()
    return case


def recommend(case, validator, outcome="granted", reasons="Fine", **extra):
    """`validator` recommends `outcome` for `case` as it stands (at the entry level unless
    told)."""
    extra.setdefault("tier_code", "entry")
    return decisions.case_recommend(
        actor=validator,
        application=case,
        seen_version=case.version,
        outcome=outcome,
        reasons=reasons,
        **extra,
    )


def recommended(case, staff, outcome="granted", **extra):
    case = to_validation(case, staff, team=extra.pop("team", ()))
    recommend(
        case,
        extra.pop("by", staff["validator"]),
        outcome,
        extra.pop("reasons", "All requirements are met for a micro exporter."),
        **extra,
    )
    case.refresh_from_db()
    return case


def decide(case, supervisor, outcome="granted", reasons="Fine.", **extra):
    """`supervisor` decides `case` as it stands; a grant is at the entry level."""
    if outcome == "granted":
        extra.setdefault("tier_code", "entry")
    return decisions.case_decide(
        actor=supervisor,
        application=case,
        seen_version=case.version,
        outcome=outcome,
        reasons=reasons,
        **extra,
    )
