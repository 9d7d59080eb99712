"""Periodic work through `tick`, and e-mail through the database task queue and its worker."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from openaeo.common import periodic
from openaeo.common.models import PeriodicRun

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@override_settings(TASKS=DB_TASKS)
def test_tick_enqueues_each_job_once_per_slot():

    moment = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
    first = periodic.tick(moment)
    assert set(first) == {job.name for job in periodic.jobs()}
    assert periodic.tick(moment + dt.timedelta(seconds=30)) == []
    assert PeriodicRun.objects.count() == len(first)
    hourly = periodic.tick(moment + dt.timedelta(hours=1))
    # An hour later, the jobs that run at least hourly are due again; the daily ones are not.
    assert hourly == [job.name for job in periodic.jobs() if job.every <= dt.timedelta(hours=1)]
    assert "sessions.clear_expired" in hourly and "audit.verify_chain" not in hourly


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_tick_command_then_worker_runs_the_jobs():
    from django_tasks_db.models import DBTaskResult

    out = io.StringIO()
    call_command("tick", stdout=out)
    assert "audit.verify_chain" in out.getvalue()
    call_command("tick", stdout=out)
    assert "Nothing due." in out.getvalue()
    queued = DBTaskResult.objects.count()
    assert queued == len(periodic.jobs())
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == queued


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_email_waits_in_the_queue_until_the_worker_sends_it():
    from django.db import transaction

    from openaeo.common.mail import queue_email

    with transaction.atomic():
        queue_email(subject="Hello", body="Your application moved.", to=["owner@example.test"])
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    assert [message.subject for message in mail.outbox] == ["Hello"]


@pytest.mark.django_db(transaction=True)
def test_no_email_for_a_change_that_rolled_back():
    from django.db import transaction

    from openaeo.common.mail import queue_email

    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email(subject="Never", body="-", to=["owner@example.test"])
        raise RuntimeError("the change failed")
    assert mail.outbox == []
