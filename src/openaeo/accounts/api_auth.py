"""How an API caller proves who it is: a personal token, a machine client's token or the
browser session. The API of each app names these in its `auth`; they live here, beside the
tokens they check, because the common layer below knows no accounts."""

import datetime as dt

from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from ninja.security import SessionAuth
from ninja.security.base import AuthBase

from openaeo.accounts.models import ApiToken, MachineAccessToken
from openaeo.common import clock
from openaeo.common.api_support import (
    API_SCOPES,
    TOKEN_URL,
    InvalidToken,
    MachinePrincipal,
)

# `last_used_at` of a personal token is written at most this often.
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)


def _bearer_token(request: HttpRequest) -> str | None:
    value = request.headers.get("Authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def person_for_token(secret: str):
    """The active user owning the usable personal token `secret`, else None.

    Records when the token was last used, at most once a minute, so that a busy
    integration does not write on every call.
    """
    token = (
        ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(secret)).first()
    )
    now = clock.now()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def machine_for_token(secret: str) -> MachinePrincipal | None:
    """The machine principal of the usable client-credentials token `secret`, else None."""
    token = (
        MachineAccessToken.objects.select_related("client")
        .filter(digest=ApiToken.digest_of(secret))
        .first()
    )
    if token is None or not token.is_usable(clock.now()):
        return None
    return MachinePrincipal(
        client_id=token.client.client_id,
        name=token.client.name,
        scopes=frozenset(token.scopes),
    )


class PersonalToken(AuthBase):
    """`Authorization: Bearer oat_...`: a person's own API token."""

    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_description = (
        "A personal API token (`oat_...`), created on your account page. "
        "Send it as `Authorization: Bearer oat_...`."
    )

    def __call__(self, request: HttpRequest):
        token = _bearer_token(request)
        if token is None:
            return None
        if token.startswith("oam_"):
            return None  # a machine token: ClientCredentials decides
        user = person_for_token(token) if token.startswith("oat_") else None
        if user is None:
            raise InvalidToken()
        request.user = user
        return user


class ClientCredentials(AuthBase):
    """`Authorization: Bearer oam_...`: a token issued to a machine client.

    The OpenAPI document names the scheme after this class: api_support.MACHINE_SCHEME.
    """

    openapi_type = "oauth2"
    openapi_description = (
        "For systems: obtain a token (`oam_...`) with the OAuth2 client-credentials "
        f"grant at `{TOKEN_URL}`, then send it as `Authorization: Bearer oam_...`."
    )
    openapi_flows = {"clientCredentials": {"tokenUrl": TOKEN_URL, "scopes": API_SCOPES}}

    def __call__(self, request: HttpRequest):
        token = _bearer_token(request)
        if token is None or not token.startswith("oam_"):
            return None
        principal = machine_for_token(token)
        if principal is None:
            raise InvalidToken()
        request.user = principal
        return principal


class Session(SessionAuth):
    """The browser session of a signed-in person (CSRF-checked for unsafe methods).

    Customs staff must have set up their second factor, as everywhere else on the
    site: until they have, their session does not open the API.
    """

    openapi_description = "The session of a person signed in to OpenAEO in this browser."

    def authenticate(self, request: HttpRequest, key: str | None):
        user = request.user
        if not user.is_authenticated:
            return None
        if (
            user.staff_roles
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return None
        return user


def default_auth() -> list:
    """The authentication every operation accepts unless it says otherwise."""
    return [PersonalToken(), ClientCredentials(), Session()]
