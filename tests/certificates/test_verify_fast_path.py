"""The short way for anonymous lookups by number answers exactly as Django's handler does.

Both ways are called as gunicorn calls the WSGI application: `VerifyNumberFastPath`
around Django's handler (the short way), and Django's handler alone (the long way).
"""

import datetime as dt
import json
import logging
import re
from unittest import mock
from urllib.parse import unquote_to_bytes

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import RequestFactory

from openaeo.api import api
from openaeo.certificates import services, verification
from openaeo.certificates.verify_fast_path import FRONT_MIDDLEWARE, VerifyNumberFastPath
from openaeo.common import clock
from tests.scenarios.certificates import REASON, api_url

pytestmark = pytest.mark.django_db

# Differs from one answer to the next whichever way the request goes.
CHANGING_HEADERS = {"X-Request-ID"}
CHECKED_AT = re.compile(rb'"checked_at": "[^"]*"')


@pytest.fixture(autouse=True)
def _connections_kept():
    """As Django's test client does: a request must not close the test's connection, which
    holds the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


class Answer:
    def __init__(self, status: str, headers: list, body: bytes):
        self.status, self.headers, self.body = status, headers, body
        self.status_code = int(status.split()[0])

    def header(self, name):
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)

    def comparable_headers(self):
        return sorted((key, value) for key, value in self.headers if key not in CHANGING_HEADERS)


def call(application, url, method="get", **extra) -> Answer:
    """Call a WSGI application with the environ of a fresh request, as a server would."""
    environ = getattr(RequestFactory(), method)(url, **extra).environ
    # The factory's request has already decoded PATH_INFO; a server gives the bytes of the
    # path as Latin-1 text (PEP 3333).
    environ["PATH_INFO"] = unquote_to_bytes(url.partition("?")[0]).decode("iso-8859-1")
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=headers)

    response = application(environ, start_response)
    try:
        body = b"".join(response)
    finally:
        if hasattr(response, "close"):
            response.close()
    return Answer(started["status"], started["headers"], body)


def both_ways(url, **extra) -> tuple[Answer, Answer]:
    """The same request answered the short way, then the long way. The applications are
    built here, after the test's settings, as a worker builds them at start."""

    def never_called(environ, start_response):
        raise AssertionError("the request went the long way")

    short = call(VerifyNumberFastPath(never_called, api), url, **extra)
    long = call(WSGIHandler(), url, **extra)
    return short, long


