"""The audit trail over the API: auditors and administrators read it, nobody changes it."""

import datetime as dt
from typing import Any

from django.http import Http404
from ninja import Field, Query, Router, Schema

from openaeo.common.api_policy import requires
from openaeo.common.api_support import (
    IsoDate,
    ObjectId,
    Page,
    PageQuery,
    paginate,
    problems,
    search_text,
)
from openaeo.common.policy import READ_AUDIT_TRAIL
from openaeo.common.selectors import AuditFilter, audit_events

router = Router(tags=["Audit trail"])


class AuditEventSummary(Schema):
    sequence: int = Field(description="Position in the audit chain; never reused.")
    occurred_at: dt.datetime
    actor: str = Field(
        validation_alias="actor_label",
        description='Who acted: an e-mail address, or "system".',
    )
    actor_id: int | None = Field(description="The acting user's id, if a person acted.")
    acting_for_id: int | None = Field(description="The business acted for, if any.")
    action: str
    object_type: str
    object_id: str
    object_repr: str
    reason: str
    request_id: str


class AuditEventDetail(AuditEventSummary):
    before: Any = Field(description="The state before the change (JSON), if recorded.")
    after: Any = Field(description="The state after the change (JSON), if recorded.")
    client_address: str | None
    previous_hash: str
    hash: str


class AuditEventPage(Page):
    items: list[AuditEventSummary]


class AuditEventQuery(PageQuery):
    action: str = search_text(80, "Actions starting with this, such as `operator.`.")
    actor: str = search_text(254, "Actors whose e-mail address contains this.")
    object_type: str = search_text(80, "Objects of this type, such as `operators.mandate`.")
    object_id: str = search_text(64, "The object with this id (with object_type).")
    acting_for: ObjectId | None = Field(None, description="Events on behalf of this business.")
    since: IsoDate | None = Field(None, description="Events on or after this day.")
    until: IsoDate | None = Field(None, description="Events on or before this day.")


@router.get(
    "",
    response={200: AuditEventPage, **problems(400, 401, 403)},
    url_name="audit_event_list",
    summary="List audit events",
)
@requires(READ_AUDIT_TRAIL)
def audit_event_list(request, query: Query[AuditEventQuery]):
    """The audit trail, newest first, optionally filtered."""
    filters = AuditFilter(
        action=query.action,
        actor=query.actor.strip(),
        object_type=query.object_type,
        object_id=query.object_id.strip(),
        acting_for_id=query.acting_for,
        since=query.since,
        until=query.until,
    )
    return paginate(request, audit_events(filters), query)


@router.get(
    "/{sequence}",
    response={200: AuditEventDetail, **problems(400, 401, 403, 404)},
    url_name="audit_event_detail",
    summary="Read one audit event",
)
@requires(READ_AUDIT_TRAIL)
def audit_event_detail(request, sequence: ObjectId):
    """One event, with the state before and after the change and its place in the chain."""
    event = audit_events(AuditFilter()).filter(sequence=sequence).first()
    if event is None:
        raise Http404
    return event
