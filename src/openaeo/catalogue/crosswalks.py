"""Crosswalks from our catalogue to other criteria sets, and programme comparisons (pure)."""

from dataclasses import dataclass
from pathlib import Path

from openaeo.catalogue.library import (
    LIBRARY_DIR,
    LibraryInvalid,
    Problem,
    _locate,
    _schema_problems,
)
from openaeo.catalogue.proportionality import TierScope
from openaeo.catalogue.yaml_lines import YamlSyntaxError, load_located, to_plain

CROSSWALK_DIR = LIBRARY_DIR / "crosswalks"


def load_crosswalk(path: Path, *, catalogue: dict | None = None) -> dict:
    try:
        document = load_located(path)
    except YamlSyntaxError as error:
        raise LibraryInvalid([Problem(error.file, error.line, "yaml", error.message)]) from error
    problems = list(_schema_problems(document, "crosswalk"))
    if not problems:
        targets = {item["code"] for item in document["target"]["items"]}
        known = None
        if catalogue is not None:
            known = {h["id"] for h in catalogue["headings"]} | {
                r["id"] for h in catalogue["headings"] for r in h["requirements"]
            }
        for index, mapping in enumerate(document["mappings"]):
            if mapping.get("target") and mapping["target"] not in targets:
                file, line, label = _locate(document, ["mappings", index])
                problems.append(Problem(file, line, label, f"unknown target {mapping['target']!r}"))
            if known is not None and mapping["source"] not in known:
                file, line, label = _locate(document, ["mappings", index])
                problems.append(
                    Problem(file, line, label, f"{mapping['source']} is not in the catalogue")
                )
    if problems:
        raise LibraryInvalid(problems)
    return to_plain(document)


def shipped_crosswalk_files() -> list[Path]:
    return sorted(CROSSWALK_DIR.glob("*.yaml"))


def mappings_by_requirement(crosswalk: dict, catalogue: dict) -> dict[str, list[dict]]:
    """Each requirement's mappings: its own if it has any, else its heading's."""
    by_source: dict[str, list[dict]] = {}
    for mapping in crosswalk["mappings"]:
        by_source.setdefault(mapping["source"], []).append(mapping)
    result = {}
    for heading in catalogue["headings"]:
        for requirement in heading["requirements"]:
            result[requirement["id"]] = by_source.get(requirement["id"]) or by_source.get(
                heading["id"], []
            )
    return result


@dataclass(frozen=True)
class ComparisonRow:
    kind: str  # requirement | threshold
    item: str
    heading: str
    a: str
    b: str
    status: str  # both | only_a | only_b | same | differs


def _tier(programme: dict, code: str | None) -> dict:
    tiers = programme["tiers"]
    if code is None:
        return tiers[-1]  # the fullest tier
    for tier in tiers:
        if tier["code"] == code:
            return tier
    raise KeyError(code)


THRESHOLD_NAMES = (
    "compliance_lookback_years",
    "min_customs_documents_per_year",
    "min_customs_documents_per_half_year",
    "min_years_in_business",
    "solvency_lookback_years",
    "bank_guarantee_percent",
)


def compare_programmes(
    catalogue: dict, a: dict, b: dict, *, tier_a: str | None = None, tier_b: str | None = None
) -> list[ComparisonRow]:
    """Requirements in scope of both tiers, of one only, and thresholds that differ.

    Both programmes draw on `catalogue`; with no tier given, each programme's fullest
    (last) tier is compared, as an arrangement of mutual recognition usually does.
    """
    ta, tb = _tier(a, tier_a), _tier(b, tier_b)
    scope_a, scope_b = TierScope.from_config(ta), TierScope.from_config(tb)
    rows = []
    for heading in catalogue["headings"]:
        for requirement in heading["requirements"]:
            in_a = scope_a.covers(requirement, heading["id"])
            in_b = scope_b.covers(requirement, heading["id"])
            if not (in_a or in_b):
                continue
            status = "both" if in_a and in_b else ("only_a" if in_a else "only_b")
            rows.append(
                ComparisonRow(
                    "requirement",
                    requirement["id"],
                    heading["id"],
                    "yes" if in_a else "no",
                    "yes" if in_b else "no",
                    status,
                )
            )
    thresholds_a, thresholds_b = ta.get("thresholds", {}), tb.get("thresholds", {})
    for name in THRESHOLD_NAMES:
        if name not in thresholds_a and name not in thresholds_b:
            continue
        value_a, value_b = thresholds_a.get(name), thresholds_b.get(name)
        rows.append(
            ComparisonRow(
                "threshold",
                name,
                "",
                "" if value_a is None else str(value_a),
                "" if value_b is None else str(value_b),
                "same" if value_a == value_b else "differs",
            )
        )
    return rows
