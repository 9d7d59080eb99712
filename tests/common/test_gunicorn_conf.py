"""The worker_exit hook: a worker ending normally leaves at once; nothing else changes."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest

from openaeo import gunicorn_conf

ROOT = Path(__file__).resolve().parents[2]


def worker(*, booted=True, pid=None):
    return SimpleNamespace(booted=booted, pid=os.getpid() if pid is None else pid)


def exit_while_leaving(leaving, the_worker):
    """Run the hook as gunicorn's arbiter does: in a `finally` while `leaving` propagates."""
    with (
        mock.patch.object(gunicorn_conf.os, "_exit") as exited,
        mock.patch.object(gunicorn_conf.logging, "shutdown") as logs_closed,
        mock.patch("django.db.connections.close_all") as closed,
    ):
        try:
            try:
                if leaving is not None:
                    raise leaving
            finally:
                gunicorn_conf.worker_exit(server=None, worker=the_worker)
        except BaseException as error:
            assert error is leaving
    return exited, logs_closed, closed


@pytest.mark.domain
@pytest.mark.parametrize("code", [0, None])
def test_a_worker_ending_normally_closes_its_connections_and_leaves_at_once(code):
    exited, logs_closed, closed = exit_while_leaving(SystemExit(code), worker())
    exited.assert_called_once_with(0)
    logs_closed.assert_called_once()
    closed.assert_called_once()


@pytest.mark.domain
@pytest.mark.parametrize(
    ("leaving", "the_worker"),
    [
        (SystemExit(3), worker()),  # gunicorn's WORKER_BOOT_ERROR
        (SystemExit(-1), worker()),  # crashed after booting
        (SystemExit(0), worker(booted=False)),
        (None, worker()),  # no exit under way
        (OSError("no such process"), worker(pid=1)),  # the master, for a worker already gone
        (SystemExit(0), worker(pid=1)),  # not this process's worker
    ],
)
def test_anything_else_leaves_the_usual_way(leaving, the_worker):
    exited, logs_closed, closed = exit_while_leaving(leaving, the_worker)
    exited.assert_not_called()
    logs_closed.assert_not_called()
    closed.assert_not_called()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.domain
def test_gunicorn_keeps_answering_as_workers_are_replaced(tmp_path):
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(  # our own gunicorn, with fixed arguments
        [
            *(sys.executable, "-m", "gunicorn", "bench._fixed_json_app"),
            *("-c", "python:openaeo.gunicorn_conf", "--bind", f"127.0.0.1:{port}"),
            *("--workers", "1", "--max-requests", "2", "--log-level", "info"),
            *("--error-logfile", str(log)),
        ],
        cwd=ROOT,
    )
    try:
        answers = []
        deadline = time.monotonic() + 30
        while len(answers) < 6 and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    answers.append(answer.status)
            except OSError:  # starting, or between a worker and the next
                time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert answers == [200] * 6
    assert text.count("Booting worker") >= 3
    assert "exited with code" not in text
    assert "Exception during worker exit" not in text
