"""Monitoring: certificates of the SAFE reference programme (entry level: annual self-review,
window 1 October - 31 December), in effect since 2025, with their holder's people."""

import datetime as dt

import pytest

from openaeo.accounts.roles import OperatorRole
from tests import factories
from tests.scenarios.certificates import in_effect

IN_EFFECT = dt.date(2025, 1, 1)


@pytest.fixture(autouse=True)
def _own_keys_and_media(keys_dir, media_root):
    """Every test here signs with keys of its own and stores files in a folder of its own."""


@pytest.fixture
def certificate(certify, business, owner):
    return in_effect(certify(business), IN_EFFECT)


@pytest.fixture
def editor(business):
    return factories.make_member(business, OperatorRole.EDITOR)


@pytest.fixture
def viewer(business):
    return factories.make_member(business, OperatorRole.VIEWER)


@pytest.fixture
def stranger(db):
    """The owner of another business."""
    return factories.make_member(factories.OperatorFactory(), OperatorRole.OWNER)
