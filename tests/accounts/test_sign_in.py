"""Sign-up with e-mail verification, sign-in, lockout, MFA for staff, sessions, SSO."""

import re

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core import mail
from django.urls import reverse

from openaeo.accounts.roles import StaffRole
from openaeo.common.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Mail leaves after commit; the test transaction never commits, so a block
    wrapped in `with committed():` runs its on-commit callbacks when it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _sign_up(client, committed, email="new.trader@example.test"):
    with committed():
        return client.post(
            reverse("account_signup"),
            {
                "email": email,
                "password1": "a-long-passphrase-42",
                "password2": "a-long-passphrase-42",
            },
        )


def test_sign_up_sends_a_confirmation_through_the_task_queue(client, committed):
    response = _sign_up(client, committed)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.trader@example.test"]
    assert re.search(r"/accounts/confirm-email/[\w:-]+/", message.body)
    assert AuditEvent.objects.filter(action="account.sign_up").exists()


def test_an_unconfirmed_address_cannot_sign_in(client, committed):
    _sign_up(client, committed)
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "new.trader@example.test", "password": "a-long-passphrase-42"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


def test_confirming_the_address_lets_the_trader_in(client, committed):
    _sign_up(client, committed)
    link = re.search(r"(/accounts/confirm-email/[\w:-]+/)", mail.outbox[0].body).group(1)
    client.post(link)
    response = client.post(
        reverse("account_login"),
        {"login": "new.trader@example.test", "password": "a-long-passphrase-42"},
    )
    assert response.status_code == 302
    assert client.get(reverse("web:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="account.email_confirm").exists()


def test_repeated_failures_lock_the_account(client):
    user = factories.UserFactory()
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
        assert response.status_code == 200
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()
    assert AuditEvent.objects.filter(action="account.sign_in_failed").count() >= 5


def test_password_reset_mail_is_sent(client, committed):
    user = factories.UserFactory()
    with committed():
        client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_staff_without_a_second_factor_must_set_one_up(client):
    validator = factories.make_staff(StaffRole.VALIDATOR, mfa=False)
    client.force_login(validator)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # Allauth first asks for the password again (a fresh sign-in for a security change);
    # that page must be reachable too, or the staff member would be stuck.
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 302 and setup["Location"].startswith(
        reverse("account_reauthenticate")
    )
    assert client.get(setup["Location"]).status_code == 200


def test_traders_may_choose_not_to_use_a_second_factor(client):
    client.force_login(factories.UserFactory())
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_staff_sign_in_asks_for_the_authenticator_code(client):
    import time

    from allauth.mfa import app_settings

    validator = factories.make_staff(StaffRole.VALIDATOR)
    response = client.post(
        reverse("account_login"), {"login": validator.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    code = format_hotp_value(
        hotp_value(factories.TOTP_SECRET, int(time.time()) // app_settings.TOTP_PERIOD)
    )
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_sessions_expire_when_idle():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_session_cookie_carries_the_idle_limit(client):
    client.force_login(factories.UserFactory())
    response = client.get(reverse("web:dashboard"))
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


class _FakeSocialLogin:
    def __init__(self, email):
        from openaeo.accounts.models import User

        self.user = User(email=email)


def test_sso_refuses_people_who_are_not_staff(rf):
    from allauth.core.exceptions import ImmediateHttpResponse

    from openaeo.accounts.adapters import StaffSsoAdapter

    trader = factories.UserFactory()
    request = rf.get("/")
    with pytest.raises(ImmediateHttpResponse) as refused:
        StaffSsoAdapter(request).pre_social_login(request, _FakeSocialLogin(trader.email))
    assert refused.value.response.status_code == 403
    with pytest.raises(ImmediateHttpResponse):
        StaffSsoAdapter(request).pre_social_login(
            request, _FakeSocialLogin("stranger@example.test")
        )


def test_sso_lets_existing_staff_through(rf):
    from openaeo.accounts.adapters import StaffSsoAdapter

    validator = factories.make_staff(StaffRole.VALIDATOR)
    request = rf.get("/")
    StaffSsoAdapter(request).pre_social_login(request, _FakeSocialLogin(validator.email.upper()))
    assert StaffSsoAdapter(request).is_open_for_signup(request, None) is False
