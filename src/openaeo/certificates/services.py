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
    StatusPurpose.REVOCATION: (
        CertificateStatus.REVOKED,
        CertificateStatus.EXPIRED,
        CertificateStatus.SUPERSEDED,
    ),
    StatusPurpose.SUSPENSION: (CertificateStatus.SUSPENDED,),
}


# --------------------------------------------------------------------------- issuance


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier, when negative); the month's last day
    when that month is shorter."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


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


def _validity_replacing(
    replaced: Certificate, tier: dict, decided_on: dt.date, *, renewal: bool
) -> tuple[dt.date, dt.date | None]:
    """Validity of a certificate that replaces another.

    A renewal follows on from the old certificate: it applies from the day after the old
    one's last day (or from the decision, if that is later), for the tier's years, so
    renewing early loses no day and the two never overlap. A reissue after a
    reassessment (another level) applies from the decision (no waiting period: the
    holder already is an AEO) and keeps the old last day, or the tier's period from the
    decision when the old certificate had no end date."""
    years = (tier.get("validity") or {}).get("years")
    if renewal:
        start = decided_on
        if replaced.expires_on is not None:
            start = max(start, replaced.expires_on + dt.timedelta(days=1))
        return start, (_add_years(start, years) - dt.timedelta(days=1)) if years else None
    if not years:
        return decided_on, None
    if replaced.expires_on is not None:
        return decided_on, replaced.expires_on
    return decided_on, _add_years(decided_on, years) - dt.timedelta(days=1)


def certificate_issue(*, decision, actor, replaces: Certificate | None = None) -> Certificate:
    """The certificate a grant gives (called by case_decide in its transaction).

    One per decision: calling it again for the same decision returns the first one.
    With `replaces` (a renewal, or a reassessment that changes the level), the new
    certificate gets a new AEO number and the old one is marked superseded.
    """
    with transaction.atomic():
        existing = Certificate.objects.filter(decision=decision).first()
        if existing is not None:
            return existing
        if not decision.outcome.startswith(("granted", "confirmed")):
            raise ValidationError(_("Only a grant gives a certificate."))
        application = decision.application
        if actor is not None and not case_policy.can_decide(actor, application):
            raise PermissionDenied
        programme, operator = application.programme, application.operator
        tier = programme.tier(decision.tier_code)
        if tier is None:
            raise ValidationError(_("The level granted is not part of the programme."))
        decided_on = timezone.localdate(decision.decided_at)
        if replaces is not None:
            effective_on, expires_on = _validity_replacing(
                replaces, tier, decided_on, renewal=application.kind == "renewal"
            )
        else:
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
            replaces=replaces,
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
                **({"replaces": replaces.aeo_number} if replaces else {}),
            },
        )
        # A renewal granted before the old certificate's end takes over when it ends
        # (certificates_expire_due supersedes it then); otherwise it takes over now.
        if replaces is not None and effective_on <= decided_on:
            certificate_supersede(actor=actor, certificate=replaces, by=certificate)
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
    "supersede": (
        (CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED),
        CertificateStatus.SUPERSEDED,
    ),
}

