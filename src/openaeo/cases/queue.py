"""Selecting the cases of the work queue (selectors of the queue page and its benchmark).

The page asks for the person's office scope once (`scope_of`) and hands it to every
selector here, so that the number of queries stays the same whatever the filters.
A scope is a set of office ids, or None for every office.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from openaeo.accounts.models import Office
from openaeo.accounts.roles import StaffRole
from openaeo.cases import policy
from openaeo.cases.models import CUSTOMS_STATES, Application, CaseStatus

READ_ROLES = policy.READ_ROLES  # the roles that read cases: one list, in the policy
WORK_ROLES = (StaffRole.VALIDATOR, StaffRole.SUPERVISOR)
# The states counted on the page: every state but the two final ones, which grow
# forever (closed and withdrawn cases are most of the table and are not counted).
COUNTED_STATES = tuple(
    state for state in CaseStatus if state not in (CaseStatus.CLOSED, CaseStatus.WITHDRAWN)
)
# "Days left" filter values: overdue, due within 7 or 30 days (overdue included), or
# waiting for the applicant with the clock stopped.
DUE_OVERDUE, DUE_WEEK, DUE_MONTH, DUE_STOPPED = "overdue", "7", "30", "stopped"
ASSIGNEE_ME, ASSIGNEE_NONE = "me", "none"
SORT_DEADLINE, SORT_SUBMITTED, SORT_BUSINESS = "deadline", "submitted", "business"
SORTS = {
    # MSME priority first, then the nearest deadline (a case without one comes last).
    SORT_DEADLINE: (F("priority").desc(), F("due_on").asc(nulls_last=True), F("id").asc()),
    SORT_SUBMITTED: (F("submitted_at").asc(), F("id").asc()),
    SORT_BUSINESS: (F("operator__legal_name").asc(), F("id").asc()),
}
# A case reference as people quote it (AEO-2026-000123), or just its number.
REFERENCE = re.compile(r"^AEO-\d{4}-0*(\d{1,12})$", re.IGNORECASE)
NUMBER = re.compile(r"^0*(\d{1,12})$")


@dataclass(frozen=True)
class QueueFilter:
    """What the officer asked the queue for. The defaults are the page without a filter."""

    office_id: int | None = None
    states: tuple[str, ...] | None = tuple(CUSTOMS_STATES)  # None: every state
    tier_code: str = ""
    kind: str = ""  # "", or one of ApplicationKind
    size_class: str = ""
    due: str = ""
    assignee: str = ""  # "", "me", "none" or a person's id
    text: str = ""
    sort: str = SORT_DEADLINE


def scope_of(user) -> set[int] | None:
    """The offices whose cases `user` reads in the queue (None: every office)."""
    return policy.offices_of(user, READ_ROLES)


def _in_scope(cases: QuerySet, scope: set[int] | None, office_id: int | None) -> QuerySet:
    if office_id is not None:
        if scope is not None and office_id not in scope:
            return cases.none()
        return cases.filter(office_id=office_id)
    if scope is not None:
        return cases.filter(office_id__in=sorted(scope))
    return cases


def queue_cases(
    user, filters: QueueFilter, *, scope: set[int] | None, today: dt.date
) -> QuerySet[Application]:
    """The cases of the queue for these filters, in the order asked for."""
    cases = _in_scope(Application.objects.all(), scope, filters.office_id)
    if filters.states is not None:
        cases = cases.filter(status__in=list(filters.states))
    if filters.tier_code:
        cases = cases.filter(tier_code=filters.tier_code)
    if filters.size_class:
        cases = cases.filter(size_class=filters.size_class)
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    cases = _by_deadline(cases, filters.due, today)
    cases = _by_assignee(cases, filters.assignee, user)
    cases = _by_text(cases, filters.text)
    order = SORTS.get(filters.sort, SORTS[SORT_DEADLINE])
    return cases.select_related("operator", "office", "assignee").order_by(*order)


def _by_deadline(cases: QuerySet, due: str, today: dt.date) -> QuerySet:
    if due == DUE_STOPPED:
        return cases.filter(clock_stopped_on__isnull=False)
    # A stopped clock does not run out: such cases are neither overdue nor due soon.
    if due == DUE_OVERDUE:
        return cases.filter(clock_stopped_on__isnull=True, due_on__lt=today)
    if due in (DUE_WEEK, DUE_MONTH):
        limit = today + dt.timedelta(days=int(due))
        return cases.filter(clock_stopped_on__isnull=True, due_on__lte=limit)
    return cases


def _by_assignee(cases: QuerySet, assignee: str, user) -> QuerySet:
    if assignee == ASSIGNEE_ME:
        return cases.filter(assignee_id=user.pk)
    if assignee == ASSIGNEE_NONE:
        return cases.filter(assignee__isnull=True)
    if assignee.isdigit():
        return cases.filter(assignee_id=int(assignee))
    return cases


def _by_text(cases: QuerySet, text: str) -> QuerySet:
    """A case reference (AEO-2026-000123), else a business name or identifier (contains);
    a bare number is also tried as a case number."""
    text = text.strip()
    if not text:
        return cases
    if reference := REFERENCE.match(text):
        return cases.filter(pk=int(reference.group(1)))
    match = Q(operator__legal_name__icontains=text) | Q(operator__identifier__icontains=text)
    if number := NUMBER.match(text):
        match |= Q(pk=int(number.group(1)))
    return cases.filter(match)


def state_counts(scope: set[int] | None, office_id: int | None) -> dict[str, int]:
    """How many cases are at each step (final steps excluded), in the office scope.

    One GROUP BY over the (office, status) index: the closed cases, which are most of
    the table, are never read.
    """
    cases = _in_scope(Application.objects.all(), scope, office_id).filter(
        status__in=list(COUNTED_STATES)
    )
    counted = {
        row["status"]: row["number"]
        for row in cases.order_by().values("status").annotate(number=Count("id"))
    }
    return {state: counted.get(state, 0) for state in COUNTED_STATES}


def offices_in(scope: set[int] | None) -> QuerySet[Office]:
    offices = Office.objects.order_by("code")
    return offices if scope is None else offices.filter(pk__in=sorted(scope))


def case_workers(scope: set[int] | None) -> list:
    """The active validators and supervisors of these offices (or of every office).

    One assignment must hold the role, be active and be in scope (see workflow.office_people).
    """
    from openaeo.accounts.models import StaffAssignment

    works_here = StaffAssignment.objects.filter(
        user=OuterRef("pk"), active=True, role__in=list(WORK_ROLES)
    )
    if scope is not None:
        works_here = works_here.filter(Q(office_id__in=sorted(scope)) | Q(all_offices=True))
    people = get_user_model().objects.filter(Exists(works_here), is_active=True)
    return list(people.order_by("full_name", "email"))


def assignment_scope(user) -> set[int] | None:
    """The offices whose cases `user` may assign: where they are supervisor."""
    return policy.offices_of(user, (StaffRole.SUPERVISOR,))


def cases_to_assign(user, case_ids) -> list[Application]:
    """The chosen cases, if `user` may assign every one of them; else a ValueError.

    A case of another office is refused exactly like a case that does not exist.
    """
    wanted = {int(case_id) for case_id in case_ids}
    if not wanted:
        return []
    scope = assignment_scope(user)
    cases = list(_in_scope(Application.objects.filter(pk__in=sorted(wanted)), scope, None))
    if len(cases) != len(wanted):
        raise ValueError("not every chosen case can be assigned by this person")
    return cases


def tier_choices() -> list[tuple[str, str]]:
    """The levels of every programme, by code, named in the reader's language."""
    from openaeo.catalogue.models import Programme
    from openaeo.catalogue.templatetags.catalogue_text import pick

    choices = {}
    for tiers in Programme.objects.order_by("urn").values_list("config__tiers", flat=True):
        for tier in tiers or []:
            choices.setdefault(tier["code"], pick(tier.get("name")) or tier["code"])
    return sorted(choices.items(), key=lambda choice: choice[1])
