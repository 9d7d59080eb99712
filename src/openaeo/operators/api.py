"""Economic operators over the API: the businesses a person works for, as they see them."""

import datetime as dt

from ninja import Field, Query, Router, Schema

from openaeo.common import clock
from openaeo.common.api_policy import requires
from openaeo.common.api_support import ObjectId, Page, PageQuery, paginate, problems
from openaeo.common.permissions import SIGNED_IN
from openaeo.operators import policy, selectors

router = Router(tags=["Businesses"])


class OperatorSummary(Schema):
    id: int
    legal_name: str
    identifier: str = Field(description="Tax or EORI-style identifier.")
    country: str = Field(description="ISO 3166-1 alpha-2 code.")


class MemberOut(Schema):
    email: str
    full_name: str
    role: str = Field(description="owner, editor or viewer.")
    added_at: dt.datetime


class MandateOut(Schema):
    id: int
    representative: str = Field(description="The representative's e-mail address.")
    scopes: list[str] = Field(description="What the representative may do.")
    valid_from: dt.date
    valid_until: dt.date
    status: str = Field(description="in_force, future, expired or revoked (today).")


class OperatorDetail(OperatorSummary):
    created_at: dt.datetime
    my_role: str | None = Field(
        description="The caller's role at this business (owner, editor, viewer), if any."
    )
    members: list[MemberOut] | None = Field(
        description="The people working for the business; only for them and Customs staff."
    )
    mandates: list[MandateOut] | None = Field(
        description="Representatives' mandates; only for the business's people and Customs staff."
    )


class OperatorPage(Page):
    items: list[OperatorSummary]


@router.get(
    "",
    response={200: OperatorPage, **problems(400, 401, 403)},
    url_name="operator_list",
    summary="List businesses",
)
@requires(SIGNED_IN)
def operator_list(request, query: Query[PageQuery]):
    """The businesses the caller works for (as a colleague or representative); all, for staff."""
    return paginate(request, selectors.operators_listed_for(request.user), query)


@router.get(
    "/{operator_id}",
    response={200: OperatorDetail, **problems(400, 401, 403, 404)},
    url_name="operator_detail",
    summary="Read one business",
)
@requires(SIGNED_IN)
def operator_detail(request, operator_id: ObjectId):
    """One business. A business the caller may not see answers 404, as if it did not exist."""
    user = request.user
    operator = selectors.operator_visible_to(user, operator_id)
    my_role = policy.membership_role(user, operator)
    sees_people = my_role is not None or bool(user.staff_roles)
    today = clock.today()
    return {
        "id": operator.pk,
        "legal_name": operator.legal_name,
        "identifier": operator.identifier,
        "country": operator.country,
        "created_at": operator.created_at,
        "my_role": my_role,
        "members": [
            {
                "email": membership.user.email,
                "full_name": membership.user.full_name,
                "role": membership.role,
                "added_at": membership.added_at,
            }
            for membership in selectors.members_of(operator)
        ]
        if sees_people
        else None,
        "mandates": [
            {
                "id": mandate.pk,
                "representative": mandate.representative.email,
                "scopes": mandate.scopes,
                "valid_from": mandate.valid_from,
                "valid_until": mandate.valid_until,
                "status": mandate.status(today),
            }
            for mandate in selectors.mandates_of(operator)
        ]
        if sees_people
        else None,
    }
