"""Writes for evidence files: upload, the virus check and its retries, each with its audit event.

An upload is read once into a temporary spool, counting bytes as they arrive (the
size the browser declares is not trusted) and computing its SHA-256. Its type is
judged from the content (sniffing.py), then it is scanned. What happens next
depends on the verdict:

- clean: the content is stored and can be downloaded by those entitled;
- infected, or unreadable by the scanner: nothing of the content is stored, and a
  record says what was refused and why;
- scanner unavailable: the content is stored but stays quarantined (never
  downloadable) until the periodic job `evidence.rescan_quarantined` gets a verdict.

Files that are too large or whose content does not match their type are refused
with a ValidationError and leave no trace. Storage writes happen inside the
transaction and are deleted again if it fails; files left behind by a crash or an
outer transaction that rolled back are removed by `evidence_sweep_orphans`.
"""

import datetime as dt
import hashlib
import logging
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from openaeo.common import clock
from openaeo.common.audit import record_event
from openaeo.evidence import policy, scanning, selectors, sniffing
from openaeo.evidence.models import EvidenceFile, EvidenceStatus
from openaeo.operators.models import EconomicOperator

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_SPOOL_IN_MEMORY_BYTES = 1024 * 1024
_READ_BYTES = 64 * 1024
_ACTIONS = {
    EvidenceStatus.CLEAN: "evidence.upload",
    EvidenceStatus.QUARANTINED: "evidence.upload",
    EvidenceStatus.INFECTED: "evidence.infected",
    EvidenceStatus.SCAN_FAILED: "evidence.scan_failed",
}
_RESCAN_ACTIONS = {
    EvidenceStatus.CLEAN: "evidence.clean",
    EvidenceStatus.INFECTED: "evidence.infected",
    EvidenceStatus.SCAN_FAILED: "evidence.scan_failed",
}


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def allowed_types() -> tuple[str, ...]:
    return tuple(getattr(settings, "EVIDENCE_ALLOWED_TYPES", None) or sniffing.DEFAULT_ALLOWED)


@dataclass(frozen=True)
class _Verdict:
    status: str
    detail: str = ""


def evidence_upload(
    *, actor, operator: EconomicOperator, uploaded_file, purpose: str = ""
) -> EvidenceFile:
    """Receive one file for `operator`; return its record, whose status tells the outcome.

    Raises PermissionDenied when `actor` may not prepare for the business, and
    ValidationError (nothing stored) when the file is empty, too large, or its content
    is not an accepted type or does not match its name. An infected file returns a
    record with status `infected` and no content: the caller tells the person.
    """
    if not policy.can_upload(actor, operator):
        raise PermissionDenied
    return evidence_receive(
        actor=actor, operator=operator, uploaded_file=uploaded_file, purpose=purpose
    )


def evidence_receive(
    *, actor, operator: EconomicOperator, uploaded_file, purpose: str = ""
) -> EvidenceFile:
    """The checks and storage of `evidence_upload`, for callers that decided who may upload.

    Case work uses it for files officers add to a case (photos from a visit,
    attachments to a message), after checking the officer may work on the case.
    """
    name = clean_file_name(getattr(uploaded_file, "name", "") or "")
    spool, size, sha256 = _receive(uploaded_file, name)
    with spool:
        try:
            file_type = sniffing.identify(spool, name, allowed_types())
        except sniffing.FileTypeError as error:
            raise ValidationError(error.message, code="file_type") from error
        verdict = _scan(spool)
        spool.seek(0)
        return _store(
            actor=actor,
            operator=operator,
            name=name,
            purpose=purpose,
            file_type=file_type,
            size=size,
            sha256=sha256,
            verdict=verdict,
            content=spool,
        )


