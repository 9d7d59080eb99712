"""The holder's certificates page, the officers' page and its status form, and the API."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from openaeo.accounts.roles import OperatorRole
from openaeo.certificates.models import CertificateStatus
from tests import factories
from tests.scenarios.api import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(db):
    return factories.OperatorFactory(legal_name="Kisumu Fresh Produce")


def test_the_business_page_lists_its_certificates_for_its_people(
    certify, holder, client_for, staff
):
    certificate = certify(holder)
    url = reverse("certificates:business", kwargs={"operator_id": holder.pk})
    viewer = factories.make_member(holder, OperatorRole.VIEWER)
    page = client_for(viewer).get(url)
    assert page.status_code == 200
    assert certificate.aeo_number in page.content.decode()
    assert reverse("certificates:download", args=[certificate.pk]) in page.content.decode()
    stranger = factories.make_member(factories.OperatorFactory())
    assert client_for(stranger).get(url).status_code == 404
    assert (
        client_for(stranger)
        .get(reverse("certificates:download", args=[certificate.pk]))
        .status_code
        == 404
    )


def test_a_supervisor_suspends_from_the_certificate_page(certify, holder, client_for, staff):
    certificate = certify(holder)
    supervisor = client_for(staff["supervisor"])
    page = supervisor.get(reverse("certificates:detail", args=[certificate.pk]))
    assert page.status_code == 200 and "Change the status" in page.content.decode()
    url = reverse("certificates:change", args=[certificate.pk])
    refused = supervisor.post(url, {"action": "suspend", "reason": ""})
    assert refused.status_code == 400
    done = supervisor.post(url, {"action": "suspend", "reason": "Unpaid duties under review."})
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUSPENDED
    # A validator reads the page but is not offered the form, and may not post it.
    validator = client_for(staff["validator"])
    page = validator.get(reverse("certificates:detail", args=[certificate.pk]))
    assert "Change the status" not in page.content.decode()
    assert validator.post(url, {"action": "reinstate", "reason": "x" * 20}).status_code == 403


def test_staff_find_certificates(certify, holder, client_for, staff):
    certificate = certify(holder)
    page = client_for(staff["validator"]).get(reverse("certificates:list"), {"q": "Kisumu"})
    assert certificate.aeo_number in page.content.decode()
    page = client_for(staff["validator"]).get(reverse("certificates:list"), {"q": "nobody"})
    assert certificate.aeo_number not in page.content.decode()


def test_the_api_gives_the_credential_to_the_holders_people_only(
    certify,
    holder,
    client,
    token_for,
):
    certificate = certify(holder)

    def url_of(number):
        # Spaces and the slash percent-encoded, as a client library would send them.
        return f"/api/v1/certificates/{quote(number, safe='')}/credential"

    url = url_of(certificate.aeo_number)
    owner = factories.make_member(holder)
    response = client.get(url, headers={"Authorization": f"Bearer {token_for(owner)}"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert response.content.count(b".") == 2
    other = factories.make_member(factories.OperatorFactory())
    headers = {"Authorization": f"Bearer {token_for(other)}"}
    refused = assert_problem(client.get(url, headers=headers), 404)
    missing = assert_problem(client.get(url_of("ZZ AEO9 99999/99"), headers=headers), 404)
    assert refused["detail"] == missing["detail"]
    assert_problem(client.get(url), 401)


def test_the_certificate_page_links_to_its_case_for_those_who_may_see_it(
    certify, holder, client_for, staff
):
    certificate = certify(holder)
    url = reverse("certificates:detail", args=[certificate.pk])
    case_url = reverse("cases:case", args=[certificate.decision.application_id])
    assert case_url in client_for(staff["supervisor"]).get(url).content.decode()
    elsewhere = client_for(staff["validator_elsewhere"]).get(url)
    assert elsewhere.status_code == 200 and case_url not in elsewhere.content.decode()
