"""Reading monitoring records as one person may see them (404 for what they may not see)."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from openaeo.certificates.models import Certificate
from openaeo.monitoring import policy
from openaeo.monitoring.models import ChangeNotice, IncidentReport, SelfReview, SelfReviewStatus


def _certificates() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("programme", "holder", "decision__application")


def certificate_for_holder(user, certificate_id: int) -> Certificate:
    certificate = _certificates().filter(pk=certificate_id).first()
    if certificate is None or not policy.can_view_as_holder(user, certificate):
        raise Http404
    return certificate


def certificate_for_officer(user, certificate_id: int) -> Certificate:
    certificate = _certificates().filter(pk=certificate_id).first()
    if certificate is None or not policy.can_read_as_officer(user, certificate):
        raise Http404
    return certificate


def current_self_review(certificate: Certificate) -> SelfReview | None:
    """The review the holder should work on: one still open or overdue, else the latest."""
    reviews = SelfReview.objects.filter(certificate=certificate)
    editable = reviews.filter(
        status__in=(SelfReviewStatus.OPEN, SelfReviewStatus.OVERDUE)
    ).order_by("-year")
    return editable.first() or reviews.order_by("-year").first()


def holder_records(certificate: Certificate) -> dict:
    return {
        "reviews": list(SelfReview.objects.filter(certificate=certificate).order_by("-year")),
        "notices": list(
            ChangeNotice.objects.filter(certificate=certificate).prefetch_related("evidence")
        ),
        "incidents": list(IncidentReport.objects.filter(certificate=certificate)),
    }


def _for_officer(user, model, pk: int):
    record = (
        model.objects.select_related(
            "certificate__decision__application__office",
            "certificate__holder",
            "certificate__programme",
            "reviewed_by",
        )
        .filter(pk=pk)
        .first()
    )
    if record is None or not policy.can_read_as_officer(user, record.certificate):
        raise Http404
    return record


def self_review_for_officer(user, pk: int) -> SelfReview:
    return _for_officer(user, SelfReview, pk)


def change_notice_for_officer(user, pk: int) -> ChangeNotice:
    return _for_officer(user, ChangeNotice, pk)


def incident_for_officer(user, pk: int) -> IncidentReport:
    return _for_officer(user, IncidentReport, pk)


# --------------------------------------------------------------------------- overview

SHOW = {
    # name: (model, filter)
    "reviews_submitted": (SelfReview, Q(status=SelfReviewStatus.SUBMITTED)),
    "reviews_overdue": (SelfReview, Q(status=SelfReviewStatus.OVERDUE)),
    "reviews_open": (SelfReview, Q(status=SelfReviewStatus.OPEN)),
    "changes": (ChangeNotice, Q(reviewed_at__isnull=True)),
    "incidents": (IncidentReport, Q(reviewed_at__isnull=True)),
    "changes_reviewed": (ChangeNotice, Q(reviewed_at__isnull=False)),
    "incidents_reviewed": (IncidentReport, Q(reviewed_at__isnull=False)),
}
DEFAULT_SHOW = "reviews_submitted"


def _in_offices(queryset, offices, query: str):
    if offices is not None:
        queryset = queryset.filter(certificate__decision__application__office_id__in=offices)
    query = (query or "").strip()
    if query:
        queryset = queryset.filter(
            Q(certificate__holder_name__icontains=query)
            | Q(certificate__aeo_number__icontains=query)
            | Q(certificate__identifier__icontains=query)
        )
    return queryset


def officer_offices(user):
    from openaeo.cases.policy import READ_ROLES, offices_of

    return offices_of(user, READ_ROLES)


def overview_counts(user, query: str = "") -> dict[str, int]:
    """How many records wait in each list of the overview: three queries."""
    offices = officer_offices(user)
    counts: dict[str, int] = {}
    by_model: dict = {}
    for name, (model, condition) in SHOW.items():
        by_model.setdefault(model, {})[name] = Count("pk", filter=condition)
    for model, aggregates in by_model.items():
        counts.update(_in_offices(model.objects.all(), offices, query).aggregate(**aggregates))
    return counts


def overview_list(user, show: str, query: str = "") -> QuerySet:
    model, condition = SHOW.get(show) or SHOW[DEFAULT_SHOW]
    offices = officer_offices(user)
    queryset = _in_offices(model.objects.filter(condition), offices, query).select_related(
        "certificate", "certificate__decision__application__office"
    )
    if model is SelfReview:
        return queryset.order_by("window_closes", "id")
    if model is ChangeNotice:
        return queryset.order_by("submitted_at", "id")
    return queryset.order_by("reported_at", "id")


def waiting_counts(user) -> dict[str, int] | None:
    """For the staff overview: what waits for review in the officer's offices."""
    if not user.is_authenticated or not (user.staff_roles & set(policy.REVIEWERS_ROLES)):
        return None
    counts = overview_counts(user)
    return {
        "reviews_submitted": counts["reviews_submitted"],
        "reviews_overdue": counts["reviews_overdue"],
        "changes": counts["changes"],
        "incidents": counts["incidents"],
    }
