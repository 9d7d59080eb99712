"""The streamed exports: the same bytes as the files built in memory before, a zip that
verifies and imports, queries that do not grow with the number of certificates, and
`manage.py mra_export`. Memory is measured by bench/feed_export.py, not here."""

import base64
import csv
import hashlib
import io
import json
import zipfile
from xml.etree.ElementTree import Element, SubElement, tostring

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openaeo.certificates import credentials
from openaeo.common import clock
from openaeo.mra import export, feed, selectors, services, xml_files
from tests import factories
from tests.scenarios.mra import make_partner

CSV = reverse("api-mra:mra_operators_csv")
ZIP = reverse("api-mra:mra_operators_zip")

TRICKY = {
    "aeo_number": "ZY-AEO-1",
    "operator_identifier": "ZY<1>",
    "name": 'Smith & "Sons" <Ltd>, Société, 株式会社',
    "address": "1 Quay\nLine two, 'A' & B",
    "country": "ZY",
    "status": "active",
    "authorised_on": "2025-01-01",
    "status_changed_on": None,
    "tier": "",
    "expires_on": None,
    "changed_at": "2025-01-01T10:00:00+00:00",
}


def _reference_xml(records, *, generated_at: str) -> bytes:
    """The XML as it was written before streaming: a whole ElementTree at once."""
    root = Element("aeo-operators", {"xmlns": xml_files.NAMESPACE, "generated-at": generated_at})
    for record in records:
        item = SubElement(root, "operator")
        for name in feed.FIELDS:
            value = record.get(name)
            if value not in (None, ""):
                SubElement(item, name).text = str(value)
    return tostring(root, encoding="utf-8", xml_declaration=True)


def _body(response) -> bytes:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _verify_jws(jws: str, payload: bytes) -> dict:
    """Check a detached JWS with our published keys, as a partner would; its header."""
    header_b64, _empty, signature = jws.split(".")
    header = json.loads(_b64decode(header_b64))
    jwk = next(k for k in credentials.jwks()["keys"] if k["kid"] == header["kid"])
    public = Ed25519PublicKey.from_public_bytes(_b64decode(jwk["x"]))
    signing_input = f"{header_b64}.{base64.urlsafe_b64encode(payload).rstrip(b'=').decode()}"
    public.verify(_b64decode(signature), signing_input.encode())  # raises if wrong
    return header


@pytest.mark.parametrize("count", [0, 1, 3, xml_files.RECORDS_PER_CHUNK * 2 + 7])
def test_streamed_xml_is_byte_for_byte_the_elementtree_file(count):
    records = [
        {**TRICKY, "aeo_number": f"ZY-AEO-{number}", "tier": "entry" * (number % 2)}
        for number in range(count)
    ]
    moment = '2026-01-01T00:00:00+00:00 "&<'
    chunks = list(xml_files.xml_chunks(records, generated_at=moment))
    assert b"".join(chunks) == _reference_xml(records, generated_at=moment)
    if count > xml_files.RECORDS_PER_CHUNK:
        assert len(chunks) > 1


def test_the_xml_is_written_before_every_record_is_read():
    consumed = []

    def records():
        for number in range(10 * xml_files.RECORDS_PER_CHUNK):
            consumed.append(number)
            yield {**TRICKY, "aeo_number": f"ZY-{number}"}

    chunks = xml_files.xml_chunks(records(), generated_at="now")
    next(chunks)
    assert len(consumed) <= xml_files.RECORDS_PER_CHUNK + 1


def test_the_zip_streams_before_every_record_is_read(keys_dir):
    consumed = []

    def records():
        for number in range(20_000):
            consumed.append(number)
            yield {**TRICKY, "aeo_number": f"ZY-{number}"}

    chunks = xml_files.signed_zip_chunks(records(), credentials.signing_key(), generated_at="now")
    next(chunk for chunk in chunks if chunk)
    assert len(consumed) < 20_000
    rest = b"".join(chunks)
    assert len(consumed) == 20_000 and rest


