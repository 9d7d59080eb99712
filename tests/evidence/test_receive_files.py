"""receive_files: the one intake every app uses for files sent with a form.

Only files the virus check found clean are kept; every other outcome is refused with a
message naming the file, and nothing of the batch is stored.
"""

import os
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from openaeo.common import clock
from openaeo.common.models import AuditEvent
from openaeo.evidence import scanning, services, sniffing
from openaeo.evidence.models import EvidenceFile, EvidenceStatus

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
PROGRAM = b"MZ\x90\x00" + bytes(60)
# The EICAR anti-virus test file in two halves, so that no file of the repository holds it.
EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR" + "-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode()


class Scanner:
    """Answers as told: clean, a signature found, or an exception; records what it read."""

    def __init__(self, *, signature=None, raises=None):
        self.signature, self.raises, self.scanned = signature, raises, []

    def scan(self, stream):
        self.scanned.append(stream.read())
        if self.raises is not None:
            raise self.raises
        return scanning.ScanResult(clean=self.signature is None, signature=self.signature)


def unreachable_clamd() -> scanning.ClamdScanner:
    """The real clamd client, pointed at a socket nobody listens on."""
    return scanning.ClamdScanner(socket_path="/nonexistent/clamd.ctl", timeout=1)


def upload(name, content):
    return SimpleUploadedFile(name, content)


def receive(people, operator, *files, **options):
    return services.receive_files(
        actor=people["owner"], operator=operator, files=list(files), purpose="Seals", **options
    )


def stored(media_root) -> list[Path]:
    return sorted(path for path in Path(media_root).rglob("*") if path.is_file())


def refusal(people, operator, *files, **options) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        receive(people, operator, *files, **options)
    return caught.value


def evidence_events():
    """The audit events of evidence files (setting up the people writes others)."""
    return AuditEvent.objects.filter(action__startswith="evidence.")


def codes(error: ValidationError) -> list[str]:
    return [item.code for item in error.error_list]


def nothing_kept(media_root):
    assert stored(media_root) == []
    assert not EvidenceFile.objects.exclude(file="").exists()
    assert not evidence_events().filter(action="evidence.upload").exists()


# Clean files


def test_clean_files_are_stored_each_with_its_record_and_one_audit_event(
    people, operator, use_scanner, media_root
):
    scanner = use_scanner(Scanner())
    received = receive(people, operator, upload("log.pdf", PDF), upload("seal.png", PNG))
    assert [(e.original_name, e.detected_type) for e in received] == [
        ("log.pdf", "application/pdf"),
        ("seal.png", "image/png"),
    ]
    for evidence in received:
        evidence.refresh_from_db()
        assert evidence.status == EvidenceStatus.CLEAN and evidence.is_downloadable
        assert (evidence.purpose, evidence.uploaded_by) == ("Seals", people["owner"])
        assert evidence.scanned_at is not None
    assert scanner.scanned == [PDF, PNG]
    assert len(stored(media_root)) == 2
    events = evidence_events().filter(action="evidence.upload")
    assert sorted(int(event.object_id) for event in events) == sorted(e.pk for e in received)
    assert {event.acting_for_id for event in events} == {operator.pk}
    assert evidence_events().count() == 2


def test_no_files_is_nothing_to_do(people, operator, use_scanner):
    scanner = use_scanner(Scanner())
    assert receive(people, operator) == []
    assert receive(people, operator, None) == []  # an empty file input
    assert scanner.scanned == [] and not EvidenceFile.objects.exists()


def test_a_single_file_must_come_in_a_list(people, operator, use_scanner):
    use_scanner(Scanner())
    with pytest.raises(TypeError, match="list"):
        services.receive_files(
            actor=people["owner"], operator=operator, files=upload("log.pdf", PDF)
        )


def test_the_scanner_passed_in_replaces_the_configured_one(people, operator, use_scanner):
    configured = use_scanner(Scanner(signature="Never.Asked"))
    given = Scanner()
    (evidence,) = receive(people, operator, upload("log.pdf", PDF), scanner=given)
    assert evidence.status == EvidenceStatus.CLEAN
    assert (given.scanned, configured.scanned) == ([PDF], [])


def test_a_clean_file_passes_a_real_clamd(people, operator, use_clamd, media_root):
    (evidence,) = receive(people, operator, upload("log.pdf", PDF))
    assert evidence.status == EvidenceStatus.CLEAN and len(stored(media_root)) == 1


# Refusals: every reason, with its message naming the file


def test_an_empty_file_is_refused(people, operator, use_scanner, media_root):
    use_scanner(Scanner())
    error = refusal(people, operator, upload("log.pdf", b""))
    assert codes(error) == ["empty"]
    assert error.messages == ["“log.pdf” is empty. Choose the file again."]
    nothing_kept(media_root)
    assert not EvidenceFile.objects.exists()


