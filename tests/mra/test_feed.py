"""The outgoing feed: content, changed_since, pages, CSV, and who may read it."""

import csv
import io

import pytest
from django.urls import reverse

from openaeo.certificates.services import certificate_reinstate
from openaeo.common import clock
from openaeo.mra import feed
from tests.scenarios.api import assert_problem
from tests.scenarios.mra import make_partner

FEED = reverse("api-mra:mra_operators")
CSV = reverse("api-mra:mra_operators_csv")


def _csv(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_feed_gives_the_seven_elements_of_every_certificate(api, partner, certificates):
    _partner, token = partner
    response = api.get(FEED, token)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 3
    by_number = {item["aeo_number"]: item for item in body["items"]}
    for certificate in certificates:
        item = by_number[certificate.aeo_number]
        assert item["name"] == certificate.holder_name
        assert item["operator_identifier"] == certificate.identifier
        assert item["address"] == certificate.holder.address
        assert item["status"] == certificate.status
        assert item["authorised_on"] == certificate.effective_on.isoformat()
        assert item["tier"] == certificate.tier_code
    assert by_number[certificates[0].aeo_number]["status_changed_on"] is None
    suspended = certificates[1]
    assert by_number[suspended.aeo_number]["status"] == "suspended"
    assert by_number[suspended.aeo_number]["status_changed_on"] == (
        suspended.status_changed_at.date().isoformat()
    )
    # A stable order: by certificate, oldest first.
    assert [item["aeo_number"] for item in body["items"]] == [c.aeo_number for c in certificates]


def test_changed_since_gives_only_what_changed(api, partner, certificates, staff):
    _partner, token = partner
    since = clock.now()
    certificate_reinstate(
        actor=staff["supervisor"], certificate=certificates[1], reason="Findings closed."
    )
    body = api.get(FEED, token, changed_since=since.isoformat()).json()
    assert [item["aeo_number"] for item in body["items"]] == [certificates[1].aeo_number]
    assert body["items"][0]["status"] == "active"
    rows = _csv(api.get(CSV, token, changed_since=since.isoformat()))
    assert [row["aeo_number"] for row in rows] == [certificates[1].aeo_number]


def test_changed_since_must_be_a_moment(api, partner):
    _partner, token = partner
    assert_problem(api.get(FEED, token, changed_since="last tuesday"), 400)


def test_pages_are_stable_and_linked(api, partner, certificates):
    _partner, token = partner
    first = api.get(FEED, token, limit=2).json()
    assert len(first["items"]) == 2 and first["next"]
    second = api.get(FEED, token, limit=2, offset=2).json()
    numbers = [i["aeo_number"] for i in first["items"] + second["items"]]
    assert numbers == [c.aeo_number for c in certificates]


def test_csv_has_the_same_records(api, partner, certificates):
    _partner, token = partner
    rows = _csv(api.get(CSV, token))
    assert list(rows[0]) == list(feed.FIELDS)
    json_items = api.get(FEED, token).json()["items"]
    for row, item in zip(rows, json_items, strict=True):
        for name in feed.FIELDS:
            expected = item[name]
            if name == "changed_at":
                continue  # the same moment, written by different encoders
            assert row[name] == ("" if expected is None else str(expected))


@pytest.mark.parametrize("path", [FEED, CSV])
def test_a_client_without_the_scope_is_refused(api, machine_token, path, certificates):
    # machine_token: a client granted verify:read only, and no partner.
    assert_problem(api.get(path, machine_token), 403)


@pytest.mark.parametrize("path", [FEED, CSV])
def test_a_client_whose_partner_is_not_in_force_is_refused(api, path, db):
    import datetime as dt

    _ended, token = make_partner("Former partner", active_until=dt.date(2021, 1, 1))
    assert_problem(api.get(path, token), 403)


@pytest.mark.parametrize("path", [FEED, CSV])
def test_a_client_with_the_scope_but_no_partner_is_refused(api, path, db):
    from openaeo.accounts import services

    client, secret = services.machine_client_create(actor=None, name="Stray", scopes=["mra:read"])
    token, _t = services.machine_token_issue(
        client_id=client.client_id, client_secret=secret, scopes=None
    )
    assert_problem(api.get(path, token), 403)


def test_anonymous_is_asked_to_authenticate(api, db):
    assert_problem(api.get(FEED), 401)
