"""A partner's keys: recording them (validated, audited) and checking a signed zip with them."""

import base64
import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from openaeo.accounts.roles import StaffRole
from openaeo.certificates import credentials
from openaeo.common.models import AuditEvent
from openaeo.common.signing_keys import create_key, list_keys
from openaeo.mra import feed, partner_keys, services, xml_files
from openaeo.mra.models import PartnerCertificate, PartnerImport
from tests import factories
from tests.scenarios.mra import make_partner

RECORD = {
    "aeo_number": "ZY-AEO-1",
    "operator_identifier": "ZY-1",
    "name": "Alpha Ltd",
    "address": "1 Quay",
    "country": "ZY",
    "status": "active",
    "authorised_on": "2025-03-01",
    "tier": "full",
}


@pytest.fixture
def partner(db):
    return make_partner("Zedland Customs", client=False)[0]


@pytest.fixture
def partner_key(tmp_path):
    """The partner's own signing key (not ours), and its JWKS as the partner publishes it."""
    key = create_key(tmp_path / "partner-keys", now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    return key, {"keys": [credentials.public_jwk(key)]}


def signed(key, records=(RECORD,)) -> bytes:
    xml = xml_files.xml_bytes(list(records), generated_at="2026-11-01T00:00:00Z")
    return xml_files.signed_zip(xml, key)


def rezip(data: bytes, **replace) -> bytes:
    """The same zip with some of its files replaced (a file changed on the way)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files.update(replace)
    files = {name: content for name, content in files.items() if content is not None}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def refused(partner, data, words):
    with pytest.raises(feed.FileRefused, match=words):
        services.import_file(actor=None, partner=partner, data=data, file_name="feed.zip")
    assert not PartnerImport.objects.exists() and not PartnerCertificate.objects.exists()


# ------------------------------------------------------------------------ recording keys


def test_our_own_jwks_is_accepted_as_a_partners_key_set(keys_dir):
    keys = partner_keys.parse_jwks(json.dumps(credentials.jwks()))
    assert [k["kid"] for k in keys["keys"]] == [k.kid for k in reversed(list_keys(keys_dir))]
    assert set(keys["keys"][0]) == {"kty", "crv", "x", "kid"}


def _okp(**extra):
    return {"kty": "OKP", "crv": "Ed25519", "x": base64.urlsafe_b64encode(b"k" * 32).rstrip(b"=").decode(), "kid": "k1", **extra}  # fmt: skip


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ("{", "not valid JSON"),
        ('{"keys": []}', "JWKS"),
        ("[1, 2]", "JWKS"),
        (json.dumps({"keys": [_okp(d="secret")]}), "private key"),
        (json.dumps({"keys": [{"kty": "RSA", "n": "x", "e": "AQAB", "kid": "r"}]}), "only Ed25519"),
        (json.dumps({"keys": [_okp(crv="X25519")]}), "only Ed25519"),
        (json.dumps({"keys": [_okp(x="c2hvcnQ")]}), "32-byte"),
        (json.dumps({"keys": [_okp(kid="")]}), "key id"),
        (json.dumps({"keys": [_okp(), _okp()]}), "Two keys"),
        (json.dumps({"keys": [_okp(alg="ES256")]}), "EdDSA"),
        (json.dumps({"keys": [_okp(use="enc")]}), "not a signing key"),
    ],
)
def test_a_key_set_that_cannot_be_used_is_refused_with_the_reason(document, words):
    with pytest.raises(partner_keys.KeysRefused, match=words):
        partner_keys.parse_jwks(document)


def test_a_single_jwk_is_a_set_of_one():
    assert partner_keys.parse_jwks(json.dumps(_okp()))["keys"][0]["kid"] == "k1"


def test_recording_keys_is_audited_and_replaces_the_old_ones(partner, partner_key):
    _key, jwks = partner_key
    services.partner_keys_set(actor=None, partner=partner, jwks=json.dumps(jwks))
    partner.refresh_from_db()
    assert partner.key_ids == [jwks["keys"][0]["kid"]] and partner.keys_recorded_at
    event = AuditEvent.objects.get(action="mra.partner_keys_set")
    assert event.after == {"kids": partner.key_ids} and event.before == {"kids": []}


def test_only_managers_record_keys(partner, partner_key, people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.partner_keys_set(
            actor=people["validator"], partner=partner, jwks=json.dumps(partner_key[1])
        )


def test_the_command_records_keys_and_refuses_a_bad_file(partner, partner_key, tmp_path, capsys):
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(partner_key[1]))
    call_command("mra", "keys", partner.name, str(path))
    assert "Keys recorded for Zedland Customs" in capsys.readouterr().out
    path.write_text(json.dumps({"keys": [_okp(d="secret")]}))
    with pytest.raises(CommandError, match="private key"):
        call_command("mra", "keys", partner.name, str(path))
    partner.refresh_from_db()
    assert partner.key_ids == [partner_key[1]["keys"][0]["kid"]]


def test_an_administrator_pastes_or_uploads_keys_in_the_admin_site(partner, partner_key, client):
    client.force_login(factories.make_staff(StaffRole.ADMINISTRATOR))
    url = f"/admin/mra/partneradministration/{partner.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and b"keys_text" in page.content
    form = {
        "name": partner.name,
        "country": partner.country,
        "arrangement": partner.arrangement,
        "data_elements": json.dumps(partner.data_elements),
        "active_from": "2020-01-01",
        "active_until": "",
        "client": "",
    }
    wrong = client.post(url, {**form, "keys_text": json.dumps({"keys": [_okp(crv="P-256")]})})
    assert wrong.status_code == 200 and b"only Ed25519" in wrong.content
    partner.refresh_from_db()
    assert partner.key_ids == []
    upload = SimpleUploadedFile("jwks.json", json.dumps(partner_key[1]).encode())
    assert client.post(url, {**form, "keys_file": upload}).status_code == 302
    partner.refresh_from_db()
    assert partner.key_ids == [partner_key[1]["keys"][0]["kid"]]
    event = AuditEvent.objects.filter(action="admin.change.partneradministration").get()
    assert event.after["verification_keys"] == partner.verification_keys
    # Saving again without keys keeps them.
    assert client.post(url, {**form, "keys_text": ""}).status_code == 302
    partner.refresh_from_db()
    assert partner.key_ids == [partner_key[1]["keys"][0]["kid"]]


# ------------------------------------------------------------------------ checking files


def test_a_zip_signed_with_the_partners_recorded_key_is_imported(partner, partner_key):
    key, jwks = partner_key
    services.partner_keys_set(actor=None, partner=partner, jwks=json.dumps(jwks))
    received, created = services.import_file(
        actor=None, partner=partner, data=signed(key), file_name="feed.zip"
    )
    assert created and received.file_format == "zip" and received.accepted == 1
    assert received.signed_with == key.kid
    assert services.acknowledgement(received)["signature_verified_with"] == key.kid


def test_a_signed_zip_from_a_partner_without_keys_is_refused(partner, partner_key):
    refused(partner, signed(partner_key[0]), "Record the partner's keys first")


def test_a_zip_without_a_signature_is_refused(partner, partner_key):
    services.partner_keys_set(actor=None, partner=partner, jwks=json.dumps(partner_key[1]))
    unsigned = rezip(signed(partner_key[0]), **{"aeo-operators.xml.jws": None})
    refused(partner, unsigned, "holds no signature")


def test_a_tampered_file_is_refused_whole(partner, partner_key):
    key, jwks = partner_key
    services.partner_keys_set(actor=None, partner=partner, jwks=json.dumps(jwks))
    original = signed(key, [RECORD, {**RECORD, "aeo_number": "ZY-AEO-2"}])
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        xml = archive.read("aeo-operators.xml")
    changed = xml.replace(b"<status>active</status>", b"<status>revoked</status>", 1)
    # The checksum alone would not catch someone who rewrites it too.
    tampered = rezip(
        original,
        **{
            "aeo-operators.xml": changed,
            "aeo-operators.xml.sha256": f"{feed.sha256_of(changed)}  aeo-operators.xml\n",
        },
    )
    refused(partner, tampered, "changed after it was signed")
    trace = AuditEvent.objects.get(action="mra.import_refused")
    assert trace.after["sha256"] == feed.sha256_of(tampered)
    assert "changed after it was signed" in trace.after["reason"]
    # Without the checksum rewritten, the checksum says it first.
    refused(partner, rezip(original, **{"aeo-operators.xml": changed}), "checksum")


def test_a_file_signed_with_another_key_is_refused(partner, partner_key, tmp_path):
    key, jwks = partner_key
    services.partner_keys_set(actor=None, partner=partner, jwks=json.dumps(jwks))
    stranger = create_key(tmp_path / "stranger", now=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    refused(partner, signed(stranger), "not among the partner's recorded keys")
    # Another key that claims the partner's key id.
    impostor = signed(stranger)
    with zipfile.ZipFile(io.BytesIO(impostor)) as archive:
        _header, _e, signature = archive.read("aeo-operators.xml.jws").decode().split(".")
    forged_header = base64.urlsafe_b64encode(
        json.dumps({"alg": "EdDSA", "kid": key.kid}).encode()
    ).rstrip(b"=")
    forged = rezip(
        impostor, **{"aeo-operators.xml.jws": forged_header + b".." + signature.encode()}
    )
    refused(partner, forged, "signed with another key")


def test_a_signature_with_another_algorithm_is_refused(partner, partner_key):
    services.partner_keys_set(actor=None, partner=partner, jwks=json.dumps(partner_key[1]))
    none_header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=")
    data = rezip(signed(partner_key[0]), **{"aeo-operators.xml.jws": none_header + b"..AAAA"})
    refused(partner, data, "only EdDSA")


def test_unsigned_csv_and_plain_xml_stay_accepted_from_a_partner_without_keys(partner):
    xml = xml_files.xml_bytes([RECORD], generated_at="2026-11-01T00:00:00Z")
    received, _created = services.import_file(actor=None, partner=partner, data=xml)
    assert received.accepted == 1


def test_the_upload_page_says_why_a_signed_file_is_refused(
    partner, partner_key, people, client_for
):
    client = client_for(people["programme_manager"])
    page = client.get(reverse("mra:partner", kwargs={"partner_id": partner.pk}))
    assert b"None recorded" in page.content
    url = reverse("mra:upload", kwargs={"partner_id": partner.pk})
    response = client.post(url, {"file": SimpleUploadedFile("feed.zip", signed(partner_key[0]))})
    assert response.status_code == 400
    assert b"Record the partner&#x27;s keys first" in response.content


def test_the_report_says_which_key_verified_the_file(partner, partner_key, people, client_for):
    key, jwks = partner_key
    services.partner_keys_set(actor=None, partner=partner, jwks=json.dumps(jwks))
    client = client_for(people["programme_manager"])
    page = client.get(reverse("mra:partner", kwargs={"partner_id": partner.pk}))
    assert key.kid.encode() in page.content
    url = reverse("mra:upload", kwargs={"partner_id": partner.pk})
    response = client.post(url, {"file": SimpleUploadedFile("feed.zip", signed(key))})
    assert response.status_code == 302
    report = client.get(response["Location"]).content.decode()
    assert f"Verified with the partner's key {key.kid}" in report


def test_a_zip_signed_over_the_xml_itself_is_accepted_too(partner, partner_key):
    """Partners (and our files made before the feed was streamed) may sign the XML."""
    key, jwks = partner_key
    services.partner_keys_set(actor=None, partner=partner, jwks=json.dumps(jwks))
    xml = xml_files.xml_bytes([RECORD], generated_at="2026-11-01T00:00:00Z")
    data = rezip(signed(key), **{"aeo-operators.xml.jws": xml_files.detached_jws(xml, key)})
    received, created = services.import_file(
        actor=None, partner=partner, data=data, file_name="feed.zip"
    )
    assert created and received.accepted == 1 and received.signed_with == key.kid


def test_a_signature_over_a_checksum_file_the_zip_lacks_is_refused(partner, partner_key):
    services.partner_keys_set(actor=None, partner=partner, jwks=json.dumps(partner_key[1]))
    data = rezip(signed(partner_key[0]), **{"aeo-operators.xml.sha256": None})
    refused(partner, data, "which the zip does not hold")
