import datetime as dt
import io

import pytest
from django.core.management import call_command

from openaeo.common.signing_keys import create_key, ensure_key, list_keys

pytestmark = pytest.mark.domain


def test_first_key_is_created_once(tmp_path):
    moment = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    key, created = ensure_key(tmp_path, now=moment)
    again, created_again = ensure_key(tmp_path, now=moment)
    assert created and not created_again and again == key
    assert oct(key.path.stat().st_mode & 0o777) == "0o600"


def test_rotation_keeps_older_keys_and_signs_with_the_newest(tmp_path):
    old = create_key(tmp_path, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    new = create_key(tmp_path, now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    assert [key.kid for key in list_keys(tmp_path)] == [old.kid, new.kid]
    message = b"AEO status"
    signature = old.private_key().sign(message)
    old.public_key().verify(signature, message)  # raises if the retired key no longer verifies


@pytest.mark.django_db
def test_keys_command_rotates(settings, tmp_path):
    settings.OPENAEO_KEYS_DIR = tmp_path
    call_command("keys", "init", stdout=io.StringIO())
    out = io.StringIO()
    call_command("keys", "rotate", stdout=out)
    assert "1 older key(s) kept" in out.getvalue()
    assert len(list_keys(tmp_path)) == 2
