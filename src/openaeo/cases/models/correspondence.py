"""What officers and applicants write about a case: information requests, messages, notes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InformationRequest(models.Model):
    """A thread in which Customs asks the applicant for something.

    A request of kind `missing_items` returns an incomplete application; the other
    kind is asked during the review and, where the programme says so, stops the
    decision clock until the applicant replies.
    """

    class Kind(models.TextChoices):
        MISSING_ITEMS = "missing_items", _("Missing items (application returned)")
        QUESTION = "question", _("Request for information")

    application = models.ForeignKey(
        "cases.Application", on_delete=models.PROTECT, related_name="information_requests"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    items = models.JSONField(_("what is needed"), default=list, blank=True)
    stops_clock = models.BooleanField(_("stops the clock"), default=False)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked"))
    reply_due = models.DateField(_("reply requested by"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # Set when the case was decided or withdrawn while the request still waited: it no
    # longer holds the clock, and its thread is kept as it was.
    closed_at = models.DateTimeField(_("closed without an answer"), null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")

    def __str__(self):
        return self.subject

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.closed_at is None


class CaseMessage(models.Model):
    """One message in an information request thread, from Customs or from the applicant."""

    request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_customs = models.BooleanField()
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"{self.request} - {self.sent_at:%Y-%m-%d}"


class CaseNote(models.Model):
    """An officer's internal note on a case (never shown to the applicant)."""

    application = models.ForeignKey(
        "cases.Application", on_delete=models.PROTECT, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"))
    written_at = models.DateTimeField(_("written"))

    class Meta:
        ordering = ["-written_at", "-id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self):
        return self.body[:60]


class ComplianceRecord(models.Model):
    """One fact from the operator's customs compliance history.

    Officers enter them by hand for now; screening of declaration data adds its own
    (`source`) later.
    """

    class Kind(models.TextChoices):
        INFRINGEMENT = "infringement", _("Customs infringement")
        PENALTY = "penalty", _("Penalty")
        LATE_PAYMENT = "late_payment", _("Late payment of duties")
        AUDIT = "audit", _("Post-clearance audit")
        OTHER = "other", _("Other")

    class Severity(models.TextChoices):
        NONE = "none", _("No irregularity")
        MINOR = "minor", _("Minor")
        SERIOUS = "serious", _("Serious")

    operator = models.ForeignKey(
        "operators.EconomicOperator", on_delete=models.PROTECT, related_name="compliance_records"
    )
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = models.TextField(_("what happened"))
    source = models.CharField(_("source"), max_length=40, default="manual")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("compliance record")
        verbose_name_plural = _("compliance records")

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_on}"
