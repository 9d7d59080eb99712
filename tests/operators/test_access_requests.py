"""Asking to work for an already registered business; the owner decides."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from openaeo.accounts.roles import OperatorRole
from openaeo.common.models import AuditEvent
from openaeo.operators import policy, services
from openaeo.operators.models import AccessRequest
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def business(db):
    return factories.OperatorFactory(identifier="KE-P0000001")


def test_registering_a_known_identifier_offers_to_ask_the_owner(client, business, owner):
    client.force_login(factories.UserFactory())
    response = client.post(
        "/businesses/register/",
        {
            "legal_name": "Copy",
            "identifier": "ke-p0000001",
            "country": "KE",
            "roles": ["exporter"],
            "employees": 3,
        },
    )
    body = response.content.decode()
    assert "already registered" in body
    assert "/businesses/request-access/?identifier=KE-P0000001" in body


def test_the_owner_is_asked_and_approves(
    client, business, owner, django_capture_on_commit_callbacks
):
    accountant = factories.UserFactory()
    client.force_login(accountant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/businesses/request-access/",
            {"identifier": "KE-P0000001", "message": "New accountant"},
        )
    assert response.status_code == 302
    assert mail.outbox[0].to == [owner.email] and "New accountant" in mail.outbox[0].body
    assert not policy.can_view_operator(accountant, business)
    request = AccessRequest.objects.get()
    client.force_login(owner)
    client.post(
        f"/businesses/{business.pk}/access-requests/{request.pk}/",
        {"decision": "approve", "role": "editor"},
    )
    client.post(
        f"/businesses/{business.pk}/access-requests/{request.pk}/", {"decision": "refuse"}
    )  # too late
    assert policy.membership_role(accountant, business) == OperatorRole.EDITOR
    assert AccessRequest.objects.get().status == "approved"
    assert AuditEvent.objects.filter(action="operator.access_approve").count() == 1


def test_an_unknown_identifier_gets_the_same_answer(
    client, business, django_capture_on_commit_callbacks
):
    client.force_login(factories.UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(
            "/businesses/request-access/", {"identifier": "KE-P0000001"}, follow=True
        )
        unknown = client.post("/businesses/request-access/", {"identifier": "KE-NOPE"}, follow=True)
    message = "If a business with this number is registered"
    assert message in known.content.decode() and message in unknown.content.decode()
    assert AccessRequest.objects.count() == 1


def test_only_an_owner_decides(business, owner):
    request = services.access_request_create(
        actor=factories.UserFactory(), identifier="KE-P0000001"
    )
    editor = factories.make_member(business, OperatorRole.EDITOR)
    with pytest.raises(PermissionDenied):
        services.access_request_decide(actor=editor, access_request=request, approve=True)


def test_the_identifier_must_match_the_programmes_pattern(client, programmes):
    client.force_login(factories.UserFactory())
    response = client.post(
        "/businesses/register/",
        {
            "legal_name": "Shop",
            "identifier": "12",
            "country": "KE",
            "roles": ["exporter"],
            "employees": 2,
        },
    )
    assert "does not look like a valid identification number" in response.content.decode()
