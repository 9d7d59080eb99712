"""What every part of the API shares: who is calling, how errors look, how lists are paged.

Authentication
    * personal tokens (`Authorization: Bearer oat_...`), created by a person on
      their account page and matched by the SHA-256 digest of the secret;
    * machine clients (`Authorization: Bearer oam_...`), which obtain a
      short-lived token from `POST /api/v1/auth/token` (OAuth2 client credentials);
    * the browser session, so that a signed-in person can try the API from the
      interactive documentation (CSRF-checked for unsafe methods).
    A presented token that is unknown, expired or revoked is refused outright
    (401), never silently replaced by the session.

Errors
    Every error is an RFC 9457 problem document (`application/problem+json`).

Pagination
    `limit`/`offset`, at most `MAX_PAGE_SIZE` items, answered as
    `{count, next, previous, items}`.
"""

import datetime as dt
import functools
import json
import logging
import re
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Annotated, Any, ClassVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import urlencode
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from pydantic import BeforeValidator

from openaeo.common.api_policy import admits_machines
from openaeo.common.permissions import Rule

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
REALM = "OpenAEO API"
# The token endpoint, for the OpenAPI document (tests check it against reverse()).
TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - a URL, not a secret

# Scopes a machine client may be granted (`manage.py api_client create --scope ...`).
# An operation open to machine clients names the scope it needs with
# `client_scope(...)` (openaeo.common.api_policy).
API_SCOPES: dict[str, str] = {
    "verify:read": "Check whether a business holds AEO status (partner administrations, "
    "banks, buyers).",
    "mra:read": "Read our AEO certificates under a mutual recognition arrangement (partner "
    "administrations; /api/mra/v1/).",
}

# The security scheme of machine clients' tokens in the OpenAPI document: the name of the
# class that checks them (openaeo.accounts.api_auth.ClientCredentials).
MACHINE_SCHEME = "ClientCredentials"


# --------------------------------------------------------------------------- principals


@dataclass(frozen=True)
class MachinePrincipal:
    """The caller behind a machine token: a system, not a person.

    It quacks enough like a user for rules and services: it is authenticated and
    active, holds no staff role, has no primary key (audit events record it as
    "system") and carries the scopes its token was granted.
    """

    client_id: str
    name: str = ""
    scopes: frozenset[str] = field(default_factory=frozenset)

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_machine = True
    is_staff = False
    is_superuser = False
    is_customs_staff = False
    staff_roles: ClassVar[frozenset[str]] = frozenset()
    pk = None
    id = None

    @property
    def email(self) -> str:
        return f"client:{self.client_id}"

    def __str__(self) -> str:
        return self.email


class InvalidToken(AuthenticationError):
    """A bearer token was presented but is unknown, expired or revoked (RFC 6750 invalid_token)."""

    def __init__(self) -> None:
        super().__init__(401, "The access token is unknown, expired or revoked.")


# --------------------------------------------------------------------------- problem details


class ValidationIssue(Schema):
    loc: list[str | int] = Field(
        description="Where the problem is: the part of the request, then the field."
    )
    msg: str = Field(description="What is wrong, in words.")
    type: str = Field(description="A stable code for the kind of problem.")


class Problem(Schema):
    """An RFC 9457 problem document."""

    type: str = Field("about:blank", description="A URI identifying the kind of problem.")
    title: str = Field(description="A short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong this time, in words.")
    instance: str = Field(description="The path of the request that failed.")
    errors: list[ValidationIssue] | None = Field(
        None, description="For invalid requests: every problem found."
    )


PROBLEM_DESCRIPTIONS = {
    400: "The request is not valid (problem details).",
    401: "No valid credentials were sent (problem details).",
    403: "The caller may not use this operation (problem details).",
    404: "There is no such resource, or the caller may not see it (problem details).",
}


def problems(*statuses: int) -> dict[int, type[Problem]]:
    """Response declarations for the problem documents an operation may answer."""
    return dict.fromkeys(statuses, Problem)


def problem_response(
    request: HttpRequest,
    status: int,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _issues_from_ninja(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "loc": [part if isinstance(part, int) else str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "invalid")),
        }
        for error in errors
    ]


def _issues_from_django(error: DjangoValidationError) -> list[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        return [
            {"loc": ["body", name], "msg": message, "type": "invalid"}
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"loc": ["body"], "msg": message, "type": "invalid"} for message in error.messages]


def install_problem_handlers(api: NinjaAPI) -> None:
    """Answer every error of `api` with a problem document."""

    def authentication_error(request, exc: AuthenticationError):
        challenge = f'Bearer realm="{REALM}"'
        if isinstance(exc, InvalidToken):
            challenge += ', error="invalid_token"'
            detail = str(exc)
        else:
            detail = "Authentication credentials were not provided."
        return problem_response(request, 401, detail, headers={"WWW-Authenticate": challenge})

    def http_error(request, exc: HttpError):
        return problem_response(request, exc.status_code, str(exc))

    def validation_error(request, exc: NinjaValidationError):
        return problem_response(
            request,
            400,
            "The request is not valid.",
            errors=_issues_from_ninja(exc.errors),
        )

    def django_validation_error(request, exc: DjangoValidationError):
        return problem_response(
            request, 400, "The request is not valid.", errors=_issues_from_django(exc)
        )

    def not_found(request, exc: Exception):
        # The same words whether the object does not exist or may not be seen.
        return problem_response(request, 404, "There is no such resource.")

    def permission_denied(request, exc: Exception):
        return problem_response(request, 403, "You do not have permission to perform this action.")

    def server_error(request, exc: Exception):
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return problem_response(
            request,
            500,
            "Something went wrong on our side. The error has been logged; "
            "quote the X-Request-ID header of this response if you report it.",
        )

    api.add_exception_handler(AuthenticationError, authentication_error)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(NinjaValidationError, validation_error)
    api.add_exception_handler(DjangoValidationError, django_validation_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)
    api.add_exception_handler(PermissionDenied, permission_denied)
    api.add_exception_handler(Exception, server_error)


