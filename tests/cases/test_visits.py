"""The validation visit: the plan, a checklist scaled to the size of the business, findings that
become corrective actions, and the report as a PDF."""

import copy
import datetime as dt
import io
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openaeo.accounts.models import Office
from openaeo.accounts.roles import MandateScope, OperatorRole, StaffRole
from openaeo.assessments import selectors as assessment_selectors
from openaeo.assessments.services import assessment_start
from openaeo.cases import visits, workflow
from openaeo.cases.models import (
    Application,
    ApplicationRevision,
    CaseStatus,
    CorrectiveAction,
    VisitItem,
)
from openaeo.catalogue.proportionality import TierScope, questions_for
from openaeo.common import clock
from openaeo.common.models import AuditEvent
from openaeo.evidence.models import EvidenceFile
from openaeo.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

# A Wednesday, so that due dates are easy to reason about.
TODAY = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
_EICAR_HALVES = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR", "-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")


@pytest.fixture(autouse=True)
def _frozen_clock():
    with clock.frozen_at(TODAY):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_case(people, programmes):
    """`make_case(employees)`: an exporter's case in desk review at the PORT office, with a
    submitted revision pinning its self-assessment (micro below 10 people, large from 250)."""

    def make(employees=5, tier_code="entry", status=CaseStatus.DESK_REVIEW):
        business = factories.OperatorFactory(
            roles=["exporter"], employees=employees, address="1 Harbour Road\nMombasa"
        )
        owner = factories.make_member(business, OperatorRole.OWNER)
        programme = programmes["safe-reference"]
        assessment = assessment_start(
            actor=owner, operator=business, programme=programme, tier_code=tier_code
        )
        application = Application.objects.create(
            operator=business,
            programme=programme,
            tier_code=tier_code,
            status=status,
            size_class=assessment.size_class,
            submitted_at=clock.now(),
            completeness_due=clock.today(),
            accepted_on=clock.today(),
            decision_due=clock.today() + dt.timedelta(days=90),
            office=Office.objects.get(code="PORT"),
        )
        ApplicationRevision.objects.create(
            application=application,
            number=1,
            assessment=assessment,
            catalogue_version=assessment.catalogue_version,
            snapshot={},
            declaration="True and complete.",
            submitted_by=owner,
            submitted_at=clock.now(),
        )
        return application

    return make


def _plan(application, people, *, team=None, when=None, mode="on_site"):
    return visits.visit_plan(
        actor=people["validator"],
        application=application,
        seen_version=application.version,
        planned_on=when or clock.today() + dt.timedelta(days=7),
        site="1 Harbour Road, Mombasa",
        mode=mode,
        team=team or [people["validator"]],
    )


def _record_all(visit, actor, result=VisitItem.Result.VERIFIED, notes=""):
    for item in visit.items.all():
        visits.visit_item_record(actor=actor, item=item, result=result, notes=notes)


def _eicar() -> bytes:
    return "".join(_EICAR_HALVES).encode("ascii")


# -- the checklist -----------------------------------------------------------------------------


def test_the_checklist_is_scaled_to_the_size_of_the_business(make_case, people):
    micro = _plan(make_case(employees=5), people)
    large = _plan(make_case(employees=500), people)
    assert (micro.size_class, large.size_class) == ("micro", "large")
    micro_items, large_items = list(micro.items.all()), list(large.items.all())
    assert 0 < len(micro_items) <= len(large_items)
    # One item per requirement asked, in catalogue order, grouped by heading.
    asked = assessment_selectors.asked(micro.application.revisions.get().assessment)
    assert [item.requirement_id for item in micro_items] == list(
        dict.fromkeys(requirement["id"] for _h, requirement, _q in asked)
    )
    # The micro business is asked fewer questions, so there is less to verify ...
    assert sum(len(item.what_to_verify) for item in micro_items) < sum(
        len(item.what_to_verify) for item in large_items
    )
    # ... and what is enough is the catalogue's means for its size.
    seals = {item.requirement_id: item for item in micro_items}
    cargo = next(iter(seals.values()))
    requirement = next(r for _h, r, _q in asked if r["id"] == cargo.requirement_id)
    assert cargo.enough_for_size == requirement["means"]["micro"]["en"]
    large_cargo = large.items.get(requirement_id=cargo.requirement_id)
    assert large_cargo.enough_for_size == requirement["means"]["large"]["en"]
    assert all(item.result == VisitItem.Result.PENDING for item in micro_items)


