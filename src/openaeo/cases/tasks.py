"""Periodic case work, enqueued by `manage.py tick`: silence-means-acceptance, closing
cases whose appeal period ended. Both are idempotent and safe to run twice."""

import datetime as dt

from django.tasks import task

from openaeo.common.periodic import register_job


@task()
def deem_accepted() -> int:
    from openaeo.cases.workflow import cases_deem_accepted

    return cases_deem_accepted()


@task()
def close_after_appeal_period() -> int:
    from openaeo.cases.decisions import cases_close_after_appeal_period

    return cases_close_after_appeal_period()


register_job("cases.deem_accepted", every=dt.timedelta(hours=1), task_=deem_accepted)
register_job(
    "cases.close_after_appeal_period", every=dt.timedelta(hours=1), task_=close_after_appeal_period
)
