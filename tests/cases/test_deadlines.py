import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openaeo.cases.deadlines import (
    Calendar,
    add_months,
    add_period,
    days_between,
    decision_deadline,
)

pytestmark = pytest.mark.domain

WEEKEND = Calendar(weekend=frozenset({"sat", "sun"}), holidays=frozenset({dt.date(2026, 12, 25)}))


def test_working_days_skip_weekends_and_holidays():
    # Friday 18 Dec 2026 + 10 working days: skips two weekends and Christmas Day.
    assert add_period(dt.date(2026, 12, 18), 10, working_days=True, calendar=WEEKEND) == dt.date(
        2027, 1, 4
    )


def test_calendar_days_ending_on_a_weekend_move_to_monday():
    assert add_period(dt.date(2026, 11, 27), 1, working_days=False, calendar=WEEKEND) == dt.date(
        2026, 11, 30
    )


def test_a_programme_with_a_sunday_weekend():
    sunday_only = Calendar(weekend=frozenset({"sun"}), holidays=frozenset())
    assert add_period(dt.date(2026, 11, 27), 2, working_days=True, calendar=sunday_only) == dt.date(
        2026, 11, 30
    )


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.integers(0, 400),
    st.integers(0, 30),
)
def test_a_longer_period_never_ends_earlier(start, days, extra):
    for working in (True, False):
        first = add_period(start, days, working_days=working, calendar=WEEKEND)
        later = add_period(start, days + extra, working_days=working, calendar=WEEKEND)
        assert first <= later
        if days + extra > 0:
            assert WEEKEND.is_working_day(later)


@given(
    start=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)),
    days=st.integers(min_value=0, max_value=400),
)
def test_counting_working_days_undoes_adding_them(start, days):
    calendar = Calendar(
        weekend=frozenset({"fri", "sat"}), holidays=frozenset({dt.date(2026, 12, 25)})
    )
    end = add_period(start, days, working_days=True, calendar=calendar)
    assert days_between(start, end, working_days=True, calendar=calendar) == days


@given(
    start=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)),
    days=st.integers(min_value=1, max_value=200),
    paused=st.integers(min_value=0, max_value=100),
    more=st.integers(min_value=0, max_value=100),
    working=st.booleans(),
)
def test_a_longer_pause_never_brings_the_decision_forward(start, days, paused, more, working):
    calendar = Calendar(weekend=frozenset({"sat", "sun"}), holidays=frozenset())
    shorter = decision_deadline(
        start, days=days, working_days=working, calendar=calendar, paused_days=paused
    )
    longer = decision_deadline(
        start, days=days, working_days=working, calendar=calendar, paused_days=paused + more
    )
    assert longer >= shorter >= start
    no_pause = add_period(start, days, working_days=working, calendar=calendar)
    assert decision_deadline(start, days=days, working_days=working, calendar=calendar) == no_pause


def test_a_pause_counts_the_days_the_clock_stood_still():
    calendar = Calendar(weekend=frozenset({"sat", "sun"}), holidays=frozenset())
    # Stopped on Tuesday 3 March 2026, restarted on Tuesday 10 March.
    monday, tuesday = dt.date(2026, 3, 9), dt.date(2026, 3, 3)
    assert days_between(tuesday, dt.date(2026, 3, 10), working_days=False, calendar=calendar) == 7
    assert days_between(tuesday, dt.date(2026, 3, 10), working_days=True, calendar=calendar) == 5
    assert days_between(monday, monday, working_days=True, calendar=calendar) == 0
    with pytest.raises(ValueError):
        decision_deadline(monday, days=5, working_days=True, calendar=calendar, paused_days=-1)


def test_months_end_on_the_same_day_or_the_last_day_of_a_shorter_month():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)
    assert add_months(dt.date(2026, 12, 1), 0) == dt.date(2026, 12, 1)


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.integers(0, 60),
)
def test_a_period_in_months_lands_in_the_right_month(start, months):
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == start.day or (end.day < start.day and (end + dt.timedelta(days=1)).day == 1)
