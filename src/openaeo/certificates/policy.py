"""Who may reach certificate pages, and who may read or change one certificate.

* The holder's people (owner, editor, viewer of the business) read its certificates
  and download their credentials; nobody else on the trader side learns that a
  certificate exists (selectors answer 404).
* Customs staff read every certificate; a supervisor of the office that decided the
  case suspends, reinstates or revokes it.
* The signing keys and the status lists are public: anyone verifies with them.
"""

from openaeo.accounts.roles import StaffRole
from openaeo.common.permissions import PUBLIC, SIGNED_IN, register_routes, staff_with, trader_side

TRADER = trader_side()
STAFF = staff_with()
SUPERVISORS = staff_with(StaffRole.SUPERVISOR)

register_routes(
    {
        "certificates:business": TRADER,
        # The holder's people and Customs staff; the view checks which.
        "certificates:download": SIGNED_IN,
        "certificates:list": STAFF,
        "certificates:detail": STAFF,
        "certificates:change": SUPERVISORS,
        # Opening a reassessment: supervisors of the certificate's office (the view checks).
        "certificates:reassess": SUPERVISORS,
        # Starting a renewal: the holder's people who may submit (the service checks).
        "certificates:renew": TRADER,
        "certificates:status_list": PUBLIC,
        "certificates:status_list_json": PUBLIC,
        "certificates:jwks": PUBLIC,
        # The public register (register_views.py): anyone reads it; an owner of the
        # holder gives or withdraws consent to appear in it (the view checks which).
        "certificates:register": PUBLIC,
        "certificates:register_csv": PUBLIC,
        "certificates:register_consent": TRADER,
        # Like the credential: the holder's people and Customs staff (the view checks).
        "certificates:pdf": SIGNED_IN,
        "certificates:verify": PUBLIC,
    }
)


def is_holder_member(user, operator) -> bool:
    from openaeo.operators import policy as operator_policy

    return operator_policy.membership_role(user, operator) is not None


def can_view(user, certificate) -> bool:
    if not user.is_authenticated or getattr(user, "is_machine", False):
        return False
    if user.staff_roles:
        return True
    return is_holder_member(user, certificate.holder)


def can_change_status(user, certificate) -> bool:
    """Supervisors of the office that decided the case (or of every office)."""
    from openaeo.cases import policy as case_policy

    return case_policy.can_decide(user, certificate.decision.application)


def can_manage_register_consent_of(user, operator) -> bool:
    """Only an owner of the holder (its legal representative) lists it in the register."""
    from openaeo.operators import policy as operator_policy

    if not user.is_authenticated or getattr(user, "is_machine", False) or user.staff_roles:
        return False
    return operator_policy.can_manage_people(user, operator)


def can_manage_register_consent(user, certificate) -> bool:
    return can_manage_register_consent_of(user, certificate.holder)
