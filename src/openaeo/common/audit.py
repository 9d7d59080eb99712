"""Writing and verifying audit events.

Services call `record_event` inside their own `transaction.atomic()` block, so
the event and the change it describes are committed together or not at all.
"""

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from openaeo.common import clock, request_context
from openaeo.common.audit_chain import GENESIS_HASH, BrokenLink, event_hash, first_broken_link
from openaeo.common.models import AuditChainHead, AuditEvent


def _object_identity(obj: models.Model | None) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    return obj._meta.label_lower, str(obj.pk), str(obj)[:255]


def record_event(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    acting_for=None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    occurred_at: dt.datetime | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of the change")
    context = request_context.current()
    object_type, object_id, object_repr = _object_identity(obj)
    actor_obj = actor if actor is not None and getattr(actor, "pk", None) else None
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        id=1, defaults={"last_sequence": 0, "last_hash": GENESIS_HASH}
    )
    event = AuditEvent(
        sequence=head.last_sequence + 1,
        occurred_at=occurred_at or clock.now(),
        actor=actor_obj,
        actor_label=(actor_obj.email if actor_obj is not None else "system")[:254],
        acting_for=acting_for,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason,
        request_id=context.request_id,
        client_address=context.client_address,
        previous_hash=head.last_hash,
    )
    event.hash = event_hash(event.sealed_fields(), event.previous_hash)
    event.save()
    AuditChainHead.objects.filter(id=1).update(last_sequence=event.sequence, last_hash=event.hash)
    return event


def _jsonable(value):
    """Dates, decimals and the like as strings, so the hash sees what the database stores."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _stored_events(batch_size: int = 2000) -> Iterator[dict[str, Any]]:
    queryset = AuditEvent.objects.order_by("sequence")
    for event in queryset.iterator(chunk_size=batch_size):
        fields = event.sealed_fields()
        fields["previous_hash"] = event.previous_hash
        fields["hash"] = event.hash
        yield fields


def verify_chain() -> tuple[int, BrokenLink | None]:
    """Return how many events were checked and the first broken link, if any."""
    counted = 0

    def counting():
        nonlocal counted
        for fields in _stored_events():
            counted += 1
            yield fields

    broken = first_broken_link(counting())
    if broken is None:
        head = AuditChainHead.objects.filter(id=1).first()
        if head is not None and head.last_sequence != counted:
            broken = BrokenLink(
                counted + 1,
                f"the chain should hold {head.last_sequence} events but {counted} are stored",
            )
    return counted, broken
