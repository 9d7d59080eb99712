"""Starting a self-assessment and saving answers, each with its audit event."""

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from openaeo.assessments.answer_rules import AnswerInvalid, normalise
from openaeo.assessments.models import Answer, SelfAssessment
from openaeo.common import clock
from openaeo.common.audit import record_event
from openaeo.operators import msme
from openaeo.operators import policy as operator_policy

logger = logging.getLogger(__name__)


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
    size_class = msme.size_class_in(operator, programme)
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


def action_plan_create(*, actor, assessment: SelfAssessment) -> list:
    """Turn every gap that has no action yet into one. Running it twice adds nothing."""
    from openaeo.assessments.models import ActionItem
    from openaeo.assessments.selectors import asked, readiness_of
    from openaeo.catalogue.templatetags.catalogue_text import pick

    if not operator_policy.can_prepare(actor, assessment.operator):
        raise PermissionDenied
    questions = asked(assessment)
    requirements = {requirement["id"]: requirement for _h, requirement, _q in questions}
    existing = set(assessment.actions.values_list("requirement_id", flat=True))
    created = []
    now = clock.now()
    with transaction.atomic():
        for gap in readiness_of(assessment, questions).gaps:
            if gap.requirement_id in existing:
                continue
            action = ActionItem.objects.create(
                assessment=assessment,
                requirement_id=gap.requirement_id,
                title=pick(requirements[gap.requirement_id]["title"])[:300],
                created_at=now,
            )
            created.append(action)
        if created:
            record_event(
                actor=actor,
                acting_for=assessment.operator,
                action="assessment.action_plan",
                obj=assessment,
                after={"actions": [action.requirement_id for action in created]},
            )
    return created


def action_update(*, actor, action, owner=None, due_date=None, notes: str = ""):
    if not operator_policy.can_prepare(actor, action.assessment.operator):
        raise PermissionDenied
    if owner is not None and not operator_policy.can_prepare(owner, action.assessment.operator):
        raise ValidationError({"owner": _("Choose someone who works on this business's file.")})
    with transaction.atomic():
        before = {
            "owner": str(action.owner or ""),
            "due_date": action.due_date,
            "notes": action.notes,
        }
        action.owner, action.due_date, action.notes = owner, due_date, notes
        action.save(update_fields=["owner", "due_date", "notes"])
        record_event(
            actor=actor,
            acting_for=action.assessment.operator,
            action="assessment.action_update",
            obj=action,
            before=before,
            after={"owner": str(owner or ""), "due_date": due_date, "notes": notes},
        )
    return action


class ActionEvidenceRefused(ValidationError):
    """The file sent to close an action was refused by the virus check; the action stays open."""

    def __init__(self, evidence):
        values = {"name": evidence.original_name}
        if evidence.status == "infected":
            message = _(
                "“%(name)s” was refused: the virus check found a virus in it, so nothing of it "
                "was kept. The action is still open: send a clean copy, or mark it done "
                "without a file."
            )
        else:
            message = _(
                "“%(name)s” was refused: the virus check could not read it, so nothing of it "
                "was kept. The action is still open: save the file again (for example as PDF) "
                "and send the new copy, or mark it done without a file."
            )
        super().__init__({"file": message % values}, code="file_refused")
        self.evidence = evidence


def action_close(*, actor, action, note: str, uploaded_file=None):
    """Mark an action done. Its requirement's "no" and "partly" answers become "yes",
    with the note as their explanation, so readiness is recomputed from the answers.

    An optional file showing what was done goes through the evidence store (type from
    content, size limit, virus check) with the purpose `action:<id>`. It is all or
    nothing: a file refused for its size or type raises ValidationError and changes
    nothing; an infected or unreadable file raises ActionEvidenceRefused and leaves only
    the evidence store's record of the refusal, with the action still open. A file still
    waiting for the virus check does not hold the action back; it is shown as waiting.
    """
    from openaeo.assessments.selectors import action_evidence_purpose
    from openaeo.evidence import services as evidence_services
    from openaeo.evidence.models import EvidenceStatus

    if not operator_policy.can_prepare(actor, action.assessment.operator):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say in a few words what was done.")})
    assessment = action.assessment
    refused = None
    evidence = None
    try:
        with transaction.atomic():
            action = type(action).objects.select_for_update().get(pk=action.pk)
            if action.status == action.Status.DONE:
                return action  # a second click changes nothing (and stores no second file)
            if uploaded_file is not None:
                evidence = evidence_services.evidence_upload(
                    actor=actor,
                    operator=assessment.operator,
                    uploaded_file=uploaded_file,
                    purpose=action_evidence_purpose(action),
                )
                if evidence.status in (EvidenceStatus.INFECTED, EvidenceStatus.SCAN_FAILED):
                    # The refusal's record is kept, as for every upload; the action is not closed.
                    refused = evidence
            if refused is None:
                _close(actor=actor, action=action, assessment=assessment, note=note)
    except BaseException:
        _discard_stored_content(evidence)
        raise
    if refused is not None:
        raise ActionEvidenceRefused(refused)
    return action


def _close(*, actor, action, assessment, note: str) -> None:
    from openaeo.assessments.selectors import asked

    answers = {answer.question_id: answer for answer in assessment.answers.all()}
    for _heading, requirement, question in asked(assessment):
        if requirement["id"] != action.requirement_id or question["answer"] != "yes_no_partly":
            continue
        current = answers.get(question["id"])
        if current is None or current.value != "yes":
            answer_save(
                actor=actor,
                assessment=assessment,
                question=question,
                value="yes",
                explanation=note,
                seen_version=current.version if current else 0,
            )
    action.status, action.closed_at = action.Status.DONE, clock.now()
    action.notes = "\n".join(filter(None, [action.notes, note]))
    action.save(update_fields=["status", "closed_at", "notes"])
    record_event(
        actor=actor,
        acting_for=assessment.operator,
        action="assessment.action_close",
        obj=action,
        before={"status": "open"},
        after={"status": "done", "note": note},
    )


def _discard_stored_content(evidence) -> None:
    """Content stored for a file whose record was rolled back (the orphan sweep is the backstop)."""
    if evidence is None or not evidence.file:
        return
    try:
        evidence.file.storage.delete(evidence.file.name)
    except Exception:
        logger.exception("Could not delete evidence content %s", evidence.file.name)
