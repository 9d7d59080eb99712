"""Self-assessments and their answers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SelfAssessment(models.Model):
    """One operator's answers for one programme tier, pinned to a catalogue version.

    The size class and roles are recorded when the assessment starts, so the set
    of questions cannot shift under the people answering them.
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    operator = models.ForeignKey(
        "operators.EconomicOperator", on_delete=models.PROTECT, related_name="assessments"
    )
    programme = models.ForeignKey("catalogue.Programme", on_delete=models.PROTECT, related_name="+")
    catalogue_version = models.ForeignKey(
        "catalogue.CatalogueVersion", on_delete=models.PROTECT, related_name="+"
    )
    tier_code = models.CharField(_("level"), max_length=40)
    size_class = models.CharField(_("size class"), max_length=10)
    roles = models.JSONField(_("supply-chain roles"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started"))
    updated_at = models.DateTimeField(_("last change"))

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")

    def __str__(self):
        return f"{self.operator} - {self.tier_code}"

    @property
    def tier(self) -> dict:
        return self.programme.tier(self.tier_code) or {}


class Answer(models.Model):
    """The current answer to one question. `version` rises with every save, so an
    edit based on an older version is detected instead of silently overwriting."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=200)
    value = models.CharField(max_length=500, blank=True)
    explanation = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question_id"], name="one_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.question_id}: {self.value}"


class ActionItem(models.Model):
    """One thing to do to close a gap found by the self-assessment."""

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Done")

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="actions")
    requirement_id = models.CharField(max_length=200)
    title = models.CharField(_("what to do"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who does it"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    reminded_for = models.DateField(
        null=True, blank=True, help_text="The due date the last reminder was sent for."
    )

    class Meta:
        ordering = ["status", "due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "requirement_id"], name="one_action_per_gap"
            )
        ]

    def __str__(self):
        return self.title