def test_a_file_over_the_limit_is_refused(people, operator, use_scanner, media_root, settings):
    scanner = use_scanner(Scanner())
    settings.EVIDENCE_MAX_BYTES = 100
    error = refusal(people, operator, upload("log.pdf", PDF + bytes(200)))
    assert codes(error) == ["too_large"]
    assert error.messages[0].startswith("“log.pdf” is larger than 100")
    assert scanner.scanned == []
    nothing_kept(media_root)
    assert not EvidenceFile.objects.exists()


def test_a_type_that_is_not_accepted_is_refused(people, operator, use_scanner, media_root):
    scanner = use_scanner(Scanner())
    error = refusal(people, operator, upload("tool.exe", PROGRAM))
    assert codes(error) == ["file_type"]
    assert "“tool.exe” is a program, which cannot be sent" in error.messages[0]
    assert scanner.scanned == []
    nothing_kept(media_root)
    assert not EvidenceFile.objects.exists()


def test_content_that_does_not_match_its_name_is_refused(people, operator, use_scanner, media_root):
    use_scanner(Scanner())
    error = refusal(people, operator, upload("seal.pdf", PNG))
    assert codes(error) == ["file_type"]
    assert (
        "“seal.pdf” is named as a PDF document, but its content is a PNG picture"
        in (error.messages[0])
    )
    nothing_kept(media_root)


def test_the_caller_may_accept_fewer_types(people, operator, use_scanner, media_root):
    use_scanner(Scanner())
    error = refusal(people, operator, upload("log.pdf", PDF), allowed=(sniffing.PNG.mime,))
    assert codes(error) == ["file_type"]
    assert "“log.pdf” is a PDF document" in error.messages[0]
    assert "PNG picture" in error.messages[0]
    nothing_kept(media_root)


def test_too_many_files_are_refused_before_any_is_read(people, operator, use_scanner, media_root):
    scanner = use_scanner(Scanner())
    files = [upload(f"log-{number}.pdf", PDF) for number in range(3)]
    error = refusal(people, operator, *files, max_files=2)
    assert codes(error) == ["too_many"]
    assert error.messages == ["Choose at most 2 files at a time; nothing was kept."]
    assert scanner.scanned == []
    nothing_kept(media_root)


def test_an_infected_file_is_refused_and_only_its_refusal_is_on_record(
    people, operator, use_scanner, media_root
):
    use_scanner(Scanner(signature="Win.Test.Example"))
    error = refusal(people, operator, upload("invoice.pdf", PDF))
    assert codes(error) == ["infected"]
    assert error.messages == [
        "“invoice.pdf” was refused: the virus check found a virus in it (Win.Test.Example). "
        "Nothing of it was kept. Check your computer for viruses, then send a "
        "clean copy."
    ]
    nothing_kept(media_root)
    record = EvidenceFile.objects.get()
    assert (record.status, record.scan_detail, record.file.name) == (
        EvidenceStatus.INFECTED,
        "Win.Test.Example",
        "",
    )
    event = evidence_events().get()
    assert (event.action, event.acting_for_id) == ("evidence.infected", operator.pk)


def test_the_eicar_file_is_refused_by_a_real_clamd(people, operator, use_clamd, media_root):
    error = refusal(people, operator, upload("notes.txt", EICAR))
    assert codes(error) == ["infected"]
    assert "“notes.txt” was refused: the virus check found a virus in it" in error.messages[0]
    nothing_kept(media_root)
    assert EvidenceFile.objects.get().status == EvidenceStatus.INFECTED


def test_a_file_the_scanner_cannot_scan_is_refused(people, operator, use_scanner, media_root):
    use_scanner(Scanner(raises=scanning.ScanError("INSTREAM size limit exceeded.")))
    error = refusal(people, operator, upload("big.pdf", PDF))
    assert codes(error) == ["scan_failed"]
    assert error.messages[0].startswith(
        "“big.pdf” was refused: the virus check could not read it, so it could not be checked."
    )
    nothing_kept(media_root)
    record = EvidenceFile.objects.get()
    assert record.status == EvidenceStatus.SCAN_FAILED and "size limit" in record.scan_detail
    assert evidence_events().get().action == "evidence.scan_failed"


def test_a_file_is_refused_while_the_scanner_cannot_be_reached(
    people, operator, use_scanner, media_root
):
    use_scanner(unreachable_clamd())
    error = refusal(people, operator, upload("log.pdf", PDF))
    assert codes(error) == ["scan_unavailable"]
    assert error.messages == [
        "“log.pdf” was refused: the virus check is not available at the moment, so it could "
        "not be checked. Nothing of it was kept. Send it again in a few minutes."
    ]
    nothing_kept(media_root)
    # No verdict, so no record: nothing waits in quarantine to reach anyone unchecked.
    assert not EvidenceFile.objects.exists() and not evidence_events().exists()


