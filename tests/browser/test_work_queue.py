"""The work queue in a real browser, with the site's own policy: filtering and assigning work
with plain forms, and no serious accessibility problem (axe-core) in English or Arabic."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from openaeo.accounts.models import Office
from openaeo.cases.models import Application, CaseStatus
from openaeo.common import clock
from tests import factories
from tests.scenarios.browser import blocking_violations, describe, signed_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue_cases(people, programmes):
    office = Office.objects.get(code="PORT")
    today = clock.today()
    cases = []
    for number, (status, due_in, stopped) in enumerate(
        [
            (CaseStatus.SUBMITTED, 5, None),
            (CaseStatus.DESK_REVIEW, -2, None),
            (CaseStatus.VALIDATION, 30, today - dt.timedelta(days=3)),
        ]
    ):
        cases.append(
            Application.objects.create(
                operator=factories.OperatorFactory(legal_name=f"Queue business {number}"),
                programme=programmes["safe-reference"],
                tier_code="entry",
                status=status,
                office=office,
                size_class="small",
                msme=True,
                priority=1,
                submitted_at=clock.now(),
                completeness_due=today,
                due_on=today + dt.timedelta(days=due_in),
                clock_stopped_on=stopped,
            )
        )
    return cases


def test_a_supervisor_filters_and_assigns_without_script(
    new_context, live_server, people, queue_cases
):
    context = signed_in(new_context, live_server, people["supervisor"], java_script_enabled=False)
    page = context.new_page()
    page.goto(reverse("cases:queue"))
    expect(page.locator("table.queue tbody tr")).to_have_count(3)
    expect(page.locator(".overdue")).to_have_text("2 days overdue")

    page.get_by_label("Days left").select_option("overdue")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table.queue tbody tr")).to_have_count(1)

    page.get_by_label(f"Tick case {queue_cases[1].reference}").check()
    page.get_by_label("Give the ticked cases to").select_option(str(people["validator"].pk))
    page.get_by_role("button", name="Assign").click()
    expect(page.locator(".message-success")).to_contain_text("1 case is now assigned to")
    assert "due=overdue" in page.url  # back on the same filtered queue
    queue_cases[1].refresh_from_db()
    assert queue_cases[1].assignee == people["validator"]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_queue_has_no_serious_accessibility_problem(
    new_context, live_server, people, queue_cases, language
):
    context = signed_in(new_context, live_server, people["supervisor"], bypass_csp=True)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    response = page.goto(reverse("cases:queue"))
    assert response is not None and response.ok
    blocking, url = blocking_violations(page)
    assert not blocking, f"{url} ({language}):\n{describe(blocking)}"
