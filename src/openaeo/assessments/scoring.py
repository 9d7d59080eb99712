"""Readiness of a self-assessment: per heading ready, needs work or blocking (pure).

Plain data in, plain data out: the (heading, requirement, question) triples a trader
is asked (from `openaeo.catalogue.proportionality.questions_for`) and their answers
keyed by question id. Nothing here reads the database, so the rules below can be
tested on their own and explained to a trader, a validator or an auditor.

Why it looks like this: the report is for a small business preparing to apply. It
must say plainly what is missing and never make things look better than they are,
and answering a question better must never make the report look worse.

Questions
    Each answered question scores between 0 (not met) and 1 (fully met), or gives
    information only (no score):

    - yes / no / partly: yes = 1, partly = 0.5, no = 0.
    - choice: the score the catalogue gives the chosen option. Options without a score
      are information only (for example "who fills in your customs forms"): there is
      no better or worse answer, so they neither help nor hurt.
    - number: with `pass_at_least`, 1 when the answer is at least that figure, else 0.
      Without it the figure is information only (Customs reads it in context).
    - date: information only; it counts as answered when it is a valid date
      (year-month-day).
    - document: 1 when at least one clean file is attached ("uploaded"), else 0. An
      answer with no file (for example only an explanation) counts as answered but
      scores 0: the evidence is still missing.
    - unanswered, or an answer that does not fit the question (an unknown option, a
      number or date that cannot be read): 0, whatever the kind of question. A
      missing answer is a gap, and counting it keeps the score honest about how much
      is left to do. Answering such a question, even with information only, never
      lowers a score: an information-only answer simply stops counting.

Requirements
    - score: the mean of its question scores, leaving out information-only answers.
      When every question is information only (and so answered) it has no score.
    - A knock-out requirement is met only when every question is answered and every
      scored question scores 1. Customs cannot grant the status while a knock-out
      point is open, so an unmet knock-out is "blocking", and so is its heading. A
      knock-out with a question not yet answered is blocking too: it is never
      "ready" before it is shown to be met.
    - A scored requirement is met ("ready") when every question is answered and its
      score is at least THRESHOLD_READY; otherwise it "needs work". One "partly"
      among several "yes" answers can still be ready; validators look at the rest.

Headings
    - status: "blocking" when any requirement is blocking; else "ready" when every
      requirement is ready; else "needs work".
    - score: the mean of its requirement scores weighted by each requirement's
      weight (1-5), so that what matters more to Customs counts more. A requirement
      without a score (information only, all answered) counts as 1; one without a
      score and with an answer missing would count as 0 (it cannot happen with the
      rules above, but the rule keeps a missing answer from ever counting as met).

Overall
    - score: the mean of the heading scores weighted by the number of questions asked
      in each heading, so that a heading with one question does not weigh as much as
      one with twenty.
    - status: "blocking" when any heading is blocking; else "ready" when every heading
      is ready; else "needs work". With no questions at all nothing has been shown:
      score 0 and "needs work".

Gaps
    One per requirement that is not ready, in catalogue order, with the requirement's
    status as its severity and the questions to work on: every question unanswered
    or scoring below 1. Reason codes: "unanswered", "answered_no", "partly",
    "missing_document", "below_minimum" (a number below `pass_at_least`) and
    "weak_choice" (a choice whose option scores below 1).

Monotonicity
    Changing any answer to a better one (unanswered to anything, no to partly to yes,
    no document to an uploaded one, a number up to its pass mark, a choice to an
    option with a higher score) never lowers a score and never turns a status worse:
    every score is a (weighted) mean in which one term rises or a 0 drops out, and
    every status follows from "all answered" and "score at least ..." tests that
    only become easier to pass.
"""

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

THRESHOLD_READY = 0.8
"""The score a scored requirement needs, with every question answered, to be ready:
four "yes" and one "no" out of five, or "partly" on two of five questions."""

READY, NEEDS_WORK, BLOCKING = "ready", "needs_work", "blocking"

YES_NO_PARTLY_SCORES = {"yes": 1.0, "partly": 0.5, "no": 0.0}


@dataclass(frozen=True)
class Answer:
    # yes_no_partly: "yes"|"no"|"partly"; choice: option value; number: decimal string;
    # date: ISO date; document: "uploaded" when at least one clean file is attached, else "".
    value: str
    explanation: str = ""


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    answered: bool
    score: float | None  # None: information only (counts for "answered", not for the score)


@dataclass(frozen=True)
class RequirementResult:
    requirement_id: str
    heading_id: str
    knockout: bool
    weight: int
    answered: int
    total: int
    score: float | None
    met: bool
    status: str  # "ready" | "needs_work" | "blocking"


@dataclass(frozen=True)
class HeadingResult:
    heading_id: str
    answered: int
    total: int
    score: float
    status: str
    requirements: tuple[RequirementResult, ...]


@dataclass(frozen=True)
class Gap:
    requirement_id: str
    heading_id: str
    severity: str  # "blocking" | "needs_work"
    # "unanswered", "answered_no", "partly", "missing_document", "below_minimum", "weak_choice"
    reasons: tuple[str, ...]
    question_ids: tuple[str, ...]


@dataclass(frozen=True)
class Readiness:
    headings: tuple[HeadingResult, ...]
    answered: int
    total: int
    score: float  # in [0, 1]
    status: str  # "ready" only if every heading is ready
    gaps: tuple[Gap, ...]


def _number(value: str) -> Decimal | None:
    try:
        number = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value.strip())
    except ValueError:
        return False
    return True


def _option(question: dict, value: str) -> dict | None:
    return next((o for o in question.get("options", ()) if o["value"] == value), None)


