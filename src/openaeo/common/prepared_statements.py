"""A database cursor for the few SQL texts that run on every public lookup.

Django's PostgreSQL cursors bind parameters on the client: psycopg writes each value into
the SQL text, and PostgreSQL parses and plans the text anew each time. For a query that
runs on every verification request, the same text with another number, that was more
than half of the server's work (bench/verify_api.py). `prepared_cursor` gives a cursor
that sends the parameters apart (server-side binding), so that psycopg has the server
prepare a statement once a connection has run it `prepare_threshold` times (5) and reuse
the plan from then on.

The cursor is wrapped by Django as any other: errors become Django's database errors and
mark the connection for recycling, and queries are logged and counted in DEBUG and in
tests. On other databases it is Django's usual cursor.

Prepared statements need `prepare_threshold` in the database OPTIONS (settings:
DATABASE_PREPARED_STATEMENTS, on by default with persistent connections); without it
psycopg never prepares, and this cursor only binds on the server. Keep it to SQL the ORM
compiled once (certificates.verification): a connection keeps one prepared statement per
distinct text.
"""

from django.db.backends.base.base import BaseDatabaseWrapper


def prepared_cursor(connection: BaseDatabaseWrapper):
    """A cursor whose statements the database prepares; use it as `with ... as cursor`."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    # Imported here: it needs psycopg, which SQLite-only installations may not have.
    from django.db.backends.postgresql.base import ServerBindingCursor

    # As BaseDatabaseWrapper.cursor(), with this cursor class instead of the configured one.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(ServerBindingCursor(connection.connection))
