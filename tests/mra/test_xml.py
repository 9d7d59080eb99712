"""The signed, zipped XML feed, and reading XML (plain or zipped) from a partner."""

import base64
import hashlib
import io
import json
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.urls import reverse

from openaeo.certificates import credentials
from openaeo.mra import feed, selectors, services, xml_files
from openaeo.mra.models import PartnerCertificate, PartnerImport
from tests.scenarios.api import assert_problem
from tests.scenarios.mra import make_partner

ZIP = reverse("api-mra:mra_operators_zip")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _body(response) -> bytes:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/zip"
    return b"".join(response.streaming_content)


def _unzip(response):
    archive = zipfile.ZipFile(io.BytesIO(_body(response)))
    return {name: archive.read(name) for name in archive.namelist()}


def test_the_zip_holds_the_xml_its_checksum_and_a_valid_detached_signature(
    api, partner, certificates
):
    _partner, token = partner
    files = _unzip(api.get(ZIP, token))
    xml = files["aeo-operators.xml"]
    assert files["aeo-operators.xml.sha256"].decode().split()[0] == hashlib.sha256(xml).hexdigest()
    header, empty, signature = files["aeo-operators.xml.jws"].decode().split(".")
    assert empty == ""
    protected = json.loads(_b64decode(header))
    assert protected["alg"] == "EdDSA"
    # The signature is over the checksum file, which binds the XML (it is streamed).
    assert protected["detached"] == "aeo-operators.xml.sha256"
    jwk = next(k for k in credentials.jwks()["keys"] if k["kid"] == protected["kid"])
    public = Ed25519PublicKey.from_public_bytes(_b64decode(jwk["x"]))
    signed = files["aeo-operators.xml.sha256"]
    payload = base64.urlsafe_b64encode(signed).rstrip(b"=").decode()
    public.verify(_b64decode(signature), f"{header}.{payload}".encode())  # raises if wrong
    for certificate in certificates:
        assert certificate.aeo_number.encode() in xml


def test_the_zip_is_refused_to_a_client_without_a_partner(api, machine_token, db):
    assert_problem(api.get(ZIP, machine_token), 403)


def test_our_zipped_xml_round_trips(api, partner, certificates):
    _partner, token = partner
    data = _body(api.get(ZIP, token))
    other_side, _token = make_partner("Mirror Customs", client=False)
    # Our keys, recorded as the partner's: the signature is checked on import.
    services.partner_keys_set(actor=None, partner=other_side, jwks=json.dumps(credentials.jwks()))
    received, _created = services.import_file(
        actor=None, partner=other_side, data=data, file_name="aeo-operators.zip"
    )
    assert received.file_format == "zip" and received.rejected == 0
    assert received.accepted == len(certificates)
    for certificate in certificates:
        found = selectors.recognised(certificate.aeo_number)
        assert (found.partner, found.status) == (other_side, certificate.status)
        assert found.operator == certificate.holder


def test_our_plain_xml_round_trips(api, partner, certificates):
    _partner, token = partner
    xml = _unzip(api.get(ZIP, token))["aeo-operators.xml"]
    other_side, _token = make_partner("Mirror Customs", client=False)
    received, _created = services.import_file(actor=None, partner=other_side, data=xml)
    assert received.file_format == "xml" and received.accepted == len(certificates)
    for certificate in certificates:
        assert selectors.recognised(certificate.aeo_number).status == certificate.status


def test_xml_record_errors_name_the_record(db):
    partner, _token = make_partner(client=False)
    xml = (
        b'<?xml version="1.0"?><aeo-operators xmlns="urn:openaeo:mra:1">'
        b"<operator><aeo_number>ZY-1</aeo_number><operator_identifier>ZY-X</operator_identifier>"
        b"<name>Alpha</name><country>ZY</country><status>active</status>"
        b"<authorised_on>2025-01-01</authorised_on></operator>"
        b"<operator><aeo_number>ZY-2</aeo_number></operator>"
        b"<other/></aeo-operators>"
    )
    received, _created = services.import_file(actor=None, partner=partner, data=xml)
    assert (received.accepted, received.rejected) == (1, 2)
    assert [e["where"] for e in received.errors] == ["record 2", "record 3"]


@pytest.mark.parametrize(
    ("data", "file_name", "words"),
    [
        (b"<aeo-operators><operator>", "feed.xml", "not valid XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
            b"<aeo-operators>&a;</aeo-operators>",
            "feed.xml",
            "not valid XML",
        ),
        (b"<something-else/>", "feed.xml", "root element"),
        (b"PK\x03\x04 broken", "feed.zip", "zip"),
    ],
)
def test_malformed_or_dangerous_xml_imports_nothing(db, data, file_name, words):
    partner, _token = make_partner(client=False)
    with pytest.raises(feed.FileRefused, match=words):
        services.import_file(actor=None, partner=partner, data=data, file_name=file_name)
    assert not PartnerImport.objects.exists() and not PartnerCertificate.objects.exists()


def test_a_zip_whose_checksum_does_not_match_is_refused(db, keys_dir):
    partner, _token = make_partner(client=False)
    xml = xml_files.xml_bytes([], generated_at="2026-01-01T00:00:00Z")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("aeo-operators.xml", xml)
        archive.writestr("aeo-operators.xml.sha256", "0" * 64 + "  aeo-operators.xml\n")
    with pytest.raises(feed.FileRefused, match="checksum"):
        services.import_file(actor=None, partner=partner, data=buffer.getvalue())
