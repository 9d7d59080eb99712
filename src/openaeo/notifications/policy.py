"""Everyone signed in reads their own notifications, and only theirs."""

from openaeo.common.permissions import SIGNED_IN, register_routes

register_routes({"notifications:list": SIGNED_IN, "notifications:read": SIGNED_IN})
