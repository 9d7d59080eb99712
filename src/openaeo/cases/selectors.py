"""Reading applications and cases: who may see which, and what the case page shows."""

from dataclasses import dataclass, field

from django.http import Http404

from openaeo.cases import policy
from openaeo.cases.models import Application, ApplicationRevision
from openaeo.operators import policy as operator_policy


def application_visible_to(user, application_id: int) -> Application:
    """The applicant's view of its application (404 for anyone outside the business)."""
    application = (
        Application.objects.select_related("operator", "programme")
        .filter(pk=application_id)
        .first()
    )
    if (
        application is None
        or user.staff_roles
        or not operator_policy.can_view_operator(user, application.operator)
    ):
        raise Http404
    return application


def case_for_staff(user, application_id: int) -> Application:
    """The officer's view of a case (404 when it is another office's, or missing)."""
    application = (
        Application.objects.select_related("operator", "programme", "office", "assignee")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not policy.can_see_case(user, application):
        raise Http404
    return application


def clock_context(application) -> dict:
    """Days left on the case's current deadline, or days overdue (both whole numbers)."""
    from openaeo.cases.deadlines import days_left
    from openaeo.common import clock

    if application.due_on is None:
        return {"days_left": None, "days_overdue": None}
    left = days_left(application.due_on, clock.today())
    return {"days_left": left, "days_overdue": -left if left < 0 else None}


def names_of(application) -> dict:
    """Readable names of the case's size class and of its programme's levels."""
    return {
        "size_name": size_name(application.size_class) if application.size_class else "",
        "tier_names": {
            tier["code"]: tier["name"] for tier in application.programme.config["tiers"]
        },
    }


def applications_of(operator):
    return Application.objects.filter(operator=operator).select_related("programme")


def timeline(application) -> list:
    """What happened to the application, oldest first (from the audit trail)."""
    from openaeo.common.models import AuditEvent

    return list(
        AuditEvent.objects.filter(
            object_type="cases.application", object_id=str(application.pk)
        ).order_by("sequence")
    )


def threads_of(application):
    """Information requests with their messages, newest thread first."""
    from django.db.models import Prefetch

    from openaeo.cases.models import CaseMessage

    return application.information_requests.select_related("asked_by").prefetch_related(
        Prefetch("messages", queryset=CaseMessage.objects.select_related("author"))
    )


def attachments_by_message(application) -> dict[int, list]:
    """Files attached to the case's messages, by message id."""
    from openaeo.evidence.models import EvidenceFile

    files: dict[int, list] = {}
    for evidence in EvidenceFile.objects.filter(
        operator=application.operator, purpose__startswith="case-message:"
    ).order_by("uploaded_at"):
        message_id = evidence.purpose.split(":", 1)[1]
        if message_id.isdigit():
            files.setdefault(int(message_id), []).append(evidence)
    return files


@dataclass
class AnswerRow:
    question: dict
    value: str = ""
    explanation: str = ""
    changed: bool = False
    files: list = field(default_factory=list)


@dataclass
class HeadingView:
    heading: dict
    status: str = ""
    rows: list[AnswerRow] = field(default_factory=list)


def pinned_answers(revision: ApplicationRevision, previous: ApplicationRevision | None):
    """The answers of one revision per heading, evidence beside them, changes marked."""
    from openaeo.assessments.selectors import asked, evidence_by_question

    snapshot = revision.snapshot
    answers = snapshot.get("answers", {})
    earlier = previous.snapshot.get("answers", {}) if previous else None
    statuses = {
        heading_id: data.get("status", "")
        for heading_id, data in snapshot.get("readiness", {}).get("headings", {}).items()
    }
    files = evidence_by_question(revision.assessment)
    headings: list[HeadingView] = []
    for heading, _requirement, question in asked(revision.assessment):
        if not headings or headings[-1].heading["id"] != heading["id"]:
            headings.append(HeadingView(heading=heading, status=statuses.get(heading["id"], "")))
        answer = answers.get(question["id"], {})
        headings[-1].rows.append(
            AnswerRow(
                question=question,
                value=answer.get("value", ""),
                explanation=answer.get("explanation", ""),
                changed=earlier is not None and _said(earlier.get(question["id"])) != _said(answer),
                files=[
                    evidence
                    for evidence in files.get(question["id"], [])
                    if evidence.uploaded_at <= revision.submitted_at
                ],
            )
        )
    return headings


def _said(answer: dict | None) -> tuple[str, str]:
    answer = answer or {}
    return answer.get("value", ""), answer.get("explanation", "")


def work_summary(user) -> dict | None:
    """What waits for an officer: their open cases, how many are overdue, and for
    supervisors the unassigned cases and decisions of their offices. None for people
    who do not work on cases."""
    from django.db.models import Count, Q

    from openaeo.accounts.roles import StaffRole
    from openaeo.cases.models import CUSTOMS_STATES, CaseStatus
    from openaeo.common import clock

    roles = {StaffRole.VALIDATOR, StaffRole.SUPERVISOR}
    if not user.is_authenticated or not (user.staff_roles & roles):
        return None
    today = clock.today()
    open_cases = Application.objects.filter(status__in=CUSTOMS_STATES)
    mine = open_cases.filter(assignee=user).aggregate(
        total=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today))
    )
    summary = {"mine": mine["total"], "mine_overdue": mine["overdue"]}
    if StaffRole.SUPERVISOR in user.staff_roles:
        offices = policy.offices_of(user, (StaffRole.SUPERVISOR,))
        scoped = open_cases if offices is None else open_cases.filter(office_id__in=offices)
        summary.update(
            scoped.aggregate(
                unassigned=Count("id", filter=Q(assignee__isnull=True)),
                to_decide=Count(
                    "id", filter=Q(status__in=[CaseStatus.RECOMMENDED, CaseStatus.APPEALED])
                ),
            )
        )
    return summary


