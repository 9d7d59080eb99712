"""The API in tests: real tokens for people and machine clients, a client that speaks bearer
tokens, and the check of an RFC 9457 problem document."""

from urllib.parse import urlencode

import pytest

from openaeo.accounts import services

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def token_for(db):
    """`token_for(user)` creates a personal API token for `user` and returns its secret."""

    def make(user, name="tests"):
        _token, secret = services.api_token_create(actor=user, name=name)
        return secret

    return make


@pytest.fixture
def machine_client(db):
    """A machine client granted verify:read: (client, secret)."""
    return services.machine_client_create(
        actor=None, name="Partner administration", scopes=["verify:read"]
    )


@pytest.fixture
def machine_token(machine_client):
    """A client-credentials access token (`oam_...`) of `machine_client`."""
    client, secret = machine_client
    access_token, _token = services.machine_token_issue(
        client_id=client.client_id, client_secret=secret, scopes=None
    )
    return access_token


class ApiCaller:
    """The Django test client, speaking bearer tokens and form-encoded token requests."""

    def __init__(self, client):
        self.client = client

    @staticmethod
    def _headers(token, headers):
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def get(self, path, token=None, headers=None, **params):
        return self.client.get(path, params or None, headers=self._headers(token, headers))

    def post_form(self, path, data, headers=None):
        return self.client.post(path, urlencode(data), content_type=FORM, headers=headers or {})


@pytest.fixture
def api(client):
    return ApiCaller(client)


def assert_problem(response, status):
    """`response` is an RFC 9457 problem document with `status`."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["instance"] == response.request["PATH_INFO"]
    return body
