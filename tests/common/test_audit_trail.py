"""The audit trail in the database: written with the change, never altered, verifiable."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from openaeo.common.audit import record_event, verify_chain
from openaeo.common.models import AppendOnlyError, AuditEvent
from openaeo.operators import services as operator_services
from tests import factories

pytestmark = pytest.mark.django_db


def _events(count: int, actor=None):
    with transaction.atomic():
        return [record_event(actor=actor, action=f"test.event{n}") for n in range(count)]


def test_events_are_chained_in_sequence():
    first, second, third = _events(3)
    assert (first.sequence, second.sequence, third.sequence) == (1, 2, 3)
    assert second.previous_hash == first.hash and third.previous_hash == second.hash
    assert verify_chain() == (3, None)


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record_event(actor=None, action="test.loose")


def test_an_event_rolls_back_with_the_change_it_describes():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record_event(actor=None, action="test.doomed")
        1 / 0  # noqa: B018 - the change fails after its event was written
    assert not AuditEvent.objects.filter(action="test.doomed").exists()
    assert verify_chain() == (0, None)


def test_events_cannot_be_changed_or_deleted_through_the_orm():
    (event,) = _events(1)
    event.action = "test.rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event0"


def test_audit_verify_passes_on_an_intact_trail():
    _events(4)
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "4 events verified" in out.getvalue()


def test_audit_verify_names_the_event_altered_in_sql():
    _events(5)
    target = AuditEvent.objects.get(sequence=3)
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        cursor.execute(f"UPDATE {table} SET action = %s WHERE id = %s", ["test.forged", target.pk])  # noqa: S608
    with pytest.raises(CommandError, match=r"broken at event #3"):
        call_command("audit_verify", stdout=io.StringIO())


def test_audit_verify_names_an_event_deleted_in_sql():
    _events(5)
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        cursor.execute(f"DELETE FROM {table} WHERE sequence = %s", [5])  # noqa: S608
    with pytest.raises(CommandError, match=r"broken at event #5"):
        call_command("audit_verify", stdout=io.StringIO())


def test_a_service_records_who_did_what_for_whom():
    owner = factories.UserFactory()
    operator = operator_services.operator_register(
        actor=owner, legal_name="Kahawa Ltd", identifier="ke-123", country="ke"
    )
    event = AuditEvent.objects.get(action="operator.register")
    assert event.actor == owner
    assert event.acting_for == operator
    assert event.object_type == "operators.economicoperator"
    assert event.object_id == str(operator.pk)
    assert event.after["identifier"] == "KE-123"


def test_request_id_and_client_address_are_recorded(client):
    user = factories.UserFactory()
    client.force_login(user)
    response = client.post(
        "/account/tokens/",
        {"name": "accounting"},
        HTTP_X_REQUEST_ID="req-0123456789",
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 200
    assert response["X-Request-ID"] == "req-0123456789"
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.request_id == "req-0123456789"
    assert event.client_address == "198.51.100.7"


def test_admin_cannot_edit_or_delete_events(client):
    from openaeo.accounts.roles import StaffRole

    (event,) = _events(1)
    admin = factories.make_staff(StaffRole.ADMINISTRATOR)
    client.force_login(admin)
    change_url = f"/admin/common/auditevent/{event.pk}/change/"
    assert client.get(change_url).status_code == 200  # view only
    assert client.post(change_url, {"action": "x"}).status_code == 403
    assert (
        client.post(f"/admin/common/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event0"


def test_auditors_browse_and_filter_the_trail(client):
    from openaeo.accounts.roles import StaffRole

    auditor = factories.make_staff(StaffRole.AUDITOR)
    _events(3)
    client.force_login(auditor)
    response = client.get("/audit/", {"action": "test.event1"})
    assert response.status_code == 200
    listed = [event.action for event in response.context["page"].object_list]
    assert listed == ["test.event1"]
    response = client.get("/audit/", {"since": "2030-01-02", "until": "2030-01-01"})
    assert "The start date must be on or before the end date." in response.content.decode()


def test_audit_list_query_count_does_not_grow_with_events(client, django_assert_max_num_queries):
    from openaeo.accounts.roles import StaffRole

    auditor = factories.make_staff(StaffRole.AUDITOR)
    client.force_login(auditor)
    _events(5, actor=auditor)
    with django_assert_max_num_queries(12) as few:
        client.get("/audit/")
    _events(45, actor=auditor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/audit/")
    assert len(response.context["page"].object_list) == 50


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    """Two connections appending at once still produce one unbroken chain."""
    import threading

    from django.db import connections

    errors = []

    def writer(label):
        try:
            for n in range(10):
                with transaction.atomic():
                    record_event(actor=None, action=f"test.{label}.{n}")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(label,)) for label in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert verify_chain() == (20, None)
