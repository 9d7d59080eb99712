"""The shipped catalogue's content: plain English, real size-class alternatives, coverage."""

import pytest
import textstat

from openaeo.catalogue.library import LIBRARY_DIR, load_catalogue

pytestmark = pytest.mark.domain

CATALOGUE = load_catalogue(LIBRARY_DIR / "safe2025")
REQUIREMENTS = [r for heading in CATALOGUE["headings"] for r in heading["requirements"]]
QUESTIONS = [q for r in REQUIREMENTS for q in r["questions"]]


def test_all_thirteen_safe_headings_are_there_in_order():
    assert [heading["ref"] for heading in CATALOGUE["headings"]] == [str(n) for n in range(1, 14)]


@pytest.mark.parametrize(
    "question",
    QUESTIONS,
    ids=[q["id"].rsplit(":", 2)[-2] + ":" + q["id"].rsplit(":", 1)[-1] for q in QUESTIONS],
)
def test_each_english_question_is_plain(question):
    score = textstat.flesch_reading_ease(question["text"]["en"])
    assert score >= 50, (
        f"{question['id']}: Flesch reading ease {score} < 50: {question['text']['en']!r}"
    )


def test_the_questions_together_read_easily():
    text = " ".join(question["text"]["en"] for question in QUESTIONS)
    assert textstat.flesch_reading_ease(text) >= 60


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=[r["ref"] for r in REQUIREMENTS])
def test_size_classes_get_real_alternatives(requirement):
    for language in ("en", "fr"):
        texts = [
            requirement["means"][size][language] for size in ("micro", "small", "medium", "large")
        ]
        assert len(set(texts)) == 4, (
            f"{requirement['id']}: two size classes share a sentence ({language})"
        )


def test_every_requirement_asks_a_micro_business_something():
    for requirement in REQUIREMENTS:
        assert any("micro" in q.get("sizes", ["micro"]) for q in requirement["questions"]), (
            requirement["id"]
        )


def test_every_answer_type_is_used():
    assert {q["answer"] for q in QUESTIONS} == {
        "yes_no_partly",
        "choice",
        "number",
        "date",
        "document",
    }


def test_there_are_knock_outs_and_scored_requirements():
    importance = {r["importance"] for r in REQUIREMENTS}
    assert importance == {"knockout", "scored"}


def test_every_template_is_used_by_some_requirement():
    used = {template for r in REQUIREMENTS for template in r.get("templates", [])}
    assert {t["id"] for t in CATALOGUE["templates"]} <= used