def test_a_requirement_not_asked_of_a_size_class_is_left_off_its_checklist(programmes):
    """Where the catalogue asks a requirement only of larger businesses, a small one is not
    visited for it (the same catalogue, one requirement's questions limited to large firms)."""
    programme = programmes["safe-reference"]
    catalogue = copy.deepcopy(programme.catalogue_version.content)
    scope = TierScope.from_config(programme.tier("entry"))
    heading = catalogue["headings"][0]
    limited = heading["requirements"][0]
    for question in limited["questions"]:
        question["sizes"] = ["large"]

    def checklist(size):
        return visits.checklist_from(
            questions_for(catalogue, scope, size_class=size, roles=["exporter"]), size
        )

    micro, large = checklist("micro"), checklist("large")
    assert len(micro) == len(large) - 1
    assert limited["id"] in {entry.requirement_id for entry in large}
    assert limited["id"] not in {entry.requirement_id for entry in micro}


# -- planning ----------------------------------------------------------------------------------


def test_planning_starts_the_validation_and_tells_the_applicant(
    make_case, people, django_capture_on_commit_callbacks
):
    application = make_case()
    with django_capture_on_commit_callbacks(execute=True):
        visit = _plan(application, people, team=[people["validator"], people["supervisor"]])
    application.refresh_from_db()
    assert application.status == CaseStatus.VALIDATION
    assert application.version == 1
    assert set(visit.team.all()) == {people["validator"], people["supervisor"]}
    event = AuditEvent.objects.get(action="case.visit_plan", object_id=str(application.pk))
    assert event.after["status"] == CaseStatus.VALIDATION and event.after["replanned"] is False
    owner = workflow.applicant_people(application)[0]
    notification = Notification.objects.get(recipient=owner)
    assert "2026-12-09" in notification.body and "1 Harbour Road" in notification.body


def test_replanning_changes_the_plan_and_keeps_the_checklist(make_case, people):
    application = make_case()
    visit = _plan(application, people)
    item = visit.items.first()
    visits.visit_item_record(
        actor=people["validator"], item=item, result=VisitItem.Result.VERIFIED, notes=""
    )
    application.refresh_from_db()
    again = _plan(application, people, when=clock.today() + dt.timedelta(days=14), mode="remote")
    assert again.pk == visit.pk
    assert (again.mode, again.planned_on) == ("remote", dt.date(2026, 12, 16))
    assert again.items.count() == visit.items.count()
    assert again.items.get(pk=item.pk).result == VisitItem.Result.VERIFIED
    assert AuditEvent.objects.filter(action="case.visit_plan").count() == 2


def test_a_plan_needs_a_date_in_the_future_a_site_and_a_team(make_case, people):
    application = make_case()
    with pytest.raises(ValidationError) as error:
        visits.visit_plan(
            actor=people["validator"],
            application=application,
            seen_version=0,
            planned_on=clock.today() - dt.timedelta(days=1),
            site="",
            mode="on_site",
            team=[],
        )
    assert {"site", "team"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError, match="in the past"):
        _plan(application, people, when=clock.today() - dt.timedelta(days=1))
    application.refresh_from_db()
    assert application.status == CaseStatus.DESK_REVIEW and not application.visits.exists()


# -- permissions -------------------------------------------------------------------------------


