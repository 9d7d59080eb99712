"""The annual review window and its reminder dates: pure date arithmetic.

A window is "MM-DD/MM-DD" (the tier's `validity.review_window`, else the programme's
`monitoring.default_review_window`). A window whose end comes before its start in the
calendar runs across the new year ("11-15/01-31" ends in January of the next year); the
review belongs to the year the window opens.
"""

import datetime as dt
from dataclasses import dataclass

DEFAULT_WINDOW = "10-01/12-31"
DEFAULT_LAST_REMINDER_DAYS = 7


@dataclass(frozen=True)
class Window:
    year: int
    opens: dt.date
    closes: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.opens <= day <= self.closes

    @property
    def middle(self) -> dt.date:
        return self.opens + (self.closes - self.opens) / 2


def _day(year: int, month_day: str) -> dt.date:
    month, day = (int(part) for part in month_day.split("-"))
    if (month, day) == (2, 29):
        # 29 February in a common year: the last day of February.
        try:
            return dt.date(year, 2, 29)
        except ValueError:
            return dt.date(year, 2, 28)
    return dt.date(year, month, day)


def window_of(spec: str, year: int) -> Window:
    start, end = spec.split("/")
    opens = _day(year, start)
    closes = _day(year, end)
    if closes < opens:
        closes = _day(year + 1, end)
    return Window(year, opens, closes)


def window_around(spec: str, day: dt.date) -> Window | None:
    """The window that contains `day`, if any (this year's, or last year's across new year)."""
    for year in (day.year, day.year - 1):
        window = window_of(spec, year)
        if window.contains(day):
            return window
    return None


def reminder_dates(window: Window, last_reminder_days: int) -> dict[str, dt.date]:
    """When each reminder is due: at the start, mid-window, and `last_reminder_days` before
    the end (never before the start)."""
    last_week = max(window.opens, window.closes - dt.timedelta(days=last_reminder_days))
    return {"start": window.opens, "middle": window.middle, "last_week": last_week}


def due_reminder(window: Window, last_reminder_days: int, day: dt.date, sent) -> str | None:
    """The latest reminder due on `day` not sent yet (earlier unsent ones are skipped)."""
    due = [
        name
        for name, when in reminder_dates(window, last_reminder_days).items()
        if when <= day and name not in sent
    ]
    if not due or not window.contains(day):
        return None
    return due[-1]
