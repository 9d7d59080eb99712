"""Personal tokens, client credentials and the browser session."""

import base64
import datetime as dt
from urllib.parse import quote_plus

import pytest

from openaeo.accounts import services
from openaeo.accounts.models import ApiToken, MachineAccessToken
from openaeo.common import clock
from openaeo.common.models import AuditEvent
from tests import factories
from tests.scenarios.api import assert_problem

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
TOKEN = "/api/v1/auth/token"


# --------------------------------------------------------------------------- personal tokens


def test_personal_token_authenticates_its_owner(api, token_for, people):
    owner = people["owner"]
    response = api.get(ME, token=token_for(owner))
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "person"
    assert body["email"] == owner.email
    assert body["operators"][0]["role"] == "owner"


def test_staff_see_their_roles(api, token_for, people):
    body = api.get(ME, token=token_for(people["auditor"])).json()
    assert body["staff_roles"] == ["auditor"]
    assert body["operators"] == []


def test_representative_sees_mandate_scopes(api, token_for, people, operator):
    body = api.get(ME, token=token_for(people["representative"])).json()
    assert body["operators"] == [
        {
            "id": operator.pk,
            "legal_name": operator.legal_name,
            "role": "representative",
            "scopes": ["prepare", "correspond"],
        }
    ]


def test_no_credentials_is_401_with_a_bearer_challenge(api):
    response = api.get(ME)
    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="OpenAEO API"'
    assert body["detail"]


def test_revoked_token_is_refused(api, token_for, people):
    owner = people["owner"]
    secret = token_for(owner)
    token = ApiToken.objects.get(digest=ApiToken.digest_of(secret))
    services.api_token_revoke(actor=owner, token=token)
    response = api.get(ME, token=secret)
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_expired_token_is_refused(api, token_for, people):
    secret = token_for(people["owner"])
    token = ApiToken.objects.get(digest=ApiToken.digest_of(secret))
    with clock.frozen_at(token.expires_at + dt.timedelta(seconds=1)):
        response = api.get(ME, token=secret)
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


@pytest.mark.parametrize("presented", ["oat_not-a-real-token", "oam_not-a-real-token", "garbage"])
def test_unknown_token_is_refused(api, presented):
    response = api.get(ME, token=presented)
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_token_of_a_deactivated_person_is_refused(api, token_for, people):
    owner = people["owner"]
    secret = token_for(owner)
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert_problem(api.get(ME, token=secret), 401)


def test_a_bad_token_is_not_rescued_by_the_session(client, people):
    client.force_login(people["owner"])
    response = client.get(ME, headers={"Authorization": "Bearer oat_wrong"})
    assert_problem(response, 401)


def test_last_used_is_recorded_at_most_once_a_minute(api, token_for, people):
    secret = token_for(people["owner"])
    token = ApiToken.objects.get(digest=ApiToken.digest_of(secret))
    assert token.last_used_at is None
    start = clock.now()
    with clock.frozen_at(start):
        api.get(ME, token=secret)
    token.refresh_from_db()
    assert token.last_used_at == start
    with clock.frozen_at(start + dt.timedelta(seconds=59)):
        api.get(ME, token=secret)
    token.refresh_from_db()
    assert token.last_used_at == start
    later = start + dt.timedelta(seconds=61)
    with clock.frozen_at(later):
        api.get(ME, token=secret)
    token.refresh_from_db()
    assert token.last_used_at == later


# --------------------------------------------------------------------------- session


def test_session_of_a_signed_in_person_opens_the_api(client, people):
    client.force_login(people["viewer"])
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["email"] == people["viewer"].email


def test_session_of_staff_without_a_second_factor_does_not(client, db):
    from openaeo.accounts.roles import StaffRole

    staff = factories.make_staff(StaffRole.AUDITOR, mfa=False)
    client.force_login(staff)
    assert_problem(client.get(ME), 401)


# --------------------------------------------------------------------------- client credentials


def _form(client, secret, **extra):
    return {
        "grant_type": "client_credentials",
        "client_id": client.client_id,
        "client_secret": secret,
        **extra,
    }


