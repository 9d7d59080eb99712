"""Realistic, skewed declaration data for demonstrations and the bench, generated in SQL.

Volumes follow a power law: operator rank r (0 = largest) receives a share of rows
proportional to roughly 1/(r+1); many small traders lodge a handful of declarations a
year, a few large ones lodge most of them. A small share of operators are careless
(many irregularities, late payments). Values come from hashes of the row number, so the
same arguments give the same data. No Django here (the bench uses it as is).
"""

import datetime as dt

from openaeo.screening.store import duckdb_connection

# Fraction of operators that are careless, and their rates versus everyone else's.
CARELESS_PERCENT = 5


def _u(expression: str, salt: int) -> str:
    """A uniform number in [0, 1) from a hash of `expression` and `salt` (deterministic)."""
    # One hash of one number per draw (DuckDB's two-argument hash leaves draws correlated),
    # all 64 bits of it (a coarser grid would leave the smallest ranks unreachable).
    return f"(hash({expression} * 1000003 + {salt}) / 18446744073709551616.0)"


def select_sql(*, rows: int, operators: int, as_of: dt.date, named: list[str]) -> str:
    """The SELECT that yields `rows` declaration rows (in the import schema's columns).

    `named` identifiers (the demo businesses) take ranks spread from 10 to the smallest, so
    that they have volumes from a large trader's to a micro one's; every other operator is XD0000001, XD0000002...
    """
    rows, operators = int(rows), max(int(operators), 1)
    # rank = floor(M^u) - 1 with u uniform: P(rank = r) is proportional to about 1/(r+1).
    rank = f"LEAST({operators - 1}, CAST(FLOOR(POW({operators}, {_u('i', 1)})) AS BIGINT) - 1)"
    named = [name for name in named if name]
    # Spread between rank 10 (a large trader) and the smallest ranks, geometrically.
    top = max(operators - 1, 11)
    names = ", ".join(
        f"({round(10 * (top / 10) ** (k / max(len(named), 1)))}, '{name.replace(chr(39), '')}')"
        for k, name in enumerate(named)
    )
    named_ranks = f"SELECT * FROM (VALUES {names}) AS t(rank, identifier)" if names else ""  # noqa: S608
    identifier = "'XD' || LPAD(CAST(rank AS VARCHAR), 7, '0')"
    if named_ranks:
        identifier = f"COALESCE(n.identifier, {identifier})"
    join = f"LEFT JOIN ({named_ranks}) AS n USING (rank)" if named_ranks else ""
    careless = f"({_u('rank', 7)} * 100 < {CARELESS_PERCENT})"
    return f"""
WITH base AS (
    SELECT i, {rank} AS rank FROM range({rows}) AS r(i)
), drawn AS (
    SELECT
        i, rank, {identifier} AS declarant_id,
        {_u("i", 2)} AS u_irregular, {_u("i", 3)} AS u_severity, {_u("i", 4)} AS u_late,
        {_u("i", 5)} AS u_type, {_u("i", 6)} AS u_inspect, {_u("i", 8)} AS u_amount,
        {_u("i", 9)} AS u_infringement,
        {careless} AS careless
    FROM base {join}
), classified AS (
    SELECT *,
        CASE WHEN u_irregular < (CASE WHEN careless THEN 0.12 ELSE 0.01 END)
             -- Serious irregularities are the careless operators' only.
             THEN (CASE WHEN careless AND u_severity < 0.1 THEN 'serious' ELSE 'minor' END)
             ELSE 'none' END AS irregularity_severity
    FROM drawn
)
SELECT
    CASE WHEN u_infringement < 0.0005 THEN 'infringement' ELSE 'declaration' END AS record_type,
    declarant_id,
    'D' || LPAD(CAST(i AS VARCHAR), 10, '0') AS declaration_id,
    CASE WHEN u_type < 0.6 THEN 'IM' WHEN u_type < 0.95 THEN 'EX' ELSE 'TR' END
        AS declaration_type,
    CAST(DATE '{as_of.isoformat()}' - CAST(FLOOR({_u("i", 10)} * 1095) AS INTEGER) AS DATE)
        AS lodgement_date,
    CASE CAST(FLOOR({_u("i", 11)} * 4) AS INTEGER) WHEN 0 THEN 'PORT' WHEN 1 THEN 'AIR' WHEN 2 THEN 'ROAD' ELSE 'RAIL' END
        AS customs_office,
    CASE WHEN u_inspect >= 0.05 THEN 'not_inspected'
         WHEN irregularity_severity <> 'none' THEN 'discrepancy'
         ELSE 'no_discrepancy' END AS inspection_outcome,
    irregularity_severity,
    CAST(CASE WHEN irregularity_severity = 'serious' THEN 1000 + ROUND(u_amount * 9000)
              WHEN irregularity_severity = 'minor' AND u_amount < 0.3
              THEN 50 + ROUND(u_amount * 1500)
              ELSE 0 END AS DECIMAL(14,2)) AS penalty_amount,
    u_late < (CASE WHEN careless THEN 0.15 ELSE 0.02 END) AS late_payment
FROM classified
"""  # noqa: S608 (built from numbers and quoted names)


def generate(store, *, rows: int, operators: int, as_of: dt.date, named=(), name="demo"):
    """Write the generated rows to `store` as one batch; return the number of rows."""
    con = duckdb_connection()
    try:
        store.append(
            con, select_sql(rows=rows, operators=operators, as_of=as_of, named=list(named)), name
        )
    finally:
        con.close()
    return rows
