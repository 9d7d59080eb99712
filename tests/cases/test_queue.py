"""The officers' work queue: office scoping, filters, order, counts, and a constant number
of queries however many cases there are."""

import re

import pytest
from django.urls import reverse

from openaeo.cases.models import CaseStatus
from tests import factories

pytestmark = pytest.mark.django_db

QUEUE = reverse("cases:queue")


def shown(client, **query) -> list[int]:
    """The ids of the cases the queue shows for these filters, in order."""
    response = client.get(QUEUE, query)
    assert response.status_code == 200
    return [row.case.pk for row in response.context["rows"]]


def test_a_validator_sees_the_open_cases_of_their_office_only(people, make_case, client_for):
    mine = make_case("PORT")
    make_case("AIR")
    make_case("PORT", status=CaseStatus.CLOSED, due_in=None)
    make_case("PORT", status=CaseStatus.INCOMPLETE, due_in=None)  # waiting for the applicant
    assert shown(client_for(people["validator"])) == [mine.pk]


@pytest.mark.parametrize("role", ["programme_manager", "auditor"])
def test_programme_managers_and_auditors_see_every_office(role, people, make_case, client_for):
    port, air = make_case("PORT", due_in=5), make_case("AIR", due_in=9)
    assert shown(client_for(people[role])) == [port.pk, air.pk]


def test_another_office_cannot_be_asked_for(people, make_case, client_for):
    from openaeo.accounts.models import Office

    mine = make_case("PORT")
    make_case("AIR")
    air = Office.objects.get(code="AIR")
    client = client_for(people["validator"])
    assert shown(client, office=air.pk) == [mine.pk]  # an office not offered is ignored


def test_default_order_is_msme_priority_then_deadline(people, make_case, client_for):
    late = make_case(due_in=40)
    soon = make_case(due_in=3)
    priority_late = make_case(due_in=60, priority=1)
    no_deadline = make_case(due_in=None)
    priority_soon = make_case(due_in=10, priority=1)
    assert shown(client_for(people["validator"])) == [
        priority_soon.pk,
        priority_late.pk,
        soon.pk,
        late.pk,
        no_deadline.pk,
    ]


def test_other_orders(people, make_case, client_for):
    old = make_case(submitted_days_ago=100, operator=factories.OperatorFactory(legal_name="Zeta"))
    new = make_case(submitted_days_ago=2, operator=factories.OperatorFactory(legal_name="Alpha"))
    client = client_for(people["validator"])
    assert shown(client, sort="submitted") == [old.pk, new.pk]
    assert shown(client, sort="business") == [new.pk, old.pk]


def test_filters(people, make_case, client_for):
    validator, supervisor = people["validator"], people["supervisor"]
    review = make_case(status=CaseStatus.DESK_REVIEW, due_in=3, assignee=validator)
    submitted = make_case(status=CaseStatus.SUBMITTED, due_in=25, tier_code="security")
    overdue = make_case(status=CaseStatus.VALIDATION, due_in=-2, size_class="micro")
    stopped = make_case(status=CaseStatus.RISK_REVIEW, due_in=-5, clock_stopped_days_ago=3)
    later = make_case(status=CaseStatus.RECOMMENDED, due_in=90, assignee=supervisor)
    closed = make_case(status=CaseStatus.CLOSED, due_in=None)
    client = client_for(validator)

    assert shown(client, state="submitted") == [submitted.pk]
    assert set(shown(client, state="all")) == {
        review.pk,
        submitted.pk,
        overdue.pk,
        stopped.pk,
        later.pk,
        closed.pk,
    }
    assert shown(client, tier="security") == [submitted.pk]
    assert shown(client, size="micro") == [overdue.pk]
    assert shown(client, due="overdue") == [overdue.pk]  # a stopped clock is not overdue
    assert shown(client, due="7") == [overdue.pk, review.pk]
    assert shown(client, due="30") == [overdue.pk, review.pk, submitted.pk]
    assert shown(client, due="stopped") == [stopped.pk]
    assert shown(client, assignee="me") == [review.pk]
    assert shown(client, assignee=str(supervisor.pk)) == [later.pk]
    assert set(shown(client, assignee="none")) == {submitted.pk, overdue.pk, stopped.pk}
    # Filters combine.
    assert shown(client, assignee="none", due="7") == [overdue.pk]
    # A value that makes no sense is ignored rather than refused.
    assert len(shown(client, state="nonsense", due="soon")) == 5


