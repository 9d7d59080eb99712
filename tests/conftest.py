"""Fixtures shared by every Django test: one person per role, and a way to sign them in."""

import pytest
from allauth.mfa.models import Authenticator  # noqa: F401 - ensures allauth.mfa models load

from openaeo.accounts.roles import OperatorRole, StaffRole
from openaeo.common import clock
from tests import factories

# The scenarios every test may start from (tests/scenarios/): plugins are declared here, in
# the rootdir conftest, as pytest requires.
pytest_plugins = ["tests.scenarios"]


@pytest.fixture
def operator(db):
    return factories.OperatorFactory()


@pytest.fixture
def other_operator(db):
    return factories.OperatorFactory()


@pytest.fixture
def people(db, operator, other_operator):
    """Every role of the foundation issue, against `operator` where a role is per-operator.

    Keys are the role names used by the permission matrix.
    """
    office = factories.OfficeFactory(code="PORT")
    other_office = factories.OfficeFactory(code="AIR")
    owner = factories.make_member(operator, OperatorRole.OWNER)
    representative = factories.UserFactory()
    factories.make_mandate(
        operator, representative, scopes=["prepare", "correspond"], granted_by=owner
    )
    return {
        "anonymous": None,
        "newcomer": factories.UserFactory(),
        "owner": owner,
        "editor": factories.make_member(operator, OperatorRole.EDITOR),
        "viewer": factories.make_member(operator, OperatorRole.VIEWER),
        "representative": representative,
        "other_owner": factories.make_member(other_operator, OperatorRole.OWNER),
        StaffRole.PROGRAMME_MANAGER.value: factories.make_staff(
            StaffRole.PROGRAMME_MANAGER, office=office
        ),
        StaffRole.VALIDATOR.value: factories.make_staff(StaffRole.VALIDATOR, office=office),
        "validator_elsewhere": factories.make_staff(StaffRole.VALIDATOR, office=other_office),
        StaffRole.SUPERVISOR.value: factories.make_staff(StaffRole.SUPERVISOR, office=office),
        StaffRole.RELATIONSHIP_MANAGER.value: factories.make_staff(
            StaffRole.RELATIONSHIP_MANAGER, office=office
        ),
        StaffRole.AUDITOR.value: factories.make_staff(StaffRole.AUDITOR, office=office),
        StaffRole.ADMINISTRATOR.value: factories.make_staff(StaffRole.ADMINISTRATOR, office=office),
    }


@pytest.fixture
def client_for(client):
    """`client_for(user)` returns a test client signed in as `user` (anonymous for None)."""
    from django.test import Client

    def make(user):
        new_client = Client()
        if user is not None:
            new_client.force_login(user)
        return new_client

    return make


@pytest.fixture(autouse=True, scope="session")
def _signing_key():
    """The test process's first signing key (`manage.py keys init` does it in production)."""
    from django.conf import settings

    from openaeo.common.signing_keys import ensure_key

    ensure_key(settings.OPENAEO_KEYS_DIR, now=clock.now())


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and used TOTP codes live in the cache: start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def programmes(db):
    """The shipped catalogue published and the four shipped programmes loaded (SAFE default)."""
    from openaeo.catalogue import services
    from openaeo.catalogue.programmes import shipped_programme_files

    services.catalogue_publish(actor=None)
    loaded = {}
    for path in shipped_programme_files():
        programme, _ = services.programme_load(
            actor=None, path=path, make_default=path.stem == "safe-reference"
        )
        loaded[path.stem] = programme
    return loaded
