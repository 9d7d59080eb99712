"""Issuing certificates and changing their status.

Each function runs in one transaction, checks who acts, records an audit event and
tells the holder's owners. A status change signs the holder's status lists again in
the same transaction, so the published lists show the change as soon as it commits.
"""

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from openaeo.accounts.roles import OperatorRole
from openaeo.cases import policy as case_policy
from openaeo.certificates import credentials, numbering, policy
from openaeo.certificates.bitstring import MIN_BITS
from openaeo.certificates.models import (
    Certificate,
    CertificateSequence,
    CertificateStatus,
    StatusList,
    StatusPurpose,
)
from openaeo.common import clock
from openaeo.common.audit import record_event
from openaeo.notifications.services import notify

LIST_SIZE = MIN_BITS
# A list takes new certificates until it is this full; then the next list opens. Indexes
# are drawn at random, so a list's positions say nothing about the order of issue.
LIST_FILL_LIMIT = LIST_SIZE // 2
MIN_REASON = 10

# Which status sets the bit of which list. An expired or revoked certificate never
# comes back, so both set the revocation bit; a suspension can be lifted.
BITS = {
    StatusPurpose.REVOCATION: (CertificateStatus.REVOKED, CertificateStatus.EXPIRED),
    StatusPurpose.SUSPENSION: (CertificateStatus.SUSPENDED,),
}


# --------------------------------------------------------------------------- issuance


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def validity_of(config: dict, tier: dict, decided_on: dt.date) -> tuple[dt.date, dt.date | None]:
    """(effective date, last day of validity or None): the decision date plus the
    programme's `deadlines.effective_after_days`, for the tier's `validity.years`."""
    after = int((config.get("deadlines") or {}).get("effective_after_days") or 0)
    effective_on = decided_on + dt.timedelta(days=after)
    years = (tier.get("validity") or {}).get("years")
    expires_on = _add_years(effective_on, years) - dt.timedelta(days=1) if years else None
    return effective_on, expires_on


def _next_number(programme, tier_code: str, decided_on: dt.date) -> str:
    sequence, _created = CertificateSequence.objects.get_or_create(programme=programme)
    sequence = CertificateSequence.objects.select_for_update().get(pk=sequence.pk)
    config = programme.config
    pattern = numbering.number_pattern(config)
    while True:
        sequence.last_value += 1
        number = numbering.format_number(
            pattern,
            country=config["country"],
            tier=numbering.tier_position(config, tier_code),
            tier_code=tier_code,
            seq=sequence.last_value,
            on=decided_on,
        )
        # Two programmes of one country with the same pattern could meet: skip ahead.
        if not Certificate.objects.filter(aeo_number=number).exists():
            break
    sequence.save(update_fields=["last_value"])
    return number


def _status_lists(number: int) -> list[StatusList]:
    """The revocation and suspension lists numbered `number`, created if new, locked."""
    for purpose in StatusPurpose.values:
        StatusList.objects.get_or_create(
            number=number, purpose=purpose, defaults={"size": LIST_SIZE}
        )
    return list(StatusList.objects.select_for_update().filter(number=number).order_by("purpose"))


def _allocate_index() -> tuple[int, int]:
    """A free (list number, index), drawn at random in the newest list that is not full."""
    newest = StatusList.objects.order_by("-number").values_list("number", flat=True).first() or 1
    _status_lists(newest)  # serialises allocations
    if Certificate.objects.filter(status_list=newest).count() >= LIST_FILL_LIMIT:
        newest += 1
        _status_lists(newest)
    taken = Certificate.objects.filter(status_list=newest)
    while True:
        index = secrets.randbelow(LIST_SIZE)
        if not taken.filter(status_index=index).exists():
            return newest, index


def _scope_of(operator) -> dict:
    return {
        "roles": list(operator.roles or []),
        "sites": [
            {"name": site.name, "kind": site.kind, "address": site.address}
            for site in operator.sites.order_by("id")
        ],
    }


