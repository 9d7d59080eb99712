"""Changes to mutual-recognition data: imports of a partner's file and identifier mappings."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from openaeo.common import clock
from openaeo.common.audit import record_event
from openaeo.mra import feed, partner_keys, policy, reading, xml_files
from openaeo.mra.models import (
    IdentifierMapping,
    MappingStatus,
    PartnerAdministration,
    PartnerCertificate,
    PartnerImport,
)
from openaeo.operators.models import EconomicOperator


def partner_create(*, actor, **fields) -> PartnerAdministration:
    """A partner administration (also made through the admin site, which audits it too)."""
    if actor is not None and not policy.can_manage(actor):
        raise PermissionDenied
    with transaction.atomic():
        partner = PartnerAdministration.objects.create(**fields)
        record_event(
            actor=actor,
            action="mra.partner_create",
            obj=partner,
            after={
                "name": partner.name,
                "country": partner.country,
                "arrangement": partner.arrangement,
                "client": partner.client.client_id if partner.client else None,
            },
        )
    return partner


def _mapping_for(partner, identifier: str, name: str, now) -> IdentifierMapping:
    """The mapping of `identifier`; a new one is matched when exactly one business here has it."""
    mapping = IdentifierMapping.objects.filter(
        partner=partner, partner_identifier=identifier
    ).first()
    if mapping is not None:
        return mapping
    candidates = list(EconomicOperator.objects.filter(identifier__iexact=identifier)[:2])
    operator = candidates[0] if len(candidates) == 1 else None
    return IdentifierMapping.objects.create(
        partner=partner,
        partner_identifier=identifier,
        holder_name=name,
        operator=operator,
        status=MappingStatus.MATCHED if operator else MappingStatus.UNMATCHED,
        updated_at=now,
    )


def import_file(
    *, actor, partner: PartnerAdministration, data: bytes, file_name: str = ""
) -> tuple[PartnerImport, bool]:
    """Import a partner's feed file. Returns the import and whether this call made it.

    The same file (by SHA-256) imported again returns the first import and changes nothing;
    a record whose content did not change is counted as unchanged and not written. A file
    that cannot be read raises feed.FileRefused and nothing is stored; a record with a
    problem is refused with its reason and the others are imported.
    """
    if actor is not None and not policy.can_manage(actor):
        raise PermissionDenied
    digest = feed.sha256_of(data)
    existing = PartnerImport.objects.filter(partner=partner, sha256=digest).first()
    if existing is not None:
        return existing, False
    parsed, signed_with = _parse_checked(
        actor, partner, data, file_name
    )  # FileRefused: nothing stored
    now = clock.now()
    with transaction.atomic():
        # One import of a partner at a time.
        PartnerAdministration.objects.select_for_update().get(pk=partner.pk)
        existing = PartnerImport.objects.filter(partner=partner, sha256=digest).first()
        if existing is not None:
            return existing, False
        received = PartnerImport.objects.create(
            partner=partner,
            sha256=digest,
            file_name=file_name[:255],
            file_format=parsed.file_format,
            signed_with=signed_with,
            received_at=now,
            received_by=actor if getattr(actor, "pk", None) else None,
            records=len(parsed.records) + len(parsed.errors),
            rejected=len(parsed.errors),
            errors=parsed.errors,
        )
        current = {
            row.aeo_number: row
            for row in PartnerCertificate.objects.filter(
                partner=partner, aeo_number__in=[r["aeo_number"] for _w, r in parsed.records]
            )
        }
        for _where, record in parsed.records:
            mapping = _mapping_for(partner, record["operator_identifier"], record["name"], now)
            operator = mapping.operator if mapping.status == MappingStatus.MATCHED else None
            if operator is not None:
                received.matched += 1
            elif mapping.status == MappingStatus.UNMATCHED:
                received.unmatched += 1
            content = feed.content_sha256(record)
            row = current.get(record["aeo_number"])
            if row is not None and row.content_sha256 == content and row.operator == operator:
                received.unchanged += 1
                continue
            values = {
                "partner_identifier": record["operator_identifier"],
                "holder_name": record["name"],
                "address": record["address"],
                "country": record["country"],
                "status": record["status"],
                "authorised_on": record["authorised_on"],
                "status_changed_on": record["status_changed_on"],
                "tier": record["tier"],
                "expires_on": record["expires_on"],
                "operator": operator,
                "content_sha256": content,
                "last_import": received,
                "updated_at": now,
            }
            PartnerCertificate.objects.update_or_create(
                partner=partner, aeo_number=record["aeo_number"], defaults=values
            )
            received.accepted += 1
        received.save()
        record_event(
            actor=actor,
            action="mra.import",
            obj=received,
            after={"sha256": digest, **acknowledgement_counts(received)},
        )
    return received, True


def _parse_checked(
    actor, partner: PartnerAdministration, data: bytes, file_name: str
) -> tuple[feed.Parsed, str]:
    """The file's records; a zip only once its checksum and the partner's signature hold.

    Unsigned JSON, CSV and XML stay accepted: they arrive over channels that are already
    authenticated (an administrator's upload, the command line on our server). A zip is
    the signed form of the exchange, so it must carry a signature the partner's recorded
    keys verify (docs/certificates.md, "Partner keys").
    """
    if feed.guess_format(data, file_name) != "zip":
        return reading.parse(data, file_name), ""
    if not data.strip():
        raise feed.FileRefused(_("The file is empty."))
    partner.refresh_from_db(fields=["verification_keys"])  # the keys as recorded now
    try:
        xml, kid = xml_files.verified_xml_from_zip(data, partner)
    except xml_files.SignatureFileRefused as error:
        # Nothing is imported, but a file that fails its signature may be a forgery or a
        # key the partner changed without telling us: keep a trace of it.
        record_event(
            actor=actor,
            action="mra.import_refused",
            obj=partner,
            after={
                "sha256": feed.sha256_of(data),
                "file_name": file_name[:255],
                "reason": str(error),
            },
        )
        raise
    parsed = reading.parse(xml, "signed.xml")
    parsed.file_format = "zip"
    return parsed, kid


def partner_keys_set(*, actor, partner: PartnerAdministration, jwks: str | bytes):
    """Record the partner's public keys (a JWKS document), replacing those recorded before.

    Raises partner_keys.KeysRefused with the reason when the document cannot be used.
    """
    if actor is not None and not policy.can_manage(actor):
        raise PermissionDenied
    keys = partner_keys.parse_jwks(jwks)
    with transaction.atomic():
        partner = PartnerAdministration.objects.select_for_update().get(pk=partner.pk)
        before = partner.key_ids
        partner.verification_keys = keys
        partner.keys_recorded_at = clock.now()
        partner.save(update_fields=["verification_keys", "keys_recorded_at"])
        record_event(
            actor=actor,
            action="mra.partner_keys_set",
            obj=partner,
            before={"kids": before},
            after={"kids": partner.key_ids},
        )
    return partner


def acknowledgement_counts(received: PartnerImport) -> dict:
    return {
        "records": received.records,
        "accepted": received.accepted,
        "unchanged": received.unchanged,
        "rejected": received.rejected,
        "matched": received.matched,
        "unmatched": received.unmatched,
    }


def acknowledgement(received: PartnerImport) -> dict:
    """The acknowledgement we send back to the partner for one file."""
    return {
        "partner": received.partner.name,
        "file_name": received.file_name,
        "file_sha256": received.sha256,
        "received_at": received.received_at.isoformat(),
        "signature_verified_with": received.signed_with or None,
        **acknowledgement_counts(received),
        "rejected_records": received.errors,
    }


def mapping_resolve(
    *, actor, mapping: IdentifierMapping, operator: EconomicOperator | None, ignore: bool = False
) -> IdentifierMapping:
    """Match a partner's identifier to a business here, or ignore it. Its records follow."""
    if not policy.can_manage(actor):
        raise PermissionDenied
    with transaction.atomic():
        mapping = IdentifierMapping.objects.select_for_update().get(pk=mapping.pk)
        before = {"status": mapping.status, "operator": mapping.operator_id}
        if ignore:
            mapping.status, mapping.operator = MappingStatus.IGNORED, None
        elif operator is not None:
            mapping.status, mapping.operator = MappingStatus.MATCHED, operator
        else:
            mapping.status, mapping.operator = MappingStatus.UNMATCHED, None
        mapping.updated_at = clock.now()
        mapping.save()
        PartnerCertificate.objects.filter(
            partner=mapping.partner, partner_identifier=mapping.partner_identifier
        ).update(operator=mapping.operator)
        record_event(
            actor=actor,
            action="mra.mapping_resolve",
            obj=mapping,
            before=before,
            after={"status": mapping.status, "operator": mapping.operator_id},
        )
    return mapping
