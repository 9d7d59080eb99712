"""The hash chain that makes the audit trail tamper-evident (pure, no database).

Each event's hash is SHA-256 over a canonical JSON form of its recorded fields
and the previous event's hash. Changing, removing or re-ordering any event
changes every hash after it, so `manage.py audit_verify` can name the first
event whose stored hash no longer matches what its content says.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64

# The fields that are sealed by the hash, in the order they are documented.
SEALED_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_label",
    "acting_for_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "reason",
    "request_id",
    "client_address",
)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(fields: Mapping[str, Any], previous_hash: str) -> str:
    sealed = {name: fields.get(name) for name in SEALED_FIELDS}
    payload = previous_hash + "\n" + canonical_json(sealed)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BrokenLink:
    sequence: int
    reason: str


def first_broken_link(events: Iterable[Mapping[str, Any]]) -> BrokenLink | None:
    """Walk events in sequence order and return the first one that does not verify.

    Each mapping holds the sealed fields plus `previous_hash` and `hash` as stored.
    """
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    for event in events:
        sequence = event["sequence"]
        if sequence != expected_sequence:
            return BrokenLink(
                expected_sequence,
                f"event {expected_sequence} is missing (the next stored event is {sequence})",
            )
        if event["previous_hash"] != expected_previous:
            return BrokenLink(sequence, "its link to the previous event does not match")
        if event_hash(event, event["previous_hash"]) != event["hash"]:
            return BrokenLink(sequence, "its content does not match its hash")
        expected_previous = event["hash"]
        expected_sequence += 1
    return None
