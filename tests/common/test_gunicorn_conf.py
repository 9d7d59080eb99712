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


def exit_while_leaving(leaving, the_worker, *, threads=1):
    """Run the hook as gunicorn's arbiter does: in a `finally` while `leaving` propagates."""
    with (
        mock.patch.object(gunicorn_conf.os, "_exit") as exited,
        mock.patch.object(gunicorn_conf.logging, "shutdown") as logs_closed,
        mock.patch.object(gunicorn_conf.threading, "active_count", return_value=threads),
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
    ("leaving", "the_worker", "threads"),
    [
        (SystemExit(3), worker(), 1),  # gunicorn's WORKER_BOOT_ERROR
        (SystemExit(-1), worker(), 1),  # crashed after booting
        (SystemExit(0), worker(booted=False), 1),
        (None, worker(), 1),  # no exit under way
        (OSError("no such process"), worker(pid=1), 1),  # the master, for a worker gone
        (SystemExit(0), worker(pid=1), 1),  # not this process's worker
        (SystemExit(0), worker(), 2),  # a gthread worker's pool still answering
    ],
)
def test_anything_else_leaves_the_usual_way(leaving, the_worker, threads):
    exited, logs_closed, closed = exit_while_leaving(leaving, the_worker, threads=threads)
    exited.assert_not_called()
    logs_closed.assert_not_called()
    closed.assert_not_called()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve_and_replace_workers(tmp_path, *, hook: bool) -> tuple[list[str], set[str], str]:
    """gunicorn with one worker replaced every 2 requests, asked 6 times, then stopped.
    Returns the answers (worker process ids), the workers torn down the usual way, and
    gunicorn's log."""
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    markers = tmp_path / "torn-down"
    markers.mkdir()
    server = subprocess.Popen(  # our own gunicorn, with fixed arguments
        [
            *(sys.executable, "-m", "gunicorn", "tests.common._teardown_marker_app"),
            *(("-c", "python:openaeo.gunicorn_conf") if hook else ()),
            *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--max-requests", "2"),
            *("--log-level", "info", "--error-logfile", str(log)),
        ],
        cwd=ROOT,
        env={**os.environ, "OPENAEO_TEST_MARKER_DIR": str(markers)},
    )
    answers = []
    try:
        deadline = time.monotonic() + 30
        while len(answers) < 6 and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    answers.append(answer.read().decode())
            except OSError:  # starting, or between a worker and the next
                time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return answers, {path.name for path in markers.iterdir()}, log.read_text()


@pytest.mark.domain
def test_replaced_workers_leave_without_the_interpreter_s_teardown(tmp_path):
    answers, torn_down, log = _serve_and_replace_workers(tmp_path, hook=True)
    assert len(answers) == 6
    assert len(set(answers)) == 3  # a new worker every 2 requests
    assert torn_down == set()
    assert "exited with code" not in log
    assert "Exception during worker exit" not in log


@pytest.mark.domain
def test_without_the_hook_each_worker_is_torn_down(tmp_path):
    # The same run without the hook: what the test above would see if it did nothing.
    answers, torn_down, _log = _serve_and_replace_workers(tmp_path, hook=False)
    assert len(set(answers)) == 3
    assert set(answers) <= torn_down
