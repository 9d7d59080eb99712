"""Periodic monitoring work, enqueued by `manage.py tick`: the annual self-reviews."""

import datetime as dt

from django.tasks import task

from openaeo.common.periodic import register_job


@task()
def self_reviews() -> dict:
    from openaeo.monitoring.services import self_reviews_run

    return self_reviews_run()


# Hourly, like certificate expiry: every step is idempotent, so a missed or doubled run
# neither loses nor repeats a reminder.
register_job("monitoring.self_reviews", every=dt.timedelta(hours=1), task_=self_reviews)
