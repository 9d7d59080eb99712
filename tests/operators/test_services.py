"""Operators, colleagues and mandates: rules enforced in the services themselves."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openaeo.accounts.roles import MandateScope, OperatorRole
from openaeo.common import clock
from openaeo.common.models import AuditEvent
from openaeo.operators import policy, selectors, services
from openaeo.operators.models import Mandate, OperatorMembership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return factories.UserFactory()


@pytest.fixture
def business(owner):
    return services.operator_register(
        actor=owner, legal_name=" Kahawa Bora Ltd ", identifier="ke-p051", country="ke"
    )


def test_registering_makes_the_person_its_owner(business, owner):
    assert business.legal_name == "Kahawa Bora Ltd"
    assert (business.identifier, business.country) == ("KE-P051", "KE")
    assert policy.membership_role(owner, business) == OperatorRole.OWNER
    assert list(selectors.operators_of(owner)) == [business]


def test_a_duplicate_identifier_is_refused_with_a_clear_message(business):
    with pytest.raises(ValidationError) as error:
        services.operator_register(
            actor=factories.UserFactory(), legal_name="Copy", identifier="KE-P051 ", country="KE"
        )
    assert "already registered" in str(error.value)


def test_owner_adds_a_colleague_who_has_an_account(business, owner):
    colleague = factories.UserFactory(email="brian@example.test")
    services.membership_add(
        actor=owner, operator=business, email="BRIAN@example.test", role="editor"
    )
    assert policy.membership_role(colleague, business) == OperatorRole.EDITOR
    assert policy.can_prepare(colleague, business)
    assert not policy.can_submit(colleague, business)
    event = AuditEvent.objects.get(action="operator.member_add")
    assert event.acting_for == business and event.after == {
        "email": colleague.email,
        "role": "editor",
    }


def test_a_colleague_without_an_account_is_invited_instead(business, owner):
    from openaeo.operators.models import OperatorInvitation

    invitation = services.membership_add(
        actor=owner, operator=business, email="nobody@example.test", role="viewer"
    )
    assert isinstance(invitation, OperatorInvitation)
    assert not OperatorMembership.objects.filter(user__email="nobody@example.test").exists()


def test_only_the_owner_manages_people(business, owner):
    editor = factories.make_member(business, OperatorRole.EDITOR)
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=editor, operator=business, email=owner.email, role="viewer")
    with pytest.raises(PermissionDenied):
        services.mandate_grant(
            actor=editor,
            operator=business,
            email=owner.email,
            scopes=["prepare"],
            valid_until=clock.today(),
        )


def test_the_last_owner_cannot_be_removed(business, owner):
    membership = OperatorMembership.objects.get(operator=business, user=owner)
    with pytest.raises(ValidationError, match="at least one owner"):
        services.membership_remove(actor=owner, membership=membership)
    second = factories.make_member(business, OperatorRole.OWNER)
    services.membership_remove(actor=second, membership=membership)
    assert policy.membership_role(owner, business) is None


def test_a_mandate_gives_exactly_its_scope_until_its_end(business, owner):
    broker = factories.UserFactory()
    today = clock.today()
    mandate = services.mandate_grant(
        actor=owner,
        operator=business,
        email=broker.email,
        scopes=[MandateScope.PREPARE],
        valid_until=today + dt.timedelta(days=10),
    )
    assert policy.can_view_operator(broker, business)
    assert policy.can_prepare(broker, business)
    assert not policy.can_submit(broker, business)
    assert not policy.can_manage_people(broker, business)
    assert list(selectors.operators_of(broker)) == [business]
    Mandate.objects.filter(pk=mandate.pk).update(
        valid_until=today - dt.timedelta(days=1), valid_from=today - dt.timedelta(days=5)
    )
    assert not policy.can_view_operator(broker, business)
    assert list(selectors.operators_of(broker)) == []


def test_revoking_ends_the_mandate_once(business, owner):
    broker = factories.UserFactory()
    mandate = services.mandate_grant(
        actor=owner,
        operator=business,
        email=broker.email,
        scopes=[MandateScope.SUBMIT],
        valid_until=clock.today() + dt.timedelta(days=30),
    )
    services.mandate_revoke(actor=owner, mandate=mandate, reason="Contract ended")
    services.mandate_revoke(actor=owner, mandate=mandate)  # a double click
    assert not policy.can_view_operator(broker, business)
    revocations = AuditEvent.objects.filter(action="mandate.revoke")
    assert revocations.count() == 1 and revocations.get().reason == "Contract ended"


@pytest.mark.parametrize(
    ("scopes", "days", "field"),
    [([], 10, "scopes"), (["fly"], 10, "scopes"), (["prepare"], -1, "valid_until")],
)
def test_mandate_input_is_checked(business, owner, scopes, days, field):
    broker = factories.UserFactory()
    with pytest.raises(ValidationError) as error:
        services.mandate_grant(
            actor=owner,
            operator=business,
            email=broker.email,
            scopes=scopes,
            valid_until=clock.today() + dt.timedelta(days=days),
        )
    assert field in error.value.error_dict


def test_customs_staff_cannot_be_made_members(business, owner):
    from openaeo.accounts.roles import StaffRole

    validator = factories.make_staff(StaffRole.VALIDATOR)
    with pytest.raises(ValidationError, match="Customs staff"):
        services.membership_add(
            actor=owner, operator=business, email=validator.email, role="viewer"
        )


def test_operator_pages_forms_show_errors(client, business, owner):
    client.force_login(owner)
    response = client.post(
        f"/businesses/{business.pk}/members/", {"email": "nobody@example", "role": "viewer"}
    )
    assert response.status_code == 400
    assert "Enter the e-mail address in the correct format" in response.content.decode()
    response = client.post(
        "/businesses/register/", {"legal_name": "X", "identifier": "KE-P051", "country": "K1"}
    )
    body = response.content.decode()
    assert "two-letter country code" in body


def test_operator_list_query_count_is_constant(client, django_assert_max_num_queries):
    user = factories.UserFactory()
    for _ in range(2):
        factories.make_member(factories.OperatorFactory(), OperatorRole.OWNER, user=user)
    client.force_login(user)
    with django_assert_max_num_queries(15) as few:
        client.get("/businesses/")
    for _ in range(20):
        factories.make_member(factories.OperatorFactory(), OperatorRole.VIEWER, user=user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/businesses/")
    assert len(response.context["operators"]) == 22
