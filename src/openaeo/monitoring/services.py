"""Writing monitoring records. Every change is checked, audited and told to whoever acts next.

None of these services changes a certificate's status: an officer's review records an
outcome, and a supervisor acts on it with the lifecycle services of openaeo.certificates.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from openaeo.accounts.roles import OperatorRole, StaffRole
from openaeo.certificates.models import Certificate, CertificateStatus
from openaeo.common import clock
from openaeo.common.audit import record_event
from openaeo.monitoring import policy, prefill, windows
from openaeo.monitoring.models import (
    ChangeNotice,
    IncidentReport,
    ReviewDecision,
    ReviewOutcome,
    SelfReview,
    SelfReviewStatus,
)
from openaeo.notifications.services import notify

# The fixed questions of every self-review, besides the requirements: what changed in the
# year that Customs must know about. A "yes" needs details.
FIXED_QUESTIONS = ("owners", "sites", "roles", "incidents")
ANSWERS = ("still_true", "changed")
MIN_NOTE = 10
# Certificates whose holder still reports to Customs (a suspended one too: it may come back).
OPEN_TO_REPORTS = (CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED)


# --------------------------------------------------------------------------- configuration


def monitoring_config(programme) -> dict:
    """The programme's `monitoring` settings with their defaults."""
    config = dict((programme.config or {}).get("monitoring") or {})
    config.setdefault("default_review_window", windows.DEFAULT_WINDOW)
    config.setdefault("last_reminder_days_before_end", windows.DEFAULT_LAST_REMINDER_DAYS)
    return config


def review_window_spec(certificate: Certificate) -> str | None:
    """The certificate's review window ("MM-DD/MM-DD"), or None if its level has no
    annual self-review."""
    tier = certificate.programme.tier(certificate.tier_code) or {}
    validity = tier.get("validity") or {}
    if not validity.get("annual_self_review"):
        return None
    return (
        validity.get("review_window")
        or monitoring_config(certificate.programme)["default_review_window"]
    )


# --------------------------------------------------------------------------- people to tell


def _owners(certificate: Certificate) -> list:
    return [
        membership.user
        for membership in certificate.holder.memberships.filter(
            role=OperatorRole.OWNER
        ).select_related("user")
        if membership.user.is_active
    ]


def _office_supervisors(certificate: Certificate) -> list:
    from openaeo.cases.workflow import office_people

    return office_people(certificate.decision.application, StaffRole.SUPERVISOR)


def _holder_url(certificate: Certificate) -> str:
    return reverse("monitoring:holder", kwargs={"certificate_id": certificate.pk})


def _english(label_getter) -> str:
    from openaeo.cases.workflow import english

    return english(label_getter)


# --------------------------------------------------------------------------- annual self-review


def self_review_open(certificate: Certificate, window: windows.Window) -> tuple[SelfReview, bool]:
    """Open the certificate's review for the window's year, once: a second call (another
    tick, another host) returns the existing review."""
    existing = SelfReview.objects.filter(certificate=certificate, year=window.year).first()
    if existing is not None:
        return existing, False
    items = prefill.starting_items(certificate)
    try:
        with transaction.atomic():
            review = SelfReview.objects.create(
                certificate=certificate,
                year=window.year,
                window_opens=window.opens,
                window_closes=window.closes,
                items=items,
                questions={key: {"answer": "", "details": ""} for key in FIXED_QUESTIONS},
                opened_at=clock.now(),
            )
            record_event(
                actor=None,
                action="monitoring.self_review.open",
                obj=review,
                acting_for=certificate.holder,
                after={
                    "certificate": certificate.aeo_number,
                    "year": window.year,
                    "window": [window.opens, window.closes],
                    "requirements": len(items),
                },
            )
    except IntegrityError:
        return SelfReview.objects.get(certificate=certificate, year=window.year), False
    return review, True


REMINDERS = {
    "start": (
        gettext_noop("Your annual AEO self-review is open (%(number)s)"),
        gettext_noop(
            "Customs asks %(business)s to confirm, once a year, that what it declared for "
            "its AEO certificate %(number)s is still true. Fill in the review by %(due)s: it "
            "starts from your last answers, so you only change what changed."
        ),
    ),
    "middle": (
        gettext_noop("Reminder: your annual AEO self-review is due by %(due)s"),
        gettext_noop(
            "The annual self-review of certificate %(number)s of %(business)s is not "
            "submitted yet. It is due by %(due)s."
        ),
    ),
    "last_week": (
        gettext_noop("One week left: your annual AEO self-review is due by %(due)s"),
        gettext_noop(
            "The annual self-review of certificate %(number)s of %(business)s is due by "
            "%(due)s. A missed review is reported to Customs."
        ),
    ),
}


