"""Round trip: our own feed, imported as a partner's, is recognised the same way.

The issue asks for "a second database". The test database is one; the second partner
administration stands in for the other side: its records are read back only through
`selectors.recognised`, the function the verification service calls.
"""

import datetime as dt

from django.urls import reverse

from openaeo.mra import selectors, services
from tests.scenarios.mra import make_partner


def test_our_csv_feed_imported_as_a_partners_is_recognised_with_the_same_status(
    api, partner, certificates
):
    _partner, token = partner
    response = api.get(reverse("api-mra:mra_operators_csv"), token)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    other_side, _token = make_partner("Mirror Customs", client=False)
    received, created = services.import_file(
        actor=None, partner=other_side, data=data, file_name="aeo-operators.csv"
    )
    assert created and received.rejected == 0
    assert received.accepted == len(certificates)
    # Same database: every holder is found by its identifier.
    assert received.matched == len(certificates) and received.unmatched == 0
    for certificate in certificates:
        found = selectors.recognised(certificate.aeo_number)
        assert found is not None, certificate.aeo_number
        assert found.partner == other_side
        assert found.status == certificate.status
        assert found.holder_name == certificate.holder_name
        assert found.authorised_on == certificate.effective_on
        assert found.operator == certificate.holder
    assert selectors.recognised("NO SUCH NUMBER") is None


def test_our_json_feed_round_trips_too(api, partner, certificates):
    import json

    _partner, token = partner
    body = api.get(reverse("api-mra:mra_operators"), token, limit=100).json()
    other_side, _token = make_partner("Mirror Customs", client=False)
    received, _created = services.import_file(
        actor=None, partner=other_side, data=json.dumps(body).encode(), file_name="feed.json"
    )
    assert received.accepted == len(certificates)
    for certificate in certificates:
        assert selectors.recognised(certificate.aeo_number).status == certificate.status


def test_a_partner_no_longer_in_force_is_not_recognised(db):
    import json

    partner, _token = make_partner("Old partner", client=False, active_until=dt.date(2021, 1, 1))
    record = {
        "aeo_number": "ZY-1",
        "operator_identifier": "ZY-X",
        "name": "Holder",
        "country": "ZY",
        "status": "active",
        "authorised_on": "2020-06-01",
    }
    services.import_file(actor=None, partner=partner, data=json.dumps([record]).encode())
    assert selectors.recognised("ZY-1") is None
    assert selectors.recognised(" ZY-1 ", on=dt.date(2020, 12, 1)).partner == partner


def test_a_partners_certificate_counts_from_its_authorisation_date_until_its_expiry(db):
    import json

    from openaeo.certificates import verification

    partner, _token = make_partner("Zedland Customs", client=False)
    record = {
        "aeo_number": "ZY-2",
        "operator_identifier": "ZY-Y",
        "name": "Holder",
        "country": "ZY",
        "status": "active",
        "authorised_on": "2026-03-01",
        "expires_on": "2027-02-28",
    }
    services.import_file(actor=None, partner=partner, data=json.dumps([record]).encode())
    # Before its authorisation date: the same answer as a number nobody sent.
    assert selectors.recognised("ZY-2", on=dt.date(2026, 2, 28)) is None
    answer = verification.verify_number("ZY-2", today=dt.date(2026, 2, 28))
    assert (answer.status, answer.recognised_under) == ("unknown", None)
    assert verification.verify_number("ZY-2", today=dt.date(2027, 2, 28)).status == "valid"
    # Past its last day, expired even though the partner has not sent "expired" yet.
    late = verification.verify_number("ZY-2", today=dt.date(2027, 3, 1))
    assert (late.status, late.recognised_under) == ("expired", "Zedland Customs")
