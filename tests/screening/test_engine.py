"""The screening query against a hand-computed fixture, on DuckDB and on PostgreSQL."""

from decimal import Decimal

import pytest
from django.db import connection

from openaeo.screening import engine, services
from openaeo.screening import thresholds as rules
from openaeo.screening.store import PostgresStore
from openaeo.screening.wilson import wilson
from tests.scenarios.screening import AS_OF, HAND_COMPUTED_CSV

pytestmark = pytest.mark.django_db
Z = 1.959963984540054

# Worked by hand from HAND_COMPUTED_CSV over 2025-07-01 .. 2026-06-30:
# OP-A: A1-A4 are in the window (A0 is a day early); I1 is an infringement, not a
# declaration. 4 declarations, 1 irregular (A2, minor), serious 1 (I1), penalties 2
# (A2 100 + I1 500), late 1 (A3). OP-B: 2 clean declarations.
EXPECTED = {
    "OP-A": dict(
        declarations=4,
        irregular_declarations=1,
        minor_irregularities=1,
        serious_irregularities=1,
        penalties=2,
        penalty_total=Decimal("600.00"),
        late_payments=1,
        # 1 in 4 at 95 %: centre (0.25 + 0.4802) / 1.9604, half-width 0.3269.
        irregularity=(0.25, 0.0456, 0.6994),
        late_payment=(0.25, 0.0456, 0.6994),
    ),
    "OP-B": dict(
        declarations=2,
        irregular_declarations=0,
        minor_irregularities=0,
        serious_irregularities=0,
        penalties=0,
        penalty_total=Decimal("0.00"),
        late_payments=0,
        # 0 in 2: upper bound z^2 / (n + z^2) = 3.8415 / 5.8415.
        irregularity=(0.0, 0.0, 0.6576),
        late_payment=(0.0, 0.0, 0.6576),
    ),
}


def _check(store):
    since, until = engine.window(AS_OF, 1)
    assert (since.isoformat(), until.isoformat()) == ("2025-07-01", "2026-07-01")
    rows = engine.screen(store, since=since, until=until, z=Z)
    found = {row[0]: engine.Indicators.from_row(row) for row in rows}
    assert set(found) == set(EXPECTED)
    for declarant, expected in EXPECTED.items():
        got = found[declarant]
        for name in (
            "declarations",
            "irregular_declarations",
            "minor_irregularities",
            "serious_irregularities",
            "penalties",
            "penalty_total",
            "late_payments",
        ):
            assert getattr(got, name) == expected[name], (declarant, name)
        for name in ("irregularity", "late_payment"):
            interval = getattr(got, name)
            assert (interval.rate, interval.lower, interval.upper) == pytest.approx(
                expected[name], abs=5e-5
            )
        # The SQL's Wilson bounds are the Python function's, to rounding.
        python = wilson(got.irregular_declarations, got.declarations, Z)
        assert got.irregularity.lower == pytest.approx(python.lower, abs=1e-12)
        assert got.irregularity.upper == pytest.approx(python.upper, abs=1e-12)


def test_duckdb_over_parquet_matches_the_hand_computed_fixture(parquet_store, write_file):
    services.declarations_import(actor=None, path=write_file(HAND_COMPUTED_CSV), file_name="f")
    _check(parquet_store)


@pytest.mark.postgres
def test_postgresql_matches_the_hand_computed_fixture(write_file):
    assert connection.vendor == "postgresql"
    store = PostgresStore(connection)
    store.clear()
    services.declarations_import(
        actor=None, path=write_file(HAND_COMPUTED_CSV), file_name="f", store=store
    )
    _check(store)


def test_an_empty_store_screens_nobody(parquet_store):
    since, until = engine.window(AS_OF, 3)
    assert engine.screen(parquet_store, since=since, until=until, z=Z) == []


def _indicators(errors: int, declarations: int) -> engine.Indicators:
    row = ("X", declarations, errors, errors, 0, 0, 0, 0)
    irregular = wilson(errors, declarations, Z)
    late = wilson(0, declarations, Z)
    return engine.Indicators.from_row(
        (*row, irregular.lower, irregular.upper, late.lower, late.upper)
    )


def test_thresholds_judge_the_interval_not_the_raw_rate():
    limits = rules.Thresholds.of({"max_irregularity_rate": 0.05})
    # A micro trader with 1 error in 12 (8 %): the interval reaches far below 5 %.
    assert rules.evaluate(_indicators(1, 12), limits) == []
    # A multinational with the same rate over thousands of declarations: flagged.
    flags = rules.evaluate(_indicators(250, 3000), limits)
    assert [flag["code"] for flag in flags] == ["irregularity_rate"]
    assert flags[0]["lower"] > 0.05


def test_msme_relaxations_replace_the_tier_thresholds():
    tier = {
        "thresholds": {"min_customs_documents_per_year": 25, "compliance_lookback_years": 3},
        "msme_relaxations": {
            "applies_to": ["micro", "small"],
            "thresholds": {"min_customs_documents_per_year": 10},
        },
    }
    thirty_a_year = _indicators(0, 45)  # 15 a year over 3 years
    assert rules.evaluate(thirty_a_year, rules.for_tier(tier, "micro")) == []
    flags = rules.evaluate(thirty_a_year, rules.for_tier(tier, "large"))
    assert flags == [{"code": "too_few_documents", "per_year": 15.0, "limit": 25}]


def test_serious_irregularities_and_late_payments_have_their_own_limits():
    row = ("X", 2000, 0, 0, 2, 2, Decimal(10), 400)
    late = wilson(400, 2000, Z)
    indicators = engine.Indicators.from_row((*row, 0.0, 0.002, late.lower, late.upper))
    limits = rules.Thresholds.of({"max_serious_irregularities": 0, "max_late_payment_rate": 0.1})
    codes = [flag["code"] for flag in rules.evaluate(indicators, limits)]
    assert codes == ["serious_irregularities", "late_payment_rate"]


def _keeps_only_the_declarants_asked_for(store):
    since, until = engine.window(AS_OF, 1)
    total, rows = engine.screen_counted(store, since=since, until=until, z=Z, keep=["OP-B", "X"])
    assert total == 2
    assert [row[0] for row in rows] == ["OP-B"]


def test_duckdb_keeps_only_the_declarants_asked_for(parquet_store, write_file):
    services.declarations_import(actor=None, path=write_file(HAND_COMPUTED_CSV), file_name="f")
    _keeps_only_the_declarants_asked_for(parquet_store)


@pytest.mark.postgres
def test_postgresql_keeps_only_the_declarants_asked_for(write_file):
    store = PostgresStore(connection)
    store.clear()
    services.declarations_import(
        actor=None, path=write_file(HAND_COMPUTED_CSV), file_name="f", store=store
    )
    _keeps_only_the_declarants_asked_for(store)
