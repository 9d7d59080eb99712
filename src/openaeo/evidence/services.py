"""Writes for evidence files: receiving uploads, the virus check's retries, each audited.

Every app takes the files people upload with a form through `receive_files`. Each
upload is read once into a temporary spool, counting bytes as they arrive (the size
the browser declares is not trusted) and computing its SHA-256. Its type is judged
from the content (sniffing.py), then it is scanned. Only a clean file is kept:

- too many files, an empty or too large file, or content of a refused type or not
  matching its name: refused with a ValidationError naming the file; no trace;
- a virus found, or content the scanner looked at and could not scan: refused; a
  record of the refusal (no content) and its audit event stay, for review;
- the scanner unavailable (not configured, not running, too slow): refused, nothing
  kept; the person sends the file again once the scanner answers;
- clean: the content is stored, with its record and audit event.

One refused file refuses the whole batch: nothing of the others is stored either, so
a form either gets all its files, all checked clean, or none. Storage writes happen
inside the transaction and are deleted again if it fails; content left behind by a
crash or by a caller's transaction that rolled back after the files were received is
deleted at once by `discard_received`, or else by `evidence_sweep_orphans`.

Files quarantined by earlier versions (stored while the scanner was unavailable, never
downloadable) are still scanned again by the periodic job `evidence.rescan_quarantined`.
"""

