"""Moving a case through the review: each service checks who acts, moves the state and the
clocks, records an audit event on the application and tells the people who must act next.

Every officer action carries the case `version` the officer saw. If the case changed
in between (another officer acted, the applicant replied), the action is refused with
`CaseChanged` instead of being applied to a case the officer has not seen, and a
double click cannot apply an action twice.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from openaeo.accounts.roles import OperatorRole, StaffRole
from openaeo.cases import policy
from openaeo.cases.deadlines import Calendar, add_period, days_between, decision_deadline
from openaeo.cases.models import Application, CaseStatus
from openaeo.common import clock
from openaeo.common.audit import record_event
from openaeo.notifications.services import notify


class CaseChanged(ValidationError):
    """The case is no longer as the officer saw it: nothing was changed."""

    def __init__(self):
        super().__init__(
            _(
                "This case was changed by someone else while you were looking at it, so "
                "nothing was done. Look at its current state and try again if still needed."
            ),
            code="case_changed",
        )


# -- shared steps -------------------------------------------------------------------------


def deadlines_of(application: Application) -> dict:
    return application.programme.config["deadlines"]


def calendar_of(application: Application) -> Calendar:
    return Calendar.from_config(deadlines_of(application)["calendar"])


def locked(application: Application, seen_version: int | None) -> Application:
    """The case, locked for this transaction, refused if it changed since `seen_version`."""
    # Lock the case row only: the programme and the business are shared by many cases.
    current = (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "operator")
        .get(pk=application.pk)
    )
    if seen_version is not None and current.version != int(seen_version):
        raise CaseChanged
    return current


def transition(application: Application, name: str) -> str:
    """Apply the named FSM transition; refuse clearly when the case is not in a state for it."""
    before = application.status
    method = getattr(application, name)
    try:
        method()
    except TransitionNotAllowed as error:
        raise ValidationError(
            _("This cannot be done while the case is at the step “%(step)s”.")
            % {"step": application.get_status_display()},
            code="wrong_state",
        ) from error
    return before


def save_change(
    application: Application,
    *,
    actor,
    action: str,
    before_status: str | None = None,
    after: dict | None = None,
    reason: str = "",
    fields: list[str] | None = None,
) -> Application:
    """Save the case with a new version and record the audit event on it."""
    application.version += 1
    application.updated_at = clock.now()
    update = ["version", "updated_at", "status", *(fields or [])]
    try:
        application.save(update_fields=list(dict.fromkeys(update)))
    except ConcurrentTransition as error:  # changed under us despite the lock (other database)
        raise CaseChanged from error
    details = dict(after or {})
    if before_status is not None and before_status != application.status:
        details["status"] = application.status
    record_event(
        actor=actor,
        action=action,
        obj=application,
        before={"status": before_status} if before_status and "status" in details else None,
        after=details or None,
        reason=reason,
    )
    return application


def case_url(application: Application) -> str:
    return reverse("cases:case", kwargs={"application_id": application.pk})


def status_url(application: Application) -> str:
    return reverse("cases:status", kwargs={"application_id": application.pk})


def applicant_people(application: Application) -> list:
    """Who hears about the case on the applicant's side, today: the owners, and whoever
    submitted a revision or holds a mandate to correspond, as long as they still may act
    for the business. The latest submitter comes first (their language is the letter's)."""
    from django.contrib.auth import get_user_model

    from openaeo.accounts.roles import MandateScope
    from openaeo.operators import policy as operator_policy
    from openaeo.operators.models import Mandate, OperatorMembership

    operator = application.operator
    submitters = list(
        application.revisions.order_by("-number").values_list("submitted_by_id", flat=True)
    )
    owners = list(
        OperatorMembership.objects.filter(operator=operator, role=OperatorRole.OWNER)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )
    correspondents = [
        mandate.representative_id
        for mandate in Mandate.objects.in_force(clock.today()).filter(operator=operator)
        if MandateScope.CORRESPOND in mandate.scopes
    ]
    ordered = list(dict.fromkeys([*submitters, *owners, *correspondents]))
    people = get_user_model().objects.in_bulk(ordered)
    from openaeo.cases.correspondence import can_correspond

    return [
        people[pk]
        for pk in ordered
        if pk in people
        and people[pk].is_active
        and (
            pk in owners
            or can_correspond(people[pk], operator)
            or operator_policy.can_submit(people[pk], operator)
        )
    ]


def office_people(application: Application, role: str) -> list:
    """The active staff holding `role` in the case's office (or in every office).

    One assignment must carry all of it (role, active, office or all offices): joining
    the assignments once per condition would also find someone who holds the role
    elsewhere and an inactive assignment here.
    """
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef, Q

    from openaeo.accounts.models import StaffAssignment

    holds_role_here = StaffAssignment.objects.filter(
        Q(office_id=application.office_id) | Q(all_offices=True),
        user=OuterRef("pk"),
        active=True,
        role=role,
    )
    return list(
        get_user_model().objects.filter(Exists(holds_role_here), is_active=True).order_by("pk")
    )


def officers_to_tell(application: Application) -> list:
    """The assigned officer, or else the office's supervisors who will assign the case."""
    if application.assignee_id:
        return [application.assignee]
    return office_people(application, StaffRole.SUPERVISOR)


def english(label_getter) -> str:
    """A choice label in English, to store in a notice: each reader gets it translated
    into their own language when the notice is shown (notifications translate values)."""
    from django.utils import translation

    with translation.override("en"):
        return str(label_getter())


def tell_applicant(application: Application, subject: str, body: str, /, **params):
    notify(
        applicant_people(application),
        subject=subject,
        body=body,
        params={"reference": application.reference, **params},
        url=status_url(application),
    )


def tell_officers(application: Application, people, subject: str, body: str, /, **params):
    notify(
        people,
        subject=subject,
        body=body,
        params={
            "reference": application.reference,
            "business": application.operator.legal_name,
            **params,
        },
        url=case_url(application),
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# -- clocks ---------------------------------------------------------------------------------


def refresh_decision_due(application: Application, *, start: dt.date | None = None) -> None:
    """Recompute the decision deadline from its start, pauses and extension.

    `start` overrides the programme's rule (a new round after an allowed appeal starts
    the day it is allowed)."""
    rule = deadlines_of(application)["decision"]
    if start is None and application.round > 1:
        start = application.accepted_on
    if start is None:
        start = (
            application.accepted_on
            if rule["counted_from"] == "acceptance"
            else timezone_date(application.submitted_at)
        )
    application.decision_due = decision_deadline(
        start,
        days=rule["days"],
        working_days=rule["working_days"],
        calendar=calendar_of(application),
        paused_days=application.paused_days,
        extension_days=application.extension_days,
    )
    application.due_on = application.decision_due


def timezone_date(moment: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localdate(moment)


def stop_clock(application: Application) -> bool:
    """Stop the decision clock while Customs waits for the applicant (if the programme says so)."""
    if not deadlines_of(application)["clock_stops_while_waiting_for_applicant"]:
        return False
    if application.status not in (
        CaseStatus.RISK_REVIEW,
        CaseStatus.DESK_REVIEW,
        CaseStatus.VALIDATION,
        CaseStatus.RECOMMENDED,
    ):
        return False
    if application.clock_stopped_on is None:
        application.clock_stopped_on = clock.today()
    return True


def restart_clock(application: Application) -> int:
    """Restart a stopped clock; the deadline moves by the days it stood still. Returns them."""
    if application.clock_stopped_on is None:
        return 0
    rule = deadlines_of(application)["decision"]
    paused = days_between(
        application.clock_stopped_on,
        clock.today(),
        working_days=rule["working_days"],
        calendar=calendar_of(application),
    )
    application.paused_days += paused
    application.clock_stopped_on = None
    refresh_decision_due(application)
    return paused


CLOCK_FIELDS = ["clock_stopped_on", "paused_days", "decision_due", "due_on"]


# -- completeness ---------------------------------------------------------------------------


def case_accept(*, actor, application: Application, seen_version: int | None) -> Application:
    """The application is complete: the review starts and the decision clock runs."""
    with transaction.atomic():
        application = locked(application, seen_version)
        _require(policy.can_work_on(actor, application))
        return _accept(application, actor=actor, deemed=False)


def _accept(application: Application, *, actor, deemed: bool) -> Application:
    before = transition(application, "accept")
    # Silence means acceptance the day after the completeness deadline, whenever the
    # periodic job happens to run.
    application.accepted_on = (
        application.completeness_due + dt.timedelta(days=1) if deemed else clock.today()
    )
    application.deemed_accepted = deemed
    refresh_decision_due(application)
    save_change(
        application,
        actor=actor,
        action="case.deemed_accepted" if deemed else "case.accept",
        before_status=before,
        after={"decision_due": application.decision_due},
        fields=["accepted_on", "deemed_accepted", "decision_due", "due_on"],
    )
    tell_applicant(
        application,
        gettext_noop("Your application %(reference)s is accepted for review"),
        gettext_noop(
            "Customs found your application complete and has started the review. "
            "The decision is due by %(date)s."
        ),
        date=application.decision_due,
    )
    if not application.assignee_id:
        tell_officers(
            application,
            office_people(application, StaffRole.SUPERVISOR),
            gettext_noop("Case %(reference)s (%(business)s) needs a validator"),
            gettext_noop("The case is in risk and compliance review. Assign it to a validator."),
        )
    return application


def cases_deem_accepted() -> int:
    """Accept the applications whose completeness deadline passed unanswered, where the
    programme says silence means acceptance. Run daily by `tick`; returns how many."""
    count = 0
    overdue = Application.objects.filter(
        status=CaseStatus.SUBMITTED, completeness_due__lt=clock.today()
    ).select_related("programme")
    for candidate in overdue.iterator():
        if not deadlines_of(candidate)["completeness"]["deemed_accepted"]:
            continue
        with transaction.atomic():
            application = locked(candidate, None)
            if application.status != CaseStatus.SUBMITTED:
                continue
            _accept(application, actor=None, deemed=True)
            count += 1
    return count


def case_return_incomplete(
    *,
    actor,
    application: Application,
    seen_version: int | None,
    missing_items: list[str],
    message: str = "",
):
    """Return the application: these items are missing. The completeness clock stops until
    the applicant sends them (their reply puts the application back in the queue)."""
    from openaeo.cases.correspondence import open_request

    items = [item.strip() for item in missing_items if item and item.strip()]
    if not items:
        raise ValidationError({"missing_items": _("List at least one missing item, one per line.")})
    with transaction.atomic():
        application = locked(application, seen_version)
        _require(policy.can_work_on(actor, application))
        before = transition(application, "return_incomplete")
        application.due_on = None
        request = open_request(
            application,
            actor=actor,
            kind="missing_items",
            subject=_("Information missing from your application"),
            body=message.strip()
            or _("Please send the items listed. We will check your application again then."),
            items=items,
            stops_clock=False,
        )
        save_change(
            application,
            actor=actor,
            action="case.return_incomplete",
            before_status=before,
            after={"missing_items": items, "request": request.pk},
            fields=["due_on"],
        )
        tell_applicant(
            application,
            gettext_noop("Your application %(reference)s is missing information"),
            gettext_noop(
                "Customs needs a few more things before it can review your application: "
                "%(items)s. Open the application in OpenAEO to send them."
            ),
            items="; ".join(items),
        )
    return application


def restart_completeness(application: Application) -> None:
    """The applicant completed the application: a new completeness period starts today."""
    rule = deadlines_of(application)["completeness"]
    application.completeness_due = add_period(
        clock.today(),
        rule["days"],
        working_days=rule["working_days"],
        calendar=calendar_of(application),
    )
    application.due_on = application.completeness_due


# -- review steps ---------------------------------------------------------------------------


def case_finish_risk_review(
    *, actor, application: Application, seen_version: int | None, summary: str
) -> Application:
    """Risk and compliance-history checks are done: the desk review starts."""
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Write what the risk and compliance checks found.")})
    with transaction.atomic():
        application = locked(application, seen_version)
        _require(policy.can_work_on(actor, application))
        before = transition(application, "finish_risk_review")
        return save_change(
            application,
            actor=actor,
            action="case.risk_review_done",
            before_status=before,
            after={"summary": summary},
        )


def case_extend(
    *, actor, application: Application, seen_version: int | None, days: int, reason: str
) -> Application:
    """Extend the decision deadline within what the programme allows, with a reason."""
    rule = deadlines_of(application)["decision"]
    allowed = rule.get("extension_days", 0)
    reason = (reason or "").strip()
    errors = {}
    if days < 1:
        errors["days"] = _("Give the number of days, at least 1.")
    if rule.get("extension_needs_reason", True) and not reason:
        errors["reason"] = _("Say why the extension is needed: the applicant will read it.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        application = locked(application, seen_version)
        _require(policy.can_decide(actor, application))
        if application.status not in (
            CaseStatus.RISK_REVIEW,
            CaseStatus.DESK_REVIEW,
            CaseStatus.VALIDATION,
            CaseStatus.RECOMMENDED,
        ):
            raise ValidationError(_("Only a case under review can have its deadline extended."))
        if application.extension_days + days > allowed:
            raise ValidationError(
                {
                    "days": _(
                        "The programme allows at most %(allowed)s days of extension in all; "
                        "%(used)s are used."
                    )
                    % {"allowed": allowed, "used": application.extension_days}
                }
            )
        previous = application.decision_due
        application.extension_days += days
        application.extension_reason = "\n".join(
            filter(None, [application.extension_reason, reason])
        )
        refresh_decision_due(application)
        if application.clock_stopped_on is not None:
            application.due_on = application.decision_due
        save_change(
            application,
            actor=actor,
            action="case.extend",
            after={"days": days, "decision_due": application.decision_due, "was": previous},
            reason=reason,
            fields=["extension_days", "extension_reason", "decision_due", "due_on"],
        )
        tell_applicant(
            application,
            gettext_noop("More time for the decision on %(reference)s"),
            gettext_noop("Customs extended the deadline for its decision to %(date)s: %(reason)s"),
            date=application.decision_due,
            reason=reason,
        )
    return application


# -- assignment -----------------------------------------------------------------------------


def case_assign(*, actor, applications, assignee) -> int:
    """A supervisor gives cases to a validator (or takes them back with assignee=None).

    Every case must be one the supervisor decides on, and the assignee must work in
    the case's office; otherwise nothing is assigned. Returns how many changed.
    """
    changed = []
    wanted = {application.pk for application in applications}
    with transaction.atomic():
        locked_cases = list(
            Application.objects.select_for_update(of=("self",))
            .select_related("operator", "programme", "assignee")
            .filter(pk__in=sorted(wanted))
            .order_by("pk")
        )
        if len(locked_cases) != len(wanted):
            # A case vanished (or never existed): assign none rather than some.
            raise ValidationError(_("One of the cases no longer exists, so none was assigned."))
        for application in locked_cases:
            _require(policy.can_decide(actor, application))
            if assignee is not None and not policy.may_be_assigned(assignee, application):
                raise ValidationError(
                    {
                        "assignee": _(
                            "%(person)s does not work on cases of this office, so case "
                            "%(reference)s cannot be given to them."
                        )
                        % {"person": assignee, "reference": application.reference}
                    }
                )
        for application in locked_cases:
            if application.assignee_id == (assignee.pk if assignee else None):
                continue
            previous = application.assignee
            application.assignee = assignee
            save_change(
                application,
                actor=actor,
                action="case.assign",
                after={
                    "assignee": assignee.email if assignee else None,
                    "was": previous.email if previous else None,
                },
                fields=["assignee"],
            )
            changed.append(application)
        if assignee is not None and changed:
            notify(
                [assignee],
                subject=gettext_noop("%(count)s case(s) assigned to you"),
                body=gettext_noop("%(references)s. They are in “My cases”."),
                params={
                    "count": len(changed),
                    "references": ", ".join(application.reference for application in changed),
                },
                url=reverse("cases:queue") + "?assignee=me",
            )
    return len(changed)


# -- the applicant's side -------------------------------------------------------------------


def case_withdraw(*, actor, application: Application, reason: str = "") -> Application:
    """The applicant withdraws before the decision. Withdrawing twice changes nothing."""
    from openaeo.operators import policy as operator_policy

    if not operator_policy.can_submit(actor, application.operator):
        raise PermissionDenied
    if application.kind == "reassessment":
        raise ValidationError(
            _("Customs opened this reassessment, so it cannot be withdrawn. Answer its questions.")
        )
    with transaction.atomic():
        application = locked(application, None)
        if application.status == CaseStatus.WITHDRAWN:
            return application
        before = transition(application, "withdraw")
        from openaeo.cases.correspondence import close_waiting_requests

        close_waiting_requests(application)
        application.due_on = None
        application.clock_stopped_on = None
        application.closed_at = clock.now()
        save_change(
            application,
            actor=actor,
            action="case.withdraw",
            before_status=before,
            reason=reason.strip(),
            fields=["due_on", "clock_stopped_on", "closed_at"],
        )
        tell_officers(
            application,
            officers_to_tell(application),
            gettext_noop("%(business)s withdrew application %(reference)s"),
            gettext_noop("The applicant withdrew the application. No further work is needed."),
        )
    return application


def office_for(operator):
    """Where a new application goes: the office of the operator's country marked as
    receiving applications (the AEO unit), else any office of that country, else the
    first office. Supervisors can move a case to another office in the administration.
    """
    from openaeo.accounts.models import Office

    offices = Office.objects.order_by("code")
    in_country = offices.filter(country=operator.country)
    return (
        in_country.filter(receives_applications=True).first()
        or in_country.first()
        or offices.first()
    )
