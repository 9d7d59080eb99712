"""The API keeps the promises of its OpenAPI document (schemathesis, in-process).

Schemathesis reads the document the application serves, generates requests for
every operation (valid and invalid ones), sends them to the Django WSGI
application in this process, and checks every answer: no server error, a
documented status code and content type, a body that matches the schema, invalid
input refused, authentication not ignored.

The requests are authenticated with a real personal token of an auditor, so
that every operation, the audit trail included, is reached past its policy.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from openaeo.accounts.roles import OperatorRole, StaffRole
from openaeo.accounts.services import api_token_create
from tests import factories

pytestmark = [pytest.mark.contract, pytest.mark.django_db]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def in_process_requests():
    """Keep the test's database connection open across requests.

    At the end of every request Django's WSGI handler closes "old" connections,
    which would close the connection holding the test's transaction. Django's own
    test client switches this off in the same way.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def auditor_token(db, in_process_requests):
    """An auditor's token, and a little data for the operations to find."""
    operator = factories.OperatorFactory()
    owner = factories.make_member(operator, OperatorRole.OWNER)
    factories.make_mandate(operator, factories.UserFactory(), granted_by=owner)
    auditor = factories.make_staff(StaffRole.AUDITOR)
    _token, secret = api_token_create(actor=auditor, name="contract tests")
    return secret


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_openapi_document(case, auditor_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {auditor_token}"})
