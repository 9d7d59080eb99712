"""The mutual-recognition API, version 1, mounted at /api/mra/v1/ (openaeo.urls).

Partner administrations read our AEO certificates with a client-credentials token
(obtained at /api/v1/auth/token) carrying the scope mra:read.
"""

import datetime as dt

from django.http import StreamingHttpResponse
from ninja import Field, Query, Router, Schema

from openaeo.accounts.api_auth import default_auth
from openaeo.certificates import credentials
from openaeo.common.api_policy import requires
from openaeo.common.api_support import (
    OpenAeoNinjaAPI,
    Page,
    PageQuery,
    docs,
    install_problem_handlers,
    paginate,
    problems,
)
from openaeo.mra import export, feed, selectors
from openaeo.mra.policy import PARTNER_FEED

router = Router(tags=["Mutual recognition"])


class FeedRecord(Schema):
    aeo_number: str = Field(description="The AEO number of the certificate.")
    operator_identifier: str = Field(description="The business's identifier (such as an EORI).")
    name: str = Field(description="The holder's name as granted.")
    address: str
    country: str = Field(description="ISO 3166-1 alpha-2.")
    status: str = Field(
        description="active, suspended, revoked, expired, or superseded (renewed or reissued:"
        " the new certificate is its own record)."
    )
    authorised_on: dt.date = Field(description="The day the status took effect.")
    status_changed_on: dt.date | None = Field(
        description="The day of the last status change (suspension, revocation, expiry)."
    )
    tier: str = Field(description="The programme level.")
    expires_on: dt.date | None
    changed_at: dt.datetime = Field(description="When this record last changed.")


class FeedPage(Page):
    items: list[FeedRecord]


class FeedQuery(PageQuery):
    changed_since: dt.datetime | None = Field(
        None,
        description="Only certificates issued or whose status changed at or after this "
        "moment (ISO 8601, such as 2026-11-01T00:00:00Z).",
    )


class CsvQuery(Schema):
    changed_since: dt.datetime | None = FeedQuery.model_fields["changed_since"]


@router.get(
    "/operators",
    response={200: FeedPage, **problems(400, 401, 403)},
    url_name="mra_operators",
    summary="Our AEO certificates, for a partner administration",
)
@requires(PARTNER_FEED)
def mra_operators(request, query: Query[FeedQuery]):
    """The seven elements of the EU-US practice for each certificate, ordered by id so
    that limit/offset pages are stable."""
    page = paginate(request, selectors.feed_certificates(query.changed_since), query)
    page["items"] = [feed.record_of(certificate) for certificate in page["items"]]
    return page


CSV_RESPONSE = {
    200: {
        "description": "The same records as CSV, one line each after a header line.",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


@router.get(
    "/operators.csv",
    response={200: None, **problems(400, 401, 403)},
    url_name="mra_operators_csv",
    summary="Our AEO certificates as CSV, for a partner administration",
    openapi_extra={"responses": CSV_RESPONSE},
)
@requires(PARTNER_FEED)
def mra_operators_csv(request, query: Query[CsvQuery]):
    """Every matching certificate in one streamed CSV file (not paginated)."""
    chunks = export.chunks("csv", changed_since=query.changed_since)
    response = StreamingHttpResponse(chunks, content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="aeo-operators.csv"'
    return response


ZIP_RESPONSE = {
    200: {
        "description": "A zip holding aeo-operators.xml, its SHA-256 "
        "(aeo-operators.xml.sha256) and a detached JWS over the bytes of that checksum file "
        '(aeo-operators.xml.jws, EdDSA, header `"detached": "aeo-operators.xml.sha256"`, '
        "verify with `/.well-known/jwks.json`). Streamed as it is written: the checksum and "
        "the signature are the last entries.",
        "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.get(
    "/operators.zip",
    response={200: None, **problems(400, 401, 403)},
    url_name="mra_operators_zip",
    summary="Our AEO certificates as a signed, zipped XML file, for a partner administration",
    openapi_extra={"responses": ZIP_RESPONSE},
)
@requires(PARTNER_FEED)
def mra_operators_zip(request, query: Query[CsvQuery]):
    """Every matching certificate in one XML file, signed and zipped, streamed (not
    paginated)."""
    # The key is read here, so that a missing key fails before anything is sent.
    chunks = export.chunks("xml", changed_since=query.changed_since, key=credentials.signing_key())
    response = StreamingHttpResponse(chunks, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="aeo-operators.zip"'
    return response


api = OpenAeoNinjaAPI(
    title="OpenAEO mutual recognition API",
    version="1",
    urls_namespace="api-mra",
    description=(
        "For partner administrations under a mutual recognition arrangement. Obtain a "
        "token with the OAuth2 client-credentials grant at `POST /api/v1/auth/token` "
        "(scope `mra:read`) and send it as `Authorization: Bearer oam_...`."
    ),
    auth=default_auth(),
    docs=docs(),
)
install_problem_handlers(api)
api.add_router("", router)
