"""Submitting the application, and following it afterwards."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openaeo.assessments import selectors as assessment_selectors
from openaeo.cases import (
    correspondence,
    decisions,
    documents,
    forms,
    selectors,
    services,
    timeline,
    workflow,
)
from openaeo.cases import policy as case_policy
from openaeo.cases.models import APPEALABLE, BEFORE_DECISION, Application, CaseStatus
from openaeo.cases.selectors import clock_context, names_of
from openaeo.cases.views import visit_panel
from openaeo.common import clock
from openaeo.common.forms import apply_service_errors
from openaeo.operators import msme
from openaeo.operators import policy as operator_policy


def submit(request, assessment_id: int):
    assessment = assessment_selectors.assessment_visible_to(request.user, assessment_id)
    if not operator_policy.can_submit(request.user, assessment.operator):
        raise Http404
    errors = []
    if request.method == "POST":
        try:
            revision = services.application_submit(
                actor=request.user,
                assessment=assessment,
                declaration_accepted=request.POST.get("declaration") == "yes",
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Your application is submitted. Customs has been told."))
            return redirect("cases:status", application_id=revision.application_id)
    readiness = assessment_selectors.readiness_of(assessment)
    return render(
        request,
        "cases/submit.html",
        {
            "assessment": assessment,
            "headings": assessment_selectors.questionnaire(assessment),
            "readiness": readiness,
            "percent": round(100 * readiness.score),
            "problems": services.submission_problems(assessment),
            # A link to the profile page, for those who may open it.
            "msme_proof_missing": msme.proof_missing_for(assessment)
            and operator_policy.can_prepare(request.user, assessment.operator),
            "errors": errors,
            "declaration": services.DECLARATION,
        },
        status=400 if errors else 200,
    )


def _status_context(request, application, **bound) -> dict:
    events = timeline.for_applicant(selectors.timeline(application))
    decision = application.decisions.select_related("decided_by").first()
    return {
        "application": application,
        "revisions": application.revisions.select_related("submitted_by").order_by("-number"),
        "events": [(event, timeline.label(event.action)) for event in events],
        **clock_context(application),
        **names_of(application),
        "tier": application.programme.tier(application.tier_code) or {},
        "threads": selectors.threads_of(application),
        "attachments": selectors.attachments_by_message(application),
        "decision": decision,
        "appeal": getattr(decision, "appeal", None) if decision else None,
        "visits": application.visits.filter(completed_at__isnull=False).order_by("-id"),
        "planned_visit": application.visits.filter(completed_at__isnull=True)
        .order_by("-id")
        .first()
        if application.status == CaseStatus.VALIDATION
        else None,
        "corrective_actions": visit_panel.corrective_rows(
            request, application, bound=bound.get("corrective_failed")
        ),
        "can_correspond": correspondence.can_correspond(request.user, application.operator),
        "can_submit": operator_policy.can_submit(request.user, application.operator),
        "can_withdraw": application.status in BEFORE_DECISION
        and application.kind != "reassessment"
        and operator_policy.can_submit(request.user, application.operator),
        "can_appeal": application.status == CaseStatus.DECIDED
        and decision is not None
        and decision.outcome in APPEALABLE
        and (application.appeal_due is None or clock.today() <= application.appeal_due)
        and operator_policy.can_submit(request.user, application.operator),
        "reply_form": bound.get("reply_form") or forms.MessageForm(),
        "withdraw_form": bound.get("withdraw_form") or forms.WithdrawForm(),
        "appeal_form": bound.get("appeal_form") or forms.AppealForm(),
        "failed_thread": bound.get("failed_thread"),
    }


def status(request, application_id: int):
    application = selectors.application_visible_to(request.user, application_id)
    return render(request, "cases/status.html", _status_context(request, application))


def status_page_again(request, application, **bound):
    return render(
        request, "cases/status.html", _status_context(request, application, **bound), status=400
    )


@require_POST
def reply(request, application_id: int, request_id: int):
    """The applicant answers Customs in a thread, with attachments."""
    application = selectors.application_visible_to(request.user, application_id)
    thread = get_object_or_404(application.information_requests, pk=request_id)
    if not correspondence.can_correspond(request.user, application.operator):
        raise Http404
    form = forms.MessageForm(request.POST)
    if form.is_valid():
        try:
            correspondence.case_reply(
                actor=request.user,
                request=thread,
                body=form.cleaned_data["body"],
                files=request.FILES.getlist("files"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your reply is sent to Customs."))
            return redirect("cases:status", application_id=application.pk)
    return status_page_again(request, application, reply_form=form, failed_thread=thread.pk)


@require_POST
def withdraw(request, application_id: int):
    application = selectors.application_visible_to(request.user, application_id)
    if not operator_policy.can_submit(request.user, application.operator):
        raise Http404
    form = forms.WithdrawForm(request.POST)
    if form.is_valid():
        try:
            workflow.case_withdraw(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your application is withdrawn."))
            return redirect("cases:status", application_id=application.pk)
    return status_page_again(request, application, withdraw_form=form)


@require_POST
def appeal(request, application_id: int):
    application = selectors.application_visible_to(request.user, application_id)
    if not operator_policy.can_submit(request.user, application.operator):
        raise Http404
    form = forms.AppealForm(request.POST)
    if form.is_valid():
        try:
            decisions.appeal_lodge(
                actor=request.user, application=application, grounds=form.cleaned_data["grounds"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your appeal is lodged. You will hear from us by e-mail."))
            return redirect("cases:status", application_id=application.pk)
    return status_page_again(request, application, appeal_form=form)


def decision_letter(request, application_id: int, decision_id: int):
    """The decision letter as a PDF, for the applicant and for the officers of the case."""
    application = (
        Application.objects.select_related("operator", "programme")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404
    allowed = (
        case_policy.can_see_case(request.user, application)
        if request.user.staff_roles
        else operator_policy.can_view_operator(request.user, application.operator)
    )
    if not allowed:
        raise Http404
    decision = get_object_or_404(application.decisions, pk=decision_id)
    response = HttpResponse(documents.decision_letter_pdf(decision), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="decision-{application.reference}-{decision.round}.pdf"'
    )
    return response
