"""The validator's recommendation, the supervisor's decision, and appeals."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openaeo.cases.models.application import Outcome


class Recommendation(models.Model):
    application = models.ForeignKey(
        "cases.Application", on_delete=models.PROTECT, related_name="recommendations"
    )
    round = models.PositiveSmallIntegerField()
    outcome = models.CharField(_("recommended outcome"), max_length=30, choices=Outcome.choices)
    tier_code = models.CharField(_("level"), max_length=40, blank=True)
    reasons = models.TextField(_("reasons"))
    conditions = models.TextField(_("conditions"), blank=True)
    remedy_by = models.DateField(_("to be remedied by"), null=True, blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recommended_at = models.DateTimeField()

    class Meta:
        ordering = ["-recommended_at", "-id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self):
        return f"{self.application} - {self.outcome}"


class Decision(models.Model):
    """The administration's decision. One per case and round: the database refuses a second."""

    application = models.ForeignKey(
        "cases.Application", on_delete=models.PROTECT, related_name="decisions"
    )
    round = models.PositiveSmallIntegerField()
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("decision"), max_length=30, choices=Outcome.choices)
    tier_code = models.CharField(_("level granted"), max_length=40, blank=True)
    reasons = models.TextField(_("reasons"))
    conditions = models.TextField(_("conditions"), blank=True)
    reapply_from = models.DateField(_("may apply again from"), null=True, blank=True)
    # A reassessment that suspends: the date by which the holder must remedy (what, in
    # `conditions`).
    remedy_by = models.DateField(_("to be remedied by"), null=True, blank=True)
    appeal_due = models.DateField(_("appeal possible until"), null=True, blank=True)
    language = models.CharField(_("language of the letter"), max_length=8)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["application", "round"], name="one_decision_per_round")
        ]

    def __str__(self):
        return f"{self.application} - {self.get_outcome_display()}"


class Appeal(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Under review")
        DISMISSED = "dismissed", _("Dismissed: the decision stands")
        ALLOWED = "allowed", _("Allowed: the case is reviewed again")

    application = models.ForeignKey(
        "cases.Application", on_delete=models.PROTECT, related_name="appeals"
    )
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="appeal")
    grounds = models.TextField(_("why the decision should change"))
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lodged_at = models.DateTimeField()
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    reasons = models.TextField(_("reasons for the outcome"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-lodged_at"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self):
        return f"{self.application} - {self.get_outcome_display()}"
