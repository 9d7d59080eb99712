"""AEO certificates, the per-programme number sequence, and the published status lists."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")
    # Replaced by a renewed or reissued certificate (`replaced_by`): no longer proof of
    # status on its own, but not a sanction either.
    SUPERSEDED = "superseded", _("Replaced by a newer certificate")


class StatusPurpose(models.TextChoices):
    REVOCATION = "revocation", _("Revocation")
    SUSPENSION = "suspension", _("Suspension")


class Certificate(models.Model):
    """AEO status granted by one decision, as it was when granted.

    The holder's name, identifier, country, tier and scope are copied at issuance so that
    the certificate and its credential say what was granted even if the business changes
    its profile later. The status only changes through openaeo.certificates.services.
    """

    Status = CertificateStatus

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    aeo_number = models.CharField(_("AEO number"), max_length=64, unique=True)
    programme = models.ForeignKey("catalogue.Programme", on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(
        "operators.EconomicOperator",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    holder_name = models.CharField(_("holder's name"), max_length=200)
    identifier = models.CharField(_("identifier"), max_length=40)
    country = models.CharField(_("country"), max_length=2)
    tier_code = models.CharField(_("level"), max_length=40)
    tier_name = models.JSONField(_("name of the level"), default=dict)
    scope = models.JSONField(_("scope"), default=dict, help_text="Sites and supply-chain roles.")
    decision = models.OneToOneField(
        "cases.Decision", on_delete=models.PROTECT, related_name="certificate"
    )
    effective_on = models.DateField(_("effective from"))
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.ACTIVE,
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    # The position of this certificate in the status lists numbered `status_list`: the
    # same index in the revocation list and in the suspension list.
    status_list = models.PositiveIntegerField(_("status list"))
    status_index = models.PositiveIntegerField(_("status list index"))
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set while the owner consents to the certificate appearing in the public register
    # (openaeo.certificates.register); changed only through register_consent_give/withdraw.
    register_consent_at = models.DateTimeField(
        _("listed in the public register since"), null=True, blank=True
    )
    # The certificate this one renews or reissues (its status is then "superseded").
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    # A suspension: what the holder must remedy and by when; what was remedied on
    # reinstatement. The two timestamps make `tick` tell people once.
    remedy_due = models.DateField(_("to be remedied by"), null=True, blank=True)
    remedy_required = models.TextField(_("what must be remedied"), blank=True)
    remedied = models.TextField(_("what was remedied"), blank=True)
    remedy_reminded_at = models.DateTimeField(null=True, blank=True)
    remedy_overdue_told_at = models.DateTimeField(null=True, blank=True)
    # A revocation: no new application for the programme before this date.
    reapplication_barred_until = models.DateField(_("may apply again from"), null=True, blank=True)
    # When the holder was told that the renewal window opened (once per certificate).
    renewal_notice_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="one_certificate_per_status_index"
            )
        ]
        indexes = [models.Index(fields=["status_list", "status"], name="certificate_list_status")]

    def __str__(self):
        return self.aeo_number

    def tier_label(self, language: str = "en") -> str:
        return self.tier_name.get(language) or self.tier_name.get("en") or self.tier_code

    @property
    def tier_display(self) -> str:
        """The level's name in the language of the page."""
        from django.utils.translation import get_language

        return self.tier_label(get_language() or "en")


class CertificateSequence(models.Model):
    """The last sequence number used for AEO numbers of one programme (never reused)."""

    programme = models.OneToOneField(
        "catalogue.Programme", on_delete=models.PROTECT, related_name="+"
    )
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.programme_id}: {self.last_value}"


class StatusList(models.Model):
    """One published Bitstring Status List credential, kept signed and ready to serve.

    Certificates get an index in list number N; the revocation list N and the suspension
    list N are signed again (`credential_jwt`) in the transaction of every status change
    of a certificate in them, so the published lists never lag behind.
    """

    number = models.PositiveIntegerField()
    purpose = models.CharField(max_length=12, choices=StatusPurpose.choices)
    size = models.PositiveIntegerField(help_text="Number of entries (bits).")
    credential_jwt = models.TextField(blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number", "purpose"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "purpose"], name="one_status_list_per_purpose"
            )
        ]

    def __str__(self):
        return f"{self.purpose} list {self.number}"
