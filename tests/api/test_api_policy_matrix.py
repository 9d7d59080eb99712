"""Every API operation has a rule, and every rule is checked for every role.

Three guarantees, like tests/common/test_policy_matrix.py for the pages:
1. Each operation registered on the NinjaAPI carries a rule (`@requires`, inside
   the route decorator). An operation without one fails
   `test_every_operation_has_a_rule`; one missing from EXPECTED below fails
   `test_every_operation_is_in_the_matrix`.
2. For every operation and every role (and a machine client), the status is the
   expected one: allowed (2xx) or refused (401, 403 or 404).
3. A business another trader may not see answers exactly like one that does
   not exist.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from openaeo.api import api as ninja_api
from openaeo.common.api_policy import requires
from openaeo.common.permissions import Rule
from tests import factories

ROLES = list(factories.ROLES)
MACHINE = "machine_client"
CALLERS = [*ROLES, MACHINE]

STAFF = set(factories.STAFF)
TRADERS = set(factories.TRADERS)
PEOPLE = TRADERS | STAFF
OF_OPERATOR = {"owner", "editor", "viewer", "representative"}
MEMBERS = {"owner", "editor", "viewer"}

OK, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND = 200, 401, 403, 404


def expect(allowed: set[str], *, refused=FORBIDDEN, **overrides) -> dict[str, int]:
    """Every caller's expected status: OK if allowed, 401 if anonymous, else `refused`."""
    table = {}
    for caller in CALLERS:
        if caller in overrides:
            table[caller] = overrides[caller]
        elif caller in allowed:
            table[caller] = OK
        elif caller == "anonymous":
            table[caller] = UNAUTHENTICATED
        else:
            table[caller] = refused
    return table


# URL name -> (method, path kwargs builder, expected status per caller)
EXPECTED = {
    "me": ("get", None, expect(PEOPLE | {MACHINE})),
    "auth_token": ("post", None, expect(set(CALLERS))),
    "operator_list": ("get", None, expect(PEOPLE)),
    "operator_detail": (
        "get",
        "operator",
        # Traders not linked to the business: 404, as if it did not exist.
        # Machine clients: the operation is for people, 403.
        expect(OF_OPERATOR | STAFF, refused=NOT_FOUND, machine_client=FORBIDDEN),
    ),
    "audit_event_list": ("get", None, expect({"auditor", "administrator"})),
    "audit_event_detail": ("get", "audit_event", expect({"auditor", "administrator"})),
    # The holder's people and staff; other traders 404 as if there were no such certificate.
    "certificate_credential": (
        "get",
        "certificate",
        expect(MEMBERS | STAFF, refused=NOT_FOUND, machine_client=FORBIDDEN),
    ),
    # The public register: anyone, signed in or not.
    "register_list": ("get", None, expect(set(CALLERS))),
    # Public verification: everyone, with or without a token.
    "verify_number": ("get", "certificate", expect(set(CALLERS))),
    "verify_credential": ("post", None, expect(set(CALLERS))),
}


def _registered_operations():
    """(url name, operation) for every operation of every router of the API."""
    for bound_router in ninja_api._get_bound_routers():
        for path_view in bound_router.path_operations.values():
            for operation in path_view.operations:
                name = getattr(operation, "url_name", None) or operation.view_func.__name__
                yield name, operation


def test_the_walk_finds_every_documented_operation():
    documented = {
        (method, path)
        for path, item in ninja_api.get_openapi_schema()["paths"].items()
        for method in item
    }
    assert len(list(_registered_operations())) == len(documented) == len(EXPECTED)


def test_every_operation_has_a_rule():
    missing = sorted(
        name
        for name, operation in _registered_operations()
        if not isinstance(getattr(operation.view_func, "openaeo_rule", None), Rule)
    )
    assert not missing, f"API operations without @requires(rule): {missing}"


def test_every_operation_is_in_the_matrix():
    names = {name for name, _operation in _registered_operations()}
    assert names == set(EXPECTED), (
        f"Add these operations to EXPECTED in {__file__}: {sorted(names - set(EXPECTED))}"
    )


