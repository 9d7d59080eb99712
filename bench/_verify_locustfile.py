"""Locust's user for bench/verify_api.py: one client asking the verify API, without pause.

Read by `locust -f` in a process of its own, configured by environment variables:

- BENCH_VERIFY_NUMBERS: a file of "AEO number<TAB>expected status" lines, from which
  each request draws one at random (real numbers and unknown ones);
- BENCH_VERIFY_MODE: "app" checks that every answer is 200 with the expected status;
  "baseline" (the fixed JSON app) checks that it is 200 with a JSON body;
- BENCH_VERIFY_PACE: requests a second for each user; unset or 0, no pause at all. Paced
  users pause for a random time (exponentially distributed, that mean), so that together
  they arrive as independent clients do. A fixed rate per user (locust's
  constant_throughput) kept the 100 users in step, started together: they asked in bursts
  of 100 requests, and the paced p99 measured how long a burst takes to drain (about 80 ms
  at 600 req/s) instead of the wait at that load.

A non-2xx answer, a body that is not JSON, or a wrong status is a failure. The requests
carry X-Forwarded-Proto: https, as the TLS proxy in front of gunicorn sends it.
"""

import json
import os
import random
from urllib.parse import quote

from locust import FastHttpUser, constant, task

MODE = os.environ.get("BENCH_VERIFY_MODE", "app")
with open(os.environ["BENCH_VERIFY_NUMBERS"], encoding="utf-8") as numbers_file:
    NUMBERS = [tuple(line.rstrip("\n").split("\t", 1)) for line in numbers_file if line.strip()]
PACE = float(os.environ.get("BENCH_VERIFY_PACE") or 0)
HEADERS = {"X-Forwarded-Proto": "https", "Accept": "application/json"}


def _pause(user) -> float:
    return random.expovariate(PACE)


class Verifier(FastHttpUser):
    # Unpaced, a closed loop: each user sends its next request as soon as it has an answer.
    wait_time = _pause if PACE else constant(0)

    @task
    def verify(self):
        number, expected = random.choice(NUMBERS)  # noqa: S311 - not for security
        path = "/api/v1/verify/" + quote(number, safe="")
        with self.client.get(
            path, headers=HEADERS, name="/api/v1/verify/{aeo_number}", catch_response=True
        ) as response:
            if not 200 <= response.status_code < 300:
                response.failure(f"HTTP {response.status_code}")
                return
            try:
                body = json.loads(response.content)
            except ValueError:
                response.failure("not JSON")
                return
            if MODE == "app" and body.get("status") != expected:
                response.failure(f"expected {expected}, got {body.get('status')}")