def score_question(question: dict, answer: Answer | None) -> QuestionResult:
    """Whether the question is answered, and its score (None: information only)."""
    qid = question["id"]
    unanswered = QuestionResult(qid, answered=False, score=0.0)
    if answer is None:
        return unanswered
    value = (answer.value or "").strip()
    kind = question["answer"]
    if kind == "yes_no_partly":
        if value not in YES_NO_PARTLY_SCORES:
            return unanswered
        return QuestionResult(qid, True, YES_NO_PARTLY_SCORES[value])
    if kind == "choice":
        option = _option(question, value)
        if option is None:
            return unanswered
        score = option.get("score")
        return QuestionResult(qid, True, None if score is None else float(score))
    if kind == "number":
        number = _number(value)
        if number is None:
            return unanswered
        if question.get("pass_at_least") is None:
            return QuestionResult(qid, True, None)
        passes = number >= Decimal(str(question["pass_at_least"]))
        return QuestionResult(qid, True, 1.0 if passes else 0.0)
    if kind == "date":
        return QuestionResult(qid, True, None) if _is_date(value) else unanswered
    if kind == "document":
        return QuestionResult(qid, True, 1.0 if value == "uploaded" else 0.0)
    return unanswered


def _reason(question: dict, answer: Answer | None, result: QuestionResult) -> str | None:
    """Why this question holds its requirement back, or None when it does not."""
    if not result.answered:
        return "unanswered"
    if result.score is None or result.score >= 1:
        return None
    kind = question["answer"]
    if kind == "yes_no_partly":
        return "partly" if answer.value.strip() == "partly" else "answered_no"
    return {
        "document": "missing_document",
        "number": "below_minimum",
        "choice": "weak_choice",
    }[kind]


def _mean(values: list[float]) -> float:
    return math.fsum(values) / len(values)


def _weighted_mean(pairs: list[tuple[float, float]]) -> float:
    """Mean of values weighted by (positive) weights, clamped to [0, 1] against rounding."""
    total = math.fsum(weight for weight, _ in pairs)
    return min(1.0, max(0.0, math.fsum(weight * value for weight, value in pairs) / total))


def _requirement(heading_id: str, requirement: dict, scored: list) -> tuple:
    results = [result for _question, _answer, result in scored]
    answered = sum(result.answered for result in results)
    complete = answered == len(results)
    scores = [result.score for result in results if result.score is not None]
    score = _mean(scores) if scores else None
    knockout = requirement.get("importance") == "knockout"
    if knockout:
        met = complete and all(value >= 1 for value in scores)
        status = READY if met else BLOCKING
    else:
        met = complete and (score is None or score >= THRESHOLD_READY)
        status = READY if met else NEEDS_WORK
    outcome = RequirementResult(
        requirement_id=requirement["id"],
        heading_id=heading_id,
        knockout=knockout,
        weight=int(requirement.get("weight", 1)),
        answered=answered,
        total=len(results),
        score=score,
        met=met,
        status=status,
    )
    gap = None
    if status != READY:
        reasons, question_ids = [], []
        for question, answer, result in scored:
            reason = _reason(question, answer, result)
            if reason is None:
                continue
            question_ids.append(question["id"])
            if reason not in reasons:
                reasons.append(reason)
        gap = Gap(requirement["id"], heading_id, status, tuple(reasons), tuple(question_ids))
    return outcome, gap


def _status(statuses: list[str]) -> str:
    if BLOCKING in statuses:
        return BLOCKING
    return READY if statuses and all(status == READY for status in statuses) else NEEDS_WORK


def _requirement_value(result: RequirementResult) -> float:
    if result.score is not None:
        return result.score
    return 1.0 if result.answered == result.total else 0.0


def assess(asked: list[tuple[dict, dict, dict]], answers: Mapping[str, Answer]) -> Readiness:
    """Readiness per heading and overall, with the gaps, for these questions and answers.

    `asked` is the list of (heading, requirement, question) triples from
    `questions_for(...)`, in catalogue order; `answers` maps question ids to answers
    (questions without an entry are unanswered).
    """
    # Group by heading, then requirement, keeping the order in which they first appear.
    grouped: dict[str, tuple[dict, dict[str, tuple[dict, list]]]] = {}
    for heading, requirement, question in asked:
        _heading, requirements = grouped.setdefault(heading["id"], (heading, {}))
        _requirement_dict, scored = requirements.setdefault(requirement["id"], (requirement, []))
        answer = answers.get(question["id"])
        scored.append((question, answer, score_question(question, answer)))

    headings: list[HeadingResult] = []
    gaps: list[Gap] = []
    for heading_id, (_heading, requirements) in grouped.items():
        results = []
        for requirement, scored in requirements.values():
            outcome, gap = _requirement(heading_id, requirement, scored)
            results.append(outcome)
            if gap is not None:
                gaps.append(gap)
        headings.append(
            HeadingResult(
                heading_id=heading_id,
                answered=sum(result.answered for result in results),
                total=sum(result.total for result in results),
                score=_weighted_mean(
                    [(result.weight, _requirement_value(result)) for result in results]
                ),
                status=_status([result.status for result in results]),
                requirements=tuple(results),
            )
        )

    total = sum(heading.total for heading in headings)
    return Readiness(
        headings=tuple(headings),
        answered=sum(heading.answered for heading in headings),
        total=total,
        score=_weighted_mean([(heading.total, heading.score) for heading in headings])
        if total
        else 0.0,
        status=_status([heading.status for heading in headings]),
        gaps=tuple(gaps),
    )
