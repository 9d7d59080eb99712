"""The validation visit: its plan, a checklist scaled to the operator's size, the findings,
and the corrective actions the business then reports done and Customs accepts.

The checklist has one item per requirement the pinned self-assessment asks about
(the latest revision's assessment, through `assessments.selectors.asked`), so it is
scaled by the same rules as the questionnaire: a requirement none of whose questions
is asked of the operator's size class is not on the list, "what to verify" names only
the questions that size was asked, and "what is enough" is the catalogue's means of
compliance for that size. The texts are copied into the items in the language of the
officer who plans the visit: the checklist, like the report made from it, is a
record that does not change when the catalogue does.

Only members of the visit team record results and complete the report: the
four-eyes rule (decisions.four_eyes_problem) keeps them from deciding the case.
Recording a checklist item does not change the case version, so the team can work
on the list at the same time; planning and completing carry the version the officer
saw, like every other step of the case.

Corrective actions are due `deadlines.corrective_action_months` after the report
(3 months when the programme does not say). A critical finding is due after
CRITICAL_MONTHS (1) month, or the programme's period if that is shorter: a critical
weakness in security or compliance should not stay open for the whole period. Due
dates falling on a non-working day move to the next working day.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from openaeo.cases import policy, workflow
from openaeo.cases.deadlines import add_months, add_period
from openaeo.cases.models import (
    Application,
    CaseStatus,
    CorrectiveAction,
    ValidationVisit,
    VisitItem,
)
from openaeo.catalogue.templatetags.catalogue_text import pick
from openaeo.common import clock
from openaeo.common.audit import record_event

DEFAULT_CORRECTIVE_ACTION_MONTHS = 3
CRITICAL_MONTHS = 1
MAX_PHOTOS = 5
Result = VisitItem.Result


def photo_purpose(item: VisitItem) -> str:
    return f"visit-item:{item.pk}"


def corrective_action_purpose(action: CorrectiveAction) -> str:
    return f"corrective-action:{action.pk}"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def on_team(user, visit: ValidationVisit) -> bool:
    return bool(user.is_authenticated) and visit.team.filter(pk=user.pk).exists()


# -- the checklist (pure: catalogue texts in, items out) ---------------------------------------


@dataclass(frozen=True)
class ChecklistEntry:
    heading_id: str
    requirement_id: str
    title: str
    what_to_verify: str
    enough_for_size: str


def checklist_from(
    asked: Iterable[tuple[dict, dict, dict]], size_class: str
) -> list[ChecklistEntry]:
    """One entry per requirement among the (heading, requirement, question) triples asked,
    in catalogue order, with the texts for `size_class` in the active language."""
    grouped: dict[str, tuple[dict, dict, list[dict]]] = {}
    for heading, requirement, question in asked:
        grouped.setdefault(requirement["id"], (heading, requirement, []))[2].append(question)
    entries = []
    for heading, requirement, questions in grouped.values():
        lines = [
            pick(requirement["evidence"]),
            "",
            _("See in practice what the business answered:"),
        ]
        lines += [f"- {pick(question['text'])}" for question in questions]
        entries.append(
            ChecklistEntry(
                heading_id=heading["id"],
                requirement_id=requirement["id"],
                title=pick(requirement["title"])[:300],
                what_to_verify="\n".join(lines),
                enough_for_size=pick(requirement.get("means", {}).get(size_class)),
            )
        )
    return entries


def _checklist_of(application: Application) -> tuple[str, list[ChecklistEntry]]:
    """The size class and checklist from the assessment pinned in the latest revision."""
    from openaeo.assessments.selectors import asked

    revision = (
        application.revisions.select_related("assessment__catalogue_version")
        .order_by("-number")
        .first()
    )
    if revision is None:
        raise ValidationError(_("This case has no submitted self-assessment to build a checklist."))
    assessment = revision.assessment
    return assessment.size_class, checklist_from(asked(assessment), assessment.size_class)


# -- corrective action due dates ----------------------------------------------------------------


def corrective_action_due(application: Application, severity: str, start: dt.date) -> dt.date:
    months = (
        workflow.deadlines_of(application).get("corrective_action_months")
        or DEFAULT_CORRECTIVE_ACTION_MONTHS
    )
    if severity == Result.CRITICAL:
        months = min(months, CRITICAL_MONTHS)
    return add_period(
        add_months(start, months),
        0,
        working_days=False,
        calendar=workflow.calendar_of(application),
    )


# -- planning ---------------------------------------------------------------------------------


def visit_plan(
    *,
    actor,
    application: Application,
    seen_version: int | None,
    planned_on: dt.date | None,
    site: str,
    mode: str,
    team,
) -> ValidationVisit:
    """Plan the validation visit (the case moves from desk review to validation), or change
    the plan of the visit not yet completed: its checklist and what was recorded stay.
    In validation with every visit completed (a case sent back), a further visit is
    planned with a new checklist. The applicant is told the date and how."""
    site = (site or "").strip()
    team = list({person.pk: person for person in (team or []) if person is not None}.values())
    errors = {}
    if planned_on is None:
        errors["planned_on"] = _("Give the date of the visit.")
    if not site:
        errors["site"] = _("Say where the visit takes place.")
    if mode not in ValidationVisit.Mode.values:
        errors["mode"] = _("Choose whether the visit is on site or remote.")
    if not team:
        errors["team"] = _("Choose at least one person for the visit team.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        application = workflow.locked(application, seen_version)
        _require(policy.can_work_on(actor, application))
        outsiders = [person for person in team if not policy.may_be_assigned(person, application)]
        if outsiders:
            raise ValidationError(
                {
                    "team": _(
                        "%(people)s cannot work on cases of this office, so they cannot be on "
                        "the visit team."
                    )
                    % {"people": ", ".join(str(person) for person in outsiders)}
                }
            )
        visit = None
        if application.status == CaseStatus.VALIDATION:
            visit = (
                application.visits.select_for_update()
                .filter(completed_at__isnull=True)
                .order_by("-id")
                .first()
            )
        elif application.status != CaseStatus.DESK_REVIEW:
            raise ValidationError(
                _("A validation visit is planned during the desk review or the validation.")
            )
        if planned_on < clock.today() and (visit is None or planned_on != visit.planned_on):
            raise ValidationError({"planned_on": _("The date of the visit is in the past.")})
        before = application.status
        if application.status == CaseStatus.DESK_REVIEW:
            workflow.transition(application, "start_validation")
        replanned = visit is not None
        if visit is None:
            size_class, entries = _checklist_of(application)
            visit = ValidationVisit.objects.create(
                application=application,
                planned_on=planned_on,
                site=site[:300],
                mode=mode,
                planned_by=actor,
                planned_at=clock.now(),
                size_class=size_class,
            )
            VisitItem.objects.bulk_create(
                VisitItem(
                    visit=visit,
                    position=position,
                    heading_id=entry.heading_id,
                    requirement_id=entry.requirement_id,
                    title=entry.title,
                    what_to_verify=entry.what_to_verify,
                    enough_for_size=entry.enough_for_size,
                )
                for position, entry in enumerate(entries, start=1)
            )
        else:
            visit.planned_on, visit.site, visit.mode = planned_on, site[:300], mode
            visit.save(update_fields=["planned_on", "site", "mode"])
        visit.team.set(team)
        workflow.save_change(
            application,
            actor=actor,
            action="case.visit_plan",
            before_status=before,
            after={
                "visit": visit.pk,
                "planned_on": planned_on,
                "mode": mode,
                "site": visit.site,
                "team": sorted(person.email for person in team),
                "replanned": replanned,
                "items": visit.items.count(),
            },
        )
        subject = (
            gettext_noop("The validation visit for %(reference)s has changed")
            if replanned
            else gettext_noop("Validation visit for %(reference)s planned")
        )
        if mode == ValidationVisit.Mode.ON_SITE:
            body = gettext_noop(
                "Customs will visit you on %(date)s at %(site)s to see how the things you "
                "described work in practice. Have the people and papers of your answers at hand."
            )
        else:
            body = gettext_noop(
                "Customs will hold the validation visit remotely, by video call with shared "
                "documents, on %(date)s. Have the people and papers of your answers at hand."
            )
        workflow.tell_applicant(application, subject, body, date=planned_on, site=visit.site)
        workflow.tell_officers(
            application,
            [person for person in visit.team.all() if person.pk != actor.pk],
            gettext_noop("You are on the validation visit of case %(reference)s"),
            gettext_noop(
                "%(business)s, on %(date)s at %(site)s. The checklist is on the case page."
            ),
            date=planned_on,
            site=visit.site,
        )
    return visit


# -- the checklist on the day ------------------------------------------------------------------


def _photos_received(actor, application: Application, item: VisitItem, photos) -> list:
    """Each photo through the evidence checks; one bad file refuses the whole recording."""
    from openaeo.evidence import services as evidence_services
    from openaeo.evidence import sniffing
    from openaeo.evidence.models import EvidenceStatus

    stored = []
    for upload in photos:
        name = evidence_services.clean_file_name(getattr(upload, "name", "") or "")
        file_type = sniffing.detect(upload)
        if file_type is None or not file_type.mime.startswith("image/"):
            raise ValidationError(
                {
                    "photos": _(
                        "“%(name)s” is not a photo. Send pictures (JPEG or PNG); nothing was "
                        "recorded."
                    )
                    % {"name": name}
                }
            )
        try:
            evidence = evidence_services.evidence_receive(
                actor=actor,
                operator=application.operator,
                uploaded_file=upload,
                purpose=photo_purpose(item),
            )
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from error
        if evidence.status in (EvidenceStatus.INFECTED, EvidenceStatus.SCAN_FAILED):
            raise ValidationError(
                {
                    "photos": _(
                        "“%(name)s” was refused by the virus check; nothing was recorded. Remove "
                        "it and record the item again."
                    )
                    % {"name": evidence.original_name}
                }
            )
        stored.append(evidence)
    return stored


def visit_item_record(*, actor, item: VisitItem, result: str, notes: str, photos=None) -> VisitItem:
    """A team member records what they found for one item: verified, a finding (minor,
    major, critical) or not applicable, with notes and photos. Recording again corrects it."""
    notes = (notes or "").strip()
    photos = [upload for upload in (photos or []) if upload]
    errors = {}
    if result not in Result.values or result == Result.PENDING:
        errors["result"] = _("Choose what you found.")
    elif result in VisitItem.FINDINGS and not notes:
        errors["notes"] = _(
            "Describe the finding: the business reads it as what it must put right."
        )
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("Add at most %(count)s photos at a time.") % {"count": MAX_PHOTOS}
    if errors:
        raise ValidationError(errors)
    _require(policy.can_work_on(actor, item.visit.application))
    _require(on_team(actor, item.visit))
    # Photos are checked and stored before the transaction, so that a refused one keeps its
    # record (as every refused upload does) while nothing of the item changes.
    stored = _photos_received(actor, item.visit.application, item, photos)
    with transaction.atomic():
        application = workflow.locked(item.visit.application, None)
        _require(policy.can_work_on(actor, application))
        visit = ValidationVisit.objects.select_for_update().get(pk=item.visit_id)
        _require(on_team(actor, visit))
        if visit.completed_at is not None:
            raise ValidationError(
                _("The visit report is completed: its checklist can no longer change.")
            )
        if application.status != CaseStatus.VALIDATION:
            raise ValidationError(
                _("This cannot be done while the case is at the step “%(step)s”.")
                % {"step": application.get_status_display()}
            )
        item = VisitItem.objects.select_for_update().get(pk=item.pk)
        before = {"result": item.result, "notes": item.notes}
        item.result, item.notes = result, notes
        item.checked_by, item.checked_at = actor, clock.now()
        item.save(update_fields=["result", "notes", "checked_by", "checked_at"])
        record_event(
            actor=actor,
            action="case.visit_item",
            obj=application,
            before=before,
            after={
                "visit": visit.pk,
                "item": item.pk,
                "requirement": item.requirement_id,
                "result": result,
                "notes": notes,
                "photos": [evidence.sha256 for evidence in stored],
            },
        )
    return item


def visit_complete(
    *, actor, visit: ValidationVisit, seen_version: int | None, summary: str
) -> ValidationVisit:
    """The team completes the report once every item has a result. Each finding becomes a
    corrective action with a due date, and the applicant is told."""
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError(
            {
                "summary": _(
                    "Write a short summary of the visit: the business reads it in the report."
                )
            }
        )
    with transaction.atomic():
        application = workflow.locked(visit.application, seen_version)
        _require(policy.can_work_on(actor, application))
        visit = ValidationVisit.objects.select_for_update().get(pk=visit.pk)
        _require(on_team(actor, visit))
        if visit.completed_at is not None:
            raise ValidationError(_("This visit report is already completed."))
        if application.status != CaseStatus.VALIDATION:
            raise ValidationError(
                _("This cannot be done while the case is at the step “%(step)s”.")
                % {"step": application.get_status_display()}
            )
        pending = visit.items.filter(result=Result.PENDING).count()
        if pending:
            raise ValidationError(
                ngettext(
                    "%(count)s item of the checklist is not checked yet. Record a result for "
                    "it (or mark it not applicable) before completing the report.",
                    "%(count)s items of the checklist are not checked yet. Record a result for "
                    "each (or mark them not applicable) before completing the report.",
                    pending,
                )
                % {"count": pending},
                code="pending_items",
            )
        now, today = clock.now(), clock.today()
        actions = [
            CorrectiveAction.objects.create(
                application=application,
                visit_item=item,
                severity=item.result,
                description=item.notes,
                due_on=corrective_action_due(application, item.result, today),
                created_at=now,
            )
            for item in visit.items.filter(result__in=VisitItem.FINDINGS).order_by("position")
        ]
        visit.summary, visit.completed_at = summary, now
        visit.save(update_fields=["summary", "completed_at"])
        findings = Counter(action.severity for action in actions)
        workflow.save_change(
            application,
            actor=actor,
            action="case.visit_complete",
            after={
                "visit": visit.pk,
                "findings": dict(findings),
                "corrective_actions": [
                    {"id": action.pk, "severity": action.severity, "due_on": action.due_on}
                    for action in actions
                ],
            },
            reason=summary,
        )
        if actions:
            workflow.tell_applicant(
                application,
                gettext_noop("Validation visit report for %(reference)s: points to put right"),
                gettext_noop(
                    "The report of the validation visit is ready. Customs found %(count)s "
                    "point(s) to put right; the first is due by %(date)s. Open your application "
                    "to see them and to report each one done."
                ),
                count=len(actions),
                date=min(action.due_on for action in actions),
            )
        else:
            workflow.tell_applicant(
                application,
                gettext_noop("Validation visit report for %(reference)s"),
                gettext_noop(
                    "The report of the validation visit is ready. Customs found nothing you "
                    "need to put right. You can download the report in OpenAEO."
                ),
            )
    return visit


# -- corrective actions -----------------------------------------------------------------------


def corrective_action_report_done(
    *, actor, action: CorrectiveAction, note: str, file=None
) -> CorrectiveAction:
    """The business says what it did to put a finding right, with a document if it has one."""
    from openaeo.cases.correspondence import can_correspond
    from openaeo.evidence import services as evidence_services
    from openaeo.evidence.models import EvidenceStatus

    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what you did to put it right.")})
    with transaction.atomic():
        application = workflow.locked(action.application, None)
        _require(can_correspond(actor, application.operator))
        action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
        if action.status == CorrectiveAction.Status.ACCEPTED:
            raise ValidationError(_("Customs has already accepted this corrective action."))
        if application.status == CaseStatus.WITHDRAWN:
            raise ValidationError(_("This application is withdrawn: nothing more can be sent."))
        evidence = None
        if file:
            try:
                evidence = evidence_services.evidence_receive(
                    actor=actor,
                    operator=application.operator,
                    uploaded_file=file,
                    purpose=corrective_action_purpose(action),
                )
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from error
            if evidence.status in (EvidenceStatus.INFECTED, EvidenceStatus.SCAN_FAILED):
                raise ValidationError(
                    {
                        "file": _(
                            "“%(name)s” was refused by the virus check; nothing was sent. "
                            "Remove it and send your report again."
                        )
                        % {"name": evidence.original_name}
                    }
                )
        action.status, action.operator_reply = CorrectiveAction.Status.REPORTED_DONE, note
        action.save(update_fields=["status", "operator_reply"])
        workflow.save_change(
            application,
            actor=actor,
            action="case.corrective_action_done",
            after={
                "corrective_action": action.pk,
                "note": note,
                "file": evidence.sha256 if evidence else None,
            },
        )
        team = list(action.visit_item.visit.team.filter(is_active=True))
        workflow.tell_officers(
            application,
            [*team, *workflow.officers_to_tell(application)],
            gettext_noop("%(business)s reports a corrective action done on %(reference)s"),
            gettext_noop("“%(action)s”: check what the business did and accept it."),
            action=action.description[:120],
        )
    return action


def corrective_action_accept(
    *, actor, action: CorrectiveAction, seen_version: int | None = None
) -> CorrectiveAction:
    """An officer accepts what the business reported: the corrective action is closed.
    Accepting it again changes nothing."""
    with transaction.atomic():
        application = workflow.locked(action.application, seen_version)
        _require(policy.can_work_on(actor, application))
        action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
        if action.status == CorrectiveAction.Status.ACCEPTED:
            return action
        if action.status != CorrectiveAction.Status.REPORTED_DONE:
            raise ValidationError(
                _("The business has not reported this corrective action done yet.")
            )
        action.status, action.closed_at = CorrectiveAction.Status.ACCEPTED, clock.now()
        action.save(update_fields=["status", "closed_at"])
        workflow.save_change(
            application,
            actor=actor,
            action="case.corrective_action_accept",
            after={"corrective_action": action.pk},
        )
        workflow.tell_applicant(
            application,
            gettext_noop("Customs accepted a corrective action on %(reference)s"),
            gettext_noop("“%(action)s” is closed: Customs accepted what you did."),
            action=action.description[:120],
        )
    return action
