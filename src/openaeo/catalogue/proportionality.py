"""Which questions an operator is asked: by tier, size class and supply-chain role (pure).

The same criteria apply to every business; what changes with size is how they
are met and how much is asked. A requirement is in a tier's scope when it
belongs to one of the tier's families (or is named in `include`) and is not
named in `exclude`; it applies to an operator when one of the operator's roles
is among its roles; a question is asked of a size class when the question lists
that class (or lists none).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

SIZE_CLASSES = ("micro", "small", "medium", "large")


@dataclass(frozen=True)
class TierScope:
    families: frozenset[str]
    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    headings: frozenset[str] | None = None  # None: every heading

    @classmethod
    def from_config(cls, tier: dict) -> "TierScope":
        scope = tier.get("scope", {})
        return cls(
            families=frozenset(scope.get("families", [])),
            include=frozenset(scope.get("include", [])),
            exclude=frozenset(scope.get("exclude", [])),
            headings=frozenset(scope["headings"]) if scope.get("headings") else None,
        )

    def covers(self, requirement: dict, heading_id: str = "") -> bool:
        if requirement["id"] in self.exclude:
            return False
        if requirement["id"] in self.include:
            return True
        if self.headings is not None and heading_id not in self.headings:
            return False
        return bool(self.families & set(requirement["tiers"]))


def applies_to_roles(requirement: dict, roles: Iterable[str]) -> bool:
    wanted = requirement["roles"]
    return wanted == "all" or bool(set(wanted) & set(roles))


def asked_of_size(question: dict, size_class: str) -> bool:
    return size_class in question.get("sizes", SIZE_CLASSES)


def requirements_in_scope(
    catalogue: dict, scope: TierScope, roles: Iterable[str]
) -> Iterator[tuple[dict, dict]]:
    """(heading, requirement) pairs in the tier's scope that apply to these roles."""
    roles = tuple(roles)
    for heading in catalogue["headings"]:
        for requirement in heading["requirements"]:
            if scope.covers(requirement, heading["id"]) and applies_to_roles(requirement, roles):
                yield heading, requirement


def questions_for(
    catalogue: dict, scope: TierScope, *, size_class: str, roles: Iterable[str]
) -> list[tuple[dict, dict, dict]]:
    """(heading, requirement, question) triples asked of such an operator, in catalogue order."""
    if size_class not in SIZE_CLASSES:
        raise ValueError(f"unknown size class {size_class!r}")
    return [
        (heading, requirement, question)
        for heading, requirement in requirements_in_scope(catalogue, scope, roles)
        for question in requirement["questions"]
        if asked_of_size(question, size_class)
    ]


@dataclass(frozen=True)
class SizeInputs:
    employees: int
    turnover: float | None = None
    balance_sheet: float | None = None


def size_class_of(inputs: SizeInputs, definition: dict) -> str:
    """The smallest class whose ceilings the business stays within.

    A class's definition gives `max_employees` (fewer than) and ceilings for
    turnover and balance sheet total (at most). With `financial_rule: either` (the
    EU definition) staying within one financial ceiling is enough; with `both`
    (e.g. India's investment and turnover test) both must hold. A missing figure
    is not held against the business: the others then decide.
    """
    both = definition.get("financial_rule", "either") == "both"
    for size_class in ("micro", "small", "medium"):
        ceilings = definition.get(size_class)
        if not ceilings:
            continue
        if "max_employees" in ceilings and inputs.employees >= ceilings["max_employees"]:
            continue
        money = [
            value <= ceilings[key]
            for value, key in (
                (inputs.turnover, "max_turnover"),
                (inputs.balance_sheet, "max_balance_sheet"),
            )
            if value is not None and ceilings.get(key) is not None
        ]
        if not money or (all(money) if both else any(money)):
            return size_class
    return "large"
