"""Verification answers for a partner administration's AEO: recognised under the arrangement."""

from urllib.parse import quote

from django.urls import reverse

from openaeo.certificates import verification
from openaeo.mra import services
from tests.scenarios.mra import make_partner


def test_a_partners_aeo_is_recognised_under_the_arrangement(api, partner, certificates, client):
    _partner, token = partner
    ours = certificates[0]
    data = b"".join(api.get(reverse("api-mra:mra_operators_csv"), token).streaming_content)
    # The same file, as if another administration had issued these numbers.
    foreign = data.replace(ours.aeo_number.encode(), b"ZY AEOF 00042/26")
    other_side, _token = make_partner("Mirror Customs", client=False)
    services.import_file(actor=None, partner=other_side, data=foreign, file_name="feed.csv")

    answer = verification.verify_number("ZY AEOF 00042/26")
    assert answer.status == "valid" and answer.recognised_under == "Mirror Customs"
    assert answer.holder_name == ours.holder_name
    body = api.get("/api/v1/verify/" + quote("ZY AEOF 00042/26", safe="")).json()
    assert body["recognised_under"] == "Mirror Customs"
    page = client.get("/verify/", {"n": "ZY AEOF 00042/26"}).content.decode()
    assert "Recognised under the mutual recognition arrangement with Mirror Customs" in page
    # A number nobody issued still answers "unknown", with nothing more.
    assert verification.verify_number("ZY AEOF 99999/26").recognised_under is None


def test_a_suspended_partner_certificate_is_not_said_to_be_recognised(db, client):
    import json

    partner, _token = make_partner("Zedland Customs", client=False)
    record = {
        "aeo_number": "ZY AEOF 00043/26",
        "operator_identifier": "ZY-43",
        "name": "Zedland Suspended",
        "country": "ZY",
        "status": "suspended",
        "authorised_on": "2025-01-01",
        "status_changed_on": "2026-01-01",
    }
    services.import_file(actor=None, partner=partner, data=json.dumps([record]).encode())
    page = client.get("/verify/", {"n": "ZY AEOF 00043/26"}).content.decode()
    assert "verify-suspended" in page
    assert "Recognised under" not in page
    assert "A certificate of Zedland Customs, a partner administration" in page
