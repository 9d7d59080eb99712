"""Cases about a certificate already granted: a reassessment that Customs opens (on risk,
an alert, an incident, a change notice, periodically...) and a renewal the holder starts.

Both are Applications on the ordinary case workflow, of kind "reassessment" or "renewal",
linked to the certificate. They start at the desk review: Customs already knows the
business, so there is no completeness check; the officer may ask for information in the
usual threads and plan a visit, or recommend without one. A renewal of a tier renewed
"by reapplication" is instead an ordinary application with its self-assessment (see
`services.application_submit`, which links it to the certificate in its renewal window).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from openaeo.accounts.roles import StaffRole
from openaeo.cases import policy, workflow
from openaeo.cases.models import (
    BEFORE_DECISION,
    Application,
    ApplicationKind,
    CaseStatus,
    ReassessmentTrigger,
)
from openaeo.certificates import services as certificates
from openaeo.certificates.models import Certificate
from openaeo.common import clock
from openaeo.common.audit import record_event
from openaeo.operators import policy as operator_policy

MIN_REASON = 20
OPEN_FOR = ("active", "suspended")


def open_case_about(certificate, kind: str | None = None) -> Application | None:
    """The reassessment or renewal of this certificate that is not decided yet, if any."""
    cases = Application.objects.filter(certificate=certificate, status__in=BEFORE_DECISION)
    if kind:
        cases = cases.filter(kind=kind)
    return cases.order_by("-id").first()


def _new_case(certificate, *, kind: str, **fields) -> Application:
    """A case about `certificate`, at the desk review, in the office that granted it."""
    now = clock.now()
    deciding = certificate.decision.application
    application = Application(
        kind=kind,
        certificate=certificate,
        operator=certificate.holder,
        programme=certificate.programme,
        tier_code=certificate.tier_code,
        status=CaseStatus.DESK_REVIEW,
        office=deciding.office,
        size_class=deciding.size_class,
        msme=deciding.msme,
        priority=deciding.priority,
        submitted_at=now,
        completeness_due=clock.today(),
        accepted_on=clock.today(),
        updated_at=now,
        **fields,
    )
    workflow.refresh_decision_due(application, start=clock.today())
    application.save()
    return application


def reassessment_open(
    *, actor, certificate, trigger: str, reason: str, trigger_reference: str = ""
) -> Application:
    """A supervisor of the certificate's office opens a reassessment. Opening it again
    with the same trigger and reason (a double click) returns the first one."""
    reason, trigger_reference = (reason or "").strip(), (trigger_reference or "").strip()
    errors = {}
    if trigger not in ReassessmentTrigger.values:
        errors["trigger"] = _("Choose what triggered the reassessment.")
    if len(reason) < MIN_REASON:
        errors["reason"] = _(
            "Explain why in words the business can understand (at least %(count)s characters)."
        ) % {"count": MIN_REASON}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("holder", "programme", "decision__application")
            .get(pk=certificate.pk)
        )
        if not policy.can_decide(actor, certificate.decision.application):
            raise PermissionDenied
        if certificate.status not in OPEN_FOR:
            raise ValidationError(
                _("A certificate that is %(status)s cannot be reassessed.")
                % {"status": certificate.get_status_display().lower()}
            )
        existing = open_case_about(certificate, ApplicationKind.REASSESSMENT)
        if existing is not None:
            if existing.reason == reason and existing.trigger == trigger:
                return existing
            raise ValidationError(
                _("A reassessment of this certificate is already open: %(reference)s.")
                % {"reference": existing.reference}
            )
        application = _new_case(
            certificate,
            kind=ApplicationKind.REASSESSMENT,
            trigger=trigger,
            trigger_reference=trigger_reference,
            reason=reason,
        )
        record_event(
            actor=actor,
            action="case.reassessment_open",
            obj=application,
            after={
                "status": application.status,
                "certificate": certificate.aeo_number,
                "trigger": trigger,
                "trigger_reference": trigger_reference or None,
                "decision_due": application.decision_due,
            },
            reason=reason,
        )
        workflow.tell_applicant(
            application,
            gettext_noop("Customs is reassessing your AEO certificate %(number)s"),
            gettext_noop(
                "Customs is reassessing the certificate because: %(reason)s. Your certificate "
                "stays as it is meanwhile. Customs may ask you for information in OpenAEO."
            ),
            number=certificate.aeo_number,
            reason=reason,
        )
        workflow.tell_officers(
            application,
            [
                person
                for person in workflow.office_people(application, StaffRole.SUPERVISOR)
                if person.pk != actor.pk
            ],
            gettext_noop("Reassessment %(reference)s of %(business)s opened"),
            gettext_noop("Assign it to a validator. The decision is due by %(date)s."),
            date=application.decision_due,
        )
    return application


def renewal_start(*, actor, certificate) -> Application | None:
    """The holder starts renewing a certificate in its renewal window.

    For a tier renewed "by reassessment", this opens the renewal case (a second call
    returns the same case). For one renewed "by reapplication" it returns None: the
    holder submits the self-assessment again and that application is the renewal."""
    if not operator_policy.can_submit(actor, certificate.holder):
        raise PermissionDenied
    rule = certificates.renewal_rule(certificate)
    if not certificates.renewal_open(certificate):
        opens_on = certificates.renewal_opens_on(certificate)
        if opens_on is not None and opens_on > clock.today():
            raise ValidationError(
                _("You can renew this certificate from %(date)s.") % {"date": opens_on}
            )
        raise ValidationError(_("This certificate cannot be renewed."))
    if rule != "reassessment":
        return None
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("holder", "programme", "decision__application")
            .get(pk=certificate.pk)
        )
        existing = open_case_about(certificate, ApplicationKind.RENEWAL)
        if existing is not None:
            return existing
        application = _new_case(
            certificate,
            kind=ApplicationKind.RENEWAL,
            reason=gettext_noop("Renewal before the certificate's expiry."),
        )
        record_event(
            actor=actor,
            acting_for=certificate.holder,
            action="case.renewal_start",
            obj=application,
            after={
                "status": application.status,
                "certificate": certificate.aeo_number,
                "expires_on": certificate.expires_on,
                "decision_due": application.decision_due,
            },
        )
        workflow.tell_officers(
            application,
            workflow.office_people(application, StaffRole.SUPERVISOR),
            gettext_noop("%(business)s asks to renew its certificate (%(reference)s)"),
            gettext_noop(
                "The certificate is valid until %(date)s. Assign the renewal to a validator."
            ),
            date=certificate.expires_on,
        )
    return application