def test_a_file_is_refused_when_no_scanner_is_configured(people, operator, settings, media_root):
    settings.EVIDENCE_SCANNER = ""
    settings.CLAMD_SOCKET = settings.CLAMD_HOST = ""
    error = refusal(people, operator, upload("log.pdf", PDF))
    assert codes(error) == ["scan_unavailable"]
    nothing_kept(media_root)
    assert not EvidenceFile.objects.exists()


# A batch: all or nothing


def test_one_refused_file_keeps_the_others_out_too(people, operator, use_scanner, media_root):
    use_scanner(Scanner(raises=scanning.ScanUnavailable("clamd is restarting")))
    error = refusal(people, operator, upload("a.pdf", PDF), upload("b.png", PNG))
    assert codes(error) == ["scan_unavailable", "scan_unavailable", "none_kept"]
    assert "“a.pdf”" in error.messages[0] and "“b.png”" in error.messages[1]
    nothing_kept(media_root)

    class InfectedSecond(Scanner):
        def scan(self, stream):
            result = super().scan(stream)
            return (
                scanning.ScanResult(clean=False, signature="X")
                if len(self.scanned) == 2
                else result
            )

    use_scanner(InfectedSecond())
    error = refusal(people, operator, upload("a.pdf", PDF), upload("b.png", PNG))
    assert codes(error) == ["infected", "none_kept"] and "“b.png”" in error.messages[0]
    nothing_kept(media_root)
    assert list(EvidenceFile.objects.values_list("original_name", "status")) == [
        ("b.png", EvidenceStatus.INFECTED)
    ]


def test_every_problem_of_a_batch_is_named_at_once(people, operator, use_scanner, media_root):
    use_scanner(Scanner())
    error = refusal(
        people, operator, upload("a.pdf", b""), upload("b.png", PNG), upload("c.exe", PROGRAM)
    )
    assert codes(error) == ["empty", "file_type", "none_kept"]
    assert "“a.pdf”" in error.messages[0] and "“c.exe”" in error.messages[1]
    nothing_kept(media_root)


def test_with_a_field_the_messages_are_keyed_by_it(people, operator, use_scanner):
    use_scanner(Scanner(raises=scanning.ScanError("cannot unpack")))
    error = refusal(people, operator, upload("a.pdf", PDF), field="files")
    assert list(error.message_dict) == ["files"]
    assert "“a.pdf” was refused" in error.message_dict["files"][0]


# Transactions: nothing left behind


def test_a_failure_while_storing_leaves_no_content(
    people, operator, use_scanner, media_root, monkeypatch
):
    use_scanner(Scanner())
    real_record_event, calls = services.record_event, []

    def fails_the_second_time(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("audit trail unavailable")
        return real_record_event(**kwargs)

    monkeypatch.setattr(services, "record_event", fails_the_second_time)
    with pytest.raises(RuntimeError):
        receive(people, operator, upload("a.pdf", PDF), upload("b.png", PNG))
    assert not EvidenceFile.objects.exists() and stored(media_root) == []


def test_a_refusal_inside_the_callers_transaction_rolls_back_with_it(
    people, operator, use_scanner, media_root
):
    use_scanner(Scanner(signature="Win.Test.Example"))
    with pytest.raises(ValidationError), transaction.atomic():
        receive(people, operator, upload("a.pdf", PDF))
    assert not EvidenceFile.objects.exists() and not evidence_events().exists()
    assert stored(media_root) == []


class CallerFailed(Exception):
    pass


def test_a_caller_that_fails_after_receiving_discards_the_content(
    people, operator, use_scanner, media_root
):
    use_scanner(Scanner())
    received = []
    with pytest.raises(CallerFailed):
        try:
            with transaction.atomic():
                received = receive(people, operator, upload("a.pdf", PDF))
                raise CallerFailed
        except CallerFailed:
            services.discard_received(received)
            raise
    assert not EvidenceFile.objects.exists() and stored(media_root) == []


def test_content_a_rolled_back_caller_left_behind_goes_with_the_orphan_sweep(
    people, operator, use_scanner, media_root
):
    use_scanner(Scanner())
    with pytest.raises(CallerFailed), transaction.atomic():
        receive(people, operator, upload("a.pdf", PDF))
        raise CallerFailed
    (left,) = stored(media_root)
    assert not EvidenceFile.objects.exists()
    # The sweep compares a file's time with the project clock: the times are set from it.
    now = clock.now().timestamp()
    os.utime(left, (now, now))
    assert services.evidence_sweep_orphans() == 0  # too recent: perhaps still being written
    day_ago = now - 86400
    os.utime(left, (day_ago, day_ago))
    assert services.evidence_sweep_orphans() == 1
    assert stored(media_root) == []
