"""The recommendation, the four-eyes decision, and appeals.

Four eyes: the supervisor who decides can be neither the officer who recommended
nor a member of the validation team, and an appeal is decided by a supervisor other
than the one who took the decision. Each is checked here, in the service, so no page
or API can get round it. The decision is unique per case and round in the database
as well: two supervisors pressing "decide" at the same moment get one decision and
one clear message.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from openaeo.accounts.roles import StaffRole
from openaeo.cases import correspondence, hooks, policy, workflow
from openaeo.cases.deadlines import add_period
from openaeo.cases.models import (
    APPEALABLE,
    CONFIRMATIONS,
    GRANTS,
    Appeal,
    Application,
    CaseStatus,
    Decision,
    Outcome,
    Recommendation,
)
from openaeo.common import clock
from openaeo.operators import policy as operator_policy

# Reasons the applicant must be able to understand: a refusal needs more than a word.
MIN_REFUSAL_REASONS = 40
DEFAULT_APPEAL = {"days": 30, "working_days": False}


def _check_outcome(
    application, *, outcome, tier_code, reasons, conditions, reapply_from, remedy_by=None
):
    errors = {}
    if outcome not in application.outcomes:
        errors["outcome"] = _("Choose an outcome.")
    if outcome in (*GRANTS, *CONFIRMATIONS) and application.programme.tier(tier_code) is None:
        errors["tier_code"] = _("Choose the level to grant.")
    if outcome in (Outcome.GRANTED_WITH_CONDITIONS, Outcome.CONFIRMED_WITH_CONDITIONS) and (
        not conditions
    ):
        errors["conditions"] = _("List the conditions the business must meet.")
    if outcome in (Outcome.REFUSED, Outcome.REVOKED) and len(reasons) < MIN_REFUSAL_REASONS:
        errors["reasons"] = _(
            "Explain the refusal in plain words the applicant can understand: what is missing "
            "and why it matters (at least %(count)s characters)."
        ) % {"count": MIN_REFUSAL_REASONS}
    elif not reasons:
        errors["reasons"] = _("Give the reasons.")
    if outcome == Outcome.IMPROVEMENT:
        if reapply_from is None:
            errors["reapply_from"] = _("Give the date from which the business may apply again.")
        elif reapply_from <= clock.today():
            errors["reapply_from"] = _("The date to apply again must be in the future.")
    if outcome == Outcome.SUSPENDED:
        if remedy_by is None:
            errors["remedy_by"] = _("Give the date by which the business must remedy.")
        elif remedy_by <= clock.today():
            errors["remedy_by"] = _("The date to remedy by must be in the future.")
        if not conditions:
            errors["conditions"] = _("Say what the business must put right.")
    if errors:
        raise ValidationError(errors)


def case_recommend(
    *,
    actor,
    application: Application,
    seen_version: int | None,
    outcome: str,
    reasons: str,
    tier_code: str = "",
    conditions: str = "",
    reapply_from: dt.date | None = None,
    remedy_by: dt.date | None = None,
) -> Recommendation:
    """The validator recommends a decision once the validation visit report is complete
    (a reassessment or a renewal may be recommended from the desk review, without a visit)."""
    reasons, conditions = (reasons or "").strip(), (conditions or "").strip()
    with transaction.atomic():
        application = workflow.locked(application, seen_version)
        if not policy.can_work_on(actor, application):
            raise PermissionDenied
        latest_visit = application.visits.order_by("-planned_at", "-id").first()
        without_visit = (
            application.reviews_certificate and application.status == CaseStatus.DESK_REVIEW
        )
        if not without_visit and (latest_visit is None or latest_visit.completed_at is None):
            raise ValidationError(
                _("Complete the validation visit report before recommending a decision.")
            )
        for waiting in correspondence.waiting_requests(application):
            if waiting.reply_due is None or waiting.reply_due >= clock.today():
                raise ValidationError(
                    _(
                        "The applicant has not answered “%(subject)s” yet. Wait for the answer "
                        "(the decision clock stands still meanwhile), or until the reply date "
                        "has passed."
                    )
                    % {"subject": waiting.subject}
                )
        _check_outcome(
            application,
            outcome=outcome,
            tier_code=tier_code,
            reasons=reasons,
            conditions=conditions,
            reapply_from=reapply_from,
            remedy_by=remedy_by,
        )
        before = workflow.transition(
            application, "recommend_after_desk_review" if without_visit else "recommend"
        )
        recommendation = Recommendation.objects.create(
            application=application,
            round=application.round,
            outcome=outcome,
            tier_code=tier_code if outcome in (*GRANTS, *CONFIRMATIONS) else "",
            reasons=reasons,
            conditions=conditions,
            remedy_by=remedy_by if outcome == Outcome.SUSPENDED else None,
            recommended_by=actor,
            recommended_at=clock.now(),
        )
        workflow.save_change(
            application,
            actor=actor,
            action="case.recommend",
            before_status=before,
            after={"outcome": outcome, "tier": recommendation.tier_code},
            reason=reasons,
        )
        supervisors = [
            person
            for person in workflow.office_people(application, StaffRole.SUPERVISOR)
            if person.pk != actor.pk
        ]
        workflow.tell_officers(
            application,
            supervisors,
            gettext_noop("Case %(reference)s (%(business)s) waits for your decision"),
            gettext_noop("The validator recommends: %(outcome)s."),
            outcome=workflow.english(recommendation.get_outcome_display),
        )
    return recommendation


def case_send_back(
    *, actor, application: Application, seen_version: int | None, reason: str
) -> Application:
    """The supervisor does not follow the recommendation yet: the validator looks again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the validator should look at again.")})
    with transaction.atomic():
        application = workflow.locked(application, seen_version)
        if not policy.can_decide(actor, application):
            raise PermissionDenied
        # A reassessment recommended without a visit goes back to the desk review.
        has_visit = application.visits.exists()
        before = workflow.transition(
            application, "send_back" if has_visit else "send_back_to_desk_review"
        )
        workflow.save_change(
            application,
            actor=actor,
            action="case.send_back",
            before_status=before,
            reason=reason,
        )
        recommendation = application.recommendations.filter(round=application.round).first()
        workflow.tell_officers(
            application,
            [recommendation.recommended_by] if recommendation else [],
            gettext_noop("Case %(reference)s is sent back to you"),
            gettext_noop("The supervisor asks you to look again: %(reason)s"),
            reason=reason,
        )
    return application


