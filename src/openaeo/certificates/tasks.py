"""Periodic certificate work, enqueued by `manage.py tick`: expiry at the end of validity,
renewal notices, and the remedy deadlines of suspensions. Each tells people once."""

import datetime as dt

from django.tasks import task

from openaeo.common.periodic import register_job


@task()
def expire_due() -> int:
    from openaeo.certificates.services import certificates_expire_due

    return certificates_expire_due()


@task()
def renewal_notices() -> int:
    from openaeo.certificates.services import certificates_renewal_notices

    return certificates_renewal_notices()


@task()
def remedy_deadlines() -> int:
    from openaeo.certificates.services import certificates_remedy_deadlines

    return certificates_remedy_deadlines()


register_job("certificates.expire_due", every=dt.timedelta(hours=1), task_=expire_due)
register_job("certificates.renewal_notices", every=dt.timedelta(hours=1), task_=renewal_notices)
register_job("certificates.remedy_deadlines", every=dt.timedelta(hours=1), task_=remedy_deadlines)
