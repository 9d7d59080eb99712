"""The business's own pages: its list, registration, colleagues and representatives."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openaeo.common import clock
from openaeo.common.forms import apply_service_errors
from openaeo.evidence.models import EvidenceStatus
from openaeo.operators import msme, policy, selectors, services
from openaeo.operators.forms import (
    ContactForm,
    MandateGrantForm,
    MemberAddForm,
    MsmeProofForm,
    OperatorRegisterForm,
    SiteForm,
)
from openaeo.operators.models import OperatorInvitation


def operator_list(request):
    operators = selectors.operators_of(request.user).order_by("legal_name")
    return render(request, "operators/operator_list.html", {"operators": operators})


def operator_register(request):
    form = OperatorRegisterForm(request.POST or None)
    duplicate_identifier = None
    if request.method == "POST" and form.is_valid():
        try:
            operator = services.operator_register(actor=request.user, **form.cleaned_data)
        except services.DuplicateIdentifier as error:
            apply_service_errors(form, error)
            duplicate_identifier = error.identifier
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered. You are its owner.") % {"name": operator.legal_name},
            )
            return redirect("operators:detail", operator_id=operator.pk)
    return render(
        request,
        "operators/operator_register.html",
        {"form": form, "duplicate_identifier": duplicate_identifier},
    )


def _assessment_context(request, operator) -> dict:
    from openaeo.assessments.forms import StartForm
    from openaeo.assessments.selectors import assessments_of
    from openaeo.cases.selectors import applications_of
    from openaeo.catalogue.models import Programme

    can_prepare = policy.can_prepare(request.user, operator)
    return {
        "applications": applications_of(operator),
        "can_prepare": can_prepare,
        "access_requests": operator.access_requests.filter(status="pending").select_related(
            "requester"
        )
        if policy.can_manage_people(request.user, operator)
        else [],
        "assessments": assessments_of(operator),
        "start_form": StartForm(programmes=Programme.objects.all()) if can_prepare else None,
    }


def _detail_context(request, operator, **forms_) -> dict:
    can_manage = policy.can_manage_people(request.user, operator)
    context = {
        **_assessment_context(request, operator),
        "operator": operator,
        "members": selectors.members_of(operator),
        "sites": selectors.sites_of(operator),
        "contacts": selectors.contacts_of(operator),
        "mandates": selectors.mandates_of(operator),
        "today": clock.today(),
        "can_manage": can_manage,
        "member_form": MemberAddForm() if can_manage else None,
        "invitations": selectors.invitations_open(operator) if can_manage else [],
        "now": clock.now(),
        "mandate_form": MandateGrantForm() if can_manage else None,
        "my_role": policy.membership_role(request.user, operator),
    }
    context.update(forms_)
    return context


def operator_detail(request, operator_id: int):
    operator = selectors.operator_visible_to(request.user, operator_id)
    return render(request, "operators/operator_detail.html", _detail_context(request, operator))


def _detail_with_form(request, operator, **forms_):
    """The business page again, showing a form that did not validate."""
    return render(
        request,
        "operators/operator_detail.html",
        _detail_context(request, operator, **forms_),
        status=400,
    )


@require_POST
def member_add(request, operator_id: int):
    operator = selectors.operator_managed_by(request.user, operator_id)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            added = services.membership_add(
                actor=request.user,
                operator=operator,
                site_root=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if isinstance(added, OperatorInvitation):
                messages.success(
                    request,
                    _(
                        "%(email)s has no OpenAEO account yet, so we e-mailed them an invitation. "
                        "The link in it works until %(date)s."
                    )
                    % {"email": added.email, "date": added.expires_at.date().isoformat()},
                )
            else:
                messages.success(
                    request,
                    _("%(email)s now works for this business here.") % {"email": added.user.email},
                )
            return redirect("operators:detail", operator_id=operator.pk)
    return _detail_with_form(request, operator, member_form=form)


@require_POST
def member_remove(request, operator_id: int, membership_id: int):
    operator = selectors.operator_managed_by(request.user, operator_id)
    membership = get_object_or_404(selectors.members_of(operator), pk=membership_id)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(email)s no longer works for this business here.")
            % {"email": membership.user.email},
        )
    return redirect("operators:detail", operator_id=operator.pk)


@require_POST
def mandate_grant(request, operator_id: int):
    operator = selectors.operator_managed_by(request.user, operator_id)
    form = MandateGrantForm(request.POST)
    if form.is_valid():
        try:
            mandate = services.mandate_grant(
                actor=request.user, operator=operator, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(email)s may now act for this business until %(date)s.")
                % {"email": mandate.representative.email, "date": mandate.valid_until},
            )
            return redirect("operators:detail", operator_id=operator.pk)
    return _detail_with_form(request, operator, mandate_form=form)


@require_POST
def mandate_revoke(request, operator_id: int, mandate_id: int):
    operator = selectors.operator_managed_by(request.user, operator_id)
    mandate = get_object_or_404(selectors.mandates_of(operator), pk=mandate_id)
    services.mandate_revoke(
        actor=request.user, mandate=mandate, reason=request.POST.get("reason", "")[:500]
    )
    messages.success(
        request, _("The mandate of %(email)s is revoked.") % {"email": mandate.representative.email}
    )
    return redirect("operators:detail", operator_id=operator.pk)


def _profile_page(request, operator, form, *, msme_form=None, status=200):
    programmes = msme.programmes_asking_for_proof(operator)
    proofs = list(msme.proof_files(operator))
    return render(
        request,
        "operators/operator_profile.html",
        {
            "operator": operator,
            "form": form,
            "msme_programmes": programmes,
            "msme_proofs": proofs,
            "msme_proof_clean": any(proof.status == EvidenceStatus.CLEAN for proof in proofs),
            "msme_form": msme_form if msme_form is not None else MsmeProofForm(),
        },
        status=status,
    )


def _profile_initial(operator) -> dict:
    return {field: getattr(operator, field) for field in services.PROFILE_FIELDS}


def operator_profile(request, operator_id: int):
    """Owners and editors update names, address, roles and size figures."""
    from openaeo.operators.forms import OperatorProfileForm

    operator = selectors.operator_visible_to(request.user, operator_id)
    if not policy.can_prepare(request.user, operator):
        raise Http404
    form = OperatorProfileForm(request.POST or None, initial=_profile_initial(operator))
    if request.method == "POST" and form.is_valid():
        services.operator_update_profile(actor=request.user, operator=operator, **form.cleaned_data)
        messages.success(request, _("The business profile is saved."))
        return redirect("operators:detail", operator_id=operator.pk)
    return _profile_page(request, operator, form)


@require_POST
def msme_proof(request, operator_id: int):
    """Send proof of MSME status through the evidence store (type, size and virus checks)."""
    from openaeo.evidence import services as evidence_services
    from openaeo.evidence.views import tell_outcome
    from openaeo.operators.forms import OperatorProfileForm

    operator = selectors.operator_prepared_by(request.user, operator_id)
    msme_form = MsmeProofForm(request.POST, request.FILES)
    if msme_form.is_valid():
        try:
            evidence = evidence_services.evidence_upload(
                actor=request.user,
                operator=operator,
                uploaded_file=msme_form.cleaned_data["file"],
                purpose=msme.proof_purpose(operator),
            )
        except ValidationError as error:
            msme_form.add_error("file", error)
        else:
            tell_outcome(request, evidence)
            url = reverse("operators:profile", kwargs={"operator_id": operator.pk})
            return redirect(f"{url}#msme-heading")
    form = OperatorProfileForm(initial=_profile_initial(operator))
    return _profile_page(request, operator, form, msme_form=msme_form, status=400)


def request_access(request):
    from openaeo.operators.forms import AccessRequestForm

    form = AccessRequestForm(
        request.POST or None, initial={"identifier": request.GET.get("identifier", "")}
    )
    if request.method == "POST" and form.is_valid():
        services.access_request_create(actor=request.user, **form.cleaned_data)
        # The same answer whether or not the number is registered: nothing is revealed.
        messages.success(
            request,
            _(
                "If a business with this number is registered, its owners have been asked. "
                "You will get an e-mail when they decide."
            ),
        )
        return redirect("operators:list")
    return render(request, "operators/request_access.html", {"form": form})


@require_POST
def access_decide(request, operator_id: int, request_id: int):
    from openaeo.operators.models import AccessRequest

    operator = selectors.operator_managed_by(request.user, operator_id)
    access_request = get_object_or_404(
        AccessRequest.objects.filter(operator=operator), pk=request_id
    )
    approve = request.POST.get("decision") == "approve"
    try:
        services.access_request_decide(
            actor=request.user,
            access_request=access_request,
            approve=approve,
            role=request.POST.get("role") or "viewer",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Approved.") if approve else _("Refused."))
    return redirect("operators:detail", operator_id=operator.pk)


def _sites_page(request, operator, *, status=200, site_form=None, contact_form=None):
    context = {
        "operator": operator,
        "sites": selectors.sites_of(operator),
        "contacts": selectors.contacts_of(operator),
        "site_form": site_form if site_form is not None else SiteForm(),
        "contact_form": contact_form if contact_form is not None else ContactForm(),
    }
    return render(request, "operators/sites_contacts.html", context, status=status)


def sites_contacts(request, operator_id: int):
    """Where the business works and whom Customs can contact, kept by those who prepare its file."""
    operator = selectors.operator_prepared_by(request.user, operator_id)
    return _sites_page(request, operator)


@require_POST
def site_add(request, operator_id: int):
    operator = selectors.operator_prepared_by(request.user, operator_id)
    form = SiteForm(request.POST)
    if form.is_valid():
        try:
            site = services.site_add(actor=request.user, operator=operator, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The site “%(name)s” is added.") % {"name": site.name})
            return redirect("operators:sites", operator_id=operator.pk)
    return _sites_page(request, operator, status=400, site_form=form)


@require_POST
def site_remove(request, operator_id: int, site_id: int):
    operator = selectors.operator_prepared_by(request.user, operator_id)
    site = get_object_or_404(selectors.sites_of(operator), pk=site_id)
    services.site_remove(actor=request.user, site=site)
    messages.success(request, _("The site “%(name)s” is removed.") % {"name": site.name})
    return redirect("operators:sites", operator_id=operator.pk)


@require_POST
def contact_add(request, operator_id: int):
    operator = selectors.operator_prepared_by(request.user, operator_id)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            contact = services.contact_add(
                actor=request.user, operator=operator, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is added as a contact.") % {"name": contact.name})
            return redirect("operators:sites", operator_id=operator.pk)
    return _sites_page(request, operator, status=400, contact_form=form)


@require_POST
def contact_remove(request, operator_id: int, contact_id: int):
    operator = selectors.operator_prepared_by(request.user, operator_id)
    contact = get_object_or_404(selectors.contacts_of(operator), pk=contact_id)
    services.contact_remove(actor=request.user, contact=contact)
    messages.success(
        request, _("%(name)s is no longer listed as a contact.") % {"name": contact.name}
    )
    return redirect("operators:sites", operator_id=operator.pk)


@require_POST
def invitation_cancel(request, operator_id: int, invitation_id: int):
    operator = selectors.operator_managed_by(request.user, operator_id)
    invitation = get_object_or_404(selectors.invitations_open(operator), pk=invitation_id)
    services.invitation_cancel(actor=request.user, invitation=invitation)
    messages.success(
        request,
        _("The invitation to %(email)s is cancelled; its link no longer works.")
        % {"email": invitation.email},
    )
    return redirect("operators:detail", operator_id=operator.pk)


def _invitation_not_valid(request, *, gone: bool):
    return render(
        request,
        "operators/invitation_invalid.html",
        {"days": services.INVITATION_DAYS},
        status=410 if gone else 404,
    )


def invitation(request, token: str):
    """The page the link in an invitation e-mail opens: sign in or sign up, then accept.

    Anyone holding the link may see which business and role it is for (never the
    address it was sent to); only the person signed in with the invited, verified
    address can accept it.
    """
    from django.contrib.auth.views import redirect_to_login

    from openaeo.accounts.selectors import has_verified_email

    found = selectors.invitation_for_token(token)
    if found is None:
        return _invitation_not_valid(request, gone=False)
    user = request.user
    if not found.is_usable(clock.now()):
        if found.accepted_by_id is not None and found.accepted_by_id == user.pk:
            return redirect("operators:detail", operator_id=found.operator_id)
        return _invitation_not_valid(request, gone=True)
    if not user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        here = request.get_full_path()
        return render(
            request,
            "operators/invitation.html",
            {
                "invitation": found,
                "sign_in_url": f"{reverse('account_login')}?{urlencode({'next': here})}",
                "sign_up_url": f"{reverse('account_signup')}?{urlencode({'next': here})}",
            },
        )
    is_invitee = has_verified_email(user, found.email)
    if request.method == "POST" and is_invitee:
        try:
            membership = services.invitation_accept(actor=user, token=token)
        except services.InvitationNotValid as error:
            return _invitation_not_valid(request, gone=error.gone)
        except services.InvitationForSomeoneElse:
            is_invitee = False
        else:
            messages.success(
                request,
                _("Welcome. You now work for %(business)s in OpenAEO.")
                % {"business": membership.operator.legal_name},
            )
            return redirect("operators:detail", operator_id=membership.operator_id)
    return render(
        request,
        "operators/invitation.html",
        {"invitation": found, "is_invitee": is_invitee},
        status=200 if is_invitee else 403,
    )
