"""Reading mutual-recognition data: our outgoing feed, partners, and partner certificates."""

import datetime as dt
from collections.abc import Iterator

from django.db.models import DateTimeField, F, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404

from openaeo.certificates.models import Certificate
from openaeo.common import clock
from openaeo.mra import feed
from openaeo.mra.models import (
    IdentifierMapping,
    MappingStatus,
    PartnerAdministration,
    PartnerCertificate,
    PartnerImport,
)


def feed_certificates(changed_since: dt.datetime | None = None) -> QuerySet[Certificate]:
    """Our certificates for the outgoing feed, in a stable order (by id).

    A certificate has changed when it was issued or its status changed since the moment
    given; a later change of the holder's profile does not count.
    """
    queryset = (
        Certificate.objects.select_related("holder")
        .annotate(
            changed_at=Greatest(
                F("issued_at"),
                Coalesce(F("status_changed_at"), F("issued_at")),
                output_field=DateTimeField(),
            )
        )
        .order_by("id")
    )
    if changed_since is not None:
        queryset = queryset.filter(
            Q(issued_at__gte=changed_since) | Q(status_changed_at__gte=changed_since)
        )
    return queryset


# Rows fetched from the database at a time by the streamed exports: on PostgreSQL a
# server-side cursor hands them over in batches of this size.
FEED_CHUNK_SIZE = 2000


def feed_rows(changed_since: dt.datetime | None = None) -> Iterator[tuple]:
    """The certificates of the feed as plain tuples (feed.ROW_COLUMNS), read in batches.

    One query whatever the number of certificates (the holder's address is joined, not
    fetched per row), no model instances, and memory bounded by FEED_CHUNK_SIZE: what the
    CSV, JSON and zipped XML exports of the whole register need.
    """
    queryset = Certificate.objects.order_by("id")
    if changed_since is not None:
        queryset = queryset.filter(
            Q(issued_at__gte=changed_since) | Q(status_changed_at__gte=changed_since)
        )
    return queryset.values_list(*feed.ROW_COLUMNS).iterator(chunk_size=FEED_CHUNK_SIZE)


def feed_records(changed_since: dt.datetime | None = None) -> Iterator[dict]:
    """The feed records of feed_rows, one at a time."""
    return map(feed.record_of_row, feed_rows(changed_since))


def active_partner_for_client(client_id: str, on: dt.date | None = None):
    """The partner administration whose arrangement is in force and which uses this client."""
    on = on or clock.today()
    partner = (
        PartnerAdministration.objects.select_related("client")
        .filter(client__client_id=client_id, client__active=True)
        .first()
    )
    return partner if partner is not None and partner.is_active(on) else None


def partners() -> QuerySet[PartnerAdministration]:
    return PartnerAdministration.objects.select_related("client").order_by("name")


def partner(partner_id: int) -> PartnerAdministration:
    return get_object_or_404(partners(), pk=partner_id)


def review_queue(partner: PartnerAdministration) -> QuerySet[IdentifierMapping]:
    return partner.mappings.filter(status=MappingStatus.UNMATCHED).order_by("partner_identifier")


def mappings(partner: PartnerAdministration) -> QuerySet[IdentifierMapping]:
    return partner.mappings.select_related("operator").order_by("status", "partner_identifier")


def mapping(partner_id: int, mapping_id: int) -> IdentifierMapping:
    return get_object_or_404(
        IdentifierMapping.objects.select_related("partner"), pk=mapping_id, partner_id=partner_id
    )


def imports(partner: PartnerAdministration) -> QuerySet[PartnerImport]:
    return partner.imports.order_by("-received_at", "-id")


def partner_import(partner_id: int, import_id: int) -> PartnerImport:
    return get_object_or_404(
        PartnerImport.objects.select_related("partner"), pk=import_id, partner_id=partner_id
    )


def recognised_records(aeo_number: str, on: dt.date) -> QuerySet[PartnerCertificate]:
    """Records of a partner's certificate with this number that verification may answer
    with, the one to use first: from partners whose arrangement is in force on `on`, once
    the authorisation date has come (as our own certificates are published from their
    effective date), the most recently updated first."""
    return (
        PartnerCertificate.objects.filter(
            aeo_number=aeo_number, authorised_on__lte=on, partner__active_from__lte=on
        )
        .filter(Q(partner__active_until__isnull=True) | Q(partner__active_until__gte=on))
        .order_by("-updated_at", "-id")
    )


def recognised_for_verification(aeo_number: str, on: dt.date) -> QuerySet:
    """`recognised_records` as the columns public verification answers with
    (certificates.verification, which compiles this query once per process)."""
    return recognised_records(aeo_number, on).values(
        "aeo_number",
        "status",
        "authorised_on",
        "expires_on",
        "holder_name",
        "tier",
        partner_name=F("partner__name"),
    )


def recognised(aeo_number: str, *, on: dt.date | None = None) -> PartnerCertificate | None:
    """The record of a partner's AEO certificate, for verification (docs/certificates.md).

    Looks `aeo_number` up (exactly, after trimming spaces) in `recognised_records` on `on`
    (today by default). Returns that record, whatever its status, with its partner
    selected, or None. The certificate is recognised only when the record's status is
    "active" and its expiry date (if any) has not passed; otherwise the status says why
    not. (The public lookup by number reads the same records through a query compiled
    once, `certificates.verification`.)
    """
    number = (aeo_number or "").strip()
    if not number:
        return None
    on = on or clock.today()
    return recognised_records(number, on).select_related("partner", "operator").first()
