"""Submitting the application, and following it afterwards."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openaeo.assessments import selectors as assessment_selectors
from openaeo.cases import selectors, services
from openaeo.cases.deadlines import days_left
from openaeo.common import clock
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


def status(request, application_id: int):
    application = selectors.application_visible_to(request.user, application_id)
    return render(
        request,
        "cases/status.html",
        {
            "application": application,
            "revisions": application.revisions.select_related("submitted_by").order_by("-number"),
            "timeline": selectors.timeline(application),
            "days_left": days_left(application.completeness_due, clock.today()),
            "tier": application.programme.tier(application.tier_code) or {},
        },
    )
