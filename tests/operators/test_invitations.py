"""Inviting a colleague who has no account yet: the e-mail, the link, and who may use it."""

import datetime as dt
import re
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from openaeo.accounts.roles import OperatorRole, StaffRole
from openaeo.common import clock
from openaeo.common.models import AuditEvent
from openaeo.operators import policy, services
from openaeo.operators.models import OperatorInvitation, OperatorMembership
from tests import factories

pytestmark = pytest.mark.django_db

INVALID = "This invitation is no longer valid"


@pytest.fixture
def business(db):
    return factories.OperatorFactory(legal_name="Kahawa Bora Ltd")


@pytest.fixture
def invite(business, owner, django_capture_on_commit_callbacks):
    """`invite(email, role)` sends an invitation and returns it with the link's path."""

    def send(email="amina@example.test", role="editor"):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.membership_add(
                actor=owner,
                operator=business,
                email=email,
                role=role,
                site_root="https://aeo.example.test/",
            )
        link = re.search(r"https://aeo\.example\.test(/\S+)", mail.outbox[-1].body).group(1)
        return invitation, link

    return send


def _signed_up(email, *, verified=True):
    """Someone who created an account after the invitation was sent."""
    user = factories.UserFactory(email=email)
    EmailAddress.objects.filter(user=user).update(verified=verified)
    return user


def test_an_invitation_is_e_mailed_and_only_its_digest_kept(invite, business, owner):
    invitation, link = invite(email=" Amina@Example.test ")
    assert isinstance(invitation, OperatorInvitation)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "amina@example.test",
        "editor",
        owner,
    )
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=14)
    message = mail.outbox[-1]
    assert message.to == ["amina@example.test"]
    assert "Kahawa Bora Ltd" in message.subject and "Editor" in message.body
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert link == reverse("operators:invitation", kwargs={"token": token})
    assert invitation.token_digest == OperatorInvitation.digest_of(token) != token
    event = AuditEvent.objects.get(action="operator.invitation_send")
    assert event.acting_for == business and event.after["email"] == "amina@example.test"
    assert token not in str(event.after)
    assert not OperatorMembership.objects.filter(
        operator=business, user__email__iexact="amina@example.test"
    ).exists()


def test_inviting_the_same_address_again_sends_a_new_link(invite, client):
    first, old_link = invite(role="viewer")
    again, new_link = invite(email="AMINA@example.test", role="editor")
    assert again.pk == first.pk and OperatorInvitation.objects.count() == 1
    assert again.role == "editor" and len(mail.outbox) == 2 and new_link != old_link
    assert AuditEvent.objects.filter(action="operator.invitation_resend").count() == 1
    assert client.get(old_link).status_code == 404  # only the newest link works
    assert client.get(new_link).status_code == 200


def test_the_invited_person_signs_up_and_accepts(invite, client, business):
    invitation, link = invite()
    page = client.get(link)
    html = page.content.decode()
    assert page.status_code == 200 and "You are invited to work for Kahawa Bora Ltd" in html
    assert "amina@example.test" not in html  # the page never shows the address
    assert f"{reverse('account_login')}?next={quote(link, safe='')}" in html
    assert f"{reverse('account_signup')}?next={quote(link, safe='')}" in html
    assert client.post(link).status_code == 302  # anonymous: sent to sign in, nothing done
    assert not OperatorMembership.objects.filter(operator=business).exclude(role="owner").exists()

    amina = _signed_up("Amina@example.test")
    client.force_login(amina)
    page = client.get(link)
    assert page.status_code == 200 and "Accept the invitation" in page.content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("operators:detail", args=[business.pk])
    assert policy.membership_role(amina, business) == OperatorRole.EDITOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == amina and invitation.accepted_at is not None
    event = AuditEvent.objects.get(action="operator.invitation_accept")
    assert event.actor == amina and event.acting_for == business
    assert event.after["role"] == "editor"

    assert client.post(link).status_code == 302  # a second click: back to the business
    assert OperatorMembership.objects.filter(operator=business, user=amina).count() == 1
    assert AuditEvent.objects.filter(action="operator.invitation_accept").count() == 1


def test_someone_else_cannot_use_the_link(invite, client, business):
    _invitation, link = invite()
    intruder = factories.make_member(factories.OperatorFactory(), OperatorRole.OWNER)
    client.force_login(intruder)
    page = client.get(link)
    html = page.content.decode()
    assert page.status_code == 403 and "This invitation is for someone else" in html
    assert "amina@example.test" not in html and "Accept the invitation" not in html
    assert client.post(link).status_code == 403
    with pytest.raises(services.InvitationForSomeoneElse):
        services.invitation_accept(actor=intruder, token=link.rstrip("/").rsplit("/", 1)[-1])
    assert policy.membership_role(intruder, business) is None
    assert not AuditEvent.objects.filter(action="operator.invitation_accept").exists()

    # The invited person can still use it afterwards.
    client.force_login(_signed_up("amina@example.test"))
    assert client.post(link).status_code == 302


