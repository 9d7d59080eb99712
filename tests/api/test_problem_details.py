"""Every error is an RFC 9457 problem document (application/problem+json)."""

import logging

import pytest

from tests.scenarios.api import assert_problem

pytestmark = pytest.mark.django_db


def test_400_lists_every_invalid_parameter(api, token_for, people):
    response = api.get(
        "/api/v1/audit-events", token=token_for(people["auditor"]), limit=0, since="yesterday"
    )
    body = assert_problem(response, 400)
    assert body["title"] == "Bad Request"
    locations = sorted(tuple(error["loc"]) for error in body["errors"])
    assert locations == [("query", "limit"), ("query", "since")]
    for error in body["errors"]:
        assert error["msg"] and error["type"]


def test_400_for_a_path_parameter_out_of_range(api, token_for, people):
    body = assert_problem(api.get("/api/v1/operators/0", token=token_for(people["owner"])), 400)
    assert body["errors"][0]["loc"] == ["path", "operator_id"]


def test_401(api):
    body = assert_problem(api.get("/api/v1/operators"), 401)
    assert body["title"] == "Unauthorized"
    assert "errors" not in body


def test_403(api, token_for, people):
    body = assert_problem(api.get("/api/v1/audit-events", token=token_for(people["owner"])), 403)
    assert body["title"] == "Forbidden"


def test_404(api, token_for, people):
    body = assert_problem(
        api.get("/api/v1/audit-events/999999", token=token_for(people["auditor"])), 404
    )
    assert body["title"] == "Not Found"
    assert body["detail"] == "There is no such resource."


def test_500_is_generic_and_logged(api, token_for, people, monkeypatch, caplog):
    def explode(*args, **kwargs):
        raise RuntimeError("database on fire: secret internals")

    monkeypatch.setattr("openaeo.common.api.audit_events", explode)
    secret = token_for(people["auditor"])
    with caplog.at_level(logging.ERROR, logger="openaeo.common.api_support"):
        response = api.get("/api/v1/audit-events", token=secret)
    body = assert_problem(response, 500)
    assert "secret internals" not in response.content.decode()
    assert "X-Request-ID" in body["detail"]
    logged = [record for record in caplog.records if record.exc_info]
    assert logged
    assert "database on fire" in str(logged[0].exc_info[1])


def test_method_not_allowed(api, token_for, people):
    response = api.client.delete("/api/v1/me")
    assert response.status_code == 405
    assert "GET" in response["Allow"]
