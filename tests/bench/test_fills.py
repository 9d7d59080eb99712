"""The benchmarks fill their data with SQL written against our tables: run each fill, small,
so that a migration the SQL no longer matches fails here and not at `make bench` time."""

import pytest

from bench import feed_export, work_queue
from openaeo.cases.models import Application, ApplicationKind
from openaeo.certificates.models import Certificate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_feed_export_fill_gives_one_granted_case_and_certificate_per_business():
    feed_export.fill(40)
    assert Certificate.objects.count() == 40
    cases = Application.objects.all()
    assert cases.count() == 40
    assert set(cases.values_list("kind", flat=True)) == {ApplicationKind.APPLICATION}
    assert Certificate.objects.filter(aeo_number="KE-AEOF-000000040").exists()


def test_the_work_queue_fill_gives_the_cases_asked_for():
    work_queue.fill(300)
    assert Application.objects.count() == 300
    assert not Application.objects.exclude(kind=ApplicationKind.APPLICATION).exists()
    assert Application.objects.exclude(office=None).count() == 300
