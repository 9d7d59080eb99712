"""Lists are paged with limit/offset and answer {count, next, previous, items}."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor_token(people, token_for):
    return token_for(people["auditor"])


@pytest.fixture
def many_operators(db):
    return factories.OperatorFactory.create_batch(130)


def _query(url):
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_first_page_links_to_the_next(api, auditor_token, many_operators, people):
    total = len(many_operators) + 2  # and the two operators of the `people` fixture
    body = api.get("/api/v1/operators", token=auditor_token, limit=10).json()
    assert body["count"] == total
    assert len(body["items"]) == 10
    assert body["previous"] is None
    assert urlsplit(body["next"]).path == "/api/v1/operators"
    assert _query(body["next"]) == {"limit": "10", "offset": "10"}


def test_following_next_walks_every_item_once(api, auditor_token, many_operators, people):
    seen = []
    url = "/api/v1/operators?limit=50"
    while url:
        body = api.get(url, token=auditor_token).json()
        seen += [item["id"] for item in body["items"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == body["count"]


def test_middle_page_links_both_ways_and_keeps_filters(api, auditor_token):
    body = api.get(
        "/api/v1/audit-events", token=auditor_token, limit=2, offset=2, action="staff."
    ).json()
    assert body["count"] > 4
    assert _query(body["previous"]) == {"limit": "2", "offset": "0", "action": "staff."}
    assert _query(body["next"]) == {"limit": "2", "offset": "4", "action": "staff."}
    assert all(item["action"].startswith("staff.") for item in body["items"])


def test_page_size_is_capped_at_100(api, auditor_token, many_operators, people):
    body = api.get("/api/v1/operators", token=auditor_token, limit=1000).json()
    assert len(body["items"]) == 100
    assert _query(body["next"]) == {"limit": "100", "offset": "100"}


def test_default_page_size_is_25(api, auditor_token, many_operators, people):
    body = api.get("/api/v1/operators", token=auditor_token).json()
    assert len(body["items"]) == 25


def test_offset_past_the_end_is_an_empty_page(api, auditor_token, people):
    body = api.get("/api/v1/operators", token=auditor_token, offset=500).json()
    assert body["items"] == []
    assert body["next"] is None
    assert body["count"] == 2
