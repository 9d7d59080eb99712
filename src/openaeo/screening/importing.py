"""Validating a declaration file (CSV or Parquet) and adding it to the store, all or nothing.

DuckDB reads the file with every column as text; one SQL pass gives each bad row its
line and reasons. Only a file without a single bad row is written to the store. Reasons
are codes ("lodgement_date:invalid") so that the page can say them in the reader's
language (views.REASONS).
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from openaeo.screening import schema
from openaeo.screening.store import duckdb_connection

MAX_REPORTED = 200  # rejected rows listed in the report; the count covers them all


@dataclass
class ImportReport:
    rows_total: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    file_errors: list[str] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)  # {"line": int, "reasons": [codes]}

    @property
    def ok(self) -> bool:
        return not self.file_errors and self.rows_rejected == 0 and self.rows_total > 0

    def as_dict(self) -> dict:
        return {
            "rows_total": self.rows_total,
            "rows_accepted": self.rows_accepted,
            "rows_rejected": self.rows_rejected,
            "file_errors": self.file_errors,
            "rejects": self.rejects,
        }


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _stage(con, path: Path, file_format: str) -> list[str]:
    """Load the file into table `raw` (text columns); return file-level error codes."""
    if file_format == "parquet":
        con.execute(f"CREATE TABLE raw AS SELECT * FROM read_parquet({_quoted(path)})")  # noqa: S608
        structural = []
    else:
        con.execute(
            "CREATE TABLE raw AS SELECT * FROM read_csv("  # noqa: S608 (path quoted)
            f"{_quoted(path)}, header = true, all_varchar = true, store_rejects = true)"
        )
        structural = con.execute(
            "SELECT line, error_type FROM reject_errors ORDER BY line LIMIT ?", [MAX_REPORTED]
        ).fetchall()
    columns = [row[0].strip().lower() for row in con.execute("DESCRIBE raw").fetchall()]
    errors = [f"column:{name}:unknown" for name in columns if name not in schema.NAMES]
    errors += [f"column:{name}:missing" for name in schema.REQUIRED if name not in columns]
    if errors:
        return errors
    original = {row[0].strip().lower(): row[0] for row in con.execute("DESCRIBE raw").fetchall()}
    selected = ", ".join(
        f'TRIM(CAST("{original[name]}" AS VARCHAR)) AS {name}'
        if name in original
        else f"CAST(NULL AS VARCHAR) AS {name}"
        for name in schema.NAMES
    )
    # Only headers equal to a schema name (up to case and spaces) reach the text.
    con.execute(f"CREATE TABLE staged AS SELECT {selected} FROM raw")  # noqa: S608
    return [f"line:{line}:{kind.lower().replace(' ', '_')}" for line, kind in structural]


def _listed(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


# One CASE per rule; concat_ws drops the NULLs of the rules a row passes.
_RULES = f"""
concat_ws(',',
  CASE WHEN COALESCE(LOWER(record_type), 'declaration') NOT IN ({_listed(schema.RECORD_TYPES)})
       THEN 'record_type:invalid' END,
  CASE WHEN COALESCE(declarant_id, '') = '' THEN 'declarant_id:missing'
       WHEN LENGTH(declarant_id) > 40 THEN 'declarant_id:too_long' END,
  CASE WHEN COALESCE(declaration_id, '') = '' THEN 'declaration_id:missing'
       WHEN LENGTH(declaration_id) > 70 THEN 'declaration_id:too_long'
       WHEN COUNT(*) OVER (PARTITION BY COALESCE(LOWER(record_type), 'declaration'),
                           declaration_id) > 1 THEN 'declaration_id:duplicate' END,
  CASE WHEN LENGTH(COALESCE(declaration_type, '')) > 8 THEN 'declaration_type:too_long' END,
  CASE WHEN COALESCE(lodgement_date, '') = '' THEN 'lodgement_date:missing'
       WHEN TRY_CAST(lodgement_date AS DATE) IS NULL THEN 'lodgement_date:invalid' END,
  CASE WHEN LENGTH(COALESCE(customs_office, '')) > 16 THEN 'customs_office:too_long' END,
  CASE WHEN COALESCE(NULLIF(LOWER(inspection_outcome), ''), 'not_inspected')
            NOT IN ({_listed(schema.INSPECTION_OUTCOMES)}) THEN 'inspection_outcome:invalid' END,
  CASE WHEN COALESCE(NULLIF(LOWER(irregularity_severity), ''), 'none')
            NOT IN ({_listed(schema.SEVERITIES)}) THEN 'irregularity_severity:invalid' END,
  CASE WHEN TRY_CAST(COALESCE(NULLIF(penalty_amount, ''), '0') AS DECIMAL(14,2)) IS NULL
       THEN 'penalty_amount:invalid'
       WHEN TRY_CAST(COALESCE(NULLIF(penalty_amount, ''), '0') AS DECIMAL(14,2)) < 0
       THEN 'penalty_amount:negative' END,
  CASE WHEN COALESCE(LOWER(late_payment), '') NOT IN
            ('', {_listed(schema.TRUE_WORDS + schema.FALSE_WORDS)}) THEN 'late_payment:invalid' END
)"""

TYPED_SELECT = f"""
SELECT
  COALESCE(NULLIF(LOWER(record_type), ''), 'declaration') AS record_type,
  declarant_id,
  declaration_id,
  UPPER(COALESCE(declaration_type, '')) AS declaration_type,
  CAST(lodgement_date AS DATE) AS lodgement_date,
  UPPER(COALESCE(customs_office, '')) AS customs_office,
  COALESCE(NULLIF(LOWER(inspection_outcome), ''), 'not_inspected') AS inspection_outcome,
  COALESCE(NULLIF(LOWER(irregularity_severity), ''), 'none') AS irregularity_severity,
  CAST(COALESCE(NULLIF(penalty_amount, ''), '0') AS DECIMAL(14,2)) AS penalty_amount,
  COALESCE(LOWER(late_payment) IN ({_listed(schema.TRUE_WORDS)}), false) AS late_payment