def self_review_remind(review: SelfReview, today: dt.date) -> str | None:
    """Send the reminder due today, if any; each reminder goes out at most once."""
    certificate = review.certificate
    last_days = monitoring_config(certificate.programme)["last_reminder_days_before_end"]
    window = windows.Window(review.year, review.window_opens, review.window_closes)
    with transaction.atomic():
        review = SelfReview.objects.select_for_update().get(pk=review.pk)
        if review.status != SelfReviewStatus.OPEN:
            return None
        name = windows.due_reminder(window, last_days, today, review.reminders_sent)
        if name is None:
            return None
        # Reminders whose day has passed unsent (tick did not run) are skipped, not sent late.
        dates = windows.reminder_dates(window, last_days)
        review.reminders_sent = [key for key, when in dates.items() if when <= today]
        review.save(update_fields=["reminders_sent"])
        record_event(
            actor=None,
            action="monitoring.self_review.remind",
            obj=review,
            acting_for=certificate.holder,
            after={"reminder": name},
        )
        subject, body = REMINDERS[name]
        notify(
            _owners(certificate),
            subject=subject,
            body=body,
            params={
                "number": certificate.aeo_number,
                "business": certificate.holder_name,
                "due": review.window_closes,
            },
            url=reverse("monitoring:self_review", kwargs={"certificate_id": certificate.pk}),
        )
    return name


def self_review_mark_overdue(review: SelfReview) -> bool:
    with transaction.atomic():
        review = (
            SelfReview.objects.select_for_update()
            .select_related("certificate__decision__application")
            .get(pk=review.pk)
        )
        if review.status != SelfReviewStatus.OPEN:
            return False
        review.status = SelfReviewStatus.OVERDUE
        review.overdue_at = clock.now()
        review.save(update_fields=["status", "overdue_at"])
        certificate = review.certificate
        record_event(
            actor=None,
            action="monitoring.self_review.overdue",
            obj=review,
            acting_for=certificate.holder,
            before={"status": SelfReviewStatus.OPEN},
            after={"status": SelfReviewStatus.OVERDUE},
        )
        params = {
            "number": certificate.aeo_number,
            "business": certificate.holder_name,
            "due": review.window_closes,
        }
        notify(
            _office_supervisors(certificate),
            subject=gettext_noop("Annual self-review missed: %(number)s"),
            body=gettext_noop(
                "%(business)s did not submit the annual self-review of certificate "
                "%(number)s, due by %(due)s."
            ),
            params=params,
            url=reverse("monitoring:self_review_detail", kwargs={"review_id": review.pk}),
        )
        notify(
            _owners(certificate),
            subject=gettext_noop("Your annual AEO self-review is overdue (%(number)s)"),
            body=gettext_noop(
                "The annual self-review of certificate %(number)s was due by %(due)s. Customs "
                "has been told. Please submit it now."
            ),
            params=params,
            url=reverse("monitoring:self_review", kwargs={"certificate_id": certificate.pk}),
        )
    return True


def self_reviews_run(today: dt.date | None = None) -> dict[str, int]:
    """The periodic work: open due reviews, send due reminders, mark missed ones overdue.

    Safe to run any number of times a day: each step checks what was done already.
    A review is due in a year's window for an active certificate in effect when the
    window opens (a business granted during the window has just been assessed).
    """
    today = today or clock.today()
    counts = {"opened": 0, "reminded": 0, "overdue": 0}
    certificates = Certificate.objects.filter(status=CertificateStatus.ACTIVE).select_related(
        "programme", "holder", "decision"
    )
    for certificate in certificates.iterator(chunk_size=500):
        spec = review_window_spec(certificate)
        if spec is None:
            continue
        window = windows.window_around(spec, today)
        if window is None or certificate.effective_on > window.opens:
            continue
        _review, created = self_review_open(certificate, window)
        counts["opened"] += int(created)
    # A revoked or expired certificate's open review is left alone: nothing more is asked.
    open_reviews = SelfReview.objects.filter(
        status=SelfReviewStatus.OPEN, certificate__status__in=OPEN_TO_REPORTS
    ).select_related("certificate__programme", "certificate__holder")
    for review in open_reviews.filter(window_closes__lt=today):
        counts["overdue"] += int(self_review_mark_overdue(review))
    for review in open_reviews.filter(window_opens__lte=today, window_closes__gte=today):
        counts["reminded"] += int(self_review_remind(review, today) is not None)
    return counts


