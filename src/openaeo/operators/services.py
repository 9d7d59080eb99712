"""Writes for operators: registration, colleagues and mandates, each with its audit event."""

import datetime as dt
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from openaeo.accounts.roles import MandateScope, OperatorRole
from openaeo.common import clock
from openaeo.common.audit import record_event
from openaeo.operators import policy
from openaeo.operators.models import (
    EconomicOperator,
    Mandate,
    OperatorContact,
    OperatorInvitation,
    OperatorMembership,
    OperatorSite,
)

# How long the link in an invitation e-mail works.
INVITATION_DAYS = 14

# A leading + and digits with the usual separators; at least five digits.
_PHONE = re.compile(r"\+?[0-9 ().\-/]{5,39}")

PROFILE_FIELDS = (
    "trading_names",
    "address",
    "roles",
    "employees",
    "annual_turnover",
    "balance_sheet_total",
)


class DuplicateIdentifier(ValidationError):
    """The identifier belongs to a registered business: the person can ask its owners for access."""

    def __init__(self, identifier: str):
        super().__init__(
            {"identifier": _("A business with this identifier is already registered.")}
        )
        self.identifier = identifier


def operator_register(
    *,
    actor,
    legal_name: str,
    identifier: str,
    country: str,
    roles: list[str] | None = None,
    employees: int | None = None,
    annual_turnover=None,
    balance_sheet_total=None,
) -> EconomicOperator:
    """Register a business; the person registering it becomes its owner."""
    identifier = identifier.strip().upper()
    if EconomicOperator.objects.filter(identifier=identifier).exists():
        raise DuplicateIdentifier(identifier)
    now = clock.now()
    try:
        with transaction.atomic():
            operator = EconomicOperator.objects.create(
                legal_name=legal_name.strip(),
                identifier=identifier,
                country=country.upper(),
                roles=sorted(set(roles or [])),
                employees=employees,
                annual_turnover=annual_turnover,
                balance_sheet_total=balance_sheet_total,
                created_at=now,
            )
            OperatorMembership.objects.create(
                operator=operator, user=actor, role=OperatorRole.OWNER, added_at=now
            )
            record_event(
                actor=actor,
                acting_for=operator,
                action="operator.register",
                obj=operator,
                after={
                    "legal_name": operator.legal_name,
                    "identifier": operator.identifier,
                    "country": operator.country,
                    "owner": actor.email,
                    "roles": operator.roles,
                    "employees": operator.employees,
                },
            )
    except IntegrityError as error:  # a concurrent registration of the same identifier
        raise DuplicateIdentifier(identifier) from error
    return operator


def operator_update_profile(*, actor, operator: EconomicOperator, **changes) -> EconomicOperator:
    """Owners and editors keep the business profile up to date (roles and size decide what is asked)."""
    if not policy.can_prepare(actor, operator):
        raise PermissionDenied
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    if "roles" in changes:
        changes["roles"] = sorted(set(changes["roles"]))
    with transaction.atomic():
        operator = EconomicOperator.objects.select_for_update().get(pk=operator.pk)
        before = {field: getattr(operator, field) for field in changes}
        for field, value in changes.items():
            setattr(operator, field, value)
        operator.save(update_fields=list(changes))
        after = {field: getattr(operator, field) for field in changes}
        if before != after:
            record_event(
                actor=actor,
                acting_for=operator,
                action="operator.profile_update",
                obj=operator,
                before={k: v for k, v in before.items() if before[k] != after[k]},
                after={k: v for k, v in after.items() if before[k] != after[k]},
            )
    return operator


