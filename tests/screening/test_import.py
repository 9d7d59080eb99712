"""Importing declaration files: all rows or none, with a line-level report."""

import pytest
from django.db import connection

from openaeo.common.models import AuditEvent
from openaeo.screening import services
from openaeo.screening.models import DeclarationImport
from openaeo.screening.store import PostgresStore
from tests.scenarios.screening import HAND_COMPUTED_CSV

pytestmark = pytest.mark.django_db

MALFORMED = """declarant_id,declaration_id,lodgement_date,irregularity_severity,penalty_amount,late_payment
OP-A,A1,2025-07-01,none,,false
OP-A,A2,2025-02-30,minor,100,false
,A3,2025-07-03,grave,-5,maybe
OP-B,A1,2025-07-04,none,,
"""


def test_a_good_file_is_imported_whole(parquet_store, write_file):
    batch = services.declarations_import(
        actor=None, path=write_file(HAND_COMPUTED_CSV), file_name="good.csv"
    )
    assert batch.status == "imported"
    assert (batch.rows_total, batch.rows_accepted, batch.rows_rejected) == (8, 8, 0)
    assert len(parquet_store.files()) == 1
    assert parquet_store.query("SELECT COUNT(*) FROM {source}", {}) == [(8,)]
    assert AuditEvent.objects.filter(action="screening.import", object_id=str(batch.pk)).exists()


def test_a_malformed_file_is_refused_with_lines_and_reasons_and_imports_nothing(
    parquet_store, write_file
):
    batch = services.declarations_import(
        actor=None, path=write_file(MALFORMED), file_name="bad.csv"
    )
    assert batch.status == "rejected"
    assert (batch.rows_total, batch.rows_accepted, batch.rows_rejected) == (4, 0, 4)
    rejects = {row["line"]: set(row["reasons"]) for row in batch.report["rejects"]}
    assert rejects == {
        3: {"lodgement_date:invalid"},
        4: {
            "declarant_id:missing",
            "irregularity_severity:invalid",
            "penalty_amount:negative",
            "late_payment:invalid",
        },
        # The same declaration identifier twice: both lines are named.
        2: {"declaration_id:duplicate"},
        5: {"declaration_id:duplicate"},
    }
    assert parquet_store.files() == []
    assert not (parquet_store.directory / "tmp").exists() or not any(
        (parquet_store.directory / "tmp").iterdir()
    )


def test_rows_split_into_the_wrong_number_of_columns_are_named_by_line(parquet_store, write_file):
    text = "declarant_id,declaration_id,lodgement_date\nOP-A,1,2025-07-01\nOP-A,2,2025-07-02,x\n"
    batch = services.declarations_import(actor=None, path=write_file(text), file_name="x.csv")
    assert batch.status == "rejected"
    assert batch.report["file_errors"] == ["line:3:too_many_columns"]
    assert parquet_store.files() == []


def test_unknown_and_missing_columns_refuse_the_file(parquet_store, write_file):
    text = "declarant,declaration_id,lodgement_date\nOP-A,1,2025-07-01\n"
    batch = services.declarations_import(actor=None, path=write_file(text), file_name="x.csv")
    assert batch.status == "rejected"
    assert set(batch.report["file_errors"]) == {
        "column:declarant:unknown",
        "column:declarant_id:missing",
    }
    assert parquet_store.files() == []


def test_the_same_file_twice_is_imported_once(parquet_store, write_file):
    path = write_file(HAND_COMPUTED_CSV)
    first = services.declarations_import(actor=None, path=path, file_name="good.csv")
    second = services.declarations_import(actor=None, path=path, file_name="again.csv")
    assert second.pk == first.pk
    assert DeclarationImport.objects.count() == 1
    assert parquet_store.query("SELECT COUNT(*) FROM {source}", {}) == [(8,)]


def test_a_parquet_file_is_checked_the_same_way(parquet_store, write_file, tmp_path):
    import duckdb

    csv = write_file(HAND_COMPUTED_CSV)
    parquet = tmp_path / "declarations.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv}', all_varchar=true)) TO '{parquet}'")  # noqa: S608
    batch = services.declarations_import(actor=None, path=parquet, file_name="d.parquet")
    assert batch.status == "imported" and batch.rows_accepted == 8


@pytest.mark.postgres
def test_postgresql_store_imports_in_one_transaction(settings, write_file):
    assert connection.vendor == "postgresql"
    store = PostgresStore(connection)
    store.clear()
    bad = services.declarations_import(
        actor=None, path=write_file(MALFORMED), file_name="bad.csv", store=store
    )
    assert bad.status == "rejected"
    assert store.query("SELECT COUNT(*) FROM {source}", {}) == [(0,)]
    good = services.declarations_import(
        actor=None,
        path=write_file(HAND_COMPUTED_CSV, "good.csv"),
        file_name="good.csv",
        store=store,
    )
    assert good.status == "imported"
    assert store.query("SELECT COUNT(*) FROM {source}", {}) == [(8,)]
