"""Certificates: signing keys in a folder of the test's own, and certificates built fast."""

import pytest

from openaeo.common import clock
from openaeo.common.signing_keys import create_key
from tests.cases.conftest import assessment, business, case, owner, port, scenario_day, staff  # noqa: F401
from tests.certificates.helpers import make_certificate


@pytest.fixture(autouse=True)
def keys_dir(settings, tmp_path):
    settings.OPENAEO_KEYS_DIR = tmp_path / "keys"
    create_key(settings.OPENAEO_KEYS_DIR, now=clock.now())
    return settings.OPENAEO_KEYS_DIR


@pytest.fixture
def certify(programmes, staff, port):  # noqa: F811 - the fixtures imported above
    """`certify(operator)`: an active certificate of the SAFE reference programme."""

    def make(operator, **extra):
        return make_certificate(
            operator,
            programmes["safe-reference"],
            office=port,
            validator=staff["validator"],
            supervisor=staff["supervisor"],
            **extra,
        )

    return make
