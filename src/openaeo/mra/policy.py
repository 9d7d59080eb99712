"""Who may reach the mutual-recognition pages and the partner feed.

* Programme managers and administrators manage partner administrations, import their
  files and review identifiers that could not be matched.
* The outgoing feed (/api/mra/v1/) is for machine clients granted the scope mra:read
  whose partner administration's arrangement is in force today; no person, trader or
  staff, may call it.
"""

from openaeo.accounts.roles import StaffRole
from openaeo.common.api_policy import ApiRule, is_machine
from openaeo.common.permissions import API_OPERATIONS, register_routes, staff_with

MRA_SCOPE = "mra:read"
MANAGERS = staff_with(StaffRole.PROGRAMME_MANAGER, StaffRole.ADMINISTRATOR)


def can_manage(user) -> bool:
    return MANAGERS.allows(user)


def _active_partner(principal) -> bool:
    if not is_machine(principal) or MRA_SCOPE not in principal.scopes:
        return False
    from openaeo.mra.selectors import active_partner_for_client

    return active_partner_for_client(principal.client_id) is not None


PARTNER_FEED = ApiRule(
    f"API clients granted the scope {MRA_SCOPE} of a partner administration whose "
    "arrangement is in force",
    _active_partner,
    admits_machines=True,
    scope=MRA_SCOPE,
)

register_routes(
    {
        "mra:partners": MANAGERS,
        "mra:partner": MANAGERS,
        "mra:upload": MANAGERS,
        "mra:import": MANAGERS,
        "mra:acknowledgement": MANAGERS,
        "mra:mapping": MANAGERS,
        # The MRA API decides per operation (PARTNER_FEED).
        "api-mra:*": API_OPERATIONS,
    }
)
