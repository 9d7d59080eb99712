"""The screening query: one SQL text for DuckDB (Parquet files) and PostgreSQL (a table).

Per declarant over a window: declarations, irregular declarations, irregularities by
severity (declarations and infringement records), penalties, late payments, and the
Wilson bounds of the irregularity and late-payment rates. The dialects differ only in
the FROM clause and the parameter markers. No Django: the bench runs this as is.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from openaeo.screening.wilson import Interval


def _wilson_sql(successes: str, trials: str, bound: str) -> str:
    """The Wilson bound (`bound` is '-' for lower, '+' for upper) as an SQL expression.

    The same formula as wilson.wilson, clamped the same way; n = 0 gives [0, 1].
    """
    n = f"CAST({trials} AS DOUBLE PRECISION)"
    p = f"(CAST({successes} AS DOUBLE PRECISION) / {n})"
    centre = f"(({p} + :z * :z / (2 * {n})) / (1 + :z * :z / {n}))"
    half = f"(:z * SQRT({p} * (1 - {p}) / {n} + :z * :z / (4 * {n} * {n})) / (1 + :z * :z / {n}))"
    if bound == "-":
        value = f"GREATEST(0.0, LEAST({p}, {centre} - {half}))"
        empty = "0.0"
    else:
        value = f"LEAST(1.0, GREATEST({p}, {centre} + {half}))"
        empty = "1.0"
    return f"CASE WHEN {trials} = 0 THEN {empty} ELSE {value} END"


SCREENING_SQL = f"""
WITH counts AS (
    SELECT
        declarant_id,
        COUNT(*) FILTER (WHERE record_type = 'declaration') AS declarations,
        COUNT(*) FILTER (WHERE record_type = 'declaration' AND irregularity_severity <> 'none')
            AS irregular_declarations,
        COUNT(*) FILTER (WHERE irregularity_severity = 'minor') AS minor_irregularities,
        COUNT(*) FILTER (WHERE irregularity_severity = 'serious') AS serious_irregularities,
        COUNT(*) FILTER (WHERE penalty_amount > 0) AS penalties,
        COALESCE(SUM(penalty_amount), 0) AS penalty_total,
        COUNT(*) FILTER (WHERE record_type = 'declaration' AND late_payment) AS late_payments
    FROM {{source}}
    WHERE lodgement_date >= :since AND lodgement_date < :until
    GROUP BY declarant_id
)
SELECT
    declarant_id, declarations, irregular_declarations, minor_irregularities,
    serious_irregularities, penalties, penalty_total, late_payments,
    {_wilson_sql("irregular_declarations", "declarations", "-")} AS irregularity_lower,
    {_wilson_sql("irregular_declarations", "declarations", "+")} AS irregularity_upper,
    {_wilson_sql("late_payments", "declarations", "-")} AS late_payment_lower,
    {_wilson_sql("late_payments", "declarations", "+")} AS late_payment_upper
FROM counts
"""  # noqa: S608 (constant text)

# The data behind one operator's indicators: counts by year, type of record and severity.
BREAKDOWN_SQL = """
SELECT
    EXTRACT(YEAR FROM lodgement_date) AS year,
    record_type,
    irregularity_severity,
    COUNT(*) AS records,
    SUM(CASE WHEN penalty_amount > 0 THEN 1 ELSE 0 END) AS penalties,
    COALESCE(SUM(penalty_amount), 0) AS penalty_total,
    SUM(CASE WHEN late_payment THEN 1 ELSE 0 END) AS late_payments
FROM {source}
WHERE declarant_id = :declarant AND lodgement_date >= :since AND lodgement_date < :until
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
"""

DECLARATIONS_SQL = """
SELECT record_type, declaration_id, declaration_type, lodgement_date, customs_office,
       inspection_outcome, irregularity_severity, penalty_amount, late_payment
FROM {source}
WHERE declarant_id = :declarant
ORDER BY lodgement_date DESC, declaration_id
LIMIT :limit OFFSET :offset
"""

COUNT_SQL = "SELECT COUNT(*) FROM {source} WHERE declarant_id = :declarant"

_PARAMETER = re.compile(r"(?<![:\w]):([a-z_]+)")


def render(sql: str, *, source: str, dialect: str) -> str:
    """The query text for `dialect`: its FROM clause and its parameter markers."""
    marker = {"duckdb": r"$\1", "postgres": r"%(\1)s"}[dialect]
    return _PARAMETER.sub(marker, sql.replace("{source}", source))


@dataclass(frozen=True)
class Indicators:
    declarant_id: str
    declarations: int
    irregular_declarations: int
    minor_irregularities: int
    serious_irregularities: int
    penalties: int
    penalty_total: Decimal
    late_payments: int
    irregularity: Interval
    late_payment: Interval

    @classmethod
    def from_row(cls, row) -> "Indicators":
        n = int(row[1])
        return cls(
            declarant_id=row[0],
            declarations=n,
            irregular_declarations=int(row[2]),
            minor_irregularities=int(row[3]),
            serious_irregularities=int(row[4]),
            penalties=int(row[5]),
            penalty_total=Decimal(row[6]),
            late_payments=int(row[7]),
            irregularity=Interval(int(row[2]) / n if n else 0.0, float(row[8]), float(row[9])),
            late_payment=Interval(int(row[7]) / n if n else 0.0, float(row[10]), float(row[11])),
        )


def window(as_of: dt.date, lookback_years: float) -> tuple[dt.date, dt.date]:
    """[since, until): the `lookback_years` before `as_of`, as_of included."""
    until = as_of + dt.timedelta(days=1)
    since = until - dt.timedelta(days=round(365.25 * lookback_years))
    return since, until


def screen(store, *, since: dt.date, until: dt.date, z: float) -> list[tuple]:
    """The result rows of the screening query for every declarant (see Indicators.from_row)."""
    return screen_counted(store, since=since, until=until, z=z)[1]


def screen_counted(
    store, *, since: dt.date, until: dt.date, z: float, keep: list[str] | None = None
) -> tuple[int, list[tuple]]:
    """Screen every declarant; (how many, the rows of the declarants in `keep` or all)."""
    return store.screen(SCREENING_SQL, {"since": since, "until": until, "z": z}, keep)
