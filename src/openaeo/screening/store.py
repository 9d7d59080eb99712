"""Where the declarations live: a directory of Parquet files (DuckDB) or a PostgreSQL table.

Declarations are the administration's biggest data set (millions of rows a year), so they
stay out of the application's tables. Both stores answer the same SQL (engine.py);
`store_from_settings` picks one by the SCREENING_STORE setting. No Django is needed for
the Parquet store (the bench uses it as is).
"""

import os
import uuid
from pathlib import Path

import duckdb

from openaeo.screening import engine, schema

TABLE = "screening_declaration_store"


def duckdb_connection(threads: int | None = None, memory_limit: str | None = None):
    """An in-memory DuckDB that spills to disk rather than fail on a big aggregation."""
    con = duckdb.connect(":memory:")
    # Order of results is not needed; dropping it lets DuckDB stream and use less memory.
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute("SET memory_limit = ?", [memory_limit])
    return con


class ParquetStore:
    """Every `*.parquet` file in one directory; an import adds one file, atomically."""

    dialect = "duckdb"

    def __init__(self, directory: str | os.PathLike, *, threads=None, memory_limit=None):
        self.directory = Path(directory)
        self.threads = threads
        self.memory_limit = memory_limit

    def files(self) -> list[Path]:
        return sorted(self.directory.glob("*.parquet")) if self.directory.is_dir() else []

    def source(self) -> str:
        pattern = str(self.directory / "*.parquet").replace("'", "''")
        return f"read_parquet('{pattern}')"

    def query(self, sql: str, params: dict) -> list[tuple]:
        if not self.files():
            return []
        con = duckdb_connection(self.threads, self.memory_limit)
        try:
            text = engine.render(sql, source=self.source(), dialect=self.dialect)
            return con.execute(text, params).fetchall()
        finally:
            con.close()

    def screen(self, sql: str, params: dict, keep: list[str] | None) -> tuple[int, list[tuple]]:
        """Run the screening query; (declarants screened, the rows of `keep`, or all rows).

        The result stays in DuckDB: only the rows asked for become Python objects, which
        matters when 200,000 declarants are screened for 2,000 registered businesses.
        """
        if not self.files():
            return 0, []
        con = duckdb_connection(self.threads, self.memory_limit)
        try:
            text = engine.render(sql, source=self.source(), dialect=self.dialect)
            con.execute(f"CREATE TEMP TABLE screened AS {text}", params)
            total = con.execute("SELECT COUNT(*) FROM screened").fetchone()[0]
            if keep is None:
                return total, con.execute("SELECT * FROM screened").fetchall()
            con.execute(
                "CREATE TEMP TABLE keep AS SELECT UNNEST($keep) AS declarant_id",
                {"keep": list(keep)},
            )
            rows = con.execute(
                "SELECT screened.* FROM screened JOIN keep USING (declarant_id)"
            ).fetchall()
            return total, rows
        finally:
            con.close()

    def append(self, con, select_sql: str, name: str) -> Path:
        """Write the rows of `select_sql` (run on `con`) as one new file, all or nothing.

        The file is written under tmp/ first, then renamed into place: a reader never
        sees half a file, and a failure leaves only a temporary file behind.
        """
        tmp_dir = self.directory / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        tmp = tmp_dir / f"{uuid.uuid4().hex}.parquet"
        final = self.directory / f"{name}.parquet"
        try:
            con.execute(
                f"COPY ({select_sql}) TO '{str(tmp).replace(chr(39), chr(39) * 2)}' "
                "(FORMAT parquet, COMPRESSION zstd)"
            )
            os.replace(tmp, final)
        finally:
            tmp.unlink(missing_ok=True)
        return final


class PostgresStore:
    """One table in a PostgreSQL database reached through a Django connection."""

    dialect = "postgres"

    def __init__(self, connection):
        self.connection = connection

    def source(self) -> str:
        return TABLE

    def ensure_table(self) -> None:
        columns = ", ".join(f"{c.name} {c.sql_type} NOT NULL" for c in schema.COLUMNS)
        with self.connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} ({columns})")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {TABLE}_declarant "
                f"ON {TABLE} (declarant_id, lodgement_date)"
            )

    def query(self, sql: str, params: dict) -> list[tuple]:
        self.ensure_table()
        text = engine.render(sql, source=self.source(), dialect=self.dialect)
        with self.connection.cursor() as cursor:
            cursor.execute(text, params)
            return cursor.fetchall()

    def screen(self, sql: str, params: dict, keep: list[str] | None) -> tuple[int, list[tuple]]:
        """As ParquetStore.screen: the result is kept in a temporary table until commit."""
        from django.db import transaction

        self.ensure_table()
        text = engine.render(sql, source=self.source(), dialect=self.dialect)
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE screened ON COMMIT DROP AS {text}", params)
            cursor.execute("SELECT COUNT(*) FROM screened")
            total = cursor.fetchone()[0]
            if keep is None:
                cursor.execute("SELECT * FROM screened")
            else:
                cursor.execute(
                    "SELECT * FROM screened WHERE declarant_id = ANY(%(keep)s)",
                    {"keep": list(keep)},
                )
            return total, cursor.fetchall()

    def append(self, con, select_sql: str, name: str) -> None:
        """COPY the rows in; the caller's transaction makes it all or nothing."""
        self.ensure_table()
        result = con.execute(select_sql)
        columns = ", ".join(schema.NAMES)
        with self.connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {TABLE} ({columns}) FROM STDIN") as copy:
                while rows := result.fetchmany(10_000):
                    for row in rows:
                        copy.write_row(row)

    def clear(self) -> None:
        self.ensure_table()
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 (constant)


def store_from_settings():
    """The store the SCREENING_STORE setting names."""
    from django.conf import settings
    from django.db import connections

    config = settings.SCREENING_STORE
    if config.get("backend") == "postgres":
        return PostgresStore(connections[config.get("database", "default")])
    return ParquetStore(
        config["path"], threads=config.get("threads"), memory_limit=config.get("memory_limit")
    )