def four_eyes_problem(actor, application: Application) -> str | None:
    """Why `actor` may not decide this case (None when they may)."""
    round_recommendations = application.recommendations.filter(round=application.round)
    if not round_recommendations.exists():
        return _("There is no recommendation to decide on.")
    # Every recommendation of this round counts: one sent back and redone still binds.
    if round_recommendations.filter(recommended_by=actor).exists():
        return _(
            "You recommended this decision, so another supervisor must take it (four-eyes rule)."
        )
    if application.visits.filter(team=actor).exists():
        return _(
            "You were on the validation team of this case, so another supervisor must decide "
            "(four-eyes rule)."
        )
    return None


def letter_language(application: Application) -> str:
    """The applicant's language: the submitter's preference, else the first owner's, else English."""
    from django.conf import settings

    available = {code for code, _name in settings.LANGUAGES}
    for person in workflow.applicant_people(application):
        if person.preferred_language in available:
            return person.preferred_language
    return "en"


def _appeal_rule(application: Application) -> dict:
    return workflow.deadlines_of(application).get("appeal") or DEFAULT_APPEAL


def case_decide(
    *,
    actor,
    application: Application,
    seen_version: int | None,
    outcome: str,
    reasons: str,
    tier_code: str = "",
    conditions: str = "",
    reapply_from: dt.date | None = None,
    remedy_by: dt.date | None = None,
) -> Decision:
    """A supervisor other than the recommender decides. Grants close the case; a refusal or
    an improvement path stays open for appeal until the appeal deadline."""
    reasons, conditions = (reasons or "").strip(), (conditions or "").strip()
    try:
        with transaction.atomic():
            application = workflow.locked(application, seen_version)
            if not policy.can_decide(actor, application):
                raise PermissionDenied
            problem = four_eyes_problem(actor, application)
            if problem:
                raise ValidationError(problem, code="four_eyes")
            _check_outcome(
                application,
                outcome=outcome,
                tier_code=tier_code,
                reasons=reasons,
                conditions=conditions,
                reapply_from=reapply_from,
                remedy_by=remedy_by,
            )
            before = workflow.transition(application, "decide")
            now = clock.now()
            appeal_due = None
            if outcome in APPEALABLE:
                rule = _appeal_rule(application)
                appeal_due = add_period(
                    clock.today(),
                    rule["days"],
                    working_days=rule["working_days"],
                    calendar=workflow.calendar_of(application),
                )
            decision = Decision.objects.create(
                application=application,
                round=application.round,
                recommendation=application.recommendations.filter(round=application.round).first(),
                outcome=outcome,
                tier_code=tier_code if outcome in (*GRANTS, *CONFIRMATIONS) else "",
                reasons=reasons,
                conditions=conditions,
                reapply_from=reapply_from if outcome == Outcome.IMPROVEMENT else None,
                remedy_by=remedy_by if outcome == Outcome.SUSPENDED else None,
                appeal_due=appeal_due,
                language=letter_language(application),
                decided_by=actor,
                decided_at=now,
            )
            correspondence.close_waiting_requests(application)
            hooks.decision_taken.call(decision, application, actor)
            application.outcome, application.decided_at = outcome, now
            application.appeal_due = appeal_due
            application.due_on = None
            application.clock_stopped_on = None
            fields = ["outcome", "decided_at", "appeal_due", "due_on", "clock_stopped_on"]
            if appeal_due is None:
                application.close()
                application.closed_at = now
                fields.append("closed_at")
            workflow.save_change(
                application,
                actor=actor,
                action="case.decide",
                before_status=before,
                after={
                    "outcome": outcome,
                    "tier": decision.tier_code,
                    "decision": decision.pk,
                    "appeal_due": appeal_due,
                },
                reason=reasons,
                fields=fields,
            )
            workflow.tell_applicant(
                application,
                gettext_noop("Decision on your application %(reference)s"),
                gettext_noop(
                    "Customs has decided: %(outcome)s. Read the decision and its letter in OpenAEO."
                ),
                outcome=workflow.english(decision.get_outcome_display),
            )
            recommender = (
                decision.recommendation.recommended_by if decision.recommendation else None
            )
            workflow.tell_officers(
                application,
                [recommender],
                gettext_noop("Case %(reference)s is decided"),
                gettext_noop("Decision: %(outcome)s."),
                outcome=workflow.english(decision.get_outcome_display),
            )
    except IntegrityError as error:  # the database's one-decision-per-round guard
        raise workflow.CaseChanged from error
    return decision


