"""Who is calling: the person (with the businesses they work for) or the API client.

Mounted beside the accounts router at /api/v1/me. It lives in operators, not accounts,
because a person's answer lists their roles at businesses, and accounts is the layer below
operators."""

from typing import Annotated, Literal

from ninja import Field, Router, Schema

from openaeo.common import clock
from openaeo.common.api_policy import AUTHENTICATED, is_machine, requires
from openaeo.common.api_support import problems
from openaeo.operators.models import Mandate, OperatorMembership

router = Router(tags=["Accounts"])


class OperatorRoleOut(Schema):
    id: int = Field(description="The business's id.")
    legal_name: str
    role: str = Field(description="owner, editor, viewer, or representative (under a mandate).")
    scopes: list[str] = Field(description="For a representative: what the mandate allows.")


class PersonOut(Schema):
    kind: Literal["person"]
    id: int
    email: str
    full_name: str
    staff_roles: list[str] = Field(description="Customs roles held today (none for traders).")
    operators: list[OperatorRoleOut] = Field(
        description="The businesses this person works for, with their role at each."
    )


class ClientOut(Schema):
    kind: Literal["client"]
    client_id: str
    name: str
    scopes: list[str] = Field(description="The scopes granted to the token in use.")


Me = Annotated[PersonOut | ClientOut, Field(discriminator="kind")]


def _operators_with_roles(user) -> list[dict]:
    """Each business `user` works for, as colleague (role) or representative (mandate in force)."""
    roles = [
        {
            "id": membership.operator_id,
            "legal_name": membership.operator.legal_name,
            "role": membership.role,
            "scopes": [],
        }
        for membership in OperatorMembership.objects.filter(user=user).select_related("operator")
    ]
    roles += [
        {
            "id": mandate.operator_id,
            "legal_name": mandate.operator.legal_name,
            "role": "representative",
            "scopes": list(mandate.scopes),
        }
        for mandate in Mandate.objects.in_force(clock.today())
        .filter(representative=user)
        .select_related("operator")
    ]
    return sorted(roles, key=lambda item: (item["legal_name"], item["id"], item["role"]))


@router.get(
    "/me",
    response={200: Me, **problems(401, 403)},
    url_name="me",
    summary="Who am I",
)
@requires(AUTHENTICATED)
def me(request):
    """The person or API client the request is authenticated as."""
    principal = request.user
    if is_machine(principal):
        return ClientOut(
            kind="client",
            client_id=principal.client_id,
            name=principal.name,
            scopes=sorted(principal.scopes),
        )
    return PersonOut(
        kind="person",
        id=principal.pk,
        email=principal.email,
        full_name=principal.full_name,
        staff_roles=sorted(principal.staff_roles),
        operators=_operators_with_roles(principal),
    )
