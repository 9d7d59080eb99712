"""Screening work for the task worker, and the periodic re-screening of holders (tick)."""

import datetime as dt

from django.conf import settings
from django.tasks import task

from openaeo.common.periodic import register_job
from openaeo.screening import services


@task()
def run_screening(run_id: int) -> dict:
    run = services.screening_run_execute(run_id)
    return {"run": run.pk, "status": run.status, "flagged": run.flagged}


@task()
def rescreen_holders() -> dict:
    run = services.rescreen_holders()
    return {"run": run.pk, "status": run.status, "flagged": run.flagged}


register_job(
    "screening.rescreen_holders",
    every=dt.timedelta(hours=getattr(settings, "SCREENING_RESCREEN_HOURS", 24)),
    task_=rescreen_holders,
)
