"""Mutual recognition: certificates of ours, partner administrations and their API clients."""

import datetime as dt

import pytest

from openaeo.accounts import services as account_services
from openaeo.common import clock
from openaeo.mra.models import PartnerAdministration
from tests import factories
from tests.api.conftest import api, machine_client, machine_token, token_for  # noqa: F401
from tests.cases.conftest import business, port, scenario_day, staff  # noqa: F401
from tests.certificates.conftest import certify, keys_dir  # noqa: F401


def make_partner(name="Partner Customs", *, scopes=("mra:read",), active_until=None, client=True):
    machine = secret = None
    if client:
        machine, secret = account_services.machine_client_create(
            actor=None, name=name, scopes=list(scopes)
        )
    partner = PartnerAdministration.objects.create(
        name=name,
        country="ZY",
        arrangement=f"Mutual recognition arrangement with {name}",
        data_elements=["name", "address", "status", "authorised_on", "identifier"],
        active_from=dt.date(2020, 1, 1),
        active_until=active_until,
        client=machine,
    )
    token = None
    if machine is not None:
        token, _t = account_services.machine_token_issue(
            client_id=machine.client_id, client_secret=secret, scopes=None
        )
    return partner, token


@pytest.fixture
def partner(db):
    """An active partner administration and a token of its client (scope mra:read)."""
    return make_partner()


@pytest.fixture
def certificates(certify, staff):  # noqa: F811
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
