"""Public verification over the API: by AEO number, or by credential. No sign-in needed.

A token may be sent (personal or client credentials): it gives the caller a rate limit
of its own instead of sharing its address's. Every lookup answers 200 with a result,
`unknown` included, so that the status code says nothing about the register; over the
limit, 429 with Retry-After.
"""

import datetime as dt
import json
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status

from openaeo.accounts.api_auth import ClientCredentials, PersonalToken
from openaeo.certificates import verification
from openaeo.common.api_policy import requires
from openaeo.common.api_support import (
    Problem,
    problem_response,
    problems,
)
from openaeo.common.permissions import PUBLIC

router = Router(tags=["Verification"])


class _Anyone:
    """Lets anonymous callers through once the token checks found no token (no scheme)."""

    def __call__(self, request: HttpRequest):
        return "anonymous"


AUTH = [PersonalToken(), ClientCredentials(), _Anyone()]
# In the OpenAPI document: a token is optional (ninja lists the two token schemes and
# merges this list into theirs).
SECURITY = {"security": [{}]}


class Issuer(Schema):
    id: str | None = Field(description="The administration's identifier (a URL or a DID).")
    name: str | None = Field(description="The administration's name.")


class VerificationOut(Schema):
    status: Literal["valid", "suspended", "revoked", "expired", "unknown", "invalid"] = Field(
        description="`unknown` for a number we do not publish (it may not exist); "
        "`invalid` for a credential that fails its checks."
    )
    summary: str = Field(description="The answer in plain words.")
    aeo_number: str = Field(description="The AEO number asked about (or in the credential).")
    holder_name: str | None
    tier: str | None = Field(description="The level's name (English).")
    tier_code: str | None
    effective_on: dt.date | None = Field(description="The date from which the status holds.")
    issuer: Issuer | None
    reason: str = Field(description="Why a credential is invalid, revoked, etc.; else empty.")
    recognised_under: str | None = Field(
        None,
        description="For a partner administration's AEO: recognised under the mutual "
        "recognition arrangement with this administration.",
    )
    checked_at: dt.datetime


def answer_out(answer: verification.Answer) -> dict:
    issuer = None
    if answer.issuer_id or answer.issuer_name:
        issuer = {"id": answer.issuer_id, "name": answer.issuer_name}
    return {
        "status": answer.status,
        "summary": answer.summary,
        "aeo_number": answer.aeo_number,
        "holder_name": answer.holder_name,
        "tier": answer.tier,
        "tier_code": answer.tier_code,
        "effective_on": answer.effective_on,
        "issuer": issuer,
        "reason": answer.reason,
        "recognised_under": answer.recognised_under,
        "checked_at": verification.clock.now(),
    }


def limit_response(request):
    if request.auth != "anonymous":
        # Authenticated by a token: the token has a limit of its own.
        request.verify_token = request.headers.get("Authorization", "").partition(" ")[2].strip()
    wait = verification.rate_limited(request)
    if wait is not None:
        return problem_response(
            request,
            429,
            _("Too many verification requests. Wait %(seconds)s seconds, then try again.")
            % {"seconds": wait},
            headers={"Retry-After": str(wait)},
        )
    return None


RESPONSES = {200: VerificationOut, 429: Problem}


@router.get(
    "/{path:aeo_number}",
    # 404 only for an address no number can have (a line break in it): any number,
    # known or not, answers 200.
    response={**RESPONSES, **problems(400, 401, 404)},
    url_name="verify_number",
    summary="Verify an AEO number",
    auth=AUTH,
    openapi_extra=SECURITY,
)
@requires(PUBLIC)
def verify_number(
    request,
    aeo_number: Annotated[
        str, Path(max_length=64, description='The AEO number, such as "ZZ AEO1 00042/26".')
    ],
):
    """The status of the certificate with this AEO number: valid, suspended, revoked,
    expired, or unknown (we publish no certificate with it). Percent-encode the number's
    spaces and slash. Anyone may call this; a token gives the caller its own rate limit."""
    refused = limit_response(request)
    if refused is not None:
        return refused
    return Status(200, answer_out(verification.verify_number(aeo_number)))


TOKEN_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "maxLength": verification.vc_check.MAX_TOKEN_LENGTH,
}
CREDENTIAL_BODY = {
    "requestBody": {
        "required": True,
        "description": "The credential: the JWT as it was downloaded (`application/vc+jwt` "
        'or `text/plain`), or JSON `{"credential": "<the JWT>"}`.',
        "content": {
            "application/vc+jwt": {"schema": TOKEN_SCHEMA},
            "text/plain": {"schema": TOKEN_SCHEMA},
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["credential"],
                    "properties": {"credential": TOKEN_SCHEMA},
                }
            },
        },
    }
}


def _token_from_body(request) -> str | None:
    if len(request.body) > verification.vc_check.MAX_TOKEN_LENGTH:
        return None
    content_type = request.content_type or ""
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if content_type == "application/json":
        try:
            document = json.loads(text)
        except ValueError:
            return None
        value = document.get("credential") if isinstance(document, dict) else None
        return value if isinstance(value, str) else None
    return text


@router.post(
    "",
    response={**RESPONSES, **problems(400, 401)},
    url_name="verify_credential",
    summary="Verify a credential",
    auth=AUTH,
    openapi_extra={**SECURITY, **CREDENTIAL_BODY},
)
@requires(PUBLIC)
def verify_credential(request):
    """Check a certificate's credential: its signature against our keys, its dates, and
    its bits in our status lists. The answer is `invalid` (with the reason) when a check
    fails, else valid, suspended, revoked or expired."""
    refused = limit_response(request)
    if refused is not None:
        return refused
    token = _token_from_body(request)
    if not token:
        return problem_response(
            request,
            400,
            _("Send the credential (the JWT) as the body of the request."),
        )
    return Status(200, answer_out(verification.verify_credential(token)))
