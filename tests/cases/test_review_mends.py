"""Cases found in review: overdue pages, who hears about a case, clocks across rounds,
four-eyes across a send-back, double clicks."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openaeo.accounts.models import StaffAssignment
from openaeo.accounts.roles import OperatorRole, StaffRole
from openaeo.cases import correspondence, decisions, workflow
from openaeo.cases.models import CaseStatus, ValidationVisit
from openaeo.common import clock
from openaeo.notifications.models import Notification
from tests import factories
from tests.scenarios.cases import (
    REFUSAL,
    accepted,
    ask,
    decide,
    recommend,
    recommended,
    to_validation,
)
from tests.scenarios.days import at

pytestmark = pytest.mark.django_db


def test_an_overdue_case_shows_how_late_it_is(client, case, staff, owner):
    with at("2027-06-01"):
        client.force_login(staff["validator"])
        body = client.get(reverse("cases:case", args=[case.pk])).content.decode()
        assert "days overdue" in body
        client.force_login(owner)
        assert client.get(reverse("cases:status", args=[case.pk])).status_code == 200


def test_a_representative_whose_mandate_ended_hears_nothing_more(case, staff, owner, business):
    from openaeo.operators.models import Mandate
    from openaeo.operators.services import mandate_revoke

    broker = factories.UserFactory()
    factories.make_mandate(business, broker, scopes=["correspond"], granted_by=owner)
    assert broker in workflow.applicant_people(case)
    mandate_revoke(actor=owner, mandate=Mandate.objects.get(representative=broker))
    assert broker not in workflow.applicant_people(case)
    workflow.case_accept(actor=staff["validator"], application=case, seen_version=case.version)
    assert not Notification.objects.filter(recipient=broker).exists()
    assert Notification.objects.filter(recipient=owner, subject_text__contains="accepted").exists()


def test_an_inactive_assignment_here_does_not_bring_notices_from_elsewhere(case, staff, port):
    outsider = staff["supervisor_elsewhere"]
    StaffAssignment.objects.create(
        user=outsider, office=port, role=StaffRole.VALIDATOR, active=False
    )
    assert outsider not in workflow.office_people(case, StaffRole.SUPERVISOR)
    assert staff["supervisor"] in workflow.office_people(case, StaffRole.SUPERVISOR)


def test_the_letter_is_in_the_submitters_language(case, staff, owner, business):
    co_owner = factories.make_member(business, OperatorRole.OWNER)
    co_owner.preferred_language = "ar"
    co_owner.save()
    owner.preferred_language = "es"
    owner.save()
    assert decisions.letter_language(case) == "es"


def test_no_recommendation_while_the_applicant_has_not_answered(case, staff, owner):
    case = to_validation(case, staff)
    correspondence.case_ask(
        actor=staff["validator"],
        application=case,
        seen_version=case.version,
        subject="Seal log",
        body="Please send it.",
        reply_due=clock.today() + dt.timedelta(days=5),
    )
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="not answered"):
        recommend(case, staff["validator"], "granted", "Fine")


def test_a_decision_closes_requests_still_waiting_and_round_two_gets_a_fresh_clock(
    case, staff, owner
):
    case = to_validation(case, staff)
    correspondence.case_ask(
        actor=staff["validator"],
        application=case,
        seen_version=case.version,
        subject="Seal log",
        body="Please send it.",
        reply_due=clock.today(),
    )
    case.refresh_from_db()
    with at("2027-01-04"):
        decisions.case_recommend(
            actor=staff["validator"],
            application=case,
            seen_version=case.version,
            outcome="refused",
            reasons=REFUSAL,
        )
        case.refresh_from_db()
        decide(case, staff["supervisor"], "refused", REFUSAL)
        case.refresh_from_db()
        assert not case.information_requests.get().is_open
        decisions.appeal_lodge(actor=owner, application=case, grounds="We have the log now, see.")
        case.refresh_from_db()
        decisions.appeal_decide(
            actor=staff["supervisor2"],
            application=case,
            seen_version=case.version,
            allowed=True,
            reasons="The log answers the reason for refusal.",
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.DESK_REVIEW and case.clock_stopped_on is None
    assert case.decision_due > dt.date(2027, 1, 4)
    told = Notification.objects.filter(subject_text__contains="back for review")
    assert told.exists()
    # Round 2: a new visit must be completed before a new recommendation.
    case.start_validation()
    case.save()
    ValidationVisit.objects.create(
        application=case,
        planned_on=clock.today(),
        site="Head office",
        mode="remote",
        planned_by=staff["validator"],
        planned_at=clock.now(),
        size_class=case.size_class,
    )
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="visit report"):
        recommend(case, staff["validator"], "granted", "Fine")


def test_four_eyes_counts_every_recommendation_of_the_round(case, staff):
    case = recommended(case, staff, by=staff["supervisor"])
    decisions.case_send_back(
        actor=staff["supervisor2"],
        application=case,
        seen_version=case.version,
        reason="Check the seal log again.",
    )
    case.refresh_from_db()
    recommend(case, staff["validator"], "granted", "Checked again: fine.")
    case.refresh_from_db()
    assert "four-eyes" in decisions.four_eyes_problem(staff["supervisor"], case)
    assert decisions.four_eyes_problem(staff["supervisor2"], case) is None


def test_deemed_acceptance_dates_from_the_day_after_the_deadline(case):
    due = case.completeness_due
    with at("2027-03-01"):
        workflow.cases_deem_accepted()
    case.refresh_from_db()
    assert case.accepted_on == due + dt.timedelta(days=1)


def test_a_double_click_sends_a_reply_once(case, staff, owner):
    case = accepted(case, staff)
    request = ask(case, staff["validator"], "Q", "Question")
    first = correspondence.case_reply(actor=owner, request=request, body="Answer")
    again = correspondence.case_reply(actor=owner, request=request, body="Answer")
    assert first.pk == again.pk and request.messages.filter(from_customs=False).count() == 1


def test_a_notice_reads_in_one_language(case, staff, owner):
    from django.utils import translation

    supervisor = staff["supervisor"]
    case = recommended(case, staff)
    with translation.override("fr"):
        decide(case, supervisor, "granted", "Fine.")
    notice = Notification.objects.filter(recipient=owner, subject_text__contains="Decision").get()
    assert notice.params["outcome"] == "Granted"  # stored in English
    with translation.override("es"):
        assert "Concedido" in notice.body
