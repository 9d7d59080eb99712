"""Submitting an application: checks, a frozen revision, the statutory clock, an audit event."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from openaeo.accounts.roles import StaffRole
from openaeo.assessments.selectors import readiness_of
from openaeo.cases import hooks, workflow
from openaeo.cases.deadlines import Calendar, add_period
from openaeo.cases.models import (
    BEFORE_DECISION,
    Application,
    ApplicationKind,
    ApplicationRevision,
    CaseStatus,
)
from openaeo.common import clock
from openaeo.common.audit import record_event
from openaeo.common.mail import queue_email
from openaeo.operators import msme
from openaeo.operators import policy as operator_policy

# Stored in English in each revision (what was declared); shown translated on the page.
DECLARATION = gettext_noop(
    "I declare that the answers and documents in this application are true and complete to the "
    "best of my knowledge, and that I may sign for this business."
)


def reapplication_bar(operator, programme):
    """What still bars this business from applying to this programme, if anything (the
    certificates app answers: a revoked certificate in its waiting period)."""
    return hooks.reapplication_bar.first(operator, programme)


def certificate_to_renew(operator, programme):
    """The certificate an application submitted now would renew, if any (the certificates
    app answers: tiers renewed by reapplication, in their renewal window)."""
    return hooks.renewal_of.first(operator, programme)


def submission_problems(assessment) -> list[str]:
    """Why this self-assessment cannot be submitted yet (empty when it can)."""
    readiness = readiness_of(assessment)
    problems = []
    barred = reapplication_bar(assessment.operator, assessment.programme)
    if barred is not None:
        problems.append(
            _(
                "The AEO certificate %(number)s of this business was revoked, so it may apply "
                "again only from %(date)s."
            )
            % {"number": barred.aeo_number, "date": barred.reapplication_barred_until}
        )
    if readiness.answered < readiness.total:
        problems.append(
            _("%(missing)s question(s) are not answered yet.")
            % {"missing": readiness.total - readiness.answered}
        )
    blocking = [gap for gap in readiness.gaps if gap.severity == "blocking"]
    if blocking:
        if not assessment.tier.get("apply_with_improvement_plan"):
            problems.append(
                _("Some requirements that must be met are not met yet: fix them first.")
            )
        else:
            planned = {
                action.requirement_id
                for action in assessment.actions.all()
                if action.due_date is not None
            }
            if any(gap.requirement_id not in planned for gap in blocking):
                problems.append(
                    _(
                        "This level accepts applications with an improvement plan: give every "
                        "requirement that is not met yet an action with a due date."
                    )
                )
    if msme.proof_missing_for(assessment):
        problems.append(
            _(
                "Upload proof of your business's MSME status (for example its MSME registration "
                "certificate) on the business profile page. It counts once the virus check has "
                "cleared it."
            )
        )
    return problems


def _snapshot(assessment, readiness) -> dict:
    return {
        "assessment": assessment.pk,
        "programme": assessment.programme.urn,
        "tier": assessment.tier_code,
        "size_class": assessment.size_class,
        "roles": assessment.roles,
        "answers": {
            answer.question_id: {
                "value": answer.value,
                "explanation": answer.explanation,
                "version": answer.version,
            }
            for answer in assessment.answers.order_by("question_id")
        },
        "readiness": {
            "score": readiness.score,
            "status": readiness.status,
            "headings": {
                h.heading_id: {"status": h.status, "score": h.score} for h in readiness.headings
            },
        },
        "actions": [
            {
                "requirement": action.requirement_id,
                "title": action.title,
                "due_date": action.due_date.isoformat() if action.due_date else None,
                "status": action.status,
            }
            for action in assessment.actions.order_by("id")
        ],
    }


def application_submit(*, actor, assessment, declaration_accepted: bool) -> ApplicationRevision:
    """Submit (or resubmit) the application for this assessment's programme tier."""
    operator = assessment.operator
    if not operator_policy.can_submit(actor, operator):
        raise PermissionDenied
    if not declaration_accepted:
        raise ValidationError({"declaration": _("Please confirm the declaration to submit.")})
    problems = submission_problems(assessment)
    if problems:
        raise ValidationError(problems)
    readiness = readiness_of(assessment)
    now = clock.now()
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .filter(
                operator=operator,
                programme=assessment.programme,
                tier_code=assessment.tier_code,
                status__in=BEFORE_DECISION,
            )
            # Only a case opened by a submission: not a reassessment Customs opened.
            .filter(Exists(ApplicationRevision.objects.filter(application=OuterRef("pk"))))
            .first()
        )
        snapshot = _snapshot(assessment, readiness)
        before_status = None
        if application is None:
            deadlines = assessment.programme.config["deadlines"]
            completeness = deadlines["completeness"]
            msme = assessment.size_class in ("micro", "small", "medium")
            renewing = certificate_to_renew(operator, assessment.programme)
            application = Application(
                kind=ApplicationKind.RENEWAL if renewing else ApplicationKind.APPLICATION,
                certificate=renewing,
                operator=operator,
                programme=assessment.programme,
                tier_code=assessment.tier_code,
                submitted_at=now,
                completeness_due=add_period(
                    clock.today(),
                    completeness["days"],
                    working_days=completeness["working_days"],
                    calendar=Calendar.from_config(deadlines["calendar"]),
                ),
                size_class=assessment.size_class,
                msme=msme,
                priority=1 if msme and deadlines.get("msme_priority") else 0,
                office=workflow.office_for(operator),
                updated_at=now,
            )
            application.due_on = application.completeness_due
            application.save()
            number = 1
        else:
            last = application.revisions.order_by("-number").first()
            if last is not None and last.snapshot["answers"] == snapshot["answers"]:
                return last  # nothing changed since the last submission (e.g. a double click)
            number = (last.number if last else 0) + 1
            if application.status == CaseStatus.INCOMPLETE:
                # The corrected application goes back to the completeness check.
                before_status = workflow.transition(application, "complete")
                workflow.restart_completeness(application)
                for request in application.information_requests.filter(
                    kind="missing_items", answered_at__isnull=True
                ):
                    request.answered_at = now
                    request.save(update_fields=["answered_at"])
            application.version += 1
            application.updated_at = now
            application.save(
                update_fields=["status", "version", "updated_at", "completeness_due", "due_on"]
            )
        revision = ApplicationRevision.objects.create(
            application=application,
            number=number,
            assessment=assessment,
            catalogue_version=assessment.catalogue_version,
            snapshot=snapshot,
            declaration=DECLARATION,
            submitted_by=actor,
            submitted_at=now,
        )
        record_event(
            actor=actor,
            acting_for=operator,
            action="application.submit" if number == 1 else "application.resubmit",
            obj=application,
            before={"status": before_status} if before_status else None,
            after={
                "status": application.status,
                "revision": number,
                "tier": application.tier_code,
                "readiness": round(readiness.score, 3),
                "completeness_due": application.completeness_due,
                **(
                    {"kind": application.kind, "certificate": application.certificate.aeo_number}
                    if application.certificate_id
                    else {}
                ),
            },
        )
        queue_email(
            subject=_("We received your AEO application"),
            body=_(
                "Customs received the application of %(business)s (revision %(number)s). "
                "The completeness check is due by %(date)s. You can follow it in OpenAEO."
            )
            % {"business": operator, "number": number, "date": application.completeness_due},
            to=[actor.email],
        )
        if number == 1:
            workflow.tell_officers(
                application,
                workflow.office_people(application, StaffRole.SUPERVISOR),
                gettext_noop("New application %(reference)s from %(business)s"),
                gettext_noop("Check that it is complete by %(date)s and assign it."),
                date=application.completeness_due,
            )
        else:
            workflow.tell_officers(
                application,
                workflow.officers_to_tell(application),
                gettext_noop("%(business)s sent revision %(number)s of case %(reference)s"),
                gettext_noop("The applicant changed the application. The case page shows both."),
                number=number,
            )
    return revision
