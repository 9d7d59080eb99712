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

from openaeo.cases import documents, policy, selectors, visits, workflow
from openaeo.cases.correspondence import can_correspond
from openaeo.cases.models import ValidationVisit
from openaeo.cases.views import applicant, case_page, visit_panel
from openaeo.cases.visit_forms import (
    CorrectiveAcceptForm,
    CorrectiveDoneForm,
    VisitCompleteForm,
    VisitItemForm,
    VisitPlanForm,
)
from openaeo.common.forms import apply_service_errors


def _anchor(application, fragment: str):
    return redirect(reverse("cases:case", args=[application.pk]) + f"#{fragment}")


def _again(request, application, key: str, form):
    """The case page again, with the form that failed and its errors (400)."""
    application.refresh_from_db()
    context = case_page.case_page_context(request, application, **{key: form})
    context["failed_action"] = form[1].prefix if key == visit_panel.ITEM else key
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
    form = VisitPlanForm(request.POST, prefix=visit_panel.PLAN, application=application)

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
        visit_panel.PLAN,
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
    form = VisitItemForm(request.POST, request.FILES, prefix=visit_panel.item_prefix(item))

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
        visit_panel.ITEM,
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
    form = VisitCompleteForm(request.POST, prefix=visit_panel.COMPLETE)

    def do(data):
        visits.visit_complete(
            actor=request.user, visit=visit, seen_version=data["version"], summary=data["summary"]
        )

    return _run(
        request,
        application,
        visit_panel.COMPLETE,
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
    visit = selectors.visit_report_for(request.user, application_id, visit_id)
    response = HttpResponse(documents.visit_report_pdf(visit), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="visit-report-{visit.application.reference}-{visit.pk}.pdf"'
    )
    return response


@require_POST
def corrective_done(request, application_id: int, action_id: int):
    """The business reports a corrective action done, with a note and an optional file."""
    application = selectors.application_visible_to(request.user, application_id)
    action = get_object_or_404(application.corrective_actions, pk=action_id)
    if not can_correspond(request.user, application.operator):
        raise Http404
    form = CorrectiveDoneForm(request.POST, request.FILES, prefix=visit_panel.action_prefix(action))
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
    return applicant.status_page_again(request, application, corrective_failed=(action.pk, form))
