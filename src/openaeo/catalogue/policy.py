"""Who may see catalogue and programme pages: the public pages are public."""

from openaeo.accounts.roles import StaffRole
from openaeo.common.permissions import PUBLIC, register_routes, staff_with

# Configuring the programme is the programme manager's job; administrators stand in.
CONFIGURE = staff_with(StaffRole.PROGRAMME_MANAGER, StaffRole.ADMINISTRATOR)

register_routes(
    {
        "catalogue:guide": PUBLIC,
        "catalogue:tiers": PUBLIC,
        "catalogue:template": PUBLIC,
        # Programme definitions are public information; the comparison only reads them.
        "catalogue:compare": PUBLIC,
        "catalogue:programme_manage": CONFIGURE,
        "catalogue:programme_edit": CONFIGURE,
    }
)