def test_an_unconfirmed_address_is_not_enough(invite, client, business):
    _invitation, link = invite()
    unconfirmed = _signed_up("amina@example.test", verified=False)
    client.force_login(unconfirmed)
    assert client.post(link).status_code == 403
    assert policy.membership_role(unconfirmed, business) is None


def test_customs_staff_cannot_accept(invite, client, business):
    _invitation, link = invite(email="officer@customs.test")
    officer = factories.make_staff(StaffRole.VALIDATOR)
    EmailAddress.objects.create(user=officer, email="officer@customs.test", verified=True)
    client.force_login(officer)
    assert client.get(link).status_code == 403
    with pytest.raises(PermissionDenied):
        services.invitation_accept(actor=officer, token=link.rstrip("/").rsplit("/", 1)[-1])
    assert not OperatorMembership.objects.filter(user=officer).exists()


@pytest.mark.parametrize("how", ["expired", "cancelled", "used"])
def test_a_dead_link_says_so_clearly(invite, client, business, owner, how):
    invitation, link = invite()
    if how == "expired":
        OperatorInvitation.objects.filter(pk=invitation.pk).update(
            expires_at=clock.now() - dt.timedelta(minutes=1)
        )
    elif how == "cancelled":
        services.invitation_cancel(actor=owner, invitation=invitation)
    else:
        client.force_login(_signed_up("amina@example.test"))
        client.post(link)
        client.logout()
    person = _signed_up("other@example.test")
    for visitor in (None, person):
        if visitor:
            client.force_login(visitor)
        response = client.get(link)
        assert response.status_code == 410 and INVALID in response.content.decode()
        assert "ask the owner" in response.content.decode().lower()
        assert client.post(link).status_code == 410
    assert policy.membership_role(person, business) is None


def test_an_unknown_link_gets_the_same_page(client):
    response = client.get(reverse("operators:invitation", kwargs={"token": "not-a-real-token"}))
    assert response.status_code == 404 and INVALID in response.content.decode()
    with pytest.raises(services.InvitationNotValid):
        services.invitation_accept(actor=factories.UserFactory(), token="not-a-real-token")


def test_the_owner_sees_pending_invitations_and_cancels_one(invite, client, business, owner):
    invitation, link = invite()
    detail = reverse("operators:detail", args=[business.pk])
    cancel = reverse("operators:invitation_cancel", args=[business.pk, invitation.pk])
    editor = factories.make_member(business, OperatorRole.EDITOR)
    client.force_login(editor)
    assert "amina@example.test" not in client.get(detail).content.decode()
    assert client.post(cancel).status_code == 404

    client.force_login(owner)
    html = client.get(detail).content.decode()
    assert "Invitations waiting for an answer" in html and "amina@example.test" in html
    assert cancel in html and "Cancel invitation" in html
    response = client.post(cancel, follow=True)
    assert "is cancelled" in response.content.decode()
    assert "Invitations waiting for an answer" not in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_by == owner and invitation.revoked_at is not None
    assert AuditEvent.objects.filter(action="operator.invitation_cancel").count() == 1
    assert client.post(cancel).status_code == 404  # nothing left to cancel
    client.logout()
    assert client.get(link).status_code == 410


def test_the_add_form_invites_and_says_so(
    client, business, owner, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("operators:member_add", args=[business.pk]),
            {"email": "brian@example.test", "role": "viewer"},
            follow=True,
        )
    html = response.content.decode()
    assert "has no OpenAEO account yet, so we e-mailed them an invitation" in html
    assert mail.outbox[-1].to == ["brian@example.test"]
    assert "http://testserver/businesses/invitations/" in mail.outbox[-1].body


def test_only_owners_invite(business, owner):
    editor = factories.make_member(business, OperatorRole.EDITOR)
    with pytest.raises(PermissionDenied):
        services.membership_add(
            actor=editor, operator=business, email="someone@example.test", role="viewer"
        )
    assert not OperatorInvitation.objects.exists()


def test_existing_accounts_are_still_added_directly(invite, business, owner):
    invitation, _link = invite()
    amina = _signed_up("amina@example.test")
    membership = services.membership_add(
        actor=owner, operator=business, email="amina@example.test", role="viewer"
    )
    assert isinstance(membership, OperatorMembership) and membership.user == amina
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None  # the old invitation is closed, not left pending
    assert not OperatorInvitation.objects.filter(revoked_at__isnull=True).exists()


def test_staff_are_still_refused(business, owner):
    officer = factories.make_staff(StaffRole.VALIDATOR)
    with pytest.raises(ValidationError, match="Customs staff"):
        services.membership_add(actor=owner, operator=business, email=officer.email, role="viewer")
    assert not OperatorInvitation.objects.exists()
