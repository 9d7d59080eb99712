"""The audit trail, for auditors: browse, filter and read events."""

from django.shortcuts import get_object_or_404, render

from openaeo.common.forms import AuditFilterForm
from openaeo.common.models import AuditEvent
from openaeo.common.pagination import paginate
from openaeo.common.selectors import AuditFilter, audit_actions, audit_events, audit_object_types


def audit_event_list(request):
    form = AuditFilterForm(
        request.GET or None, actions=audit_actions(), object_types=audit_object_types()
    )
    filters = AuditFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = AuditFilter(
            action=data["action"],
            actor=data["actor"].strip(),
            object_type=data["object_type"],
            object_id=data["object_id"].strip(),
            since=data["since"],
            until=data["until"],
        )
    page = paginate(request, audit_events(filters), per_page=50)
    return render(request, "common/audit_event_list.html", {"form": form, "page": page})


def audit_event_detail(request, sequence: int):
    event = get_object_or_404(
        AuditEvent.objects.select_related("actor", "acting_for"), sequence=sequence
    )
    return render(request, "common/audit_event_detail.html", {"event": event})