# -- validation visits ---------------------------------------------------------------------


def size_name(size_class: str) -> str:
    """ "a micro business", "a large business"... in the reader's language."""
    from openaeo.catalogue.views import SIZE_NAMES

    return str(SIZE_NAMES.get(size_class, size_class))


@dataclass
class ChecklistGroup:
    heading_id: str
    title: str
    items: list = field(default_factory=list)


def heading_titles(application) -> dict[str, dict]:
    """Heading id -> its title (all languages), from the catalogue of the latest revision."""
    revision = application.revisions.select_related("catalogue_version").order_by("-number").first()
    if revision is None:
        return {}
    return {
        heading["id"]: heading["title"]
        for heading in revision.catalogue_version.content["headings"]
    }


def checklist_groups(visit, rows) -> list[ChecklistGroup]:
    """`rows` (one per item of `visit`, in order, each with an `item`) grouped by heading."""
    from openaeo.catalogue.templatetags.catalogue_text import pick

    titles = heading_titles(visit.application)
    groups: list[ChecklistGroup] = []
    for row in rows:
        item = row["item"]
        if not groups or groups[-1].heading_id != item.heading_id:
            title = pick(titles.get(item.heading_id)) or item.heading_id
            groups.append(ChecklistGroup(heading_id=item.heading_id, title=title))
        groups[-1].items.append(row)
    return groups


def files_by_purpose(application, prefix: str) -> dict[int, list]:
    """Evidence files whose purpose is `prefix` followed by an id, by that id, oldest first."""
    from openaeo.evidence.models import EvidenceFile

    files: dict[int, list] = {}
    for evidence in EvidenceFile.objects.filter(
        operator=application.operator, purpose__startswith=prefix
    ).order_by("uploaded_at", "id"):
        key = evidence.purpose[len(prefix) :]
        if key.isdigit():
            files.setdefault(int(key), []).append(evidence)
    return files


def visit_report_for(user, application_id: int, visit_id: int):
    """The visit whose report `user` may download: officers who see the case, at any time
    (a draft until it is completed); the business's people once the report is completed.
    404 otherwise, whether the case or visit is missing or not theirs."""
    from openaeo.cases.models import ValidationVisit

    visit = (
        ValidationVisit.objects.select_related(
            "application__operator", "application__programme", "application__office"
        )
        .filter(pk=visit_id, application_id=application_id)
        .first()
    )
    if visit is None:
        raise Http404
    application = visit.application
    if user.is_authenticated and user.staff_roles:
        allowed = policy.can_see_case(user, application)
    else:
        allowed = visit.completed_at is not None and operator_policy.can_view_operator(
            user, application.operator
        )
    if not allowed:
        raise Http404
    return visit
