"""Reading applications."""

from django.http import Http404

from openaeo.cases.models import Application
from openaeo.operators import policy as operator_policy


def application_visible_to(user, application_id: int) -> Application:
    application = (
        Application.objects.select_related("operator", "programme")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not operator_policy.can_view_operator(user, application.operator):
        raise Http404
    return application


def applications_of(operator):
    return Application.objects.filter(operator=operator).select_related("programme")


def timeline(application) -> list:
    """What happened to the application, oldest first (from the audit trail)."""
    from openaeo.common.models import AuditEvent

    return list(
        AuditEvent.objects.filter(
            object_type="cases.application", object_id=str(application.pk)
        ).order_by("sequence")
    )