def test_an_operation_without_a_rule_would_be_caught():
    from ninja import NinjaAPI, Router

    router = Router()

    @router.get("/ruled")
    @requires(Rule("test", lambda user: True))
    def ruled(request):
        return {}

    @router.get("/unruled")
    def unruled(request):
        return {}

    other = NinjaAPI(urls_namespace="policy-matrix-probe")
    other.add_router("", router)
    rules = {
        operation.view_func.__name__: getattr(operation.view_func, "openaeo_rule", None)
        for bound_router in other._get_bound_routers()
        for path_view in bound_router.path_operations.values()
        for operation in path_view.operations
    }
    assert rules["ruled"] is not None
    assert rules["unruled"] is None


@pytest.fixture
def callers(people, token_for, machine_token):
    """Each caller's bearer token (None for anonymous)."""
    tokens = {role: token_for(user) if user is not None else None for role, user in people.items()}
    tokens[MACHINE] = machine_token
    return tokens


@pytest.fixture
def objects(operator, people, request):
    from openaeo.common.models import AuditEvent

    def certificate():
        from openaeo.accounts.models import Office
        from tests.scenarios.certificates import make_certificate

        programme = request.getfixturevalue("programmes")["safe-reference"]
        made = make_certificate(
            operator,
            programme,
            office=Office.objects.get(code="PORT"),
            validator=people["validator"],
            supervisor=people["supervisor"],
        )
        return {"aeo_number": made.aeo_number}

    return {
        "operator": {"operator_id": operator.pk},
        "audit_event": {"sequence": AuditEvent.objects.order_by("sequence").first().sequence},
        "certificate": certificate,
    }


def _call(client, name, kwargs, token, machine_client):
    url = reverse(f"api-v1:{name}", kwargs=kwargs)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    method = EXPECTED[name][0]
    if name == "auth_token":
        oauth_client, secret = machine_client
        data = {
            "grant_type": "client_credentials",
            "client_id": oauth_client.client_id,
            "client_secret": secret,
        }
        return client.post(
            url,
            urlencode(data),
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )
    if name == "verify_credential":
        # Any text answers 200 with a result ("invalid" for this one).
        return client.post(url, "not.a.credential", content_type="text/plain", headers=headers)
    return getattr(client, method)(url, headers=headers)


MATRIX = [(name, caller) for name in EXPECTED for caller in CALLERS]


@pytest.mark.parametrize(("name", "caller"), MATRIX, ids=[f"{n}-{c}" for n, c in MATRIX])
def test_operation_answers_each_caller_as_its_policy_says(
    name, caller, callers, objects, client, machine_client
):
    _method, kwargs_name, outcomes = EXPECTED[name]
    kwargs = objects[kwargs_name] if kwargs_name else None
    if callable(kwargs):
        kwargs = kwargs()
    response = _call(client, name, kwargs, callers[caller], machine_client)
    expected = outcomes[caller]
    assert response.status_code == expected, (
        f"{name} as {caller}: expected {expected}, got {response.status_code}: "
        f"{response.content[:300]!r}"
    )
    if expected >= 400:
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("caller", ["other_owner", "newcomer"])
def test_refusal_does_not_reveal_that_a_business_exists(caller, callers, operator, client):
    headers = {"Authorization": f"Bearer {callers[caller]}"}
    existing_url = reverse("api-v1:operator_detail", kwargs={"operator_id": operator.pk})
    missing_url = reverse("api-v1:operator_detail", kwargs={"operator_id": operator.pk + 10_000})
    existing = client.get(existing_url, headers=headers)
    missing = client.get(missing_url, headers=headers)
    assert existing.status_code == missing.status_code == 404
    assert existing["Content-Type"] == missing["Content-Type"]
    # The documents may differ only in the address asked for.
    assert existing.content.replace(existing_url.encode(), b"URL") == missing.content.replace(
        missing_url.encode(), b"URL"
    )
