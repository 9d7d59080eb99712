"""Published catalogue versions and configured programmes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableError(Exception):
    """A published catalogue version cannot change; publish a new revision instead."""


class CatalogueVersion(models.Model):
    """A catalogue as published: frozen, so assessments can pin exactly what they were asked."""

    urn = models.CharField(_("catalogue"), max_length=200)
    revision = models.PositiveIntegerField(_("revision"))
    title = models.JSONField(_("title"))
    content = models.JSONField(_("content"))
    digest = models.CharField(_("SHA-256 of the content"), max_length=64)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["urn", "-revision"]
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")
        constraints = [
            models.UniqueConstraint(fields=["urn", "revision"], name="catalogue_revision_once")
        ]

    def __str__(self):
        return f"{self.urn} r{self.revision}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("A published catalogue version cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("A published catalogue version cannot be deleted.")


class Programme(models.Model):
    """A national AEO programme: its configuration document and the catalogue it uses."""

    urn = models.CharField(_("programme"), max_length=200, unique=True)
    config = models.JSONField(_("configuration"))
    catalogue_version = models.ForeignKey(
        CatalogueVersion, on_delete=models.PROTECT, related_name="programmes"
    )
    is_default = models.BooleanField(_("shown to the public by default"), default=False)
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        ordering = ["urn"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.config["name"]["en"]

    def tier(self, code: str) -> dict | None:
        return next((tier for tier in self.config["tiers"] if tier["code"] == code), None)
