"""The person's notifications: newest first, unread marked, a button to mark them read."""

from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from openaeo.common.pagination import paginate
from openaeo.notifications.models import Notification
from openaeo.notifications.services import notification_mark_read


def notification_list(request):
    page = paginate(request, Notification.objects.filter(recipient=request.user), per_page=25)
    return render(request, "notifications/list.html", {"page": page})


@require_POST
def notification_read(request):
    """Mark one notification read and follow its link, or mark them all read."""
    notification_id = request.POST.get("notification")
    if notification_id and notification_id.isdigit():
        notification = Notification.objects.filter(
            recipient=request.user, pk=int(notification_id)
        ).first()
        if notification is not None:
            notification_mark_read(actor=request.user, notification_ids=[notification.pk])
            if notification.url and url_has_allowed_host_and_scheme(
                notification.url, allowed_hosts={request.get_host()}
            ):
                return redirect(notification.url)
        return redirect("notifications:list")
    notification_mark_read(actor=request.user)
    return redirect("notifications:list")