def test_text_search_finds_name_identifier_and_reference(people, make_case, client_for):
    acme = make_case(operator=factories.OperatorFactory(legal_name="Acme Freight", identifier="X1"))
    other = make_case(operator=factories.OperatorFactory(legal_name="Other", identifier="KE-77"))
    client = client_for(people["validator"])
    assert shown(client, q="acme") == [acme.pk]
    assert shown(client, q="ke-77") == [other.pk]
    assert shown(client, q=other.reference) == [other.pk]
    assert shown(client, q=other.reference.lower()) == [other.pk]
    assert shown(client, q=str(other.pk)) == [other.pk]  # the case number alone
    assert shown(client, q="nothing like it") == []


def test_rows_show_days_left_overdue_and_stopped_clocks(people, make_case, client_for):
    make_case(due_in=-3, operator=factories.OperatorFactory(legal_name="Late Ltd"))
    make_case(due_in=12, operator=factories.OperatorFactory(legal_name="Fine Ltd"))
    make_case(due_in=4, clock_stopped_days_ago=2, priority=1)
    response = client_for(people["validator"]).get(QUEUE)
    html = response.content.decode()
    assert '<span class="overdue">3 days overdue</span>' in html
    assert "12 days" in html
    assert "Clock stopped since" in html
    assert "<caption>3 cases match</caption>" in html
    assert '<th scope="col">Days left</th>' in html


def test_counts_per_step_link_to_those_cases(people, make_case, client_for):
    from openaeo.accounts.models import Office

    for _ in range(3):
        make_case(status=CaseStatus.DESK_REVIEW)
    make_case(status=CaseStatus.SUBMITTED)
    make_case(status=CaseStatus.INCOMPLETE, due_in=None)
    make_case(status=CaseStatus.CLOSED, due_in=None)
    make_case("AIR", status=CaseStatus.DESK_REVIEW)
    manager = client_for(people["programme_manager"])

    links = {link.state: link for link in manager.get(QUEUE).context["state_links"]}
    assert links["desk_review"].count == 4  # both offices
    assert CaseStatus.CLOSED not in links and CaseStatus.WITHDRAWN not in links

    port = Office.objects.get(code="PORT")
    response = manager.get(QUEUE, {"office": port.pk})
    links = {link.state: link for link in response.context["state_links"]}
    counts = {state: link.count for state, link in links.items() if link.count}
    assert counts == {"desk_review": 3, "submitted": 1, "incomplete": 1}
    assert len(shown(manager, **_query(links["incomplete"].url))) == 1
    assert f'href="{links["desk_review"].url.replace("&", "&amp;")}"' in response.content.decode()


def _query(url: str) -> dict:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(url).query))


def test_pages_keep_the_filters(people, make_case, client_for):
    for _ in range(30):
        make_case(size_class="micro")
    client = client_for(people["validator"])
    response = client.get(QUEUE, {"size": "micro"})
    assert len(response.context["rows"]) == 25
    assert "size=micro&amp;page=2" in response.content.decode()
    assert len(shown(client, size="micro", page="2")) == 5


def test_the_page_works_without_script_and_inline_code(people, make_case, client_for):
    make_case()
    html = client_for(people["supervisor"]).get(QUEUE).content.decode()
    assert '<form method="get" class="filters"' in html
    assert re.search(r'<form method="post" action="/applications/cases/assign/"', html)
    assert "<script>" not in html and " style=" not in html and " onclick" not in html


def test_only_supervisors_get_the_assignment_form(people, make_case, client_for):
    make_case()
    assert client_for(people["supervisor"]).get(QUEUE).context["may_assign"]
    response = client_for(people["validator"]).get(QUEUE)
    assert not response.context["may_assign"]
    assert 'name="cases"' not in response.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_cases(
    people, make_case, client_for, django_assert_max_num_queries
):
    client = client_for(people["supervisor"])
    make_case(assignee=people["validator"])
    with django_assert_max_num_queries(30) as few:
        client.get(QUEUE)
    for number in range(40):
        make_case(
            status=[CaseStatus.SUBMITTED, CaseStatus.DESK_REVIEW][number % 2],
            assignee=people["validator"] if number % 3 else None,
            priority=number % 2,
            clock_stopped_days_ago=1 if number % 5 == 0 else None,
            due_in=number - 10,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(QUEUE)
    assert len(response.context["rows"]) == 25
