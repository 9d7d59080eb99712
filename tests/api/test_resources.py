"""What the operations answer: businesses as each caller sees them, and the audit trail."""

import datetime as dt

import pytest

from openaeo.common.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_trader_lists_only_the_businesses_they_work_for(api, token_for, people, operator):
    for role in ("owner", "viewer", "representative"):
        body = api.get("/api/v1/operators", token=token_for(people[role])).json()
        assert [item["id"] for item in body["items"]] == [operator.pk], role
    body = api.get("/api/v1/operators", token=token_for(people["newcomer"])).json()
    assert body == {"count": 0, "next": None, "previous": None, "items": []}


def test_staff_list_every_business(api, token_for, people, operator, other_operator):
    body = api.get("/api/v1/operators", token=token_for(people["validator"])).json()
    assert {item["id"] for item in body["items"]} == {operator.pk, other_operator.pk}


def test_members_see_colleagues_and_mandates(api, token_for, people, operator):
    body = api.get(f"/api/v1/operators/{operator.pk}", token=token_for(people["viewer"])).json()
    assert body["my_role"] == "viewer"
    assert {member["email"] for member in body["members"]} == {
        people[role].email for role in ("owner", "editor", "viewer")
    }
    assert [mandate["representative"] for mandate in body["mandates"]] == [
        people["representative"].email
    ]
    assert body["mandates"][0]["status"] == "in_force"


def test_staff_see_colleagues_and_mandates(api, token_for, people, operator):
    body = api.get(f"/api/v1/operators/{operator.pk}", token=token_for(people["supervisor"])).json()
    assert body["my_role"] is None
    assert len(body["members"]) == 3
    assert len(body["mandates"]) == 1


def test_representative_sees_the_business_but_not_its_people(api, token_for, people, operator):
    body = api.get(
        f"/api/v1/operators/{operator.pk}", token=token_for(people["representative"])
    ).json()
    assert body["legal_name"] == operator.legal_name
    assert body["members"] is None
    assert body["mandates"] is None


def test_audit_event_detail(api, token_for, people):
    event = AuditEvent.objects.order_by("sequence").first()
    body = api.get(
        f"/api/v1/audit-events/{event.sequence}", token=token_for(people["administrator"])
    ).json()
    assert body["sequence"] == event.sequence
    assert body["action"] == event.action
    assert body["hash"] == event.hash
    assert body["previous_hash"] == event.previous_hash
    assert body["after"] == event.after


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"action": "api_token."}, {"api_token.create"}),
        ({"action": "staff.role"}, {"staff.role_grant"}),
        ({"object_type": "accounts.apitoken"}, {"api_token.create"}),
    ],
)
def test_audit_filters(api, token_for, people, params, expected):
    token = token_for(people["auditor"])
    body = api.get("/api/v1/audit-events", token=token, limit=100, **params).json()
    assert body["count"] > 0
    assert {item["action"] for item in body["items"]} == expected


def test_audit_filter_by_actor_and_object(api, token_for, people):
    owner = people["owner"]
    token_for(owner, name="accounting")
    event = AuditEvent.objects.filter(actor=owner).get()
    body = api.get(
        "/api/v1/audit-events",
        token=token_for(people["auditor"]),
        actor=owner.email.upper(),
        object_type=event.object_type,
        object_id=event.object_id,
    ).json()
    assert [item["sequence"] for item in body["items"]] == [event.sequence]
    assert body["items"][0]["actor"] == owner.email
    assert body["items"][0]["actor_id"] == owner.pk


def test_audit_filter_by_day(api, token_for, people):
    today = AuditEvent.objects.order_by("sequence").first().occurred_at.date()
    token = token_for(people["auditor"])
    every = api.get("/api/v1/audit-events", token=token).json()["count"]
    assert api.get("/api/v1/audit-events", token=token, since=today).json()["count"] == every
    assert api.get("/api/v1/audit-events", token=token, until=today).json()["count"] == every
    tomorrow = today + dt.timedelta(days=1)
    assert api.get("/api/v1/audit-events", token=token, since=tomorrow).json()["count"] == 0


def test_audit_filter_by_business(api, token_for, people, operator):
    from openaeo.operators.services import membership_add

    owner = people["owner"]
    newcomer = factories.UserFactory()
    membership_add(actor=owner, operator=operator, email=newcomer.email, role="viewer")
    body = api.get(
        "/api/v1/audit-events", token=token_for(people["auditor"]), acting_for=operator.pk
    ).json()
    assert [item["action"] for item in body["items"]] == ["operator.member_add"]
    assert body["items"][0]["acting_for_id"] == operator.pk
