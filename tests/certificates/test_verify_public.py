"""The public verification page and API: every answer, no enumeration, rate limits."""

import datetime as dt

import pytest
from django.urls import reverse

from openaeo.certificates import credentials, services, verification
from openaeo.certificates.models import Certificate
from openaeo.common import clock
from tests import factories
from tests.scenarios.api import assert_problem
from tests.scenarios.certificates import REASON, api_url

pytestmark = pytest.mark.django_db


def page(client, number):
    return client.get(reverse("certificates:verify"), {"n": number})


def test_a_valid_certificate_by_number(published, client):
    certificate = published()
    body = client.get(api_url(certificate.aeo_number)).json()
    assert body["status"] == "valid"
    assert body["aeo_number"] == certificate.aeo_number
    assert body["holder_name"] == "Kisumu Fresh Produce"
    assert body["tier_code"] == certificate.tier_code
    assert body["effective_on"] == certificate.effective_on.isoformat()
    assert body["issuer"]["name"] == "Reference Customs Administration"
    # Never more than the programme publishes.
    assert certificate.identifier not in str(body)
    html = page(client, certificate.aeo_number)
    assert html.status_code == 200
    text = html.content.decode()
    assert "Valid" in text and "Kisumu Fresh Produce" in text
    assert certificate.identifier not in text
    assert html["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        (services.certificate_suspend, "suspended"),
        (services.certificate_revoke, "revoked"),
        (services.certificate_expire, "expired"),
    ],
)
def test_status_changes_show(published, client, staff, service, expected):
    certificate = published()
    actor = None if service is services.certificate_expire else staff["supervisor"]
    service(actor=actor, certificate=certificate, reason=REASON)
    assert client.get(api_url(certificate.aeo_number)).json()["status"] == expected
    assert expected.capitalize() in page(client, certificate.aeo_number).content.decode()


def test_past_the_expiry_date_is_expired_before_the_hourly_job(published, client):
    certificate = published(expires_on=clock.today() - dt.timedelta(days=1))
    assert client.get(api_url(certificate.aeo_number)).json()["status"] == "expired"


def test_typed_numbers_are_tidied(published, client):
    certificate = published()
    sloppy = "  " + certificate.aeo_number.replace(" ", "   ") + " "
    assert page(client, sloppy).context["answer"].status == "valid"


def _normalised(body: dict) -> dict:
    return {**body, "aeo_number": "N", "checked_at": "T"}


def test_unknown_and_unpublished_answer_alike(published, certify, client):
    published()
    # Granted, but its effective date has not come: not published yet.
    unpublished = certify(factories.OperatorFactory(legal_name="Secret Shipping"))
    assert unpublished.effective_on > clock.today()
    missing = unpublished.aeo_number.replace("0", "9")
    assert not Certificate.objects.filter(aeo_number=missing).exists()
    answers = [client.get(api_url(number)) for number in (unpublished.aeo_number, missing)]
    assert [answer.status_code for answer in answers] == [200, 200]
    bodies = [_normalised(answer.json()) for answer in answers]
    assert bodies[0] == bodies[1]
    assert bodies[0]["status"] == "unknown" and bodies[0]["holder_name"] is None
    pages = [page(client, number) for number in (unpublished.aeo_number, missing)]
    assert pages[0].status_code == pages[1].status_code == 200
    assert "Secret Shipping" not in pages[0].content.decode()
    assert _page_answer(pages[0], unpublished.aeo_number) == _page_answer(pages[1], missing)


def _page_answer(response, number):
    text = response.content.decode()
    start, end = text.index('<section class="card verify-answer'), text.index("</section>")
    return text[start:end].replace(number, "N")


# --------------------------------------------------------------------------- credentials


def _credential(certificate) -> str:
    return credentials.certificate_jwt(certificate)


def _tampered(token: str) -> str:
    import base64
    import json

    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["credentialSubject"]["name"] = "Someone Else Ltd"
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def post_credential(client, token, **headers):
    return client.post("/api/v1/verify", token, content_type="application/vc+jwt", headers=headers)


def test_a_valid_credential(published, client):
    certificate = published()
    body = post_credential(client, _credential(certificate)).json()
    assert body["status"] == "valid"
    assert body["aeo_number"] == certificate.aeo_number
    assert body["holder_name"] == "Kisumu Fresh Produce"
    # As JSON too.
    as_json = client.post(
        "/api/v1/verify", {"credential": _credential(certificate)}, content_type="application/json"
    )
    assert as_json.json()["status"] == "valid"


def test_a_tampered_credential_is_invalid_with_a_reason(published, client):
    token = _tampered(_credential(published()))
    body = post_credential(client, token).json()
    assert body["status"] == "invalid"
    assert "changed after it was signed" in body["reason"]
    assert body["holder_name"] is None
    garbage = post_credential(client, "hello").json()
    assert garbage["status"] == "invalid" and garbage["reason"]


@pytest.mark.parametrize(
    ("service", "expected"),
    [(services.certificate_suspend, "suspended"), (services.certificate_revoke, "revoked")],
)
def test_a_credential_whose_bit_is_set(published, client, staff, service, expected):
    certificate = published()
    token = _credential(certificate)
    service(actor=staff["supervisor"], certificate=certificate, reason=REASON)
    body = post_credential(client, token).json()
    assert body["status"] == expected


