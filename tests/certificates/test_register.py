"""The public AEO register: consent, the page, its filters, the CSV, and who may consent."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openaeo.accounts.roles import OperatorRole
from openaeo.certificates import register_services
from openaeo.certificates.models import Certificate, CertificateStatus
from openaeo.common import clock
from openaeo.common.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

REGISTER = "/register/"
CSV = "/register/aeo-register.csv"


@pytest.fixture
def listed(certify):
    """`listed(name, ...)`: a business with a certificate in force, its owner consented."""

    def make(name, *, country="KE", tier_code="entry", consent=True):
        holder = factories.OperatorFactory(legal_name=name, country=country)
        owner = factories.make_member(holder, OperatorRole.OWNER)
        certificate = certify(holder, tier_code=tier_code)
        # In force: the effective date (decision + 5 days) has come.
        Certificate.objects.filter(pk=certificate.pk).update(
            effective_on=clock.today() - dt.timedelta(days=1)
        )
        certificate.refresh_from_db()
        if consent:
            certificate = register_services.register_consent_give(
                actor=owner, certificate=certificate
            )
        certificate.owner = owner
        return certificate

    return make


def _csv_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def _names(response) -> list[str]:
    return [row["certificate"].holder_name for row in response.context["rows"]]


def test_only_consenting_current_holders_are_listed(listed, client):
    listed("Kisumu Fresh Produce")
    listed("Mombasa Timber", consent=False)
    page = client.get(REGISTER)
    assert page.status_code == 200
    assert _names(page) == ["Kisumu Fresh Produce"]
    assert "Mombasa Timber" not in page.content.decode()


def test_not_yet_effective_revoked_and_expired_certificates_are_not_listed(listed, client, staff):
    future = listed("Future Ltd")
    Certificate.objects.filter(pk=future.pk).update(
        effective_on=clock.today() + dt.timedelta(days=3)
    )
    revoked = listed("Revoked Ltd")
    Certificate.objects.filter(pk=revoked.pk).update(status=CertificateStatus.REVOKED)
    expired = listed("Expired Ltd")
    Certificate.objects.filter(pk=expired.pk).update(status=CertificateStatus.EXPIRED)
    lapsed = listed("Lapsed Ltd")  # past its last day, before the hourly job expires it
    Certificate.objects.filter(pk=lapsed.pk).update(expires_on=clock.today() - dt.timedelta(days=1))
    suspended = listed("Suspended Ltd")
    Certificate.objects.filter(pk=suspended.pk).update(status=CertificateStatus.SUSPENDED)
    listed("Valid Ltd")
    assert _names(client.get(REGISTER)) == ["Suspended Ltd", "Valid Ltd"]


def test_withdrawing_consent_removes_the_holder_at_once(listed, client, client_for):
    certificate = listed("Kisumu Fresh Produce")
    assert _names(client.get(REGISTER)) == ["Kisumu Fresh Produce"]
    response = client_for(certificate.owner).post(
        reverse("certificates:register_consent", args=[certificate.pk]), {"consent": "withdraw"}
    )
    assert response.status_code == 302
    assert _names(client.get(REGISTER)) == []
    assert _csv_rows(client.get(CSV)) == []
    actions = list(
        AuditEvent.objects.filter(action__startswith="certificate.register_consent")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [
        "certificate.register_consent_give",
        "certificate.register_consent_withdraw",
    ]


def test_the_owner_lists_a_certificate_from_the_business_page(listed, client_for):
    certificate = listed("Kisumu Fresh Produce", consent=False)
    owner = client_for(certificate.owner)
    page_url = reverse("certificates:business", kwargs={"operator_id": certificate.holder_id})
    page = owner.get(page_url).content.decode()
    assert "List it in the register" in page and "Not listed" in page
    url = reverse("certificates:register_consent", args=[certificate.pk])
    assert owner.post(url, {"consent": "give"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.register_consent_at is not None
    assert "Take it out of the register" in owner.get(page_url).content.decode()
    # Giving consent twice changes nothing and records nothing more.
    assert owner.post(url, {"consent": "give"}).status_code == 302
    assert AuditEvent.objects.filter(action="certificate.register_consent_give").count() == 1
    assert owner.post(url, {"consent": "maybe"}).status_code == 400


def test_editors_and_viewers_see_the_state_but_cannot_change_it(listed, client_for, staff):
    certificate = listed("Kisumu Fresh Produce")
    url = reverse("certificates:register_consent", args=[certificate.pk])
    page_url = reverse("certificates:business", kwargs={"operator_id": certificate.holder_id})
    for role in (OperatorRole.EDITOR, OperatorRole.VIEWER):
        member = factories.make_member(certificate.holder, role)
        page = client_for(member).get(page_url).content.decode()
        assert "Listed since" in page
        assert "Take it out of the register" not in page
        assert client_for(member).post(url, {"consent": "withdraw"}).status_code == 404
    stranger = factories.make_member(factories.OperatorFactory(), OperatorRole.OWNER)
    assert client_for(stranger).post(url, {"consent": "withdraw"}).status_code == 404
    missing = reverse("certificates:register_consent", args=[certificate.pk + 1000])
    assert client_for(stranger).post(missing, {"consent": "withdraw"}).status_code == 404
    for person in (staff["supervisor"], staff["validator"]):
        assert client_for(person).post(url, {"consent": "withdraw"}).status_code == 403
    assert client_for(None).post(url, {"consent": "withdraw"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.register_consent_at is not None


def test_the_services_check_who_acts(listed, staff):
    certificate = listed("Kisumu Fresh Produce", consent=False)
    editor = factories.make_member(certificate.holder, OperatorRole.EDITOR)
    for actor in (editor, staff["supervisor"]):
        with pytest.raises(PermissionDenied):
            register_services.register_consent_give(actor=actor, certificate=certificate)
        with pytest.raises(PermissionDenied):
            register_services.register_consent_withdraw(actor=actor, certificate=certificate)


def test_a_revoked_certificate_cannot_be_listed(listed):
    from django.core.exceptions import ValidationError

    certificate = listed("Kisumu Fresh Produce", consent=False)
    Certificate.objects.filter(pk=certificate.pk).update(status=CertificateStatus.REVOKED)
    with pytest.raises(ValidationError):
        register_services.register_consent_give(actor=certificate.owner, certificate=certificate)


def test_filters_by_name_country_tier_and_status(listed, client):
    listed("Kisumu Fresh Produce", country="KE")
    listed("Nairobi Flowers", country="KE", tier_code="security")
    listed("Kampala Coffee", country="UG")
    suspended = listed("Fresh Fish Uganda", country="UG")
    Certificate.objects.filter(pk=suspended.pk).update(status=CertificateStatus.SUSPENDED)
    assert _names(client.get(REGISTER, {"name": "fReSh"})) == [
        "Fresh Fish Uganda",
        "Kisumu Fresh Produce",
    ]
    assert _names(client.get(REGISTER, {"country": "UG"})) == [
        "Fresh Fish Uganda",
        "Kampala Coffee",
    ]
    assert _names(client.get(REGISTER, {"tier": "security"})) == ["Nairobi Flowers"]
    assert _names(client.get(REGISTER, {"status": "suspended"})) == ["Fresh Fish Uganda"]
    assert _names(client.get(REGISTER, {"status": "valid", "country": "UG"})) == ["Kampala Coffee"]
    nothing = client.get(REGISTER, {"name": "Timber"})
    assert _names(nothing) == [] and "No listed holder matches" in nothing.content.decode()
    # A country nobody listed matches nothing (rather than everything).
    assert _names(client.get(REGISTER, {"country": "ZZ"})) == []


def test_empty_register_explains_itself(client, programmes):
    page = client.get(REGISTER).content.decode()
    assert "No business is listed in the register yet." in page
    assert "To be listed" in page


def test_pagination_by_name(listed, client):
    for number in range(27):
        listed(f"Business {number:02d}")
    first = client.get(REGISTER)
    assert _names(first) == [f"Business {n:02d}" for n in range(25)]
    second = client.get(REGISTER, {"page": 2})
    assert _names(second) == ["Business 25", "Business 26"]


def test_csv_matches_the_page_filter_and_publishes_no_identifier(listed, client):
    listed("Kisumu Fresh Produce", country="KE")
    listed("Kampala Coffee", country="UG")
    suspended = listed("Fresh Fish Uganda", country="UG")
    Certificate.objects.filter(pk=suspended.pk).update(status=CertificateStatus.SUSPENDED)
    filters = {"country": "UG"}
    response = client.get(CSV, filters)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert [row["Holder"] for row in rows] == _names(client.get(REGISTER, filters))
    assert list(rows[0]) == ["AEO number", "Holder", "Country", "Level", "Status", "Valid from"]
    fish = rows[0]
    assert fish["Status"] == "Suspended" and fish["Country"] == "UG"
    assert fish["AEO number"] == suspended.aeo_number
    assert fish["Level"] == "AEO Entry"
    assert fish["Valid from"] == (clock.today() - dt.timedelta(days=1)).isoformat()
    body = client.get(CSV).getvalue().decode()
    assert suspended.identifier not in body
    page = client.get(REGISTER).content.decode()
    assert suspended.identifier not in page
    assert f"{CSV}?" not in page  # no filter: the plain download link


def test_a_formula_in_a_name_is_not_run_by_spreadsheets(listed, client):
    listed("=HYPERLINK(1)")
    assert _csv_rows(client.get(CSV))[0]["Holder"] == "'=HYPERLINK(1)"


def test_the_programme_may_publish_identifiers(listed, client, programmes):
    certificate = listed("Kisumu Fresh Produce")
    programme = programmes["safe-reference"]
    programme.config["register"] = {"publish_identifier": True}
    programme.save(update_fields=["config"])
    rows = _csv_rows(client.get(CSV))
    assert rows[0]["Identifier"] == certificate.identifier
    assert certificate.identifier in client.get(REGISTER).content.decode()


def test_the_register_schema_accepts_publish_identifier():
    import json

    import jsonschema

    from openaeo.catalogue import programmes as programme_files

    schema_path = programme_files.__file__.replace("programmes.py", "schema/programme.schema.json")
    with open(schema_path) as schema_file:
        schema = json.load(schema_file)
    register = schema["properties"]["register"]
    jsonschema.validate({"publish_identifier": True}, register)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"publish_identifier": "yes"}, register)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"publish_everything": True}, register)


def test_the_register_page_runs_the_same_queries_whatever_the_number_of_holders(listed, client):
    for number in range(3):
        listed(f"Small {number}")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(REGISTER, {"country": "KE"}).status_code == 200
        return len(queries)

    few = count()
    for number in range(30):
        listed(f"Many {number}")
    assert count() == few


def test_the_api_lists_the_register_without_sign_in(listed, client):
    listed("Kisumu Fresh Produce", country="KE")
    listed("Kampala Coffee", country="UG")
    suspended = listed("Fresh Fish Uganda", country="UG")
    Certificate.objects.filter(pk=suspended.pk).update(status=CertificateStatus.SUSPENDED)
    listed("Mombasa Timber", consent=False)
    everything = client.get("/api/v1/register").json()
    assert everything["count"] == 3
    assert [item["holder"] for item in everything["items"]] == [
        "Fresh Fish Uganda",
        "Kampala Coffee",
        "Kisumu Fresh Produce",
    ]
    fish = everything["items"][0]
    assert fish == {
        "aeo_number": suspended.aeo_number,
        "holder": "Fresh Fish Uganda",
        "identifier": None,
        "country": "UG",
        "tier": "entry",
        "tier_name": "AEO Entry",
        "status": "suspended",
        "effective_on": (clock.today() - dt.timedelta(days=1)).isoformat(),
    }
    page = client.get("/api/v1/register", {"country": "UG", "status": "valid", "limit": 1}).json()
    assert page["count"] == 1 and page["items"][0]["holder"] == "Kampala Coffee"
    first = client.get("/api/v1/register", {"name": "FRESH", "limit": 1}).json()
    assert first["count"] == 2 and first["next"] and first["previous"] is None
    assert client.get("/api/v1/register", {"status": "revoked"}).status_code == 400
