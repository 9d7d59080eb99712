"""`manage.py api_client`: create (secret shown once), list, deactivate."""

import re
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core.management import CommandError, call_command

from openaeo.accounts.models import ApiToken, MachineClient
from openaeo.common.models import AuditEvent

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("api_client", *args, stdout=out)
    return out.getvalue()


def _created(output: str) -> tuple[str, str]:
    client_id = re.search(r"client_id:\s+(\S+)", output).group(1)
    secret = re.search(r"client_secret:\s+(\S+)", output).group(1)
    return client_id, secret


def test_create_prints_the_secret_once_and_stores_its_digest(client):
    output = run("create", "Revenue authority", "--scope", "verify:read")
    client_id, secret = _created(output)
    stored = MachineClient.objects.get(client_id=client_id)
    assert stored.name == "Revenue authority"
    assert stored.scopes == ["verify:read"]
    assert stored.secret_digest == ApiToken.digest_of(secret)
    assert secret not in str(stored.__dict__)
    assert AuditEvent.objects.filter(action="api_client.create", object_id=str(stored.pk)).exists()

    # The printed credentials work.
    response = client.post(
        "/api/v1/auth/token",
        urlencode(
            {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
        ),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert response.json()["scope"] == "verify:read"


def test_create_refuses_unknown_scopes():
    with pytest.raises(CommandError, match="Unknown scope"):
        run("create", "Bank", "--scope", "everything:write")
    assert not MachineClient.objects.exists()


def test_list_shows_every_client_without_secrets():
    client_id, secret = _created(run("create", "Bank", "--scope", "verify:read"))
    output = run("list")
    assert client_id in output
    assert "Bank" in output
    assert "active" in output
    assert secret not in output


def test_list_when_there_is_none():
    assert "No API clients" in run("list")


def test_deactivate_switches_the_client_off_with_an_audit_event():
    client_id, _secret = _created(run("create", "Buyer"))
    output = run("deactivate", client_id, "--reason", "contract ended")
    assert "deactivated" in output
    stored = MachineClient.objects.get(client_id=client_id)
    assert stored.active is False
    event = AuditEvent.objects.get(action="api_client.deactivate")
    assert event.object_id == str(stored.pk)
    assert event.before == {"active": True}
    assert event.after == {"active": False}
    assert event.reason == "contract ended"
    assert "inactive" in run("list")

    run("deactivate", client_id)  # a second time changes nothing
    assert AuditEvent.objects.filter(action="api_client.deactivate").count() == 1


def test_deactivate_unknown_client():
    with pytest.raises(CommandError, match="No API client"):
        run("deactivate", "oac_nobody")
