"""The officers' work queue: the open cases of their offices, most urgent first, and the
supervisor's bulk assignment from it. Plain GET and POST forms; no script needed."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from openaeo.cases import queue, workflow
from openaeo.cases.deadlines import days_left
from openaeo.cases.forms import SIZE_LABELS, AssignForm, QueueFilterForm
from openaeo.cases.models import Application, CaseStatus
from openaeo.cases.policy import SUPERVISORS
from openaeo.common import clock
from openaeo.common.pagination import paginate


@dataclass(frozen=True)
class QueueRow:
    case: Application
    days_left: int | None  # None when no clock runs or it is stopped
    tier_name: str
    size_name: str

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.overdue else 0


@dataclass(frozen=True)
class StateLink:
    state: str
    label: str
    count: int
    url: str
    current: bool


def work_queue(request):
    user = request.user
    scope = queue.scope_of(user)
    offices = list(queue.offices_in(scope))
    form = QueueFilterForm(
        request.GET or None,
        offices=offices,
        tiers=queue.tier_choices(),
        people=queue.case_workers(scope),
    )
    filters = form.filters()
    today = clock.today()
    page = paginate(request, queue.queue_cases(user, filters, scope=scope, today=today))
    tier_names = dict(form.fields["tier"].choices)
    rows = [
        QueueRow(
            case=case,
            days_left=days_left(case.due_on, today)
            if case.due_on and not case.clock_stopped_on
            else None,
            tier_name=tier_names.get(case.tier_code) or case.tier_code,
            size_name=SIZE_LABELS.get(case.size_class, case.size_class),
        )
        for case in page.object_list
    ]
    may_assign = SUPERVISORS.allows(user)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "state_links": _state_links(scope, filters),
        "office": next((o for o in offices if o.pk == filters.office_id), None),
        "several_offices": len(offices) > 1,
        "may_assign": may_assign,
        "assign_form": AssignForm(
            people=queue.case_workers(queue.assignment_scope(user)),
            initial={"back": request.GET.urlencode()},
        )
        if may_assign
        else None,
    }
    return render(request, "cases/queue.html", context)


def _state_links(scope, filters) -> list[StateLink]:
    """The number of cases at each step in the office scope, each a link to those cases."""
    counts = queue.state_counts(scope, filters.office_id)
    current = filters.states[0] if filters.states and len(filters.states) == 1 else None
    links = []
    for state, count in counts.items():
        query = QueryDict(mutable=True)
        if filters.office_id is not None:
            query["office"] = filters.office_id
        query["state"] = state
        links.append(
            StateLink(
                state=state,
                label=CaseStatus(state).label,
                count=count,
                url=f"{reverse('cases:queue')}?{query.urlencode()}",
                current=state == current,
            )
        )
    return links


def _back_to_queue(form) -> str:
    """The queue page the supervisor came from, with its filters (only its query string)."""
    back = form.data.get("back", "") if form.is_bound else ""
    query = QueryDict(back[:2000]).urlencode()
    return reverse("cases:queue") + (f"?{query}" if query else "")


@require_POST
def assign(request):
    """A supervisor gives the ticked cases to a colleague: all of them, or none."""
    user = request.user
    form = AssignForm(request.POST, people=queue.case_workers(queue.assignment_scope(user)))
    back = _back_to_queue(form)
    if not form.is_valid():
        problems = [error for errors in form.errors.values() for error in errors]
        messages.error(request, " ".join([*problems, _("Nothing was assigned.")]))
        return redirect(back)
    try:
        cases = queue.cases_to_assign(user, form.cleaned_data["cases"])
    except ValueError:
        messages.error(
            request,
            _(
                "Some of the ticked cases cannot be found or are not cases of an office you "
                "supervise. Nothing was assigned."
            ),
        )
        return redirect(back)
    assignee = form.chosen_person()
    try:
        changed = workflow.case_assign(actor=user, applications=cases, assignee=assignee)
    except ValidationError as error:
        messages.error(request, " ".join([*error.messages, _("Nothing was assigned.")]))
        return redirect(back)
    messages.success(request, _assigned_message(changed, len(cases), assignee))
    return redirect(back)


def _assigned_message(changed: int, chosen: int, assignee) -> str:
    if assignee is None:
        done = ngettext(
            "%(count)s case is no longer assigned to anyone.",
            "%(count)s cases are no longer assigned to anyone.",
            changed,
        ) % {"count": changed}
    else:
        done = ngettext(
            "%(count)s case is now assigned to %(person)s.",
            "%(count)s cases are now assigned to %(person)s.",
            changed,
        ) % {"count": changed, "person": assignee}
    unchanged = chosen - changed
    if unchanged:
        done += " " + ngettext(
            "%(count)s ticked case was already so.",
            "%(count)s ticked cases were already so.",
            unchanged,
        ) % {"count": unchanged}
    return done
