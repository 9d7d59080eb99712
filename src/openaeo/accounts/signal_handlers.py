"""Account events that django-allauth performs are recorded in the audit trail too.

Allauth owns these writes (sign-up, e-mail confirmation, password and MFA
changes); its signals fire inside the request that made them, so the event
carries the same request id and client address.
"""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.db import transaction
from django.dispatch import receiver

from openaeo.common.audit import record_event


def _record(user, action: str, **extra) -> None:
    with transaction.atomic():
        record_event(actor=user, action=action, obj=user, after=extra or None)


@receiver(account_signals.user_signed_up)
def on_signed_up(sender, request, user, **kwargs):
    _record(user, "account.sign_up")


@receiver(account_signals.email_confirmed)
def on_email_confirmed(sender, request, email_address, **kwargs):
    _record(email_address.user, "account.email_confirm", email=email_address.email)


@receiver(auth_signals.user_logged_in)
def on_logged_in(sender, request, user, **kwargs):
    _record(user, "account.sign_in")


@receiver(auth_signals.user_logged_out)
def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        _record(user, "account.sign_out")


@receiver(auth_signals.user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # No actor: the person is not known. The e-mail tried is kept for the auditors.
    with transaction.atomic():
        record_event(
            actor=None,
            action="account.sign_in_failed",
            after={
                "email": str(credentials.get("email") or credentials.get("username") or "")[:254]
            },
        )


@receiver(account_signals.password_changed)
@receiver(account_signals.password_set)
def on_password_changed(sender, request, user, **kwargs):
    _record(user, "account.password_change")


@receiver(account_signals.password_reset)
def on_password_reset(sender, request, user, **kwargs):
    _record(user, "account.password_reset")


@receiver(mfa_signals.authenticator_added)
def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    _record(user, "account.mfa_add", type=authenticator.type)


@receiver(mfa_signals.authenticator_removed)
def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    _record(user, "account.mfa_remove", type=authenticator.type)
