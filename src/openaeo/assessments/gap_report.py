"""Turning readiness results into a gap report people can act on (pure).

Each gap says, in the reader's language, what to do (what is enough for a
business of this size), which model document helps, and a rough effort.
"""

from dataclasses import dataclass

EFFORT_LABELS = ("hours", "days", "weeks")


def rough_effort(requirement: dict, size_class: str) -> str:
    """A rough effort: "hours", "days" or "weeks".

    Heavier requirements take longer, and so do larger businesses, whose expected
    means (written procedures, audits) take more work than a micro firm's log.
    """
    weight = requirement.get("weight", 3)
    step = 0 if weight <= 2 else (1 if weight <= 4 else 2)
    if requirement.get("importance") == "knockout":
        step = max(step, 1)
    if size_class in ("medium", "large"):
        step = min(step + 1, 2)
    return EFFORT_LABELS[step]


@dataclass(frozen=True)
class GapLine:
    heading: dict
    requirement: dict
    severity: str
    reasons: tuple[str, ...]
    question_ids: tuple[str, ...]
    effort: str
    templates: tuple[str, ...]


def gap_lines(readiness, asked: list[tuple[dict, dict, dict]], size_class: str) -> list[GapLine]:
    """The readiness gaps joined with their catalogue text, blocking ones first."""
    requirements = {requirement["id"]: (heading, requirement) for heading, requirement, _q in asked}
    lines = []
    for gap in readiness.gaps:
        heading, requirement = requirements[gap.requirement_id]
        lines.append(
            GapLine(
                heading=heading,
                requirement=requirement,
                severity=gap.severity,
                reasons=tuple(gap.reasons),
                question_ids=tuple(gap.question_ids),
                effort=rough_effort(requirement, size_class),
                templates=tuple(requirement.get("templates", [])),
            )
        )
    order = {"blocking": 0, "needs_work": 1}
    return sorted(lines, key=lambda line: order.get(line.severity, 2))