def appeal_lodge(*, actor, application: Application, grounds: str) -> Appeal:
    """The applicant appeals a refusal (or an improvement path) before the appeal deadline."""
    grounds = (grounds or "").strip()
    if not operator_policy.can_submit(actor, application.operator):
        raise PermissionDenied
    if len(grounds) < 20:
        raise ValidationError(
            {"grounds": _("Explain why the decision should change (at least 20 characters).")}
        )
    with transaction.atomic():
        application = workflow.locked(application, None)
        decision = application.decisions.filter(round=application.round).first()
        if application.status == CaseStatus.APPEALED:
            return decision.appeal  # a second click lodges nothing more
        if (
            application.status != CaseStatus.DECIDED
            or decision is None
            or decision.outcome not in APPEALABLE
        ):
            raise ValidationError(_("This decision cannot be appealed."))
        if application.appeal_due is not None and clock.today() > application.appeal_due:
            raise ValidationError(
                _("The appeal period ended on %(date)s.") % {"date": application.appeal_due}
            )
        before = workflow.transition(application, "appeal")
        appeal = Appeal.objects.create(
            application=application,
            decision=decision,
            grounds=grounds,
            lodged_by=actor,
            lodged_at=clock.now(),
        )
        rule = _appeal_rule(application)
        application.due_on = add_period(
            clock.today(),
            rule.get("decide_days", rule["days"]),
            working_days=rule["working_days"],
            calendar=workflow.calendar_of(application),
        )
        workflow.save_change(
            application,
            actor=actor,
            action="case.appeal",
            before_status=before,
            after={"appeal": appeal.pk, "decide_by": application.due_on},
            reason=grounds,
            fields=["due_on"],
        )
        workflow.tell_officers(
            application,
            [
                person
                for person in workflow.office_people(application, StaffRole.SUPERVISOR)
                if person.pk != decision.decided_by_id
            ],
            gettext_noop("Appeal on case %(reference)s (%(business)s)"),
            gettext_noop("The applicant appeals the decision. Decide by %(date)s."),
            date=application.due_on,
        )
        workflow.tell_applicant(
            application,
            gettext_noop("Your appeal on %(reference)s is received"),
            gettext_noop("A supervisor who did not take the decision will review it by %(date)s."),
            date=application.due_on,
        )
    return appeal