def _owners(operator) -> list:
    return [
        membership.user
        for membership in operator.memberships.filter(role=OperatorRole.OWNER).select_related(
            "user"
        )
        if membership.user.is_active
    ]


def certificate_issue(*, decision, actor) -> Certificate:
    """The certificate a grant gives (called by case_decide in its transaction).

    One per decision: calling it again for the same decision returns the first one.
    """
    with transaction.atomic():
        existing = Certificate.objects.filter(decision=decision).first()
        if existing is not None:
            return existing
        if not decision.outcome.startswith("granted"):
            raise ValidationError(_("Only a grant gives a certificate."))
        application = decision.application
        if actor is not None and not case_policy.can_decide(actor, application):
            raise PermissionDenied
        programme, operator = application.programme, application.operator
        tier = programme.tier(decision.tier_code)
        if tier is None:
            raise ValidationError(_("The level granted is not part of the programme."))
        decided_on = timezone.localdate(decision.decided_at)
        effective_on, expires_on = validity_of(programme.config, tier, decided_on)
        try:
            aeo_number = _next_number(programme, decision.tier_code, decided_on)
        except numbering.PatternError as error:
            raise ValidationError(
                _("The programme's AEO number pattern cannot be used: %(error)s") % {"error": error}
            ) from error
        list_number, index = _allocate_index()
        certificate = Certificate.objects.create(
            aeo_number=aeo_number,
            programme=programme,
            holder=operator,
            holder_name=operator.legal_name,
            identifier=operator.identifier,
            country=operator.country,
            tier_code=decision.tier_code,
            tier_name=dict(tier.get("name") or {}),
            scope=_scope_of(operator),
            decision=decision,
            effective_on=effective_on,
            expires_on=expires_on,
            status=CertificateStatus.ACTIVE,
            status_list=list_number,
            status_index=index,
            issued_at=clock.now(),
            issued_by=actor if getattr(actor, "pk", None) else None,
        )
        record_event(
            actor=actor,
            action="certificate.issue",
            obj=certificate,
            acting_for=operator,
            after={
                "aeo_number": aeo_number,
                "decision": decision.pk,
                "tier": decision.tier_code,
                "effective_on": effective_on,
                "expires_on": expires_on,
                "status_list": list_number,
                "status_index": index,
            },
        )
        notify(
            _owners(operator),
            subject=gettext_noop("Your AEO certificate %(number)s"),
            body=gettext_noop(
                "%(business)s holds AEO status from %(date)s. Download the certificate's "
                "credential from OpenAEO to prove it to partners."
            ),
            params={"number": aeo_number, "business": operator.legal_name, "date": effective_on},
            url=reverse("certificates:business", kwargs={"operator_id": operator.pk}),
        )
    return certificate


# --------------------------------------------------------------------------- status lists


def status_lists_refresh(number: int) -> list[StatusList]:
    """Sign the revocation and suspension lists `number` again from the certificates'
    status. Two queries of indexes and two signatures: cheap enough for every change."""
    with transaction.atomic():
        lists = _status_lists(number)
        now = clock.now()
        for status_list in lists:
            indexes = Certificate.objects.filter(
                status_list=number, status__in=BITS[status_list.purpose]
            ).values_list("status_index", flat=True)
            status_list.credential_jwt = credentials.sign(
                credentials.status_list_credential(
                    number, status_list.purpose, status_list.size, indexes, at=now
                )
            )
            status_list.generated_at = now
            status_list.save(update_fields=["credential_jwt", "generated_at"])
    return lists


def status_list_current(number: int, purpose: str) -> StatusList | None:
    """The list as published; signed now if it never was (a list with no change yet)."""
    status_list = StatusList.objects.filter(number=number, purpose=purpose).first()
    if status_list is None:
        return None
    if not status_list.credential_jwt:
        status_lists_refresh(number)
        status_list.refresh_from_db()
    return status_list


# --------------------------------------------------------------------------- status changes

