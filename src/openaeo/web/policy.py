"""Public and shared pages, the admin site and the API mount."""

from openaeo.accounts.roles import StaffRole
from openaeo.common.permissions import (
    API_OPERATIONS,
    PUBLIC,
    SIGNED_IN,
    register_routes,
    staff_with,
)

register_routes(
    {
        "web:home": PUBLIC,
        "web:dashboard": SIGNED_IN,
        "web:roles": PUBLIC,
        "set_language": PUBLIC,
        "javascript-catalog": PUBLIC,
        # Django's admin is for administrators only; it checks its own permissions too.
        "admin:*": staff_with(StaffRole.ADMINISTRATOR),
        # The API decides per operation (openaeo.common.api_policy).
        "api-v1:*": API_OPERATIONS,
    }
)
