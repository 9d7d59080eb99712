"""Deadline arithmetic on a programme's calendar (pure: dates in, dates out).

Statutory periods are counted in calendar days or in working days, skipping the
programme's weekend days and public holidays. Day 0 is the day the period
starts (for example the day of submission); the deadline is the last day on
which Customs may still act.
"""

import datetime as dt
from dataclasses import dataclass

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Calendar:
    weekend: frozenset[str]
    holidays: frozenset[dt.date]

    @classmethod
    def from_config(cls, calendar: dict) -> "Calendar":
        return cls(
            weekend=frozenset(calendar.get("weekend", [])),
            holidays=frozenset(dt.date.fromisoformat(day) for day in calendar.get("holidays", [])),
        )

    def is_working_day(self, day: dt.date) -> bool:
        return WEEKDAYS[day.weekday()] not in self.weekend and day not in self.holidays


def add_period(start: dt.date, days: int, *, working_days: bool, calendar: Calendar) -> dt.date:
    """The date `days` days after `start`, counting only working days when asked to.

    A calendar-day deadline that falls on a non-working day moves to the next
    working day, as most administrative law provides.
    """
    if days < 0:
        raise ValueError("a period cannot be negative")
    if not working_days:
        end = start + dt.timedelta(days=days)
        while not calendar.is_working_day(end):
            end += dt.timedelta(days=1)
        return end
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def days_left(deadline: dt.date, today: dt.date) -> int:
    return (deadline - today).days


def days_between(start: dt.date, end: dt.date, *, working_days: bool, calendar: Calendar) -> int:
    """How many days of a period lie after `start` up to and including `end`.

    The inverse of `add_period` for working days: counting from `start` to
    `add_period(start, n, working_days=True, ...)` gives `n`. Used to measure how
    long a clock was stopped. Zero when `end` is not after `start`.
    """
    if end <= start:
        return 0
    if not working_days:
        return (end - start).days
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if calendar.is_working_day(start + dt.timedelta(days=offset))
    )


def decision_deadline(
    start: dt.date,
    *,
    days: int,
    working_days: bool,
    calendar: Calendar,
    paused_days: int = 0,
    extension_days: int = 0,
) -> dt.date:
    """The decision deadline of a case whose clock started on `start`.

    The statutory period is lengthened by the days the clock was stopped (while
    Customs waited for the applicant) and by any extension granted with a reason.
    `paused_days` is counted in the same unit as the period (working or calendar days).
    """
    if paused_days < 0 or extension_days < 0:
        raise ValueError("pauses and extensions cannot be negative")
    return add_period(
        start, days + paused_days + extension_days, working_days=working_days, calendar=calendar
    )


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, or the month's last day if it is shorter.

    31 January plus one month is 28 (or 29) February: a period stated in months
    never spills into the month after.
    """
    if months < 0:
        raise ValueError("a period cannot be negative")
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(start.day, last_day))
