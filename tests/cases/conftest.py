"""`make_case` for the case tests: many cases built directly (work queue, assignment).

The case built through the services, its business and officers are in tests.scenarios.cases.
"""

import datetime as dt
import itertools

import pytest

from openaeo.accounts.models import Office
from openaeo.cases.models import Application, CaseStatus
from openaeo.common import clock
from tests import factories

_submitted = itertools.count(1)


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
