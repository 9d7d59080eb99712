"""prepared_cursor: the database prepares the statement once per connection, on PostgreSQL."""

import pytest
from django.db import DatabaseError, connection

from openaeo.common.prepared_statements import prepared_cursor

pytestmark = pytest.mark.django_db

MARK = "openaeo_prepared_statements_test"


def _prepared_here() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{MARK}%"]
        )
        return cursor.fetchone()[0]


def _ask(number: int):
    with prepared_cursor(connection) as cursor:
        cursor.execute(f"SELECT CAST(%s AS integer) + 1 AS {MARK}", [number])
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_on_postgresql_the_statement_is_prepared_once(django_assert_num_queries):
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["OPTIONS"]["prepare_threshold"] is not None
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    runs = threshold + 3
    with django_assert_num_queries(runs):  # counted and logged like any other query
        assert [_ask(number) for number in range(runs)] == [number + 1 for number in range(runs)]
    assert _prepared_here() == 1


@pytest.mark.postgres
def test_django_s_own_queries_are_not_prepared():
    for _ in range(10):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT CAST(%s AS integer) AS {MARK}", [1])
    assert _prepared_here() == 0


def test_errors_are_django_s_database_errors():
    with pytest.raises(DatabaseError), prepared_cursor(connection) as cursor:
        cursor.execute("SELECT no_such_column FROM no_such_table")


def test_the_cursor_answers_on_every_database(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert _ask(41) == 42


@pytest.mark.parametrize(
    ("conn_max_age", "asked", "threshold"),
    [
        ("60", None, 5),  # persistent connections: on
        ("0", None, None),  # a connection a request would never reuse a plan: off
        ("60", "false", None),  # behind a pooler that cannot carry them
        ("0", "true", 5),
    ],
)
def test_the_settings_turn_them_on_with_persistent_connections(conn_max_age, asked, threshold):
    import os
    import subprocess
    import sys

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_PREPARED_STATEMENTS", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DATABASE_URL="postgres://openaeo@db.invalid:5432/openaeo",
        DATABASE_CONN_MAX_AGE=conn_max_age,
        SECRET_KEY="settings-test-" + "x" * 50,
    )
    if asked is not None:
        env["DATABASE_PREPARED_STATEMENTS"] = asked
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from openaeo.settings import base; "
            "print(base.DATABASES['default'].get('OPTIONS', {}).get('prepare_threshold'))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert printed == str(threshold)
