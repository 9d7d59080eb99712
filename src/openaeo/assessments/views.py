"""The self-assessment: one heading at a time, answers saved as they are given.

With JavaScript, each question's form is sent by htmx when it changes and the
answered question comes back in place; without it, each question has its own
Save button and the page reloads at that question. Both go through the same view.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openaeo.assessments import selectors, services
from openaeo.assessments.forms import StartForm
from openaeo.catalogue.models import Programme
from openaeo.operators import policy as operator_policy
from openaeo.operators import selectors as operator_selectors


@require_POST
def start(request, operator_id: int):
    operator = operator_selectors.operator_visible_to(request.user, operator_id)
    if not operator_policy.can_prepare(request.user, operator):
        raise Http404
    programmes = list(Programme.objects.select_related("catalogue_version"))
    form = StartForm(request.POST, programmes=programmes)
    if not form.is_valid():
        messages.error(request, _("Choose a level to check yourself against."))
        return redirect("operators:detail", operator_id=operator.pk)
    programme_id, tier_code = form.cleaned_data["level"].split(":", 1)
    programme = next(p for p in programmes if str(p.pk) == programme_id)
    try:
        assessment = services.assessment_start(
            actor=request.user, operator=operator, programme=programme, tier_code=tier_code
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("operators:profile", operator_id=operator.pk)
    return redirect("assessments:heading", assessment_id=assessment.pk, number=1)


def overview(request, assessment_id: int):
    assessment = selectors.assessment_visible_to(request.user, assessment_id)
    headings = selectors.questionnaire(assessment)
    total = sum(block.total for block in headings)
    answered = sum(block.answered for block in headings)
    return render(
        request,
        "assessments/overview.html",
        {
            "assessment": assessment,
            "headings": headings,
            "total": total,
            "answered": answered,
            "percent": round(100 * answered / total) if total else 0,
        },
    )


def _heading_context(request, assessment, number: int) -> dict:
    headings = selectors.questionnaire(assessment)
    if not 1 <= number <= len(headings):
        raise Http404
    total = sum(block.total for block in headings)
    answered = sum(block.answered for block in headings)
    return {
        "assessment": assessment,
        "part": headings[number - 1],
        "count": len(headings),
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < len(headings) else None,
        "percent": round(100 * answered / total) if total else 0,
        "can_edit": operator_policy.can_prepare(request.user, assessment.operator)
        and assessment.status == assessment.Status.IN_PROGRESS,
        "errors": {},
        "conflicts": {},
        "drafts": {},
        "evidence": selectors.evidence_by_question(assessment),
        "yes_no_partly": [("yes", _("Yes")), ("no", _("No")), ("partly", _("Partly"))],
    }


def heading(request, assessment_id: int, number: int):
    assessment = selectors.assessment_visible_to(request.user, assessment_id)
    return render(
        request, "assessments/heading.html", _heading_context(request, assessment, number)
    )


@require_POST
def answer(request, assessment_id: int):
    assessment = selectors.assessment_visible_to(request.user, assessment_id)
    if not operator_policy.can_prepare(request.user, assessment.operator):
        raise Http404
    question = selectors.find_question(assessment, request.POST.get("question", ""))
    number = int(request.POST.get("part") or 1)
    try:
        seen_version = int(request.POST.get("version") or 0)
    except ValueError:
        seen_version = -1
    error, conflict, status = None, None, 200
    value, explanation = request.POST.get("value", ""), request.POST.get("explanation", "")
    try:
        saved = services.answer_save(
            actor=request.user,
            assessment=assessment,
            question=question,
            value=value,
            explanation=explanation,
            seen_version=seen_version,
        )
    except ValidationError as invalid:
        error, status, saved = invalid.message_dict, 400, None
    except services.AnswerConflict as clash:
        conflict, status, saved = clash.current, 409, clash.current

    if request.headers.get("HX-Request") == "true":
        context = _heading_context(request, assessment, number)
        return render(
            request,
            "assessments/_question.html",
            {
                **context,
                "question": question,
                "answer": saved,
                "draft": {"value": value, "explanation": explanation}
                if (error or conflict)
                else None,
                "error": error,
                "conflict": conflict,
                "just_saved": status == 200,
                "oob_progress": True,
            },
            status=status,
        )
    if status == 200:
        messages.success(request, _("Saved."))
        url = reverse(
            "assessments:heading", kwargs={"assessment_id": assessment.pk, "number": number}
        )
        return redirect(f"{url}#q-{question['id'].rsplit(':', 1)[-1]}")
    context = _heading_context(request, assessment, number)
    context["errors"] = {question["id"]: error} if error else {}
    context["conflicts"] = {question["id"]: conflict} if conflict else {}
    context["drafts"] = {question["id"]: {"value": value, "explanation": explanation}}
    return render(request, "assessments/heading.html", context, status=status)


def _gap_context(request, assessment) -> dict:
    from openaeo.assessments.gap_report import gap_lines

    asked = selectors.asked(assessment)
    readiness = selectors.readiness_of(assessment, asked)
    headings = {heading["id"]: heading for heading, _r, _q in asked}
    return {
        "assessment": assessment,
        "readiness": readiness,
        "heading_rows": [(headings[result.heading_id], result) for result in readiness.headings],
        "lines": gap_lines(readiness, asked, assessment.size_class),
        "percent": round(100 * readiness.score),
        "can_edit": operator_policy.can_prepare(request.user, assessment.operator),
        "has_actions": assessment.actions.exists(),
    }


def gaps(request, assessment_id: int):
    assessment = selectors.assessment_visible_to(request.user, assessment_id)
    return render(request, "assessments/gaps.html", _gap_context(request, assessment))


def gaps_export(request, assessment_id: int, kind: str):
    from django.http import HttpResponse

    from openaeo.assessments import exports

    assessment = selectors.assessment_visible_to(request.user, assessment_id)
    context = _gap_context(request, assessment)
    name = f"gap-report-{assessment.operator.identifier}-{assessment.pk}"
    if kind == "xlsx":
        content = exports.gap_report_xlsx(assessment, context["lines"])
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif kind == "pdf":
        content = exports.gap_report_pdf(request, context)
        content_type = "application/pdf"
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@require_POST
def action_plan(request, assessment_id: int):
    assessment = selectors.assessment_visible_to(request.user, assessment_id)
    if not operator_policy.can_prepare(request.user, assessment.operator):
        raise Http404
    created = services.action_plan_create(actor=request.user, assessment=assessment)
    messages.success(
        request,
        _("%(count)s action(s) added to the plan.") % {"count": len(created)}
        if created
        else _("Every gap already has an action."),
    )
    return redirect("assessments:actions", assessment_id=assessment.pk)


def _tell_waiting_file(request, action) -> None:
    """A file sent with the action that still waits for the virus check: say so."""
    from openaeo.evidence.models import EvidenceStatus

    waiting = (
        action.assessment.operator.evidence_files.filter(
            purpose=selectors.action_evidence_purpose(action), status=EvidenceStatus.QUARANTINED
        )
        .order_by("-uploaded_at", "-id")
        .first()
    )
    if waiting is not None:
        messages.info(
            request,
            _(
                "“%(name)s” is saved and waits for the virus check. You can open it once the "
                "check is done; this page shows when."
            )
            % {"name": waiting.original_name},
        )


def actions(request, assessment_id: int):
    from openaeo.assessments.forms import ActionCloseForm, ActionUpdateForm
    from openaeo.evidence.forms import EvidenceUploadForm

    assessment = selectors.assessment_visible_to(request.user, assessment_id)
    can_edit = operator_policy.can_prepare(request.user, assessment.operator)
    errors, drafts = {}, {}
    if request.method == "POST":
        if not can_edit:
            raise Http404
        action = get_object_or_404(assessment.actions, pk=request.POST.get("action"))
        if request.POST.get("do") == "close":
            form = ActionCloseForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    services.action_close(
                        actor=request.user,
                        action=action,
                        note=form.cleaned_data["note"],
                        uploaded_file=form.cleaned_data.get("file"),
                    )
                except ValidationError as error:
                    errors[action.pk] = error.messages
                    drafts[action.pk] = form.cleaned_data["note"]
                else:
                    messages.success(request, _("Marked done. Your readiness is updated."))
                    _tell_waiting_file(request, action)
                    return redirect("assessments:actions", assessment_id=assessment.pk)
            else:
                errors[action.pk] = [e for field in form.errors.values() for e in field]
        else:
            form = ActionUpdateForm(request.POST, operator=assessment.operator)
            if form.is_valid():
                try:
                    services.action_update(actor=request.user, action=action, **form.cleaned_data)
                except ValidationError as error:
                    errors[action.pk] = error.messages
                else:
                    messages.success(request, _("Saved."))
                    return redirect("assessments:actions", assessment_id=assessment.pk)
            else:
                errors[action.pk] = [e for field in form.errors.values() for e in field]
    readiness = selectors.readiness_of(assessment)
    upload_field = EvidenceUploadForm().fields["file"]
    return render(
        request,
        "assessments/actions.html",
        {
            "assessment": assessment,
            "actions": selectors.actions_of(assessment),
            "files": selectors.evidence_by_action(assessment),
            "file_help": upload_field.help_text,
            "file_accept": upload_field.widget.attrs.get("accept", ""),
            "people": ActionUpdateForm(operator=assessment.operator).fields["owner"].queryset,
            "can_edit": can_edit,
            "errors": errors,
            "drafts": drafts,
            "percent": round(100 * readiness.score),
            "readiness": readiness,
        },
        status=400 if errors else 200,
    )


@require_POST
def attach(request, assessment_id: int):
    """Upload a document for a question (a plain form: works without JavaScript)."""
    from openaeo.evidence import services as evidence_services
    from openaeo.evidence.models import EvidenceStatus

    assessment = selectors.assessment_visible_to(request.user, assessment_id)
    if not operator_policy.can_prepare(request.user, assessment.operator):
        raise Http404
    question = selectors.find_question(assessment, request.POST.get("question", ""))
    if question["answer"] != "document":
        raise Http404
    number = int(request.POST.get("part") or 1)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            evidence = evidence_services.evidence_upload(
                actor=request.user,
                operator=assessment.operator,
                uploaded_file=upload,
                purpose=selectors.evidence_purpose(assessment, question["id"]),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if evidence.status == EvidenceStatus.CLEAN:
                messages.success(
                    request, _("%(name)s is attached.") % {"name": evidence.original_name}
                )
            elif evidence.status == EvidenceStatus.QUARANTINED:
                messages.warning(
                    request,
                    _("%(name)s is waiting for the virus check; it counts once it is cleared.")
                    % {"name": evidence.original_name},
                )
            else:
                messages.error(
                    request,
                    _(
                        "%(name)s was refused: the virus check found a problem. Nothing of it was kept."
                    )
                    % {"name": evidence.original_name},
                )
    url = reverse("assessments:heading", kwargs={"assessment_id": assessment.pk, "number": number})
    return redirect(f"{url}#q-{question['id'].rsplit(':', 1)[-1]}")
