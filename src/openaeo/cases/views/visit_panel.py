"""The validation visit's panel on the officer's case page, and the corrective actions as
the case page and the applicant's status page show them."""

from openaeo.cases import policy, selectors, visits
from openaeo.cases.correspondence import can_correspond
from openaeo.cases.models import CaseStatus, CorrectiveAction, VisitItem
from openaeo.cases.visit_forms import (
    CorrectiveDoneForm,
    VisitCompleteForm,
    VisitItemForm,
    VisitPlanForm,
    plan_initial,
)

PLAN, COMPLETE, ITEM = "visit_plan", "visit_complete", "visit_item"


def item_prefix(item: VisitItem) -> str:
    return f"item-{item.pk}"


def action_prefix(action: CorrectiveAction) -> str:
    return f"action-{action.pk}"


# -- what the case page shows ----------------------------------------------------------------


def panel_context(request, application, bound: dict) -> dict:
    """The visit panel of the case page; `bound` holds a form that failed, to show again."""
    user = request.user
    visit = application.visits.order_by("-id").first()
    can_work = policy.can_work_on(user, application)
    team_member = visit is not None and visits.on_team(user, visit)
    recording = (
        team_member and visit.completed_at is None and application.status == CaseStatus.VALIDATION
    )
    failed_item = bound.get(ITEM)
    rows, checked = [], 0
    if visit is not None:
        photos = selectors.files_by_purpose(application, "visit-item:")
        for item in visit.items.select_related("checked_by"):
            checked += item.result != VisitItem.Result.PENDING
            form = None
            if recording:
                if failed_item and failed_item[0] == item.pk:
                    form = failed_item[1]
                else:
                    form = VisitItemForm(
                        prefix=item_prefix(item),
                        initial={
                            "result": ""
                            if item.result == VisitItem.Result.PENDING
                            else item.result,
                            "notes": item.notes,
                        },
                    )
            rows.append({"item": item, "form": form, "photos": photos.get(item.pk, [])})
    plannable = can_work and application.status in (CaseStatus.DESK_REVIEW, CaseStatus.VALIDATION)
    replanning = visit if visit is not None and visit.completed_at is None else None
    total = len(rows)
    return {
        "visit": visit,
        "visit_groups": selectors.checklist_groups(visit, rows) if visit is not None else [],
        "visit_team": list(visit.team.all()) if visit is not None else [],
        "visit_size_name": selectors.size_name(visit.size_class) if visit is not None else "",
        "visit_checked": checked,
        "visit_total": total,
        "visit_percent": round(100 * checked / total) if total else 0,
        "visit_recording": recording,
        "visit_team_member": team_member,
        "visit_can_plan": plannable,
        "visit_replanning": replanning,
        "visit_plan_form": bound.get(PLAN)
        or VisitPlanForm(
            prefix=PLAN,
            application=application,
            initial=plan_initial(application, replanning, user, application.version),
        ),
        "visit_complete_form": bound.get(COMPLETE)
        or VisitCompleteForm(prefix=COMPLETE, initial={"version": application.version}),
        "earlier_visits": list(application.visits.exclude(pk=visit.pk)) if visit else [],
        "corrective_actions": corrective_rows(request, application, staff_side=True),
        "can_accept_corrective": can_work,
    }


def corrective_rows(request, application, *, bound=None, staff_side=False) -> list[dict]:
    """Each corrective action with its requirement, files, and (for the business) the form
    to report it done. `bound` is (action id, form) of a report that failed."""
    files = selectors.files_by_purpose(application, "corrective-action:")
    can_report = (
        not staff_side
        and application.status != CaseStatus.WITHDRAWN
        and can_correspond(request.user, application.operator)
    )
    rows = []
    for action in application.corrective_actions.select_related("visit_item"):
        form = None
        if can_report and action.status != CorrectiveAction.Status.ACCEPTED:
            if bound and bound[0] == action.pk:
                form = bound[1]
            else:
                form = CorrectiveDoneForm(
                    prefix=action_prefix(action), initial={"note": action.operator_reply}
                )
        rows.append({"action": action, "files": files.get(action.pk, []), "form": form})
    return rows


# -- officer actions --------------------------------------------------------------------------
