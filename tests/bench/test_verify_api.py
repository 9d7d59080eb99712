"""The pure helpers of bench/verify_api.py: reading locust's output, the expected answers,
the data's mix, the verdict; and the baseline app it serves."""

import datetime as dt
import json

import pytest

from bench import _fixed_json_app, verify_api

pytestmark = pytest.mark.domain

STATS = """Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%
GET,/api/v1/verify/{aeo_number},24010,3,31,33.2,2,410,402.0,960.43,0.12,31,35,38,40,46,52,61,70,150,400,410
,Aggregated,24010,3,31,33.2,2,410,402.0,960.43,0.12,31,35,38,40,46,52,61,70,150,400,410
"""
FAILURES = """Method,Name,Error,Occurrences
GET,/api/v1/verify/{aeo_number},HTTP 429,2
GET,/api/v1/verify/{aeo_number},"CatchResponseError('expected valid, got unknown')",1
"""


def test_the_aggregated_row_of_locusts_statistics():
    assert verify_api.parse_locust_stats(STATS) == {
        "requests": 24010,
        "errors": 3,
        "rps": 960.4,
        "p50_ms": 31.0,
        "p95_ms": 52.0,
        "p99_ms": 70.0,
    }
    with pytest.raises(ValueError, match="Aggregated"):
        verify_api.parse_locust_stats(STATS.splitlines()[0])


def test_errors_by_kind():
    assert verify_api.parse_locust_failures(FAILURES) == {
        "HTTP 429": 2,
        "expected valid, got unknown": 1,
    }
    assert verify_api.parse_locust_failures("") == {}


TODAY = dt.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("status", "effective_on", "expires_on", "expected"),
    [
        ("active", TODAY, TODAY, "valid"),  # valid through its last day
        ("active", TODAY, None, "valid"),
        ("active", TODAY - dt.timedelta(days=9), TODAY - dt.timedelta(days=1), "expired"),
        ("expired", TODAY - dt.timedelta(days=9), TODAY + dt.timedelta(days=9), "expired"),
        ("suspended", TODAY, TODAY + dt.timedelta(days=9), "suspended"),
        ("suspended", TODAY - dt.timedelta(days=9), TODAY - dt.timedelta(days=1), "expired"),
        ("revoked", TODAY, TODAY - dt.timedelta(days=1), "revoked"),
        ("active", TODAY + dt.timedelta(days=1), None, "unknown"),  # not yet published
    ],
)
def test_expected_answers(status, effective_on, expires_on, expected):
    assert verify_api.expected_status(status, effective_on, expires_on, TODAY) == expected


def test_the_mix_of_certificates():
    assert verify_api.draw_kind(0.0) == "suspended"
    assert verify_api.draw_kind(0.049) == "suspended"
    assert verify_api.draw_kind(0.05) == "revoked"
    assert verify_api.draw_kind(0.999) == "valid"
    kinds = [verify_api.draw_kind(i / 1000) for i in range(1000)]
    assert kinds.count("valid") == 800  # 80 % valid, as the docstring says


def test_the_verdict_needs_the_ratio_the_paced_p99_and_no_error():
    def api(rps, p99, errors=0, paced_errors=0):
        return {"rps": rps, "errors": errors, "paced": {"p99_ms": p99, "errors": paced_errors}}

    baseline = {"rps": 1000.0}
    assert verify_api.verdict(api(400.0, 49.0), baseline) == {"ratio": 0.4, "ok": True}
    assert not verify_api.verdict(api(399.0, 10.0), baseline)["ok"]
    assert not verify_api.verdict(api(900.0, 50.0), baseline)["ok"]
    assert not verify_api.verdict(api(900.0, 10.0, errors=1), baseline)["ok"]
    assert not verify_api.verdict(api(900.0, 10.0, paced_errors=1), baseline)["ok"]
    assert not verify_api.verdict({"rps": 900.0, "errors": 0}, baseline)["ok"]  # not paced
    assert verify_api.verdict(api(10.0, 1.0), {"rps": 0.0})["ratio"] == 0.0


def test_the_pace_of_each_client():
    assert verify_api.paced_rate(800.0, users=100) == pytest.approx(4.0)
    assert verify_api.paced_rate(0.0, users=100) > 0  # locust needs a positive rate


def test_the_database_url_gets_the_benchmarks_schema():
    url = verify_api.schema_url("postgres://postgres@127.0.0.1:5434/bench")
    assert url.endswith("/bench?options=-c%20search_path%3Dverify_api")
    assert "?sslmode=disable&options=" in verify_api.schema_url("postgres://h/b?sslmode=disable")


def test_cpu_a_request():
    assert verify_api.per_request(0.5, {"requests": 1000}) == 0.5
    assert verify_api.per_request(0.5, {"requests": 0}) == 0.0


def test_the_baseline_answers_a_fixed_json_body():
    started = []
    body = b"".join(
        _fixed_json_app.application({}, lambda status, headers: started.append((status, headers)))
    )
    status, headers = started[0]
    assert status == "200 OK"
    assert dict(headers)["Content-Length"] == str(len(body))
    assert json.loads(body)["status"] == "valid"


@pytest.mark.postgres
def test_the_database_s_cpu_counts_backends_that_ended():
    import os
    import time

    import psycopg

    url = os.environ["TEST_DATABASE_URL"]
    before = verify_api.database_cpu_seconds(url)
    with psycopg.connect(url) as busy:  # a backend that works, then ends
        busy.execute("SELECT count(*) FROM generate_series(1, 3000000)").fetchone()
    deadline = time.monotonic() + 10
    spent = 0.0
    while time.monotonic() < deadline:  # the server notices the ended backend at its pace
        spent = verify_api.database_cpu_seconds(url) - before
        if spent > 0.05:
            break
        time.sleep(0.1)
    assert spent > 0.05
