"""Uploading evidence: what is stored, what is refused, and what anyone can download."""

import datetime as dt
import hashlib
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from openaeo.accounts.roles import OperatorRole
from openaeo.common import clock
from openaeo.common.models import AuditEvent
from openaeo.common.periodic import jobs
from openaeo.evidence import scanning, services, tasks
from openaeo.evidence.models import EvidenceFile, EvidenceStatus
from tests import factories
from tests.scenarios.evidence import (
    PDF_BYTES,
    PNG_BYTES,
    FakeScanner,
    eicar,
    office_bytes,
    stored_files,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(operator):
    return factories.make_member(operator, OperatorRole.OWNER)


def upload(actor, operator, name, content, purpose=""):
    return services.evidence_upload(
        actor=actor,
        operator=operator,
        uploaded_file=SimpleUploadedFile(name, content),
        purpose=purpose,
    )


# Clean files


def test_a_clean_pdf_is_stored_clean_with_its_sha256(owner, operator, use_scanner, media_root):
    scanner = use_scanner(FakeScanner())
    evidence = upload(owner, operator, "Seal register.pdf", PDF_BYTES, purpose="Seal register")
    assert evidence.status == EvidenceStatus.CLEAN
    assert evidence.detected_type == "application/pdf"
    assert evidence.size == len(PDF_BYTES)
    assert evidence.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert evidence.original_name == "Seal register.pdf"
    assert evidence.scanned_at is not None
    assert scanner.scanned == [PDF_BYTES]
    with evidence.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES
    assert "Seal register" not in evidence.file.name
    assert evidence.file.name.startswith(f"evidence/{operator.pk}/")
    assert len(stored_files(media_root)) == 1
    event = AuditEvent.objects.get(action="evidence.upload")
    assert event.acting_for == operator and event.actor == owner
    assert event.after["sha256"] == evidence.sha256 and event.after["status"] == "clean"


def test_the_name_keeps_only_its_last_part(owner, operator, use_scanner):
    use_scanner(FakeScanner())
    evidence = upload(owner, operator, "../../etc/report.pdf", PDF_BYTES)
    assert evidence.original_name == "report.pdf"
    assert services.clean_file_name("C:\\Users\\amina\\seal\tlog.pdf") == "seallog.pdf"
    assert len(services.clean_file_name("a" * 300 + ".pdf")) == 255


@pytest.mark.parametrize("role", [OperatorRole.OWNER, OperatorRole.EDITOR])
def test_members_who_prepare_can_upload(role, operator, use_scanner):
    use_scanner(FakeScanner())
    person = factories.make_member(operator, role)
    assert upload(person, operator, "a.pdf", PDF_BYTES).status == EvidenceStatus.CLEAN


def test_a_representative_allowed_to_prepare_can_upload(operator, use_scanner):
    use_scanner(FakeScanner())
    representative = factories.UserFactory()
    factories.make_mandate(operator, representative, scopes=["prepare"])
    assert upload(representative, operator, "a.pdf", PDF_BYTES).status == EvidenceStatus.CLEAN


def test_those_who_do_not_prepare_cannot_upload(operator, other_operator, use_scanner, media_root):
    use_scanner(FakeScanner())
    viewer = factories.make_member(operator, OperatorRole.VIEWER)
    stranger = factories.make_member(other_operator, OperatorRole.OWNER)
    correspondent = factories.UserFactory()
    factories.make_mandate(operator, correspondent, scopes=["correspond"])
    for person in (viewer, stranger, correspondent, factories.make_staff("validator")):
        with pytest.raises(PermissionDenied):
            upload(person, operator, "a.pdf", PDF_BYTES)
    assert not EvidenceFile.objects.exists() and stored_files(media_root) == []


# Refusals that store nothing


def test_the_eicar_file_is_refused_by_a_real_clamd(owner, operator, use_clamd, media_root):
    evidence = upload(owner, operator, "invoice.txt", eicar())
    assert evidence.status == EvidenceStatus.INFECTED
    assert "Eicar" in evidence.scan_detail or "EICAR" in evidence.scan_detail
    assert not evidence.file and not evidence.is_downloadable
    assert stored_files(media_root) == []
    event = AuditEvent.objects.get(action="evidence.infected")
    assert event.after["status"] == "infected" and event.acting_for == operator


def test_a_clean_pdf_passes_a_real_clamd(owner, operator, use_clamd, media_root):
    evidence = upload(owner, operator, "report.pdf", PDF_BYTES)
    assert evidence.status == EvidenceStatus.CLEAN
    assert len(stored_files(media_root)) == 1


def test_an_infected_file_keeps_a_record_but_nothing_of_its_content(
    owner, operator, use_scanner, media_root
):
    use_scanner(FakeScanner(signature="Win.Trojan.Example"))
    evidence = upload(owner, operator, "invoice.pdf", PDF_BYTES)
    evidence.refresh_from_db()
    assert (evidence.status, evidence.scan_detail) == ("infected", "Win.Trojan.Example")
    assert evidence.file.name == "" and evidence.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert stored_files(media_root) == []
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["evidence.infected"]


def test_a_file_the_scanner_cannot_read_is_refused(owner, operator, use_scanner, media_root):
    use_scanner(FakeScanner(raises=scanning.ScanError("INSTREAM size limit exceeded.")))
    evidence = upload(owner, operator, "big.pdf", PDF_BYTES)
    assert evidence.status == EvidenceStatus.SCAN_FAILED
    assert "size limit" in evidence.scan_detail
    assert stored_files(media_root) == []
    assert AuditEvent.objects.filter(action="evidence.scan_failed").count() == 1


def test_content_that_does_not_match_its_name_is_refused(owner, operator, use_scanner, media_root):
    scanner = use_scanner(FakeScanner())
    with pytest.raises(ValidationError) as error:
        upload(owner, operator, "audit-report.pdf", PNG_BYTES)
    message = " ".join(error.value.messages)
    assert "audit-report.pdf" in message and "PDF document" in message and "PNG picture" in message
    assert not EvidenceFile.objects.exists() and stored_files(media_root) == []
    assert scanner.scanned == [] and not AuditEvent.objects.filter(action__startswith="evidence")


def test_a_type_that_is_not_accepted_is_refused(owner, operator, use_scanner, media_root):
    use_scanner(FakeScanner())
    with pytest.raises(ValidationError, match="with macros"):
        upload(owner, operator, "procedures.docm", office_bytes("docm"))
    assert stored_files(media_root) == []


def test_an_oversized_file_is_refused_whatever_size_it_declares(
    owner, operator, use_scanner, media_root, settings
):
    scanner = use_scanner(FakeScanner())
    settings.EVIDENCE_MAX_BYTES = 1000
    big = SimpleUploadedFile("scan.pdf", PDF_BYTES + b" " * 1000)
    big.size = 10  # the declared size is not trusted
    with pytest.raises(ValidationError) as error:
        services.evidence_upload(actor=owner, operator=operator, uploaded_file=big)
    assert error.value.code == "too_large"
    assert "scan.pdf" in error.value.messages[0] and "1000" in error.value.messages[0]
    assert not EvidenceFile.objects.exists() and stored_files(media_root) == []
    assert scanner.scanned == []


def test_a_file_at_the_limit_is_accepted(owner, operator, use_scanner, settings):
    use_scanner(FakeScanner())
    settings.EVIDENCE_MAX_BYTES = len(PDF_BYTES)
    assert upload(owner, operator, "a.pdf", PDF_BYTES).status == EvidenceStatus.CLEAN


def test_an_empty_file_is_refused(owner, operator, use_scanner):
    use_scanner(FakeScanner())
    with pytest.raises(ValidationError, match="is empty"):
        upload(owner, operator, "a.pdf", b"")


def test_a_failed_transaction_leaves_no_file_behind(
    owner, operator, use_scanner, media_root, monkeypatch
):
    use_scanner(FakeScanner())

    def broken_audit(**kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(services, "record_event", broken_audit)
    with pytest.raises(RuntimeError):
        upload(owner, operator, "a.pdf", PDF_BYTES)
    assert not EvidenceFile.objects.exists() and stored_files(media_root) == []


# Scanner unavailable: quarantine, then the periodic rescan


def test_without_a_scanner_the_file_waits_in_quarantine(owner, operator, use_scanner, media_root):
    use_scanner(FakeScanner(raises=scanning.ScanUnavailable("connection refused")))
    evidence = upload(owner, operator, "a.pdf", PDF_BYTES)
    assert evidence.status == EvidenceStatus.QUARANTINED
    assert "unavailable" in evidence.scan_detail and "connection refused" in evidence.scan_detail
    assert evidence.scanned_at is None and not evidence.is_downloadable
    assert len(stored_files(media_root)) == 1


def test_the_rescan_runs_every_ten_minutes():
    job = next(job for job in jobs() if job.name == "evidence.rescan_quarantined")
    assert job.every == dt.timedelta(minutes=10)
    assert job.task is tasks.rescan_quarantined_evidence


def test_the_periodic_rescan_makes_a_quarantined_file_clean(
    owner, operator, use_scanner, media_root
):
    use_scanner(FakeScanner(raises=scanning.ScanUnavailable("connection refused")))
    evidence = upload(owner, operator, "a.pdf", PDF_BYTES)
    assert tasks.rescan_quarantined_evidence.enqueue().return_value == {"unavailable": 1}
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.QUARANTINED

    use_scanner(FakeScanner())
    assert tasks.rescan_quarantined_evidence.enqueue().return_value == {"clean": 1}
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.CLEAN and evidence.is_downloadable
    assert evidence.scan_detail == "" and evidence.scanned_at is not None
    event = AuditEvent.objects.get(action="evidence.clean")
    assert event.actor is None and event.acting_for == operator
    assert (event.before["status"], event.after["status"]) == ("quarantined", "clean")


def test_the_periodic_rescan_with_a_real_clamd(owner, operator, use_scanner, use_clamd):
    use_scanner(FakeScanner(raises=scanning.ScanUnavailable("clamd is restarting")))
    clean = upload(owner, operator, "a.pdf", PDF_BYTES)
    infected = upload(owner, operator, "b.txt", eicar())
    use_scanner(use_clamd)
    assert services.evidence_rescan_quarantined() == {"clean": 1, "infected": 1}
    clean.refresh_from_db()
    infected.refresh_from_db()
    assert (clean.status, infected.status) == ("clean", "infected")


def test_a_rescan_that_finds_a_virus_deletes_the_content(
    owner, operator, use_scanner, media_root, django_capture_on_commit_callbacks
):
    use_scanner(FakeScanner(raises=scanning.ScanUnavailable("down")))
    evidence = upload(owner, operator, "a.txt", b"harmless words\n")
    assert len(stored_files(media_root)) == 1
    use_scanner(FakeScanner(signature="Txt.Example"))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.evidence_rescan(evidence) == EvidenceStatus.INFECTED
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.INFECTED and evidence.file.name == ""
    assert stored_files(media_root) == []
    assert AuditEvent.objects.filter(action="evidence.infected").count() == 1


def test_a_rescan_refuses_content_changed_in_storage(
    owner, operator, use_scanner, media_root, django_capture_on_commit_callbacks
):
    use_scanner(FakeScanner(raises=scanning.ScanUnavailable("down")))
    evidence = upload(owner, operator, "a.txt", b"harmless words\n")
    (media_root / evidence.file.name).write_bytes(b"other words\n")
    with django_capture_on_commit_callbacks(execute=True):
        status = services.evidence_rescan(evidence, scanner=FakeScanner())
    assert status == EvidenceStatus.SCAN_FAILED
    evidence.refresh_from_db()
    assert "differs" in evidence.scan_detail and stored_files(media_root) == []


def test_a_rescan_leaves_files_that_already_have_a_verdict(owner, operator, use_scanner):
    use_scanner(FakeScanner())
    evidence = upload(owner, operator, "a.pdf", PDF_BYTES)
    scanner = FakeScanner(signature="Never.Asked")
    assert services.evidence_rescan(evidence, scanner=scanner) == EvidenceStatus.CLEAN
    assert scanner.scanned == []


# Clean-up of content that no record refers to


def test_the_sweep_removes_old_unreferenced_content_only(owner, operator, use_scanner, media_root):
    use_scanner(FakeScanner())
    kept = upload(owner, operator, "a.pdf", PDF_BYTES)
    old_orphan = default_storage.save(
        f"evidence/{operator.pk}/0123abcd", SimpleUploadedFile("x", b"x")
    )
    new_orphan = default_storage.save(
        f"evidence/{operator.pk}/4567abcd", SimpleUploadedFile("x", b"x")
    )
    # The sweep compares a file's time with the project clock, so the files' times are set
    # from that clock too: a file system stamp from the wall clock would make this test
    # depend on the day it runs.
    now = clock.now().timestamp()
    day_ago = now - 86400
    os.utime(media_root / old_orphan, (day_ago, day_ago))
    os.utime(media_root / kept.file.name, (day_ago, day_ago))
    os.utime(media_root / new_orphan, (now, now))
    assert services.evidence_sweep_orphans() == 1
    assert sorted(path.name for path in stored_files(media_root)) == sorted(
        [kept.file.name.rsplit("/", 1)[1], new_orphan.rsplit("/", 1)[1]]
    )


def test_the_sweep_does_nothing_before_any_upload():
    assert services.evidence_sweep_orphans() == 0