# --------------------------------------------------------------------------- parameters

# Database keys: bounded, so that no number reaches the database that it cannot hold.
MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]


def _iso_date_only(value):
    # Pydantic would also read numbers as Unix times ("0" is 1970-01-01); the
    # document promises ISO 8601 calendar dates, so that is all we accept.
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("Give the date as YYYY-MM-DD.")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]


def search_text(max_length: int, description: str):
    """A free-text filter: no control characters (PostgreSQL refuses NUL), bounded length."""
    return Field("", max_length=max_length, pattern=r"^[^\x00-\x1f]*$", description=description)


# --------------------------------------------------------------------------- pagination

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
MAX_OFFSET = 1_000_000_000


class PageQuery(Schema):
    limit: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        description=f"How many items to return; at most {MAX_PAGE_SIZE} "
        "(a larger value is reduced to it).",
    )
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


class Page(Schema):
    count: int = Field(description="How many items there are in all.")
    next: str | None = Field(description="The URL of the next page, if there is one.")
    previous: str | None = Field(description="The URL of the previous page, if there is one.")


def paginate(request: HttpRequest, queryset: QuerySet, query: PageQuery) -> dict[str, Any]:
    """One page of `queryset` (which must be ordered), with links to its neighbours.

    Two queries whatever the size of the list: the count and the page.
    """
    limit = min(query.limit, MAX_PAGE_SIZE)
    offset = query.offset
    count = queryset.count()
    items = list(queryset[offset : offset + limit]) if offset < count else []

    def link(new_offset: int) -> str:
        params = request.GET.copy()
        params["limit"] = str(limit)
        params["offset"] = str(new_offset)
        return request.build_absolute_uri(
            f"{request.path}?{urlencode(sorted(params.lists()), doseq=True)}"
        )

    return {
        "count": count,
        "next": link(offset + limit) if offset + limit < count else None,
        "previous": link(max(offset - limit, 0)) if offset > 0 else None,
        "items": items,
    }


# --------------------------------------------------------------------------- the API itself


class OpenAeoNinjaAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document tells the truth about problems and machine clients.

    * Problem responses are declared as `application/problem+json`.
    * An operation whose rule refuses machine clients does not list the
      client-credentials scheme; one that needs a scope names it.
    """

    def operation_rules(self) -> dict[str, Rule | None]:
        """operationId -> the rule of that operation (None if it has none)."""
        rules = {}
        for bound_router in self._get_bound_routers():
            for path_view in bound_router.path_operations.values():
                for operation in path_view.operations:
                    operation_id = operation.operation_id or self.get_openapi_operation_id(
                        operation
                    )
                    rules[operation_id] = getattr(operation.view_func, "openaeo_rule", None)
        return rules

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        rules = self.operation_rules()
        problem_ref = "#/components/schemas/Problem"
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                rule = rules.get(operation["operationId"])
                if "security" in operation and rule is not None:
                    operation["security"] = _security_for(rule, operation["security"])
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    media = content.get("application/json")
                    if media is not None and media.get("schema", {}).get("$ref") == problem_ref:
                        content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
                        response["description"] = PROBLEM_DESCRIPTIONS.get(
                            int(status), response["description"]
                        )
        return schema


def _security_for(rule: Rule, security: list[dict]) -> list[dict]:
    machine_scheme = MACHINE_SCHEME
    if not admits_machines(rule):
        return [entry for entry in security if machine_scheme not in entry]
    scope = getattr(rule, "scope", "")
    if scope:
        return [
            {name: [scope]} if name == machine_scheme else {name: scopes}
            for entry in security
            for name, scopes in entry.items()
        ]
    return security


def absolute_token_urls(view):
    """`docs_decorator` for the API: OAuth2 token URLs in the served document are absolute.

    OpenAPI 3.1 requires `tokenUrl` to be a full URL, and only the request knows
    the host and scheme the API is reached under.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not response.get("Content-Type", "").startswith("application/json"):
            return response  # the documentation page
        document = json.loads(response.content)
        for scheme in document.get("components", {}).get("securitySchemes", {}).values():
            for flow in scheme.get("flows", {}).values():
                if "tokenUrl" in flow:
                    flow["tokenUrl"] = request.build_absolute_uri(flow["tokenUrl"])
        response.content = json.dumps(document)
        return response

    return wrapper


def docs() -> Swagger:
    """Swagger UI from our own static files (django-ninja ships them), no inline script.

    The validator badge is off: it would send the address of our document to a
    third-party service and load an image from it, which the CSP refuses anyway.
    """
    return Swagger(
        settings={
            "validatorUrl": None,
            "deepLinking": True,
            "persistAuthorization": False,
            "displayRequestDuration": True,
        }
    )
