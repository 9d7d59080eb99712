"""Cases about a certificate already granted: reassessments decided each way, renewals
(by reassessment and by reapplication), and the reapplication bar after a revocation."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from openaeo.cases import decisions, workflow
from openaeo.cases import services as case_services
from openaeo.cases.models import ApplicationKind, CaseStatus, Outcome
from openaeo.certificates import reassessments
from openaeo.certificates import services as certificate_services
from openaeo.certificates.models import Certificate, CertificateStatus
from openaeo.common import clock
from openaeo.common.models import AuditEvent
from openaeo.notifications.models import Notification
from tests.scenarios.cases import answer_everything, recommend

# Certificates signed with keys of the test's own (tests.scenarios.certificates).
from tests.scenarios.certificates import in_effect

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keys_dir")]
WHY = "Three late declarations and a seal incident were reported this quarter."
REASONS = "The records and procedures were checked again and meet the requirements."
REVOCATION = (
    "The business shipped goods under false declarations twice this year, and did not "
    "put its seal procedure right after the suspension."
)


@pytest.fixture
def held(certify, business):
    """An active certificate of the business (SAFE reference, entry level), in effect."""
    return in_effect(certify(business), clock.today() - dt.timedelta(days=60))


def open_reassessment(held, staff, **extra):
    return reassessments.reassessment_open(
        actor=extra.pop("by", staff["supervisor"]),
        certificate=held,
        trigger=extra.pop("trigger", "compliance_alert"),
        trigger_reference=extra.pop("trigger_reference", "ALERT-2026-118"),
        reason=extra.pop("reason", WHY),
    )


def decide(case, staff, outcome, **fields):
    """Recommend from the desk review (no visit) and decide by another supervisor."""
    fields.setdefault("reasons", REASONS)
    fields.setdefault("tier_code", case.tier_code)
    decisions.case_recommend(
        actor=staff["validator"],
        application=case,
        seen_version=case.version,
        outcome=outcome,
        **fields,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.RECOMMENDED
    decision = decisions.case_decide(
        actor=staff["supervisor2"],
        application=case,
        seen_version=case.version,
        outcome=outcome,
        **fields,
    )
    case.refresh_from_db()
    return decision


def verify(client, number) -> str:
    return client.get(f"/api/v1/verify/{quote(number, safe='')}").json()["status"]


# --------------------------------------------------------------------------- opening


def test_a_supervisor_opens_a_reassessment_and_the_holder_is_told_why(held, staff, owner):
    case = open_reassessment(held, staff)
    assert (case.kind, case.certificate, case.status) == (
        ApplicationKind.REASSESSMENT,
        held,
        CaseStatus.DESK_REVIEW,
    )
    assert (case.operator, case.tier_code, case.office) == (
        held.holder,
        held.tier_code,
        held.decision.application.office,
    )
    assert case.decision_due is not None and case.due_on == case.decision_due
    assert not case.revisions.exists()
    event = AuditEvent.objects.get(action="case.reassessment_open")
    assert event.after["trigger_reference"] == "ALERT-2026-118" and event.reason == WHY
    notice = Notification.objects.get(recipient=owner, subject_text__contains="reassessing")
    assert WHY in notice.body
    # A double click opens nothing more; another reason while one is open is refused.
    assert open_reassessment(held, staff) == case
    with pytest.raises(ValidationError, match="already open"):
        open_reassessment(held, staff, reason="Another reason that is long enough to read.")


@pytest.mark.parametrize("who", ["validator", "supervisor_elsewhere"])
def test_only_supervisors_of_the_certificates_office_open_one(held, staff, who):
    with pytest.raises(PermissionDenied):
        open_reassessment(held, staff, by=staff[who])


def test_a_reassessment_needs_a_trigger_and_a_reason(held, staff):
    with pytest.raises(ValidationError) as error:
        open_reassessment(held, staff, trigger="gossip", reason="short")
    assert set(error.value.message_dict) == {"trigger", "reason"}


def test_the_holder_cannot_withdraw_a_reassessment(held, staff, owner):
    case = open_reassessment(held, staff)
    with pytest.raises(ValidationError, match="cannot be withdrawn"):
        workflow.case_withdraw(actor=owner, application=case)


# --------------------------------------------------------------------------- decided each way


def test_confirmed_the_certificate_continues(held, staff, owner, client):
    case = open_reassessment(held, staff)
    decision = decide(case, staff, Outcome.CONFIRMED)
    held.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and decision.outcome == Outcome.CONFIRMED
    assert held.status == CertificateStatus.ACTIVE
    assert AuditEvent.objects.filter(action="certificate.confirm").count() == 1
    assert verify(client, held.aeo_number) == "valid"


def test_confirmed_at_another_level_reissues_and_supersedes(held, staff, client):
    case = open_reassessment(held, staff)
    decide(case, staff, Outcome.CONFIRMED, tier_code="security")
    held.refresh_from_db()
    new = held.replaced_by
    assert held.status == CertificateStatus.SUPERSEDED
    assert (new.tier_code, new.status, new.aeo_number != held.aeo_number) == (
        "security",
        CertificateStatus.ACTIVE,
        True,
    )
    assert new.effective_on == clock.today()
    # The old number no longer proves status on its own; the new one does.
    assert verify(client, held.aeo_number) == "expired"
    assert verify(client, new.aeo_number) == "valid"
    event = AuditEvent.objects.get(action="certificate.supersede")
    assert event.after == {"status": "superseded"} and new.aeo_number in event.reason


def test_confirmed_with_conditions_needs_them(held, staff):
    case = open_reassessment(held, staff)
    with pytest.raises(ValidationError, match="conditions"):
        recommend(
            case,
            staff["validator"],
            Outcome.CONFIRMED_WITH_CONDITIONS,
            REASONS,
            tier_code=case.tier_code,
        )


def test_suspended_with_a_remedy_deadline(held, staff, owner, client, client_for):
    case = open_reassessment(held, staff)
    due = clock.today() + dt.timedelta(days=45)
    decide(case, staff, Outcome.SUSPENDED, conditions="Put a seal log in place.", remedy_by=due)
    held.refresh_from_db()
    assert held.status == CertificateStatus.SUSPENDED
    assert (held.remedy_due, held.remedy_required) == (due, "Put a seal log in place.")
    assert verify(client, held.aeo_number) == "suspended"
    # The holder reads what to put right, and by when.
    text = client_for(owner).get(reverse("cases:status", args=[case.pk])).content.decode()
    assert "Put a seal log in place." in text and due.isoformat() in text


def test_a_suspension_needs_a_future_remedy_date(held, staff):
    case = open_reassessment(held, staff)
    with pytest.raises(ValidationError) as error:
        recommend(case, staff["validator"], Outcome.SUSPENDED, REASONS, tier_code=case.tier_code)
    assert set(error.value.message_dict) == {"remedy_by", "conditions"}


def test_revoked_bars_a_new_application(held, staff, assessment, owner, client):
    case = open_reassessment(held, staff)
    decide(case, staff, Outcome.REVOKED, reasons=REVOCATION)
    held.refresh_from_db()
    assert held.status == CertificateStatus.REVOKED
    assert held.reapplication_barred_until > clock.today()
    assert verify(client, held.aeo_number) == "revoked"
    answer_everything(assessment, owner)
    with pytest.raises(ValidationError, match="may apply again only from"):
        case_services.application_submit(
            actor=owner, assessment=assessment, declaration_accepted=True
        )
    # Once the bar has passed, the business may apply again.
    with clock.frozen_at(
        dt.datetime.combine(held.reapplication_barred_until, dt.time(12), tzinfo=dt.UTC)
    ):
        assert case_services.submission_problems(assessment) == []


def test_an_application_outcome_is_refused_on_a_reassessment(held, staff):
    case = open_reassessment(held, staff)
    with pytest.raises(ValidationError, match="outcome"):
        decide(case, staff, Outcome.GRANTED)


def test_four_eyes_as_for_applications(held, staff):
    case = open_reassessment(held, staff)
    recommend(case, staff["supervisor2"], Outcome.CONFIRMED, REASONS, tier_code=case.tier_code)
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="four-eyes"):
        decisions.case_decide(
            actor=staff["supervisor2"],
            application=case,
            seen_version=case.version,
            outcome=Outcome.CONFIRMED,
            reasons=REASONS,
            tier_code=case.tier_code,
        )


def test_a_send_back_without_a_visit_returns_to_the_desk_review(held, staff):
    case = open_reassessment(held, staff)
    recommend(case, staff["validator"], Outcome.CONFIRMED, REASONS, tier_code=case.tier_code)
    case.refresh_from_db()
    decisions.case_send_back(
        actor=staff["supervisor"], application=case, seen_version=case.version, reason="Look again."
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.DESK_REVIEW


# --------------------------------------------------------------------------- renewals


def _end_date(certificate, renewal: str, days: int = 90):
    programme = certificate.programme
    config = dict(programme.config)
    config["tiers"] = [
        {**tier, "validity": {**tier["validity"], "years": 3, "renewal": renewal}}
        for tier in config["tiers"]
    ]
    programme.config = config
    programme.save(update_fields=["config"])
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=clock.today() + dt.timedelta(days=days)
    )
    certificate.refresh_from_db()
    return certificate


def test_a_renewal_by_reassessment_follows_on_without_a_gap(held, staff, owner, client):
    certificate = _end_date(held, "reassessment")
    case = reassessments.renewal_start(actor=owner, certificate=certificate)
    assert (case.kind, case.certificate, case.status) == (
        ApplicationKind.RENEWAL,
        certificate,
        CaseStatus.DESK_REVIEW,
    )
    assert reassessments.renewal_start(actor=owner, certificate=certificate) == case  # once
    decide(case, staff, Outcome.GRANTED)
    certificate.refresh_from_db()
    new = certificate.replaced_by
    # The new certificate takes over the day after the old one's last day, for three
    # years: renewing early loses no day, and the two never overlap.
    start = certificate.expires_on + dt.timedelta(days=1)
    assert new.effective_on == start
    assert new.expires_on == start.replace(year=start.year + 3) - dt.timedelta(days=1)
    assert certificate.status == CertificateStatus.ACTIVE
    assert verify(client, certificate.aeo_number) == "valid"
    assert verify(client, new.aeo_number) == "unknown"  # not in effect yet
    with clock.frozen_at(dt.datetime.combine(start, dt.time(12), tzinfo=dt.UTC)):
        assert certificate_services.certificates_expire_due() == 1
        certificate.refresh_from_db()
        assert certificate.status == CertificateStatus.SUPERSEDED
        assert verify(client, certificate.aeo_number) == "expired"
        assert verify(client, new.aeo_number) == "valid"
    assert Notification.objects.filter(recipient=owner, subject_text__contains="replaced").exists()


def test_a_renewal_cannot_start_before_the_window(held, owner):
    certificate = _end_date(held, "reassessment", days=400)
    with pytest.raises(ValidationError, match="You can renew this certificate from"):
        reassessments.renewal_start(actor=owner, certificate=certificate)


def test_a_renewal_by_reapplication_is_the_next_application(held, staff, owner, assessment):
    certificate = _end_date(held, "reapplication")
    assert reassessments.renewal_start(actor=owner, certificate=certificate) is None
    answer_everything(assessment, owner)
    revision = case_services.application_submit(
        actor=owner, assessment=assessment, declaration_accepted=True
    )
    application = revision.application
    assert (application.kind, application.certificate) == (ApplicationKind.RENEWAL, certificate)
    assert application.outcomes == (
        Outcome.GRANTED,
        Outcome.GRANTED_WITH_CONDITIONS,
        Outcome.REFUSED,
    )


def test_only_the_holders_people_who_submit_start_a_renewal(held, staff):
    certificate = _end_date(held, "reassessment")
    with pytest.raises(PermissionDenied):
        reassessments.renewal_start(actor=staff["supervisor"], certificate=certificate)


# --------------------------------------------------------------------------- pages


def test_the_supervisor_opens_it_from_the_certificate_page_and_the_holder_sees_it(
    held, staff, owner, client_for
):
    supervisor = client_for(staff["supervisor"])
    url = reverse("certificates:reassess", args=[held.pk])
    refused = supervisor.post(url, {"trigger": "incident", "reason": "short"})
    assert refused.status_code == 400
    done = supervisor.post(
        url, {"trigger": "incident", "trigger_reference": "INC-7", "reason": WHY}
    )
    case = held.cases.get()
    assert done.status_code == 302 and done["Location"] == reverse("cases:case", args=[case.pk])
    page = supervisor.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "Reassessment" in page and "INC-7" in page and "Send the recommendation" in page
    holder = client_for(owner)
    status = holder.get(reverse("cases:status", args=[case.pk])).content.decode()
    assert "Customs is reassessing your certificate" in status and WHY in status
    assert "Withdraw this application" not in status
    mine = holder.get(reverse("certificates:business", args=[held.holder_id])).content.decode()
    assert "Customs is reassessing your certificate because" in mine


def test_the_queue_shows_and_filters_the_kind(held, staff, client_for, make_case):
    make_case()
    case = open_reassessment(held, staff)
    supervisor = client_for(staff["supervisor"])
    page = supervisor.get(reverse("cases:queue"), {"kind": "reassessment"})
    rows = [row.case for row in page.context["rows"]]
    assert rows == [case]
    assert "Reassessment" in page.content.decode()
    everything = supervisor.get(reverse("cases:queue"))
    assert len(everything.context["rows"]) == 2


def test_the_holder_starts_the_renewal_from_the_certificates_page(held, owner, client_for):
    certificate = _end_date(held, "reassessment")
    holder = client_for(owner)
    page = holder.get(reverse("certificates:business", args=[held.holder_id])).content.decode()
    assert "Start the renewal" in page
    done = holder.post(reverse("certificates:renew", args=[certificate.pk]))
    case = certificate.cases.get()
    assert done.status_code == 302 and done["Location"] == reverse("cases:status", args=[case.pk])
    assert certificate_services.renewal_open(certificate)


def test_a_renewal_decided_after_the_expiry_follows_on_from_it(held, staff, owner):
    certificate = _end_date(held, "reassessment", days=10)
    case = reassessments.renewal_start(actor=owner, certificate=certificate)
    last_day = certificate.expires_on
    with clock.frozen_at(
        dt.datetime.combine(last_day + dt.timedelta(days=3), dt.time(12), tzinfo=dt.UTC)
    ):
        assert certificate_services.certificates_expire_due() == 1
        case.refresh_from_db()
        decide(case, staff, Outcome.GRANTED)
    certificate.refresh_from_db()
    new = certificate.replaced_by
    assert certificate.status == CertificateStatus.EXPIRED  # not superseded: it had ended
    assert new.status == CertificateStatus.ACTIVE
    assert new.effective_on == last_day + dt.timedelta(days=3)


def test_recommended_and_decided_from_the_case_page(held, staff, client_for):
    case = open_reassessment(held, staff)
    validator, supervisor = client_for(staff["validator"]), client_for(staff["supervisor2"])
    page = validator.get(reverse("cases:case", args=[case.pk]))
    choices = dict(page.context["forms"]["recommend"].fields["outcome"].choices)
    assert set(choices) == {"confirmed", "confirmed_with_conditions", "suspended", "revoked"}
    due = (clock.today() + dt.timedelta(days=30)).isoformat()
    fields = {
        "outcome": "suspended",
        "tier_code": case.tier_code,
        "reasons": REASONS,
        "conditions": "Keep a seal log.",
        "remedy_by": due,
    }
    missing = validator.post(
        reverse("cases:act", args=[case.pk, "recommend"]),
        {"recommend-version": case.version, **{f"recommend-{k}": v for k, v in fields.items()}}
        | {"recommend-remedy_by": ""},
    )
    assert missing.status_code == 400 and "remedy" in missing.content.decode()
    done = validator.post(
        reverse("cases:act", args=[case.pk, "recommend"]),
        {"recommend-version": case.version, **{f"recommend-{k}": v for k, v in fields.items()}},
    )
    assert done.status_code == 302
    case.refresh_from_db()
    decided = supervisor.post(
        reverse("cases:act", args=[case.pk, "decide"]),
        {"decide-version": case.version, **{f"decide-{k}": v for k, v in fields.items()}},
    )
    assert decided.status_code == 302
    held.refresh_from_db()
    assert held.status == CertificateStatus.SUSPENDED and held.remedy_due.isoformat() == due
    letter = supervisor.get(
        reverse("cases:decision_letter", args=[case.pk, case.decisions.get().pk])
    )
    assert letter.status_code == 200
