"""Certificates in tests: signing keys in a folder of the test's own, certificates built
fast (an application, a recommendation, a granted decision, then the issuing service; the
whole case workflow is exercised in test_issuance.py), and published ones to look up.

`keys_dir` is not autouse here: the conftests of the folders that sign (certificates,
monitoring, screening, mra) make it so.
"""

import datetime as dt
from urllib.parse import quote

import pytest

from openaeo.accounts.models import Office
from openaeo.cases.models import Application, Decision, Recommendation
from openaeo.certificates.models import Certificate
from openaeo.certificates.services import certificate_issue
from openaeo.common import clock
from openaeo.common.signing_keys import create_key
from tests import factories

REASON = "Checked in the course of the annual review."


def grant(application, *, validator, supervisor, tier_code="entry"):
    """`validator` recommends and `supervisor` grants `application` (made directly, without
    the workflow), and the certificate is issued."""
    now = clock.now()
    granted = {
        "application": application,
        "round": 1,
        "outcome": "granted",
        "tier_code": tier_code,
        "reasons": "Meets every requirement.",
    }
    recommendation = Recommendation.objects.create(
        **granted, recommended_by=validator, recommended_at=now
    )
    decision = Decision.objects.create(
        **granted,
        recommendation=recommendation,
        language="en",
        decided_by=supervisor,
        decided_at=now,
    )
    return certificate_issue(decision=decision, actor=supervisor)


def make_certificate(operator, programme, *, office, validator, supervisor, tier_code="entry"):
    now = clock.now()
    application = Application.objects.create(
        operator=operator,
        programme=programme,
        tier_code=tier_code,
        status=Application.Status.CLOSED,
        submitted_at=now,
        completeness_due=clock.today(),
        office=office if isinstance(office, Office) else Office.objects.get(code=office),
        outcome="granted",
        decided_at=now,
        closed_at=now,
    )
    return grant(application, validator=validator, supervisor=supervisor, tier_code=tier_code)


@pytest.fixture
def keys_dir(settings, tmp_path):
    settings.OPENAEO_KEYS_DIR = tmp_path / "keys"
    create_key(settings.OPENAEO_KEYS_DIR, now=clock.now())
    return settings.OPENAEO_KEYS_DIR


@pytest.fixture
def certify(programmes, staff, port):
    """`certify(operator)`: an active certificate of the SAFE reference programme."""

    def make(operator, **extra):
        return make_certificate(
            operator,
            programmes["safe-reference"],
            office=port,
            validator=staff["validator"],
            supervisor=staff["supervisor"],
            **extra,
        )

    return make


def in_effect(certificate, since: dt.date):
    """`certificate`, in effect since `since` (a certificate takes effect some days after
    its decision)."""
    Certificate.objects.filter(pk=certificate.pk).update(effective_on=since)
    certificate.refresh_from_db()
    return certificate


@pytest.fixture
def published(certify):
    """`published(name)`: an active certificate whose effective date has passed."""

    def make(name="Kisumu Fresh Produce", **changes):
        certificate = certify(factories.OperatorFactory(legal_name=name))
        changes.setdefault("effective_on", clock.today() - dt.timedelta(days=30))
        Certificate.objects.filter(pk=certificate.pk).update(**changes)
        certificate.refresh_from_db()
        return certificate

    return make


def api_url(number: str) -> str:
    return f"/api/v1/verify/{quote(number, safe='')}"