def clean_file_name(name: str) -> str:
    """The last part of the name the browser sent, printable and at most 255 characters."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = "".join(char for char in base if char.isprintable()).strip()
    if len(base) > 255:
        suffix = PurePosixPath(base).suffix[:20]
        base = base[: 255 - len(suffix)] + suffix
    return base


def _receive(uploaded_file, name: str) -> tuple[BinaryIO, int, str]:
    """Copy the upload into a spool, refusing it as soon as it is over the limit."""
    limit = max_bytes()
    source = uploaded_file if hasattr(uploaded_file, "chunks") else File(uploaded_file)
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
    digest = hashlib.sha256()
    size = 0
    try:
        for chunk in source.chunks(_READ_BYTES):
            size += len(chunk)
            if size > limit:
                raise ValidationError(
                    _(
                        "“%(name)s” is larger than %(limit)s, the most one file can be. Make it "
                        "smaller, for example by scanning at a lower resolution or splitting "
                        "it into parts, and send it again."
                    )
                    % {"name": name, "limit": filesizeformat(limit)},
                    code="too_large",
                )
            digest.update(chunk)
            spool.write(chunk)
        if size == 0:
            raise ValidationError(
                _("“%(name)s” is empty. Choose the file again.") % {"name": name}, code="empty"
            )
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool, size, digest.hexdigest()


def _scan(stream: BinaryIO, scanner: scanning.Scanner | None = None) -> _Verdict:
    stream.seek(0)
    try:
        result = (scanner or scanning.get_scanner()).scan(stream)
    except scanning.ScanUnavailable as error:
        logger.warning("Virus scanner unavailable; the file stays quarantined: %s", error)
        return _Verdict(EvidenceStatus.QUARANTINED, f"virus scanner unavailable: {error}")
    except scanning.ScanError as error:
        logger.warning("Virus scanner could not scan a file: %s", error)
        return _Verdict(EvidenceStatus.SCAN_FAILED, f"virus scanner error: {error}")
    if result.clean:
        return _Verdict(EvidenceStatus.CLEAN)
    return _Verdict(EvidenceStatus.INFECTED, result.signature or "unknown")


def _facts(evidence: EvidenceFile) -> dict:
    return {
        "name": evidence.original_name,
        "purpose": evidence.purpose,
        "type": evidence.detected_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "status": evidence.status,
        "scan_detail": evidence.scan_detail,
    }


def _store(
    *, actor, operator, name, purpose, file_type, size, sha256, verdict: _Verdict, content
) -> EvidenceFile:
    now = clock.now()
    evidence = EvidenceFile(
        operator=operator,
        uploaded_by=actor,
        original_name=name,
        purpose=purpose.strip()[:200],
        detected_type=file_type.mime,
        size=size,
        sha256=sha256,
        status=verdict.status,
        scan_detail=verdict.detail[:500],
        uploaded_at=now,
        scanned_at=None if verdict.status == EvidenceStatus.QUARANTINED else now,
    )
    keep_content = verdict.status in (EvidenceStatus.CLEAN, EvidenceStatus.QUARANTINED)
    stored_name = ""
    try:
        with transaction.atomic():
            if keep_content:
                evidence.file.save(name, File(content, name=name), save=False)
                stored_name = evidence.file.name
            evidence.save()
            record_event(
                actor=actor,
                acting_for=operator,
                action=_ACTIONS[verdict.status],
                obj=evidence,
                after=_facts(evidence),
            )
    except BaseException:
        if stored_name:
            _delete_content(stored_name)
        raise
    return evidence


def _delete_content(name: str) -> None:
    storage = EvidenceFile._meta.get_field("file").storage
    try:
        storage.delete(name)
    except Exception:
        # The orphan sweep removes it later; never hide the error that brought us here.
        logger.exception("Could not delete evidence content %s", name)


class _HashingReader:
    """Reads a stream for the scanner while computing its SHA-256 and size."""

    def __init__(self, stream: BinaryIO):
        self._stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def evidence_rescan(evidence: EvidenceFile, *, scanner: scanning.Scanner | None = None) -> str:
    """Scan a quarantined file's stored content and record the verdict; return the new status.

    Raises ScanUnavailable when the scanner still cannot answer (nothing changes then).
    A file whose stored content is missing or no longer matches its SHA-256 is refused.
    """
    if evidence.status != EvidenceStatus.QUARANTINED:
        return evidence.status
    scanner = scanner or scanning.get_scanner()
    try:
        with evidence.file.open("rb") as stream:
            reader = _HashingReader(stream)
            result = scanner.scan(reader)
            reader.read()  # a scanner that stopped early still leaves the digest complete
    except (FileNotFoundError, ValueError) as error:
        verdict = _Verdict(EvidenceStatus.SCAN_FAILED, f"stored content missing: {error}")
    except scanning.ScanError as error:
        verdict = _Verdict(EvidenceStatus.SCAN_FAILED, f"virus scanner error: {error}")
    else:
        if reader.digest.hexdigest() != evidence.sha256 or reader.size != evidence.size:
            verdict = _Verdict(
                EvidenceStatus.SCAN_FAILED, "stored content differs from what was uploaded"
            )
        elif result.clean:
            verdict = _Verdict(EvidenceStatus.CLEAN)
        else:
            verdict = _Verdict(EvidenceStatus.INFECTED, result.signature or "unknown")
    return _record_verdict(evidence.pk, verdict)


def _record_verdict(evidence_id: int, verdict: _Verdict) -> str:
    with transaction.atomic():
        evidence = EvidenceFile.objects.select_for_update().get(pk=evidence_id)
        if evidence.status != EvidenceStatus.QUARANTINED:
            return evidence.status  # another worker got there first
        before = {"status": evidence.status, "scan_detail": evidence.scan_detail}
        stored_name = evidence.file.name
        evidence.status = verdict.status
        evidence.scan_detail = verdict.detail[:500]
        evidence.scanned_at = clock.now()
        if verdict.status != EvidenceStatus.CLEAN:
            evidence.file = ""
            if stored_name:
                transaction.on_commit(lambda: _delete_content(stored_name))
        evidence.save(update_fields=["status", "scan_detail", "scanned_at", "file"])
        record_event(
            actor=None,
            acting_for=evidence.operator,
            action=_RESCAN_ACTIONS[verdict.status],
            obj=evidence,
            before=before,
            after={"status": evidence.status, "scan_detail": evidence.scan_detail},
        )
    return evidence.status


def evidence_rescan_quarantined(*, limit: int = 200) -> dict[str, int]:
    """Try again to scan quarantined files, oldest first; stop when the scanner is unavailable."""
    scanner = scanning.get_scanner()
    outcome: Counter[str] = Counter()
    for evidence in selectors.quarantined().select_related("operator")[:limit]:
        try:
            outcome[evidence_rescan(evidence, scanner=scanner)] += 1
        except scanning.ScanUnavailable as error:
            logger.warning("Virus scanner still unavailable; quarantined files wait: %s", error)
            outcome["unavailable"] += 1
            break
    return dict(outcome)


def evidence_sweep_orphans(*, older_than: dt.timedelta = dt.timedelta(hours=6)) -> int:
    """Delete stored content that no record refers to (left by a crash or a rolled-back caller)."""
    storage = EvidenceFile._meta.get_field("file").storage
    cutoff = clock.now() - older_than
    try:
        operator_folders, _files = storage.listdir("evidence")
    except (FileNotFoundError, NotImplementedError):
        return 0
    deleted = 0
    for folder in operator_folders:
        prefix = f"evidence/{folder}/"
        known = set(
            EvidenceFile.objects.filter(file__startswith=prefix).values_list("file", flat=True)
        )
        for name in storage.listdir(prefix.rstrip("/"))[1]:
            path = prefix + name
            if path in known:
                continue
            try:
                if storage.get_modified_time(path) >= cutoff:
                    continue  # perhaps an upload whose transaction is still open
            except (NotImplementedError, OSError):
                continue
            logger.warning("Deleting evidence content that no record refers to: %s", path)
            storage.delete(path)
            deleted += 1
    return deleted
