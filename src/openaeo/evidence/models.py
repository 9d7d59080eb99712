"""Files that businesses send as evidence, and where each stands with the virus check."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceStatus(models.TextChoices):
    # The labels are what people read next to their file.
    QUARANTINED = "quarantined", _("Waiting for the virus check")
    CLEAN = "clean", _("Checked: no virus found")
    INFECTED = "infected", _("Refused: a virus was found")
    SCAN_FAILED = "scan_failed", _("Refused: the virus check could not read it")


def evidence_upload_to(instance: "EvidenceFile", filename: str) -> str:
    """A storage name that says nothing about the file: never the name people gave it."""
    return f"evidence/{instance.operator_id}/{uuid.uuid4().hex}"


class EvidenceFile(models.Model):
    """One file sent by a business. Its content is kept only while it is not known to be bad.

    `file` is empty for refused files (infected, or unreadable by the virus scanner):
    their content is never stored, or is deleted as soon as the scan finds them.
    Only files whose status is `clean` may be downloaded.
    """

    operator = models.ForeignKey(
        "operators.EconomicOperator",
        verbose_name=_("business"),
        on_delete=models.PROTECT,
        related_name="evidence_files",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    original_name = models.CharField(_("file name"), max_length=255)
    purpose = models.CharField(_("what it shows"), max_length=200, blank=True)
    detected_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    file = models.FileField(_("content"), upload_to=evidence_upload_to, max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EvidenceStatus.choices,
        default=EvidenceStatus.QUARANTINED,
        db_index=True,
    )
    scan_detail = models.CharField(_("virus check detail"), max_length=500, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"))
    scanned_at = models.DateTimeField(_("checked"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        indexes = [models.Index(fields=["operator", "-uploaded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=["infected", "scan_failed"]) | models.Q(file=""),
                name="evidence_refused_files_keep_no_content",
            )
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_downloadable(self) -> bool:
        return self.status == EvidenceStatus.CLEAN and bool(self.file)
