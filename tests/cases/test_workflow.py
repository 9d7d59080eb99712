"""The case moves only through services: who may act, the clocks, audit events, notices."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from openaeo.accounts.roles import OperatorRole
from openaeo.cases import correspondence, workflow
from openaeo.cases import services as case_services
from openaeo.cases.deadlines import Calendar, add_period
from openaeo.cases.models import Application, CaseStatus
from openaeo.common.models import AuditEvent
from openaeo.notifications.models import Notification
from tests import factories
from tests.scenarios.cases import accepted, answer_again, ask
from tests.scenarios.days import at

pytestmark = pytest.mark.django_db


def _events(application, action):
    return AuditEvent.objects.filter(
        object_type="cases.application", object_id=str(application.pk), action=action
    )


def test_a_new_application_is_routed_clocked_and_announced(case, staff):
    assert case.status == CaseStatus.SUBMITTED
    assert case.due_on == case.completeness_due
    assert case.size_class == "micro" and case.reference.startswith("AEO-")
    supervisors_told = Notification.objects.filter(
        recipient__in=[staff["supervisor"], staff["supervisor2"]]
    )
    assert supervisors_told.count() == 2
    assert not Notification.objects.filter(recipient=staff["supervisor_elsewhere"]).exists()


def test_accepting_starts_the_decision_clock(
    case, staff, owner, django_capture_on_commit_callbacks
):
    with at("2026-03-02"), django_capture_on_commit_callbacks(execute=True):
        case = accepted(case, staff)
    assert case.status == CaseStatus.RISK_REVIEW
    assert case.accepted_on == dt.date(2026, 3, 2)
    # safe-reference: 90 calendar days from acceptance, moved off a weekend.
    expected = add_period(
        dt.date(2026, 3, 2),
        90,
        working_days=False,
        calendar=Calendar(weekend=frozenset({"sat", "sun"}), holidays=frozenset()),
    )
    assert case.decision_due == case.due_on == expected
    event = _events(case, "case.accept").get()
    assert event.before == {"status": "submitted"} and event.after["status"] == "risk_review"
    assert Notification.objects.filter(recipient=owner, subject_text__contains="accepted").exists()
    assert any("accepted for review" in message.subject for message in mail.outbox)


def test_an_action_on_a_case_that_changed_meanwhile_is_refused(case, staff):
    seen = case.version
    workflow.case_accept(actor=staff["validator"], application=case, seen_version=seen)
    with pytest.raises(workflow.CaseChanged):
        workflow.case_finish_risk_review(
            actor=staff["validator2"], application=case, seen_version=seen, summary="Clean record"
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.RISK_REVIEW
    # A double click on "accept" is the same: refused, applied once.
    with pytest.raises(workflow.CaseChanged):
        workflow.case_accept(actor=staff["validator"], application=case, seen_version=seen)
    assert _events(case, "case.accept").count() == 1


def test_officers_of_another_office_and_traders_cannot_act(case, staff, owner):
    for outsider in (staff["validator_elsewhere"], staff["supervisor_elsewhere"], owner):
        with pytest.raises(PermissionDenied):
            workflow.case_accept(actor=outsider, application=case, seen_version=case.version)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_a_step_out_of_order_is_refused_with_the_current_step(case, staff):
    with pytest.raises(ValidationError, match="Submitted"):
        workflow.case_finish_risk_review(
            actor=staff["validator"], application=case, seen_version=case.version, summary="x"
        )


def test_return_as_incomplete_then_the_reply_puts_it_back_in_the_queue(case, staff, owner):
    with at("2026-03-02"):
        workflow.case_return_incomplete(
            actor=staff["validator"],
            application=case,
            seen_version=case.version,
            missing_items=["Signed declaration", "", "Seal log"],
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.INCOMPLETE and case.due_on is None
    request = case.information_requests.get()
    assert request.items == ["Signed declaration", "Seal log"] and request.is_open
    with at("2026-03-09"):
        correspondence.case_reply(actor=owner, request=request, body="Both attached.")
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    # A new completeness period of 10 working days from the reply.
    assert case.completeness_due == dt.date(2026, 3, 23) == case.due_on
    assert _events(case, "case.reply").get().after["status"] == "submitted"


def test_returning_needs_the_missing_items(case, staff):
    with pytest.raises(ValidationError, match="missing item"):
        workflow.case_return_incomplete(
            actor=staff["validator"], application=case, seen_version=case.version, missing_items=[]
        )


def test_silence_means_acceptance_where_the_programme_says_so(case):
    with at("2026-12-31"):
        assert workflow.cases_deem_accepted() == 1
        assert workflow.cases_deem_accepted() == 0  # idempotent
    case.refresh_from_db()
    assert case.status == CaseStatus.RISK_REVIEW and case.deemed_accepted
    event = _events(case, "case.deemed_accepted").get()
    assert event.actor is None


def test_no_deemed_acceptance_where_the_programme_does_not_provide_it(case):
    programme = case.programme
    programme.config["deadlines"]["completeness"]["deemed_accepted"] = False
    programme.save()
    with at("2026-12-31"):
        assert workflow.cases_deem_accepted() == 0


def _under_review(case, staff, day="2026-03-02"):
    with at(day):
        case = accepted(case, staff)
    return case


def test_an_information_request_stops_the_clock_and_the_reply_restarts_it(case, staff, owner):
    case = _under_review(case, staff)
    due = case.decision_due
    with at("2026-03-10"):
        request = ask(
            case, staff["validator"], "Seal procedure", "Please send your written seal procedure."
        )
    case.refresh_from_db()
    assert case.clock_stopped_on == dt.date(2026, 3, 10)
    assert any("stands still" in n.body for n in Notification.objects.filter(recipient=owner))
    with at("2026-03-24"):
        correspondence.case_reply(actor=owner, request=request, body="Attached.")
    case.refresh_from_db()
    assert case.clock_stopped_on is None and case.paused_days == 14
    weekend = Calendar(weekend=frozenset({"sat", "sun"}), holidays=frozenset())
    assert case.decision_due == add_period(
        dt.date(2026, 3, 2), 90 + 14, working_days=False, calendar=weekend
    )
    assert case.decision_due > due
    assert case.due_on == case.decision_due
    # The validator hears about the reply (nobody assigned: the supervisors).
    assert Notification.objects.filter(
        recipient=staff["supervisor"], subject_text__contains="replied"
    ).exists()


def test_the_clock_restarts_only_when_every_stopping_request_is_answered(case, staff, owner):
    case = _under_review(case, staff)
    with at("2026-03-10"):
        first = ask(case, staff["validator"], "One", "First question")
        case.refresh_from_db()
        second = ask(case, staff["validator"], "Two", "Second question")
    with at("2026-03-12"):
        correspondence.case_reply(actor=owner, request=first, body="Answer one")
    case.refresh_from_db()
    assert case.clock_stopped_on == dt.date(2026, 3, 10)
    with at("2026-03-20"):
        correspondence.case_reply(actor=owner, request=second, body="Answer two")
    case.refresh_from_db()
    assert case.clock_stopped_on is None and case.paused_days == 10


def test_who_may_reply_for_the_business(case, staff, owner, business):
    case = _under_review(case, staff)
    request = ask(case, staff["validator"], "Q", "Question")
    viewer = factories.make_member(business, OperatorRole.VIEWER)
    stranger = factories.make_member(factories.OperatorFactory(), OperatorRole.OWNER)
    for person in (viewer, stranger, staff["validator"]):
        with pytest.raises(PermissionDenied):
            correspondence.case_reply(actor=person, request=request, body="Hello")
    broker = factories.UserFactory()
    factories.make_mandate(business, broker, scopes=["correspond"], granted_by=owner)
    assert correspondence.case_reply(actor=broker, request=request, body="For the owner").pk


def test_an_extension_needs_a_reason_and_stays_within_the_programme(case, staff):
    case = _under_review(case, staff)
    due = case.decision_due
    with pytest.raises(ValidationError, match="why"):
        workflow.case_extend(
            actor=staff["supervisor"],
            application=case,
            seen_version=case.version,
            days=10,
            reason="",
        )
    with pytest.raises(PermissionDenied):  # validators do not extend deadlines
        workflow.case_extend(
            actor=staff["validator"],
            application=case,
            seen_version=case.version,
            days=10,
            reason="Visit needs a second day",
        )
    workflow.case_extend(
        actor=staff["supervisor"],
        application=case,
        seen_version=case.version,
        days=20,
        reason="Visit needs a second day",
    )
    case.refresh_from_db()
    assert case.extension_days == 20 and case.decision_due >= due + dt.timedelta(days=20)
    with pytest.raises(ValidationError, match="at most 30"):
        workflow.case_extend(
            actor=staff["supervisor"],
            application=case,
            seen_version=case.version,
            days=11,
            reason="More",
        )


def test_the_applicant_withdraws_before_the_decision(case, staff, owner, business):
    editor = factories.make_member(business, OperatorRole.EDITOR)
    with pytest.raises(PermissionDenied):
        workflow.case_withdraw(actor=editor, application=case)
    workflow.case_withdraw(actor=owner, application=case, reason="Not ready")
    workflow.case_withdraw(actor=owner, application=case)  # a second click changes nothing
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN and case.due_on is None
    assert _events(case, "case.withdraw").count() == 1


def test_a_correction_while_returned_goes_back_to_the_completeness_check(
    case, staff, owner, assessment
):

    workflow.case_return_incomplete(
        actor=staff["validator"],
        application=case,
        seen_version=case.version,
        missing_items=["Explain your seal checks"],
    )
    answer_again(assessment, owner, "Checked at each loading")
    revision = case_services.application_submit(
        actor=owner, assessment=assessment, declaration_accepted=True
    )
    case.refresh_from_db()
    assert revision.number == 2 and case.status == CaseStatus.SUBMITTED
    assert not case.information_requests.get().is_open
    assert Application.objects.count() == 1


def test_assignment_is_limited_to_the_office(case, staff):
    with pytest.raises(ValidationError, match="does not work on cases of this office"):
        workflow.case_assign(
            actor=staff["supervisor"], applications=[case], assignee=staff["validator_elsewhere"]
        )
    with pytest.raises(PermissionDenied):
        workflow.case_assign(
            actor=staff["supervisor_elsewhere"], applications=[case], assignee=staff["validator"]
        )
    with pytest.raises(PermissionDenied):
        workflow.case_assign(
            actor=staff["validator"], applications=[case], assignee=staff["validator"]
        )
    assert (
        workflow.case_assign(
            actor=staff["supervisor"], applications=[case], assignee=staff["validator"]
        )
        == 1
    )
    case.refresh_from_db()
    assert case.assignee == staff["validator"]
    assert Notification.objects.filter(
        recipient=staff["validator"], subject_text__contains="assigned"
    ).exists()
