"""Economic operators, the people who work for them, and representatives' mandates."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openaeo.accounts.roles import MandateScope, OperatorRole


class EconomicOperator(models.Model):
    """A business that may apply for, or hold, AEO status."""

    legal_name = models.CharField(_("legal name"), max_length=200)
    identifier = models.CharField(
        _("identifier"), max_length=40, unique=True, help_text=_("TIN or EORI-style number")
    )
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    trading_names = models.CharField(_("trading names"), max_length=300, blank=True)
    address = models.TextField(_("address"), blank=True)
    roles = models.JSONField(_("supply-chain roles"), default=list, blank=True)
    employees = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)
    annual_turnover = models.DecimalField(
        _("annual turnover"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    balance_sheet_total = models.DecimalField(
        _("balance sheet total"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("economic operator")
        verbose_name_plural = _("economic operators")

    def __str__(self):
        return self.legal_name


class OperatorMembership(models.Model):
    """A person working for an operator, with one role there."""

    operator = models.ForeignKey(
        EconomicOperator, on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="operator_memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=OperatorRole.choices)
    added_at = models.DateTimeField(_("added"))

    class Meta:
        ordering = ["operator__legal_name", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["operator", "user"], name="one_membership_per_person")
        ]

    def __str__(self):
        return f"{self.user} - {self.get_role_display()} - {self.operator}"


class MandateQuerySet(models.QuerySet):
    def in_force(self, on: dt.date):
        return self.filter(revoked_at__isnull=True, valid_from__lte=on, valid_until__gte=on)


class Mandate(models.Model):
    """Authority an owner grants a representative (broker, consultant) to act for the operator."""

    operator = models.ForeignKey(
        EconomicOperator, on_delete=models.PROTECT, related_name="mandates"
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mandates_held"
    )
    scopes = models.JSONField(_("scope"), default=list)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = MandateQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="mandate_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return f"{self.representative} for {self.operator}"

    def scope_labels(self) -> list[str]:
        labels = dict(MandateScope.choices)
        return [str(labels.get(scope, scope)) for scope in self.scopes]

    def status(self, on: dt.date) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if on < self.valid_from:
            return "future"
        if on > self.valid_until:
            return "expired"
        return "in_force"


class AccessRequest(models.Model):
    """Someone asks to work for a business that is already registered.

    The owners decide; until then the person sees nothing of the business.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the owner")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    operator = models.ForeignKey(
        EconomicOperator, on_delete=models.PROTECT, related_name="access_requests"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_requests"
    )
    message = models.TextField(_("message to the owner"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "requester"],
                condition=models.Q(status="pending"),
                name="one_pending_access_request",
            )
        ]

    def __str__(self):
        return f"{self.requester} -> {self.operator}"


class OperatorSite(models.Model):
    """A place where the business works: offices, warehouses, production, port facilities."""

    class Kind(models.TextChoices):
        HEAD_OFFICE = "head_office", _("Head office")
        WAREHOUSE = "warehouse", _("Warehouse")
        PRODUCTION = "production", _("Production site")
        OFFICE = "office", _("Office")
        PORT_FACILITY = "port_facility", _("Port or airport facility")
        OTHER = "other", _("Other")

    operator = models.ForeignKey(EconomicOperator, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of site"), max_length=20, choices=Kind.choices)
    address = models.TextField(_("address"))
    activities = models.TextField(_("what happens there"), blank=True)
    created_at = models.DateTimeField(_("added"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self):
        return self.name


class OperatorContact(models.Model):
    """A person Customs can contact about one subject (customs, security, finance, ...)."""

    class Function(models.TextChoices):
        MAIN = "main", _("Main contact")
        CUSTOMS = "customs", _("Customs contact")
        SECURITY = "security", _("Security contact")
        FINANCE = "finance", _("Finance contact")
        OTHER = "other", _("Other contact")

    operator = models.ForeignKey(
        EconomicOperator, on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=150)
    function = models.CharField(_("contact for"), max_length=20, choices=Function.choices)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("added"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return f"{self.name} ({self.get_function_display()})"


class OperatorInvitation(models.Model):
    """An owner invites a colleague who has no OpenAEO account yet, by e-mail.

    Only the SHA-256 digest of the link's token is stored: the token itself is in
    the e-mail and nowhere else. An invitation is used once, can be cancelled, and
    ends `INVITATION_DAYS` after it was (last) sent.
    """

    operator = models.ForeignKey(
        EconomicOperator, on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=OperatorRole.choices)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_address",
            )
        ]

    def __str__(self):
        return f"{self.email} -> {self.operator}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    def is_open(self) -> bool:
        """Neither accepted nor cancelled (it may still have expired)."""
        return self.accepted_at is None and self.revoked_at is None

    def is_usable(self, at: dt.datetime) -> bool:
        return self.is_open() and self.expires_at > at
