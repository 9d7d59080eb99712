"""The project clock in tests: `at(day)`, and the fixed day the case scenario starts on."""

import datetime as dt

import pytest

from openaeo.common import clock

# The day a case's story starts. The case tests date later steps on fixed days (accepted on
# 2 March 2026, decided on 4 May 2026, deemed accepted by 31 December 2026, ...), so the
# business, its people and its case are made on a fixed day before all of them, and the test
# runs on that day unless it moves the clock itself. Dating them from the wall clock made the
# suite pass or fail by the day it ran.
SCENARIO_START = dt.datetime(2026, 2, 27, 10, 0, tzinfo=dt.UTC)


def at(day: str | dt.date):
    """Freeze the project clock at 10:00 UTC of `day` (an ISO date, or a date)."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return clock.frozen_at(dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC))


@pytest.fixture
def scenario_day():
    with clock.frozen_at(SCENARIO_START):
        yield SCENARIO_START