def test_client_credentials_end_to_end(api, machine_client):
    client, secret = machine_client
    response = api.post_form(TOKEN, _form(client, secret))
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert body["token_type"] == "Bearer"
    assert body["access_token"].startswith("oam_")
    assert 0 < body["expires_in"] <= 3600
    assert body["scope"] == "verify:read"
    assert AuditEvent.objects.filter(action="api_client.token_issue").exists()

    me = api.get(ME, token=body["access_token"])
    assert me.status_code == 200
    assert me.json() == {
        "kind": "client",
        "client_id": client.client_id,
        "name": client.name,
        "scopes": ["verify:read"],
    }


def test_client_may_authenticate_with_http_basic(api, machine_client):
    client, secret = machine_client
    credentials = f"{quote_plus(client.client_id)}:{quote_plus(secret)}"
    basic = base64.b64encode(credentials.encode()).decode()
    response = api.post_form(
        TOKEN, {"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["access_token"].startswith("oam_")


def test_wrong_secret_is_invalid_client(api, machine_client):
    client, _secret = machine_client
    response = api.post_form(TOKEN, _form(client, "not-the-secret"))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response["WWW-Authenticate"].startswith("Basic")
    assert not MachineAccessToken.objects.exists()


def test_wrong_basic_secret_is_invalid_client(api, machine_client):
    client, _secret = machine_client
    basic = base64.b64encode(f"{client.client_id}:nope".encode()).decode()
    response = api.post_form(
        TOKEN, {"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"}
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_unknown_client_is_invalid_client(api, db):
    response = api.post_form(
        TOKEN,
        {"grant_type": "client_credentials", "client_id": "oac_nobody", "client_secret": "x"},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_missing_credentials_is_invalid_client(api, db):
    response = api.post_form(TOKEN, {"grant_type": "client_credentials"})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_other_grants_are_unsupported(api, machine_client):
    client, secret = machine_client
    response = api.post_form(TOKEN, _form(client, secret, grant_type="password"))
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"
    assert response["Cache-Control"] == "no-store"


def test_missing_grant_type_is_invalid_request(api, machine_client):
    client, secret = machine_client
    data = _form(client, secret)
    del data["grant_type"]
    response = api.post_form(TOKEN, data)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_json_body_is_invalid_request(client, machine_client):
    oauth_client, secret = machine_client
    response = client.post(TOKEN, _form(oauth_client, secret), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_two_ways_of_client_authentication_is_invalid_request(api, machine_client):
    client, secret = machine_client
    basic = base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()
    response = api.post_form(
        TOKEN, _form(client, secret), headers={"Authorization": f"Basic {basic}"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_requested_scopes_are_narrowed_to_the_clients(api, machine_client):
    client, secret = machine_client
    response = api.post_form(TOKEN, _form(client, secret, scope="verify:read audit:read"))
    assert response.status_code == 200
    assert response.json()["scope"] == "verify:read"


def test_token_of_a_deactivated_client_stops_working(api, machine_client, machine_token):
    from openaeo.accounts.services import machine_client_deactivate

    client, secret = machine_client
    assert api.get(ME, token=machine_token).status_code == 200
    machine_client_deactivate(actor=None, client_id=client.client_id)
    assert_problem(api.get(ME, token=machine_token), 401)
    assert api.post_form(TOKEN, _form(client, secret)).status_code == 401


def test_expired_machine_token_is_refused(api, machine_token):
    token = MachineAccessToken.objects.get()
    with clock.frozen_at(token.expires_at + dt.timedelta(seconds=1)):
        response = api.get(ME, token=machine_token)
    assert_problem(response, 401)


def test_machine_clients_cannot_use_operations_for_people(api, machine_token):
    assert_problem(api.get("/api/v1/operators", token=machine_token), 403)
    assert_problem(api.get("/api/v1/audit-events", token=machine_token), 403)


def test_client_id_with_control_characters_is_invalid_client(api, db):
    response = api.post_form(
        TOKEN, {"grant_type": "client_credentials", "client_id": "oac_\x00", "client_secret": "x"}
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
