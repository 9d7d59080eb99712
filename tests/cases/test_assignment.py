"""A supervisor assigns cases in bulk: all of them or none, each change an audit event."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from openaeo.accounts.models import Office
from openaeo.accounts.roles import StaffRole
from openaeo.accounts.services import staff_role_grant
from openaeo.cases.models import Application
from openaeo.cases.workflow import case_assign
from openaeo.common.models import AuditEvent
from openaeo.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


def assignees(*cases) -> list:
    return [Application.objects.get(pk=case.pk).assignee_id for case in cases]


def assign_events() -> int:
    return AuditEvent.objects.filter(action="case.assign").count()


@pytest.fixture
def two_office_supervisor(people):
    """A supervisor of both PORT and AIR."""
    supervisor = factories.make_staff(StaffRole.SUPERVISOR, office=Office.objects.get(code="PORT"))
    staff_role_grant(
        actor=None, user=supervisor, office=Office.objects.get(code="AIR"), role="supervisor"
    )
    return supervisor


# -- the service ----------------------------------------------------------------------------


def test_a_supervisor_assigns_cases_of_their_office(people, make_case):
    supervisor, validator = people["supervisor"], people["validator"]
    first, second = make_case(), make_case()
    assert case_assign(actor=supervisor, applications=[first, second], assignee=validator) == 2
    assert assignees(first, second) == [validator.pk, validator.pk]
    events = AuditEvent.objects.filter(action="case.assign").order_by("sequence")
    assert [event.object_id for event in events] == [str(first.pk), str(second.pk)]
    assert events[0].after == {"assignee": validator.email, "was": None}
    assert events[0].actor == supervisor
    notice = Notification.objects.get(recipient=validator)
    assert notice.url == reverse("cases:queue") + "?assignee=me"
    assert first.reference in notice.params["references"]


def test_assigning_again_to_the_same_person_changes_nothing(people, make_case):
    case = make_case(assignee=people["validator"])
    assert (
        case_assign(actor=people["supervisor"], applications=[case], assignee=people["validator"])
        == 0
    )
    assert assign_events() == 0


def test_a_supervisor_takes_cases_back(people, make_case):
    case = make_case(assignee=people["validator"])
    assert case_assign(actor=people["supervisor"], applications=[case], assignee=None) == 1
    assert assignees(case) == [None]
    event = AuditEvent.objects.get(action="case.assign")
    assert event.after == {"assignee": None, "was": people["validator"].email}


def test_a_supervisor_of_another_office_is_refused(people, make_case):
    air_supervisor = factories.make_staff(
        StaffRole.SUPERVISOR, office=Office.objects.get(code="AIR")
    )
    case = make_case("PORT")
    with pytest.raises(PermissionDenied):
        case_assign(actor=air_supervisor, applications=[case], assignee=people["validator"])
    assert assignees(case) == [None] and assign_events() == 0


@pytest.mark.parametrize("role", ["validator", "programme_manager", "auditor"])
def test_people_who_are_not_supervisors_are_refused(role, people, make_case):
    case = make_case("PORT")
    with pytest.raises(PermissionDenied):
        case_assign(actor=people[role], applications=[case], assignee=people["validator"])
    assert assignees(case) == [None] and assign_events() == 0


def test_an_assignee_of_another_office_is_refused(people, make_case):
    case = make_case("PORT")
    with pytest.raises(ValidationError, match="does not work on cases of this office"):
        case_assign(
            actor=people["supervisor"], applications=[case], assignee=people["validator_elsewhere"]
        )
    assert assignees(case) == [None]


@pytest.mark.parametrize("role", ["relationship_manager", "auditor"])
def test_only_validators_and_supervisors_can_be_given_cases(role, people, make_case):
    case = make_case("PORT")
    with pytest.raises(ValidationError):
        case_assign(actor=people["supervisor"], applications=[case], assignee=people[role])
    assert assignees(case) == [None]


def test_an_inactive_person_cannot_be_given_cases(people, make_case):
    validator = people["validator"]
    validator.is_active = False
    validator.save(update_fields=["is_active"])
    case = make_case("PORT")
    with pytest.raises(ValidationError):
        case_assign(actor=people["supervisor"], applications=[case], assignee=validator)


def test_nothing_is_half_assigned(people, make_case, two_office_supervisor):
    """One case the assignee may not take: none of the cases is assigned."""
    port_case, air_case, port_later = make_case("PORT"), make_case("AIR"), make_case("PORT")
    with pytest.raises(ValidationError):
        case_assign(
            actor=two_office_supervisor,
            applications=[port_case, air_case, port_later],
            assignee=people["validator"],  # works in PORT only
        )
    assert assignees(port_case, air_case, port_later) == [None, None, None]
    assert assign_events() == 0 and not Notification.objects.exists()


def test_a_case_that_no_longer_exists_stops_the_whole_assignment(people, make_case):
    kept, gone = make_case(), make_case()
    Application.objects.filter(pk=gone.pk).delete()
    with pytest.raises(ValidationError, match="no longer exists"):
        case_assign(actor=people["supervisor"], applications=[kept, gone], assignee=None)
    assert assignees(kept) == [None]