FROM staged
"""  # noqa: S608 (constant text)


def validate_and_write(path: Path, *, store, name: str, file_format: str = "") -> ImportReport:
    """Check every row of `path`; write the file to `store` only if all rows are good."""
    file_format = file_format or ("parquet" if path.suffix.lower() == ".parquet" else "csv")
    report = ImportReport()
    con = duckdb_connection()
    # Table rowid follows file order only with insertion order kept.
    con.execute("SET preserve_insertion_order = true")
    try:
        try:
            report.file_errors = _stage(con, path, file_format)
        except Exception as error:  # DuckDB says why it cannot read the file at all
            report.file_errors = [f"file:unreadable:{str(error).splitlines()[0][:200]}"]
            return report
        if any(code.startswith("column:") for code in report.file_errors):
            return report
        report.rows_total = con.execute("SELECT COUNT(*) FROM staged").fetchone()[0]
        if report.file_errors:  # rows DuckDB could not even split into columns
            report.rows_rejected = len(report.file_errors)
            return report
        con.execute(
            f"CREATE TABLE checked AS SELECT rowid AS row_index, {_RULES} AS reasons FROM staged"  # noqa: S608
        )
        report.rows_rejected = con.execute(
            "SELECT COUNT(*) FROM checked WHERE reasons <> ''"
        ).fetchone()[0]
        # Line 1 is the header of a CSV file; a Parquet file's rows count from 1.
        offset = 2 if file_format == "csv" else 1
        report.rejects = [
            {"line": int(index) + offset, "reasons": reasons.split(",")}
            for index, reasons in con.execute(
                "SELECT row_index, reasons FROM checked WHERE reasons <> '' "
                "ORDER BY row_index LIMIT ?",
                [MAX_REPORTED],
            ).fetchall()
        ]
        if report.rows_rejected or report.rows_total == 0:
            return report
        store.append(con, TYPED_SELECT, name)
        report.rows_accepted = report.rows_total
        return report
    finally:
        con.close()
