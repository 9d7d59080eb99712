"""Validation visits: the plan, the checklist scaled to the operator's size, findings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ValidationVisit(models.Model):
    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        REMOTE = "remote", _("Remote (video call and shared documents)")

    application = models.ForeignKey(
        "cases.Application", on_delete=models.PROTECT, related_name="visits"
    )
    planned_on = models.DateField(_("date of the visit"))
    site = models.CharField(_("site"), max_length=300)
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices)
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("team"), related_name="validation_visits"
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    planned_at = models.DateTimeField()
    size_class = models.CharField(_("size class"), max_length=10)
    summary = models.TextField(_("summary"), blank=True)
    completed_at = models.DateTimeField(_("report completed"), null=True, blank=True)

    class Meta:
        ordering = ["-planned_on", "-id"]
        verbose_name = _("validation visit")
        verbose_name_plural = _("validation visits")

    def __str__(self):
        return f"{self.application} - {self.planned_on}"


class VisitItem(models.Model):
    """One thing to verify during the visit, with what is enough for this size of business."""

    class Result(models.TextChoices):
        PENDING = "pending", _("Not checked yet")
        VERIFIED = "verified", _("Verified")
        MINOR = "minor", _("Finding: minor")
        MAJOR = "major", _("Finding: major")
        CRITICAL = "critical", _("Finding: critical")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    FINDINGS = (Result.MINOR, Result.MAJOR, Result.CRITICAL)

    visit = models.ForeignKey(ValidationVisit, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    heading_id = models.CharField(max_length=200)
    requirement_id = models.CharField(max_length=200)
    title = models.CharField(_("requirement"), max_length=300)
    what_to_verify = models.TextField(_("what to verify"))
    enough_for_size = models.TextField(_("what is enough for this size"), blank=True)
    result = models.CharField(
        _("result"), max_length=20, choices=Result.choices, default=Result.PENDING
    )
    notes = models.TextField(_("notes"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["visit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "requirement_id"], name="visit_item_once")
        ]

    def __str__(self):
        return self.title

    @property
    def is_finding(self) -> bool:
        return self.result in self.FINDINGS


class CorrectiveAction(models.Model):
    """What the operator must put right after a finding, by a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        REPORTED_DONE = "reported_done", _("Reported done by the business")
        ACCEPTED = "accepted", _("Accepted by Customs")

    application = models.ForeignKey(
        "cases.Application", on_delete=models.PROTECT, related_name="corrective_actions"
    )
    visit_item = models.OneToOneField(
        VisitItem, on_delete=models.PROTECT, related_name="corrective_action"
    )
    severity = models.CharField(_("severity"), max_length=10)
    description = models.TextField(_("what to put right"))
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    operator_reply = models.TextField(_("what the business did"), blank=True)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")

    def __str__(self):
        return self.description[:60]
