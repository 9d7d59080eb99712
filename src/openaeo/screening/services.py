"""Write actions of screening: imports, runs, alerts. Each state change is audited."""

import datetime as dt
import logging
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from openaeo.common import clock
from openaeo.common.audit import record_event
from openaeo.screening import engine, importing
from openaeo.screening import thresholds as rules
from openaeo.screening.models import (
    AlertStatus,
    ComplianceAlert,
    DeclarationImport,
    ScreeningResult,
    ScreeningRun,
)
from openaeo.screening.store import PostgresStore, store_from_settings

logger = logging.getLogger(__name__)

BATCH = 2000
STALE_AFTER = dt.timedelta(hours=6)


class ServiceError(Exception):
    pass


# --- imports -----------------------------------------------------------------------------


def declarations_import(*, actor, path: Path, file_name: str, store=None) -> DeclarationImport:
    """Validate `path` and add it to the declaration store, all rows or none.

    The same file (same SHA-256) imported again changes nothing and answers the first
    import. A file with any bad row is recorded as rejected, with its report, and adds
    nothing to the store.
    """
    store = store or store_from_settings()
    digest = importing.checksum(path)
    earlier = DeclarationImport.objects.filter(checksum=digest, status="imported").first()
    if earlier:
        return earlier
    name = f"{clock.now():%Y%m%dT%H%M%S}-{digest[:16]}"
    if isinstance(store, PostgresStore):
        # The COPY and the import record commit together or not at all.
        try:
            with transaction.atomic():
                report = importing.validate_and_write(path, store=store, name=name)
                return _record_import(actor, file_name, digest, store, report)
        except IntegrityError:
            return DeclarationImport.objects.get(checksum=digest, status="imported")
    report = importing.validate_and_write(path, store=store, name=name)
    try:
        return _record_import(actor, file_name, digest, store, report)
    except IntegrityError:
        # Someone imported the same file a moment ago: keep theirs, drop ours.
        (Path(store.directory) / f"{name}.parquet").unlink(missing_ok=True)
        return DeclarationImport.objects.get(checksum=digest, status="imported")


def _record_import(actor, file_name, digest, store, report) -> DeclarationImport:
    with transaction.atomic():
        batch = DeclarationImport.objects.create(
            file_name=file_name[:255],
            checksum=digest,
            status="imported" if report.ok else "rejected",
            store=store.dialect,
            rows_total=report.rows_total,
            rows_accepted=report.rows_accepted,
            rows_rejected=report.rows_rejected,
            report=report.as_dict(),
            imported_by=actor if getattr(actor, "pk", None) else None,
            imported_at=clock.now(),
        )
        record_event(
            actor=actor,
            action="screening.import",
            obj=batch,
            after={
                "status": batch.status,
                "rows_accepted": batch.rows_accepted,
                "rows_rejected": batch.rows_rejected,
                "checksum": digest,
            },
        )
    return batch


# --- runs --------------------------------------------------------------------------------


def _progress(run: ScreeningRun, percent: int, stage: str) -> None:
    run.progress, run.stage = percent, stage
    ScreeningRun.objects.filter(pk=run.pk).update(progress=percent, stage=stage)


def _contexts(scope: str):
    """(operator, programme, tier, size class, certificate) for each business to screen.

    A holder is judged by the level it holds, an applicant by the level it applied
    for, any other registered business by the default programme's first level.
    """
    from openaeo.catalogue.models import Programme
    from openaeo.certificates.models import Certificate
    from openaeo.operators.models import EconomicOperator
    from openaeo.operators.msme import size_class_in

    certificates = {
        certificate.holder_id: certificate
        for certificate in Certificate.objects.filter(status="active")
        .select_related("programme", "decision__application")
        .order_by("issued_at")
    }
    operators = EconomicOperator.objects.order_by("pk")
    if scope == ScreeningRun.Scope.HOLDERS:
        operators = operators.filter(pk__in=list(certificates))
    default = Programme.objects.filter(is_default=True).first() or Programme.objects.first()
    latest_application = {}
    from openaeo.cases.models import Application

    for application in Application.objects.select_related("programme").order_by("submitted_at"):
        latest_application[application.operator_id] = application
    for operator in operators:
        certificate = certificates.get(operator.pk)
        if certificate:
            programme, tier_code = certificate.programme, certificate.tier_code
        elif operator.pk in latest_application:
            application = latest_application[operator.pk]
            programme, tier_code = application.programme, application.tier_code
        elif default is not None:
            programme, tier_code = default, default.config["tiers"][0]["code"]
        else:
            programme, tier_code = None, ""
        tier = programme.tier(tier_code) if programme else None
        size_class = size_class_in(operator, programme) if programme else None
        yield operator, programme, tier_code, tier, size_class, certificate