def _merge(review: SelfReview, data: dict) -> None:
    """Put what was posted into the review; what was not posted stays as it was."""
    for index, (answer, explanation) in (data.get("items") or {}).items():
        if 0 <= index < len(review.items):
            item = review.items[index]
            item["answer"] = answer if answer in ANSWERS else ""
            item["explanation"] = (explanation or "").strip()
    for key, (answer, details) in (data.get("questions") or {}).items():
        if key in FIXED_QUESTIONS:
            review.questions[key] = {
                "answer": answer if answer in ("yes", "no") else "",
                "details": (details or "").strip(),
            }


def self_review_problems(review: SelfReview) -> dict[str, str]:
    """What stops submission, keyed by the form field to point at."""
    problems = {}
    for index, item in enumerate(review.items):
        if not item.get("answer"):
            problems[f"item-{index}"] = _("Say whether this is still true or has changed.")
        elif item["answer"] == "changed" and not item.get("explanation"):
            problems[f"item-{index}-explanation"] = _("Explain what changed.")
    for key in FIXED_QUESTIONS:
        answer = review.questions.get(key, {})
        if not answer.get("answer"):
            problems[f"question-{key}"] = _("Answer yes or no.")
        elif answer["answer"] == "yes" and not answer.get("details"):
            problems[f"question-{key}-details"] = _("Tell us what happened.")
    return problems


def self_review_save(*, actor, review: SelfReview, data: dict, submit: bool = False) -> SelfReview:
    """Save the holder's answers (a draft), and with `submit` send the review to Customs.

    Every save is kept, complete or not, so nothing is lost. Submitting a review that was
    already submitted does nothing (a double click); an incomplete review is saved and
    refused with a ValidationError naming each missing answer.
    """
    if not policy.can_write_as_holder(actor, review.certificate):
        raise PermissionDenied
    with transaction.atomic():
        review = SelfReview.objects.select_for_update().get(pk=review.pk)
        if not review.editable:
            if submit and review.submitted_at is not None:
                return review
            raise ValidationError(_("This review was already submitted; it can no longer change."))
        if review.certificate.status not in OPEN_TO_REPORTS:
            raise ValidationError(_("This certificate is no longer in force."))
        before = review.status
        _merge(review, data)
        review.updated_at = clock.now()
        review.updated_by = actor
        problems = self_review_problems(review) if submit else {}
        if submit and not problems:
            review.status = SelfReviewStatus.SUBMITTED
            review.submitted_at = review.updated_at
            review.submitted_by = actor
        review.save()
        record_event(
            actor=actor,
            action="monitoring.self_review.submit"
            if review.status == SelfReviewStatus.SUBMITTED
            else "monitoring.self_review.save",
            obj=review,
            acting_for=review.certificate.holder,
            before={"status": before},
            after={
                "status": review.status,
                "answered": sum(1 for item in review.items if item.get("answer")),
                "changed": [
                    item["requirement"] for item in review.items if item.get("answer") == "changed"
                ],
                "questions": review.questions,
            },
        )
    if problems:
        raise ValidationError(problems)
    return review


# --------------------------------------------------------------------------- officer reviews


def _check_review_input(decision: str, outcome: str, note: str) -> None:
    errors = {}
    if decision not in ReviewDecision.values:
        errors["review_decision"] = _("Choose accepted or follow-up needed.")
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = _("Choose an outcome.")
    needs_note = decision == ReviewDecision.FOLLOW_UP or outcome not in (
        "",
        ReviewOutcome.NO_ACTION,
    )
    if needs_note and len((note or "").strip()) < MIN_NOTE:
        errors["review_note"] = _(
            "Write at least %(count)d characters: the business reads why (and what to do)."
        ) % {"count": MIN_NOTE}
    if errors:
        raise ValidationError(errors)


