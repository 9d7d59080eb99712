"""Applications for AEO status (the case), their states, clocks and frozen revisions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class CaseStatus(models.TextChoices):
    # Labels are what applicants and officers read; keep them plain.
    SUBMITTED = "submitted", _("Submitted: waiting for the completeness check")
    INCOMPLETE = "incomplete", _("Returned: information is missing")
    RISK_REVIEW = "risk_review", _("Risk and compliance review")
    DESK_REVIEW = "desk_review", _("Desk review")
    VALIDATION = "validation", _("Validation visit")
    RECOMMENDED = "recommended", _("Waiting for the decision")
    DECIDED = "decided", _("Decided: open for appeal")
    APPEALED = "appealed", _("Appeal under review")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")


# States in which Customs has work to do (the work queue shows these by default).
CUSTOMS_STATES = (
    CaseStatus.SUBMITTED,
    CaseStatus.RISK_REVIEW,
    CaseStatus.DESK_REVIEW,
    CaseStatus.VALIDATION,
    CaseStatus.RECOMMENDED,
    CaseStatus.APPEALED,
)
# States before the decision: the applicant may still withdraw.
BEFORE_DECISION = (
    CaseStatus.SUBMITTED,
    CaseStatus.INCOMPLETE,
    CaseStatus.RISK_REVIEW,
    CaseStatus.DESK_REVIEW,
    CaseStatus.VALIDATION,
    CaseStatus.RECOMMENDED,
)
# States after acceptance and before the decision: the decision clock runs (or is stopped).
UNDER_REVIEW = (
    CaseStatus.RISK_REVIEW,
    CaseStatus.DESK_REVIEW,
    CaseStatus.VALIDATION,
    CaseStatus.RECOMMENDED,
)


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    GRANTED_WITH_CONDITIONS = "granted_with_conditions", _("Granted with conditions")
    REFUSED = "refused", _("Refused")
    IMPROVEMENT = "improvement", _("Not yet: improvement path")
    # The outcomes of a reassessment of a certificate already granted.
    CONFIRMED = "confirmed", _("Confirmed: the certificate continues")
    CONFIRMED_WITH_CONDITIONS = "confirmed_with_conditions", _("Confirmed with conditions")
    SUSPENDED = "suspended", _("Suspended until the problems are remedied")
    REVOKED = "revoked", _("Revoked")


GRANTS = (Outcome.GRANTED, Outcome.GRANTED_WITH_CONDITIONS)
CONFIRMATIONS = (Outcome.CONFIRMED, Outcome.CONFIRMED_WITH_CONDITIONS)
# Outcomes the applicant may appeal against (the letter says how).
APPEALABLE = (Outcome.REFUSED, Outcome.IMPROVEMENT)


class ApplicationKind(models.TextChoices):
    APPLICATION = "application", _("Application")
    REASSESSMENT = "reassessment", _("Reassessment")
    RENEWAL = "renewal", _("Renewal")


# What a case of each kind may end with (the decision form offers these).
OUTCOMES_OF_KIND = {
    ApplicationKind.APPLICATION: (
        Outcome.GRANTED,
        Outcome.GRANTED_WITH_CONDITIONS,
        Outcome.REFUSED,
        Outcome.IMPROVEMENT,
    ),
    ApplicationKind.REASSESSMENT: (
        Outcome.CONFIRMED,
        Outcome.CONFIRMED_WITH_CONDITIONS,
        Outcome.SUSPENDED,
        Outcome.REVOKED,
    ),
    ApplicationKind.RENEWAL: (Outcome.GRANTED, Outcome.GRANTED_WITH_CONDITIONS, Outcome.REFUSED),
}


class ReassessmentTrigger(models.TextChoices):
    RISK = "risk", _("Risk indicators")
    COMPLIANCE_ALERT = "compliance_alert", _("Compliance alert")
    INCIDENT = "incident", _("Incident")
    CHANGE_NOTICE = "change_notice", _("Change notified by the business")
    PERIODIC = "periodic", _("Periodic review")
    OTHER = "other", _("Other")


class Application(ConcurrentTransitionMixin, models.Model):
    """One operator's application for one programme tier: the case Customs works on.

    What the applicant declared is frozen in revisions: correcting it later adds a
    revision, so officers always see what was declared when.

    The state only changes through the services in openaeo.cases (each one an audit
    event). Two officers acting on the same case at once cannot both succeed:
    `version` rises with every change and each officer's form carries the version
    they saw; the state field is also checked on save (ConcurrentTransitionMixin).
    """

    Status = CaseStatus
    Kind = ApplicationKind

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=ApplicationKind.choices,
        default=ApplicationKind.APPLICATION,
    )
    # The certificate a reassessment or a renewal is about (empty for a first application).
    certificate = models.ForeignKey(
        "certificates.Certificate",
        verbose_name=_("certificate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    # Why Customs reassesses (reassessments only): what triggered it, a free reference to
    # the triggering record (a risk hit, an alert, an incident report...), and the reason
    # the holder reads.
    trigger = models.CharField(
        _("what triggered it"), max_length=20, choices=ReassessmentTrigger.choices, blank=True
    )
    trigger_reference = models.CharField(_("reference of the trigger"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    operator = models.ForeignKey(
        "operators.EconomicOperator", on_delete=models.PROTECT, related_name="applications"
    )
    programme = models.ForeignKey("catalogue.Programme", on_delete=models.PROTECT, related_name="+")
    tier_code = models.CharField(_("level"), max_length=40)
    status = FSMField(
        _("status"), max_length=30, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED
    )
    version = models.PositiveIntegerField(default=0)
    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_applications",
    )
    size_class = models.CharField(_("size class"), max_length=10, blank=True)
    msme = models.BooleanField(_("small business (MSME)"), default=False)
    # 1 for MSME applications where the programme gives them priority, else 0:
    # the work queue sorts on it before the deadline.
    priority = models.PositiveSmallIntegerField(_("priority"), default=0)
    submitted_at = models.DateTimeField(_("first submitted"))
    completeness_due = models.DateField(_("completeness check due"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("deemed accepted"), default=False)
    decision_due = models.DateField(_("decision due"), null=True, blank=True)
    # The deadline Customs works against now: completeness while submitted, then the
    # decision, then the appeal. Empty when no clock runs (closed, withdrawn, returned).
    due_on = models.DateField(_("due"), null=True, blank=True)
    clock_stopped_on = models.DateField(_("clock stopped on"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("days the clock was stopped"), default=0)
    extension_days = models.PositiveIntegerField(_("extension in days"), default=0)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    round = models.PositiveSmallIntegerField(
        default=1, help_text="Rises when an appeal sends the case back for a new decision."
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    appeal_due = models.DateField(_("appeal possible until"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last change"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        # The work queue's indexes, measured with bench/work_queue.py over 1,000,000 cases
        # (docs/architecture.md, "The work queue").
        indexes = [
            # The default queue (the steps where Customs has work), in the queue's order, of
            # one office and of every office: small, as only open cases are in them.
            models.Index(
                fields=["office", "-priority", "due_on", "id"],
                condition=models.Q(status__in=CUSTOMS_STATES),
                name="case_open_office",
            ),
            models.Index(
                fields=["-priority", "due_on", "id"],
                condition=models.Q(status__in=CUSTOMS_STATES),
                name="case_open_all",
            ),
            # One step, in the queue's order; also the counts per step (index-only scans).
            models.Index(
                fields=["office", "status", "-priority", "due_on", "id"], name="case_queue_office"
            ),
            models.Index(fields=["status", "-priority", "due_on", "id"], name="case_queue_all"),
            # Every step ("All steps"), in the queue's order.
            models.Index(fields=["-priority", "due_on", "id"], name="case_deadline_all"),
            models.Index(fields=["assignee", "status"], name="case_assignee_status"),
        ]

    def __str__(self):
        return f"{self.operator} - {self.tier_code}"

    @property
    def reference(self) -> str:
        """The number people quote on the phone and in letters."""
        return f"AEO-{self.submitted_at:%Y}-{self.pk:06d}"

    @property
    def outcomes(self) -> tuple:
        return OUTCOMES_OF_KIND[self.kind]

    @property
    def reviews_certificate(self) -> bool:
        """A case about a certificate already held (it may skip the visit)."""
        return self.kind != ApplicationKind.APPLICATION

    @property
    def clock_stopped(self) -> bool:
        return self.clock_stopped_on is not None

    # Transitions. Only the services call these: they check who may act, move the
    # clocks, record the audit event and notify people.

    @transition(field=status, source=CaseStatus.SUBMITTED, target=CaseStatus.RISK_REVIEW)
    def accept(self):
        pass

    @transition(field=status, source=CaseStatus.SUBMITTED, target=CaseStatus.INCOMPLETE)
    def return_incomplete(self):
        pass

    @transition(field=status, source=CaseStatus.INCOMPLETE, target=CaseStatus.SUBMITTED)
    def complete(self):
        pass

    @transition(field=status, source=CaseStatus.RISK_REVIEW, target=CaseStatus.DESK_REVIEW)
    def finish_risk_review(self):
        pass

    @transition(field=status, source=CaseStatus.DESK_REVIEW, target=CaseStatus.VALIDATION)
    def start_validation(self):
        pass

    @transition(field=status, source=CaseStatus.VALIDATION, target=CaseStatus.RECOMMENDED)
    def recommend(self):
        pass

    # A reassessment or a renewal may be recommended from the desk review when no visit
    # was needed, and is then sent back to the desk review.
    @transition(field=status, source=CaseStatus.DESK_REVIEW, target=CaseStatus.RECOMMENDED)
    def recommend_after_desk_review(self):
        pass

    @transition(field=status, source=CaseStatus.RECOMMENDED, target=CaseStatus.VALIDATION)
    def send_back(self):
        pass

    @transition(field=status, source=CaseStatus.RECOMMENDED, target=CaseStatus.DESK_REVIEW)
    def send_back_to_desk_review(self):
        pass

    @transition(field=status, source=CaseStatus.RECOMMENDED, target=CaseStatus.DECIDED)
    def decide(self):
        pass

    @transition(field=status, source=CaseStatus.DECIDED, target=CaseStatus.APPEALED)
    def appeal(self):
        pass

    @transition(field=status, source=CaseStatus.APPEALED, target=CaseStatus.DESK_REVIEW)
    def refer_back(self):
        pass

    @transition(
        field=status, source=(CaseStatus.DECIDED, CaseStatus.APPEALED), target=CaseStatus.CLOSED
    )
    def close(self):
        pass

    @transition(field=status, source=BEFORE_DECISION, target=CaseStatus.WITHDRAWN)
    def withdraw(self):
        pass


class ApplicationRevision(models.Model):
    """What was declared at one submission: answers, readiness and the declaration, frozen."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    assessment = models.ForeignKey(
        "assessments.SelfAssessment", on_delete=models.PROTECT, related_name="+"
    )
    catalogue_version = models.ForeignKey(
        "catalogue.CatalogueVersion", on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField()
    declaration = models.TextField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="revision_number_once")
        ]

    def __str__(self):
        return f"{self.application} r{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A submitted revision is frozen; submit a new revision instead.")
        super().save(*args, **kwargs)
