"""The "Is AEO for me?" recommendation (pure: programme configuration and answers in, advice out).

It never says "no": a business that is not ready yet is told what to fix first,
or pointed to a route that already brings benefits (an AEO customs broker).
"""

from dataclasses import dataclass, field

from openaeo.catalogue.proportionality import SizeInputs, size_class_of

DECLARATIONS_PER_YEAR = {"under_10": 5, "10_to_24": 10, "25_to_99": 25, "100_plus": 100}
YEARS_IN_BUSINESS = {"under_1": 0, "1_to_2": 1, "2_to_3": 2, "3_plus": 3}


@dataclass(frozen=True)
class GuideAnswers:
    roles: tuple[str, ...]
    employees: int
    turnover: float | None
    declarations: str  # a key of DECLARATIONS_PER_YEAR
    years: str  # a key of YEARS_IN_BUSINESS
    offences: str  # none | minor | serious
    finances: str  # sound | difficulties
    priority: str  # speed | inspections | abroad | cash


@dataclass
class Advice:
    outcome: str  # recommend | not_yet | broker_route
    size_class: str
    tier: dict | None
    reasons: list[str] = field(default_factory=list)  # codes, rendered in plain words by the view
    thresholds: dict = field(default_factory=dict)
    highlighted_benefit: str | None = None


def effective_thresholds(tier: dict, size_class: str) -> dict:
    """A tier's thresholds, with its MSME relaxations applied for this size class."""
    thresholds = dict(tier.get("thresholds", {}))
    relaxations = tier.get("msme_relaxations") or {}
    if size_class in relaxations.get("applies_to", []):
        thresholds.update(relaxations.get("thresholds", {}))
    return thresholds


def _candidate_tiers(programme: dict, size_class: str, answers: GuideAnswers) -> list[dict]:
    tiers = programme["tiers"]
    entry = [tier for tier in tiers if tier.get("for_msmes")] or tiers[:1]
    wants_security = answers.priority == "abroad" or size_class in ("medium", "large")
    if wants_security:
        fuller = [tier for tier in tiers if "security" in tier["scope"].get("families", [])]
        return fuller + [tier for tier in entry if tier not in fuller]
    return entry + [tier for tier in tiers if tier not in entry]


_BENEFIT_FOR_PRIORITY = {"speed": "c", "inspections": "b", "cash": "d", "abroad": None}


def _highlight(programme: dict, tier: dict, priority: str) -> str | None:
    wanted = _BENEFIT_FOR_PRIORITY.get(priority)
    benefits = {benefit["code"]: benefit for benefit in programme["benefits"]}
    for code in tier.get("benefits", []):
        benefit = benefits.get(code)
        if benefit is None:
            continue
        if wanted and benefit.get("tfa_7_7") == wanted:
            return code
        if priority == "abroad" and code == "mutual-recognition":
            return code
    return tier.get("benefits", [None])[0]


def advise(programme: dict, answers: GuideAnswers) -> Advice:
    size_class = size_class_of(
        SizeInputs(employees=answers.employees, turnover=answers.turnover),
        programme["size_classes"],
    )
    blocking = []
    if answers.offences == "serious":
        blocking.append("serious_offences")
    if answers.finances == "difficulties":
        blocking.append("finances")
    if blocking:
        return Advice(outcome="not_yet", size_class=size_class, tier=None, reasons=blocking)

    declarations = DECLARATIONS_PER_YEAR[answers.declarations]
    years = YEARS_IN_BUSINESS[answers.years]
    for tier in _candidate_tiers(programme, size_class, answers):
        thresholds = effective_thresholds(tier, size_class)
        reasons = []
        if declarations < thresholds.get("min_customs_documents_per_year", 0):
            reasons.append("few_declarations")
        if years < thresholds.get("min_years_in_business", 0):
            reasons.append("young_business")
        if not reasons:
            extra = ["minor_offences"] if answers.offences == "minor" else []
            return Advice(
                outcome="recommend",
                size_class=size_class,
                tier=tier,
                reasons=extra,
                thresholds=thresholds,
                highlighted_benefit=_highlight(programme, tier, answers.priority),
            )
        last_reasons, last_tier, last_thresholds = reasons, tier, thresholds
    outcome = "broker_route" if "few_declarations" in last_reasons else "not_yet"
    return Advice(
        outcome=outcome,
        size_class=size_class,
        tier=last_tier,
        reasons=last_reasons,
        thresholds=last_thresholds,
    )
