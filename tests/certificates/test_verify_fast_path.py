"""The short way for anonymous lookups by number answers exactly as the API operation does."""

import datetime as dt
from unittest import mock

import pytest
from django.test import RequestFactory

from openaeo.certificates import services
from openaeo.certificates.verify_fast_path import VerifyNumberFastPath
from tests.certificates.test_verify_public import REASON, api_url, published  # noqa: F401

pytestmark = pytest.mark.django_db

FAST_PATH = "openaeo.certificates.verify_fast_path.VerifyNumberFastPath"
# Differ from one answer to the next whichever way the request goes.
CHANGING_HEADERS = {"X-Request-ID", "Content-Length"}


def both_ways(client, settings, url, **extra):
    assert FAST_PATH in settings.MIDDLEWARE
    short = client.get(url, **extra)
    # The long way: the middleware lets every request through, as if it were not there.
    with mock.patch.object(VerifyNumberFastPath, "_number", return_value=None) as asked:
        long = client.get(url, **extra)
    assert asked.called
    return short, long


def same_answer(short, long):
    assert short.status_code == long.status_code
    short_body, long_body = short.json(), long.json()
    short_body.pop("checked_at", None)
    long_body.pop("checked_at", None)
    assert short_body == long_body
    headers = {name: value for name, value in short.headers.items() if name not in CHANGING_HEADERS}
    assert headers == {
        name: value for name, value in long.headers.items() if name not in CHANGING_HEADERS
    }
    return short_body


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_valid_suspended_and_unknown_answer_the_same_both_ways(
    published,  # noqa: F811
    client,
    settings,
    staff,
    language,
):
    valid, suspended = published("Kisumu Fresh Produce"), published("Mombasa Seals")
    services.certificate_suspend(actor=staff["supervisor"], certificate=suspended, reason=REASON)
    for number, status in [
        (valid.aeo_number, "valid"),
        (suspended.aeo_number, "suspended"),
        ("ZZ AEO9 99999/99", "unknown"),
    ]:
        short, long = both_ways(client, settings, api_url(number), HTTP_ACCEPT_LANGUAGE=language)
        assert same_answer(short, long)["status"] == status
        assert short["Content-Language"] == language


def test_the_rate_limit_answers_the_same_both_ways(published, client, settings):  # noqa: F811
    settings.VERIFY_RATE_LIMIT = "1/minute"
    url = api_url(published().aeo_number)
    assert client.get(url).status_code == 200
    short, long = both_ways(client, settings, url)
    assert short.status_code == 429
    assert short["Retry-After"]
    body = same_answer(short, long)
    assert "Wait" in body["detail"]


def test_a_number_not_yet_in_effect_is_unknown_the_short_way(published, client):  # noqa: F811
    future = published(effective_on=dt.date.today() + dt.timedelta(days=3))
    assert client.get(api_url(future.aeo_number)).json()["status"] == "unknown"


def _never_called(request):
    raise AssertionError("the request went the long way")


def _long_way(request):
    return "long way"


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("get", "/api/v1/verify/ZZ%20AEO1%2000001%2F26", {}),
        ("get", "/api/v1/verify/X", {"HTTP_ACCEPT_LANGUAGE": "es"}),
    ],
)
def test_anonymous_lookups_are_answered_here(method, path, headers):
    request = getattr(RequestFactory(), method)(path, **headers)
    response = VerifyNumberFastPath(_never_called)(request)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("post", "/api/v1/verify", {}),
        ("head", "/api/v1/verify/X", {}),
        ("get", "/api/v1/verify/", {}),
        ("get", "/api/v1/verify/X", {"HTTP_AUTHORIZATION": "Bearer oat_x"}),
        ("get", "/api/v1/verify/" + "9" * 65, {}),
        ("get", "/api/v1/verify/A%0AB", {}),
        ("get", "/api/v1/certificates/X/credential", {}),
        ("get", "/verify/", {}),
    ],
)
def test_everything_else_goes_the_long_way(method, path, headers):
    request = getattr(RequestFactory(), method)(path, **headers)
    assert VerifyNumberFastPath(_long_way)(request) == "long way"
