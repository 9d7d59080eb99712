"""Importing a partner's file: validation, report, acknowledgement, idempotence, mapping."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from openaeo.common.models import AuditEvent
from openaeo.mra import feed, selectors, services
from openaeo.mra.models import IdentifierMapping, PartnerCertificate, PartnerImport
from tests import factories
from tests.scenarios.mra import make_partner

HEADER = "aeo_number,operator_identifier,name,address,country,status,authorised_on,status_changed_on,tier\n"


def record(number, identifier="ZY-1", **extra):
    return {
        "aeo_number": number,
        "operator_identifier": identifier,
        "name": f"Holder of {number}",
        "address": "1 Quay",
        "country": "ZY",
        "status": "active",
        "authorised_on": "2025-03-01",
        "status_changed_on": "",
        "tier": "full",
        **extra,
    }


def as_json(*records) -> bytes:
    return json.dumps({"items": list(records)}).encode()


@pytest.fixture
def partner(db):
    return make_partner(client=False)[0]


def test_csv_with_bad_lines_names_each_line_and_imports_the_rest(partner):
    data = (
        HEADER
        + "ZY-AEO-1,ZY-1,Alpha Ltd,1 Quay,ZY,active,2025-03-01,,full\n"
        + "ZY-AEO-2,ZY-2,Beta Ltd,2 Quay,ZY,dormant,2025-03-01,,full\n"
        + "ZY-AEO-3,ZY-3,,3 Quay,ZY,active,2025-03-01,,full\n"
        + "ZY-AEO-4,ZY-4,Delta Ltd,4 Quay,ZY,suspended,01/03/2025,,full\n"
        + "ZY-AEO-1,ZY-1,Alpha again,1 Quay,ZY,active,2025-03-01,,full\n"
    ).encode()
    received, created = services.import_file(
        actor=None, partner=partner, data=data, file_name="feed.csv"
    )
    assert created and received.file_format == "csv"
    assert (received.records, received.accepted, received.rejected) == (5, 1, 4)
    where = {error["where"]: error for error in received.errors}
    assert set(where) == {"line 3", "line 4", "line 5", "line 6"}
    assert "status" in where["line 3"]["reason"]
    assert "name is missing" in where["line 4"]["reason"]
    assert "YYYY-MM-DD" in where["line 5"]["reason"]
    assert "earlier" in where["line 6"]["reason"]
    assert list(PartnerCertificate.objects.values_list("aeo_number", flat=True)) == ["ZY-AEO-1"]
    ack = services.acknowledgement(received)
    assert ack["file_sha256"] == feed.sha256_of(data)
    assert (ack["accepted"], ack["rejected"]) == (1, 4)
    assert len(ack["rejected_records"]) == 4


@pytest.mark.parametrize(
    ("data", "file_name", "words"),
    [
        (b'{"items": [{"aeo_number": "ZY-1"', "feed.json", "not valid JSON"),
        (b'{"records": []}', "feed.json", "list of records"),
        (
            (
                HEADER
                + "ZY-AEO-1,ZY-1,Alpha,1 Quay,ZY,active,2025-03-01,,full\n"
                + "ZY-AEO-2,ZY-2,Beta,2 Quay,ZY,active,2025-03-01,,full,extra\n"
            ).encode(),
            "feed.csv",
            "Line 3",
        ),
        (b"number,name\nZY-1,Alpha\n", "feed.csv", "missing"),
        (b"\xff\xfe\x00bad", "feed.csv", "UTF-8"),
        (b"   ", "feed.csv", "empty"),
    ],
)
def test_a_malformed_file_imports_nothing(partner, data, file_name, words):
    events = AuditEvent.objects.count()
    with pytest.raises(feed.FileRefused, match=words):
        services.import_file(actor=None, partner=partner, data=data, file_name=file_name)
    assert not PartnerImport.objects.exists()
    assert not PartnerCertificate.objects.exists()
    assert not IdentifierMapping.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_same_file_twice_changes_nothing(partner):
    data = as_json(record("ZY-AEO-1"), record("ZY-AEO-2", "ZY-2"))
    first, created = services.import_file(actor=None, partner=partner, data=data)
    assert created and first.accepted == 2
    before = list(PartnerCertificate.objects.values())
    events = AuditEvent.objects.count()
    again, created_again = services.import_file(actor=None, partner=partner, data=data)
    assert not created_again and again.pk == first.pk
    assert list(PartnerCertificate.objects.values()) == before
    assert AuditEvent.objects.count() == events
    assert PartnerImport.objects.count() == 1


def test_a_new_file_with_the_same_records_writes_no_record(partner):
    services.import_file(actor=None, partner=partner, data=as_json(record("ZY-AEO-1")))
    before = list(PartnerCertificate.objects.values())
    # The same content, written differently (another checksum).
    data = json.dumps([record("ZY-AEO-1")], indent=2).encode()
    received, created = services.import_file(actor=None, partner=partner, data=data)
    assert created and (received.accepted, received.unchanged) == (0, 1)
    assert list(PartnerCertificate.objects.values()) == before


def test_a_changed_record_is_updated(partner):
    services.import_file(actor=None, partner=partner, data=as_json(record("ZY-AEO-1")))
    change = record("ZY-AEO-1", status="suspended", status_changed_on="2026-02-01")
    received, _created = services.import_file(actor=None, partner=partner, data=as_json(change))
    assert received.accepted == 1
    row = PartnerCertificate.objects.get()
    assert row.status == "suspended" and str(row.status_changed_on) == "2026-02-01"
    assert row.last_import == received


def test_known_identifiers_are_matched_and_unknown_ones_wait_for_review(partner):
    ours = factories.OperatorFactory(identifier="ZY-KNOWN")
    data = as_json(record("ZY-AEO-1", "zy-known"), record("ZY-AEO-2", "ZY-STRANGER"))
    received, _created = services.import_file(actor=None, partner=partner, data=data)
    assert (received.matched, received.unmatched) == (1, 1)
    assert PartnerCertificate.objects.get(aeo_number="ZY-AEO-1").operator == ours
    queue = list(selectors.review_queue(partner))
    assert [m.partner_identifier for m in queue] == ["ZY-STRANGER"]
    assert queue[0].holder_name == "Holder of ZY-AEO-2"


def test_reviewing_an_identifier_maps_its_records(partner, people, client_for):
    services.import_file(actor=None, partner=partner, data=as_json(record("ZY-AEO-9", "ZY-X")))
    mapping = IdentifierMapping.objects.get()
    ours = factories.OperatorFactory(identifier="KE-OURS")
    client = client_for(people["programme_manager"])
    url = reverse("mra:mapping", kwargs={"partner_id": partner.pk, "mapping_id": mapping.pk})
    assert client.post(url, {"identifier": "KE-NOBODY"}).status_code == 302
    mapping.refresh_from_db()
    assert mapping.status == "unmatched"
    assert client.post(url, {"identifier": "ke-ours"}).status_code == 302
    mapping.refresh_from_db()
    assert (mapping.status, mapping.operator) == ("matched", ours)
    assert PartnerCertificate.objects.get().operator == ours
    assert AuditEvent.objects.filter(action="mra.mapping_resolve").count() == 1
    client.post(url, {"ignore": "on"})
    mapping.refresh_from_db()
    assert mapping.status == "ignored" and PartnerCertificate.objects.get().operator is None
    assert not selectors.review_queue(partner).exists()


def test_staff_upload_shows_the_report_and_the_acknowledgement(partner, people, client_for):
    client = client_for(people["programme_manager"])
    data = as_json(record("ZY-AEO-1"), record("ZY-AEO-2", country="Zed"))
    url = reverse("mra:upload", kwargs={"partner_id": partner.pk})
    response = client.post(url, {"file": SimpleUploadedFile("feed.json", data)})
    assert response.status_code == 302
    report = client.get(response["Location"])
    assert report.status_code == 200
    assert b"two-letter" in report.content
    received = PartnerImport.objects.get()
    assert received.received_by == people["programme_manager"]
    ack = client.get(
        reverse("mra:acknowledgement", kwargs={"partner_id": partner.pk, "import_id": received.pk})
    )
    assert ack.json()["file_sha256"] == feed.sha256_of(data)
    # The same file again: the same report, nothing new.
    again = client.post(url, {"file": SimpleUploadedFile("feed.json", data)})
    assert again["Location"] == response["Location"]
    assert PartnerImport.objects.count() == 1


def test_staff_upload_of_a_malformed_file_says_why(partner, people, client_for):
    client = client_for(people["administrator"])
    url = reverse("mra:upload", kwargs={"partner_id": partner.pk})
    response = client.post(url, {"file": SimpleUploadedFile("feed.json", b"[{")})
    assert response.status_code == 400
    assert b"Nothing was imported" in response.content
    assert not PartnerImport.objects.exists()


def test_the_partner_pages_list_and_show(partner, people, client_for):
    client = client_for(people["programme_manager"])
    services.import_file(actor=None, partner=partner, data=as_json(record("ZY-AEO-1", "ZY-Q")))
    listing = client.get(reverse("mra:partners"))
    assert partner.name.encode() in listing.content
    detail = client.get(reverse("mra:partner", kwargs={"partner_id": partner.pk}))
    assert b"ZY-Q" in detail.content


def test_the_command_imports_and_writes_the_acknowledgement(partner, tmp_path, capsys):
    path = tmp_path / "feed.csv"
    path.write_text(HEADER + "ZY-AEO-1,ZY-1,Alpha,1 Quay,ZY,active,2025-03-01,,full\n")
    ack_path = tmp_path / "ack.json"
    call_command("mra", "import", partner.name, str(path), ack=str(ack_path))
    ack = json.loads(ack_path.read_text())
    assert ack["file_sha256"] == feed.sha256_of(path.read_bytes())
    assert ack["accepted"] == 1
    call_command("mra", "import", str(partner.pk), str(path))
    assert "imported before" in capsys.readouterr().out
    assert PartnerImport.objects.count() == 1


def test_the_command_refuses_a_malformed_file(partner, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "feed.json"
    path.write_text("[{")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("mra", "import", partner.name, str(path))


def test_the_menu_offers_the_partners_page_to_those_it_admits(people):
    from openaeo.web.navigation import items_for

    for role, user in people.items():
        if user is None:
            continue
        offered = "mra:partners" in {item.url_name for item in items_for(user)}
        assert offered == (role in {"programme_manager", "administrator"}), role
