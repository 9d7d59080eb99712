"""Selecting the cases of the work queue (selectors of the queue page and its benchmark)."""

from django.db.models import QuerySet

from openaeo.accounts.roles import StaffRole
from openaeo.cases import policy
from openaeo.cases.models import CUSTOMS_STATES, Application

READ_ROLES = (
    StaffRole.VALIDATOR,
    StaffRole.SUPERVISOR,
    StaffRole.PROGRAMME_MANAGER,
    StaffRole.AUDITOR,
)


def cases_for(user) -> QuerySet[Application]:
    """The open cases `user` may see: MSME priority first, then the nearest deadline."""
    offices = policy.offices_of(user, READ_ROLES)
    cases = Application.objects.filter(status__in=CUSTOMS_STATES)
    if offices is not None:
        cases = cases.filter(office_id__in=offices)
    return cases.select_related("operator", "office", "assignee").order_by(
        "-priority", "due_on", "id"
    )
