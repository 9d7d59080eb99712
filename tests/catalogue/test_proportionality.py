"""Size classes, tier scope and the guide's advice (pure)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openaeo.catalogue.diff import diff_catalogues
from openaeo.catalogue.guide import GuideAnswers, advise, effective_thresholds
from openaeo.catalogue.programmes import PROGRAMME_DIR, load_programme
from openaeo.catalogue.proportionality import (
    SIZE_CLASSES,
    SizeInputs,
    TierScope,
    questions_for,
    size_class_of,
)

pytestmark = pytest.mark.domain

EU = {
    "financial_rule": "either",
    "micro": {"max_employees": 10, "max_turnover": 2_000_000, "max_balance_sheet": 2_000_000},
    "small": {"max_employees": 50, "max_turnover": 10_000_000, "max_balance_sheet": 10_000_000},
    "medium": {"max_employees": 250, "max_turnover": 50_000_000, "max_balance_sheet": 43_000_000},
}
INDIA = {
    "financial_rule": "both",
    "micro": {"max_balance_sheet": 25_000_000, "max_turnover": 100_000_000},
    "small": {"max_balance_sheet": 250_000_000, "max_turnover": 1_000_000_000},
    "medium": {"max_balance_sheet": 1_250_000_000, "max_turnover": 5_000_000_000},
}


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        (SizeInputs(employees=12, turnover=900_000), "small"),  # the 12-person coffee exporter
        (SizeInputs(employees=9, turnover=1_500_000), "micro"),
        (
            SizeInputs(employees=9, turnover=3_000_000, balance_sheet=1_000_000),
            "micro",
        ),  # either ceiling
        (SizeInputs(employees=9, turnover=3_000_000, balance_sheet=3_000_000), "small"),
        (SizeInputs(employees=10), "small"),  # fewer than 10
        (SizeInputs(employees=249, turnover=60_000_000, balance_sheet=40_000_000), "medium"),
        (SizeInputs(employees=250), "large"),
    ],
)
def test_eu_size_classes(inputs, expected):
    assert size_class_of(inputs, EU) == expected


def test_both_ceilings_must_hold_where_the_law_says_so():
    assert (
        size_class_of(
            SizeInputs(employees=500, turnover=50_000_000, balance_sheet=20_000_000), INDIA
        )
        == "micro"
    )
    assert (
        size_class_of(
            SizeInputs(employees=5, turnover=150_000_000, balance_sheet=20_000_000), INDIA
        )
        == "small"
    )


@given(st.integers(1, 5000), st.integers(1, 5000), st.floats(0, 1e9))
def test_more_staff_never_makes_a_business_smaller(a, b, turnover):
    order = {name: index for index, name in enumerate(SIZE_CLASSES)}
    low, high = sorted((a, b))
    assert (
        order[size_class_of(SizeInputs(low, turnover), EU)]
        <= order[size_class_of(SizeInputs(high, turnover), EU)]
    )


CATALOGUE = {
    "headings": [
        {
            "id": "h1",
            "requirements": [
                {
                    "id": "r1",
                    "tiers": ["compliance"],
                    "roles": "all",
                    "questions": [{"id": "q1"}, {"id": "q2", "sizes": ["large"]}],
                },
                {
                    "id": "r2",
                    "tiers": ["security"],
                    "roles": ["carrier"],
                    "questions": [{"id": "q3"}],
                },
            ],
        },
        {
            "id": "h2",
            "requirements": [
                {"id": "r3", "tiers": ["security"], "roles": "all", "questions": [{"id": "q4"}]}
            ],
        },
    ]
}


def _ids(scope, size, roles):
    return [q["id"] for _, _, q in questions_for(CATALOGUE, scope, size_class=size, roles=roles)]


def test_scope_size_and_role_decide_the_questions():
    compliance = TierScope(frozenset({"compliance"}))
    full = TierScope(frozenset({"compliance", "security"}))
    assert _ids(compliance, "micro", ["exporter"]) == ["q1"]
    assert _ids(compliance, "large", ["exporter"]) == ["q1", "q2"]
    assert _ids(full, "large", ["exporter"]) == ["q1", "q2", "q4"]
    assert _ids(full, "large", ["carrier"]) == ["q1", "q2", "q3", "q4"]
    assert _ids(
        TierScope(frozenset({"compliance"}), include=frozenset({"r3"})), "micro", ["exporter"]
    ) == ["q1", "q4"]
    assert _ids(
        TierScope(frozenset({"security"}), headings=frozenset({"h2"})), "micro", ["carrier"]
    ) == ["q4"]
    assert _ids(
        TierScope(frozenset({"compliance", "security"}), exclude=frozenset({"r1"})),
        "micro",
        ["carrier"],
    ) == ["q3", "q4"]


def test_diff_lists_added_removed_and_changed_requirements():
    import copy

    new = copy.deepcopy(CATALOGUE)
    new["headings"][0]["requirements"][0]["questions"].append({"id": "q9"})
    del new["headings"][1]
    new["headings"][0]["requirements"].append(
        {"id": "r4", "tiers": ["security"], "roles": "all", "questions": []}
    )
    result = diff_catalogues(CATALOGUE, new)
    assert result.added == ["r4"] and result.removed == ["r3"]
    assert result.changed == [("r1", ["questions"])]
    assert diff_catalogues(CATALOGUE, CATALOGUE).is_empty


SAFE = load_programme(PROGRAMME_DIR / "safe-reference.yaml")


def _answers(**changes):
    base = {
        "roles": ("exporter",),
        "employees": 12,
        "turnover": 900_000,
        "declarations": "10_to_24",
        "years": "3_plus",
        "offences": "none",
        "finances": "sound",
        "priority": "speed",
    }
    return GuideAnswers(**(base | changes))


def test_a_small_exporter_is_recommended_the_entry_tier():
    advice = advise(SAFE, _answers())
    assert advice.outcome == "recommend" and advice.tier["code"] == "entry"
    assert advice.size_class == "small"
    assert advice.highlighted_benefit == "faster-release"


def test_msme_relaxations_lower_the_bar_for_the_security_tier():
    security = next(t for t in SAFE["tiers"] if t["code"] == "security")
    assert effective_thresholds(security, "small")["min_customs_documents_per_year"] == 10
    assert effective_thresholds(security, "large")["min_customs_documents_per_year"] == 25
    advice = advise(SAFE, _answers(priority="abroad"))
    assert advice.tier["code"] == "security"


def test_rare_traders_are_pointed_to_an_aeo_broker():
    advice = advise(SAFE, _answers(declarations="under_10"))
    assert advice.outcome == "broker_route" and "few_declarations" in advice.reasons


def test_serious_offences_and_money_trouble_come_first():
    advice = advise(SAFE, _answers(offences="serious", finances="difficulties"))
    assert advice.outcome == "not_yet" and advice.tier is None
    assert advice.reasons == ["serious_offences", "finances"]
