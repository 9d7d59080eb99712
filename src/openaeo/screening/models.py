"""What screening keeps in the application database: import batches, runs, results, alerts.

The declarations themselves stay in the declaration store (store.py); here are only the
record of each import, each run with its progress, one result per registered operator
and run, and the alerts opened when a certificate holder breaches a threshold.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DeclarationImport(models.Model):
    class Status(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        REJECTED = "rejected", _("Rejected")

    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    store = models.CharField(_("store"), max_length=10)
    rows_total = models.PositiveBigIntegerField(_("rows"), default=0)
    rows_accepted = models.PositiveBigIntegerField(_("rows accepted"), default=0)
    rows_rejected = models.PositiveBigIntegerField(_("rows rejected"), default=0)
    report = models.JSONField(_("report"), default=dict)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported"))

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            # The same file is never added twice; a rejected file may be tried again.
            models.UniqueConstraint(
                fields=["checksum"],
                condition=Q(status="imported"),
                name="screening_import_once",
            )
        ]

    def __str__(self):
        return self.file_name


class ScreeningRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    class Scope(models.TextChoices):
        ALL = "all", _("Every registered business")
        HOLDERS = "holders", _("Certificate holders (periodic re-screening)")

    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    as_of = models.DateField(_("as of"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    declarants = models.PositiveIntegerField(_("declarants in the data"), default=0)
    screened = models.PositiveIntegerField(_("businesses screened"), default=0)
    flagged = models.PositiveIntegerField(_("businesses flagged"), default=0)
    error = models.TextField(_("error"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Screening {self.pk} ({self.as_of})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class ScreeningResult(models.Model):
    """One operator's indicators in one run, with the thresholds that judged them."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="results")
    operator = models.ForeignKey(
        "operators.EconomicOperator", on_delete=models.CASCADE, related_name="screening_results"
    )
    programme = models.ForeignKey(
        "catalogue.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tier_code = models.CharField(_("level"), max_length=40, blank=True)
    size_class = models.CharField(_("size class"), max_length=10, blank=True)
    window_start = models.DateField(_("from"))
    window_end = models.DateField(_("until"))
    declarations = models.PositiveIntegerField(_("declarations"))
    irregular_declarations = models.PositiveIntegerField(_("declarations with an irregularity"))
    minor_irregularities = models.PositiveIntegerField(_("minor irregularities"))
    serious_irregularities = models.PositiveIntegerField(_("serious irregularities"))
    penalties = models.PositiveIntegerField(_("penalties"))
    penalty_total = models.DecimalField(_("penalties, total"), max_digits=18, decimal_places=2)
    late_payments = models.PositiveIntegerField(_("late payments"))
    irregularity_rate = models.FloatField()
    irregularity_lower = models.FloatField()
    irregularity_upper = models.FloatField()
    late_payment_rate = models.FloatField()
    late_payment_lower = models.FloatField()
    late_payment_upper = models.FloatField()
    thresholds = models.JSONField(default=dict)
    flags = models.JSONField(default=list)
    flagged = models.BooleanField(default=False)

    class Meta:
        ordering = ["-run_id", "operator_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "operator"], name="screening_result_once")
        ]
        indexes = [models.Index(fields=["operator", "-run"], name="screening_latest")]

    def __str__(self):
        return f"{self.operator} in run {self.run_id}"


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class ComplianceAlert(models.Model):
    """A certificate holder's screening breached a threshold: the office looks into it."""

    Status = AlertStatus

    operator = models.ForeignKey(
        "operators.EconomicOperator", on_delete=models.PROTECT, related_name="compliance_alerts"
    )
    certificate = models.ForeignKey(
        "certificates.Certificate", on_delete=models.PROTECT, related_name="compliance_alerts"
    )
    result = models.ForeignKey(
        ScreeningResult, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reasons = models.JSONField(_("reasons"), default=list)
    status = models.CharField(
        _("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.TextField(_("why it was closed"), blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            # At most one alert in hand per certificate: re-screening adds to it, not beside it.
            models.UniqueConstraint(
                fields=["certificate"],
                condition=~Q(status="closed"),
                name="screening_one_live_alert",
            )
        ]

    def __str__(self):
        return f"Alert {self.pk}: {self.operator}"
