"""A submitted case in the PORT office, and the officers who work on it."""

import pytest

from openaeo.accounts.roles import OperatorRole, StaffRole
from openaeo.assessments import selectors, services
from openaeo.cases import services as case_services
from tests import factories
from tests.assessments.test_gap_report import _answer_all
from tests.evidence.conftest import clamd_scanner, use_clamd  # noqa: F401 - shared fixtures


@pytest.fixture
def business(db):
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
