"""Simultaneous status changes and issuances on PostgreSQL, on separate connections."""

import threading

import pytest
from django.db import connection

from openaeo.certificates import services
from openaeo.certificates.models import Certificate, StatusList
from tests import factories
from tests.scenarios import independent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def together(*calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            call()
        except Exception as error:
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def test_two_changes_in_one_list_at_once_both_show(certify, staff, client):
    assert connection.vendor == "postgresql"
    first = certify(factories.OperatorFactory())
    second = certify(factories.OperatorFactory())
    assert first.status_list == second.status_list
    reason = "Found during a post-audit check."
    together(
        lambda: services.certificate_revoke(
            actor=staff["supervisor"], certificate=first, reason=reason
        ),
        lambda: services.certificate_revoke(
            actor=staff["supervisor2"], certificate=second, reason=reason
        ),
    )
    jwks = client.get("/.well-known/jwks.json").json()
    published = StatusList.objects.get(number=first.status_list, purpose="revocation")
    _h, payload = independent.verify(published.credential_jwt, jwks)
    bits = independent.status_bits(payload)
    assert independent.bit(bits, first.status_index)
    assert independent.bit(bits, second.status_index)


def test_two_grants_at_once_get_different_numbers_and_indexes(certify):
    made = []
    together(
        lambda: made.append(certify(factories.OperatorFactory())),
        lambda: made.append(certify(factories.OperatorFactory())),
    )
    assert len({certificate.aeo_number for certificate in made}) == 2
    assert Certificate.objects.values("status_list", "status_index").distinct().count() == 2
