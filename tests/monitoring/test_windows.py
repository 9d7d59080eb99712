import datetime as dt

from openaeo.monitoring import windows


def test_window_in_one_year():
    window = windows.window_of("10-01/12-31", 2026)
    assert (window.opens, window.closes) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert window.middle == dt.date(2026, 11, 15)


def test_window_across_the_new_year_belongs_to_the_year_it_opens():
    window = windows.window_around("11-15/01-31", dt.date(2027, 1, 10))
    assert window.year == 2026
    assert window.closes == dt.date(2027, 1, 31)
    assert windows.window_around("11-15/01-31", dt.date(2027, 2, 1)) is None


def test_29_february_in_a_common_year_is_the_28th():
    assert windows.window_of("02-01/02-29", 2027).closes == dt.date(2027, 2, 28)


def test_reminders_are_the_latest_due_and_each_once():
    window = windows.window_of("10-01/12-31", 2026)
    assert windows.due_reminder(window, 7, dt.date(2026, 10, 1), []) == "start"
    assert windows.due_reminder(window, 7, dt.date(2026, 10, 2), ["start"]) is None
    assert windows.due_reminder(window, 7, dt.date(2026, 11, 15), ["start"]) == "middle"
    assert windows.due_reminder(window, 7, dt.date(2026, 12, 24), ["start", "middle"]) == (
        "last_week"
    )
    # Nothing was sent before the last week (tick did not run): only the last one goes.
    assert windows.due_reminder(window, 7, dt.date(2026, 12, 26), []) == "last_week"
    assert windows.due_reminder(window, 7, dt.date(2027, 1, 1), []) is None


def test_the_programme_schema_accepts_a_monitoring_object():
    import copy

    from openaeo.catalogue.programmes import (
        read_programme,
        shipped_programme_files,
        validate_programme,
    )

    path = next(p for p in shipped_programme_files() if "safe-reference" in p.name)
    document = copy.deepcopy(read_programme(path))
    assert validate_programme(document) == []
    document["monitoring"] = {
        "default_review_window": "11-15/01-31",
        "last_reminder_days_before_end": 10,
    }
    assert validate_programme(document) == []
    document["monitoring"] = {"default_review_window": "late autumn"}
    assert validate_programme(document) != []
    document["monitoring"] = {"reminders": 3}
    assert validate_programme(document) != []


def test_reminder_days_come_from_the_programme(certificate):
    from openaeo.monitoring.services import monitoring_config

    programme = certificate.programme
    assert monitoring_config(programme)["last_reminder_days_before_end"] == 7
    programme.config = {**programme.config, "monitoring": {"last_reminder_days_before_end": 14}}
    assert monitoring_config(programme)["last_reminder_days_before_end"] == 14
    assert monitoring_config(programme)["default_review_window"] == "10-01/12-31"
