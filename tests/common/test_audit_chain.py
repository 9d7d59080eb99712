"""The hash chain, as pure functions (no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openaeo.common.audit_chain import GENESIS_HASH, SEALED_FIELDS, event_hash, first_broken_link

pytestmark = pytest.mark.domain


def _chain(count: int) -> list[dict]:
    events, previous = [], GENESIS_HASH
    for sequence in range(1, count + 1):
        event = {
            "sequence": sequence,
            "occurred_at": f"2026-11-27T10:00:{sequence:02d}+00:00",
            "actor_id": 7,
            "actor_label": "owner@example.test",
            "acting_for_id": 3,
            "action": "mandate.grant",
            "object_type": "operators.mandate",
            "object_id": str(sequence),
            "object_repr": f"Mandate {sequence}",
            "before": None,
            "after": {"scopes": ["prepare"], "note": "é"},
            "reason": "",
            "request_id": "abc123def456",
            "client_address": "192.0.2.1",
        }
        event["previous_hash"] = previous
        event["hash"] = event_hash(event, previous)
        previous = event["hash"]
        events.append(event)
    return events


def test_an_intact_chain_verifies():
    assert first_broken_link(_chain(5)) is None


def test_the_hash_does_not_depend_on_key_order():
    event = _chain(1)[0]
    reordered = dict(reversed(list(event.items())))
    assert event_hash(reordered, GENESIS_HASH) == event["hash"]


def test_a_changed_event_is_named():
    events = _chain(5)
    events[2]["after"] = {"scopes": ["submit"], "note": "é"}
    broken = first_broken_link(events)
    assert broken is not None and broken.sequence == 3
    assert "content" in broken.reason


def test_a_removed_event_is_named():
    events = _chain(5)
    del events[1]
    broken = first_broken_link(events)
    assert broken is not None and broken.sequence == 2
    assert "missing" in broken.reason


def test_a_rehashed_event_still_breaks_the_next_link():
    events = _chain(4)
    events[1]["actor_label"] = "someone-else@example.test"
    events[1]["hash"] = event_hash(events[1], events[1]["previous_hash"])
    broken = first_broken_link(events)
    assert broken is not None and broken.sequence == 3
    assert "link" in broken.reason


@given(
    position=st.integers(min_value=0, max_value=5),
    field=st.sampled_from([f for f in SEALED_FIELDS if f != "sequence"]),
    value=st.one_of(st.text(max_size=20), st.integers(), st.none()),
)
def test_any_change_to_any_sealed_field_is_detected(position, field, value):
    events = _chain(6)
    if events[position][field] == value:
        return  # not a change
    events[position][field] = value
    broken = first_broken_link(events)
    assert broken is not None and broken.sequence == position + 1
