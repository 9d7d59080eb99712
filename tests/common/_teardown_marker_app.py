"""A WSGI app for tests/common/test_gunicorn_conf.py: it answers with its process id, and
a worker whose interpreter is torn down the usual way leaves a file named after that id
in OPENAEO_TEST_MARKER_DIR (an atexit handler, which os._exit skips)."""

import atexit
import os
from pathlib import Path

_MARKERS = Path(os.environ["OPENAEO_TEST_MARKER_DIR"])


def _torn_down():
    (_MARKERS / str(os.getpid())).touch()


atexit.register(_torn_down)  # imported in each worker: the test runs gunicorn without --preload


def application(environ, start_response):
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
