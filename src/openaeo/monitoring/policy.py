"""Who may reach monitoring pages, and who may act on one certificate's monitoring.

* The holder's people (owner, editor, viewer) read their certificate's monitoring page;
  owners and editors fill in the annual self-review, notify changes and report
  incidents. Anyone else on the trader side gets "not found".
* Officers who read the case that granted the certificate (validators and supervisors
  of its office, programme managers, auditors) read the records; validators and
  supervisors of that office review them and may report an incident for the holder.
"""

from openaeo.accounts.roles import OperatorRole, StaffRole
from openaeo.common.permissions import register_routes, staff_with, trader_side

TRADER = trader_side()
READERS = staff_with(
    StaffRole.VALIDATOR, StaffRole.SUPERVISOR, StaffRole.PROGRAMME_MANAGER, StaffRole.AUDITOR
)
REVIEWERS_ROLES = (StaffRole.VALIDATOR, StaffRole.SUPERVISOR)
REVIEWERS = staff_with(*REVIEWERS_ROLES)

register_routes(
    {
        "monitoring:holder": TRADER,
        "monitoring:self_review": TRADER,
        "monitoring:change_new": TRADER,
        "monitoring:incident_new": TRADER,
        "monitoring:overview": READERS,
        "monitoring:self_review_detail": READERS,
        "monitoring:self_review_review": REVIEWERS,
        "monitoring:change_detail": READERS,
        "monitoring:change_review": REVIEWERS,
        "monitoring:incident_detail": READERS,
        "monitoring:incident_review": REVIEWERS,
        "monitoring:incident_report_for_holder": REVIEWERS,
    }
)


def _membership(user, certificate) -> str | None:
    from openaeo.operators import policy as operator_policy

    if not user.is_authenticated or getattr(user, "is_machine", False) or user.staff_roles:
        return None
    return operator_policy.membership_role(user, certificate.holder)


def can_view_as_holder(user, certificate) -> bool:
    return _membership(user, certificate) is not None


def can_write_as_holder(user, certificate) -> bool:
    """Owners and editors speak for the business; viewers only read."""
    return _membership(user, certificate) in (OperatorRole.OWNER, OperatorRole.EDITOR)


def can_read_as_officer(user, certificate) -> bool:
    from openaeo.cases import policy as case_policy

    if not user.is_authenticated or not user.staff_roles:
        return False
    return case_policy.can_see_case(user, certificate.decision.application)


def can_review(user, certificate) -> bool:
    """Validators and supervisors of the office that decided the certificate's case."""
    from openaeo.cases import policy as case_policy

    return case_policy.can_work_on(user, certificate.decision.application)
