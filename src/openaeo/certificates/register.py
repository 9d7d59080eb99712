"""Reading the public AEO register: the certificates whose holders consented to appear.

Only current holders are listed: certificates that are valid (active) or suspended, whose
effective date has come and whose last day of validity has not passed, and whose owner
consented (`register_consent_at` set). Revoked and expired certificates never appear, as
in the EU's public AEO query. The register shows what the programme publishes and no more:
the holder's identifier only for programmes whose `register.publish_identifier` is true.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from openaeo.catalogue.models import Programme
from openaeo.certificates import policy
from openaeo.certificates.models import Certificate, CertificateStatus
from openaeo.common import clock

# The register's status filter: the words the public reads -> the certificate status.
STATUSES = {
    "valid": CertificateStatus.ACTIVE,
    "suspended": CertificateStatus.SUSPENDED,
}
STATUS_LABELS = {
    CertificateStatus.ACTIVE: _("Valid"),
    CertificateStatus.SUSPENDED: _("Suspended"),
}
# The fields a register row needs; nothing else is read from the database.
FIELDS = (
    "id",
    "aeo_number",
    "programme_id",
    "holder_name",
    "identifier",
    "country",
    "tier_code",
    "tier_name",
    "effective_on",
    "status",
)


@dataclass(frozen=True)
class RegisterFilter:
    name: str = ""
    country: str = ""
    tier: str = ""
    status: str = ""  # a key of STATUSES, or "" for both


def listed(today: dt.date | None = None) -> QuerySet[Certificate]:
    """Every certificate the register shows, by holder name."""
    today = today or clock.today()
    return (
        Certificate.objects.filter(
            register_consent_at__isnull=False,
            status__in=list(STATUSES.values()),
            effective_on__lte=today,
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .only(*FIELDS)
        .order_by("holder_name", "aeo_number", "id")
    )


def register_search(criteria: RegisterFilter) -> QuerySet[Certificate]:
    """The register, narrowed by name (contains, any case), country, tier and status."""
    certificates = listed()
    name = criteria.name.strip()
    if name:
        certificates = certificates.filter(holder_name__icontains=name)
    if criteria.country:
        certificates = certificates.filter(country=criteria.country.upper())
    if criteria.tier:
        certificates = certificates.filter(tier_code=criteria.tier)
    if criteria.status in STATUSES:
        certificates = certificates.filter(status=STATUSES[criteria.status])
    return certificates


def countries_listed() -> list[str]:
    """The countries of the listed holders, for the country filter (one query)."""
    return sorted(set(listed().order_by().values_list("country", flat=True).distinct()))


def tiers_offered(language: str = "en") -> list[tuple[str, str]]:
    """(code, name) of the levels of the listed holders, for the level filter (two
    queries: the codes listed, and their names in the programmes)."""
    codes = set(listed().order_by().values_list("tier_code", flat=True).distinct())
    tiers: dict[str, str] = {}
    for config in Programme.objects.order_by("urn").values_list("config", flat=True):
        for tier in config.get("tiers") or []:
            if tier["code"] in codes:
                names = tier.get("name") or {}
                label = names.get(language) or names.get("en") or tier["code"]
                tiers.setdefault(tier["code"], label)
    return sorted(tiers.items(), key=lambda item: item[1].casefold())


def programmes_publishing_identifier() -> frozenset[int]:
    """Ids of the programmes whose register shows the holder's identifier (one query)."""
    return frozenset(
        pk
        for pk, config in Programme.objects.values_list("pk", "config")
        if ((config or {}).get("register") or {}).get("publish_identifier") is True
    )


def status_label(certificate: Certificate) -> str:
    return str(STATUS_LABELS.get(certificate.status, certificate.get_status_display()))


def certificate_for_consent(user, certificate_id: int) -> Certificate:
    """The certificate, or 404 unless `user` is an owner of its holder."""
    certificate = Certificate.objects.select_related("holder").filter(pk=certificate_id).first()
    if certificate is None or not policy.can_manage_register_consent(user, certificate):
        raise Http404
    return certificate
