import pytest

from openaeo.accounts.models import ApiToken
from openaeo.common.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_new_token_is_shown_once_and_stored_as_a_digest(client):
    user = factories.UserFactory()
    client.force_login(user)
    response = client.post("/account/tokens/", {"name": "accounting"})
    secret = response.context["new_secret"]
    assert secret.startswith("oat_")
    token = ApiToken.objects.get(user=user)
    assert token.digest == ApiToken.digest_of(secret) and secret not in token.digest
    assert secret not in client.get("/account/tokens/").content.decode()


def test_revoking_a_token_is_audited_and_idempotent(client):
    user = factories.UserFactory()
    client.force_login(user)
    client.post("/account/tokens/", {"name": "accounting"})
    token = ApiToken.objects.get(user=user)
    client.post(f"/account/tokens/{token.pk}/revoke/")
    client.post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_an_empty_token_name_is_refused(client):
    client.force_login(factories.UserFactory())
    response = client.post("/account/tokens/", {"name": ""})
    assert response.context["new_secret"] is None
    assert response.context["form"].errors["name"]
