"""Information requests and their threads, internal notes, and compliance-history entries.

A request Customs sends during the review stops the decision clock (where the
programme says so) until the applicant replies; the reply restarts it and the
deadline moves by the days it stood still. A reply to a "missing items" request
puts a returned application back in the completeness queue with a new period.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from openaeo.cases import policy, workflow
from openaeo.cases.models import (
    Application,
    CaseMessage,
    CaseNote,
    CaseStatus,
    ComplianceRecord,
    InformationRequest,
)
from openaeo.common import clock
from openaeo.common.audit import record_event
from openaeo.operators import policy as operator_policy

MAX_ATTACHMENTS = 5


def message_purpose(message: CaseMessage) -> str:
    return f"case-message:{message.pk}"


def can_correspond(user, operator) -> bool:
    """Owners and editors, and representatives whose mandate includes correspondence."""
    from openaeo.accounts.roles import MandateScope, OperatorRole

    if operator_policy.membership_role(user, operator) in (OperatorRole.OWNER, OperatorRole.EDITOR):
        return True
    return MandateScope.CORRESPOND in operator_policy.mandate_scopes(user, operator)


# A second press of "send" within this time, with the same text, sends nothing more.
DOUBLE_CLICK = dt.timedelta(minutes=2)


def _just_sent(request: InformationRequest, author, body: str):
    return (
        request.messages.filter(author=author, body=body, sent_at__gte=clock.now() - DOUBLE_CLICK)
        .order_by("-sent_at")
        .first()
    )


def waiting_requests(application: Application):
    """Requests that still hold the decision clock: asked, unanswered, not closed."""
    return application.information_requests.filter(
        stops_clock=True, answered_at__isnull=True, closed_at__isnull=True
    )


def close_waiting_requests(application: Application) -> int:
    """At the decision or a withdrawal: requests still waiting no longer hold the clock."""
    return application.information_requests.filter(
        answered_at__isnull=True, closed_at__isnull=True
    ).update(closed_at=clock.now())


def open_request(
    application: Application,
    *,
    actor,
    kind: str,
    subject: str,
    body: str,
    items: list[str] | None = None,
    stops_clock: bool,
    reply_due: dt.date | None = None,
) -> InformationRequest:
    """Create the thread and its first message (inside the caller's transaction)."""
    now = clock.now()
    request = InformationRequest.objects.create(
        application=application,
        kind=kind,
        subject=subject[:200],
        items=items or [],
        stops_clock=stops_clock,
        asked_by=actor,
        asked_at=now,
        reply_due=reply_due,
    )
    CaseMessage.objects.create(
        request=request, author=actor, from_customs=True, body=body, sent_at=now
    )
    return request


UNSENT = "case-message:unsent"


def receive_attachments(actor, application: Application, files) -> list:
    """Check and store each file before the message is written, outside its transaction.

    A refused file keeps its record and audit event, as every refused upload does, and
    stops the message (nothing is sent). Files received before it stay in the business's
    documents, marked as not sent.
    """
    from openaeo.evidence import services as evidence_services
    from openaeo.evidence.models import EvidenceStatus

    files = [upload for upload in (files or []) if upload]
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "files": _("Attach at most %(count)s files to one message.")
                % {"count": MAX_ATTACHMENTS}
            }
        )
    stored = []
    for upload in files:
        evidence = evidence_services.evidence_receive(
            actor=actor, operator=application.operator, uploaded_file=upload, purpose=UNSENT
        )
        if evidence.status in (EvidenceStatus.INFECTED, EvidenceStatus.SCAN_FAILED):
            raise ValidationError(
                {
                    "files": _(
                        "%(name)s was refused by the virus check; nothing was sent. Remove it "
                        "and send the message again."
                    )
                    % {"name": evidence.original_name}
                }
            )
        stored.append(evidence)
    return stored


def _link(message: CaseMessage, attachments: list) -> None:
    from openaeo.evidence.models import EvidenceFile

    EvidenceFile.objects.filter(pk__in=[evidence.pk for evidence in attachments]).update(
        purpose=message_purpose(message)
    )


