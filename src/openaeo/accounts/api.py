"""Tokens for machine clients (OAuth2 client credentials, RFC 6749). "Who am I" is in
openaeo.operators.me_api: a person's answer names the businesses they work for."""

import base64
import binascii
import re
from typing import Literal
from urllib.parse import unquote_plus

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from openaeo.accounts import services
from openaeo.common import clock
from openaeo.common.api_policy import requires
from openaeo.common.api_support import API_SCOPES, REALM
from openaeo.common.permissions import PUBLIC

router = Router(tags=["Accounts"])


# --------------------------------------------------------------------------- client credentials


class TokenOut(Schema):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int = Field(description="Seconds until the token expires.")
    scope: str = Field(description="The granted scopes, separated by spaces.")


class OAuthErrorOut(Schema):
    error: Literal[
        "invalid_request",
        "invalid_client",
        "invalid_grant",
        "unauthorized_client",
        "unsupported_grant_type",
        "invalid_scope",
    ]
    error_description: str


_NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f]*$"
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f]")

TOKEN_REQUEST_BODY = {
    "required": True,
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "title": "TokenRequest",
                "required": ["grant_type"],
                "properties": {
                    "grant_type": {"type": "string", "enum": ["client_credentials"]},
                    "client_id": {
                        "type": "string",
                        "maxLength": 100,
                        "pattern": _NO_CONTROL_CHARACTERS,
                        "description": "With client_secret, unless sent with HTTP Basic.",
                    },
                    "client_secret": {"type": "string", "maxLength": 200},
                    "scope": {
                        "type": "string",
                        "maxLength": 500,
                        "pattern": _NO_CONTROL_CHARACTERS,
                        "description": "Scopes wanted, separated by spaces; all the "
                        "client's scopes when left out. Known scopes: "
                        + ", ".join(sorted(API_SCOPES))
                        + ".",
                    },
                },
            }
        }
    },
}


class OAuthError(Exception):
    def __init__(self, status: int, error: str, description: str):
        self.status, self.error, self.description = status, error, description


def _client_credentials(request) -> tuple[str, str]:
    """The client id and secret, from HTTP Basic (RFC 6749 2.3.1) or from the form."""
    form = request.POST
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as error:
            raise OAuthError(401, "invalid_client", "Malformed HTTP Basic credentials.") from error
        client_id, separator, secret = decoded.partition(":")
        if not separator:
            raise OAuthError(401, "invalid_client", "Malformed HTTP Basic credentials.")
        client_id, secret = unquote_plus(client_id), unquote_plus(secret)
        if form.get("client_secret") or form.get("client_id", client_id) != client_id:
            raise OAuthError(400, "invalid_request", "Authenticate the client in one way only.")
        return client_id, secret
    client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
    if not client_id or not secret:
        raise OAuthError(401, "invalid_client", "Client authentication is required.")
    return client_id, secret


def _token_request(request) -> tuple[str, str, list[str] | None]:
    content_type = request.content_type or ""
    if content_type != "application/x-www-form-urlencoded":
        raise OAuthError(
            400, "invalid_request", "Send the request as application/x-www-form-urlencoded."
        )
    form = request.POST
    grant_type = form.get("grant_type", "")
    if not grant_type:
        raise OAuthError(400, "invalid_request", "The grant_type parameter is missing.")
    if grant_type != "client_credentials":
        raise OAuthError(
            400, "unsupported_grant_type", "Only the client_credentials grant is supported."
        )
    if any(len(form.getlist(name)) > 1 for name in form):
        raise OAuthError(400, "invalid_request", "A parameter is repeated.")
    client_id, secret = _client_credentials(request)
    if _CONTROL_CHARACTER.search(client_id):
        raise OAuthError(401, "invalid_client", "Unknown or inactive client, or wrong secret.")
    scopes = form.get("scope", "").split() or None
    return client_id, secret, scopes


@router.post(
    "/auth/token",
    response={200: TokenOut, 400: OAuthErrorOut, 401: OAuthErrorOut},
    url_name="auth_token",
    summary="Get a token for a machine client",
    auth=None,
    openapi_extra={"requestBody": TOKEN_REQUEST_BODY},
)
@requires(PUBLIC)
def auth_token(request, response: HttpResponse):
    """OAuth2 client credentials (RFC 6749 section 4.4).

    Authenticate the client with HTTP Basic or with `client_id` and `client_secret`
    in the form, and receive a short-lived bearer token (`oam_...`). Errors follow
    RFC 6749 section 5.2: `invalid_client` (401), `unsupported_grant_type` and
    `invalid_request` (400).
    """
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    try:
        client_id, secret, scopes = _token_request(request)
        issued = services.machine_token_issue(
            client_id=client_id, client_secret=secret, scopes=scopes
        )
        if issued is None:
            raise OAuthError(401, "invalid_client", "Unknown or inactive client, or wrong secret.")
    except OAuthError as error:
        if error.status == 401:
            response["WWW-Authenticate"] = f'Basic realm="{REALM}"'
        return Status(error.status, {"error": error.error, "error_description": error.description})
    access_token, token = issued
    return {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": max(int((token.expires_at - clock.now()).total_seconds()), 0),
        "scope": " ".join(token.scopes),
    }
