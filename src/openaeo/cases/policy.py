"""Who may reach case pages, and who may act on one case.

The trader side follows its application (status, information requests, appeal);
Customs staff work on the cases of their own offices. Route rules only say who may
reach a page; the functions below answer for one case and are used by selectors
(refusing with "not found") and again by every service (refusing with
PermissionDenied), so that a view that forgot a check still cannot change a case.
"""

from openaeo.accounts.roles import ALL_OFFICE_ROLES, StaffRole
from openaeo.common.permissions import SIGNED_IN, register_routes, staff_with, trader_side

TRADER = trader_side()
CASE_READERS = staff_with(
    StaffRole.VALIDATOR, StaffRole.SUPERVISOR, StaffRole.PROGRAMME_MANAGER, StaffRole.AUDITOR
)
CASE_WORKERS = staff_with(StaffRole.VALIDATOR, StaffRole.SUPERVISOR)
SUPERVISORS = staff_with(StaffRole.SUPERVISOR)

register_routes(
    {
        "cases:submit": TRADER,
        "cases:status": TRADER,
        "cases:reply": TRADER,
        "cases:withdraw": TRADER,
        "cases:appeal": TRADER,
        # The letter is the applicant's and the case officers'; the view checks which.
        "cases:decision_letter": SIGNED_IN,
        "cases:queue": CASE_READERS,
        "cases:assign": SUPERVISORS,
        "cases:case": CASE_READERS,
        "cases:act": CASE_WORKERS,
        "cases:follow_up": CASE_WORKERS,
        "cases:visit_plan": CASE_WORKERS,
        "cases:visit_item": CASE_WORKERS,
        "cases:visit_complete": CASE_WORKERS,
        "cases:corrective_action_accept": CASE_WORKERS,
        "cases:corrective_action_done": TRADER,
        # Officers who see the case, and the business once the report is completed.
        "cases:visit_report": SIGNED_IN,
    }
)


def offices_of(user, roles=None) -> set[int] | None:
    """The offices whose cases `user` sees in `roles` (all roles when None).

    None means every office (a role that sees all offices, or an all-offices grant).
    """
    if not user.is_authenticated or not user.staff_roles:
        return set()
    assignments = user.staff_assignments.filter(active=True)
    if roles is not None:
        assignments = assignments.filter(role__in=list(roles))
    offices = set()
    for office_id, role, all_offices in assignments.values_list("office_id", "role", "all_offices"):
        if all_offices or role in ALL_OFFICE_ROLES:
            return None
        offices.add(office_id)
    return offices


def _in_offices(user, application, roles) -> bool:
    offices = offices_of(user, roles)
    return offices is None or application.office_id in offices


READ_ROLES = (
    StaffRole.VALIDATOR,
    StaffRole.SUPERVISOR,
    StaffRole.PROGRAMME_MANAGER,
    StaffRole.AUDITOR,
)


def can_see_case(user, application) -> bool:
    """Staff reading cases: validators and supervisors of the office, programme managers, auditors.

    Someone holding none of these roles has no offices in them, so is refused."""
    return _in_offices(user, application, READ_ROLES)


def can_work_on(user, application) -> bool:
    """Validators and supervisors of the case's office move it through the review."""
    roles = (StaffRole.VALIDATOR, StaffRole.SUPERVISOR)
    return bool(user.is_authenticated and user.staff_roles & set(roles)) and _in_offices(
        user, application, roles
    )


def can_decide(user, application) -> bool:
    """Supervisors of the case's office take decisions and assign work."""
    roles = (StaffRole.SUPERVISOR,)
    return bool(user.is_authenticated and StaffRole.SUPERVISOR in user.staff_roles) and (
        _in_offices(user, application, roles)
    )


def may_be_assigned(user, application) -> bool:
    """Who can be given a case: an active validator or supervisor of its office."""
    return user.is_active and can_work_on(user, application)
