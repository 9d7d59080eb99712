"""Who may reach the audit trail: auditors, and administrators who answer for the system."""

from openaeo.accounts.roles import StaffRole
from openaeo.common.permissions import register_routes, staff_with

READ_AUDIT_TRAIL = staff_with(StaffRole.AUDITOR, StaffRole.ADMINISTRATOR)

register_routes(
    {
        "audit:list": READ_AUDIT_TRAIL,
        "audit:detail": READ_AUDIT_TRAIL,
    }
)