import contextlib
import datetime as dt
import hashlib
import logging
import tempfile
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from openaeo.common import clock
from openaeo.common.audit import record_event
from openaeo.evidence import scanning, selectors, sniffing
from openaeo.evidence.models import EvidenceFile, EvidenceStatus
from openaeo.operators.models import EconomicOperator

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_SPOOL_IN_MEMORY_BYTES = 1024 * 1024
_READ_BYTES = 64 * 1024
# A scan without a verdict: never the status of a record (nothing is kept).
_UNAVAILABLE = "unavailable"
_ACTIONS = {
    EvidenceStatus.CLEAN: "evidence.upload",
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


@dataclass(frozen=True)
class _Received:
    """One upload read, typed and scanned, not yet stored."""

    name: str
    content: BinaryIO
    size: int
    sha256: str
    file_type: sniffing.FileType
    verdict: _Verdict


def receive_files(
    *,
    actor,
    operator: EconomicOperator,
    files: Iterable,
    purpose: str = "",
    allowed: Collection[str] | None = None,
    max_files: int | None = None,
    field: str | None = None,
    scanner: scanning.Scanner | None = None,
) -> list[EvidenceFile]:
    """Check, scan and store the files uploaded with a form, for `operator`; all or none.

    `files` is a list of uploaded files (empty entries are skipped; an empty list gives
    []). Each becomes an EvidenceFile with `purpose`, `actor` as its sender, status
    clean, its content stored, and an `evidence.upload` audit event. Who may send files
    is the caller's rule (preparing the business's file, corresponding on a case, being
    on the visit team, writing as the certificate's holder): check it first.

    Raises ValidationError, and stores nothing, when there are more than `max_files`
    files or any file is empty, larger than the limit, not of an `allowed` type
    (default: the EVIDENCE_ALLOWED_TYPES setting), named as another type, infected, not
    scannable, or could not be scanned because the scanner is unavailable. Its messages
    name each refused file (translated); with `field`, they are keyed by that form field.
    An infected or unscannable file leaves a record of the refusal without content and
    its audit event; they are written in a transaction of their own, nested in the
    caller's if one is open (and rolled back with it unless the caller commits).

    `scanner` replaces the configured one (tests); nothing is scanned without files.
    """
    if hasattr(files, "chunks"):
        raise TypeError("receive_files takes a list of files: put a single file in a list")
    uploads = [upload for upload in files or () if upload]
    if max_files is not None and len(uploads) > max_files:
        message = ngettext(
            "Choose at most %(count)s file at a time; nothing was kept.",
            "Choose at most %(count)s files at a time; nothing was kept.",
            max_files,
        ) % {"count": max_files}
        raise _refusal([ValidationError(message, code="too_many")], field)
    if not uploads:
        return []
    types = tuple(allowed) if allowed is not None else allowed_types()
    scanner = scanner or scanning.get_scanner()
    errors: list[ValidationError] = []
    received: list[_Received] = []
    with contextlib.ExitStack() as spools:
        for upload in uploads:
            name = clean_file_name(getattr(upload, "name", "") or "")
            try:
                spool, size, sha256 = _receive(upload, name)
            except ValidationError as error:
                errors.append(error)
                continue
            spools.callback(spool.close)
            try:
                file_type = sniffing.identify(spool, name, types)
            except sniffing.FileTypeError as error:
                errors.append(ValidationError(error.message, code="file_type"))
                continue
            item = _Received(name, spool, size, sha256, file_type, _scan(spool, scanner))
            if item.verdict.status != EvidenceStatus.CLEAN:
                errors.append(_verdict_error(item))
            received.append(item)
        if errors:
            _record_refusals(actor=actor, operator=operator, purpose=purpose, items=received)
            if len(uploads) > 1:
                message = _(
                    "None of the files you sent was kept: choose them again, leaving out or "
                    "replacing the refused ones."
                )
                errors.append(ValidationError(message, code="none_kept"))
            raise _refusal(errors, field)
        return _store(actor=actor, operator=operator, purpose=purpose, items=received)


def _refusal(errors: list[ValidationError], field: str | None) -> ValidationError:
    return ValidationError({field: errors}) if field else ValidationError(errors)


def _verdict_error(item: _Received) -> ValidationError:
    values = {"name": item.name, "signature": item.verdict.detail}
    if item.verdict.status == EvidenceStatus.INFECTED:
        message = _(
            "“%(name)s” was refused: the virus check found a virus in it (%(signature)s). "
            "Nothing of it was kept. Check your computer for viruses, then send "
            "a clean copy."
        )
        return ValidationError(message % values, code="infected")
    if item.verdict.status == EvidenceStatus.SCAN_FAILED:
        message = _(
            "“%(name)s” was refused: the virus check could not read it, so it could not be "
            "checked. Nothing of it was kept. Save the file again (for example as "
            "PDF) and send the new copy."
        )
        return ValidationError(message % values, code="scan_failed")
    message = _(
        "“%(name)s” was refused: the virus check is not available at the moment, so it could "
        "not be checked. Nothing of it was kept. Send it again in a few minutes."
    )
    return ValidationError(message % values, code="scan_unavailable")


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


def _scan(stream: BinaryIO, scanner: scanning.Scanner) -> _Verdict:
    stream.seek(0)
    try:
        result = scanner.scan(stream)
    except scanning.ScanUnavailable as error:
        logger.warning("Virus scanner unavailable; an upload is refused: %s", error)
        return _Verdict(_UNAVAILABLE, f"virus scanner unavailable: {error}")
    except scanning.ScanError as error:
        logger.warning("Virus scanner could not scan a file: %s", error)
        return _Verdict(EvidenceStatus.SCAN_FAILED, f"virus scanner error: {error}")
    finally:
        stream.seek(0)
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


def _record(*, actor, operator, purpose: str, item: _Received) -> EvidenceFile:
    now = clock.now()
    return EvidenceFile(
        operator=operator,
        uploaded_by=actor,
        original_name=item.name,
        purpose=purpose.strip()[:200],
        detected_type=item.file_type.mime,
        size=item.size,
        sha256=item.sha256,
        status=item.verdict.status,
        scan_detail=item.verdict.detail[:500],
        uploaded_at=now,
        scanned_at=now,
    )


def _save(evidence: EvidenceFile, actor, operator) -> None:
    evidence.save()
    record_event(
        actor=actor,
        acting_for=operator,
        action=_ACTIONS[evidence.status],
        obj=evidence,
        after=_facts(evidence),
    )


def _record_refusals(*, actor, operator, purpose: str, items: list[_Received]) -> None:
    """A record without content, and its audit event, for each file found infected or
    unscannable: what was refused and why stays on file for review."""
    refused = [
        item
        for item in items
        if item.verdict.status in (EvidenceStatus.INFECTED, EvidenceStatus.SCAN_FAILED)
    ]
    if not refused:
        return
    with transaction.atomic():
        for item in refused:
            _save(
                _record(actor=actor, operator=operator, purpose=purpose, item=item), actor, operator
            )


def _store(*, actor, operator, purpose: str, items: list[_Received]) -> list[EvidenceFile]:
    stored: list[EvidenceFile] = []
    try:
        with transaction.atomic():
            for item in items:
                evidence = _record(actor=actor, operator=operator, purpose=purpose, item=item)
                item.content.seek(0)
                evidence.file.save(item.name, File(item.content, name=item.name), save=False)
                stored.append(evidence)
                _save(evidence, actor, operator)
    except BaseException:
        discard_received(stored)
        raise
    return stored


def discard_received(files: Iterable[EvidenceFile]) -> None:
    """Delete the stored content of files whose records a failed transaction rolled back.

    For callers that receive files inside their own transaction and then fail: the
    content goes at once instead of waiting for `evidence_sweep_orphans`.
    """
    for evidence in files:
        if evidence.file:
            _delete_content(evidence.file.name)


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
