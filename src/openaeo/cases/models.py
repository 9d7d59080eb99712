"""Applications for AEO status and their frozen revisions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Application(models.Model):
    """One operator's application for one programme tier.

    What the applicant declared is frozen in revisions: correcting it later adds a
    revision, so officers always see what was declared when.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted: waiting for the completeness check")
        WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")

    operator = models.ForeignKey(
        "operators.EconomicOperator", on_delete=models.PROTECT, related_name="applications"
    )
    programme = models.ForeignKey("catalogue.Programme", on_delete=models.PROTECT, related_name="+")
    tier_code = models.CharField(_("level"), max_length=40)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices)
    submitted_at = models.DateTimeField(_("first submitted"))
    completeness_due = models.DateField(_("completeness check due"))
    msme = models.BooleanField(_("small business (MSME)"), default=False)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return f"{self.operator} - {self.tier_code}"


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
