"""Mutual recognition: certificates of ours, partner administrations and their API clients."""

import datetime as dt

import pytest

from openaeo.common import clock
from tests import factories
from tests.scenarios.mra import make_partner


@pytest.fixture(autouse=True)
def _own_keys(keys_dir):
    """Every test here signs with keys of its own (tests.scenarios.certificates)."""


@pytest.fixture
def partner(db):
    """An active partner administration and a token of its client (scope mra:read)."""
    return make_partner()


@pytest.fixture
def certificates(certify, staff):
    """Three certificates of three businesses: active, suspended, revoked."""
    from openaeo.certificates.models import Certificate
    from openaeo.certificates.services import certificate_revoke, certificate_suspend

    made = [certify(factories.OperatorFactory(address=f"{n} Harbour Road")) for n in (1, 2, 3)]
    # In effect: the programme's certificates take effect some days after the decision,
    # and neither we nor a partner publish one before then.
    Certificate.objects.filter(pk__in=[c.pk for c in made]).update(
        effective_on=clock.today() - dt.timedelta(days=30)
    )
    for certificate in made:
        certificate.refresh_from_db()
    made[1] = certificate_suspend(
        actor=staff["supervisor"], certificate=made[1], reason="Audit findings."
    )
    made[2] = certificate_revoke(
        actor=staff["supervisor"], certificate=made[2], reason="No longer trading."
    )
    return made
