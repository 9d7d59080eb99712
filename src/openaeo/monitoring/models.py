"""What a certificate holder tells Customs after the grant, and what Customs made of it.

Three records, each reviewed by an officer of the office that decided the certificate's
case: the annual self-review, change notices and incident reports. None of them changes
the certificate's status: an officer's review records an outcome ("reassessment needed",
"suspension proposed"), and the lifecycle services of openaeo.certificates act on it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewDecision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    FOLLOW_UP = "follow_up", _("Follow-up needed")


class ReviewOutcome(models.TextChoices):
    NO_ACTION = "no_action", _("No action")
    REASSESSMENT_NEEDED = "reassessment_needed", _("Reassessment needed")
    SUSPENSION_PROPOSED = "suspension_proposed", _("Suspension proposed")


class OfficerReview(models.Model):
    """The officer's reading of a record: a decision, an outcome and a note."""

    review_decision = models.CharField(
        _("review"), max_length=20, choices=ReviewDecision.choices, blank=True
    )
    outcome = models.CharField(
        _("outcome"), max_length=30, choices=ReviewOutcome.choices, blank=True
    )
    review_note = models.TextField(_("note from Customs"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None


class SelfReviewStatus(models.TextChoices):
    OPEN = "open", _("Open")
    OVERDUE = "overdue", _("Overdue")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed")


class SelfReview(OfficerReview):
    """One year's self-review of one certificate, opened by `tick` in the review window.

    `items` holds one entry per requirement in scope, copied when the review opens so
    that a later catalogue change does not move the questions under the holder:
    {"requirement", "heading", "title", "previous", "answer", "explanation"}; `answer`
    is "" (not answered yet), "still_true" or "changed". `questions` holds the fixed
    questions (owners, sites, roles, incidents): {key: {"answer": "yes"/"no", "details"}}.
    """

    Status = SelfReviewStatus

    certificate = models.ForeignKey(
        "certificates.Certificate", on_delete=models.PROTECT, related_name="self_reviews"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    window_opens = models.DateField(_("window opens"))
    window_closes = models.DateField(_("due by"))
    status = models.CharField(
        _("status"), max_length=12, choices=SelfReviewStatus.choices, default="open"
    )
    items = models.JSONField(default=list)
    questions = models.JSONField(default=dict)
    # Which reminders went out ("start", "middle", "last_week"): each at most once.
    reminders_sent = models.JSONField(default=list)
    opened_at = models.DateTimeField(_("opened"))
    updated_at = models.DateTimeField(_("last saved"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overdue_at = models.DateTimeField(_("marked overdue"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("annual self-review")
        verbose_name_plural = _("annual self-reviews")
        constraints = [
            models.UniqueConstraint(fields=["certificate", "year"], name="one_self_review_a_year")
        ]
        indexes = [models.Index(fields=["status", "window_closes"], name="self_review_status")]

    def __str__(self):
        return f"{self.certificate} {self.year}"

    @property
    def editable(self) -> bool:
        return self.status in (SelfReviewStatus.OPEN, SelfReviewStatus.OVERDUE)


class ChangeKind(models.TextChoices):
    LEGAL_FORM = "legal_form", _("Legal form")
    OWNERS = "owners", _("Owners or shareholders")
    MANAGEMENT = "management", _("Management")
    SITES = "sites", _("Sites")
    ROLES = "roles", _("Roles in the supply chain")
    CONTACTS = "contacts", _("Contacts")
    OTHER = "other", _("Other")


class ChangeNotice(OfficerReview):
    """The holder tells Customs that something about the business changed."""

    Kind = ChangeKind

    certificate = models.ForeignKey(
        "certificates.Certificate", on_delete=models.PROTECT, related_name="change_notices"
    )
    kind = models.CharField(_("what changed"), max_length=20, choices=ChangeKind.choices)
    description = models.TextField(_("the change"))
    effective_on = models.DateField(_("from when"))
    evidence = models.ManyToManyField("evidence.EvidenceFile", blank=True, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("sent"))
    # The form's one-time key: sending the same form twice gives one notice.
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("change notice")
        verbose_name_plural = _("change notices")

    def __str__(self):
        return f"{self.certificate} - {self.get_kind_display()}"


class IncidentKind(models.TextChoices):
    SEAL_BREACH = "seal_breach", _("Seal breach")
    THEFT = "theft", _("Theft")
    UNAUTHORISED_ACCESS = "unauthorised_access", _("Unauthorised access")
    CARGO_TAMPERING = "cargo_tampering", _("Cargo tampering")
    CYBER = "cyber", _("IT or cyber incident")
    OTHER = "other", _("Other")


class IncidentReport(OfficerReview):
    """A security incident, reported by the holder or by an officer on its behalf."""

    Kind = IncidentKind

    certificate = models.ForeignKey(
        "certificates.Certificate", on_delete=models.PROTECT, related_name="incident_reports"
    )
    kind = models.CharField(_("kind of incident"), max_length=24, choices=IncidentKind.choices)
    occurred_on = models.DateField(_("when it happened"))
    place = models.CharField(_("where it happened"), max_length=300)
    description = models.TextField(_("what happened"))
    actions_taken = models.TextField(_("what was done"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_by_customs = models.BooleanField(_("reported by Customs"), default=False)
    reported_at = models.DateTimeField(_("reported"))
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")

    def __str__(self):
        return f"{self.certificate} - {self.get_kind_display()}"