TRANSITIONS = {
    "suspend": ((CertificateStatus.ACTIVE,), CertificateStatus.SUSPENDED),
    "reinstate": ((CertificateStatus.SUSPENDED,), CertificateStatus.ACTIVE),
    "revoke": ((CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED), CertificateStatus.REVOKED),
    "expire": ((CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED), CertificateStatus.EXPIRED),
}

MESSAGES = {
    "suspend": (
        gettext_noop("Your AEO certificate %(number)s is suspended"),
        gettext_noop(
            "Customs has suspended the AEO status of %(business)s. Reason: %(reason)s. "
            "Partners who check the certificate now see it as suspended."
        ),
    ),
    "reinstate": (
        gettext_noop("Your AEO certificate %(number)s is valid again"),
        gettext_noop(
            "Customs has lifted the suspension of the AEO status of %(business)s. "
            "Reason: %(reason)s."
        ),
    ),
    "revoke": (
        gettext_noop("Your AEO certificate %(number)s is revoked"),
        gettext_noop(
            "Customs has revoked the AEO status of %(business)s. Reason: %(reason)s. "
            "You may apply again later."
        ),
    ),
    "expire": (
        gettext_noop("Your AEO certificate %(number)s has expired"),
        gettext_noop(
            "The AEO status of %(business)s has ended. Reason: %(reason)s. "
            "Apply again to keep AEO status."
        ),
    ),
}


def _change(action: str, *, actor, certificate: Certificate, reason: str) -> Certificate:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError(
            {
                "reason": _(
                    "Give the reason in words the business can understand "
                    "(at least %(count)s characters)."
                )
                % {"count": MIN_REASON}
            }
        )
    sources, target = TRANSITIONS[action]
    with transaction.atomic():
        _status_lists(certificate.status_list)  # one change at a time per list
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("holder", "decision__application")
            .get(pk=certificate.pk)
        )
        if actor is not None and not policy.can_change_status(actor, certificate):
            raise PermissionDenied
        if certificate.status not in sources:
            raise ValidationError(
                _("A certificate that is %(status)s cannot be changed that way.")
                % {"status": certificate.get_status_display().lower()}
            )
        before = certificate.status
        certificate.status = target
        certificate.status_reason = reason
        certificate.status_changed_at = clock.now()
        certificate.save(update_fields=["status", "status_reason", "status_changed_at"])
        record_event(
            actor=actor,
            action=f"certificate.{action}",
            obj=certificate,
            acting_for=certificate.holder,
            before={"status": before},
            after={"status": target},
            reason=reason,
        )
        status_lists_refresh(certificate.status_list)
        subject, body = MESSAGES[action]
        notify(
            _owners(certificate.holder),
            subject=subject,
            body=body,
            params={
                "number": certificate.aeo_number,
                "business": certificate.holder_name,
                "reason": reason,
            },
            url=reverse("certificates:business", kwargs={"operator_id": certificate.holder_id}),
        )
    return certificate


def certificate_suspend(*, actor, certificate: Certificate, reason: str) -> Certificate:
    return _change("suspend", actor=actor, certificate=certificate, reason=reason)


def certificate_reinstate(*, actor, certificate: Certificate, reason: str) -> Certificate:
    return _change("reinstate", actor=actor, certificate=certificate, reason=reason)


def certificate_revoke(*, actor, certificate: Certificate, reason: str) -> Certificate:
    return _change("revoke", actor=actor, certificate=certificate, reason=reason)


def certificate_expire(*, actor, certificate: Certificate, reason: str) -> Certificate:
    """End a certificate (actor None: the system, when its validity runs out)."""
    return _change("expire", actor=actor, certificate=certificate, reason=reason)


def certificates_expire_due() -> int:
    """Expire every certificate whose last day of validity has passed (via `tick`)."""
    count = 0
    due = Certificate.objects.filter(
        status__in=TRANSITIONS["expire"][0], expires_on__lt=clock.today()
    ).order_by("id")
    for certificate in due.iterator():
        try:
            certificate_expire(
                actor=None,
                certificate=certificate,
                reason=gettext_noop("The period of validity ended."),
            )
        except ValidationError:
            continue  # changed meanwhile
        count += 1
    return count
