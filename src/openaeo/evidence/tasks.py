"""Background work for evidence: retry the virus check, and remove content nobody refers to."""

import datetime as dt

from django.tasks import task

from openaeo.common.periodic import register_job

RESCAN_EVERY = dt.timedelta(minutes=10)


@task()
def rescan_quarantined_evidence() -> dict[str, int]:
    from openaeo.evidence.services import evidence_rescan_quarantined

    return evidence_rescan_quarantined()


@task()
def sweep_orphaned_evidence() -> int:
    from openaeo.evidence.services import evidence_sweep_orphans

    return evidence_sweep_orphans()


register_job("evidence.rescan_quarantined", every=RESCAN_EVERY, task_=rescan_quarantined_evidence)
register_job("evidence.sweep_orphans", every=dt.timedelta(days=1), task_=sweep_orphaned_evidence)