def test_only_validators_and_supervisors_of_the_office_plan(make_case, people):
    application = make_case()
    for outsider in (people["validator_elsewhere"], people["owner"], people["auditor"]):
        with pytest.raises(PermissionDenied):
            visits.visit_plan(
                actor=outsider,
                application=application,
                seen_version=0,
                planned_on=clock.today(),
                site="Here",
                mode="on_site",
                team=[people["validator"]],
            )
    with pytest.raises(ValidationError, match="cannot work on cases of this office"):
        _plan(application, people, team=[people["validator"], people["validator_elsewhere"]])
    application.refresh_from_db()
    assert application.status == CaseStatus.DESK_REVIEW


def test_only_the_visit_team_records_the_checklist(make_case, people):
    visit = _plan(make_case(), people)
    item = visit.items.first()
    for outsider in (people["supervisor"], people["validator_elsewhere"], people["owner"]):
        with pytest.raises(PermissionDenied):
            visits.visit_item_record(
                actor=outsider, item=item, result=VisitItem.Result.VERIFIED, notes=""
            )
    item.refresh_from_db()
    assert item.result == VisitItem.Result.PENDING


def test_pages_refuse_traders_and_other_offices(make_case, people, client_for):
    application = make_case()
    visit = _plan(application, people)
    item = visit.items.first()
    url = reverse("cases:visit_item", args=[application.pk, visit.pk, item.pk])
    data = {f"item-{item.pk}-result": "verified"}
    assert client_for(people["owner"]).post(url, data).status_code == 403
    assert client_for(people["validator_elsewhere"]).post(url, data).status_code == 404
    plan_url = reverse("cases:visit_plan", args=[application.pk])
    assert client_for(people["owner"]).post(plan_url).status_code == 403
    report_url = reverse("cases:visit_report", args=[application.pk, visit.pk])
    # The business sees the report once it is completed, not the draft.
    assert client_for(people["owner"]).get(report_url).status_code == 404
    assert client_for(people["validator_elsewhere"]).get(report_url).status_code == 404
    item.refresh_from_db()
    assert item.result == VisitItem.Result.PENDING


# -- recording and completing ------------------------------------------------------------------


def test_a_finding_needs_notes(make_case, people):
    item = _plan(make_case(), people).items.first()
    with pytest.raises(ValidationError) as error:
        visits.visit_item_record(
            actor=people["validator"], item=item, result=VisitItem.Result.MAJOR, notes=" "
        )
    assert "notes" in error.value.message_dict


def test_pending_items_block_completion(make_case, people):
    visit = _plan(make_case(), people)
    first = visit.items.first()
    visits.visit_item_record(
        actor=people["validator"], item=first, result=VisitItem.Result.VERIFIED, notes=""
    )
    application = Application.objects.get(pk=visit.application_id)
    with pytest.raises(ValidationError, match="not checked yet"):
        visits.visit_complete(
            actor=people["validator"],
            visit=visit,
            seen_version=application.version,
            summary="Visited the warehouse.",
        )
    visit.refresh_from_db()
    assert visit.completed_at is None
    assert not AuditEvent.objects.filter(action="case.visit_complete").exists()


def test_findings_become_corrective_actions_with_due_dates(
    make_case, people, django_capture_on_commit_callbacks
):
    visit = _plan(make_case(), people)
    _record_all(visit, people["validator"])
    minor, major, critical = list(visit.items.all()[:3])
    for item, result in (
        (minor, VisitItem.Result.MINOR),
        (major, VisitItem.Result.MAJOR),
        (critical, VisitItem.Result.CRITICAL),
    ):
        visits.visit_item_record(
            actor=people["validator"], item=item, result=result, notes=f"Put {result} right."
        )
    application = Application.objects.get(pk=visit.application_id)
    with django_capture_on_commit_callbacks(execute=True):
        visits.visit_complete(
            actor=people["validator"],
            visit=visit,
            seen_version=application.version,
            summary="Well run; the seals need work.",
        )
    actions = {action.severity: action for action in CorrectiveAction.objects.all()}
    assert set(actions) == {"minor", "major", "critical"}
    # safe-reference gives 6 months; a critical finding gets one month.
    # 2 June 2027 is a Wednesday; 2 January 2027 is a Saturday, so Monday the 4th.
    assert actions["minor"].due_on == actions["major"].due_on == dt.date(2027, 6, 2)
    assert actions["critical"].due_on == dt.date(2027, 1, 4)
    assert actions["major"].description == "Put major right."
    assert all(action.status == CorrectiveAction.Status.OPEN for action in actions.values())
    event = AuditEvent.objects.get(action="case.visit_complete")
    assert event.after["findings"] == {"minor": 1, "major": 1, "critical": 1}
    owner = workflow.applicant_people(application)[0]
    assert Notification.objects.filter(recipient=owner, params__date="2027-01-04").exists()
    with pytest.raises(ValidationError, match="can no longer change"):
        visits.visit_item_record(
            actor=people["validator"], item=minor, result=VisitItem.Result.VERIFIED, notes=""
        )


