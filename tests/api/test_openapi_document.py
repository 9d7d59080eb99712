"""The OpenAPI document and the interactive documentation page."""

import re

import pytest
from django.urls import reverse

from openaeo.api import api as ninja_api
from openaeo.common.api_support import TOKEN_URL

pytestmark = pytest.mark.django_db

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def test_document_is_openapi_3_1(document):
    assert re.fullmatch(r"3\.1\.\d+", document["openapi"])
    assert document["info"]["title"] == "OpenAEO API"


def test_document_is_valid_openapi(document):
    """Schemathesis refuses a document that does not follow the OpenAPI 3.1 schema."""
    import schemathesis

    schema = schemathesis.openapi.from_dict(document)
    schema.validate()
    assert len(list(schema.get_all_operations())) == len(list(_operations(document)))


def test_token_url_is_the_token_operation(document):
    assert reverse("api-v1:auth_token") == TOKEN_URL
    flows = document["components"]["securitySchemes"]["ClientCredentials"]["flows"]
    # OpenAPI 3.1 wants a full URL: the served document has this host's.
    assert flows["clientCredentials"]["tokenUrl"] == f"http://testserver{TOKEN_URL}"


def test_every_operation_says_who_may_call_it(document):
    for path, method, operation in _operations(document):
        assert "**Who may call:**" in operation.get("description", ""), (method, path)


def test_errors_are_documented_as_problem_details(document):
    for path, method, operation in _operations(document):
        if path == TOKEN_URL:
            continue  # RFC 6749 errors, not problem details
        responses = operation["responses"]
        # A public operation (no security requirement, e.g. the register) never answers 401.
        assert "401" in responses or not operation.get("security"), (method, path)
        for status, response in responses.items():
            if int(status) >= 400:
                assert list(response["content"]) == ["application/problem+json"], (
                    method,
                    path,
                    status,
                )


def test_operations_for_people_do_not_offer_client_credentials(document):
    security = {
        (method, path): {name for entry in operation["security"] for name in entry}
        for path, method, operation in _operations(document)
        if "security" in operation
    }
    assert "ClientCredentials" in security[("get", "/api/v1/me")]
    assert "ClientCredentials" not in security[("get", "/api/v1/operators")]
    assert "ClientCredentials" not in security[("get", "/api/v1/audit-events")]
    assert "PersonalToken" in security[("get", "/api/v1/audit-events")]


def test_client_scope_rules_name_their_scope():
    from openaeo.common.api_policy import client_scope
    from openaeo.common.api_support import _security_for

    security = [{"PersonalToken": []}, {"ClientCredentials": []}]
    assert _security_for(client_scope("verify:read"), security) == [
        {"PersonalToken": []},
        {"ClientCredentials": ["verify:read"]},
    ]


def test_docs_page_uses_only_local_assets_and_no_inline_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp

    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    for attributes, body in scripts:
        if 'type="application/json"' in attributes:
            continue  # data, never executed
        assert body.strip() == "", "inline script would be refused by the CSP"
        assert re.search(r'src="/static/', attributes), attributes
    assert not re.search(r"\son\w+=", html), "inline event handler"
    assert not re.search(r"\sstyle=", html), "inline style"
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "asset from another host"
    assert '"validatorUrl": null' in html  # no call to swagger.io's validator

    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert client.get(asset).status_code == 200, asset


def test_api_root_is_the_only_url_without_an_operation():
    """Everything under /api/v1/ is an operation, the document, or the docs page."""
    urls = ninja_api.urls[0]
    names = {pattern.name for pattern in urls}
    assert {"openapi-json", "openapi-view", "api-root"} <= names
