"""Reading operators, as seen by one user."""

from django.db.models import Q, QuerySet
from django.http import Http404

from openaeo.common import clock
from openaeo.operators import policy
from openaeo.operators.models import (
    EconomicOperator,
    Mandate,
    OperatorContact,
    OperatorInvitation,
    OperatorMembership,
    OperatorSite,
)


def operators_of(user) -> QuerySet[EconomicOperator]:
    """Operators `user` works for, as member or as representative under a mandate in force."""
    if not user.is_authenticated:
        return EconomicOperator.objects.none()
    today = clock.today()
    represented = Mandate.objects.in_force(today).filter(representative=user)
    return EconomicOperator.objects.filter(
        Q(memberships__user=user) | Q(id__in=represented.values("operator_id"))
    ).distinct()


def operators_listed_for(user) -> QuerySet[EconomicOperator]:
    """Customs staff see every business; everyone else those they work for."""
    operators = EconomicOperator.objects.all() if user.staff_roles else operators_of(user)
    return operators.order_by("legal_name", "id")


def operator_visible_to(user, operator_id: int) -> EconomicOperator:
    """The operator, or 404 whether it does not exist or `user` may not see it."""
    operator = EconomicOperator.objects.filter(pk=operator_id).first()
    if operator is None or not policy.can_view_operator(user, operator):
        raise Http404
    return operator


def operator_managed_by(user, operator_id: int) -> EconomicOperator:
    """The operator, or 404 unless `user` is its owner (never reveals it exists)."""
    operator = EconomicOperator.objects.filter(pk=operator_id).first()
    if operator is None or not policy.can_manage_people(user, operator):
        raise Http404
    return operator


def operator_prepared_by(user, operator_id: int) -> EconomicOperator:
    """The operator, or 404 unless `user` prepares its file (owner, editor, mandate to prepare)."""
    operator = EconomicOperator.objects.filter(pk=operator_id).first()
    if operator is None or not policy.can_prepare(user, operator):
        raise Http404
    return operator


def sites_of(operator: EconomicOperator) -> QuerySet[OperatorSite]:
    return operator.sites.order_by("id")


def contacts_of(operator: EconomicOperator) -> QuerySet[OperatorContact]:
    return operator.contacts.order_by("id")


def members_of(operator: EconomicOperator) -> QuerySet[OperatorMembership]:
    return operator.memberships.select_related("user").order_by("role", "user__email")


def mandates_of(operator: EconomicOperator) -> QuerySet[Mandate]:
    return operator.mandates.select_related("representative", "granted_by").order_by("-granted_at")


def invitations_open(operator: EconomicOperator) -> QuerySet[OperatorInvitation]:
    """Invitations neither accepted nor cancelled (expired ones included), newest first."""
    return operator.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).order_by(
        "-created_at", "-id"
    )


def invitation_for_token(token: str) -> OperatorInvitation | None:
    """The invitation whose link carries `token`, whatever its state; None when unknown."""
    return (
        OperatorInvitation.objects.select_related("operator", "invited_by")
        .filter(token_digest=OperatorInvitation.digest_of(token or ""))
        .first()
    )
