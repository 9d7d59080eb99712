"""Who may reach screening.

Declaration data are national, not per office: every reader of cases may read the
screening results. Alerts belong to the office that granted the certificate: its
validators and supervisors see them, its supervisors (and programme managers) act on
them. Only programme managers start a national run; they and administrators import
declaration files (administrators answer for the data feeds).
"""

from openaeo.accounts.roles import StaffRole
from openaeo.accounts.selectors import visible_office_ids
from openaeo.common.permissions import register_routes, staff_with

READERS = (
    StaffRole.VALIDATOR,
    StaffRole.SUPERVISOR,
    StaffRole.PROGRAMME_MANAGER,
    StaffRole.AUDITOR,
)
READ_SCREENING = staff_with(*READERS)
START_RUN = staff_with(StaffRole.PROGRAMME_MANAGER)
READ_IMPORTS = staff_with(StaffRole.PROGRAMME_MANAGER, StaffRole.ADMINISTRATOR, StaffRole.AUDITOR)
IMPORT_DATA = staff_with(StaffRole.PROGRAMME_MANAGER, StaffRole.ADMINISTRATOR)
ACT_ON_ALERTS = staff_with(StaffRole.SUPERVISOR, StaffRole.PROGRAMME_MANAGER)

register_routes(
    {
        "screening:runs": READ_SCREENING,
        "screening:run_start": START_RUN,
        "screening:run": READ_SCREENING,
        "screening:imports": READ_IMPORTS,
        "screening:import_upload": IMPORT_DATA,
        "screening:import": READ_IMPORTS,
        "screening:alerts": READ_SCREENING,
        "screening:alert_act": ACT_ON_ALERTS,
        "screening:declarations": READ_SCREENING,
    }
)


def can_start_run(user) -> bool:
    return START_RUN.allows(user)


def can_import(user) -> bool:
    return IMPORT_DATA.allows(user)


def alert_office_ids(user) -> frozenset[int] | None:
    """The offices whose alerts `user` sees (None: every office)."""
    return visible_office_ids(user)


def acting_office_ids(user) -> set[int] | None:
    """The offices whose alerts `user` acts on (None: every office; empty: none)."""
    from openaeo.cases.policy import offices_of

    if not ACT_ON_ALERTS.allows(user):
        return set()
    return offices_of(user, (StaffRole.SUPERVISOR, StaffRole.PROGRAMME_MANAGER))


def can_act_on_alert(user, alert, offices=...) -> bool:
    """Supervisors of the alert's office, and programme managers (every office).

    Pass `offices` (from acting_office_ids) to judge many alerts with one query.
    """
    if offices is ...:
        offices = acting_office_ids(user)
    return offices is None or alert.office_id in offices
