"""Answers saved before the server stops (even killed mid-flight) are all there after it restarts."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from openaeo.accounts.roles import OperatorRole
from openaeo.assessments import selectors, services
from openaeo.assessments.models import Answer
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgresql://{user}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_server(port: int, tmp_path: Path) -> subprocess.Popen:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "openaeo.settings.base",
        "DATABASE_URL": _database_url(),
        # The session was signed in this process: the server must know the same key.
        "SECRET_KEY": django_settings.SECRET_KEY,
        "OPENAEO_VAR_DIR": str(tmp_path),
        "DEBUG": "true",
        "CACHE_BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "SECURE_COOKIES": "false",
    }
    env.pop("TEST_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    pytest.fail("the development server did not start")


def test_answers_survive_a_killed_server(client, programmes, tmp_path):
    business = factories.OperatorFactory(roles=["exporter"], employees=5)
    owner = factories.make_member(business, OperatorRole.OWNER)
    assessment = services.assessment_start(
        actor=owner, operator=business, programme=programmes["safe-reference"], tier_code="entry"
    )
    questions = [q for _h, _r, q in selectors.asked(assessment) if q["answer"] == "yes_no_partly"][
        :3
    ]
    client.force_login(owner)
    session_id = client.cookies["sessionid"].value

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    jar.set_cookie(
        http.cookiejar.Cookie(
            0,
            "sessionid",
            session_id,
            None,
            False,
            "127.0.0.1",
            False,
            False,
            "/",
            True,
            False,
            None,
            False,
            None,
            None,
            {},
        )
    )

    server = _start_server(port, tmp_path)
    try:
        page = opener.open(f"{base}/self-assessment/{assessment.pk}/part/1/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        for question in questions:
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "question": question["id"],
                    "value": "yes",
                    "version": "0",
                    "part": "1",
                }
            ).encode()
            request = urllib.request.Request(
                f"{base}/self-assessment/{assessment.pk}/answer/",
                data=body,
                headers={"Referer": base + "/"},
            )
            opener.open(request).read()
    finally:
        server.send_signal(signal.SIGKILL)  # no clean shutdown: like a crash
        server.wait(timeout=10)

    server = _start_server(port, tmp_path)
    try:
        page = opener.open(f"{base}/self-assessment/{assessment.pk}/part/1/").read().decode()
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert Answer.objects.filter(assessment=assessment, value="yes").count() == len(questions)
    for question in questions:
        form = re.search(
            rf'<form id="q-{re.escape(question["id"].rsplit(":", 1)[-1])}".*?</form>',
            page,
            flags=re.S,
        ).group(0)
        assert 'value="yes" checked' in form, f"{question['id']} lost its answer"
