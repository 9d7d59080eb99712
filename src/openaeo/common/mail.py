"""Every e-mail leaves through a background task, so a slow mail server never slows a page.

The task backend stores the message; the worker (`manage.py db_worker`) sends it
with EMAIL_BACKEND (files under var/mail in development, SMTP in production).
"""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task


@task(priority=10)
def send_email_task(
    *, subject: str, body: str, to: list[str], html_body: str = "", from_email: str | None = None
) -> int:
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, from_email=from_email)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()


def queue_email(*, subject: str, body: str, to: list[str], html_body: str = "", from_email=None):
    """Enqueue after the surrounding transaction commits (never mail about a rolled-back change)."""
    transaction.on_commit(
        lambda: send_email_task.enqueue(
            subject=subject, body=body, to=list(to), html_body=html_body, from_email=from_email
        )
    )
