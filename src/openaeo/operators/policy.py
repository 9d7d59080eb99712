"""Who may see and manage an economic operator.

Route rules say who may reach a page at all; the functions below answer for one
operator, and selectors use them so that a refused operator looks exactly like
one that does not exist.
"""

from openaeo.accounts.roles import MandateScope, OperatorRole
from openaeo.common import clock
from openaeo.common.permissions import SIGNED_IN, Rule, register_routes, trader_side
from openaeo.operators.models import EconomicOperator, Mandate, OperatorMembership

TRADER = trader_side()
# The invitation page: anyone with the link, signed in or not, except Customs staff.
# Whether the signed-in person is the one invited is decided by the page itself.
NOT_STAFF = Rule(
    "anyone except Customs staff",
    lambda user: not user.is_authenticated or not user.staff_roles,
)

register_routes(
    {
        "operators:list": TRADER,
        "operators:register": TRADER,
        "operators:request_access": TRADER,
        "operators:access_decide": TRADER,
        "operators:detail": SIGNED_IN,
        "operators:profile": TRADER,
        "operators:msme_proof": TRADER,
        "operators:sites": TRADER,
        "operators:site_add": TRADER,
        "operators:site_remove": TRADER,
        "operators:contact_add": TRADER,
        "operators:contact_remove": TRADER,
        "operators:member_add": TRADER,
        "operators:member_remove": TRADER,
        "operators:mandate_grant": TRADER,
        "operators:mandate_revoke": TRADER,
        "operators:invitation": NOT_STAFF,
        "operators:invitation_cancel": TRADER,
    }
)


def membership_role(user, operator: EconomicOperator) -> str | None:
    if not user.is_authenticated:
        return None
    return (
        OperatorMembership.objects.filter(user=user, operator=operator)
        .values_list("role", flat=True)
        .first()
    )


def mandate_scopes(user, operator: EconomicOperator) -> frozenset[str]:
    """What `user` may do for `operator` as a representative today."""
    if not user.is_authenticated:
        return frozenset()
    scopes: set[str] = set()
    for granted in (
        Mandate.objects.in_force(clock.today())
        .filter(representative=user, operator=operator)
        .values_list("scopes", flat=True)
    ):
        scopes.update(granted)
    return frozenset(scopes)


def can_view_operator(user, operator: EconomicOperator) -> bool:
    if not user.is_authenticated:
        return False
    if user.staff_roles:
        return True
    return membership_role(user, operator) is not None or bool(mandate_scopes(user, operator))


def can_manage_people(user, operator: EconomicOperator) -> bool:
    """Only an owner (the legal representative) adds colleagues and grants mandates."""
    return membership_role(user, operator) == OperatorRole.OWNER


def can_prepare(user, operator: EconomicOperator) -> bool:
    role = membership_role(user, operator)
    if role in (OperatorRole.OWNER, OperatorRole.EDITOR):
        return True
    return MandateScope.PREPARE in mandate_scopes(user, operator)


def can_submit(user, operator: EconomicOperator) -> bool:
    if membership_role(user, operator) == OperatorRole.OWNER:
        return True
    return MandateScope.SUBMIT in mandate_scopes(user, operator)