def test_without_a_programme_period_corrective_actions_get_three_months(make_case):
    application = make_case()
    application.programme.config["deadlines"].pop("corrective_action_months")
    start = dt.date(2026, 12, 2)
    assert visits.corrective_action_due(application, "minor", start) == dt.date(2027, 3, 2)
    assert visits.corrective_action_due(application, "critical", start) == dt.date(2027, 1, 4)


def test_a_stale_version_is_refused_and_changes_nothing(make_case, people):
    application = make_case()
    with pytest.raises(workflow.CaseChanged):
        visits.visit_plan(
            actor=people["validator"],
            application=application,
            seen_version=application.version + 1,
            planned_on=clock.today(),
            site="Here",
            mode="on_site",
            team=[people["validator"]],
        )
    application.refresh_from_db()
    assert application.status == CaseStatus.DESK_REVIEW and not application.visits.exists()
    visit = _plan(application, people)
    _record_all(visit, people["validator"])
    with pytest.raises(workflow.CaseChanged):
        visits.visit_complete(
            actor=people["validator"], visit=visit, seen_version=0, summary="Seen before planning."
        )
    visit.refresh_from_db()
    assert visit.completed_at is None


# -- photos ------------------------------------------------------------------------------------


def test_a_photo_is_kept_with_its_item(make_case, people):
    item = _plan(make_case(), people).items.first()
    photo = SimpleUploadedFile("seal-drawer.png", PNG, content_type="image/png")
    visits.visit_item_record(
        actor=people["validator"],
        item=item,
        result=VisitItem.Result.MINOR,
        notes="The drawer has no lock.",
        photos=[photo],
    )
    evidence = EvidenceFile.objects.get()
    assert evidence.purpose == f"visit-item:{item.pk}"
    assert evidence.detected_type == "image/png"
    event = AuditEvent.objects.get(action="case.visit_item")
    assert event.after["photos"] == [evidence.sha256]


def test_a_file_that_is_not_a_picture_is_refused(make_case, people):
    item = _plan(make_case(), people).items.first()
    with pytest.raises(ValidationError, match="is not a photo"):
        visits.visit_item_record(
            actor=people["validator"],
            item=item,
            result=VisitItem.Result.VERIFIED,
            notes="",
            photos=[SimpleUploadedFile("log.pdf", b"%PDF-1.4\n%%EOF\n")],
        )
    item.refresh_from_db()
    assert item.result == VisitItem.Result.PENDING and not EvidenceFile.objects.exists()


@pytest.fixture
def real_clamd(settings):
    """The clamd from CLAMD_SOCKET (skipped without one; required in CI)."""
    socket_path = os.environ.get("CLAMD_SOCKET", "").strip()
    if not socket_path:
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail("A real clamd is required when CI=true: set CLAMD_SOCKET")
        pytest.skip("No clamd to test against: CLAMD_SOCKET is not set")
    settings.EVIDENCE_SCANNER = ""
    settings.CLAMD_SOCKET = socket_path
    settings.CLAMD_HOST = ""


