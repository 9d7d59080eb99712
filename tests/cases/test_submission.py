"""Submitting an application: who may, when, what is frozen, and what the trader sees after."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from openaeo.accounts.roles import MandateScope, OperatorRole
from openaeo.assessments import selectors
from openaeo.cases import services as case_services
from openaeo.cases.models import Application, ApplicationRevision
from openaeo.common.models import AuditEvent
from tests import factories
from tests.scenarios.cases import answer_again, answer_all, answer_documents

pytestmark = pytest.mark.django_db


def test_an_unfinished_assessment_cannot_be_submitted(assessment, owner):
    with pytest.raises(ValidationError, match="not answered yet"):
        case_services.application_submit(
            actor=owner, assessment=assessment, declaration_accepted=True
        )
    assert not Application.objects.exists()


def test_the_declaration_is_required(assessment, owner):
    with pytest.raises(ValidationError, match="declaration"):
        case_services.application_submit(
            actor=owner, assessment=assessment, declaration_accepted=False
        )


def test_only_owners_and_mandated_representatives_submit(assessment, business, owner):
    editor = factories.make_member(business, OperatorRole.EDITOR)
    with pytest.raises(PermissionDenied):
        case_services.application_submit(
            actor=editor, assessment=assessment, declaration_accepted=True
        )
    preparer = factories.UserFactory()
    factories.make_mandate(business, preparer, scopes=[MandateScope.PREPARE], granted_by=owner)
    with pytest.raises(PermissionDenied):
        case_services.application_submit(
            actor=preparer, assessment=assessment, declaration_accepted=True
        )


def test_a_ready_assessment_is_submitted_frozen_and_clocked(
    assessment, owner, django_capture_on_commit_callbacks
):
    answer_all(assessment, owner)
    answer_documents(assessment, owner)
    with django_capture_on_commit_callbacks(execute=True):
        revision = case_services.application_submit(
            actor=owner, assessment=assessment, declaration_accepted=True
        )
    application = revision.application
    assert (revision.number, application.status, application.msme) == (1, "submitted", True)
    assert application.completeness_due > application.submitted_at.date()
    assert len(revision.snapshot["answers"]) == len(selectors.asked(assessment))
    assert AuditEvent.objects.filter(
        action="application.submit", object_id=str(application.pk)
    ).exists()
    assert mail.outbox and "received your AEO application" in mail.outbox[0].subject
    revision.declaration = "changed"
    with pytest.raises(ValueError, match="frozen"):
        revision.save()


def test_a_later_correction_is_a_new_revision(assessment, owner):
    answer_all(assessment, owner)
    answer_documents(assessment, owner)
    first = case_services.application_submit(
        actor=owner, assessment=assessment, declaration_accepted=True
    )
    again = case_services.application_submit(
        actor=owner, assessment=assessment, declaration_accepted=True
    )
    assert again.pk == first.pk  # nothing changed: a double click adds nothing
    changed = answer_again(assessment, owner, "Now with a log")
    second = case_services.application_submit(
        actor=owner, assessment=assessment, declaration_accepted=True
    )
    assert second.number == 2 and second.application_id == first.application_id
    assert (
        ApplicationRevision.objects.get(number=1).snapshot["answers"][changed.question_id][
            "explanation"
        ]
        == ""
    )


def test_the_status_page_shows_the_timeline_and_deadline(client, assessment, owner):
    answer_all(assessment, owner)
    answer_documents(assessment, owner)
    revision = case_services.application_submit(
        actor=owner, assessment=assessment, declaration_accepted=True
    )
    client.force_login(owner)
    response = client.get(f"/applications/{revision.application_id}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Application submitted" in body and "Completeness check due" in body
    stranger = factories.make_member(factories.OperatorFactory(), OperatorRole.OWNER)
    client.force_login(stranger)
    assert client.get(f"/applications/{revision.application_id}/").status_code == 404
    assert client.get(f"/applications/submit/{assessment.pk}/").status_code == 404


def test_the_submit_page_explains_what_is_missing(client, assessment, owner):
    client.force_login(owner)
    response = client.get(f"/applications/submit/{assessment.pk}/")
    assert response.status_code == 200
    assert "not answered yet" in response.content.decode()
    response = client.post(f"/applications/submit/{assessment.pk}/", {"declaration": "yes"})
    assert response.status_code == 400 and not Application.objects.exists()
