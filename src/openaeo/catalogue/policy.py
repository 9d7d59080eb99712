"""Who may see catalogue and programme pages: the public pages are public."""

from openaeo.common.permissions import PUBLIC, register_routes

register_routes(
    {
        "catalogue:guide": PUBLIC,
        "catalogue:tiers": PUBLIC,
        "catalogue:template": PUBLIC,
        # Programme definitions are public information; the comparison only reads them.
        "catalogue:compare": PUBLIC,
    }
)
