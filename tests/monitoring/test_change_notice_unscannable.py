"""A change notice whose document the virus check could not check is refused, like every
other upload: nothing unchecked reaches the officers who review notices."""

import html
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openaeo.common.models import AuditEvent
from openaeo.evidence import scanning
from openaeo.evidence.models import EvidenceFile, EvidenceStatus
from openaeo.monitoring.models import ChangeNotice
from openaeo.notifications.models import Notification

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
DESCRIPTION = "Ms Okafor sold her 40% share to Mr Diallo on 1 November."


class Unscannable:
    """A scanner that looked at the content and could not scan it (clamd's ERROR answer)."""

    def scan(self, stream):
        raise scanning.ScanError("Can't allocate memory")


class Clean:
    def scan(self, stream):
        return scanning.ScanResult(clean=True)


def _post(client_for, owner, certificate, *files):
    data = {
        "key": str(uuid.uuid4()),
        "kind": "owners",
        "description": DESCRIPTION,
        "effective_on": "2026-11-01",
        "files": list(files),
    }
    return client_for(owner).post(reverse("monitoring:change_new", args=[certificate.pk]), data)


def _register(name="register.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _nothing_sent(media_root):
    assert not ChangeNotice.objects.exists()
    assert not AuditEvent.objects.filter(action="monitoring.change.submit").exists()
    assert not Notification.objects.filter(subject_text__contains="Change notified").exists()
    assert not EvidenceFile.objects.exclude(file="").exists()
    assert [path for path in Path(media_root).rglob("*") if path.is_file()] == []


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_a_document_the_virus_check_cannot_scan_refuses_the_notice(
    certificate, owner, client_for, use_scanner, media_root
):
    use_scanner(Unscannable())
    response = _post(client_for, owner, certificate, _register())
    assert response.status_code == 400
    page = _page(response)
    assert (
        "“register.pdf” was refused: the virus check could not read it, so it could not be "
        "checked. Nothing of it was kept." in page
    )
    assert DESCRIPTION in page  # what was typed is kept in the form, to send again
    _nothing_sent(media_root)
    # The refusal stays on record for review, without content and attached to nothing.
    refused = EvidenceFile.objects.get()
    assert refused.status == EvidenceStatus.SCAN_FAILED and not refused.file


def test_a_document_is_refused_while_the_virus_check_cannot_be_reached(
    certificate, owner, client_for, settings, media_root
):
    # The real clamd client, configured as in production, with no clamd behind the socket.
    settings.EVIDENCE_SCANNER = ""
    settings.CLAMD_SOCKET, settings.CLAMD_HOST = "/nonexistent/clamd.ctl", ""
    settings.CLAMD_TIMEOUT = 1
    response = _post(client_for, owner, certificate, _register())
    assert response.status_code == 400
    page = _page(response)
    assert (
        "“register.pdf” was refused: the virus check is not available at the moment, so it "
        "could not be checked." in page
    )
    assert DESCRIPTION in page
    _nothing_sent(media_root)
    assert not EvidenceFile.objects.exists()  # no verdict: nothing waits to reach an officer


def test_one_unscannable_document_keeps_the_clean_ones_out_too(
    certificate, owner, client_for, use_scanner, media_root
):
    class SecondUnscannable:
        seen = 0

        def scan(self, stream):
            self.seen += 1
            if self.seen == 2:
                raise scanning.ScanError("Can't allocate memory")
            return scanning.ScanResult(clean=True)

    use_scanner(SecondUnscannable())
    response = _post(
        client_for, owner, certificate, _register("lease.pdf"), _register("register.pdf")
    )
    assert response.status_code == 400
    page = _page(response)
    assert "“register.pdf” was refused" in page and "“lease.pdf” was refused" not in page
    assert "None of the files you sent was kept: choose them again" in page
    _nothing_sent(media_root)


def test_once_the_document_is_checked_clean_the_notice_goes_with_it(
    certificate, owner, client_for, use_scanner, media_root
):
    use_scanner(Unscannable())
    assert _post(client_for, owner, certificate, _register()).status_code == 400
    use_scanner(Clean())
    response = _post(client_for, owner, certificate, _register())
    assert response.status_code == 302
    notice = ChangeNotice.objects.get()
    assert [(file.original_name, file.status) for file in notice.evidence.all()] == [
        ("register.pdf", EvidenceStatus.CLEAN)
    ]
