"""Round trip into a second database (issue 6): our feed, exported as CSV and as signed
zipped XML through the real API, imported by a partner administration running its own
installation on its own database, answers every verification as we do.

The partner's side runs in a subprocess (tests/mra/partner_side.py) on a fresh database
of the same engine as the test database: a SQLite file, or a PostgreSQL database created
next to the test database and dropped afterwards. A second Django alias would have
needed `using=` through the import services, the audit trail and the verification
service; a separate process needs none, and is what a partner's installation is.
"""

import datetime as dt
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from openaeo.certificates import credentials, verification
from openaeo.certificates.models import Certificate
from openaeo.certificates.register_services import register_consent_give
from openaeo.certificates.services import (
    certificate_expire,
    certificate_revoke,
    certificate_suspend,
)
from openaeo.common import clock
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
PARTNER_SIDE_TIMEOUT = 300


@pytest.fixture
def our_certificates(certify, staff, business):
    """Our certificates in every state a verifier can meet, by name."""
    supervisor = staff["supervisor"]

    def one(name):
        return certify(factories.OperatorFactory(legal_name=name, address=f"{name} Quay"))

    made = {name: one(name) for name in ("valid", "listed", "suspended", "revoked", "expired")}
    made["suspended"] = certificate_suspend(
        actor=supervisor, certificate=made["suspended"], reason="Audit findings pending."
    )
    made["revoked"] = certificate_revoke(
        actor=supervisor, certificate=made["revoked"], reason="No longer trading here."
    )
    made["expired"] = certificate_expire(
        actor=None, certificate=made["expired"], reason="Its validity has run out."
    )
    owner = factories.make_member(made["listed"].holder, "owner")
    made["listed"] = register_consent_give(actor=owner, certificate=made["listed"])
    today = clock.today()
    # The programme's certificates take effect some days after the decision: these have.
    Certificate.objects.filter(pk__in=[c.pk for c in made.values()]).update(
        effective_on=today - dt.timedelta(days=30)
    )
    # Past its last day but not yet marked expired by the hourly job; and one granted
    # but not in effect yet (not published: the answer is that of an unknown number).
    made["past_expiry"] = one("past expiry")
    made["not_yet_effective"] = one("not yet effective")
    Certificate.objects.filter(pk=made["past_expiry"].pk).update(
        effective_on=today - dt.timedelta(days=400), expires_on=today - dt.timedelta(days=2)
    )
    Certificate.objects.filter(pk=made["not_yet_effective"].pk).update(
        effective_on=today + dt.timedelta(days=10)
    )
    return {name: Certificate.objects.get(pk=c.pk) for name, c in made.items()}


@pytest.fixture
def second_database(tmp_path):
    """The URL of a fresh, empty database of the test database's engine; dropped after."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'partner.sqlite3'}"
        return
    assert connection.vendor == "postgresql", connection.vendor
    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_partner_{uuid.uuid4().hex[:8]}"[:63]
    server = {
        "host": params.get("HOST") or "localhost",
        "port": params.get("PORT") or 5432,
        "user": params.get("USER") or "postgres",
        "password": params.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{server['password']}" if server["password"] else ""
    try:
        yield f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _partner_side(database_url: str, instructions: dict) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        # Our process's scratch folder and database are not the partner's.
        if key not in {"OPENAEO_VAR_DIR", "DATABASE_URL", "OPENAEO_KEYS_DIR"}
    }
    env.update(TEST_DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="openaeo.settings.test")
    completed = subprocess.run(
        [sys.executable, "-m", "tests.mra.partner_side"],
        input=json.dumps(instructions),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=PARTNER_SIDE_TIMEOUT,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    return json.loads(completed.stdout)


def _expected(ours: verification.Answer, administration: str) -> dict:
    """What the partner should answer for one of our numbers, given our own answer."""
    if ours.status == verification.UNKNOWN:
        return {"status": verification.UNKNOWN, "aeo_number": ours.aeo_number}
    return {
        "status": ours.status,
        "aeo_number": ours.aeo_number,
        "holder_name": ours.holder_name,
        "tier": ours.tier_code,
        "effective_on": ours.effective_on.isoformat(),
        "issuer_name": administration,
        "recognised_under": administration,
    }


def test_our_csv_and_signed_xml_answer_the_same_in_a_partners_own_database(
    api, partner, our_certificates, tmp_path, second_database
):
    _partner, token = partner
    csv_response = api.get(reverse("api-mra:mra_operators_csv"), token)
    assert csv_response.status_code == 200
    zip_response = api.get(reverse("api-mra:mra_operators_zip"), token)
    assert zip_response.status_code == 200
    files = {
        "aeo-operators.csv": b"".join(csv_response.streaming_content),
        "aeo-operators.zip": b"".join(zip_response.streaming_content),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

    programme = next(iter(our_certificates.values())).programme
    administration = (programme.config.get("administration") or {}).get("en") or "Our Customs"
    today = clock.today()
    numbers = [c.aeo_number for c in our_certificates.values()] + ["NO SUCH AEO 00000/26"]
    ours = {number: verification.verify_number(number, today=today) for number in numbers}
    # The states we meant to build, as we answer them.
    assert {name: ours[c.aeo_number].status for name, c in our_certificates.items()} == {
        "valid": "valid",
        "listed": "valid",
        "suspended": "suspended",
        "revoked": "revoked",
        "expired": "expired",
        "past_expiry": "expired",
        "not_yet_effective": "unknown",
    }

    theirs = _partner_side(
        second_database,
        {
            "today": today.isoformat(),
            "administration": {
                "name": administration,
                "country": programme.config.get("country") or "ZZ",
                "arrangement": f"Mutual recognition arrangement with {administration}",
                "jwks": credentials.jwks(),
            },
            "files": [{"name": name, "path": str(tmp_path / name)} for name in files],
            "numbers": numbers,
        },
    )
    # Really another database, of the same engine as ours.
    assert theirs["vendor"] == connection.vendor
    assert theirs["database"] != connection.settings_dict["NAME"]

    for name in files:
        report = theirs[name]["import"]
        assert report["created"] and report["rejected"] == 0, report
        assert report["accepted"] == len(our_certificates), report
        assert report["again_same_report"], "importing the same file twice changed something"
        for number in numbers:
            answer = theirs[name]["answers"][number]
            expected = _expected(ours[number], administration)
            assert {key: answer[key] for key in expected} == expected, (name, number)
    assert theirs["aeo-operators.zip"]["import"]["format"] == "zip"
    # The CSV and the XML say exactly the same thing.
    assert theirs["aeo-operators.csv"]["answers"] == theirs["aeo-operators.zip"]["answers"]
