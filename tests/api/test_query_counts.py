"""Lists cost the same number of queries whatever their length (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openaeo.accounts.roles import OperatorRole
from openaeo.operators.services import mandate_grant
from tests import factories

pytestmark = pytest.mark.django_db

# Token and user, staff roles, count, page; the token's last use is written at
# most once a minute, so a warm-up call comes first.
MAX_QUERIES = 6


def _queries(api, path, token):
    api.get(path, token=token)  # warm-up: records the token's last use
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path, token=token)
    assert response.status_code == 200, response.content
    return len(queries)


def _add_operators_for(user, count):
    for _ in range(count):
        operator = factories.OperatorFactory()
        factories.make_member(operator, OperatorRole.VIEWER, user=user)


def test_operator_list_for_a_trader(api, token_for, django_assert_max_num_queries):
    user = factories.UserFactory()
    token = token_for(user)
    _add_operators_for(user, 2)
    few = _queries(api, "/api/v1/operators?limit=100", token)
    _add_operators_for(user, 40)
    many = _queries(api, "/api/v1/operators?limit=100", token)
    assert few == many
    with django_assert_max_num_queries(MAX_QUERIES):
        api.get("/api/v1/operators?limit=100", token=token)


def test_operator_list_for_staff(api, token_for, people, django_assert_max_num_queries):
    token = token_for(people["validator"])
    few = _queries(api, "/api/v1/operators?limit=100", token)
    factories.OperatorFactory.create_batch(40)
    many = _queries(api, "/api/v1/operators?limit=100", token)
    assert few == many
    with django_assert_max_num_queries(MAX_QUERIES):
        api.get("/api/v1/operators?limit=100", token=token)


def test_operator_detail(api, token_for, people, operator):
    owner = people["owner"]
    token = token_for(owner)
    path = f"/api/v1/operators/{operator.pk}"
    few = _queries(api, path, token)
    for _ in range(10):
        factories.make_member(operator, OperatorRole.VIEWER)
        mandate_grant(
            actor=owner,
            operator=operator,
            email=factories.UserFactory().email,
            scopes=["prepare"],
            valid_until=operator.created_at.date().replace(year=operator.created_at.year + 1),
        )
    many = _queries(api, path, token)
    assert few == many


def test_audit_event_list(api, token_for, people, django_assert_max_num_queries):
    token = token_for(people["auditor"])
    few = _queries(api, "/api/v1/audit-events?limit=100", token)
    for _ in range(40):
        token_for(people["owner"], name="more events")  # each one records an event
    many = _queries(api, "/api/v1/audit-events?limit=100", token)
    assert few == many
    with django_assert_max_num_queries(MAX_QUERIES):
        api.get("/api/v1/audit-events?limit=100", token=token)