def same_answer(short: Answer, long: Answer) -> dict:
    """The same status, headers and bytes (but for the request id and the moment checked);
    returns the body."""
    assert short.status == long.status
    assert short.comparable_headers() == long.comparable_headers()
    assert short.header("X-Request-ID") and long.header("X-Request-ID")
    assert short.header("Content-Length") == str(len(short.body))
    assert CHECKED_AT.sub(b"", short.body) == CHECKED_AT.sub(b"", long.body)
    return json.loads(short.body)


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_valid_suspended_and_unknown_answer_the_same_both_ways(
    published,
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
        short, long = both_ways(api_url(number), HTTP_ACCEPT_LANGUAGE=language)
        assert same_answer(short, long)["status"] == status
        assert short.header("Content-Language") == language
        assert short.header("X-Frame-Options") == "DENY"
        assert "frame-ancestors 'none'" in short.header("Content-Security-Policy")


def test_the_language_cookie_is_heard_both_ways(published, settings):
    short, long = both_ways(
        api_url(published().aeo_number), HTTP_COOKIE=f"{settings.LANGUAGE_COOKIE_NAME}=es"
    )
    same_answer(short, long)
    assert short.header("Content-Language") == "es"


def test_the_rate_limit_answers_the_same_both_ways(published, settings):
    settings.VERIFY_RATE_LIMIT = "1/minute"
    url = api_url(published().aeo_number)
    # One moment for all three calls: the window and the wait are counted from the clock,
    # and calls a second apart (or either side of a minute) would answer differently.
    with clock.frozen_at(clock.now().replace(second=20, microsecond=0)):
        assert call(WSGIHandler(), url).status_code == 200
        short, long = both_ways(url)
    assert short.status_code == 429
    assert short.header("Retry-After") == "40"
    assert "Wait" in same_answer(short, long)["detail"]


def test_plain_http_is_redirected_the_same_both_ways(published, settings):
    settings.SECURE_SSL_REDIRECT = True
    short, long = both_ways(api_url(published().aeo_number))
    assert short.status_code == 301
    assert short.header("Location").startswith("https://")
    assert short.comparable_headers() == long.comparable_headers()


def test_a_number_not_yet_in_effect_is_unknown_the_short_way(published):
    future = published(effective_on=clock.today() + dt.timedelta(days=3))
    short, long = both_ways(api_url(future.aeo_number))
    assert same_answer(short, long)["status"] == "unknown"


def test_a_failure_is_django_s_error_answer_and_is_logged(caplog):
    broken = mock.patch.object(verification, "verify_number", side_effect=RuntimeError("broken"))
    with broken, caplog.at_level(logging.ERROR, logger="django.request"):
        short, long = both_ways(api_url("ZZ AEO1 00001/26"))
    assert short.status_code == long.status_code == 500
    assert short.header("Content-Type") == long.header("Content-Type")
    assert short.header("X-Request-ID")
    assert short.body == long.body
    logged = [record for record in caplog.records if record.name == "django.request"]
    assert [record.status_code for record in logged] == [500, 500]
    assert sum("API error on GET" in record.getMessage() for record in caplog.records) == 2


def test_a_lookup_sends_the_request_signals_and_reads_the_database_once(
    published,
    django_assert_num_queries,
):
    number = published().aeo_number
    heard = []

    def started(sender, **kwargs):
        heard.append(("started", sender))

    def finished(sender, **kwargs):
        heard.append(("finished", sender))

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:
        with django_assert_num_queries(1):
            answer = call(VerifyNumberFastPath(WSGIHandler(), api), api_url(number))
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
    assert answer.status_code == 200
    assert heard == [("started", VerifyNumberFastPath), ("finished", VerifyNumberFastPath)]


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/api/v1/verify/ZZ%20AEO1%2000001%2F26", {}),
        ("/api/v1/verify/X", {"HTTP_ACCEPT_LANGUAGE": "es"}),
        ("/api/v1/verify/" + "9" * 64, {}),
    ],
)
def test_anonymous_lookups_are_answered_here(url, headers):
    def never_called(environ, start_response):
        raise AssertionError("the request went the long way")

    answer = call(VerifyNumberFastPath(never_called, api), url, **headers)
    assert answer.status_code == 200


@pytest.mark.parametrize(
    ("method", "url", "headers"),
    [
        ("post", "/api/v1/verify/X", {}),
        ("head", "/api/v1/verify/X", {}),
        ("get", "/api/v1/verify/", {}),
        ("get", "/api/v1/verify/X", {"HTTP_AUTHORIZATION": "Bearer oat_x"}),
        ("get", "/api/v1/verify/X", {"HTTP_HOST": "attacker.example"}),
        ("get", "/api/v1/verify/" + "9" * 65, {}),
        ("get", "/api/v1/verify/A%0AB", {}),
        ("get", "/api/v1/certificates/X/credential", {}),
        ("get", "/api/v1/verifyX", {}),
        ("get", "/verify/", {}),
    ],
)
def test_everything_else_goes_the_long_way(method, url, headers):
    handed_on = []

    def long_way(environ, start_response):
        handed_on.append(environ["PATH_INFO"])
        start_response("204 No Content", [])
        return []

    answer = call(VerifyNumberFastPath(long_way, api), url, method=method, **headers)
    assert answer.status_code == 204
    assert len(handed_on) == 1


@pytest.mark.parametrize("number", ["X", "%E2%82%AC", "%C3%A9"])
def test_a_host_not_allowed_is_refused_the_long_way(number):
    url = f"/api/v1/verify/{number}"
    short = call(VerifyNumberFastPath(WSGIHandler(), api), url, HTTP_HOST="attacker.example")
    long = call(WSGIHandler(), url, HTTP_HOST="attacker.example")
    assert short.status_code == long.status_code == 400
    assert short.body == long.body


def test_a_number_in_any_script_is_answered_the_same_both_ways():
    short, long = both_ways(api_url("ZZ AEO1 00001/26 €é"))
    assert same_answer(short, long)["status"] == "unknown"


def test_the_front_middleware_are_the_first_django_runs(settings):
    assert settings.MIDDLEWARE[: len(FRONT_MIDDLEWARE)] == list(FRONT_MIDDLEWARE)
    assert not any("verify_fast_path" in path for path in settings.MIDDLEWARE)


def test_the_served_application_takes_the_short_way():
    from openaeo import wsgi

    assert isinstance(wsgi.application, VerifyNumberFastPath)
    assert isinstance(wsgi.application.django_application, WSGIHandler)
