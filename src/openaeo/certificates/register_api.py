"""The public AEO register over the API: the same list as /register/, without sign-in."""

import datetime as dt
from typing import Literal

from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema

from openaeo.certificates import register
from openaeo.common.api_policy import requires
from openaeo.common.api_support import Page, PageQuery, paginate, problems
from openaeo.common.permissions import PUBLIC

router = Router(tags=["Public register"])


class RegisterQuery(PageQuery):
    name: str = Field("", max_length=200, description="Part of the business name, any case.")
    country: str = Field("", max_length=2, description="Two-letter country code.")
    tier: str = Field("", max_length=40, description="The level's code, such as `entry`.")
    status: Literal["", "valid", "suspended"] = Field("", description="Both when empty.")


class RegisterEntry(Schema):
    aeo_number: str
    holder: str = Field(description="The business name on the certificate.")
    identifier: str | None = Field(
        description="The holder's identifier, only where the programme publishes it."
    )
    country: str
    tier: str = Field(description="The level's code.")
    tier_name: str = Field(description="The level's name in the language asked for.")
    status: Literal["valid", "suspended"]
    effective_on: dt.date = Field(description="The date AEO status started.")


class RegisterPage(Page):
    items: list[RegisterEntry]


STATUS_WORDS = {value: word for word, value in register.STATUSES.items()}


@router.get(
    "",
    response={200: RegisterPage, **problems(400)},
    url_name="register_list",
    summary="Search the public AEO register",
    auth=None,
)
@requires(PUBLIC)
def register_list(request, query: Query[RegisterQuery]):
    """Holders who consented to be listed, with a valid or suspended certificate, by
    name. Revoked and expired certificates are not listed; the identifier only where
    the programme publishes it."""
    criteria = register.RegisterFilter(
        name=query.name, country=query.country, tier=query.tier, status=query.status
    )
    page = paginate(request, register.register_search(criteria), query)
    publishing = register.programmes_publishing_identifier()
    language = get_language() or "en"
    page["items"] = [
        {
            "aeo_number": certificate.aeo_number,
            "holder": certificate.holder_name,
            "identifier": certificate.identifier
            if certificate.programme_id in publishing
            else None,
            "country": certificate.country,
            "tier": certificate.tier_code,
            "tier_name": certificate.tier_label(language),
            "status": STATUS_WORDS[certificate.status],
            "effective_on": certificate.effective_on,
        }
        for certificate in page["items"]
    ]
    return page
