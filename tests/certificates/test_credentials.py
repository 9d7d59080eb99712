"""Credentials verified from the JWKS alone with an independent implementation; status
through the signed status lists; key rotation; the command line."""

import datetime as dt
import io
import json
from urllib.parse import urlsplit

import pytest
from cryptography.exceptions import InvalidSignature
from django.core.management import call_command

from openaeo.certificates import services
from openaeo.certificates.models import CertificateStatus
from openaeo.common import clock
from openaeo.common.models import AuditEvent
from openaeo.notifications.models import Notification
from tests import factories
from tests.scenarios import independent

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(db):
    return factories.OperatorFactory(legal_name="Mombasa Exporters Ltd", roles=["exporter"])


@pytest.fixture
def member(holder):
    return factories.make_member(holder)


def fetch_jwks(client) -> dict:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return json.loads(response.content)


def download(client, certificate) -> str:
    response = client.get(f"/certificates/{certificate.pk}/credential.jwt")
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"
    return response.content.decode()


def status_list(client, url: str, jwks: dict) -> dict:
    """The status list behind `url`, its own signature checked first."""
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200
    _header, payload = independent.verify(response.content.decode(), jwks)
    assert payload["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert payload["id"] == url
    return payload


def test_the_credential_verifies_from_the_jwks_alone(client, client_for, certify, holder, member):
    certificate = certify(holder)
    token = download(client_for(member), certificate)
    header, credential = independent.verify(token, fetch_jwks(client))
    assert header["alg"] == "EdDSA" and header["typ"] == "vc+jwt"
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert credential["type"] == ["VerifiableCredential", "AEOCertificate"]
    assert credential["issuer"]["id"] == "http://127.0.0.1:8000"
    assert credential["validFrom"].startswith(certificate.effective_on.isoformat()[:7])
    assert "validUntil" not in credential  # this level has no end date
    subject = credential["credentialSubject"]
    assert subject["name"] == "Mombasa Exporters Ltd"
    assert subject["identifier"] == holder.identifier
    assert subject["aeoNumber"] == certificate.aeo_number
    assert subject["tier"] == {"code": "entry", "name": "AEO Entry"}
    assert subject["scope"] == {"roles": ["exporter"], "sites": []}
    entries = {entry["statusPurpose"]: entry for entry in credential["credentialStatus"]}
    assert set(entries) == {"revocation", "suspension"}
    for entry in entries.values():
        assert entry["type"] == "BitstringStatusListEntry"
        assert entry["statusListIndex"] == str(certificate.status_index)


def test_a_tampered_credential_fails(client, client_for, certify, holder, member):
    token = download(client_for(member), certify(holder))
    header, payload, signature = token.split(".")
    credential = json.loads(independent.b64url(payload))
    credential["credentialSubject"]["tier"]["code"] = "security"
    forged = independent.base64.urlsafe_b64encode(json.dumps(credential).encode()).rstrip(b"=")
    with pytest.raises(InvalidSignature):
        independent.verify(f"{header}.{forged.decode()}.{signature}", fetch_jwks(client))


def test_revoked_and_suspended_certificates_show_in_the_status_lists(
    client, client_for, certify, holder, member, staff
):
    revoked, suspended, fine = certify(holder), certify(holder), certify(holder)
    jwks = fetch_jwks(client)
    services.certificate_revoke(
        actor=staff["supervisor"], certificate=revoked, reason="False declarations found."
    )
    services.certificate_suspend(
        actor=staff["supervisor"], certificate=suspended, reason="Security breach under review."
    )
    holder_client = client_for(member)

    def bits(certificate):
        _h, credential = independent.verify(download(holder_client, certificate), jwks)
        found = {}
        for entry in credential["credentialStatus"]:
            payload = status_list(client, entry["statusListCredential"], jwks)
            assert payload["credentialSubject"]["statusPurpose"] == entry["statusPurpose"]
            raw = independent.status_bits(payload)
            assert len(raw) * 8 >= 131_072
            found[entry["statusPurpose"]] = independent.bit(raw, int(entry["statusListIndex"]))
        return found

    assert bits(revoked) == {"revocation": True, "suspension": False}
    assert bits(suspended) == {"revocation": False, "suspension": True}
    assert bits(fine) == {"revocation": False, "suspension": False}

    services.certificate_reinstate(
        actor=staff["supervisor"], certificate=suspended, reason="The review found no breach."
    )
    assert bits(suspended) == {"revocation": False, "suspension": False}


def test_the_json_form_of_a_status_list_is_the_signed_payload(client, certify, holder):
    certificate = certify(holder)
    jwt_url = f"/certificates/status/revocation/{certificate.status_list}.jwt"
    _h, payload = independent.verify(client.get(jwt_url).content.decode(), fetch_jwks(client))
    as_json = client.get(jwt_url.replace(".jwt", ".json"))
    assert as_json["Content-Type"] == "application/json"
    assert json.loads(as_json.content) == payload
    assert client.get("/certificates/status/other/1.jwt").status_code == 404
    assert client.get("/certificates/status/revocation/999.jwt").status_code == 404


def test_a_credential_signed_before_rotation_still_verifies(
    client, client_for, certify, holder, member
):
    holder_client = client_for(member)
    certificate = certify(holder)
    before = download(holder_client, certificate)
    # Key files are named by the second they were made in: rotate a minute later.
    with clock.frozen_at(clock.now() + dt.timedelta(minutes=1)):
        call_command("keys", "rotate", stdout=io.StringIO())
    after = download(holder_client, certificate)
    jwks = fetch_jwks(client)
    assert len(jwks["keys"]) == 2
    old_header, old_credential = independent.verify(before, jwks)
    new_header, new_credential = independent.verify(after, jwks)
    assert old_header["kid"] != new_header["kid"]  # the newest key signs from now on
    assert old_credential == new_credential


def test_the_command_prints_the_credential(client, certify, holder):
    certificate = certify(holder)
    out = io.StringIO()
    call_command("certificate", "credential", certificate.aeo_number, stdout=out)
    _h, credential = independent.verify(out.getvalue().strip(), fetch_jwks(client))
    assert credential["credentialSubject"]["aeoNumber"] == certificate.aeo_number


def test_expiry_by_tick(client, certify, holder, member, django_capture_on_commit_callbacks):
    from openaeo.common.periodic import tick

    certificate = certify(holder, tier_code="security")
    certificate.expires_on = dt.date(2020, 1, 1)
    certificate.save()
    with django_capture_on_commit_callbacks(execute=True):
        enqueued = tick()  # the test settings run tasks at once
    assert "certificates.expire_due" in enqueued
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.EXPIRED
    assert AuditEvent.objects.filter(action="certificate.expire", actor=None).exists()
    assert Notification.objects.filter(recipient=member, subject_text__contains="expired").exists()
    jwks = fetch_jwks(client)
    payload = status_list(
        client,
        f"http://127.0.0.1:8000/certificates/status/revocation/{certificate.status_list}.jwt",
        jwks,
    )
    assert independent.bit(independent.status_bits(payload), certificate.status_index)
    _h, credential = independent.verify(services.credentials.certificate_jwt(certificate), jwks)
    assert credential["validUntil"].startswith("2020-01-0")