def _review(*, actor, model, pk: int, decision: str, outcome: str, note: str, what: str):
    """Record an officer's review of one record (self-review, notice, incident) once."""
    _check_review_input(decision, outcome, note)
    note = (note or "").strip()
    with transaction.atomic():
        record = (
            model.objects.select_for_update()
            .select_related("certificate__decision__application", "certificate__holder")
            .get(pk=pk)
        )
        certificate = record.certificate
        if not policy.can_review(actor, certificate):
            raise PermissionDenied
        if record.is_reviewed:
            if (record.review_decision, record.outcome, record.review_note) == (
                decision,
                outcome,
                note,
            ):
                return record  # the same review sent twice
            raise ValidationError(_("This was already reviewed; the review cannot change."))
        if isinstance(record, SelfReview) and record.status != SelfReviewStatus.SUBMITTED:
            raise ValidationError(_("The business has not submitted this review yet."))
        record.review_decision, record.outcome, record.review_note = decision, outcome, note
        record.reviewed_by, record.reviewed_at = actor, clock.now()
        fields = ["review_decision", "outcome", "review_note", "reviewed_by", "reviewed_at"]
        if isinstance(record, SelfReview):
            record.status = SelfReviewStatus.REVIEWED
            fields.append("status")
        record.save(update_fields=fields)
        record_event(
            actor=actor,
            action=f"monitoring.{what}.review",
            obj=record,
            acting_for=certificate.holder,
            after={"decision": decision, "outcome": outcome},
            reason=note,
        )
        params = {
            "number": certificate.aeo_number,
            "business": certificate.holder_name,
            "what": _english(lambda: WHAT[what]),
            "decision": _english(record.get_review_decision_display),
            "outcome": _english(record.get_outcome_display),
            "note": note,
        }
        notify(
            _owners(certificate),
            subject=gettext_noop("Customs has reviewed your %(what)s (%(number)s)"),
            body=gettext_noop("Review: %(decision)s.\n\n%(note)s"),
            params=params,
            url=_holder_url(certificate),
        )
        if outcome != ReviewOutcome.NO_ACTION:
            notify(
                _office_supervisors(certificate),
                subject=gettext_noop("%(outcome)s: %(business)s (%(number)s)"),
                body=gettext_noop(
                    "An officer reviewed the %(what)s of %(business)s and recorded the outcome "
                    "%(outcome)s.\n\n%(note)s"
                ),
                params=params,
                url=reverse(f"monitoring:{DETAIL_ROUTES[what]}", args=[record.pk]),
            )
    return record


WHAT = {
    "self_review": gettext_noop("annual self-review"),
    "change": gettext_noop("change notice"),
    "incident": gettext_noop("incident report"),
}
DETAIL_ROUTES = {
    "self_review": "self_review_detail",
    "change": "change_detail",
    "incident": "incident_detail",
}


def self_review_review(*, actor, review: SelfReview, decision, outcome, note) -> SelfReview:
    return _review(
        actor=actor,
        model=SelfReview,
        pk=review.pk,
        decision=decision,
        outcome=outcome,
        note=note,
        what="self_review",
    )


def change_notice_review(*, actor, notice: ChangeNotice, decision, outcome, note) -> ChangeNotice:
    return _review(
        actor=actor,
        model=ChangeNotice,
        pk=notice.pk,
        decision=decision,
        outcome=outcome,
        note=note,
        what="change",
    )


def incident_review(*, actor, incident: IncidentReport, decision, outcome, note):
    return _review(
        actor=actor,
        model=IncidentReport,
        pk=incident.pk,
        decision=decision,
        outcome=outcome,
        note=note,
        what="incident",
    )


# --------------------------------------------------------------------------- change notices


def _receive_files(actor, certificate, files, purpose: str) -> list:
    from openaeo.evidence.models import EvidenceStatus
    from openaeo.evidence.services import evidence_upload

    received = []
    for uploaded in files or []:
        evidence = evidence_upload(
            actor=actor, operator=certificate.holder, uploaded_file=uploaded, purpose=purpose
        )
        if evidence.status == EvidenceStatus.INFECTED:
            raise ValidationError(
                {
                    "files": _("%(name)s contains a virus; it was not kept.")
                    % {"name": uploaded.name}
                }
            )
        received.append(evidence)
    return received


