"""Users, Customs offices, staff roles and API credentials."""

import datetime as dt
import hashlib
import secrets
from functools import cached_property

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from openaeo.accounts.roles import StaffRole


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("A user needs an e-mail address")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Signs in with an e-mail address; roles come from memberships."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    is_machine = False

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    @cached_property
    def staff_roles(self) -> frozenset[str]:
        """The Customs roles this person holds today (empty for traders)."""
        if not self.is_active:
            return frozenset()
        return frozenset(self.staff_assignments.filter(active=True).values_list("role", flat=True))

    @property
    def is_customs_staff(self) -> bool:
        return bool(self.staff_roles)


class Office(models.Model):
    """A Customs office (or AEO unit) to which staff and, later, cases belong."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    receives_applications = models.BooleanField(
        _("receives new applications"),
        default=False,
        help_text=_(
            "New AEO applications from businesses of this country go to this office "
            "(the first such office by code)."
        ),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self):
        return f"{self.code} {self.name}"


class StaffAssignment(models.Model):
    """One Customs role held by one person in one office.

    `all_offices` is the "granted more" of the foundation issue: the holder sees
    the work of every office, not only their own.
    """

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="staff_assignments", verbose_name=_("user")
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="staff_assignments", verbose_name=_("office")
    )
    role = models.CharField(_("role"), max_length=32, choices=StaffRole.choices)
    all_offices = models.BooleanField(_("sees all offices"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "office", "role"], name="staff_role_once")
        ]

    def __str__(self):
        return f"{self.user} - {self.get_role_display()} - {self.office.code}"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}...)"

    @staticmethod
    def new_secret() -> str:
        return "oat_" + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(secret: str) -> str:
        return _digest(secret)

    def is_usable(self, at: dt.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > at


class MachineClient(models.Model):
    """A system (partner administration, bank, buyer) calling the API with client credentials."""

    name = models.CharField(_("name"), max_length=150)
    client_id = models.CharField(_("client id"), max_length=40, unique=True)
    secret_digest = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self):
        return f"{self.name} ({self.client_id})"


class MachineAccessToken(models.Model):
    """A short-lived bearer token issued to a machine client (OAuth2 client credentials)."""

    client = models.ForeignKey(MachineClient, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"token for {self.client}"

    def is_usable(self, at: dt.datetime) -> bool:
        return self.client.active and self.expires_at > at
