"""Who may reach the audit trail: auditors, and administrators who answer for the system."""

from openaeo.common.permissions import register_routes, staff_with

# The role names of openaeo.accounts.roles.StaffRole, spelled out: common is the layer below
# accounts and imports nothing from it (tests/common/test_policy_matrix.py checks the names).
READ_AUDIT_TRAIL = staff_with("auditor", "administrator")

register_routes(
    {
        "audit:list": READ_AUDIT_TRAIL,
        "audit:detail": READ_AUDIT_TRAIL,
    }
)
