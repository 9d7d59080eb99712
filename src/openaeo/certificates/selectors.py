"""Reading certificates as one person may see them (404 for what they may not see)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from openaeo.certificates import policy
from openaeo.certificates.models import Certificate
from openaeo.operators.models import EconomicOperator

MAX_AEO_NUMBER = 64


def _certificates() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("programme", "holder", "decision__application")


def business_for_member(user, operator_id: int) -> EconomicOperator:
    operator = EconomicOperator.objects.filter(pk=operator_id).first()
    if operator is None or not policy.is_holder_member(user, operator):
        raise Http404
    return operator


def certificates_of(operator: EconomicOperator) -> QuerySet[Certificate]:
    return _certificates().filter(holder=operator).order_by("-issued_at", "-id")


def certificate_visible_to(user, certificate_id: int) -> Certificate:
    certificate = _certificates().filter(pk=certificate_id).first()
    if certificate is None or not policy.can_view(user, certificate):
        raise Http404
    return certificate


def certificate_by_number(user, aeo_number: str) -> Certificate:
    """By AEO number, for the holder's people and staff; 404 alike for anyone else."""
    if not aeo_number or len(aeo_number) > MAX_AEO_NUMBER:
        raise Http404
    certificate = _certificates().filter(aeo_number=aeo_number).first()
    if certificate is None or not policy.can_view(user, certificate):
        raise Http404
    return certificate


def certificates_search(query: str = "", status: str = "") -> QuerySet[Certificate]:
    """For Customs staff: every certificate, by AEO number, holder or identifier."""
    certificates = _certificates().order_by("-issued_at", "-id")
    query = (query or "").strip()
    if query:
        certificates = certificates.filter(
            Q(aeo_number__icontains=query)
            | Q(holder_name__icontains=query)
            | Q(identifier__icontains=query)
        )
    if status:
        certificates = certificates.filter(status=status)
    return certificates


def with_lifecycle(certificates: QuerySet[Certificate]) -> list[Certificate]:
    """The certificates, each with what its holder should know about its life:
    `open_cases` (reassessments and renewals not closed), `renewal_opens_on` and
    `renewal_open`. Two queries whatever the number of certificates."""
    from django.db.models import Prefetch

    from openaeo.cases.models import Application
    from openaeo.certificates import services

    rows = list(
        certificates.select_related("replaced_by", "replaces").prefetch_related(
            Prefetch(
                "cases",
                queryset=Application.objects.exclude(status__in=("closed", "withdrawn")).order_by(
                    "-id"
                ),
                to_attr="open_cases",
            )
        )
    )
    for certificate in rows:
        certificate.renewal_opens_on = services.renewal_opens_on(certificate)
        certificate.renewal_open = services.renewal_open(certificate)
        certificate.renewing = any(case.kind == "renewal" for case in certificate.open_cases)
    return rows