def test_streamed_csv_is_the_file_built_in_memory_before(api, partner, certificates):
    _partner, token = partner
    before = "".join(
        feed.csv_lines(feed.record_of(c) for c in selectors.feed_certificates())
    ).encode()
    assert _body(api.get(CSV, token)) == before


def test_records_read_as_rows_equal_records_of_model_instances(certificates):
    assert list(selectors.feed_records()) == [
        feed.record_of(c) for c in selectors.feed_certificates()
    ]


def test_streamed_zip_xml_is_the_file_built_in_memory_before(api, partner, certificates):
    _partner, token = partner
    archive = zipfile.ZipFile(io.BytesIO(_body(api.get(ZIP, token))))
    xml = archive.read(xml_files.XML_NAME)
    generated_at = xml.split(b'generated-at="', 1)[1].split(b'"', 1)[0].decode()
    records = [feed.record_of(c) for c in selectors.feed_certificates()]
    assert xml == _reference_xml(records, generated_at=generated_at)


def test_the_streamed_zip_verifies_and_imports(api, partner, certificates):
    _partner, token = partner
    data = _body(api.get(ZIP, token))
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None  # every CRC holds
    # The XML first, then its checksum and the signature, each with a data descriptor.
    names = [info.filename for info in archive.infolist()]
    assert names == [xml_files.XML_NAME, xml_files.CHECKSUM_NAME, xml_files.SIGNATURE_NAME]
    assert all(info.flag_bits & 0x08 for info in archive.infolist())
    xml = archive.read(xml_files.XML_NAME)
    checksum = archive.read(xml_files.CHECKSUM_NAME)
    assert checksum == f"{hashlib.sha256(xml).hexdigest()}  aeo-operators.xml\n".encode()
    jws = archive.read(xml_files.SIGNATURE_NAME).decode()
    header = _verify_jws(jws, checksum)
    assert header == {
        "alg": "EdDSA",
        "kid": credentials.signing_key().kid,
        "detached": (xml_files.CHECKSUM_NAME),
    }
    assert xml_files.signed_payload(jws, xml=xml, checksum=checksum) == checksum
    assert xml_files.xml_from_zip(data) == xml
    other_side, _token = make_partner("Mirror Customs", client=False)
    # Our keys, recorded as the partner's: the zip's signature is checked on import.
    services.partner_keys_set(actor=None, partner=other_side, jwks=json.dumps(credentials.jwks()))
    received, _created = services.import_file(
        actor=None, partner=other_side, data=data, file_name="aeo-operators.zip"
    )
    assert (received.accepted, received.rejected) == (len(certificates), 0)


def test_a_zip_signed_over_the_xml_before_streaming_still_reads(keys_dir):
    records = [TRICKY]
    xml = xml_files.xml_bytes(records, generated_at="2026-01-01T00:00:00+00:00")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(xml_files.XML_NAME, xml)
        archive.writestr(xml_files.CHECKSUM_NAME, xml_files.checksum_file(feed.sha256_of(xml)))
        archive.writestr(
            xml_files.SIGNATURE_NAME, xml_files.detached_jws(xml, credentials.signing_key())
        )
    old_jws = xml_files.detached_jws(xml, credentials.signing_key())
    assert xml_files.signed_payload(old_jws, xml=xml, checksum=b"ignored") == xml
    _verify_jws(old_jws, xml)
    assert xml_files.xml_from_zip(buffer.getvalue()) == xml


def test_the_in_memory_signed_zip_has_the_streamed_layout(keys_dir):
    xml = xml_files.xml_bytes([TRICKY], generated_at="now")
    archive = zipfile.ZipFile(io.BytesIO(xml_files.signed_zip(xml, credentials.signing_key())))
    checksum = archive.read(xml_files.CHECKSUM_NAME)
    _verify_jws(archive.read(xml_files.SIGNATURE_NAME).decode(), checksum)
    assert archive.read(xml_files.XML_NAME) == xml


