"""Pages and actions of the validation visit and of corrective actions (plain forms, no script).

The visit panel sits on the officer's case page (templates/cases/_visits.html); the
corrective actions are shown there and on the applicant's status page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openaeo.cases import policy, selectors, visits, workflow
from openaeo.cases.models import CaseStatus, CorrectiveAction, ValidationVisit, VisitItem
from openaeo.cases.visit_forms import (
    CorrectiveAcceptForm,
    CorrectiveDoneForm,
    VisitCompleteForm,
    VisitItemForm,
    VisitPlanForm,
    plan_initial,
)
from openaeo.common.forms import apply_service_errors

PLAN, COMPLETE, ITEM = "visit_plan", "visit_complete", "visit_item"


def _item_prefix(item: VisitItem) -> str:
    return f"item-{item.pk}"


def _action_prefix(action: CorrectiveAction) -> str:
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
                        prefix=_item_prefix(item),
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
    from openaeo.cases.correspondence import can_correspond

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
                    prefix=_action_prefix(action), initial={"note": action.operator_reply}
                )
        rows.append({"action": action, "files": files.get(action.pk, []), "form": form})
    return rows


# -- officer actions --------------------------------------------------------------------------


def _anchor(application, fragment: str):
    return redirect(reverse("cases:case", args=[application.pk]) + f"#{fragment}")


def _again(request, application, key: str, form):
    """The case page again, with the form that failed and its errors (400)."""
    from openaeo.cases import case_views

    application.refresh_from_db()
    context = case_views._case_context(request, application, **{key: form})
    context["failed_action"] = form[1].prefix if key == ITEM else key
    return render(request, "cases/case.html", context, status=400)


def _run(request, application, key: str, form, do, done: str, *, fragment: str, bound=None):
    if form.is_valid():
        try:
            do(form.cleaned_data)
        except workflow.CaseChanged as error:
            messages.error(request, " ".join(error.messages))
            return _anchor(application, fragment)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return _anchor(application, fragment)
    return _again(request, application, key, bound if bound is not None else form)


@require_POST
def plan(request, application_id: int):
    application = selectors.case_for_staff(request.user, application_id)
    if not policy.can_work_on(request.user, application):
        raise PermissionDenied
    form = VisitPlanForm(request.POST, prefix=PLAN, application=application)

    def do(data):
        visits.visit_plan(
            actor=request.user,
            application=application,
            seen_version=data["version"],
            planned_on=data["planned_on"],
            site=data["site"],
            mode=data["mode"],
            team=list(data["team"]),
        )

    return _run(
        request,
        application,
        PLAN,
        form,
        do,
        _("The visit is planned and the business is told the date."),
        fragment="visit",
    )


def _visit_of(application, visit_id: int) -> ValidationVisit:
    return get_object_or_404(application.visits, pk=visit_id)


@require_POST
def item_record(request, application_id: int, visit_id: int, item_id: int):
    application = selectors.case_for_staff(request.user, application_id)
    visit = _visit_of(application, visit_id)
    item = get_object_or_404(visit.items, pk=item_id)
    if not (policy.can_work_on(request.user, application) and visits.on_team(request.user, visit)):
        raise PermissionDenied
    form = VisitItemForm(request.POST, request.FILES, prefix=_item_prefix(item))

    def do(data):
        visits.visit_item_record(
            actor=request.user,
            item=item,
            result=data["result"],
            notes=data["notes"],
            photos=data["photos"],
        )

    return _run(
        request,
        application,
        ITEM,
        form,
        do,
        _("Recorded: %(item)s.") % {"item": item.title},
        fragment=f"item-{item.pk}",
        bound=(item.pk, form),
    )


@require_POST
def complete(request, application_id: int, visit_id: int):
    application = selectors.case_for_staff(request.user, application_id)
    visit = _visit_of(application, visit_id)
    if not (policy.can_work_on(request.user, application) and visits.on_team(request.user, visit)):
        raise PermissionDenied
    form = VisitCompleteForm(request.POST, prefix=COMPLETE)

    def do(data):
        visits.visit_complete(
            actor=request.user, visit=visit, seen_version=data["version"], summary=data["summary"]
        )

    return _run(
        request,
        application,
        COMPLETE,
        form,
        do,
        _("The visit report is completed. The business is told what to put right, if anything."),
        fragment="visit",
    )


@require_POST
def corrective_accept(request, application_id: int, action_id: int):
    application = selectors.case_for_staff(request.user, application_id)
    action = get_object_or_404(application.corrective_actions, pk=action_id)
    form = CorrectiveAcceptForm(request.POST)
    if not form.is_valid():  # the form always carries the version the officer saw
        messages.error(request, _("Reload the case page and try again."))
        return _anchor(application, "corrective")
    seen_version = form.cleaned_data["version"]
    try:
        visits.corrective_action_accept(
            actor=request.user, action=action, seen_version=seen_version
        )
    except ValidationError as error:  # CaseChanged included
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The corrective action is accepted and closed."))
    return _anchor(application, "corrective")


# -- documents and the business's side ---------------------------------------------------------


def report(request, application_id: int, visit_id: int):
    """The visit report as a PDF: for the officers of the case (a draft until completed)
    and, once completed, for the business."""
    from openaeo.cases import documents

    visit = selectors.visit_report_for(request.user, application_id, visit_id)
    response = HttpResponse(documents.visit_report_pdf(visit), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="visit-report-{visit.application.reference}-{visit.pk}.pdf"'
    )
    return response


@require_POST
def corrective_done(request, application_id: int, action_id: int):
    """The business reports a corrective action done, with a note and an optional file."""
    from openaeo.cases import views
    from openaeo.cases.correspondence import can_correspond

    application = selectors.application_visible_to(request.user, application_id)
    action = get_object_or_404(application.corrective_actions, pk=action_id)
    if not can_correspond(request.user, application.operator):
        raise Http404
    form = CorrectiveDoneForm(request.POST, request.FILES, prefix=_action_prefix(action))
    if form.is_valid():
        try:
            visits.corrective_action_report_done(
                actor=request.user,
                action=action,
                note=form.cleaned_data["note"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. Customs is told and will check what you did."))
            return redirect(reverse("cases:status", args=[application.pk]) + "#corrective")
    return views._again(request, application, corrective_failed=(action.pk, form))
