"""Periodic work, enqueued by `manage.py tick` (run it every minute from cron).

Each job has an interval; time is cut into slots of that length, and a job is
enqueued at most once per slot, recorded by a unique (job, slot) row. Running
tick twice in a minute, or from two hosts, therefore enqueues nothing twice.
Apps add their jobs with `register_job` in their tasks module.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.tasks import Task, task

from openaeo.common import clock
from openaeo.common.models import PeriodicRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    task: Task

    def slot(self, at: dt.datetime) -> str:
        seconds = int(self.every.total_seconds())
        return str(int(at.timestamp()) // seconds)


_JOBS: dict[str, PeriodicJob] = {}


def register_job(name: str, *, every: dt.timedelta, task_: Task) -> None:
    _JOBS[name] = PeriodicJob(name, every, task_)


def jobs() -> list[PeriodicJob]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


def tick(at: dt.datetime | None = None) -> list[str]:
    """Enqueue every job whose current slot has not been enqueued yet; return their names."""
    at = at or clock.now()
    enqueued = []
    for job in jobs():
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(job=job.name, slot=job.slot(at), enqueued_at=at)
                transaction.on_commit(job.task.enqueue)
        except IntegrityError:
            continue
        enqueued.append(job.name)
    return enqueued


@task()
def verify_audit_chain() -> dict:
    from openaeo.common.audit import verify_chain

    checked, broken = verify_chain()
    if broken is not None:
        logger.critical("Audit trail broken at event #%s: %s", broken.sequence, broken.reason)
        return {"checked": checked, "broken_at": broken.sequence, "reason": broken.reason}
    return {"checked": checked, "broken_at": None}


@task()
def clear_expired_sessions() -> None:
    from django.contrib.sessions.models import Session

    Session.objects.filter(expire_date__lt=clock.now()).delete()


@task()
def forget_old_periodic_runs() -> int:
    deleted, _ = PeriodicRun.objects.filter(
        enqueued_at__lt=clock.now() - dt.timedelta(days=30)
    ).delete()
    return deleted


register_job("audit.verify_chain", every=dt.timedelta(days=1), task_=verify_audit_chain)
register_job("sessions.clear_expired", every=dt.timedelta(hours=1), task_=clear_expired_sessions)
register_job("periodic.forget_old_runs", every=dt.timedelta(days=1), task_=forget_old_periodic_runs)
