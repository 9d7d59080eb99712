"""A backup made with ops/backup.sh restores with ops/restore.sh, audit trail intact."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection, transaction

from openaeo.common.audit import record_event

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _url(settings_dict, name):
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or "5432"
    return f"postgresql://{user}{password}@{host}:{port}/{name}"


def test_backup_and_restore_keep_the_audit_trail_verifiable(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore are tested in the PostgreSQL tier")
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.fail("pg_dump and pg_restore must be installed for the PostgreSQL tier")
    with transaction.atomic():
        for n in range(3):
            record_event(actor=None, action=f"test.backup{n}")
    source = _url(connection.settings_dict, connection.settings_dict["NAME"])
    dump = subprocess.run(
        [ROOT / "ops/backup.sh", source, tmp_path], check=True, capture_output=True, text=True
    ).stdout.strip()
    target_name = f"openaeo_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target_name}"')
    try:
        env = os.environ | {"PYTHON": sys.executable, "SECRET_KEY": "restore-test-secret"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        result = subprocess.run(
            [ROOT / "ops/restore.sh", dump, _url(connection.settings_dict, target_name)],
            capture_output=True,
            text=True,
            env=env,
        )
        assert result.returncode == 0, result.stderr
        assert "Audit trail intact: 3 events verified." in result.stdout
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
