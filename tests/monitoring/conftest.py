"""Monitoring: certificates of the SAFE reference programme (entry level: annual self-review,
window 1 October - 31 December), in effect since 2025, with their holder's people."""

import datetime as dt

import pytest

from openaeo.accounts.roles import OperatorRole
from openaeo.certificates.models import Certificate
from tests import factories
from tests.cases.conftest import assessment, business, case, owner, port, scenario_day, staff  # noqa: F401
from tests.certificates.conftest import certify, keys_dir  # noqa: F401
from tests.evidence.conftest import FakeScanner, media_root, use_scanner  # noqa: F401

IN_EFFECT = dt.date(2025, 1, 1)


@pytest.fixture
def certificate(certify, business, owner):  # noqa: F811
    certificate = certify(business)
    Certificate.objects.filter(pk=certificate.pk).update(effective_on=IN_EFFECT)
    certificate.refresh_from_db()
    return certificate


@pytest.fixture
def editor(business):  # noqa: F811
    return factories.make_member(business, OperatorRole.EDITOR)


@pytest.fixture
def viewer(business):  # noqa: F811
    return factories.make_member(business, OperatorRole.VIEWER)


@pytest.fixture
def stranger(db):
    """The owner of another business."""
    return factories.make_member(factories.OperatorFactory(), OperatorRole.OWNER)