def case_ask(
    *,
    actor,
    application: Application,
    seen_version: int | None,
    subject: str,
    body: str,
    reply_due: dt.date | None = None,
    files=None,
) -> InformationRequest:
    """An officer asks the applicant for information during the review."""
    subject, body = (subject or "").strip(), (body or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Give the request a short subject.")
    if not body:
        errors["body"] = _("Write what you need from the applicant, in plain words.")
    if reply_due is not None and reply_due < clock.today():
        errors["reply_due"] = _("The reply date is in the past.")
    if errors:
        raise ValidationError(errors)
    if not policy.can_work_on(actor, application):
        raise PermissionDenied
    attachments = receive_attachments(actor, application, files)
    with transaction.atomic():
        application = workflow.locked(application, seen_version)
        if application.status not in (
            CaseStatus.RISK_REVIEW,
            CaseStatus.DESK_REVIEW,
            CaseStatus.VALIDATION,
            CaseStatus.RECOMMENDED,
        ):
            raise ValidationError(_("Information can be requested while the case is under review."))
        stops = workflow.stop_clock(application)
        request = open_request(
            application,
            actor=actor,
            kind=InformationRequest.Kind.QUESTION,
            subject=subject,
            body=body,
            stops_clock=stops,
            reply_due=reply_due,
        )
        _link(request.messages.get(), attachments)
        workflow.save_change(
            application,
            actor=actor,
            action="case.information_request",
            after={"request": request.pk, "subject": subject, "clock_stopped": stops},
            fields=workflow.CLOCK_FIELDS,
        )
        workflow.tell_applicant(
            application,
            gettext_noop("Customs asks for information on %(reference)s"),
            gettext_noop(
                "%(subject)s. Reply in OpenAEO. The deadline for the decision stands still "
                "until you reply."
            )
            if stops
            else gettext_noop("%(subject)s. Reply in OpenAEO."),
            subject=subject,
        )
    return request


def case_reply(*, actor, request: InformationRequest, body: str, files=None) -> CaseMessage:
    """The applicant answers a request, with attachments. Restarts a stopped clock."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write your answer, even a short one.")})
    if not can_correspond(actor, request.application.operator):
        raise PermissionDenied
    if not files and (repeated := _just_sent(request, actor, body)):
        return repeated
    attachments = receive_attachments(actor, request.application, files)
    with transaction.atomic():
        application = workflow.locked(request.application, None)
        request = InformationRequest.objects.select_for_update().get(pk=request.pk)
        if application.status in (CaseStatus.WITHDRAWN, CaseStatus.CLOSED):
            raise ValidationError(_("This application is closed: messages can no longer be sent."))
        message = CaseMessage.objects.create(
            request=request, author=actor, from_customs=False, body=body, sent_at=clock.now()
        )
        _link(message, attachments)
        first_answer = request.answered_at is None
        if first_answer:
            request.answered_at = message.sent_at
            request.save(update_fields=["answered_at"])
        before_status = application.status
        paused, restarted = 0, False
        if first_answer and request.kind == InformationRequest.Kind.MISSING_ITEMS:
            if application.status == CaseStatus.INCOMPLETE:
                workflow.transition(application, "complete")
                workflow.restart_completeness(application)
        elif (
            first_answer
            and application.clock_stopped_on is not None
            and not waiting_requests(application).exclude(pk=request.pk).exists()
        ):
            paused = workflow.restart_clock(application)
            restarted = True
        workflow.save_change(
            application,
            actor=actor,
            action="case.reply",
            before_status=before_status,
            after={
                "request": request.pk,
                "attachments": [evidence.sha256 for evidence in attachments],
                "clock_paused_days": paused,
            },
            fields=[*workflow.CLOCK_FIELDS, "completeness_due"],
        )
        workflow.tell_officers(
            application,
            workflow.officers_to_tell(application),
            gettext_noop("%(business)s replied on case %(reference)s"),
            gettext_noop("Reply to “%(subject)s”. %(clock)s"),
            subject=request.subject,
            # English source text: each officer reads it in their own language.
            clock=gettext_noop("The decision clock runs again.") if restarted else "",
        )
    return message


def case_follow_up(*, actor, request: InformationRequest, body: str, files=None) -> CaseMessage:
    """An officer writes again in an existing thread (a clarification, a reminder)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the message.")})
    if not policy.can_work_on(actor, request.application):
        raise PermissionDenied
    if not files and (repeated := _just_sent(request, actor, body)):
        return repeated
    attachments = receive_attachments(actor, request.application, files)
    with transaction.atomic():
        application = workflow.locked(request.application, None)
        message = CaseMessage.objects.create(
            request=request, author=actor, from_customs=True, body=body, sent_at=clock.now()
        )
        _link(message, attachments)
        record_event(
            actor=actor,
            action="case.follow_up",
            obj=application,
            after={"request": request.pk},
        )
        workflow.tell_applicant(
            application,
            gettext_noop("New message from Customs on %(reference)s"),
            gettext_noop("About “%(subject)s”. Read it in OpenAEO."),
            subject=request.subject,
        )
    return message


def case_note_add(*, actor, application: Application, body: str) -> CaseNote:
    """An internal note: officers only, never shown to the applicant."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the note.")})
    if not policy.can_work_on(actor, application):
        raise PermissionDenied
    repeated = application.notes.filter(
        author=actor, body=body, written_at__gte=clock.now() - DOUBLE_CLICK
    ).first()
    if repeated is not None:
        return repeated
    with transaction.atomic():
        note = CaseNote.objects.create(
            application=application, author=actor, body=body, written_at=clock.now()
        )
        record_event(actor=actor, action="case.note", obj=application, after={"note": note.pk})
    return note


def compliance_record_add(
    *,
    actor,
    application: Application,
    occurred_on: dt.date,
    kind: str,
    severity: str,
    description: str,
) -> ComplianceRecord:
    """An officer records a fact from the operator's compliance history."""
    description = (description or "").strip()
    errors = {}
    if kind not in ComplianceRecord.Kind.values:
        errors["kind"] = _("Choose what kind of record this is.")
    if severity not in ComplianceRecord.Severity.values:
        errors["severity"] = _("Choose how serious it was.")
    if not description:
        errors["description"] = _("Describe what happened.")
    if occurred_on and occurred_on > clock.today():
        errors["occurred_on"] = _("The date is in the future.")
    if errors:
        raise ValidationError(errors)
    if not policy.can_work_on(actor, application):
        raise PermissionDenied
    with transaction.atomic():
        record = ComplianceRecord.objects.create(
            operator=application.operator,
            occurred_on=occurred_on,
            kind=kind,
            severity=severity,
            description=description,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        record_event(
            actor=actor,
            action="case.compliance_record",
            obj=application,
            after={"kind": kind, "severity": severity, "occurred_on": occurred_on},
        )
    return record
