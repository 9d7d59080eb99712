"""Test data builders. They create rows directly, except where a service is the point."""

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from openaeo.accounts.models import Office, User
from openaeo.accounts.roles import OperatorRole
from openaeo.accounts.services import staff_role_grant
from openaeo.common import clock
from openaeo.operators.models import EconomicOperator, Mandate, OperatorMembership

PASSWORD = "correct-horse-battery"

# Every key of the `people` fixture (tests/conftest.py): the callers both permission
# matrices try on every page and API operation.
ROLES = (
    "anonymous",
    "newcomer",
    "owner",
    "editor",
    "viewer",
    "representative",
    "other_owner",
    "programme_manager",
    "validator",
    "validator_elsewhere",
    "supervisor",
    "relationship_manager",
    "auditor",
    "administrator",
)
# The `people` who work for a business (or would like to), and the customs staff.
TRADERS = frozenset({"newcomer", "owner", "editor", "viewer", "representative", "other_owner"})
STAFF = frozenset(ROLES) - TRADERS - {"anonymous"}
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"OF{n}")
    name = factory.LazyAttribute(lambda o: f"Office {o.code}")
    country = "KE"


def make_staff(role: str, *, office: Office | None = None, all_offices=False, mfa=True) -> User:
    user = UserFactory(email=f"{role}.{User.objects.count()}@customs.test")
    staff_role_grant(
        actor=None, user=user, office=office or OfficeFactory(), role=role, all_offices=all_offices
    )
    if mfa:
        TOTP.activate(user, TOTP_SECRET)
    return user


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EconomicOperator

    legal_name = factory.Sequence(lambda n: f"Business {n} Ltd")
    identifier = factory.Sequence(lambda n: f"KE-ID{n:08d}")
    country = "KE"
    created_at = factory.LazyFunction(clock.now)


def make_member(operator: EconomicOperator, role: str = OperatorRole.OWNER, user=None) -> User:
    user = user or UserFactory()
    OperatorMembership.objects.create(operator=operator, user=user, role=role, added_at=clock.now())
    return user


def make_mandate(operator, representative, *, scopes=("prepare",), days=30, granted_by=None):
    today = clock.today()
    return Mandate.objects.create(
        operator=operator,
        representative=representative,
        scopes=list(scopes),
        valid_from=today,
        valid_until=today + dt.timedelta(days=days),
        granted_by=granted_by or representative,
        granted_at=clock.now(),
    )


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
