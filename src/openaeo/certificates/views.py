"""The holder's certificates page, the officers' certificate pages, and the public
verification material: the signing keys (JWKS) and the status lists."""

import base64

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from openaeo.cases import policy as case_policy
from openaeo.certificates import credentials, forms, policy, reassessments, selectors, services
from openaeo.certificates.models import StatusPurpose
from openaeo.common.forms import apply_service_errors
from openaeo.common.pagination import paginate

# Verifiers may cache the keys and lists for a minute: a status change shows within it.
PUBLIC_CACHE = "public, max-age=60"


def _file_name(certificate) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in certificate.aeo_number).strip("-")
    return f"aeo-certificate-{safe}.jwt"


@require_GET
def business(request, operator_id: int):
    """A business's certificates, for the people who work for it."""
    from openaeo.operators import policy as operator_policy

    operator = selectors.business_for_member(request.user, operator_id)
    certificates = selectors.with_lifecycle(selectors.certificates_of(operator))
    return render(
        request,
        "certificates/business.html",
        {
            "operator": operator,
            "certificates": certificates,
            "can_renew": operator_policy.can_submit(request.user, operator),
            # Owners list certificates in the public register (register_views.consent).
            "can_consent": policy.can_manage_register_consent_of(request.user, operator),
        },
    )


@require_GET
def download(request, certificate_id: int):
    """The certificate's verifiable credential (a signed JWT) as a file."""
    certificate = selectors.certificate_visible_to(request.user, certificate_id)
    response = HttpResponse(
        credentials.certificate_jwt(certificate), content_type=credentials.MEDIA_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(certificate)}"'
    return response


@require_GET
def certificate_list(request):
    form = forms.CertificateSearchForm(request.GET or None)
    query = status = ""
    if form.is_valid():
        query, status = form.cleaned_data["q"], form.cleaned_data["status"]
    page = paginate(request, selectors.certificates_search(query, status))
    return render(request, "certificates/list.html", {"form": form, "page": page})


# Which status changes the page offers for each status.
OFFERED = {"active": ("suspend", "revoke"), "suspended": ("reinstate", "revoke")}


def _reassess_initial(request) -> dict:
    """What a link from a monitoring record or a compliance alert fills in for the supervisor.

    `?trigger=incident&trigger_reference=Incident 12` opens the reassessment form filled in and
    unfolded; an unknown trigger is ignored, the reference is cut to the field's length.
    """
    from openaeo.cases.models import ReassessmentTrigger

    trigger = request.GET.get("trigger", "")
    if trigger not in ReassessmentTrigger.values:
        return {}
    return {"trigger": trigger, "trigger_reference": request.GET.get("trigger_reference", "")[:200]}


def _detail(request, certificate, bound=None, status=200):
    """The staff page; `bound` is the one form that failed (by action or "reassess")."""
    from openaeo.cases.forms import ReassessmentForm

    can_change = policy.can_change_status(request.user, certificate)
    bound = bound or {}
    status_forms = {}
    if can_change:
        status_forms = {
            action: bound.get(action) or forms.FOR_ACTION[action](fixed_action=action)
            for action in OFFERED.get(certificate.status, ())
        }
    can_reassess = can_change and certificate.status in reassessments.OPEN_FOR
    initial = _reassess_initial(request) if can_reassess else {}
    return render(
        request,
        "certificates/detail.html",
        {
            "certificate": certificate,
            "can_change": can_change,
            "can_see_case": case_policy.can_see_case(
                request.user, certificate.decision.application
            ),
            "status_forms": status_forms,
            "failed": next(iter(bound), None),
            "reassess_prefilled": bool(initial),
            "reassess_form": (
                bound.get("reassess") or ReassessmentForm(auto_id="reassess-%s", initial=initial)
            )
            if can_reassess
            else None,
            "open_cases": list(
                certificate.cases.exclude(status__in=("closed", "withdrawn"))
                .select_related("office")
                .order_by("-id")
            ),
            "replaced_by": getattr(certificate, "replaced_by", None),
        },
        status=status,
    )


@require_GET
def detail(request, certificate_id: int):
    return _detail(request, selectors.certificate_visible_to(request.user, certificate_id))


