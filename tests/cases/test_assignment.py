"""A supervisor assigns cases in bulk: all of them or none, each change an audit event."""

import pytest
from django.contrib.messages import get_messages
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

ASSIGN = reverse("cases:assign")


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


# -- the page -------------------------------------------------------------------------------


def post(client, cases, assignee, back="") -> tuple:
    response = client.post(
        ASSIGN,
        {"cases": [str(case.pk) for case in cases], "assignee": assignee, "back": back},
    )
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    return response, texts


def test_the_supervisor_assigns_from_the_queue_and_returns_to_it(people, make_case, client_for):
    first, second = make_case(), make_case()
    validator = people["validator"]
    response, texts = post(
        client_for(people["supervisor"]), [first, second], str(validator.pk), back="due=7&page=2"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:queue") + "?due=7&page=2"
    assert texts == [f"2 cases are now assigned to {validator}."]
    assert assignees(first, second) == [validator.pk, validator.pk]
    assert assign_events() == 2


def test_taking_cases_back_and_repeating_is_said_plainly(people, make_case, client_for):
    assigned, free = make_case(assignee=people["validator"]), make_case()
    _response, texts = post(client_for(people["supervisor"]), [assigned, free], "none")
    assert texts == ["1 case is no longer assigned to anyone. 1 ticked case was already so."]
    assert assignees(assigned, free) == [None, None]


def test_a_validator_cannot_assign(people, make_case, client_for):
    case = make_case()
    response, _texts = post(client_for(people["validator"]), [case], str(people["validator"].pk))
    assert response.status_code == 403
    assert assignees(case) == [None]


def test_another_offices_supervisor_is_refused_like_for_a_missing_case(
    people, make_case, client_for
):
    air_supervisor = factories.make_staff(
        StaffRole.SUPERVISOR, office=Office.objects.get(code="AIR")
    )
    air_validator = people["validator_elsewhere"]
    port_case = make_case("PORT")
    response, texts = post(client_for(air_supervisor), [port_case], str(air_validator.pk))
    missing = Application(pk=port_case.pk + 1000)
    _missing_response, missing_texts = post(
        client_for(air_supervisor), [missing], str(air_validator.pk)
    )
    assert response.status_code == 302 and texts == missing_texts
    assert "Nothing was assigned" in texts[0]
    assert assignees(port_case) == [None] and assign_events() == 0


def test_a_person_of_another_office_is_not_offered_and_is_refused(people, make_case, client_for):
    case = make_case("PORT")
    client = client_for(people["supervisor"])
    offered = client.get(reverse("cases:queue")).context["assign_form"].fields["assignee"].choices
    assert str(people["validator_elsewhere"].pk) not in dict(offered)
    _response, texts = post(client, [case], str(people["validator_elsewhere"].pk))
    assert texts == ["Choose a person from the list. Nothing was assigned."]
    assert assignees(case) == [None]


def test_a_mixed_choice_is_refused_whole_with_the_reason(
    people, make_case, client_for, two_office_supervisor
):
    port_case, air_case = make_case("PORT"), make_case("AIR")
    _response, texts = post(
        client_for(two_office_supervisor), [port_case, air_case], str(people["validator"].pk)
    )
    assert len(texts) == 1
    assert air_case.reference in texts[0] and texts[0].endswith("Nothing was assigned.")
    assert assignees(port_case, air_case) == [None, None]


def test_nothing_ticked(people, client_for):
    _response, texts = post(client_for(people["supervisor"]), [], str(people["validator"].pk))
    assert texts == ["Tick at least one case to assign. Nothing was assigned."]


def test_the_way_back_stays_on_the_queue(people, make_case, client_for):
    case = make_case()
    response, _texts = post(
        client_for(people["supervisor"]), [case], "none", back="//evil.example/x?y=1"
    )
    assert response["Location"].startswith(reverse("cases:queue") + "?")