def appeal_decide(
    *, actor, application: Application, seen_version: int | None, allowed: bool, reasons: str
) -> Appeal:
    """A supervisor other than the decider dismisses the appeal (the case closes) or allows
    it (the case goes back to desk review for a new decision in a new round)."""
    reasons = (reasons or "").strip()
    if len(reasons) < 20:
        raise ValidationError(
            {"reasons": _("Explain the outcome in plain words (at least 20 characters).")}
        )
    with transaction.atomic():
        application = workflow.locked(application, seen_version)
        if not policy.can_decide(actor, application):
            raise PermissionDenied
        appeal = (
            Appeal.objects.select_for_update()
            .filter(application=application, outcome=Appeal.Outcome.PENDING)
            .first()
        )
        if appeal is None or application.status != CaseStatus.APPEALED:
            raise ValidationError(_("There is no appeal waiting on this case."))
        if appeal.decision.decided_by_id == actor.pk:
            raise ValidationError(
                _("You took the decision under appeal, so another supervisor must review it."),
                code="four_eyes",
            )
        now = clock.now()
        appeal.outcome = Appeal.Outcome.ALLOWED if allowed else Appeal.Outcome.DISMISSED
        appeal.reasons, appeal.decided_by, appeal.decided_at = reasons, actor, now
        appeal.save(update_fields=["outcome", "reasons", "decided_by", "decided_at"])
        fields = ["due_on", "appeal_due"]
        application.appeal_due = None
        if allowed:
            before = workflow.transition(application, "refer_back")
            application.round += 1
            application.outcome, application.decided_at = "", None
            # The new review gets a full decision period from today.
            application.accepted_on = clock.today()
            application.paused_days = application.extension_days = 0
            workflow.refresh_decision_due(application, start=clock.today())
            fields += ["round", "outcome", "decided_at", "accepted_on", "paused_days"]
            fields += ["extension_days", "decision_due"]
        else:
            before = workflow.transition(application, "close")
            application.due_on = None
            application.closed_at = now
            fields.append("closed_at")
        workflow.save_change(
            application,
            actor=actor,
            action="case.appeal_decide",
            before_status=before,
            after={"appeal": appeal.pk, "outcome": appeal.outcome},
            reason=reasons,
            fields=fields,
        )
        if allowed:
            workflow.tell_officers(
                application,
                workflow.officers_to_tell(application),
                gettext_noop("Case %(reference)s is back for review after an appeal"),
                gettext_noop(
                    "The appeal was allowed: the case is in desk review again for a new "
                    "decision by %(date)s."
                ),
                date=application.decision_due,
            )
        workflow.tell_applicant(
            application,
            gettext_noop("Outcome of your appeal on %(reference)s"),
            gettext_noop("%(outcome)s %(reasons)s"),
            outcome=workflow.english(appeal.get_outcome_display),
            reasons=reasons,
        )
    return appeal


def cases_close_after_appeal_period() -> int:
    """Close decided cases whose appeal period ended without an appeal (daily, via `tick`)."""
    count = 0
    for candidate in Application.objects.filter(
        status=CaseStatus.DECIDED, appeal_due__lt=clock.today()
    ).iterator():
        with transaction.atomic():
            application = workflow.locked(candidate, None)
            if application.status != CaseStatus.DECIDED:
                continue
            before = workflow.transition(application, "close")
            application.closed_at = clock.now()
            workflow.save_change(
                application,
                actor=None,
                action="case.close",
                before_status=before,
                reason="appeal period ended",
                fields=["closed_at"],
            )
            workflow.tell_applicant(
                application,
                gettext_noop("Your application %(reference)s is closed"),
                gettext_noop(
                    "The appeal period ended on %(date)s without an appeal, so the decision is "
                    "final. You may apply again when you are ready."
                ),
                date=application.appeal_due,
            )
            count += 1
    return count