ACTIONS = {
    "suspend": services.certificate_suspend,
    "reinstate": services.certificate_reinstate,
    "revoke": services.certificate_revoke,
}


@require_POST
def change(request, certificate_id: int):
    """Suspend (with a remedy deadline), reinstate or revoke, with a reason (supervisors
    of the deciding office)."""
    certificate = selectors.certificate_visible_to(request.user, certificate_id)
    if not policy.can_change_status(request.user, certificate):
        raise PermissionDenied
    action = request.POST.get("action", "")
    form_class = forms.FOR_ACTION.get(action, forms.StatusChangeForm)
    form = form_class(request.POST, fixed_action=action if action in forms.FOR_ACTION else None)
    if form.is_valid():
        try:
            ACTIONS[action](actor=request.user, certificate=certificate, **form.service_arguments())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The certificate's status is changed."))
            return redirect("certificates:detail", certificate_id=certificate.pk)
    return _detail(request, certificate, bound={action or "suspend": form}, status=400)


@require_POST
def reassess(request, certificate_id: int):
    """A supervisor of the certificate's office opens a reassessment (a case)."""
    from openaeo.cases.forms import ReassessmentForm

    certificate = selectors.certificate_visible_to(request.user, certificate_id)
    if not policy.can_change_status(request.user, certificate):
        raise PermissionDenied
    form = ReassessmentForm(request.POST, auto_id="reassess-%s")
    if form.is_valid():
        try:
            application = reassessments.reassessment_open(
                actor=request.user, certificate=certificate, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The reassessment is open. The business is told why."))
            return redirect("cases:case", application_id=application.pk)
    return _detail(request, certificate, bound={"reassess": form}, status=400)


@require_POST
def renew(request, certificate_id: int):
    """The holder starts the renewal: a renewal case, or the self-assessment to submit
    again when the level is renewed by reapplication."""
    certificate = selectors.certificate_visible_to(request.user, certificate_id)
    if request.user.staff_roles:
        raise PermissionDenied
    try:
        application = reassessments.renewal_start(actor=request.user, certificate=certificate)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("certificates:business", operator_id=certificate.holder_id)
    if application is None:
        messages.info(
            request,
            _(
                "To renew, submit your self-assessment again: the application you submit "
                "before the expiry renews the certificate."
            ),
        )
        from openaeo.assessments.models import SelfAssessment

        # The answers given last time are kept: the self-assessment comes pre-filled.
        assessment = (
            SelfAssessment.objects.filter(
                operator=certificate.holder,
                programme=certificate.programme,
                tier_code=certificate.tier_code,
            )
            .order_by("-updated_at")
            .first()
        )
        if assessment is not None:
            return redirect("assessments:overview", assessment_id=assessment.pk)
        return redirect("operators:detail", operator_id=certificate.holder_id)
    messages.success(request, _("Your renewal is sent to Customs."))
    return redirect("cases:status", application_id=application.pk)


# --------------------------------------------------------------------------- public


@require_GET
def jwks(request):
    """The administration's public keys (JWK Set), retired keys included."""
    response = JsonResponse(credentials.jwks())
    response["Content-Type"] = "application/jwk-set+json"
    response["Cache-Control"] = PUBLIC_CACHE
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _status_list(number: int, purpose: str):
    if purpose not in StatusPurpose.values:
        raise Http404
    status_list = services.status_list_current(number, purpose)
    if status_list is None:
        raise Http404
    return status_list


def _public(response):
    response["Cache-Control"] = PUBLIC_CACHE
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def status_list(request, number: int, purpose: str):
    """The status list credential, signed (application/vc+jwt)."""
    status_list = _status_list(number, purpose)
    return _public(HttpResponse(status_list.credential_jwt, content_type=credentials.MEDIA_TYPE))


@require_GET
def status_list_json(request, number: int, purpose: str):
    """The same list as plain JSON (the JWT's payload), for reading; verify the JWT."""
    status_list = _status_list(number, purpose)
    payload = status_list.credential_jwt.split(".")[1]
    body = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return _public(HttpResponse(body, content_type="application/json"))
