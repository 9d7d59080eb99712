"""A grant through case_decide issues one certificate: number, dates, scope, audit, notice."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from openaeo.cases import decisions
from openaeo.catalogue.programmes import PROGRAMME_DIR, read_programme_text, validate_programme
from openaeo.certificates import numbering, services
from openaeo.certificates.models import Certificate, CertificateStatus, StatusList
from openaeo.common.models import AuditEvent
from openaeo.notifications.models import Notification
from tests import factories
from tests.scenarios.cases import REFUSAL, recommended
from tests.scenarios.days import at

pytestmark = pytest.mark.django_db


def decide(case, staff, outcome="granted", **extra):
    return decisions.case_decide(
        actor=staff["supervisor"],
        application=case,
        seen_version=case.version,
        outcome=outcome,
        reasons=extra.pop("reasons", "All requirements are met."),
        tier_code="entry" if outcome.startswith("granted") else "",
        **extra,
    )


def test_a_grant_issues_a_certificate(case, staff, owner, business):
    business.sites.create(
        name="Warehouse", kind="warehouse", address="Plot 7", created_at=dt.datetime.now(dt.UTC)
    )
    case = recommended(case, staff)
    with at("2026-05-04"):
        decision = decide(case, staff)
    certificate = Certificate.objects.get()
    assert certificate.decision == decision
    # The default pattern: country, the level's position, the sequence, the year.
    assert certificate.aeo_number == "ZZ AEO1 00001/26"
    # Decision date plus the programme's effective_after_days (5); no end date for this tier.
    assert certificate.effective_on == dt.date(2026, 5, 9)
    assert certificate.expires_on is None
    assert certificate.status == CertificateStatus.ACTIVE
    assert certificate.holder == business
    assert (certificate.holder_name, certificate.identifier) == (
        business.legal_name,
        business.identifier,
    )
    assert certificate.tier_code == "entry" and certificate.tier_name["en"] == "AEO Entry"
    assert certificate.scope == {
        "roles": ["exporter"],
        "sites": [{"name": "Warehouse", "kind": "warehouse", "address": "Plot 7"}],
    }
    assert 0 <= certificate.status_index < 131_072
    assert StatusList.objects.filter(number=certificate.status_list).count() == 2
    event = AuditEvent.objects.get(action="certificate.issue")
    assert event.actor == staff["supervisor"] and event.object_id == str(certificate.pk)
    assert Notification.objects.filter(
        recipient=owner, subject_text__contains="AEO certificate"
    ).exists()


def test_one_certificate_per_decision(case, staff):
    case = recommended(case, staff)
    decision = decide(case, staff)
    again = services.certificate_issue(decision=decision, actor=staff["supervisor"])
    assert again == decision.certificate
    assert Certificate.objects.count() == 1


def test_a_refusal_issues_nothing(case, staff):
    case = recommended(case, staff, outcome="refused", reasons=REFUSAL)
    decide(case, staff, outcome="refused", reasons=REFUSAL)
    assert not Certificate.objects.exists()


def test_numbers_follow_the_programmes_sequence_and_pattern(certify, programmes):
    first = certify(factories.OperatorFactory())
    second = certify(factories.OperatorFactory(), tier_code="security")
    assert first.aeo_number.startswith("ZZ AEO1 00001/")
    assert second.aeo_number.startswith("ZZ AEO2 00002/")
    programme = programmes["safe-reference"]
    programme.config["certificates"] = {"number_pattern": "{country}-{tier_code}-{yyyy}-{seq:04d}"}
    programme.save()
    third = certify(factories.OperatorFactory())
    assert third.aeo_number == f"ZZ-ENTRY-{third.issued_at:%Y}-0003"


def test_an_unusable_pattern_fails_the_grant_not_silently(certify, programmes):
    programme = programmes["safe-reference"]
    programme.config["certificates"] = {"number_pattern": "{country} {nonsense} {seq}"}
    programme.save()
    with pytest.raises(ValidationError, match="pattern"):
        certify(factories.OperatorFactory())
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    ("pattern", "valid"),
    [
        ("{country} AEO{tier} {seq:05d}/{yy}", True),
        ("{country}-{tier_code}-{yyyy}-{seq}", True),
        ("{country} AEO{tier}", False),  # no sequence: numbers would repeat
        ("{country} {holder} {seq}", False),  # unknown field
    ],
)
def test_the_programme_schema_checks_the_number_pattern(pattern, valid):
    text = (PROGRAMME_DIR / "safe-reference.yaml").read_text(encoding="utf-8")
    text += f'certificates:\n  number_pattern: "{pattern}"\n'
    problems = validate_programme(read_programme_text(text, "test.yaml"))
    assert (not problems) == valid, problems


@pytest.mark.domain
def test_validity_from_the_tier_rule():
    config = {"deadlines": {"effective_after_days": 5}}
    decided = dt.date(2028, 2, 24)
    assert services.validity_of(config, {"validity": {"years": None}}, decided) == (
        dt.date(2028, 2, 29),
        None,
    )
    # Three years from the effective date, the day before the anniversary.
    assert services.validity_of(config, {"validity": {"years": 3}}, decided) == (
        dt.date(2028, 2, 29),
        dt.date(2031, 2, 27),
    )
    assert services.validity_of({"deadlines": {}}, {"validity": {"years": 5}}, decided)[0] == (
        decided
    )


@pytest.mark.domain
def test_number_formatting():
    on = dt.date(2026, 11, 27)
    fields = {"country": "KE", "tier": 2, "tier_code": "security", "seq": 42, "on": on}
    assert numbering.format_number(numbering.DEFAULT_PATTERN, **fields) == "KE AEO2 00042/26"
    with pytest.raises(numbering.PatternError):
        numbering.format_number("{country}", **fields)


def test_only_a_supervisor_of_the_office_issues(case, staff):
    from django.core.exceptions import PermissionDenied

    from openaeo.cases.models import Decision

    case = recommended(case, staff)
    decision = decide(case, staff)
    decision.certificate.delete()
    decision = Decision.objects.get(pk=decision.pk)
    for outsider in (staff["validator"], staff["supervisor_elsewhere"]):
        with pytest.raises(PermissionDenied):
            services.certificate_issue(decision=decision, actor=outsider)
    assert not Certificate.objects.exists()
