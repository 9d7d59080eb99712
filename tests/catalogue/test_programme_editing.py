"""Programme managers edit the configuration in the browser, with validation and no lost updates."""

import pytest
import yaml

from openaeo.accounts.roles import StaffRole
from openaeo.catalogue.models import Programme
from openaeo.common.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, programmes):
    client.force_login(factories.make_staff(StaffRole.PROGRAMME_MANAGER))
    return client


def _edit_page(client, programme):
    return client.get(f"/programmes/manage/{programme.pk}/")


def test_a_valid_change_is_saved_and_audited(manager_client, programmes):
    programme = programmes["safe-reference"]
    page = _edit_page(manager_client, programme)
    config = yaml.safe_load(page.context["text"])
    config["deadlines"]["completeness"]["days"] = 7
    response = manager_client.post(
        f"/programmes/manage/{programme.pk}/",
        {
            "config": yaml.safe_dump(config, allow_unicode=True),
            "seen_updated_at": page.context["seen"],
        },
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.config["deadlines"]["completeness"]["days"] == 7
    event = AuditEvent.objects.filter(action="programme.save", object_id=str(programme.pk)).first()
    assert event.before["deadlines"]["completeness"]["days"] == 10
    assert event.after["deadlines"]["completeness"]["days"] == 7


def test_an_invalid_change_names_the_line_and_saves_nothing(manager_client, programmes):
    programme = programmes["safe-reference"]
    page = _edit_page(manager_client, programme)
    lines = page.context["text"].splitlines()
    index = next(
        i for i, line in enumerate(lines) if line.strip().startswith("reapplication_wait_months")
    )
    lines.insert(index + 1, "colour: blue")
    response = manager_client.post(
        f"/programmes/manage/{programme.pk}/",
        {"config": "\n".join(lines), "seen_updated_at": page.context["seen"]},
    )
    assert response.status_code == 400
    (problem,) = response.context["problems"]
    assert problem.line == index + 2 and "unknown key 'colour'" in problem.message
    assert Programme.objects.get(pk=programme.pk).config == programme.config


def test_an_edit_on_a_stale_copy_is_refused(manager_client, programmes):
    programme = programmes["safe-reference"]
    page = _edit_page(manager_client, programme)
    response = manager_client.post(
        f"/programmes/manage/{programme.pk}/",
        {"config": page.context["text"], "seen_updated_at": "2020-01-01T00:00:00+00:00"},
    )
    assert response.status_code == 400
    assert "Someone saved this programme after you opened it" in response.context["error"]


def test_the_configuration_downloads_as_yaml(manager_client, programmes):
    programme = programmes["india-style"]
    response = manager_client.get(f"/programmes/manage/{programme.pk}/", {"format": "yaml"})
    assert response["Content-Type"].startswith("application/yaml")
    assert yaml.safe_load(response.content)["urn"] == programme.urn
