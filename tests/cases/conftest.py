"""Cases for the case tests: a submitted case in the PORT office with its officers (built
through the services), and `make_case` for building many cases directly (work queue,
assignment)."""

import datetime as dt
import itertools

import pytest

from openaeo.accounts.models import Office
from openaeo.accounts.roles import OperatorRole, StaffRole
from openaeo.assessments import selectors, services
from openaeo.cases import services as case_services
from openaeo.cases.models import Application, CaseStatus
from openaeo.common import clock
from tests import factories
from tests.assessments.test_gap_report import _answer_all
from tests.evidence.conftest import clamd_scanner, use_clamd  # noqa: F401 - shared fixtures

_submitted = itertools.count(1)


# The day a case's story starts. The case tests date later steps on fixed days (accepted on
# 2 March 2026, decided on 4 May 2026, deemed accepted by 31 December 2026, ...), so the
# business, its people and its case are made on a fixed day before all of them, and the test
# runs on that day unless it moves the clock itself. Dating them from the wall clock made the
# suite pass or fail by the day it ran.
SCENARIO_START = dt.datetime(2026, 2, 27, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def scenario_day():
    with clock.frozen_at(SCENARIO_START):
        yield SCENARIO_START


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


def answer_everything(assessment, owner):
    _answer_all(assessment, owner)
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


@pytest.fixture
def make_case(people, programmes):
    """`make_case(office="PORT", status=..., ...)`: one application, with its own business
    unless `operator` is given. Dates are relative to today."""
    programme = programmes["safe-reference"]
    today = clock.today()

    def make(
        office="PORT",
        *,
        status=CaseStatus.DESK_REVIEW,
        operator=None,
        due_in: int | None = 20,
        priority=0,
        tier_code="entry",
        size_class="small",
        assignee=None,
        clock_stopped_days_ago: int | None = None,
        submitted_days_ago: int | None = None,
    ) -> Application:
        days_ago = submitted_days_ago if submitted_days_ago is not None else next(_submitted)
        submitted_at = clock.now() - dt.timedelta(days=days_ago)
        return Application.objects.create(
            operator=operator or factories.OperatorFactory(),
            programme=programme,
            tier_code=tier_code,
            status=status,
            office=Office.objects.get(code=office) if isinstance(office, str) else office,
            assignee=assignee,
            size_class=size_class,
            msme=priority == 1,
            priority=priority,
            submitted_at=submitted_at,
            completeness_due=today + dt.timedelta(days=10),
            due_on=None if due_in is None else today + dt.timedelta(days=due_in),
            clock_stopped_on=None
            if clock_stopped_days_ago is None
            else today - dt.timedelta(days=clock_stopped_days_ago),
        )

    return make
