"""The officer's case page and the actions taken from it (plain forms, no script needed)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openaeo.cases import (
    correspondence,
    decisions,
    forms,
    hooks,
    policy,
    selectors,
    timeline,
    workflow,
)
from openaeo.cases.models import UNDER_REVIEW, CaseStatus
from openaeo.cases.selectors import clock_context, names_of
from openaeo.cases.views import visit_panel
from openaeo.common.forms import apply_service_errors


def case_page_context(request, application, **bound_forms) -> dict:
    revisions = list(
        application.revisions.select_related("submitted_by", "assessment").order_by("-number")
    )
    chosen = revisions[0] if revisions else None
    wanted = request.GET.get("revision", "")
    if wanted.isdigit():
        chosen = next((r for r in revisions if r.number == int(wanted)), chosen)
    previous = next((r for r in revisions if chosen and r.number == chosen.number - 1), None)
    version = {"version": application.version}
    can_work = policy.can_work_on(request.user, application)
    can_decide = policy.can_decide(request.user, application)
    events = selectors.timeline(application)
    status = application.status
    context = {
        "application": application,
        "tier": application.programme.tier(application.tier_code) or {},
        "revisions": revisions,
        "revision": chosen,
        "previous_revision": previous,
        "headings": selectors.pinned_answers(chosen, previous) if chosen else [],
        "snapshot": chosen.snapshot if chosen else {},
        "threads": selectors.threads_of(application),
        "attachments": selectors.attachments_by_message(application),
        "notes": application.notes.select_related("author") if can_work else [],
        "records": application.operator.compliance_records.select_related("recorded_by"),
        "compliance_panels": [
            panel
            for panel in hooks.compliance_panel.call(request, application)
            if panel is not None
        ],
        "recommendation": application.recommendations.filter(round=application.round)
        .select_related("recommended_by")
        .first(),
        "decisions": application.decisions.select_related("decided_by"),
        "appeal": application.appeals.filter(outcome="pending").first(),
        "events": [(event, timeline.label(event.action)) for event in events],
        **clock_context(application),
        **names_of(application),
        "can_work": can_work,
        "under_review": status in UNDER_REVIEW,
        "can_decide": can_decide,
        "four_eyes_problem": decisions.four_eyes_problem(request.user, application)
        if can_decide and status == CaseStatus.RECOMMENDED
        else None,
        "forms": {
            key: bound_forms.get(key) or _form_for(key, application, initial=version)
            for key in FORM_KEYS
        },
    }
    context.update(visit_panel.panel_context(request, application, bound_forms))
    return context


FORM_CLASSES = {
    "accept": forms.VersionedForm,
    "return": forms.ReturnIncompleteForm,
    "risk": forms.RiskReviewForm,
    "extend": forms.ExtendForm,
    "ask": forms.AskForm,
    "note": forms.NoteForm,
    "record": forms.ComplianceRecordForm,
    "recommend": forms.OutcomeForm,
    "decide": forms.OutcomeForm,
    "send_back": forms.SendBackForm,
    "appeal_decide": forms.AppealDecisionForm,
}
FORM_KEYS = tuple(FORM_CLASSES)


def _form_for(key, application, data=None, files=None, initial=None):
    """Each form has its own prefix, so that field ids stay unique on the one case page."""
    form_class = FORM_CLASSES[key]
    kwargs = {"prefix": key}
    if form_class is forms.OutcomeForm:
        kwargs["programme"] = application.programme
        kwargs["application"] = application
        if data is None and key == "decide":
            initial = {**(initial or {}), "tier_code": application.tier_code}
    if data is not None:
        return form_class(data, files, **kwargs)
    return form_class(initial=initial, **kwargs)


def case(request, application_id: int):
    application = selectors.case_for_staff(request.user, application_id)
    return render(request, "cases/case.html", case_page_context(request, application))


# Each action: the form that reads it, who may take it (checked again by the service),
# and what it does with the cleaned data.
def _accept(request, application, data):
    workflow.case_accept(actor=request.user, application=application, seen_version=data["version"])
    return _("The application is accepted. The decision clock runs.")


def _return(request, application, data, form):
    workflow.case_return_incomplete(
        actor=request.user,
        application=application,
        seen_version=data["version"],
        missing_items=form.items(),
        message=data["message"],
    )
    return _("The application is returned to the applicant with the list of missing items.")


def _risk(request, application, data):
    workflow.case_finish_risk_review(
        actor=request.user,
        application=application,
        seen_version=data["version"],
        summary=data["summary"],
    )
    return _("Risk and compliance review recorded. The desk review starts.")


def _extend(request, application, data):
    workflow.case_extend(
        actor=request.user,
        application=application,
        seen_version=data["version"],
        days=data["days"],
        reason=data["reason"],
    )
    return _("The decision deadline is extended.")


def _ask(request, application, data):
    correspondence.case_ask(
        actor=request.user,
        application=application,
        seen_version=data["version"],
        subject=data["subject"],
        body=data["body"],
        reply_due=data["reply_due"],
        files=request.FILES.getlist("files"),
    )
    return _("The request is sent to the applicant.")


def _note(request, application, data):
    correspondence.case_note_add(actor=request.user, application=application, body=data["body"])
    return _("Note added.")


def _record(request, application, data):
    correspondence.compliance_record_add(actor=request.user, application=application, **data)
    return _("Compliance record added.")


def _outcome_kwargs(data) -> dict:
    """The recommendation and the decision take the same fields (OutcomeForm)."""
    fields = ("outcome", "reasons", "tier_code", "conditions", "reapply_from", "remedy_by")
    return {"seen_version": data["version"], **{name: data.get(name) for name in fields}}


def _recommend(request, application, data):
    decisions.case_recommend(actor=request.user, application=application, **_outcome_kwargs(data))
    return _("Your recommendation is sent to the supervisors.")


def _decide(request, application, data):
    decisions.case_decide(actor=request.user, application=application, **_outcome_kwargs(data))
    return _("The decision is taken and the applicant is told.")


def _send_back(request, application, data):
    decisions.case_send_back(
        actor=request.user,
        application=application,
        seen_version=data["version"],
        reason=data["reason"],
    )
    return _("The case is sent back to the validator.")


def _appeal_decide(request, application, data):
    decisions.appeal_decide(
        actor=request.user,
        application=application,
        seen_version=data["version"],
        allowed=data["allowed"],
        reasons=data["reasons"],
    )
    return _("The appeal is decided and the applicant is told.")


ACTIONS = {
    # slug in the URL: (form key, handler, whether the handler needs the form itself)
    "accept": ("accept", _accept, False),
    "return": ("return", _return, True),
    "risk-review": ("risk", _risk, False),
    "extend": ("extend", _extend, False),
    "ask": ("ask", _ask, False),
    "note": ("note", _note, False),
    "compliance-record": ("record", _record, False),
    "recommend": ("recommend", _recommend, False),
    "decide": ("decide", _decide, False),
    "send-back": ("send_back", _send_back, False),
    "appeal-decide": ("appeal_decide", _appeal_decide, False),
}


@require_POST
def act(request, application_id: int, action: str):
    application = selectors.case_for_staff(request.user, application_id)
    if action not in ACTIONS:
        raise Http404
    key, handler, wants_form = ACTIONS[action]
    form = _form_for(key, application, data=request.POST, files=request.FILES)
    if form.is_valid():
        try:
            if wants_form:
                done = handler(request, application, form.cleaned_data, form)
            else:
                done = handler(request, application, form.cleaned_data)
        except PermissionDenied:
            raise
        except workflow.CaseChanged as error:
            messages.error(request, " ".join(error.messages))
            return redirect("cases:case", application_id=application.pk)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("cases:case", application_id=application.pk)
    application.refresh_from_db()
    context = case_page_context(request, application, **{key: form})
    context["failed_action"] = key
    return render(request, "cases/case.html", context, status=400)


@require_POST
def follow_up(request, application_id: int, request_id: int):
    """An officer writes again in a thread."""
    application = selectors.case_for_staff(request.user, application_id)
    thread = get_object_or_404(application.information_requests, pk=request_id)
    form = forms.MessageForm(request.POST)
    if form.is_valid():
        try:
            correspondence.case_follow_up(
                actor=request.user,
                request=thread,
                body=form.cleaned_data["body"],
                files=request.FILES.getlist("files"),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Message sent."))
    else:
        messages.error(request, _("Write the message before sending it."))
    return redirect(reverse("cases:case", args=[application.pk]) + f"#thread-{thread.pk}")
