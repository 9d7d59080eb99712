"""Reading self-assessments: what is asked, what is answered, who may see it."""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from openaeo.assessments.models import Answer, SelfAssessment
from openaeo.catalogue.proportionality import TierScope, questions_for
from openaeo.operators import policy as operator_policy


def assessment_visible_to(user, assessment_id: int) -> SelfAssessment:
    """The assessment, or 404 whether it is missing or belongs to a business `user` cannot see."""
    assessment = (
        SelfAssessment.objects.select_related("operator", "programme", "catalogue_version")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None or not operator_policy.can_view_operator(user, assessment.operator):
        raise Http404
    return assessment


def assessments_of(operator) -> QuerySet[SelfAssessment]:
    return SelfAssessment.objects.filter(operator=operator).select_related("programme")


def asked(assessment: SelfAssessment) -> list[tuple[dict, dict, dict]]:
    """(heading, requirement, question) triples asked in this assessment, in order."""
    return questions_for(
        assessment.catalogue_version.content,
        TierScope.from_config(assessment.tier),
        size_class=assessment.size_class,
        roles=assessment.roles,
    )


@dataclass
class RequirementBlock:
    requirement: dict
    questions: list[tuple[dict, Answer | None]] = field(default_factory=list)


@dataclass
class HeadingBlock:
    number: int
    heading: dict
    requirements: list[RequirementBlock] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(block.questions) for block in self.requirements)

    @property
    def answered(self) -> int:
        return sum(
            1
            for block in self.requirements
            for _q, answer in block.questions
            if answer and (answer.value or answer.explanation)
        )


def questionnaire(assessment: SelfAssessment) -> list[HeadingBlock]:
    """The asked questions grouped by heading and requirement, each with its current answer."""
    answers = {
        answer.question_id: answer for answer in assessment.answers.select_related("updated_by")
    }
    headings: list[HeadingBlock] = []
    for heading, requirement, question in asked(assessment):
        if not headings or headings[-1].heading["id"] != heading["id"]:
            headings.append(HeadingBlock(number=len(headings) + 1, heading=heading))
        block = headings[-1]
        if not block.requirements or block.requirements[-1].requirement["id"] != requirement["id"]:
            block.requirements.append(RequirementBlock(requirement=requirement))
        block.requirements[-1].questions.append((question, answers.get(question["id"])))
    return headings


def find_question(assessment: SelfAssessment, question_id: str) -> dict:
    for _heading, _requirement, question in asked(assessment):
        if question["id"] == question_id:
            return question
    raise Http404


def evidence_purpose(assessment: SelfAssessment, question_id: str) -> str:
    return f"assessment:{assessment.pk}:{question_id}"


def evidence_by_question(assessment: SelfAssessment) -> dict[str, list]:
    """Files uploaded for each document question (clean, waiting or refused), newest first."""
    from openaeo.evidence.models import EvidenceFile

    prefix = evidence_purpose(assessment, "")
    files: dict[str, list] = {}
    for evidence in EvidenceFile.objects.filter(
        operator=assessment.operator, purpose__startswith=prefix
    ).order_by("-uploaded_at"):
        files.setdefault(evidence.purpose[len(prefix) :], []).append(evidence)
    return files


def readiness_of(
    assessment: SelfAssessment, questions: list[tuple[dict, dict, dict]] | None = None
):
    """The scoring module's verdict on the current answers (see scoring.py for the rules).

    `questions` may be passed by callers that already computed `asked(assessment)`.
    A document question counts as answered with a document only while at least one
    of its files has passed the virus check: a file waiting in quarantine, or
    refused, proves nothing yet.
    """
    from openaeo.assessments.scoring import Answer as ScoredAnswer
    from openaeo.assessments.scoring import assess
    from openaeo.evidence.models import EvidenceStatus

    clean = {
        question_id
        for question_id, files in evidence_by_question(assessment).items()
        if any(evidence.status == EvidenceStatus.CLEAN for evidence in files)
    }
    answers = {
        answer.question_id: ScoredAnswer(value=answer.value, explanation=answer.explanation)
        for answer in assessment.answers.all()
    }
    questions = asked(assessment) if questions is None else questions
    for _heading, _requirement, question in questions:
        if question["answer"] == "document":
            previous = answers.get(question["id"])
            answers[question["id"]] = ScoredAnswer(
                value="uploaded" if question["id"] in clean else "",
                explanation=previous.explanation if previous else "",
            )
    return assess(questions, answers)


def actions_of(assessment: SelfAssessment):
    return assessment.actions.select_related("owner").order_by("status", "due_date", "id")


def action_evidence_purpose(action) -> str:
    """The evidence-store purpose of files sent when an action is marked done."""
    return f"action:{action.pk}"


def evidence_by_action(assessment: SelfAssessment) -> dict[int, list]:
    """Files sent with each action of the plan (clean, waiting or refused), newest first."""
    from openaeo.evidence.models import EvidenceFile

    purposes = {
        action_evidence_purpose(action): action.pk for action in assessment.actions.only("pk")
    }
    files: dict[int, list] = {}
    for evidence in EvidenceFile.objects.filter(
        operator=assessment.operator, purpose__in=list(purposes)
    ).order_by("-uploaded_at", "-id"):
        files.setdefault(purposes[evidence.purpose], []).append(evidence)
    return files