def test_an_empty_body_is_a_problem(client):
    assert_problem(client.post("/api/v1/verify", "", content_type="text/plain"), 400)


def test_the_page_checks_an_uploaded_credential(published, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    certificate = published()
    url = reverse("certificates:verify")
    upload = SimpleUploadedFile("c.jwt", _credential(certificate).encode(), "application/vc+jwt")
    response = client.post(url, {"credential": upload})
    assert response.status_code == 200
    assert response.context["answer"].status == "valid"
    forged = SimpleUploadedFile("c.jwt", _tampered(_credential(certificate)).encode())
    response = client.post(url, {"credential": forged})
    assert response.context["answer"].status == "invalid"
    assert "changed after it was signed" in response.content.decode()
    assert client.post(url, {}).status_code == 400


# --------------------------------------------------------------------------- rate limits


def test_the_api_answers_429_with_retry_after(published, client, settings):
    settings.VERIFY_RATE_LIMIT = "3/minute"
    certificate = published()
    for _ in range(3):
        assert client.get(api_url(certificate.aeo_number)).status_code == 200
    refused = client.get(api_url(certificate.aeo_number))
    body = assert_problem(refused, 429)
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Wait" in body["detail"]
    # Posting credentials counts against the same limit.
    assert post_credential(client, "x.y.z").status_code == 429


def test_a_token_has_a_limit_of_its_own(published, client, settings, token_for):
    settings.VERIFY_RATE_LIMIT = "2/minute"
    settings.VERIFY_TOKEN_RATE_LIMIT = "5/minute"
    certificate = published()
    token = token_for(factories.UserFactory())
    auth = {"Authorization": f"Bearer {token}"}
    for _ in range(2):
        client.get(api_url(certificate.aeo_number))
    assert client.get(api_url(certificate.aeo_number)).status_code == 429
    for _ in range(5):
        assert client.get(api_url(certificate.aeo_number), headers=auth).status_code == 200
    assert client.get(api_url(certificate.aeo_number), headers=auth).status_code == 429
    # A made-up token is refused, not counted as anonymous.
    bogus = client.get(api_url(certificate.aeo_number), headers={"Authorization": "Bearer oat_x"})
    assert bogus.status_code == 401


def test_exempt_addresses_are_not_counted(published, client, settings):
    # By default every address is counted.
    assert settings.VERIFY_RATE_LIMIT_EXEMPT == []
    settings.VERIFY_RATE_LIMIT = "2/minute"
    settings.VERIFY_RATE_LIMIT_EXEMPT = ["10.1.2.3", "127.0.0.0/8"]
    url = api_url(published().aeo_number)
    for _ in range(5):
        assert client.get(url).status_code == 200  # the test client is 127.0.0.1
    for _ in range(2):
        assert client.get(url, REMOTE_ADDR="203.0.113.9").status_code == 200
    assert client.get(url, REMOTE_ADDR="203.0.113.9").status_code == 429


def test_a_malformed_exemption_stops_with_a_clear_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.VERIFY_RATE_LIMIT_EXEMPT = ["the proxy"]
    with pytest.raises(ImproperlyConfigured, match="VERIFY_RATE_LIMIT_EXEMPT"):
        verification.exempt_address("127.0.0.1")
    settings.VERIFY_RATE_LIMIT_EXEMPT = ["192.0.2.0/24", "2001:db8::/32"]
    assert verification.exempt_address("192.0.2.77")
    assert verification.exempt_address("2001:db8::1")
    assert not verification.exempt_address("192.0.3.1")
    assert not verification.exempt_address("not an address")


def test_a_lookup_takes_the_number_as_data_and_the_level_code_without_a_name(
    published, client, django_assert_num_queries
):
    certificate = published(tier_name={})
    with django_assert_num_queries(1):
        answer = verification.verify_number(certificate.aeo_number)
    assert answer.status == "valid" and answer.tier == certificate.tier_code
    assert verification.verify_number("ZZ' OR '1'='1").status == "unknown"


def test_the_page_answers_a_friendly_429(published, client, settings):
    settings.VERIFY_RATE_LIMIT = "2/minute"
    certificate = published()
    for _ in range(2):
        assert page(client, certificate.aeo_number).status_code == 200
    refused = page(client, certificate.aeo_number)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "Try again in" in refused.content.decode()
    # The empty form is not a lookup.
    assert client.get(reverse("certificates:verify")).status_code == 200


def test_the_page_needs_no_javascript_and_no_sign_in(client):
    response = client.get(reverse("certificates:verify"))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'method="get"' in text and 'enctype="multipart/form-data"' in text
    assert "<script>" not in text and "style=" not in text


def test_the_openapi_document_lists_the_public_operations(client):
    document = client.get("/api/v1/openapi.json").json()
    assert {} in document["paths"]["/api/v1/verify/{aeo_number}"]["get"]["security"]
    assert {} in document["paths"]["/api/v1/verify"]["post"]["security"]


def test_reasons_are_translatable(published):
    from openaeo.certificates import vc_check

    outcome = vc_check.check_credential(
        _credential(published()), credentials.jwks(), now=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    )
    assert outcome.status == "invalid"
    assert outcome.reason.template == "The credential is not valid before %(date)s."
    assert outcome.reason == outcome.reason.template % outcome.reason.params
