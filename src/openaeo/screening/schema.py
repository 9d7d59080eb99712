"""The declaration data schema: the columns an import file may have, and what they mean.

Names follow the WCO Data Model where it has one (the WCO DM identifier is given
for each). No Django here: the bench and the import validation use it as is.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str  # the same spelling works in DuckDB and PostgreSQL
    required: bool
    wco: str  # WCO Data Model element, or "" where it has none
    meaning: str


COLUMNS = (
    Column("record_type", "VARCHAR(16)", False, "", "declaration (default) or infringement"),
    Column("declarant_id", "VARCHAR(40)", True, "R031 Declarant, identifier", "the operator"),
    Column("declaration_id", "VARCHAR(70)", True, "D014 Functional reference", "unique per type"),
    Column("declaration_type", "VARCHAR(8)", False, "D013 Declaration type code", "IM, EX, ..."),
    Column("lodgement_date", "DATE", True, "D011 Acceptance date", "YYYY-MM-DD"),
    Column("customs_office", "VARCHAR(16)", False, "G004 Office of lodgement", "office code"),
    Column(
        "inspection_outcome",
        "VARCHAR(16)",
        False,
        "Control result (07B)",
        "not_inspected (default), no_discrepancy or discrepancy",
    ),
    Column(
        "irregularity_severity",
        "VARCHAR(8)",
        False,
        "",
        "none (default), minor or serious",
    ),
    Column("penalty_amount", "DECIMAL(14,2)", False, "", "administrative penalty, 0 if none"),
    Column("late_payment", "BOOLEAN", False, "", "duties paid after the due date"),
)

NAMES = tuple(column.name for column in COLUMNS)
REQUIRED = tuple(column.name for column in COLUMNS if column.required)
RECORD_TYPES = ("declaration", "infringement")
INSPECTION_OUTCOMES = ("not_inspected", "no_discrepancy", "discrepancy")
SEVERITIES = ("none", "minor", "serious")
TRUE_WORDS = ("true", "t", "1", "yes", "y")
FALSE_WORDS = ("false", "f", "0", "no", "n")
