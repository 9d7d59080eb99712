"""Recommendation, four-eyes decision, letter, appeal; and one decision under concurrency."""

import datetime as dt
import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from openaeo.cases import decisions, workflow
from openaeo.cases.models import Appeal, Application, CaseStatus, Decision
from openaeo.notifications.models import Notification
from tests.scenarios.cases import REFUSAL, decide, recommend, recommended, to_risk_review_done
from tests.scenarios.days import at

pytestmark = pytest.mark.django_db


def test_a_recommendation_needs_a_completed_visit(case, staff):
    case = to_risk_review_done(case, staff)
    case.start_validation()
    case.save()
    with pytest.raises(ValidationError, match="visit report"):
        recommend(case, staff["validator"], "granted", "Fine")


def test_the_supervisors_are_asked_to_decide(case, staff):
    case = recommended(case, staff)
    assert case.status == CaseStatus.RECOMMENDED
    assert Notification.objects.filter(
        recipient=staff["supervisor"], subject_text__contains="waits for your decision"
    ).exists()


def test_four_eyes_the_recommender_cannot_decide(case, staff):
    case = recommended(case, staff, by=staff["supervisor"])
    with pytest.raises(ValidationError, match="four-eyes"):
        decide(case, staff["supervisor"], "granted", "Fine")
    case.refresh_from_db()
    assert case.status == CaseStatus.RECOMMENDED and not Decision.objects.exists()


def test_four_eyes_a_member_of_the_visit_team_cannot_decide(case, staff):
    case = recommended(case, staff, team=[staff["supervisor"]])
    with pytest.raises(ValidationError, match="validation team"):
        decide(case, staff["supervisor"], "granted", "Fine")


def test_only_supervisors_of_the_office_decide(case, staff):
    case = recommended(case, staff)
    for outsider in (staff["validator2"], staff["supervisor_elsewhere"]):
        with pytest.raises(PermissionDenied):
            decide(case, outsider, "granted", "Fine")


def test_a_grant_closes_the_case_and_tells_the_applicant(case, staff, owner):
    case = recommended(case, staff)
    decision = decide(case, staff["supervisor"], "granted", "All requirements are met.")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == "granted"
    assert decision.appeal_due is None and case.due_on is None
    assert Notification.objects.filter(recipient=owner, subject_text__contains="Decision").exists()


def test_a_refusal_needs_reasons_the_applicant_can_understand(case, staff):
    case = recommended(case, staff, outcome="refused", reasons=REFUSAL)
    with pytest.raises(ValidationError, match="plain words"):
        decide(case, staff["supervisor"], "refused", "Not compliant.")


def test_an_improvement_path_needs_a_future_date(case, staff):
    case = recommended(case, staff, outcome="refused", reasons=REFUSAL)
    with pytest.raises(ValidationError, match="apply again"):
        decide(
            case,
            staff["supervisor"],
            "improvement",
            "Train your staff on the seal procedure first.",
        )


def test_refusal_appeal_dismissed(case, staff, owner):
    case = recommended(case, staff, outcome="refused", reasons=REFUSAL)
    with at("2026-05-04"):
        decision = decide(case, staff["supervisor"], "refused", REFUSAL)
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and decision.appeal_due == dt.date(2026, 6, 3)
    with at("2026-05-20"):
        appeal = decisions.appeal_lodge(
            actor=owner, application=case, grounds="We trained every staff member in April."
        )
        assert (
            decisions.appeal_lodge(
                actor=owner, application=case, grounds="We trained every staff member in April."
            )
            == appeal
        )  # a second click lodges nothing more
    case.refresh_from_db()
    assert case.status == CaseStatus.APPEALED and case.due_on is not None
    with pytest.raises(ValidationError, match="another supervisor"):
        decisions.appeal_decide(
            actor=staff["supervisor"],
            application=case,
            seen_version=case.version,
            allowed=False,
            reasons="The procedure is still missing from the file.",
        )
    decisions.appeal_decide(
        actor=staff["supervisor2"],
        application=case,
        seen_version=case.version,
        allowed=False,
        reasons="The procedure is still missing from the file.",
    )
    case.refresh_from_db()
    appeal.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and appeal.outcome == Appeal.Outcome.DISMISSED


def test_an_allowed_appeal_sends_the_case_back_for_a_new_decision(case, staff, owner):
    case = recommended(case, staff, outcome="refused", reasons=REFUSAL)
    decide(case, staff["supervisor"], "refused", REFUSAL)
    case.refresh_from_db()
    decisions.appeal_lodge(
        actor=owner, application=case, grounds="The log was in annex 3 all along."
    )
    case.refresh_from_db()
    decisions.appeal_decide(
        actor=staff["supervisor2"],
        application=case,
        seen_version=case.version,
        allowed=True,
        reasons="Annex 3 holds the seal log; review again.",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.DESK_REVIEW and case.round == 2 and case.outcome == ""
    assert case.decision_due is not None


def test_no_appeal_after_the_deadline_and_the_case_closes_itself(case, staff, owner):
    case = recommended(case, staff, outcome="refused", reasons=REFUSAL)
    with at("2026-05-04"):
        decide(case, staff["supervisor"], "refused", REFUSAL)
    case.refresh_from_db()
    with at("2026-06-04"), pytest.raises(ValidationError, match="appeal period ended"):
        decisions.appeal_lodge(
            actor=owner, application=case, grounds="Too late, but trying anyway."
        )
    with at("2026-06-04"):
        assert decisions.cases_close_after_appeal_period() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_a_grant_cannot_be_appealed(case, staff, owner):
    case = recommended(case, staff)
    decide(case, staff["supervisor"], "granted", "Fine.")
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot be appealed"):
        decisions.appeal_lodge(actor=owner, application=case, grounds="We wanted a higher level.")


def test_the_decision_letter_is_in_the_applicants_language(case, staff, owner):
    from pypdf import PdfReader

    owner.preferred_language = "fr"
    owner.save()
    case = recommended(case, staff, outcome="refused", reasons=REFUSAL)
    decision = decide(case, staff["supervisor"], "refused", REFUSAL)
    assert decision.language == "fr"
    from openaeo.cases.documents import decision_letter_pdf

    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(decision_letter_pdf(decision))).pages
    )
    assert case.reference in text and "seals" in text
    assert "Motifs" in text or "Décision" in text  # French headings


def test_a_second_decision_on_the_same_round_is_refused_by_the_database(case, staff):
    case = recommended(case, staff)
    decide(case, staff["supervisor"], "granted", "Fine.")
    stale = Application.objects.get(pk=case.pk)
    with pytest.raises(workflow.CaseChanged):
        decisions.case_decide(
            actor=staff["supervisor2"],
            application=stale,
            seen_version=case.version,
            outcome="refused",
            reasons=REFUSAL,
        )
    assert Decision.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_grants_make_exactly_one_decision(case, staff):
    """Two supervisors press "decide" at the same moment, on two database connections."""
    assert connection.vendor == "postgresql"
    case = recommended(case, staff)
    seen = case.version
    barrier = threading.Barrier(2)
    outcomes = []

    def decide_at_once(supervisor):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            decisions.case_decide(
                actor=supervisor,
                application=Application.objects.get(pk=case.pk),
                seen_version=seen,
                outcome="granted",
                reasons="Fine.",
                tier_code="entry",
            )
            outcomes.append("decided")
        except workflow.CaseChanged:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=decide_at_once, args=(staff[name],))
        for name in ("supervisor", "supervisor2")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["decided", "refused"]
    assert Decision.objects.filter(application=case).count() == 1
