"""Certificates: every test here signs with keys of its own (tests.scenarios.certificates)."""

import pytest


@pytest.fixture(autouse=True)
def _own_keys(keys_dir):
    pass
