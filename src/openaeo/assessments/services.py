"""Starting a self-assessment and saving answers, each with its audit event."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from openaeo.assessments.answer_rules import AnswerInvalid, normalise
from openaeo.assessments.models import Answer, SelfAssessment
from openaeo.catalogue.proportionality import SizeInputs, size_class_of
from openaeo.common import clock
from openaeo.common.audit import record_event
from openaeo.operators import policy as operator_policy


def assessment_start(*, actor, operator, programme, tier_code: str) -> SelfAssessment:
    if not operator_policy.can_prepare(actor, operator):
        raise PermissionDenied
    if programme.tier(tier_code) is None:
        raise ValidationError({"tier": _("Choose a level of this programme.")})
    if not operator.roles or not operator.employees:
        raise ValidationError(
            _(
                "First say what your business does and how many people work for it (business profile)."
            )
        )
    size_class = size_class_of(
        SizeInputs(
            employees=operator.employees,
            turnover=float(operator.annual_turnover)
            if operator.annual_turnover is not None
            else None,
            balance_sheet=float(operator.balance_sheet_total)
            if operator.balance_sheet_total is not None
            else None,
        ),
        programme.config["size_classes"],
    )
    now = clock.now()
    with transaction.atomic():
        assessment = SelfAssessment.objects.create(
            operator=operator,
            programme=programme,
            catalogue_version=programme.catalogue_version,
            tier_code=tier_code,
            size_class=size_class,
            roles=list(operator.roles),
            started_by=actor,
            started_at=now,
            updated_at=now,
        )
        record_event(
            actor=actor,
            acting_for=operator,
            action="assessment.start",
            obj=assessment,
            after={
                "programme": programme.urn,
                "tier": tier_code,
                "catalogue": f"{programme.catalogue_version.urn}@{programme.catalogue_version.revision}",
                "size_class": size_class,
                "roles": assessment.roles,
            },
        )
    return assessment


@dataclass
class AnswerConflict(Exception):
    """Someone else saved this answer after the form was opened."""

    current: Answer


def answer_save(
    *,
    actor,
    assessment: SelfAssessment,
    question: dict,
    value: str,
    explanation: str,
    seen_version: int,
) -> Answer:
    """Save one answer. Refuses an answer based on an older version (a colleague saved first)."""
    if not operator_policy.can_prepare(actor, assessment.operator):
        raise PermissionDenied
    if assessment.status != SelfAssessment.Status.IN_PROGRESS:
        raise ValidationError(
            _("This self-assessment is closed; start a new one to change answers.")
        )
    try:
        value, explanation = normalise(question, value, explanation)
    except AnswerInvalid as invalid:
        raise ValidationError({invalid.field: invalid.message}) from invalid
    now = clock.now()
    try:
        with transaction.atomic():
            answer = (
                Answer.objects.select_for_update()
                .filter(assessment=assessment, question_id=question["id"])
                .first()
            )
            if answer is not None and (answer.value, answer.explanation) == (value, explanation):
                return answer  # the same answer again (a double click): nothing changes
            current_version = answer.version if answer else 0
            if current_version != seen_version:
                raise AnswerConflict(answer)
            before = {"value": answer.value, "explanation": answer.explanation} if answer else None
            if answer is None:
                answer = Answer(assessment=assessment, question_id=question["id"])
            answer.value, answer.explanation = value, explanation
            answer.version = current_version + 1
            answer.updated_by, answer.updated_at = actor, now
            answer.save()
            SelfAssessment.objects.filter(pk=assessment.pk).update(updated_at=now)
            record_event(
                actor=actor,
                acting_for=assessment.operator,
                action="assessment.answer",
                obj=assessment,
                before={"question": question["id"], **before} if before else None,
                after={"question": question["id"], "value": value, "explanation": explanation},
            )
    except IntegrityError:
        # Two first answers at the same moment: the loser is told like any other conflict.
        raise AnswerConflict(
            Answer.objects.get(assessment=assessment, question_id=question["id"])
        ) from None
    return answer
