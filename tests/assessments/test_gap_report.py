"""Readiness, the gap report and its exports, the action plan and its reminders."""

import datetime as dt
import io

import pytest
from django.core import mail

from openaeo.accounts.roles import OperatorRole
from openaeo.assessments import selectors, services
from openaeo.assessments.models import ActionItem
from openaeo.common import clock
from tests import factories
from tests.scenarios.cases import answer_all

pytestmark = pytest.mark.django_db


def test_an_empty_assessment_is_not_ready_and_every_requirement_is_a_gap(assessment):
    readiness = selectors.readiness_of(assessment)
    assert readiness.status != "ready" and readiness.score == 0
    requirements = {r["id"] for _h, r, _q in selectors.asked(assessment)}
    assert {gap.requirement_id for gap in readiness.gaps} == requirements


def test_the_gap_report_lists_blocking_gaps_first(client, assessment, owner):
    client.force_login(owner)
    response = client.get(f"/self-assessment/{assessment.pk}/gaps/")
    lines = response.context["lines"]
    assert response.status_code == 200 and lines
    severities = [line.severity for line in lines]
    assert severities == sorted(severities, key=lambda s: 0 if s == "blocking" else 1)
    assert all(line.effort in ("hours", "days", "weeks") for line in lines)


def test_the_spreadsheet_contains_the_gaps(client, assessment, owner):
    from openpyxl import load_workbook

    client.force_login(owner)
    response = client.get(f"/self-assessment/{assessment.pk}/gaps.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    titles = {row[1] for row in rows}
    expected = {
        line.requirement["title"]["en"]
        for line in client.get(f"/self-assessment/{assessment.pk}/gaps/").context["lines"]
    }
    assert titles == expected and len(rows) == len(expected)


def test_the_pdf_contains_the_gaps(client, assessment, owner):
    pytest.importorskip("weasyprint")
    from pypdf import PdfReader

    client.force_login(owner)
    response = client.get(f"/self-assessment/{assessment.pk}/gaps.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    first_gap = client.get(f"/self-assessment/{assessment.pk}/gaps/").context["lines"][0]
    assert "Gap report" in text
    assert first_gap.requirement["title"]["en"].split()[0] in text


def test_action_plan_from_gaps_then_closing_actions_raises_readiness(client, assessment, owner):
    answer_all(assessment, owner, value="no")
    before = selectors.readiness_of(assessment)
    created = services.action_plan_create(actor=owner, assessment=assessment)
    assert {a.requirement_id for a in created} == {gap.requirement_id for gap in before.gaps}
    assert (
        services.action_plan_create(actor=owner, assessment=assessment) == []
    )  # twice adds nothing
    action = created[0]
    services.action_close(actor=owner, action=action, note="Seal log started")
    services.action_close(actor=owner, action=action, note="Seal log started")  # a double click
    after = selectors.readiness_of(assessment)
    assert after.score > before.score
    assert action.requirement_id not in {gap.requirement_id for gap in after.gaps}


def test_closing_needs_a_word_on_what_was_done(client, assessment, owner):
    answer_all(assessment, owner, value="no")
    (action, *_rest) = services.action_plan_create(actor=owner, assessment=assessment)
    client.force_login(owner)
    response = client.post(
        f"/self-assessment/{assessment.pk}/actions/",
        {"action": action.pk, "do": "close", "note": ""},
    )
    assert response.status_code == 400
    assert ActionItem.objects.get(pk=action.pk).status == "open"


def test_reminders_go_out_once_before_the_due_date(
    assessment, owner, django_capture_on_commit_callbacks
):
    from openaeo.assessments.tasks import send_action_reminders

    (action, *_rest) = services.action_plan_create(actor=owner, assessment=assessment)
    services.action_update(
        actor=owner, action=action, owner=owner, due_date=clock.today() + dt.timedelta(days=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_action_reminders.call() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_action_reminders.call() == 0
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert action.title in mail.outbox[0].subject


def test_another_trader_gets_no_report(client, assessment):
    client.force_login(factories.make_member(factories.OperatorFactory(), OperatorRole.OWNER))
    for path in ("gaps/", "gaps.pdf", "gaps.xlsx", "actions/"):
        assert client.get(f"/self-assessment/{assessment.pk}/{path}").status_code == 404
