"""Reading users, offices and credentials."""

from django.db.models import QuerySet

from openaeo.accounts.models import ApiToken, Office, StaffAssignment
from openaeo.accounts.roles import ALL_OFFICE_ROLES


def visible_office_ids(user) -> frozenset[int] | None:
    """The offices whose work `user` may see; None means every office.

    Programme managers, auditors and administrators see every office, as does
    anyone whose assignment says `all_offices`; everyone else sees the offices they
    are assigned to. Later apps (cases, monitoring) filter their querysets by this.
    """
    if not user.is_authenticated or not user.staff_roles:
        return frozenset()
    assignments = StaffAssignment.objects.filter(user=user, active=True)
    if user.staff_roles & ALL_OFFICE_ROLES or assignments.filter(all_offices=True).exists():
        return None
    return frozenset(assignments.values_list("office_id", flat=True))


def offices_visible_to(user) -> QuerySet[Office]:
    office_ids = visible_office_ids(user)
    offices = Office.objects.all()
    if office_ids is not None:
        offices = offices.filter(id__in=office_ids)
    return offices


def staff_of_offices(offices: QuerySet[Office]) -> QuerySet[StaffAssignment]:
    return (
        StaffAssignment.objects.filter(office__in=offices, active=True, user__is_active=True)
        .select_related("user", "office")
        .order_by("office__code", "user__email", "role")
    )


def api_tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def has_verified_email(user, email: str) -> bool:
    """Has `user` confirmed that they read `email` (compared without regard to case)?"""
    from allauth.account.models import EmailAddress

    if not user.is_authenticated or not email:
        return False
    return EmailAddress.objects.filter(
        user=user, email__iexact=email.strip(), verified=True
    ).exists()
