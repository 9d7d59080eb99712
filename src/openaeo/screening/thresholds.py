"""The thresholds a programme tier sets, and how one operator's indicators are judged by them.

Rates are judged by their Wilson interval: an operator is flagged for its irregularity
rate only when even the *lower* bound exceeds the maximum, that is when the data make
it likely that the true rate is too high. Few declarations give a wide interval, so a
micro trader's single error is not enough to flag it. No Django here.
"""

from dataclasses import dataclass

from openaeo.screening.engine import Indicators
from openaeo.screening.wilson import z_for

DEFAULTS = {
    "compliance_lookback_years": 3,
    "confidence_level": 0.95,
    "max_irregularity_rate": None,
    "max_serious_irregularities": None,
    "max_late_payment_rate": None,
    "min_customs_documents_per_year": None,
}


@dataclass(frozen=True)
class Thresholds:
    lookback_years: float
    confidence_level: float
    max_irregularity_rate: float | None
    max_serious_irregularities: int | None
    max_late_payment_rate: float | None
    min_documents_per_year: int | None

    @property
    def z(self) -> float:
        return z_for(self.confidence_level)

    @classmethod
    def of(cls, values: dict) -> "Thresholds":
        merged = {**DEFAULTS, **{k: v for k, v in values.items() if v is not None}}
        return cls(
            lookback_years=float(merged["compliance_lookback_years"] or 3),
            confidence_level=float(merged["confidence_level"]),
            max_irregularity_rate=merged["max_irregularity_rate"],
            max_serious_irregularities=merged["max_serious_irregularities"],
            max_late_payment_rate=merged["max_late_payment_rate"],
            min_documents_per_year=merged["min_customs_documents_per_year"],
        )

    def as_dict(self) -> dict:
        return {
            "compliance_lookback_years": self.lookback_years,
            "confidence_level": self.confidence_level,
            "max_irregularity_rate": self.max_irregularity_rate,
            "max_serious_irregularities": self.max_serious_irregularities,
            "max_late_payment_rate": self.max_late_payment_rate,
            "min_customs_documents_per_year": self.min_documents_per_year,
        }


def for_tier(tier: dict | None, size_class: str | None) -> Thresholds:
    """The tier's thresholds, with its MSME relaxations when the business is of a relaxed size."""
    tier = tier or {}
    values = dict(tier.get("thresholds") or {})
    relaxations = tier.get("msme_relaxations") or {}
    if size_class and size_class in relaxations.get("applies_to", ()):
        values.update(relaxations.get("thresholds") or {})
    return Thresholds.of(values)


def evaluate(indicators: Indicators, thresholds: Thresholds) -> list[dict]:
    """The flags raised, each a code with the figures that explain it."""
    flags = []
    limit = thresholds.max_irregularity_rate
    if limit is not None and indicators.irregularity.lower > limit:
        flags.append(
            {
                "code": "irregularity_rate",
                "lower": round(indicators.irregularity.lower, 4),
                "limit": limit,
            }
        )
    limit = thresholds.max_serious_irregularities
    if limit is not None and indicators.serious_irregularities > limit:
        flags.append(
            {
                "code": "serious_irregularities",
                "count": indicators.serious_irregularities,
                "limit": limit,
            }
        )
    limit = thresholds.max_late_payment_rate
    if limit is not None and indicators.late_payment.lower > limit:
        flags.append(
            {
                "code": "late_payment_rate",
                "lower": round(indicators.late_payment.lower, 4),
                "limit": limit,
            }
        )
    minimum = thresholds.min_documents_per_year
    if minimum:
        per_year = indicators.declarations / thresholds.lookback_years
        if per_year < minimum:
            flags.append(
                {"code": "too_few_documents", "per_year": round(per_year, 1), "limit": minimum}
            )
    return flags
