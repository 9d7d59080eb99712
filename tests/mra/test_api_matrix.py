"""The MRA API as every role sees it: only an in-force partner's client reads the feed.

Like tests/api/test_api_policy_matrix.py, for the second ninja API (/api/mra/v1/).
"""

import pytest
from django.urls import reverse

from openaeo.common.permissions import Rule
from openaeo.mra.api import api as mra_api
from tests import factories
from tests.scenarios.mra import make_partner

ROLES = list(factories.ROLES)
CALLERS = [*ROLES, "verify_client", "partner_client", "former_partner_client"]
OPERATIONS = ["mra_operators", "mra_operators_csv", "mra_operators_zip"]


def _operations():
    for bound_router in mra_api._get_bound_routers():
        for path_view in bound_router.path_operations.values():
            yield from path_view.operations


def test_every_operation_has_a_rule_and_is_in_the_matrix():
    names = set()
    for operation in _operations():
        assert isinstance(getattr(operation.view_func, "openaeo_rule", None), Rule)
        names.add(operation.url_name)
    assert names == set(OPERATIONS)


@pytest.fixture
def callers(people, token_for, machine_token):
    import datetime as dt

    tokens = {role: token_for(user) if user else None for role, user in people.items()}
    tokens["verify_client"] = machine_token
    tokens["partner_client"] = make_partner()[1]
    tokens["former_partner_client"] = make_partner("Old", active_until=dt.date(2021, 1, 1))[1]
    return tokens


MATRIX = [(name, caller) for name in OPERATIONS for caller in CALLERS]


@pytest.mark.parametrize(("name", "caller"), MATRIX, ids=[f"{n}-{c}" for n, c in MATRIX])
def test_operation_answers_each_caller(name, caller, callers, client):
    token = callers[caller]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.get(reverse(f"api-mra:{name}"), headers=headers)
    expected = 200 if caller == "partner_client" else 401 if caller == "anonymous" else 403
    assert response.status_code == expected, (caller, response.content[:200])
    if expected >= 400:
        assert response["Content-Type"] == "application/problem+json"


def test_the_openapi_document_names_the_scope(client):
    document = client.get(reverse("api-mra:openapi-json")).json()
    operation = document["paths"]["/api/mra/v1/operators"]["get"]
    assert {"ClientCredentials": ["mra:read"]} in operation["security"]
