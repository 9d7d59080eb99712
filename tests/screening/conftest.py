"""A declaration store of each test's own, and the hand-computed fixture file."""

import datetime as dt
from pathlib import Path

import pytest

from openaeo.screening.store import ParquetStore
from tests.cases.conftest import assessment, business, case, owner, port, scenario_day, staff  # noqa: F401
from tests.certificates.conftest import certify, keys_dir  # noqa: F401

# As of 2026-06-30 with a one-year look-back, the window is 2025-07-01 .. 2026-06-30.
AS_OF = dt.date(2026, 6, 30)

HAND_COMPUTED_CSV = """record_type,declarant_id,declaration_id,declaration_type,lodgement_date,customs_office,inspection_outcome,irregularity_severity,penalty_amount,late_payment
declaration,OP-A,A1,IM,2025-07-01,PORT,no_discrepancy,none,,false
declaration,OP-A,A2,IM,2025-09-15,PORT,discrepancy,minor,100.00,false
declaration,OP-A,A3,EX,2026-01-20,AIR,not_inspected,none,0,true
declaration,OP-A,A4,EX,2026-06-30,AIR,,,,
infringement,OP-A,I1,,2026-03-01,PORT,,serious,500,
declaration,OP-A,A0,IM,2025-06-30,PORT,discrepancy,serious,900,true
declaration,OP-B,B1,IM,2025-12-01,ROAD,,,,
declaration,OP-B,B2,IM,2026-02-01,ROAD,,,,no
"""


@pytest.fixture
def parquet_store(settings, tmp_path) -> ParquetStore:
    folder = tmp_path / "declarations"
    settings.SCREENING_STORE = {"backend": "parquet", "path": folder}
    return ParquetStore(folder)


@pytest.fixture
def write_file(tmp_path):
    def write(text: str, name: str = "declarations.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