def _required(errors: dict, field: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = message
    return value


def site_add(
    *, actor, operator: EconomicOperator, name: str, kind: str, address: str, activities: str = ""
) -> OperatorSite:
    """Owners and editors list the places where the business works."""
    if not policy.can_prepare(actor, operator):
        raise PermissionDenied
    errors: dict[str, str] = {}
    name = _required(errors, "name", name, _("Enter the name of the site."))
    address = _required(errors, "address", address, _("Enter the address of the site."))
    if kind not in OperatorSite.Kind.values:
        errors["kind"] = _("Choose what kind of site it is.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        site = OperatorSite.objects.create(
            operator=operator,
            name=name[:200],
            kind=kind,
            address=address,
            activities=(activities or "").strip(),
            created_at=clock.now(),
        )
        record_event(
            actor=actor,
            acting_for=operator,
            action="operator.site_add",
            obj=site,
            after=_site_facts(site),
        )
    return site


def _site_facts(site: OperatorSite) -> dict:
    return {
        "name": site.name,
        "kind": site.kind,
        "address": site.address,
        "activities": site.activities,
    }


def site_remove(*, actor, site: OperatorSite) -> None:
    operator = site.operator
    if not policy.can_prepare(actor, operator):
        raise PermissionDenied
    with transaction.atomic():
        record_event(
            actor=actor,
            acting_for=operator,
            action="operator.site_remove",
            obj=site,
            before=_site_facts(site),
        )
        OperatorSite.objects.filter(pk=site.pk).delete()


def contact_add(
    *, actor, operator: EconomicOperator, name: str, function: str, email: str, phone: str = ""
) -> OperatorContact:
    """Owners and editors say whom Customs can contact about what."""
    if not policy.can_prepare(actor, operator):
        raise PermissionDenied
    errors: dict[str, str] = {}
    name = _required(errors, "name", name, _("Enter the name of the contact person."))
    email = _required(errors, "email", email, _("Enter the contact person's e-mail address."))
    if email and "email" not in errors:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _(
                "Enter the e-mail address in the correct format, like name@example.com."
            )
    if function not in OperatorContact.Function.values:
        errors["function"] = _("Choose what this person is the contact for.")
    phone = (phone or "").strip()
    if phone and (not _PHONE.fullmatch(phone) or sum(c.isdigit() for c in phone) < 5):
        errors["phone"] = _(
            "Enter the phone number with digits only, for example +254 20 123 4567."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contact = OperatorContact.objects.create(
            operator=operator,
            name=name[:150],
            function=function,
            email=email,
            phone=phone,
            created_at=clock.now(),
        )
        record_event(
            actor=actor,
            acting_for=operator,
            action="operator.contact_add",
            obj=contact,
            after=_contact_facts(contact),
        )
    return contact


def _contact_facts(contact: OperatorContact) -> dict:
    return {
        "name": contact.name,
        "function": contact.function,
        "email": contact.email,
        "phone": contact.phone,
    }


def contact_remove(*, actor, contact: OperatorContact) -> None:
    operator = contact.operator
    if not policy.can_prepare(actor, operator):
        raise PermissionDenied
    with transaction.atomic():
        record_event(
            actor=actor,
            acting_for=operator,
            action="operator.contact_remove",
            obj=contact,
            before=_contact_facts(contact),
        )
        OperatorContact.objects.filter(pk=contact.pk).delete()


def _existing_person(email: str):
    user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(
            {
                "email": _(
                    "Nobody with this e-mail address has an OpenAEO account yet. Ask them "
                    "to sign up first, then add them here."
                )
            }
        )
    return user


def membership_add(
    *, actor, operator: EconomicOperator, email: str, role: str, site_root: str = ""
) -> OperatorMembership | OperatorInvitation:
    """Add a colleague. Someone with an account is added at once; someone without one
    gets an e-mail invitation (the returned OperatorInvitation), sent again rather than
    duplicated when the address is invited twice. `site_root` ("https://host/") makes
    the link in the e-mail absolute."""
    if not policy.can_manage_people(actor, operator):
        raise PermissionDenied
    if role not in OperatorRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    user = (
        get_user_model().objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    )
    if user is None:
        return _invite(actor=actor, operator=operator, email=email, role=role, site_root=site_root)
    if user.staff_roles:
        raise ValidationError({"email": _("Customs staff cannot work for a business here.")})
    if OperatorMembership.objects.filter(operator=operator, user=user).exists():
        raise ValidationError({"email": _("This person already works for this business here.")})
    with transaction.atomic():
        now = clock.now()
        membership = OperatorMembership.objects.create(
            operator=operator, user=user, role=role, added_at=now
        )
        # An invitation sent before this person had an account has done its job.
        closed = OperatorInvitation.objects.filter(
            operator=operator,
            email__iexact=user.email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=now, revoked_by=actor)
        record_event(
            actor=actor,
            acting_for=operator,
            action="operator.member_add",
            obj=membership,
            after={"email": user.email, "role": role}
            | ({"invitations_closed": closed} if closed else {}),
        )
    return membership


class InvitationNotValid(Exception):
    """The link's invitation does not exist (`gone` False) or was used, cancelled or expired."""

    def __init__(self, *, gone: bool):
        super().__init__("invitation no longer valid" if gone else "no such invitation")
        self.gone = gone


class InvitationForSomeoneElse(PermissionDenied):
    """The signed-in person's verified e-mail addresses do not include the invited one."""


def _invite(*, actor, operator, email: str, role: str, site_root: str) -> OperatorInvitation:
    from django.urls import reverse

    from openaeo.common.mail import queue_email

    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError(
            {"email": _("Enter the e-mail address in the correct format, like name@example.com.")}
        ) from error
    token = OperatorInvitation.new_token()
    now = clock.now()
    expires_at = now + dt.timedelta(days=INVITATION_DAYS)
    try:
        with transaction.atomic():
            invitation = (
                OperatorInvitation.objects.select_for_update()
                .filter(
                    operator=operator,
                    email=email,
                    accepted_at__isnull=True,
                    revoked_at__isnull=True,
                )
                .first()
            )
            if invitation is None:
                invitation = OperatorInvitation.objects.create(
                    operator=operator,
                    email=email,
                    role=role,
                    token_digest=OperatorInvitation.digest_of(token),
                    invited_by=actor,
                    created_at=now,
                    expires_at=expires_at,
                )
                action, before = "operator.invitation_send", None
            else:
                # Sent again: a new link (the old one stops working), a new end date.
                before = {"role": invitation.role, "expires_at": invitation.expires_at}
                invitation.role, invitation.invited_by = role, actor
                invitation.token_digest = OperatorInvitation.digest_of(token)
                invitation.created_at, invitation.expires_at = now, expires_at
                invitation.save(
                    update_fields=["role", "invited_by", "token_digest", "created_at", "expires_at"]
                )
                action = "operator.invitation_resend"
            record_event(
                actor=actor,
                acting_for=operator,
                action=action,
                obj=invitation,
                before=before,
                after={"email": email, "role": role, "expires_at": expires_at},
            )
            path = reverse("operators:invitation", kwargs={"token": token})
            # Outside a request (a command, a task) the configured site address is used.
            root = site_root or getattr(settings, "SITE_URL", "")
            link = f"{root.rstrip('/')}{path}" if root else path
            values = {
                "person": actor.full_name or actor.email,
                "business": operator.legal_name,
                "role": OperatorRole(role).label,
                "link": link,
                "date": expires_at.date().isoformat(),
                "email": email,
            }
            queue_email(
                subject=_("%(person)s invites you to work for %(business)s in OpenAEO") % values,
                body=_(
                    "%(person)s invites you to work for %(business)s in OpenAEO, the online "
                    "service for the Authorised Economic Operator (AEO) programme. Your role "
                    "would be: %(role)s.\n\n"
                    "To accept, open this link by %(date)s:\n%(link)s\n\n"
                    "If you have no OpenAEO account yet, create one with this e-mail address "
                    "(%(email)s) and confirm it, then open the link again.\n\n"
                    "If you did not expect this invitation, you can ignore this e-mail."
                )
                % values,
                to=[email],
            )
    except IntegrityError as error:  # the same address invited at the same moment
        raise ValidationError(
            {"email": _("An invitation to this address has just been sent.")}
        ) from error
    return invitation


def invitation_accept(*, actor, token: str) -> OperatorMembership:
    """The invited person, signed in with the invited address (verified), joins the business.

    Raises InvitationNotValid for an unknown, used, cancelled or expired link, and
    InvitationForSomeoneElse when the signed-in person is not the one invited.
    """
    from openaeo.accounts.selectors import has_verified_email

    if not actor.is_authenticated:
        raise PermissionDenied
    digest = OperatorInvitation.digest_of(token or "")
    with transaction.atomic():
        invitation = (
            OperatorInvitation.objects.select_for_update()
            .select_related("operator")
            .filter(token_digest=digest)
            .first()
        )
        if invitation is None:
            raise InvitationNotValid(gone=False)
        if not invitation.is_usable(clock.now()):
            raise InvitationNotValid(gone=True)
        if actor.staff_roles:
            raise PermissionDenied
        if not has_verified_email(actor, invitation.email):
            raise InvitationForSomeoneElse
        operator = invitation.operator
        membership = OperatorMembership.objects.filter(operator=operator, user=actor).first()
        created = membership is None
        if created:
            membership = OperatorMembership.objects.create(
                operator=operator, user=actor, role=invitation.role, added_at=clock.now()
            )
        invitation.accepted_at, invitation.accepted_by = clock.now(), actor
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record_event(
            actor=actor,
            acting_for=operator,
            action="operator.invitation_accept",
            obj=invitation,
            after={
                "email": actor.email,
                "role": membership.role,
                "membership": membership.pk,
                "already_a_member": not created,
            },
        )
    return membership


def invitation_cancel(*, actor, invitation: OperatorInvitation) -> OperatorInvitation:
    """An owner cancels an invitation that was not used yet; its link stops working."""
    if not policy.can_manage_people(actor, invitation.operator):
        raise PermissionDenied
    with transaction.atomic():
        invitation = OperatorInvitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open():
            return invitation  # used or cancelled already: nothing changes
        invitation.revoked_at, invitation.revoked_by = clock.now(), actor
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        record_event(
            actor=actor,
            acting_for=invitation.operator,
            action="operator.invitation_cancel",
            obj=invitation,
            before={"status": "pending"},
            after={"status": "cancelled", "email": invitation.email},
        )
    return invitation


def membership_remove(*, actor, membership: OperatorMembership) -> None:
    operator = membership.operator
    if not policy.can_manage_people(actor, operator):
        raise PermissionDenied
    with transaction.atomic():
        owners = OperatorMembership.objects.select_for_update().filter(
            operator=operator, role=OperatorRole.OWNER
        )
        if membership.role == OperatorRole.OWNER and owners.count() <= 1:
            raise ValidationError(
                _(
                    "A business needs at least one owner. Add another owner before removing this one."
                )
            )
        record_event(
            actor=actor,
            acting_for=operator,
            action="operator.member_remove",
            obj=membership,
            before={"email": membership.user.email, "role": membership.role},
        )
        membership.delete()


def mandate_grant(
    *,
    actor,
    operator: EconomicOperator,
    email: str,
    scopes: list[str],
    valid_until: dt.date,
    valid_from: dt.date | None = None,
) -> Mandate:
    """The owner authorises a representative (broker, consultant) to act for the business."""
    if not policy.can_manage_people(actor, operator):
        raise PermissionDenied
    today = clock.today()
    valid_from = valid_from or today
    errors = {}
    if not scopes or not set(scopes) <= set(MandateScope.values):
        errors["scopes"] = _("Choose at least one thing the representative may do.")
    if valid_until < valid_from:
        errors["valid_until"] = _("The end date must be on or after the start date.")
    elif valid_until < today:
        errors["valid_until"] = _("The end date is in the past.")
    if errors:
        raise ValidationError(errors)
    representative = _existing_person(email)
    if representative.staff_roles:
        raise ValidationError({"email": _("Customs staff cannot act as representatives.")})
    with transaction.atomic():
        mandate = Mandate.objects.create(
            operator=operator,
            representative=representative,
            scopes=sorted(set(scopes)),
            valid_from=valid_from,
            valid_until=valid_until,
            granted_by=actor,
            granted_at=clock.now(),
        )
        record_event(
            actor=actor,
            acting_for=operator,
            action="mandate.grant",
            obj=mandate,
            after={
                "representative": representative.email,
                "scopes": mandate.scopes,
                "valid_from": valid_from,
                "valid_until": valid_until,
            },
        )
    return mandate


def mandate_revoke(*, actor, mandate: Mandate, reason: str = "") -> Mandate:
    if not policy.can_manage_people(actor, mandate.operator):
        raise PermissionDenied
    with transaction.atomic():
        mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
        if mandate.revoked_at is not None:
            return mandate  # a second click changes nothing
        mandate.revoked_at = clock.now()
        mandate.revoked_by = actor
        mandate.save(update_fields=["revoked_at", "revoked_by"])
        record_event(
            actor=actor,
            acting_for=mandate.operator,
            action="mandate.revoke",
            obj=mandate,
            before={"status": "in_force"},
            after={"status": "revoked"},
            reason=reason,
        )
    return mandate


def access_request_create(*, actor, identifier: str, message: str = ""):
    """Ask the owners of an already registered business for access.

    The answer is the same whether or not the identifier exists, so the form cannot
    be used to find out which businesses are registered; owners are told by e-mail.
    """
    from openaeo.common.mail import queue_email
    from openaeo.operators.models import AccessRequest

    operator = EconomicOperator.objects.filter(identifier=identifier.strip().upper()).first()
    if operator is None or policy.membership_role(actor, operator) is not None:
        return None
    with transaction.atomic():
        request, created = AccessRequest.objects.get_or_create(
            operator=operator,
            requester=actor,
            status=AccessRequest.Status.PENDING,
            defaults={"message": message.strip()[:2000], "created_at": clock.now()},
        )
        if not created:
            return request  # asked already: no second e-mail
        record_event(
            actor=actor,
            acting_for=operator,
            action="operator.access_request",
            obj=request,
            after={"requester": actor.email},
        )
        owners = list(
            OperatorMembership.objects.filter(
                operator=operator, role=OperatorRole.OWNER
            ).values_list("user__email", flat=True)
        )
        queue_email(
            subject=_("%(email)s asks to work for %(business)s in OpenAEO")
            % {"email": actor.email, "business": operator.legal_name},
            body=_(
                "%(email)s asks to be added to %(business)s in OpenAEO.\n\nTheir message: %(message)s\n\n"
                "Open the business page in OpenAEO to approve or refuse."
            )
            % {"email": actor.email, "business": operator.legal_name, "message": message or "-"},
            to=owners,
        )
    return request


def access_request_decide(*, actor, access_request, approve: bool, role: str = OperatorRole.VIEWER):
    """An owner approves (with a role) or refuses a request. Deciding twice changes nothing."""
    from openaeo.common.mail import queue_email
    from openaeo.operators.models import AccessRequest

    if not policy.can_manage_people(actor, access_request.operator):
        raise PermissionDenied
    if role not in OperatorRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    with transaction.atomic():
        access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
        if access_request.status != AccessRequest.Status.PENDING:
            return access_request
        access_request.status = (
            AccessRequest.Status.APPROVED if approve else AccessRequest.Status.REFUSED
        )
        access_request.decided_by, access_request.decided_at = actor, clock.now()
        access_request.save(update_fields=["status", "decided_by", "decided_at"])
        if (
            approve
            and not OperatorMembership.objects.filter(
                operator=access_request.operator, user=access_request.requester
            ).exists()
        ):
            OperatorMembership.objects.create(
                operator=access_request.operator,
                user=access_request.requester,
                role=role,
                added_at=clock.now(),
            )
        record_event(
            actor=actor,
            acting_for=access_request.operator,
            action="operator.access_approve" if approve else "operator.access_refuse",
            obj=access_request,
            after={"requester": access_request.requester.email, "role": role if approve else None},
        )
        queue_email(
            subject=_("Your request to work for %(business)s")
            % {"business": access_request.operator.legal_name},
            body=_("The owner approved your request. Sign in to OpenAEO to start.")
            if approve
            else _(
                "The owner did not approve your request. Contact them directly if you think this is a mistake."
            ),
            to=[access_request.requester.email],
        )
    return access_request