def screening_run_execute(run_id: int, *, store=None) -> ScreeningRun:
    """Screen every business in the run's scope; store one result each; open alerts."""
    run = ScreeningRun.objects.get(pk=run_id)
    if run.status not in (ScreeningRun.Status.QUEUED, ScreeningRun.Status.FAILED):
        return run  # a second delivery of the same task does nothing
    store = store or store_from_settings()
    ScreeningRun.objects.filter(pk=run.pk).update(
        status=ScreeningRun.Status.RUNNING, started_at=clock.now(), error=""
    )
    try:
        _execute(run, store)
    except Exception as error:
        logger.exception("Screening run %s failed", run.pk)
        ScreeningRun.objects.filter(pk=run.pk).update(
            status=ScreeningRun.Status.FAILED, error=str(error)[:2000], finished_at=clock.now()
        )
        raise
    run.refresh_from_db()
    return run


def _execute(run: ScreeningRun, store) -> None:
    _progress(run, 5, "preparing")
    contexts = list(_contexts(run.scope))
    judged = [(*context, rules.for_tier(context[3], context[4])) for context in contexts]
    windows = {}
    for *_ignored, limits in judged:
        windows.setdefault((limits.lookback_years, limits.confidence_level), None)
    _progress(run, 10, "querying")
    declarants = 0
    for number, (years, confidence) in enumerate(windows, start=1):
        since, until = engine.window(run.as_of, years)
        keep = [context[0].identifier for context in contexts]
        total, rows = engine.screen_counted(
            store, since=since, until=until, z=rules.z_for(confidence), keep=keep
        )
        declarants = max(declarants, total)
        windows[(years, confidence)] = (since, until, {row[0]: row for row in rows})
        _progress(run, 10 + 50 * number // len(windows), "querying")
    results, flagged, holders_flagged = [], 0, []
    for operator, programme, tier_code, _tier, size_class, certificate, limits in judged:
        since, until, rows = windows[(limits.lookback_years, limits.confidence_level)]
        row = rows.get(operator.identifier) or (
            operator.identifier,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0.0,
            1.0,
            0.0,
            1.0,
        )
        indicators = engine.Indicators.from_row(row)
        flags = rules.evaluate(indicators, limits)
        result = ScreeningResult(
            run=run,
            operator=operator,
            programme=programme,
            tier_code=tier_code,
            size_class=size_class or "",
            window_start=since,
            window_end=until - dt.timedelta(days=1),
            declarations=indicators.declarations,
            irregular_declarations=indicators.irregular_declarations,
            minor_irregularities=indicators.minor_irregularities,
            serious_irregularities=indicators.serious_irregularities,
            penalties=indicators.penalties,
            penalty_total=indicators.penalty_total,
            late_payments=indicators.late_payments,
            irregularity_rate=indicators.irregularity.rate,
            irregularity_lower=indicators.irregularity.lower,
            irregularity_upper=indicators.irregularity.upper,
            late_payment_rate=indicators.late_payment.rate,
            late_payment_lower=indicators.late_payment.lower,
            late_payment_upper=indicators.late_payment.upper,
            thresholds=limits.as_dict(),
            flags=flags,
            flagged=bool(flags),
        )
        results.append(result)
        if flags:
            flagged += 1
            if certificate is not None:
                holders_flagged.append((certificate, result))
    _progress(run, 60, "saving")
    for start in range(0, len(results), BATCH):
        ScreeningResult.objects.bulk_create(results[start : start + BATCH])
        _progress(run, 60 + 35 * min(len(results), start + BATCH) // max(len(results), 1), "saving")
    for certificate, result in holders_flagged:
        alert_open(certificate=certificate, reasons=result.flags, result=result)
    with transaction.atomic():
        ScreeningRun.objects.filter(pk=run.pk).update(
            status=ScreeningRun.Status.DONE,
            progress=100,
            stage="done",
            declarants=declarants,
            screened=len(results),
            flagged=flagged,
            finished_at=clock.now(),
        )
        run.refresh_from_db()
        record_event(
            actor=None,
            action="screening.run_finish",
            obj=run,
            after={"screened": run.screened, "flagged": run.flagged, "declarants": declarants},
        )


# --- alerts ------------------------------------------------------------------------------


def _office_of(certificate):
    decision = getattr(certificate, "decision", None)
    return decision.application.office if decision is not None else None


def _supervisors(office):
    from django.contrib.auth import get_user_model

    from openaeo.accounts.roles import StaffRole

    if office is None:
        return []
    return list(
        get_user_model()
        .objects.filter(
            staff_assignments__office=office,
            staff_assignments__role=StaffRole.SUPERVISOR,
            staff_assignments__active=True,
            is_active=True,
        )
        .distinct()
    )


def alert_open(
    *, certificate, reasons: list[dict], result=None, actor=None
) -> tuple[ComplianceAlert, bool]:
    """Open a monitoring alert for a holder's breach; (alert, created).

    While an alert is open or acknowledged, a new breach refreshes its reasons rather than
    opening a second one. The supervisors of the office that granted the certificate are
    told.
    """
    from django.urls import reverse

    from openaeo.notifications.services import notify

    with transaction.atomic():
        live = (
            ComplianceAlert.objects.select_for_update()
            .filter(certificate=certificate)
            .exclude(status=AlertStatus.CLOSED)
            .first()
        )
        if live is not None:
            before = live.reasons
            live.reasons, live.result = reasons, result or live.result
            live.save(update_fields=["reasons", "result"])
            if before != reasons:
                record_event(
                    actor=actor,
                    action="screening.alert_update",
                    obj=live,
                    before={"reasons": before},
                    after={"reasons": reasons},
                )
            return live, False
        office = _office_of(certificate)
        alert = ComplianceAlert.objects.create(
            operator_id=certificate.holder_id,
            certificate=certificate,
            result=result,
            office=office,
            reasons=reasons,
            opened_at=clock.now(),
        )
        record_event(
            actor=actor,
            action="screening.alert_open",
            obj=alert,
            after={"certificate": certificate.aeo_number, "reasons": reasons},
        )
        notify(
            _supervisors(office),
            subject=gettext_noop("Compliance alert: %(business)s (%(aeo_number)s)"),
            body=gettext_noop(
                "Screening of the declarations found that this certificate holder no longer "
                "meets the programme's compliance thresholds. Look at the alert and decide what "
                "to do."
            ),
            params={"business": certificate.holder_name, "aeo_number": certificate.aeo_number},
            url=reverse("screening:alerts"),
        )
    return alert, True


def alert_acknowledge(*, actor, alert: ComplianceAlert) -> ComplianceAlert:
    with transaction.atomic():
        alert = ComplianceAlert.objects.select_for_update().get(pk=alert.pk)
        if alert.status != AlertStatus.OPEN:
            return alert  # already done: a second click changes nothing
        alert.status = AlertStatus.ACKNOWLEDGED
        alert.acknowledged_by, alert.acknowledged_at = actor, clock.now()
        alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
        record_event(
            actor=actor,
            action="screening.alert_acknowledge",
            obj=alert,
            before={"status": "open"},
            after={"status": alert.status},
        )
    return alert


def alert_close(*, actor, alert: ComplianceAlert, reason: str) -> ComplianceAlert:
    """Close an alert with the reason (handled, false alarm, certificate suspended...)."""
    if not reason.strip():
        raise ServiceError("reason")
    with transaction.atomic():
        alert = ComplianceAlert.objects.select_for_update().get(pk=alert.pk)
        if alert.status == AlertStatus.CLOSED:
            return alert
        before = alert.status
        alert.status = AlertStatus.CLOSED
        alert.closed_by, alert.closed_at, alert.close_reason = actor, clock.now(), reason.strip()
        alert.save(update_fields=["status", "closed_by", "closed_at", "close_reason"])
        record_event(
            actor=actor,
            action="screening.alert_close",
            obj=alert,
            before={"status": before},
            after={"status": alert.status},
            reason=alert.close_reason,
        )
    return alert


def system_run_create(*, scope: str) -> ScreeningRun:
    """A run started by the system (tick, a command) rather than by a person."""
    with transaction.atomic():
        run = ScreeningRun.objects.create(scope=scope, as_of=clock.today(), created_at=clock.now())
        record_event(actor=None, action="screening.run_start", obj=run, after={"scope": scope})
    return run


def rescreen_holders() -> ScreeningRun:
    """The periodic re-screening of every certificate holder (run by tick, see tasks.py)."""
    return screening_run_execute(system_run_create(scope=ScreeningRun.Scope.HOLDERS).pk)