def test_an_infected_photo_is_refused_and_nothing_is_recorded(
    make_case, people, client_for, real_clamd
):
    application = make_case()
    item = _plan(application, people).items.first()
    application.refresh_from_db()
    infected = SimpleUploadedFile("seal.png", PNG + _eicar(), content_type="image/png")
    response = client_for(people["validator"]).post(
        reverse("cases:visit_item", args=[application.pk, item.visit_id, item.pk]),
        {
            f"item-{item.pk}-result": "major",
            f"item-{item.pk}-notes": "Seals lie loose.",
            f"item-{item.pk}-photos": [infected],
        },
    )
    assert response.status_code == 400
    assert "was refused by the virus check; nothing was recorded" in response.content.decode()
    item.refresh_from_db()
    assert (item.result, item.notes) == (VisitItem.Result.PENDING, "")
    # The refusal keeps its record, without content, as every refused upload does.
    refused = EvidenceFile.objects.get(purpose=f"visit-item:{item.pk}")
    assert refused.status == "infected" and not refused.file
    assert not AuditEvent.objects.filter(action="case.visit_item").exists()


# -- corrective actions ------------------------------------------------------------------------


@pytest.fixture
def finding(make_case, people):
    """A completed visit with one major finding: its corrective action."""
    visit = _plan(make_case(), people)
    _record_all(visit, people["validator"])
    item = visit.items.first()
    visits.visit_item_record(
        actor=people["validator"], item=item, result="major", notes="Spare seals lie loose."
    )
    application = Application.objects.get(pk=visit.application_id)
    visits.visit_complete(
        actor=people["validator"],
        visit=visit,
        seen_version=application.version,
        summary="One point on seals.",
    )
    return CorrectiveAction.objects.get()


