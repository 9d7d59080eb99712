"""A file sent when an action is marked done: all or nothing, and listed once the action is done."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openaeo.accounts.roles import OperatorRole
from openaeo.assessments import selectors, services
from openaeo.assessments.models import ActionItem
from openaeo.common.models import AuditEvent
from openaeo.evidence import scanning
from openaeo.evidence.models import EvidenceFile, EvidenceStatus
from tests import factories
from tests.scenarios.cases import answer_all
from tests.scenarios.evidence import PDF_BYTES, PNG_BYTES, FakeScanner, eicar, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(programmes, business, owner):
    assessment = services.assessment_start(
        actor=owner, operator=business, programme=programmes["safe-reference"], tier_code="entry"
    )
    answer_all(assessment, owner, value="no")
    return services.action_plan_create(actor=owner, assessment=assessment)[0]


def _url(action):
    return reverse("assessments:actions", kwargs={"assessment_id": action.assessment_id})


def _close(client, action, name="seal-log.pdf", content=PDF_BYTES, note="Seal log started"):
    data = {"action": action.pk, "do": "close", "note": note}
    if name is not None:
        data["file"] = SimpleUploadedFile(name, content)
    return client.post(_url(action), data)


def _is_open(action) -> bool:
    return ActionItem.objects.get(pk=action.pk).status == ActionItem.Status.OPEN


def test_the_form_takes_an_optional_file(client, action, owner):
    client.force_login(owner)
    html = client.get(_url(action)).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert f'<input id="file-{action.pk}" type="file" name="file"' in html
    assert "A file that shows it" in html and "(optional)" in html

    response = _close(client, action, name=None)  # without a file, as before
    assert response.status_code == 302 and not _is_open(action)
    assert not EvidenceFile.objects.exists()


def test_a_clean_file_is_kept_with_the_done_action(client, action, owner, use_scanner, media_root):
    use_scanner(FakeScanner())
    client.force_login(owner)
    before = selectors.readiness_of(action.assessment).score
    response = _close(client, action)
    assert response.status_code == 302 and not _is_open(action)
    evidence = EvidenceFile.objects.get()
    assert (evidence.purpose, evidence.status) == (f"action:{action.pk}", EvidenceStatus.CLEAN)
    assert selectors.readiness_of(action.assessment).score > before
    assert AuditEvent.objects.filter(action="evidence.upload", object_id=str(evidence.pk)).exists()
    assert AuditEvent.objects.filter(action="assessment.action_close").count() == 1
    html = client.get(_url(action)).content.decode()
    assert "Files that show it" in html and "seal-log.pdf" in html
    assert reverse("evidence:download", args=[evidence.pk]) in html
    assert len(stored_files(media_root)) == 1

    _close(client, action)  # a double click stores no second file
    assert EvidenceFile.objects.count() == 1


def test_an_infected_file_leaves_the_action_open(client, action, owner, use_scanner, media_root):
    use_scanner(FakeScanner(signature="Eicar-Test-Signature"))
    client.force_login(owner)
    before = selectors.readiness_of(action.assessment).score
    response = _close(client, action, note="New seals bought")
    html = response.content.decode()
    assert response.status_code == 400
    assert "was refused: the virus check found a virus in it" in html
    assert "The action is still open" in html
    assert 'value="New seals bought"' in html  # what was typed is kept
    assert _is_open(action)
    assert selectors.readiness_of(action.assessment).score == before
    assert not AuditEvent.objects.filter(action="assessment.action_close").exists()
    refused = EvidenceFile.objects.get()  # the refusal is on record, its content is not
    assert refused.status == EvidenceStatus.INFECTED and not refused.file
    assert stored_files(media_root) == []
    assert reverse("evidence:download", args=[refused.pk]) not in html


def test_an_unreadable_file_leaves_the_action_open(client, action, owner, use_scanner):
    use_scanner(FakeScanner(raises=scanning.ScanError("cannot unpack")))
    client.force_login(owner)
    response = _close(client, action)
    assert response.status_code == 400
    assert "the virus check could not read it" in response.content.decode()
    assert _is_open(action)


def test_a_file_whose_content_does_not_match_its_name_changes_nothing(
    client, action, owner, use_scanner, media_root
):
    use_scanner(FakeScanner())
    client.force_login(owner)
    response = _close(client, action, name="seal-log.pdf", content=PNG_BYTES)
    assert response.status_code == 400
    assert (
        "is named as a PDF document, but its content is a PNG picture" in response.content.decode()
    )
    assert _is_open(action) and not EvidenceFile.objects.exists()
    assert stored_files(media_root) == []


def test_an_oversized_file_changes_nothing(
    client, action, owner, use_scanner, media_root, settings
):
    use_scanner(FakeScanner())
    settings.EVIDENCE_MAX_BYTES = 100
    client.force_login(owner)
    response = _close(client, action, content=PDF_BYTES + bytes(200))
    assert response.status_code == 400 and "is larger than 100" in response.content.decode()
    assert _is_open(action) and not EvidenceFile.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_waiting_for_the_virus_check_is_shown_as_waiting(client, action, owner, use_scanner):
    use_scanner(FakeScanner(raises=scanning.ScanUnavailable("down")))
    client.force_login(owner)
    response = client.post(
        _url(action),
        {
            "action": action.pk,
            "do": "close",
            "note": "Done",
            "file": SimpleUploadedFile("log.pdf", PDF_BYTES),
        },
        follow=True,
    )
    html = response.content.decode()
    assert not _is_open(action)
    assert "waits for the virus check" in html and "Waiting for the virus check" in html
    waiting = EvidenceFile.objects.get()
    assert reverse("evidence:download", args=[waiting.pk]) not in html


def test_a_failure_after_the_upload_undoes_it(action, owner, use_scanner, media_root, monkeypatch):
    use_scanner(FakeScanner())

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "_close", broken)
    with pytest.raises(RuntimeError):
        services.action_close(
            actor=owner,
            action=action,
            note="Done",
            uploaded_file=SimpleUploadedFile("log.pdf", PDF_BYTES),
        )
    assert _is_open(action) and not EvidenceFile.objects.exists()
    assert stored_files(media_root) == []


def test_those_who_only_read_cannot_close(client, action, business, use_scanner):
    use_scanner(FakeScanner())
    client.force_login(factories.make_member(business, OperatorRole.VIEWER))
    assert _close(client, action).status_code == 404
    assert _is_open(action) and not EvidenceFile.objects.exists()


def test_the_eicar_file_is_refused_by_clamd(client, action, owner, use_clamd, media_root):
    client.force_login(owner)
    response = _close(client, action, name="seal-log.txt", content=eicar())
    assert response.status_code == 400 and "was refused" in response.content.decode()
    assert _is_open(action) and stored_files(media_root) == []
