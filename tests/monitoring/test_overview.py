"""The officers' monitoring overview: their offices only, filters, pages, few queries."""

import datetime as dt

import pytest
from django.urls import reverse

from openaeo.common import clock
from openaeo.monitoring.models import ChangeNotice, IncidentReport, SelfReview
from tests import factories


def _holder_with_certificate(certify):
    business = factories.OperatorFactory()
    owner = factories.make_member(business)
    return certify(business), owner


def _records(certify, count):
    for _ in range(count):
        certificate, owner = _holder_with_certificate(certify)
        SelfReview.objects.create(
            certificate=certificate,
            year=2026,
            window_opens=dt.date(2026, 10, 1),
            window_closes=dt.date(2026, 12, 31),
            status="submitted",
            opened_at=clock.now(),
            submitted_at=clock.now(),
            submitted_by=owner,
        )
        ChangeNotice.objects.create(
            certificate=certificate,
            kind="sites",
            description="A second warehouse.",
            effective_on=clock.today(),
            submitted_by=owner,
            submitted_at=clock.now(),
        )
        IncidentReport.objects.create(
            certificate=certificate,
            kind="theft",
            occurred_on=clock.today(),
            place="Yard",
            description="A pallet was stolen.",
            actions_taken="Police told.",
            reported_by=owner,
            reported_at=clock.now(),
        )


@pytest.mark.parametrize("show", ["reviews_submitted", "changes", "incidents"])
def test_overview_query_count_is_constant(
    show, certify, staff, client_for, django_assert_max_num_queries
):
    client = client_for(staff["validator"])
    url = reverse("monitoring:overview") + f"?show={show}"
    _records(certify, 2)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    _records(certify, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 15  # the header row and 14 records


def test_overview_shows_only_the_officers_offices(certify, staff, client_for):
    _records(certify, 1)
    mine = client_for(staff["validator"]).get(reverse("monitoring:overview") + "?show=changes")
    theirs = client_for(staff["validator_elsewhere"]).get(
        reverse("monitoring:overview") + "?show=changes"
    )
    assert "A second warehouse" not in mine.content.decode()  # the list shows the kind
    assert "Sites" in mine.content.decode()
    assert "Nothing in this list." in theirs.content.decode()


def test_overview_filters_and_pages(certify, staff, client_for):
    _records(certify, 27)
    client = client_for(staff["supervisor"])
    first = client.get(reverse("monitoring:overview") + "?show=incidents")
    assert 'rel="next"' in first.content.decode()
    second = client.get(reverse("monitoring:overview") + "?show=incidents&page=2")
    assert second.content.decode().count("<tr>") == 3
    one = SelfReview.objects.first().certificate
    found = client.get(
        reverse("monitoring:overview") + f"?show=reviews_submitted&q={one.aeo_number}"
    )
    assert found.content.decode().count("<tr>") == 2


def test_an_empty_overview_says_so(staff, client_for):
    response = client_for(staff["validator"]).get(reverse("monitoring:overview"))
    assert "Nothing in this list." in response.content.decode()


def test_the_staff_overview_counts_what_waits(certify, staff, client_for):
    _records(certify, 2)
    page = client_for(staff["validator"]).get(reverse("web:dashboard")).content.decode()
    assert "2 change notices to review" in page
    assert "2 incident reports to review" in page
    auditor = factories.make_staff(
        "auditor", office=staff["validator"].staff_assignments.get().office
    )
    assert (
        "change notices to review"
        not in client_for(auditor).get(reverse("web:dashboard")).content.decode()
    )
