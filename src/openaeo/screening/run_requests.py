"""Asking for a screening run: it is recorded, audited and queued for the task worker.

Apart from services.py because the worker's task (tasks.run_screening) calls services: a
module that queues the task and is called by it would be an import cycle.
"""

import datetime as dt

from django.db import transaction

from openaeo.common import clock
from openaeo.common.audit import record_event
from openaeo.screening.models import ScreeningRun
from openaeo.screening.services import STALE_AFTER
from openaeo.screening.tasks import run_screening


def screening_run_start(*, actor, scope: str = "all", as_of: dt.date | None = None) -> ScreeningRun:
    """Record a run and queue it; the task worker does the work (tasks.run_screening).

    While a run of the same scope waits or runs, that run is the answer: a second click
    does not queue the same work twice.
    """
    with transaction.atomic():
        waiting = (
            ScreeningRun.objects.select_for_update()
            .filter(
                scope=scope,
                status__in=[ScreeningRun.Status.QUEUED, ScreeningRun.Status.RUNNING],
                # A run the worker lost (a crash, a restart) must not block new ones forever.
                created_at__gte=clock.now() - STALE_AFTER,
            )
            .first()
        )
        if waiting is not None:
            return waiting
        run = ScreeningRun.objects.create(
            scope=scope,
            as_of=as_of or clock.today(),
            started_by=actor if getattr(actor, "pk", None) else None,
            created_at=clock.now(),
        )
        record_event(actor=actor, action="screening.run_start", obj=run, after={"scope": scope})
        transaction.on_commit(lambda: run_screening.enqueue(run.pk))
    return run
