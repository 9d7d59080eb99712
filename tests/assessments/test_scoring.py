"""Readiness scoring (pure): each rule on small hand-built catalogues, the shipped catalogue,
and properties over random catalogues and answers."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openaeo.assessments.scoring import (
    THRESHOLD_READY,
    Answer,
    Gap,
    assess,
    score_question,
)
from openaeo.catalogue.library import LIBRARY_DIR, load_catalogue
from openaeo.catalogue.programmes import PROGRAMME_DIR, load_programme
from openaeo.catalogue.proportionality import SIZE_CLASSES, TierScope, questions_for

pytestmark = pytest.mark.domain

STATUS_RANK = {"blocking": 0, "needs_work": 1, "ready": 2}
_ids = itertools.count()


# --- small hand-built catalogues -------------------------------------------------------------


def q(kind="yes_no_partly", qid=None, **extra):
    question = {"id": qid or f"urn:openaeo:t:q{next(_ids)}", "answer": kind, **extra}
    return question


def choice(*scores, qid=None):
    """A choice question with options o0, o1, ...; a score of None leaves it unscored."""
    options = [
        {"value": f"o{index}", **({} if score is None else {"score": score})}
        for index, score in enumerate(scores)
    ]
    return q("choice", qid=qid, options=options)


def req(*questions, knockout=False, weight=1, rid=None):
    return {
        "id": rid or f"urn:openaeo:t:r{next(_ids)}",
        "importance": "knockout" if knockout else "scored",
        "weight": weight,
        "questions": list(questions),
    }


def heading(*requirements, hid=None):
    return {"id": hid or f"urn:openaeo:t:h{next(_ids)}", "requirements": list(requirements)}


def asked(*headings):
    return [
        (h, r, question) for h in headings for r in h["requirements"] for question in r["questions"]
    ]


def answers(**by_question):
    return {qid: Answer(value) for qid, value in by_question.items()}


def one_requirement(*questions, knockout=False):
    return asked(heading(req(*questions, knockout=knockout)))


# --- questions -------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "score"), [("yes", 1.0), ("partly", 0.5), ("no", 0.0)])
def test_yes_partly_no(value, score):
    result = score_question(q(), Answer(value))
    assert result.answered and result.score == score


@pytest.mark.parametrize("answer", [None, Answer(""), Answer("maybe")])
def test_unanswered_or_unreadable_scores_zero(answer):
    result = score_question(q(), answer)
    assert not result.answered and result.score == 0.0


def test_unanswered_counts_zero_even_for_information_only_questions():
    for question in (q("date"), q("number"), choice(None, None)):
        result = score_question(question, None)
        assert not result.answered and result.score == 0.0


def test_choice_uses_the_option_score():
    question = choice(0, 0.5, 1)
    assert score_question(question, Answer("o1")).score == 0.5
    assert score_question(question, Answer("o2")).score == 1.0
    assert not score_question(question, Answer("o9")).answered  # not an option


def test_choice_without_scores_is_information_only():
    result = score_question(choice(None, None), Answer("o0"))
    assert result.answered and result.score is None


def test_number_against_pass_mark():
    question = q("number", pass_at_least=5)
    assert score_question(question, Answer("5")).score == 1.0
    assert score_question(question, Answer("12.5")).score == 1.0
    assert score_question(question, Answer("4,9")).score == 0.0
    assert not score_question(question, Answer("five")).answered
    assert not score_question(question, Answer("NaN")).answered


def test_number_without_pass_mark_is_information_only():
    result = score_question(q("number"), Answer("0"))
    assert result.answered and result.score is None


def test_date_is_information_only_when_valid():
    valid = score_question(q("date"), Answer("2025-03-31"))
    assert valid.answered and valid.score is None
    assert not score_question(q("date"), Answer("2025-02-30")).answered
    assert not score_question(q("date"), Answer("last spring")).answered


def test_document_needs_an_upload():
    assert score_question(q("document"), Answer("uploaded")).score == 1.0
    missing = score_question(q("document"), Answer("", "We have none yet"))
    assert missing.answered and missing.score == 0.0


# --- requirements ------------------------------------------------------------------------------


def test_requirement_score_is_the_mean_of_its_scored_questions():
    a, b, info = q(), q(), q("date")
    readiness = assess(
        one_requirement(a, b, info),
        answers(**{a["id"]: "yes", b["id"]: "partly", info["id"]: "2024-01-01"}),
    )
    requirement = readiness.headings[0].requirements[0]
    assert requirement.score == 0.75
    assert (requirement.answered, requirement.total) == (3, 3)


def test_requirement_with_only_information_has_no_score_and_counts_as_met():
    info = q("date")
    readiness = assess(one_requirement(info), answers(**{info["id"]: "2024-01-01"}))
    requirement = readiness.headings[0].requirements[0]
    assert requirement.score is None and requirement.met and requirement.status == "ready"
    assert readiness.headings[0].score == 1.0 and readiness.status == "ready"


def test_an_unanswered_information_question_holds_the_score_down():
    a, info = q(), q("date")
    readiness = assess(one_requirement(a, info), answers(**{a["id"]: "yes"}))
    requirement = readiness.headings[0].requirements[0]
    assert requirement.score == 0.5 and requirement.status == "needs_work"


@pytest.mark.parametrize(
    ("values", "status"),
    [
        (["yes", "yes", "yes", "yes", "no"], "ready"),  # 0.8: exactly the threshold
        (["yes", "yes", "yes", "partly", "partly"], "ready"),
        (["yes", "yes", "yes", "no"], "needs_work"),  # 0.75
        (["yes", "yes", "yes", "yes", None], "needs_work"),  # 0.8, but one unanswered
    ],
)
def test_scored_requirement_is_ready_at_the_threshold_with_everything_answered(values, status):
    questions = [q() for _ in values]
    given_answers = {
        question["id"]: Answer(value)
        for question, value in zip(questions, values, strict=True)
        if value
    }
    readiness = assess(one_requirement(*questions), given_answers)
    requirement = readiness.headings[0].requirements[0]
    assert requirement.status == status
    assert requirement.met == (status == "ready")
    assert THRESHOLD_READY == 0.8


def test_knockout_met_only_when_everything_answered_scores_one():
    a, b = q(), q("document")
    catalogue = one_requirement(a, b, knockout=True)
    ready = assess(catalogue, answers(**{a["id"]: "yes", b["id"]: "uploaded"}))
    assert ready.headings[0].requirements[0].met
    assert ready.status == "ready" and ready.score == 1.0
    for value_a, value_b in [("partly", "uploaded"), ("yes", ""), ("yes", None), (None, None)]:
        given_answers = {a["id"]: Answer(value_a)} if value_a else {}
        if value_b is not None:
            given_answers[b["id"]] = Answer(value_b)
        readiness = assess(catalogue, given_answers)
        requirement = readiness.headings[0].requirements[0]
        assert requirement.knockout and not requirement.met
        assert requirement.status == readiness.headings[0].status == "blocking"
        assert readiness.status == "blocking"


def test_knockout_with_an_unanswered_information_question_is_blocking():
    a, info = q(), q("date")
    readiness = assess(one_requirement(a, info, knockout=True), answers(**{a["id"]: "yes"}))
    assert readiness.headings[0].status == "blocking"
    assert readiness.gaps == (
        Gap(
            readiness.headings[0].requirements[0].requirement_id,
            readiness.headings[0].heading_id,
            "blocking",
            ("unanswered",),
            (info["id"],),
        ),
    )


def test_knockout_ignores_information_only_answers():
    a, info = q(), choice(None, None)
    readiness = assess(
        one_requirement(a, info, knockout=True), answers(**{a["id"]: "yes", info["id"]: "o0"})
    )
    assert readiness.status == "ready"


# --- headings and overall --------------------------------------------------------------------


def test_heading_status_blocking_before_needs_work_before_ready():
    ko, scored, fine = q(), q(), q()
    h = heading(req(ko, knockout=True), req(scored), req(fine))
    assert (
        assess(asked(h), answers(**{ko["id"]: "no", scored["id"]: "no", fine["id"]: "yes"}))
        .headings[0]
        .status
        == "blocking"
    )
    assert (
        assess(asked(h), answers(**{ko["id"]: "yes", scored["id"]: "no", fine["id"]: "yes"}))
        .headings[0]
        .status
        == "needs_work"
    )
    assert (
        assess(asked(h), answers(**{ko["id"]: "yes", scored["id"]: "yes", fine["id"]: "yes"}))
        .headings[0]
        .status
        == "ready"
    )


def test_heading_score_is_weighted_by_requirement_weight():
    light, heavy = q(), q()
    h = heading(req(light, weight=1), req(heavy, weight=3))
    readiness = assess(asked(h), answers(**{light["id"]: "yes", heavy["id"]: "no"}))
    assert readiness.headings[0].score == 0.25


def test_information_only_requirement_counts_as_one_in_its_heading():
    info, scored = q("number"), q()
    h = heading(req(info, weight=2), req(scored, weight=2))
    readiness = assess(asked(h), answers(**{info["id"]: "7", scored["id"]: "no"}))
    assert readiness.headings[0].score == 0.5


def test_overall_score_is_weighted_by_questions_asked():
    small = heading(req(q()))
    big_questions = [q(), q(), q()]
    big = heading(req(*big_questions))
    given_answers = {small["requirements"][0]["questions"][0]["id"]: Answer("yes")}
    given_answers |= {question["id"]: Answer("no") for question in big_questions}
    readiness = assess(asked(small, big), given_answers)
    assert [h.score for h in readiness.headings] == [1.0, 0.0]
    assert readiness.score == 0.25
    assert (readiness.answered, readiness.total) == (4, 4)
    assert readiness.status == "needs_work"  # ready only when every heading is


def test_overall_blocking_when_any_heading_is():
    ko = q()
    readiness = assess(asked(heading(req(q())), heading(req(ko, knockout=True))), {})
    assert [h.status for h in readiness.headings] == ["needs_work", "blocking"]
    assert readiness.status == "blocking"


def test_nothing_asked_is_not_ready():
    readiness = assess([], {})
    assert (readiness.score, readiness.status, readiness.total, readiness.gaps) == (
        0.0,
        "needs_work",
        0,
        (),
    )


def test_answered_counts_per_heading():
    a, b, c = q(), q(), q("document")
    readiness = assess(asked(heading(req(a, b), req(c))), answers(**{a["id"]: "no", c["id"]: ""}))
    assert (readiness.headings[0].answered, readiness.headings[0].total) == (2, 3)
    assert [(r.answered, r.total) for r in readiness.headings[0].requirements] == [(1, 2), (1, 1)]


# --- gaps --------------------------------------------------------------------------------------


def test_gaps_name_reasons_and_questions_in_catalogue_order():
    no, part, doc, low, weak, empty, good = (
        q(),
        q(),
        q("document"),
        q("number", pass_at_least=3),
        choice(0, 0.5, 1),
        q(),
        q(),
    )
    first = req(no, part, doc, knockout=True)
    second = req(low, weak, empty, good)
    third = req(q("date", qid="urn:openaeo:t:info"))
    h = heading(first, second, third)
    readiness = assess(
        asked(h),
        answers(
            **{
                no["id"]: "no",
                part["id"]: "partly",
                doc["id"]: "",
                low["id"]: "2",
                weak["id"]: "o1",
                good["id"]: "yes",
                "urn:openaeo:t:info": "2025-01-01",
            }
        ),
    )
    assert readiness.gaps == (
        Gap(
            first["id"],
            h["id"],
            "blocking",
            ("answered_no", "partly", "missing_document"),
            (no["id"], part["id"], doc["id"]),
        ),
        Gap(
            second["id"],
            h["id"],
            "needs_work",
            ("below_minimum", "weak_choice", "unanswered"),
            (low["id"], weak["id"], empty["id"]),
        ),
    )


def test_no_gap_for_a_ready_requirement_even_with_a_partly():
    questions = [q() for _ in range(5)]
    values = ["yes", "yes", "yes", "yes", "partly"]
    readiness = assess(
        one_requirement(*questions),
        {question["id"]: Answer(v) for question, v in zip(questions, values, strict=True)},
    )
    assert readiness.status == "ready" and readiness.gaps == ()


# --- the shipped catalogue -------------------------------------------------------------------

CATALOGUE = load_catalogue(LIBRARY_DIR / "safe2025")
SAFE = load_programme(PROGRAMME_DIR / "safe-reference.yaml", catalogue=CATALOGUE)


def _scope(code):
    return TierScope.from_config(next(tier for tier in SAFE["tiers"] if tier["code"] == code))


def best_answer(question: dict) -> Answer:
    kind = question["answer"]
    if kind == "choice":
        best = max(question["options"], key=lambda option: option.get("score", 1))
        return Answer(best["value"])
    if kind == "number":
        return Answer(str(question.get("pass_at_least", question.get("minimum", 0))))
    return Answer({"yes_no_partly": "yes", "date": "2025-06-30", "document": "uploaded"}[kind])


def _shipped_questions():
    return [
        question
        for h in CATALOGUE["headings"]
        for r in h["requirements"]
        for question in r["questions"]
    ]


@pytest.mark.parametrize("tier", ["entry", "security"])
@pytest.mark.parametrize("size_class", SIZE_CLASSES)
def test_best_answers_to_the_shipped_catalogue_are_ready(tier, size_class):
    triples = questions_for(CATALOGUE, _scope(tier), size_class=size_class, roles=["exporter"])
    readiness = assess(
        triples, {question["id"]: best_answer(question) for _h, _r, question in triples}
    )
    assert readiness.status == "ready"
    assert all(h.status == "ready" and h.score == 1.0 for h in readiness.headings)
    assert readiness.score == 1.0 and readiness.gaps == ()
    assert readiness.answered == readiness.total == len(triples)


def test_a_blank_self_assessment_on_the_entry_tier_shows_every_gap():
    triples = questions_for(CATALOGUE, _scope("entry"), size_class="micro", roles=["exporter"])
    readiness = assess(triples, {})
    assert readiness.score == 0.0 and readiness.answered == 0
    assert readiness.status == "blocking"
    knockouts = {r["id"] for _h, r, _q in triples if r["importance"] == "knockout"}
    assert knockouts  # a clean customs record, at least
    assert {gap.requirement_id for gap in readiness.gaps if gap.severity == "blocking"} == knockouts
    assert len(readiness.gaps) == len({r["id"] for _h, r, _q in triples})
    assert all(gap.reasons == ("unanswered",) for gap in readiness.gaps)


def test_one_failed_knockout_blocks_only_its_heading():
    triples = questions_for(CATALOGUE, _scope("entry"), size_class="small", roles=["exporter"])
    given_answers = {question["id"]: best_answer(question) for _h, _r, question in triples}
    given_answers["urn:openaeo:safe2025:compliance:clean-record:record-type"] = Answer("repeated")
    readiness = assess(triples, given_answers)
    blocked = [h.heading_id for h in readiness.headings if h.status != "ready"]
    assert blocked == ["urn:openaeo:safe2025:compliance"]
    assert readiness.status == "blocking" and 0.9 < readiness.score < 1.0
    (gap,) = readiness.gaps
    assert (gap.requirement_id, gap.severity, gap.reasons) == (
        "urn:openaeo:safe2025:compliance:clean-record",
        "blocking",
        ("weak_choice",),
    )


def test_shipped_choice_questions_are_scored_all_or_nothing_and_can_be_met():
    for question in _shipped_questions():
        if question["answer"] != "choice":
            continue
        scores = [option.get("score") for option in question["options"]]
        assert all(s is None for s in scores) or all(s is not None for s in scores), question["id"]
        if scores[0] is not None:
            assert max(scores) == 1 and min(scores) < 1, question["id"]


# --- properties over random catalogues and answers -------------------------------------------

SCORE_VALUES = st.sampled_from([0, 0.25, 0.5, 0.75, 1]) | st.floats(0, 1)


@st.composite
def questions(draw, qid):
    kind = draw(st.sampled_from(["yes_no_partly", "choice", "number", "date", "document"]))
    question = {"id": qid, "answer": kind}
    if kind == "choice":
        count = draw(st.integers(2, 4))
        scored = draw(st.booleans())
        question["options"] = [
            {"value": f"o{index}", **({"score": draw(SCORE_VALUES)} if scored else {})}
            for index in range(count)
        ]
    elif kind == "number" and draw(st.booleans()):
        question["pass_at_least"] = draw(st.integers(0, 10))
    return question


@st.composite
def catalogues(draw):
    """The (heading, requirement, question) triples of a random small catalogue."""
    headings = []
    for h in range(draw(st.integers(1, 3))):
        requirements = []
        for r in range(draw(st.integers(1, 3))):
            requirements.append(
                {
                    "id": f"urn:openaeo:p:h{h}:r{r}",
                    "importance": draw(st.sampled_from(["knockout", "scored"])),
                    "weight": draw(st.integers(1, 5)),
                    "questions": [
                        draw(questions(f"urn:openaeo:p:h{h}:r{r}:q{i}"))
                        for i in range(draw(st.integers(1, 3)))
                    ],
                }
            )
        headings.append({"id": f"urn:openaeo:p:h{h}", "requirements": requirements})
    return asked(*headings)


def candidates(question: dict) -> list[tuple[float, Answer | None]]:
    """Possible answers with a rank: a higher rank is a better answer (equal: as good)."""
    kind = question["answer"]
    unanswered = [(-1, None)]
    if kind == "yes_no_partly":
        return [
            *unanswered,
            (-1, Answer("maybe")),
            (0, Answer("no")),
            (1, Answer("partly")),
            (2, Answer("yes")),
        ]
    if kind == "choice":
        return [
            *unanswered,
            (-1, Answer("not-an-option")),
            *((option.get("score", 0), Answer(option["value"])) for option in question["options"]),
        ]
    if kind == "number":
        numbers = [(n if "pass_at_least" in question else 0, Answer(str(n))) for n in range(12)]
        return [*unanswered, (-1, Answer("many")), *numbers]
    if kind == "date":
        return [*unanswered, (-1, Answer("2025-02-30")), (0, Answer("2024-12-31"))]
    return [*unanswered, (0, Answer("")), (1, Answer("uploaded"))]


@st.composite
def answer_sets(draw, triples):
    given_answers = {}
    for _h, _r, question in triples:
        _rank, answer = draw(st.sampled_from(candidates(question)))
        if answer is not None:
            given_answers[question["id"]] = answer
    return given_answers


def _statuses(readiness):
    return (
        [readiness.status]
        + [h.status for h in readiness.headings]
        + [r.status for h in readiness.headings for r in h.requirements]
    )


@given(data=st.data())
def test_a_better_answer_never_lowers_readiness(data):
    triples = data.draw(catalogues())
    given_answers = data.draw(answer_sets(triples))
    _h, _r, question = data.draw(st.sampled_from(triples))
    first, second = data.draw(
        st.lists(st.sampled_from(candidates(question)), min_size=2, max_size=2)
    )
    (_, worse), (_, better) = sorted([first, second], key=lambda pair: pair[0])
    before_answers, after_answers = dict(given_answers), dict(given_answers)
    for target, answer in ((before_answers, worse), (after_answers, better)):
        target.pop(question["id"], None)
        if answer is not None:
            target[question["id"]] = answer
    before, after = assess(triples, before_answers), assess(triples, after_answers)

    assert after.score >= before.score
    assert all(a.score >= b.score for a, b in zip(after.headings, before.headings, strict=True))
    assert all(
        STATUS_RANK[a] >= STATUS_RANK[b]
        for a, b in zip(_statuses(after), _statuses(before), strict=True)
    )
    assert after.answered >= before.answered


def failing_answers(question: dict) -> list[Answer | None]:
    """Answers that leave a knock-out question unanswered or not fully met."""
    kind = question["answer"]
    failing = [None]
    if kind == "yes_no_partly":
        failing += [Answer("no"), Answer("partly"), Answer("perhaps")]
    elif kind == "choice":
        failing += [Answer("not-an-option")]
        failing += [Answer(o["value"]) for o in question["options"] if o.get("score", 1) < 1]
    elif kind == "number":
        failing += [Answer("lots")]
        if "pass_at_least" in question:
            failing += [Answer(str(question["pass_at_least"] - 1))]
    elif kind == "date":
        failing += [Answer("31/12/2024")]
    else:
        failing += [Answer("")]
    return failing


@given(data=st.data())
def test_an_unanswered_or_failed_knockout_is_never_ready(data):
    triples = data.draw(catalogues())
    if data.draw(st.booleans(), label="every other answer at its best"):
        given_answers = {q["id"]: best_answer(q) for _h, _r, q in triples}
    else:
        given_answers = data.draw(answer_sets(triples))
    heading_, requirement, question = data.draw(st.sampled_from(triples))
    requirement["importance"] = "knockout"  # the triples share this dict
    answer = data.draw(st.sampled_from(failing_answers(question)))
    given_answers.pop(question["id"], None)
    if answer is not None:
        given_answers[question["id"]] = answer

    readiness = assess(triples, given_answers)
    (heading_result,) = [h for h in readiness.headings if h.heading_id == heading_["id"]]
    (result,) = [r for r in heading_result.requirements if r.requirement_id == requirement["id"]]
    assert not result.met and result.status == "blocking"
    assert heading_result.status == "blocking" and readiness.status == "blocking"
    assert any(
        gap.requirement_id == requirement["id"] and question["id"] in gap.question_ids
        for gap in readiness.gaps
    )


@given(data=st.data())
def test_scores_stay_between_zero_and_one(data):
    triples = data.draw(catalogues())
    readiness = assess(triples, data.draw(answer_sets(triples)))
    assert 0.0 <= readiness.score <= 1.0
    assert 0 <= readiness.answered <= readiness.total == len(triples)
    for h in readiness.headings:
        assert 0.0 <= h.score <= 1.0
        for r in h.requirements:
            assert r.score is None or 0.0 <= r.score <= 1.0
            assert r.met == (r.status == "ready")
    statuses = {h.status for h in readiness.headings}
    expected = (
        "blocking" if "blocking" in statuses else "ready" if statuses == {"ready"} else "needs_work"
    )
    assert readiness.status == expected
