"""Tell people that something needs them: in the app and by e-mail, in their own language."""

from django.utils import translation

from openaeo.common import clock
from openaeo.common.mail import queue_email
from openaeo.notifications.models import Notification


def notify(recipients, *, subject: str, body: str = "", params: dict | None = None, url: str = ""):
    """Create one notification per person and e-mail it to them.

    `subject` and `body` are English source strings marked with gettext_noop, with
    %(name)s placeholders filled from `params` (plain JSON values); each person gets
    them translated into their preferred language. Runs inside the caller's
    transaction: the e-mails leave only if it commits.
    """
    params = {key: str(value) for key, value in (params or {}).items()}
    people = {person.pk: person for person in recipients if person is not None}.values()
    now = clock.now()
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=person,
                subject_text=subject,
                body_text=body,
                params=params,
                url=url,
                created_at=now,
            )
            for person in people
        ]
    )
    for person, notification in zip(people, created, strict=True):
        if not person.email or not person.is_active:
            continue
        with translation.override(person.preferred_language or None):
            text = notification.body
            if url:
                text = f"{text}\n\n{translation.gettext('Open it in OpenAEO:')} {_absolute(url)}"
            queue_email(subject=notification.subject, body=text.strip(), to=[person.email])
    return created


def notification_mark_read(*, actor, notification_ids=None) -> int:
    """Mark some (or all) of the person's own notifications read; others' are never touched."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=clock.now())


def _absolute(path: str) -> str:
    from django.conf import settings

    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{path}" if base else path
