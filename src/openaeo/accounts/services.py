"""Writes for accounts: staff roles and API credentials, each with its audit event."""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openaeo.accounts.models import (
    ApiToken,
    MachineAccessToken,
    MachineClient,
    Office,
    StaffAssignment,
    User,
)
from openaeo.accounts.roles import StaffRole
from openaeo.common import clock
from openaeo.common.audit import record_event


def office_create(
    *, actor: User | None, code: str, name: str, country: str, receives_applications=False
) -> Office:
    with transaction.atomic():
        office = Office.objects.create(
            code=code,
            name=name,
            country=country.upper(),
            receives_applications=receives_applications,
        )
        record_event(
            actor=actor,
            action="office.create",
            obj=office,
            after={
                "code": office.code,
                "name": office.name,
                "country": office.country,
                "receives_applications": receives_applications,
            },
        )
    return office


def office_update(*, actor: User | None, office: Office, **changes) -> Office:
    """Change an office's name, country or whether it receives new applications."""
    allowed = {"name", "country", "receives_applications"}
    if set(changes) - allowed:
        raise ValueError(f"not office fields: {sorted(set(changes) - allowed)}")
    with transaction.atomic():
        office = Office.objects.select_for_update().get(pk=office.pk)
        before = {field: getattr(office, field) for field in changes}
        for field, value in changes.items():
            setattr(office, field, value)
        office.save(update_fields=list(changes))
        record_event(actor=actor, action="office.update", obj=office, before=before, after=changes)
    return office


def staff_role_grant(
    *, actor: User | None, user: User, office: Office, role: str, all_offices: bool = False
) -> StaffAssignment:
    """Give `user` a Customs role in `office`. Only administrators (or the system) may."""
    if actor is not None and StaffRole.ADMINISTRATOR not in actor.staff_roles:
        raise PermissionDenied
    if role not in StaffRole.values:
        raise ValidationError(_("Unknown staff role."))
    with transaction.atomic():
        assignment, created = StaffAssignment.objects.get_or_create(
            user=user, office=office, role=role, defaults={"all_offices": all_offices}
        )
        before = (
            None
            if created
            else {"active": assignment.active, "all_offices": assignment.all_offices}
        )
        assignment.active = True
        assignment.all_offices = all_offices
        assignment.save()
        if role == StaffRole.ADMINISTRATOR and not (user.is_staff and user.is_superuser):
            # Administrators manage the system through Django's admin site.
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        record_event(
            actor=actor,
            action="staff.role_grant",
            obj=assignment,
            before=before,
            after={
                "user": user.email,
                "office": office.code,
                "role": role,
                "all_offices": all_offices,
            },
        )
    user.__dict__.pop("staff_roles", None)
    return assignment


def person_create(*, actor: User | None, email: str, full_name: str = "", password=None) -> User:
    """Create an account for a person (administrators for staff, the demo loader)."""
    with transaction.atomic():
        user = User.objects.create_user(email, password, full_name=full_name)
        record_event(actor=actor, action="account.create", obj=user, after={"email": user.email})
    return user


def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A personal API token. Returns the token and its secret, which is never shown again."""
    now = clock.now()
    secret = ApiToken.new_secret()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            prefix=secret[:10],
            digest=ApiToken.digest_of(secret),
            created_at=now,
            expires_at=now + dt.timedelta(days=settings.OPENAEO_API_TOKEN_DAYS),
        )
        record_event(actor=actor, action="api_token.create", obj=token, after={"name": name})
    return token, secret


def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise PermissionDenied
    if token.revoked_at is not None:
        return
    with transaction.atomic():
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            actor=actor,
            action="api_token.revoke",
            obj=token,
            before={"revoked": False},
            after={"revoked": True},
        )


def machine_client_create(
    *, actor: User | None, name: str, scopes: list[str]
) -> tuple[MachineClient, str]:
    """A client for the client-credentials grant. Returns it with its secret, shown once."""
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        client = MachineClient.objects.create(
            name=name,
            client_id="oac_" + secrets.token_hex(8),
            secret_digest=ApiToken.digest_of(secret),
            scopes=sorted(set(scopes)),
            created_at=clock.now(),
        )
        record_event(
            actor=actor,
            action="api_client.create",
            obj=client,
            after={"name": name, "scopes": client.scopes},
        )
    return client, secret


def machine_token_issue(
    *, client_id: str, client_secret: str, scopes: list[str] | None
) -> tuple[str, MachineAccessToken] | None:
    """OAuth2 client credentials: a short-lived token, or None when the credentials are wrong."""
    client = MachineClient.objects.filter(client_id=client_id, active=True).first()
    if client is None or not secrets.compare_digest(
        client.secret_digest, ApiToken.digest_of(client_secret)
    ):
        return None
    granted = sorted(set(scopes or client.scopes) & set(client.scopes))
    secret = "oam_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = MachineAccessToken.objects.create(
            client=client,
            digest=ApiToken.digest_of(secret),
            scopes=granted,
            expires_at=clock.now() + settings.OPENAEO_MACHINE_TOKEN_LIFETIME,
        )
        record_event(
            actor=None, action="api_client.token_issue", obj=client, after={"scopes": granted}
        )
    return secret, token


def machine_client_deactivate(*, actor, client_id: str, reason: str = "") -> MachineClient:
    """Switch a client off, with its audit event. Deactivating twice changes nothing."""
    with transaction.atomic():
        client = MachineClient.objects.select_for_update().filter(client_id=client_id).first()
        if client is None:
            raise MachineClient.DoesNotExist(client_id)
        if not client.active:
            return client
        client.active = False
        client.save(update_fields=["active"])
        record_event(
            actor=actor,
            action="api_client.deactivate",
            obj=client,
            before={"active": True},
            after={"active": False},
            reason=reason,
        )
    return client