def test_the_business_reports_a_corrective_action_done_and_customs_accepts_it(finding, people):
    application = finding.application
    owner = workflow.applicant_people(application)[0]
    viewer = factories.make_member(application.operator, OperatorRole.VIEWER)
    with pytest.raises(PermissionDenied):
        visits.corrective_action_report_done(actor=viewer, action=finding, note="Done.")
    with pytest.raises(ValidationError, match="not reported this corrective action done"):
        visits.corrective_action_accept(actor=people["validator"], action=finding)
    visits.corrective_action_report_done(
        actor=owner,
        action=finding,
        note="Seals are now in a locked drawer.",
        file=SimpleUploadedFile("drawer.png", PNG),
    )
    finding.refresh_from_db()
    assert finding.status == CorrectiveAction.Status.REPORTED_DONE
    assert finding.operator_reply == "Seals are now in a locked drawer."
    assert EvidenceFile.objects.filter(purpose=f"corrective-action:{finding.pk}").exists()
    with pytest.raises(PermissionDenied):
        visits.corrective_action_accept(actor=people["validator_elsewhere"], action=finding)
    with pytest.raises(PermissionDenied):
        visits.corrective_action_accept(actor=owner, action=finding)
    visits.corrective_action_accept(actor=people["supervisor"], action=finding)
    finding.refresh_from_db()
    assert finding.status == CorrectiveAction.Status.ACCEPTED and finding.closed_at is not None
    actions = list(
        AuditEvent.objects.filter(object_id=str(application.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["case.corrective_action_done", "case.corrective_action_accept"]
    with pytest.raises(ValidationError, match="already accepted"):
        visits.corrective_action_report_done(actor=owner, action=finding, note="Again.")


def test_a_representative_who_may_correspond_reports_for_the_business(finding, people):
    operator = finding.application.operator
    owner = workflow.applicant_people(finding.application)[0]
    preparer = factories.UserFactory()
    factories.make_mandate(operator, preparer, scopes=[MandateScope.PREPARE], granted_by=owner)
    with pytest.raises(PermissionDenied):
        visits.corrective_action_report_done(actor=preparer, action=finding, note="Done.")
    broker = factories.UserFactory()
    factories.make_mandate(operator, broker, scopes=[MandateScope.CORRESPOND], granted_by=owner)
    visits.corrective_action_report_done(actor=broker, action=finding, note="A lock is fitted.")
    finding.refresh_from_db()
    assert finding.status == CorrectiveAction.Status.REPORTED_DONE


def test_the_status_page_shows_the_actions_and_takes_the_report(finding, client_for):
    application = finding.application
    owner = workflow.applicant_people(application)[0]
    client = client_for(owner)
    page = client.get(reverse("cases:status", args=[application.pk])).content.decode()
    assert "Spare seals lie loose." in page and "Report this done" in page
    assert reverse("cases:visit_report", args=[application.pk, finding.visit_item.visit_id]) in page
    url = reverse("cases:corrective_action_done", args=[application.pk, finding.pk])
    refused = client.post(url, {f"action-{finding.pk}-note": ""})
    assert refused.status_code == 400 and "There is a problem" in refused.content.decode()
    response = client.post(url, {f"action-{finding.pk}-note": "Fitted a lock."})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == CorrectiveAction.Status.REPORTED_DONE


# -- the officer's page and the report ---------------------------------------------------------


def test_the_case_page_plans_and_records_without_javascript(make_case, people, client_for):
    application = make_case()
    client = client_for(people["validator"])
    page = client.get(reverse("cases:case", args=[application.pk])).content.decode()
    assert "Plan the validation visit" in page and "1 Harbour Road, Mombasa" in page
    response = client.post(
        reverse("cases:visit_plan", args=[application.pk]),
        {
            "visit_plan-version": "0",
            "visit_plan-planned_on": "2026-12-09",
            "visit_plan-mode": "remote",
            "visit_plan-site": "Video call",
            "visit_plan-team": [str(people["validator"].pk)],
        },
    )
    assert response.status_code == 302
    visit = application.visits.get()
    total = visit.items.count()
    page = client.get(reverse("cases:case", args=[application.pk])).content.decode()
    assert f"0 of {total} items checked" in page
    item = visit.items.first()
    url = reverse("cases:visit_item", args=[application.pk, visit.pk, item.pk])
    missing_notes = client.post(url, {f"item-{item.pk}-result": "critical"})
    assert missing_notes.status_code == 400
    assert "Describe the finding" in missing_notes.content.decode()
    done = client.post(url, {f"item-{item.pk}-result": "verified", f"item-{item.pk}-notes": "Ok"})
    assert done.status_code == 302 and done["Location"].endswith(f"#item-{item.pk}")
    page = client.get(reverse("cases:case", args=[application.pk])).content.decode()
    assert f"1 of {total} items checked" in page
    complete = client.post(
        reverse("cases:visit_complete", args=[application.pk, visit.pk]),
        {"visit_complete-version": "1", "visit_complete-summary": "Too early."},
    )
    assert complete.status_code == 400 and "not checked yet" in complete.content.decode()


def test_the_report_is_a_pdf_with_the_findings(finding, people, client_for):
    from pypdf import PdfReader

    application = finding.application
    visit = finding.visit_item.visit
    url = reverse("cases:visit_report", args=[application.pk, visit.pk])
    for person in (
        people["validator"],
        people["auditor"],
        workflow.applicant_people(application)[0],
    ):
        response = client_for(person).get(url)
        assert response.status_code == 200, person
        assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    text = " ".join(text.split())
    assert application.reference in text
    assert application.operator.legal_name in text
    assert "Spare seals lie loose." in text
    assert "2027-06-02" in text  # the corrective action's due date
    assert "One point on seals." in text
    assert finding.visit_item.title in text


def test_the_team_does_not_take_the_decision(finding, people):
    """The four-eyes rule already refuses a team member; a supervisor on the team is one."""
    from openaeo.cases.decisions import four_eyes_problem

    visit = finding.visit_item.visit
    visit.team.add(people["supervisor"])
    application = finding.application
    application.recommendations.create(
        round=1,
        outcome="granted",
        tier_code="entry",
        reasons="Fine.",
        recommended_by=people["validator"],
        recommended_at=clock.now(),
    )
    assert "validation team" in four_eyes_problem(people["supervisor"], application)
    other = factories.make_staff(StaffRole.SUPERVISOR, office=Office.objects.get(code="PORT"))
    assert four_eyes_problem(other, application) is None
