"""Reminders before action due dates, sent through `tick` once a day."""

import datetime as dt

from django.tasks import task

from openaeo.common.periodic import register_job

REMIND_DAYS_BEFORE = 3


@task()
def send_action_reminders() -> int:
    from django.db import transaction
    from django.utils.translation import gettext as _

    from openaeo.assessments.models import ActionItem
    from openaeo.common import clock
    from openaeo.common.mail import queue_email
    from openaeo.operators.models import OperatorMembership

    today = clock.today()
    due = ActionItem.objects.filter(
        status=ActionItem.Status.OPEN,
        due_date__gte=today,
        due_date__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE),
    ).select_related("owner", "assessment__operator")
    sent = 0
    for action in due:
        if action.reminded_for == action.due_date:
            continue  # already reminded for this due date
        recipients = (
            [action.owner.email]
            if action.owner
            else list(
                OperatorMembership.objects.filter(
                    operator=action.assessment.operator, role__in=["owner", "editor"]
                ).values_list("user__email", flat=True)
            )
        )
        with transaction.atomic():
            action.reminded_for = action.due_date
            action.save(update_fields=["reminded_for"])
            queue_email(
                subject=_("Reminder: %(title)s is due on %(date)s")
                % {"title": action.title, "date": action.due_date},
                body=_(
                    "This action of the self-assessment of %(business)s is due on %(date)s:\n\n%(title)s\n\n"
                    "When it is done, mark it done in OpenAEO so that your readiness is updated."
                )
                % {
                    "business": action.assessment.operator,
                    "date": action.due_date,
                    "title": action.title,
                },
                to=recipients,
            )
        sent += 1
    return sent


register_job(
    "assessments.action_reminders", every=dt.timedelta(days=1), task_=send_action_reminders
)
