"""Partner administrations of a mutual recognition arrangement, with their API clients."""

import datetime as dt

from openaeo.accounts import services as account_services
from openaeo.mra.models import PartnerAdministration


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