MESSAGES = {
    "suspend": (
        gettext_noop("Your AEO certificate %(number)s is suspended"),
        gettext_noop(
            "Customs has suspended the AEO status of %(business)s. Reason: %(reason)s. "
            "Partners who check the certificate now see it as suspended. "
            "What to put right, and by when, is on your certificates page."
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
            "You may apply again from %(date)s."
        ),
    ),
    "supersede": (
        gettext_noop("Your AEO certificate %(number)s is replaced"),
        gettext_noop(
            "%(reason)s %(business)s keeps its AEO status under the new certificate: "
            "download its credential from OpenAEO and send it to your partners."
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


def _change(action: str, *, actor, certificate: Certificate, reason: str, **details) -> Certificate:
    """Move the certificate's status; `details` are the fields the action records with
    it (a suspension's remedy, a reinstatement's remedied points; see the callers)."""
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
        if action == "revoke":
            wait = int(certificate.programme.config.get("reapplication_wait_months") or 0)
            details["reapplication_barred_until"] = add_months(clock.today(), wait)
        for field, value in details.items():
            setattr(certificate, field, value)
        certificate.save(update_fields=["status", "status_reason", "status_changed_at", *details])
        record_event(
            actor=actor,
            action=f"certificate.{action}",
            obj=certificate,
            acting_for=certificate.holder,
            before={"status": before},
            after={
                "status": target,
                # What the action recorded (a remedy, a bar), not the fields it cleared.
                **{
                    key: value
                    for key, value in details.items()
                    if value not in (None, "") and not key.endswith("_at")
                },
            },
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
                "date": certificate.remedy_due or certificate.reapplication_barred_until or "",
                "remedy": certificate.remedy_required,
            },
            url=reverse("certificates:business", kwargs={"operator_id": certificate.holder_id}),
        )
    return certificate


def certificate_suspend(
    *,
    actor,
    certificate: Certificate,
    reason: str,
    remedy_due: dt.date | None = None,
    remedy_required: str = "",
) -> Certificate:
    """Suspend; with a remedy deadline, the holder is reminded a week before it and the
    office is told when it passes without reinstatement (`certificates_remedy_deadlines`)."""
    remedy_required = (remedy_required or "").strip()
    if remedy_due is not None and remedy_due <= clock.today():
        raise ValidationError({"remedy_due": _("The date to remedy by must be in the future.")})
    if remedy_due is not None and not remedy_required:
        raise ValidationError(
            {"remedy_required": _("Say what the business must put right by that date.")}
        )
    return _change(
        "suspend",
        actor=actor,
        certificate=certificate,
        reason=reason,
        remedy_due=remedy_due,
        remedy_required=remedy_required,
        remedied="",
        remedy_reminded_at=None,
        remedy_overdue_told_at=None,
    )


def certificate_reinstate(
    *, actor, certificate: Certificate, reason: str, remedied: str = ""
) -> Certificate:
    """Lift a suspension, recording what the holder remedied."""
    return _change(
        "reinstate",
        actor=actor,
        certificate=certificate,
        reason=reason,
        remedied=(remedied or "").strip(),
    )


def certificate_revoke(*, actor, certificate: Certificate, reason: str) -> Certificate:
    """Revoke; the holder may not apply again for the programme before the revocation
    date plus the programme's `reapplication_wait_months` (`reapplication_barred_until`)."""
    return _change("revoke", actor=actor, certificate=certificate, reason=reason)


def certificate_expire(*, actor, certificate: Certificate, reason: str) -> Certificate:
    """End a certificate (actor None: the system, when its validity runs out)."""
    return _change("expire", actor=actor, certificate=certificate, reason=reason)


def certificates_expire_due() -> int:
    """Expire every certificate whose last day of validity has passed (via `tick`); one
    that was renewed is superseded by its renewal instead."""
    count = 0
    due = (
        Certificate.objects.filter(
            status__in=TRANSITIONS["expire"][0], expires_on__lt=clock.today()
        )
        .select_related("replaced_by")
        .order_by("id")
    )
    for certificate in due.iterator():
        replacement = getattr(certificate, "replaced_by", None)
        try:
            if replacement is not None:  # renewed: the new certificate takes over
                certificate_supersede(actor=None, certificate=certificate, by=replacement)
            else:
                certificate_expire(
                    actor=None,
                    certificate=certificate,
                    reason=gettext_noop("The period of validity ended."),
                )
        except ValidationError:
            continue  # changed meanwhile
        count += 1
    return count


# --------------------------------------------------------------------------- lifecycle


def certificate_supersede(*, actor, certificate: Certificate, by: Certificate) -> Certificate:
    """Mark `certificate` as replaced by `by` (a renewal that takes over, or a reissue
    at another level). Not a sanction: the holder keeps AEO status under the new
    number. The old number then verifies as "expired" and the old credential's
    revocation bit is set, so only the new credential proves status. A certificate
    that has already expired stays expired (`by.replaces` still links the two)."""
    if certificate.status == CertificateStatus.EXPIRED:
        return certificate
    return _change(
        "supersede",
        actor=actor,
        certificate=certificate,
        reason=gettext_noop("Replaced by certificate %(number)s.") % {"number": by.aeo_number},
    )


def certificate_confirm(*, actor, certificate: Certificate, decision) -> Certificate:
    """A reassessment confirmed the certificate at its level: it continues as it is
    (a suspended one is reinstated, with the decision's reasons as what was remedied)."""
    if certificate.status == CertificateStatus.SUSPENDED:
        return certificate_reinstate(
            actor=actor,
            certificate=certificate,
            reason=decision.reasons,
            remedied=decision.reasons,
        )
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update(of=("self",)).get(pk=certificate.pk)
        if actor is not None and not policy.can_change_status(actor, certificate):
            raise PermissionDenied
        record_event(
            actor=actor,
            action="certificate.confirm",
            obj=certificate,
            acting_for=certificate.holder,
            after={"decision": decision.pk, "conditions": decision.conditions or None},
            reason=decision.reasons,
        )
    return certificate


def renewal_rule(certificate: Certificate) -> str | None:
    """ "reassessment" or "reapplication" when the certificate's level has an end date
    and is renewed that way; None otherwise."""
    tier = certificate.programme.tier(certificate.tier_code) or {}
    validity = tier.get("validity") or {}
    if not validity.get("years") or certificate.expires_on is None:
        return None
    return validity.get("renewal") if validity.get("renewal") != "none" else None


DEFAULT_RENEWAL_NOTICE_MONTHS = 6


def renewal_opens_on(certificate: Certificate) -> dt.date | None:
    """From when the holder may renew: `renewal_notice_months` (default 6) before expiry."""
    if renewal_rule(certificate) is None:
        return None
    months = certificate.programme.config.get(
        "renewal_notice_months", DEFAULT_RENEWAL_NOTICE_MONTHS
    )
    return add_months(certificate.expires_on, -int(months))


def renewal_open(certificate: Certificate, today: dt.date | None = None) -> bool:
    opens_on = renewal_opens_on(certificate)
    today = today or clock.today()
    return (
        opens_on is not None
        and certificate.status in (CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED)
        and opens_on <= today <= certificate.expires_on
    )


def _business_url(certificate: Certificate) -> str:
    return reverse("certificates:business", kwargs={"operator_id": certificate.holder_id})


def _stamp_once(pk: int, marker: str, *, related=("holder",)) -> Certificate | None:
    """Lock the certificate and set its `marker` time to now, unless a run of `tick` did it
    already (then None): each periodic notice goes out once. Call inside a transaction."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .filter(pk=pk, **{f"{marker}__isnull": True})
        .select_related(*related)
        .first()
    )
    if certificate is not None:
        setattr(certificate, marker, clock.now())
        certificate.save(update_fields=[marker])
    return certificate


def certificates_renewal_notices() -> int:
    """Tell holders once that their renewal window opened (via `tick`); returns how many."""
    count = 0
    candidates = (
        Certificate.objects.filter(
            status=CertificateStatus.ACTIVE,
            expires_on__gte=clock.today(),
            renewal_notice_at__isnull=True,
        )
        .select_related("programme", "holder")
        .order_by("id")
    )
    for candidate in candidates.iterator():
        if not renewal_open(candidate):
            continue
        with transaction.atomic():
            certificate = _stamp_once(candidate.pk, "renewal_notice_at")
            if certificate is None:
                continue
            record_event(
                actor=None,
                action="certificate.renewal_notice",
                obj=certificate,
                acting_for=certificate.holder,
                after={"expires_on": certificate.expires_on, "renewal": renewal_rule(candidate)},
            )
            notify(
                _owners(certificate.holder),
                subject=gettext_noop("Renew your AEO certificate %(number)s"),
                body=gettext_noop(
                    "The AEO certificate of %(business)s is valid until %(date)s. Start the "
                    "renewal now from your certificates page, so that there is no gap."
                ),
                params={
                    "number": certificate.aeo_number,
                    "business": certificate.holder_name,
                    "date": certificate.expires_on,
                },
                url=_business_url(certificate),
            )
            count += 1
    return count


REMEDY_REMINDER_DAYS = 7


def certificates_remedy_deadlines() -> int:
    """For suspended certificates with a remedy deadline (via `tick`): remind the holder a
    week before it, once; tell the office's supervisors once when it has passed without
    reinstatement. Returns how many notices went out."""
    from openaeo.accounts.roles import StaffRole
    from openaeo.cases.workflow import office_people

    today = clock.today()
    count = 0
    suspended = Certificate.objects.filter(
        status=CertificateStatus.SUSPENDED, remedy_due__isnull=False
    )
    reminders = suspended.filter(
        remedy_reminded_at__isnull=True,
        remedy_due__gte=today,
        remedy_due__lte=today + dt.timedelta(days=REMEDY_REMINDER_DAYS),
    )
    for candidate in reminders.order_by("id").iterator():
        with transaction.atomic():
            certificate = _stamp_once(candidate.pk, "remedy_reminded_at")
            if certificate is None:
                continue
            record_event(
                actor=None,
                action="certificate.remedy_reminder",
                obj=certificate,
                acting_for=certificate.holder,
                after={"remedy_due": certificate.remedy_due},
            )
            notify(
                _owners(certificate.holder),
                subject=gettext_noop("AEO certificate %(number)s: remedy by %(date)s"),
                body=gettext_noop(
                    "The suspension of the AEO status of %(business)s ends only when Customs "
                    "sees this put right by %(date)s: %(remedy)s"
                ),
                params={
                    "number": certificate.aeo_number,
                    "business": certificate.holder_name,
                    "date": certificate.remedy_due,
                    "remedy": certificate.remedy_required,
                },
                url=_business_url(certificate),
            )
            count += 1
    overdue = suspended.filter(remedy_overdue_told_at__isnull=True, remedy_due__lt=today)
    for candidate in overdue.order_by("id").iterator():
        with transaction.atomic():
            certificate = _stamp_once(
                candidate.pk,
                "remedy_overdue_told_at",
                related=("holder", "decision__application__office"),
            )
            if certificate is None:
                continue
            record_event(
                actor=None,
                action="certificate.remedy_overdue",
                obj=certificate,
                acting_for=certificate.holder,
                after={"remedy_due": certificate.remedy_due},
            )
            notify(
                office_people(certificate.decision.application, StaffRole.SUPERVISOR),
                subject=gettext_noop("Remedy deadline passed: AEO certificate %(number)s"),
                body=gettext_noop(
                    "%(business)s had until %(date)s to put right: %(remedy)s. The certificate "
                    "is still suspended. Reinstate it, revoke it or open a reassessment."
                ),
                params={
                    "number": certificate.aeo_number,
                    "business": certificate.holder_name,
                    "date": certificate.remedy_due,
                    "remedy": certificate.remedy_required,
                },
                url=reverse("certificates:detail", kwargs={"certificate_id": certificate.pk}),
            )
            count += 1
    return count
