"""Mutual recognition: partner administrations, the identifiers we map, what they send us."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

# The seven elements of the EU-US practice, as named in a feed (docs/certificates.md).
DATA_ELEMENTS = (
    "name",
    "address",
    "status",
    "authorised_on",
    "status_change",
    "identifier",
    "tier",
)


class PartnerAdministration(models.Model):
    """A Customs administration we exchange AEO data with under an arrangement."""

    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    arrangement = models.CharField(_("arrangement"), max_length=200)
    data_elements = models.JSONField(
        _("data elements agreed"), default=list, blank=True, help_text=_("A list of names.")
    )
    active_from = models.DateField(_("active from"))
    active_until = models.DateField(_("active until"), null=True, blank=True)
    client = models.OneToOneField(
        "accounts.MachineClient",
        verbose_name=_("API client"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner",
    )
    # The partner's public keys, as parse_jwks keeps them: a signed zip from the partner
    # is checked against them (openaeo.mra.partner_keys). Recorded by an administrator.
    verification_keys = models.JSONField(
        _("verification keys (JWKS)"),
        default=dict,
        blank=True,
        help_text=_("The partner's public Ed25519 keys, as a JWKS document."),
    )
    keys_recorded_at = models.DateTimeField(_("keys recorded"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner administration")
        verbose_name_plural = _("partner administrations")

    def __str__(self):
        return self.name

    @property
    def key_ids(self) -> list[str]:
        return [key["kid"] for key in (self.verification_keys or {}).get("keys", [])]

    def is_active(self, on: dt.date) -> bool:
        return self.active_from <= on and (self.active_until is None or on <= self.active_until)


class MappingStatus(models.TextChoices):
    MATCHED = "matched", _("Matched")
    UNMATCHED = "unmatched", _("Waiting for review")
    IGNORED = "ignored", _("Ignored")


class IdentifierMapping(models.Model):
    """A partner's identifier of a business and the business it is here, if we know it."""

    Status = MappingStatus

    partner = models.ForeignKey(
        PartnerAdministration, on_delete=models.CASCADE, related_name="mappings"
    )
    partner_identifier = models.CharField(_("partner's identifier"), max_length=64)
    holder_name = models.CharField(_("name given by the partner"), max_length=200, blank=True)
    operator = models.ForeignKey(
        "operators.EconomicOperator",
        verbose_name=_("business"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MappingStatus.choices, default=MappingStatus.UNMATCHED
    )
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        ordering = ["partner", "partner_identifier"]
        verbose_name = _("identifier mapping")
        verbose_name_plural = _("identifier mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "partner_identifier"], name="one_mapping_per_partner_identifier"
            )
        ]

    def __str__(self):
        return f"{self.partner}: {self.partner_identifier}"


class PartnerImport(models.Model):
    """One file received from a partner, with its report. A file is imported once."""

    partner = models.ForeignKey(
        PartnerAdministration, on_delete=models.PROTECT, related_name="imports"
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_format = models.CharField(_("format"), max_length=8)
    received_at = models.DateTimeField(_("received"))
    received_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    records = models.PositiveIntegerField(_("records"), default=0)
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    unmatched = models.PositiveIntegerField(_("unmatched"), default=0)
    errors = models.JSONField(_("rejected records"), default=list, blank=True)
    # The partner's key whose signature was verified (a zip); empty for unsigned files.
    signed_with = models.CharField(_("signature verified with the key"), max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("partner import")
        verbose_name_plural = _("partner imports")
        constraints = [
            models.UniqueConstraint(fields=["partner", "sha256"], name="one_import_per_file")
        ]

    def __str__(self):
        return f"{self.partner} {self.sha256[:12]}"


class PartnerCertificate(models.Model):
    """A partner's AEO certificate as its latest accepted record says."""

    partner = models.ForeignKey(
        PartnerAdministration, on_delete=models.PROTECT, related_name="certificates"
    )
    aeo_number = models.CharField(_("AEO number"), max_length=64)
    partner_identifier = models.CharField(_("partner's identifier"), max_length=64)
    holder_name = models.CharField(_("holder's name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    country = models.CharField(_("country"), max_length=2)
    status = models.CharField(_("status"), max_length=10)
    authorised_on = models.DateField(_("authorised on"))
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    tier = models.CharField(_("level"), max_length=100, blank=True)
    # The last day of validity the partner gave: past it, the certificate is expired even
    # before the partner's next file says so (as our own verification does).
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    operator = models.ForeignKey(
        "operators.EconomicOperator",
        verbose_name=_("business here"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    content_sha256 = models.CharField(max_length=64)
    last_import = models.ForeignKey(PartnerImport, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        ordering = ["partner", "aeo_number"]
        verbose_name = _("partner certificate")
        verbose_name_plural = _("partner certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "aeo_number"], name="one_record_per_partner_certificate"
            )
        ]
        indexes = [models.Index(fields=["aeo_number"], name="partner_cert_number")]

    def __str__(self):
        return f"{self.partner}: {self.aeo_number}"
