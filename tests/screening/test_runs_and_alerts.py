"""Runs store results per registered business; a holder's breach opens one alert (via tick)."""

import datetime as dt

import pytest

from openaeo.common import clock, periodic
from openaeo.common.models import AuditEvent
from openaeo.notifications.models import Notification
from openaeo.screening import run_requests, services
from openaeo.screening.models import ComplianceAlert, ScreeningResult, ScreeningRun
from tests import factories
from tests.scenarios.screening import declarations_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(programmes, certify, parquet_store, write_file):
    """A certified micro business with one serious irregularity: a breach of the SAFE entry level."""
    operator = factories.OperatorFactory(employees=3)
    certificate = certify(operator)
    services.declarations_import(
        actor=None,
        path=write_file(declarations_csv(operator.identifier, clean=40, serious=1), "h.csv"),
        file_name="h.csv",
    )
    return certificate


def test_a_run_stores_one_result_per_registered_business(
    holder,
    staff,
    django_capture_on_commit_callbacks,
):
    clean = factories.OperatorFactory(employees=3)
    silent = factories.OperatorFactory(employees=3)
    pm = factories.make_staff("programme_manager", office=holder.decision.application.office)
    with django_capture_on_commit_callbacks(execute=True):
        run = run_requests.screening_run_start(actor=pm)
    run.refresh_from_db()
    assert (run.status, run.progress, run.screened) == ("done", 100, 3)
    results = {result.operator_id: result for result in run.results.all()}
    assert results[holder.holder_id].serious_irregularities == 1
    assert [flag["code"] for flag in results[holder.holder_id].flags] == ["serious_irregularities"]
    # No declaration at all: too few for a level that asks for 10 a year.
    assert [flag["code"] for flag in results[silent.pk].flags] == ["too_few_documents"]
    assert results[clean.pk].declarations == 0
    assert AuditEvent.objects.filter(action="screening.run_finish", object_id=str(run.pk)).exists()


def test_a_holders_breach_found_by_tick_opens_one_alert_for_its_office(
    holder,
    staff,
    django_capture_on_commit_callbacks,
):
    moment = clock.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert "screening.rescreen_holders" in periodic.tick(moment)
    alert = ComplianceAlert.objects.get()
    assert alert.certificate == holder and alert.status == "open"
    assert alert.office == holder.decision.application.office
    assert [reason["code"] for reason in alert.reasons] == ["serious_irregularities"]
    assert AuditEvent.objects.filter(action="screening.alert_open").count() == 1
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {staff["supervisor"].pk, staff["supervisor2"].pk}
    # The next day's re-screening finds the same breach: still one alert, no new notice.
    with django_capture_on_commit_callbacks(execute=True):
        periodic.tick(moment + dt.timedelta(days=1, minutes=1))
    assert ComplianceAlert.objects.count() == 1
    assert ScreeningRun.objects.filter(scope="holders", status="done").count() == 2
    assert Notification.objects.count() == 2


def test_an_applicant_below_the_thresholds_is_flagged_without_an_alert(
    programmes, parquet_store, write_file
):
    operator = factories.OperatorFactory(employees=3)
    services.declarations_import(
        actor=None,
        path=write_file(declarations_csv(operator.identifier, clean=5, serious=2)),
        file_name="a.csv",
    )
    run = services.screening_run_execute(services.system_run_create(scope="all").pk)
    result = ScreeningResult.objects.get(run=run, operator=operator)
    assert result.flagged
    assert ComplianceAlert.objects.count() == 0


def test_alerts_are_acknowledged_then_closed_with_a_reason(holder, staff):
    alert, created = services.alert_open(certificate=holder, reasons=[{"code": "x"}])
    assert created
    again, created = services.alert_open(certificate=holder, reasons=[{"code": "y"}])
    assert again.pk == alert.pk and not created and again.reasons == [{"code": "y"}]
    services.alert_acknowledge(actor=staff["supervisor"], alert=alert)
    with pytest.raises(services.ServiceError):
        services.alert_close(actor=staff["supervisor"], alert=alert, reason=" ")
    closed = services.alert_close(actor=staff["supervisor"], alert=alert, reason="Explained.")
    assert (closed.status, closed.close_reason) == ("closed", "Explained.")
    # Closed: a new breach opens a new alert.
    _, created = services.alert_open(certificate=holder, reasons=[{"code": "z"}])
    assert created
    actions = list(
        AuditEvent.objects.filter(action__startswith="screening.alert").values_list(
            "action", flat=True
        )
    )
    assert actions.count("screening.alert_open") == 2
    assert "screening.alert_close" in actions and "screening.alert_acknowledge" in actions


def test_a_failed_run_says_so(programmes, parquet_store, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("store unreachable")

    monkeypatch.setattr("openaeo.screening.engine.screen_counted", broken)
    factories.OperatorFactory()
    run = services.system_run_create(scope="all")
    with pytest.raises(RuntimeError):
        services.screening_run_execute(run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and "unreachable" in run.error
