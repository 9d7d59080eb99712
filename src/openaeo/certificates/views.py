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
from openaeo.certificates import credentials, forms, policy, selectors, services
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
    operator = selectors.business_for_member(request.user, operator_id)
    return render(
        request,
        "certificates/business.html",
        {
            "operator": operator,
            "certificates": selectors.certificates_of(operator),
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


def _detail(request, certificate, form=None, status=200):
    can_change = policy.can_change_status(request.user, certificate)
    return render(
        request,
        "certificates/detail.html",
        {
            "certificate": certificate,
            "can_change": can_change,
            "can_see_case": case_policy.can_see_case(
                request.user, certificate.decision.application
            ),
            "form": form or (forms.StatusChangeForm() if can_change else None),
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
    """Suspend, reinstate or revoke, with a reason (supervisors of the deciding office)."""
    certificate = selectors.certificate_visible_to(request.user, certificate_id)
    if not policy.can_change_status(request.user, certificate):
        raise PermissionDenied
    form = forms.StatusChangeForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            ACTIONS[action](
                actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The certificate's status is changed."))
            return redirect("certificates:detail", certificate_id=certificate.pk)
    return _detail(request, certificate, form=form, status=400)


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