def change_notice_submit(
    *, actor, certificate: Certificate, kind, description, effective_on, files=(), key
) -> ChangeNotice:
    """The holder notifies a change. The same form sent twice (same key) gives one notice."""
    if not policy.can_write_as_holder(actor, certificate):
        raise PermissionDenied
    existing = ChangeNotice.objects.filter(submission_key=key).first()
    if existing is not None:
        if existing.certificate_id != certificate.pk:
            raise PermissionDenied
        return existing
    if certificate.status not in OPEN_TO_REPORTS:
        raise ValidationError(_("This certificate is no longer in force."))
    evidence = _receive_files(actor, certificate, files, purpose="change-notice")
    try:
        with transaction.atomic():
            notice = ChangeNotice.objects.create(
                certificate=certificate,
                kind=kind,
                description=description.strip(),
                effective_on=effective_on,
                submitted_by=actor,
                submitted_at=clock.now(),
                submission_key=key,
            )
            notice.evidence.set(evidence)
            record_event(
                actor=actor,
                action="monitoring.change.submit",
                obj=notice,
                acting_for=certificate.holder,
                after={
                    "kind": kind,
                    "effective_on": effective_on,
                    "description": notice.description,
                    "evidence": [file.pk for file in evidence],
                },
            )
            notify(
                _office_supervisors(certificate),
                subject=gettext_noop("Change notified by %(business)s (%(number)s)"),
                body=gettext_noop("%(business)s notified a change: %(kind)s, from %(date)s."),
                params={
                    "business": certificate.holder_name,
                    "number": certificate.aeo_number,
                    "kind": _english(notice.get_kind_display),
                    "date": effective_on,
                },
                url=reverse("monitoring:change_detail", args=[notice.pk]),
            )
    except IntegrityError:
        # Two requests with the same key at once: the other one made the notice.
        return ChangeNotice.objects.get(submission_key=key)
    return notice


# --------------------------------------------------------------------------- incidents


def incident_report(
    *,
    actor,
    certificate: Certificate,
    kind,
    occurred_on,
    place,
    description,
    actions_taken,
    key,
) -> IncidentReport:
    """The holder, or a reviewing officer on its behalf, reports a security incident."""
    by_customs = policy.can_review(actor, certificate)
    if not (by_customs or policy.can_write_as_holder(actor, certificate)):
        raise PermissionDenied
    existing = IncidentReport.objects.filter(submission_key=key).first()
    if existing is not None:
        if existing.certificate_id != certificate.pk:
            raise PermissionDenied
        return existing
    if certificate.status not in OPEN_TO_REPORTS:
        raise ValidationError(_("This certificate is no longer in force."))
    if occurred_on > clock.today():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    try:
        with transaction.atomic():
            incident = IncidentReport.objects.create(
                certificate=certificate,
                kind=kind,
                occurred_on=occurred_on,
                place=place.strip(),
                description=description.strip(),
                actions_taken=actions_taken.strip(),
                reported_by=actor,
                reported_by_customs=by_customs,
                reported_at=clock.now(),
                submission_key=key,
            )
            record_event(
                actor=actor,
                action="monitoring.incident.report",
                obj=incident,
                acting_for=certificate.holder,
                after={
                    "kind": kind,
                    "occurred_on": occurred_on,
                    "place": incident.place,
                    "by_customs": by_customs,
                },
            )
            params = {
                "business": certificate.holder_name,
                "number": certificate.aeo_number,
                "kind": _english(incident.get_kind_display),
                "date": occurred_on,
            }
            notify(
                _office_supervisors(certificate),
                subject=gettext_noop("Security incident at %(business)s (%(number)s)"),
                body=gettext_noop("%(kind)s on %(date)s, reported in OpenAEO."),
                params=params,
                url=reverse("monitoring:incident_detail", args=[incident.pk]),
            )
            if by_customs:
                notify(
                    _owners(certificate),
                    subject=gettext_noop("Customs recorded a security incident (%(number)s)"),
                    body=gettext_noop(
                        "Customs recorded an incident for %(business)s: %(kind)s on %(date)s."
                    ),
                    params=params,
                    url=_holder_url(certificate),
                )
    except IntegrityError:
        return IncidentReport.objects.get(submission_key=key)
    return incident