def _queries(api, path, token) -> int:
    with CaptureQueriesContext(connection) as captured:
        _body(api.get(path, token))
    return len(captured)


@pytest.mark.parametrize("path", [CSV, ZIP])
def test_queries_do_not_grow_with_the_number_of_certificates(
    api, partner, certificates, certify, monkeypatch, path
):
    _partner, token = partner
    # Small batches, so that more certificates mean more batches from the one query.
    monkeypatch.setattr(selectors, "FEED_CHUNK_SIZE", 2)
    few = _queries(api, path, token)
    for number in range(4, 9):
        certify(factories.OperatorFactory(address=f"{number} Quay"))
    many = _queries(api, path, token)
    assert many == few


def test_the_feed_is_one_query_whatever_its_size(certificates, certify, monkeypatch):
    monkeypatch.setattr(selectors, "FEED_CHUNK_SIZE", 2)
    for number in range(4, 8):
        certify(factories.OperatorFactory(address=f"{number} Quay"))
    with CaptureQueriesContext(connection) as captured:
        records = list(selectors.feed_records())
    assert len(records) == 7
    assert len(captured) == 1


# --------------------------------------------------------------------------- the command


def test_the_command_writes_each_format_and_they_import(certificates, tmp_path, db):
    other_side, _token = make_partner("Mirror Customs", client=False)
    # Our keys, recorded as the partner's: the zip's signature is checked on import.
    services.partner_keys_set(actor=None, partner=other_side, jwks=json.dumps(credentials.jwks()))
    for file_format in export.FORMATS:
        path = tmp_path / export.FILE_NAMES[file_format]
        out = io.StringIO()
        call_command("mra_export", "--format", file_format, "--output", str(path), stdout=out)
        data = path.read_bytes()
        assert f"3 certificates, {len(data)} bytes" in out.getvalue()
        assert hashlib.sha256(data).hexdigest() in out.getvalue()
        received, created = services.import_file(
            actor=None, partner=other_side, data=data, file_name=path.name
        )
        assert created and received.rejected == 0
        assert received.records == len(certificates)
    assert not list(tmp_path.glob(".*.part"))


def test_the_command_csv_is_the_api_csv(api, partner, certificates, tmp_path):
    _partner, token = partner
    path = tmp_path / "feed.csv"
    call_command("mra_export", "--format", "csv", "--output", str(path), stdout=io.StringIO())
    assert path.read_bytes() == _body(api.get(CSV, token))


def test_the_command_selects_what_changed_since(certificates, tmp_path, staff):
    from openaeo.certificates.services import certificate_reinstate

    since = clock.now()
    certificate_reinstate(
        actor=staff["supervisor"], certificate=certificates[1], reason="Findings closed."
    )
    path = tmp_path / "feed.csv"
    call_command(
        "mra_export",
        "--format",
        "csv",
        "--output",
        str(path),
        "--changed-since",
        since.isoformat(),
        stdout=io.StringIO(),
    )
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert [row["aeo_number"] for row in rows] == [certificates[1].aeo_number]


def test_the_command_refuses_a_changed_since_that_is_no_moment(db, tmp_path):
    path = tmp_path / "feed.csv"
    with pytest.raises(CommandError, match="not a date or moment"):
        call_command(
            "mra_export", "--format", "csv", "--output", str(path), "--changed-since", "Tuesday"
        )
    assert not path.exists()


def test_the_command_writes_to_standard_output(certificates, capfdbinary):
    err = io.StringIO()
    call_command("mra_export", "--format", "json", "--output", "-", stderr=err)
    body = json.loads(capfdbinary.readouterr().out)
    assert [item["aeo_number"] for item in body["items"]] == [c.aeo_number for c in certificates]
    assert "3 certificates" in err.getvalue()
