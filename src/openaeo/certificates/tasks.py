"""Periodic certificate work, enqueued by `manage.py tick`: expiry at the end of validity."""

import datetime as dt

from django.tasks import task

from openaeo.common.periodic import register_job


@task()
def expire_due() -> int:
    from openaeo.certificates.services import certificates_expire_due

    return certificates_expire_due()


register_job("certificates.expire_due", every=dt.timedelta(hours=1), task_=expire_due)
