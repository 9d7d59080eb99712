"""Messages to one person about something that needs their attention, shown in the app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One notice for one person.

    Subject and body are kept as their English source text plus parameters, so that
    each person reads them in the language they use at the moment, not the one of
    whoever caused the notice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject_text = models.CharField(max_length=300)
    body_text = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.subject

    @property
    def subject(self) -> str:
        return _render(self.subject_text, self.params)

    @property
    def body(self) -> str:
        return _render(self.body_text, self.params) if self.body_text else ""


def _render(text: str, params: dict) -> str:
    # Values that are themselves English interface texts (an outcome, a step) are stored
    # in English and translated here too, so that each person reads one language.
    params = {key: gettext(value) if value else value for key, value in params.items()}
    translated = gettext(text)
    try:
        return translated % params if params else translated
    except (KeyError, ValueError, TypeError):
        # A translation with a broken placeholder must not break the page.
        return text % params if params else text
