"""The offline verifier, run as the installed console script: no Django, no network."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from openaeo.certificates import credentials, services
from tests import factories

pytestmark = pytest.mark.django_db

SCRIPT = Path(sys.executable).parent / "openaeo-verify"
REASON = "Checked in the course of the annual review."


def run(*args, stdin=None):
    # A bare environment: no DJANGO_SETTINGS_MODULE, and no proxy to reach anything.
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONNOUSERSITE": "1"}
    return subprocess.run(
        [str(SCRIPT), *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.fixture
def files(certify, tmp_path):
    """The credential, the JWKS and the two status lists of a fresh certificate, as files."""
    certificate = certify(factories.OperatorFactory(legal_name="Kisumu Fresh Produce"))

    def write():
        paths = {"credential": tmp_path / "credential.jwt", "jwks": tmp_path / "jwks.json"}
        paths["credential"].write_text(credentials.certificate_jwt(certificate))
        paths["jwks"].write_text(json.dumps(credentials.jwks()))
        for purpose in ("revocation", "suspension"):
            status_list = services.status_list_current(certificate.status_list, purpose)
            paths[purpose] = tmp_path / f"{purpose}.jwt"
            paths[purpose].write_text(status_list.credential_jwt)
        return paths

    # Check as of a day after the effective date (the helper's certificates start later).
    at = f"{certificate.effective_on.isoformat()}T12:00:00Z"
    return certificate, write, at


def test_the_script_is_installed_and_needs_no_django():
    assert SCRIPT.exists(), "run `pip install -e .` to install the console script"
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, openaeo.certificates.verify_cli; sys.exit('django' in sys.modules)",
        ],
        capture_output=True,
        env={"PATH": os.environ.get("PATH", "")},
        check=False,
    )
    assert probe.returncode == 0, probe.stderr


def test_valid(files):
    certificate, write, at = files
    paths = write()
    result = run(
        paths["credential"],
        "--jwks",
        paths["jwks"],
        "--status-list",
        paths["revocation"],
        "--status-list",
        paths["suspension"],
        "--at",
        at,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("VALID: ")
    assert certificate.aeo_number in result.stdout and "Kisumu Fresh Produce" in result.stdout
    assert "Revocation and suspension checked" in result.stdout


def test_valid_from_stdin_without_lists_says_what_was_not_checked(files):
    _certificate, write, at = files
    paths = write()
    result = run("-", "--jwks", paths["jwks"], "--at", at, stdin=paths["credential"].read_text())
    assert result.returncode == 0
    assert "Not checked" in result.stdout


def test_tampered(files):
    _certificate, write, at = files
    paths = write()
    header, payload, signature = paths["credential"].read_text().split(".")
    # Change one character of the payload.
    changed = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    paths["credential"].write_text(f"{header}.{changed}.{signature}")
    result = run(paths["credential"], "--jwks", paths["jwks"], "--at", at)
    assert result.returncode == 1
    assert result.stdout.startswith("INVALID: ")


def test_not_yet_valid_is_invalid(files):
    _certificate, write, _at = files
    paths = write()
    result = run(paths["credential"], "--jwks", paths["jwks"], "--at", "2000-01-01T00:00:00Z")
    assert result.returncode == 1
    assert "not valid before" in result.stdout


@pytest.mark.parametrize(
    ("service", "word"),
    [(services.certificate_revoke, "REVOKED"), (services.certificate_suspend, "SUSPENDED")],
)
def test_revoked_or_suspended_through_the_status_list(files, staff, service, word):
    certificate, write, at = files
    service(actor=staff["supervisor"], certificate=certificate, reason=REASON)
    paths = write()
    result = run(
        paths["credential"],
        "--jwks",
        paths["jwks"],
        "--status-list",
        paths["revocation"],
        "--status-list",
        paths["suspension"],
        "--at",
        at,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout.startswith(f"{word}: ")


def test_a_forged_status_list_is_refused(files, tmp_path):
    _certificate, write, at = files
    paths = write()
    other_jwks = tmp_path / "other.json"
    other_jwks.write_text(json.dumps({"keys": []}))
    result = run(
        paths["credential"], "--jwks", other_jwks, "--status-list", paths["revocation"], "--at", at
    )
    assert result.returncode == 1


def test_missing_file_is_not_a_verdict(tmp_path):
    result = run(tmp_path / "nothing.jwt", "--jwks", tmp_path / "none.json")
    assert result.returncode == 3
    assert run().returncode == 3  # usage error, not "revoked"
