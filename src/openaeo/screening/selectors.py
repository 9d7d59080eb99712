"""Reading screening: runs, results, alerts, and an operator's declarations in the store."""

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404

from openaeo.screening import engine, policy
from openaeo.screening.models import (
    AlertStatus,
    ComplianceAlert,
    DeclarationImport,
    ScreeningResult,
    ScreeningRun,
)
from openaeo.screening.store import store_from_settings


def runs() -> QuerySet[ScreeningRun]:
    return ScreeningRun.objects.select_related("started_by")


def run(run_id: int) -> ScreeningRun:
    try:
        return ScreeningRun.objects.get(pk=run_id)
    except ScreeningRun.DoesNotExist:
        raise Http404 from None


def results_of(run: ScreeningRun, *, flagged_only: bool = False) -> QuerySet[ScreeningResult]:
    results = run.results.select_related("operator").order_by("-flagged", "operator__legal_name")
    return results.filter(flagged=True) if flagged_only else results


def imports() -> QuerySet[DeclarationImport]:
    return DeclarationImport.objects.select_related("imported_by")


def import_batch(import_id: int) -> DeclarationImport:
    try:
        return DeclarationImport.objects.get(pk=import_id)
    except DeclarationImport.DoesNotExist:
        raise Http404 from None


def latest_result(operator) -> ScreeningResult | None:
    """The operator's result in the most recent finished run that screened it."""
    return (
        ScreeningResult.objects.filter(operator=operator, run__status=ScreeningRun.Status.DONE)
        .select_related("run", "programme")
        .order_by("-run__finished_at", "-run_id")
        .first()
    )


def alerts_visible_to(user, status: str = "") -> QuerySet[ComplianceAlert]:
    alerts = ComplianceAlert.objects.select_related("operator", "certificate", "office", "result")
    offices = policy.alert_office_ids(user)
    if offices is not None:
        alerts = alerts.filter(office_id__in=offices)
    if status in AlertStatus.values:
        alerts = alerts.filter(status=status)
    return alerts


def alert_for(user, alert_id: int) -> ComplianceAlert:
    alert = alerts_visible_to(user).filter(pk=alert_id).first()
    if alert is None or not policy.can_act_on_alert(user, alert):
        raise Http404
    return alert


def breakdown(result: ScreeningResult, store=None) -> list[dict]:
    """The data behind a result: records by year, type and severity, from the store."""
    store = store or store_from_settings()
    rows = store.query(
        engine.BREAKDOWN_SQL,
        {
            "declarant": result.operator.identifier,
            "since": result.window_start,
            "until": result.window_end + dt.timedelta(days=1),
        },
    )
    keys = ("year", "record_type", "severity", "records", "penalties", "penalty_total", "late")
    return [dict(zip(keys, (int(row[0]), *row[1:]), strict=True)) for row in rows]


class DeclarationPage:
    """The operator's declarations, newest first, one page at a time (LIMIT/OFFSET)."""

    def __init__(self, identifier: str, number: int, per_page: int = 50, store=None):
        store = store or store_from_settings()
        found = store.query(engine.COUNT_SQL, {"declarant": identifier})
        self.count = int(found[0][0]) if found else 0
        self.pages = max(1, -(-self.count // per_page))
        self.number = min(max(number, 1), self.pages)
        keys = (
            "record_type",
            "declaration_id",
            "declaration_type",
            "lodgement_date",
            "customs_office",
            "inspection_outcome",
            "severity",
            "penalty_amount",
            "late_payment",
        )
        rows = store.query(
            engine.DECLARATIONS_SQL,
            {
                "declarant": identifier,
                "limit": per_page,
                "offset": (self.number - 1) * per_page,
            },
        )
        self.rows = [dict(zip(keys, row, strict=True)) for row in rows]

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def case_panel(operator) -> dict:
    """What the case page's compliance panel shows: the latest result, its reasons, its data."""
    from openaeo.screening.messages import flag_text

    result = latest_result(operator)
    if result is None:
        return {"result": None}
    try:
        rows = breakdown(result)
    except Exception:  # the store is unreachable: show the stored figures without the detail
        rows = None
    return {
        "result": result,
        "reasons": [flag_text(flag) for flag in result.flags],
        "breakdown": rows,
    }
