"""gunicorn settings that need code: `gunicorn openaeo.wsgi -c python:openaeo.gunicorn_conf`.

The command-line options stay in docs/operations.md; this module holds the one hook.

A worker replaced after --max-requests used to spend about 0.3 s of CPU leaving: the
interpreter's shutdown tears down every module and walks the whole heap it shares with
the master, copying each page it writes to. With five busy workers replaced every
2,000 requests that was a seventh of the CPU a verification lookup costs under load
(bench/verify_api.py). A worker that ends normally, with no other thread still running,
now closes its database connections, flushes the logs and leaves at once. (A gthread
worker may still be answering in its pool after its graceful timeout; a normal exit waits
for those threads, so it leaves the usual way.)
"""

import logging
import os
import sys
import threading


def worker_exit(server, worker):
    """Called in the worker as it ends (gunicorn's arbiter, in a `finally` around it), and
    in the master for a worker found already gone."""
    leaving = sys.exception()  # in the worker: the SystemExit on its way out, with its status
    ending_normally = (
        isinstance(leaving, SystemExit)
        and leaving.code in (0, None)
        and worker.booted
        and worker.pid == os.getpid()
        and threading.active_count() == 1
    )
    if not ending_normally:
        # The master carries on; a worker that failed to start or crashed leaves the usual
        # way, with its status and its last messages, for the master to act on; so does
        # one whose threads are still at work.
        return
    from django.apps import apps
    from django.db import connections

    if apps.ready:  # an application without Django (bench/_fixed_json_app.py) has none
        connections.close_all()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
