"""The staff pages of screening, and the compliance panel on the case page."""

import datetime as dt

import pytest
from django.urls import reverse

from openaeo.common import clock
from openaeo.screening import services
from openaeo.screening.models import DeclarationImport, ScreeningRun
from tests import factories
from tests.scenarios.screening import declarations_csv

pytestmark = pytest.mark.django_db


def test_the_case_page_shows_the_latest_screening_with_the_data_behind_it(
    client_for,
    case,
    staff,
    parquet_store,
    write_file,
):
    identifier = case.operator.identifier
    services.declarations_import(
        actor=None,
        path=write_file(declarations_csv(identifier, clean=30, minor=1, serious=1)),
        file_name="d.csv",
    )
    services.screening_run_execute(services.system_run_create(scope="all").pk)
    page = client_for(staff["validator"]).get(reverse("cases:case", args=[case.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Screening of the declarations" in text
    assert "Below the programme" in text
    assert "1 serious irregularities; the programme allows 0." in text
    assert "The data behind it" in text  # counts by year and severity, from the store
    assert reverse("screening:declarations", args=[case.operator_id]) in text
    # Rates read as percentages (2 irregular declarations of 32), codes as words.
    assert "6.3\N{NO-BREAK SPACE}%" in text
    assert "<td>Declaration</td><td>Serious</td>" in text
    assert "<td>serious</td>" not in text
    french = client_for(staff["validator"]).get(
        reverse("cases:case", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert "6,3\N{NO-BREAK SPACE}%" in french.content.decode()


def test_the_case_page_says_when_the_business_was_never_screened(
    client_for,
    case,
    staff,
):
    page = client_for(staff["validator"]).get(reverse("cases:case", args=[case.pk]))
    assert "This business has not been screened yet." in page.content.decode()


def test_a_malformed_upload_shows_each_line_and_imports_nothing(client_for, people, parquet_store):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(people["programme_manager"])
    upload = SimpleUploadedFile(
        "bad.csv", b"declarant_id,declaration_id,lodgement_date\nA,1,2025-13-01\nB,2,\n"
    )
    response = client.post(reverse("screening:import_upload"), {"file": upload}, follow=True)
    text = response.content.decode()
    assert "Nothing was imported" in text
    assert "<td>2</td><td>lodgement_date: not a valid value</td>" in text
    assert "<td>3</td><td>lodgement_date: missing</td>" in text
    assert DeclarationImport.objects.get().status == "rejected"
    assert parquet_store.files() == []


def test_a_file_of_the_wrong_kind_is_refused_on_the_form(client_for, people, parquet_store):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(people["programme_manager"])
    upload = SimpleUploadedFile("notes.txt", b"hello")
    response = client.post(reverse("screening:import_upload"), {"file": upload})
    assert response.status_code == 400
    assert "Choose a .csv or .parquet file." in response.content.decode()


def test_a_running_screening_shows_its_progress_and_refreshes(client_for, people):
    run = ScreeningRun.objects.create(
        scope="all", as_of=clock.today(), created_at=clock.now(), status="running", progress=40
    )
    text = client_for(people["auditor"]).get(reverse("screening:run", args=[run.pk])).content
    text = text.decode()
    assert '<meta http-equiv="refresh" content="5">' in text
    assert 'value="40"' in text


def test_starting_a_run_from_the_page(client_for, people, parquet_store, programmes):
    client = client_for(people["programme_manager"])
    response = client.post(reverse("screening:run_start"), {"as_of": ""})
    run = ScreeningRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("screening:run", args=[run.pk])
    # A second click while the first run waits for the worker: the same run, not another.
    again = client.post(reverse("screening:run_start"), {"as_of": ""})
    assert again["Location"] == response["Location"]
    assert ScreeningRun.objects.count() == 1
    # A run the worker lost long ago does not block a new one.
    ScreeningRun.objects.update(created_at=run.created_at - dt.timedelta(hours=7))
    later = client.post(reverse("screening:run_start"), {"as_of": ""})
    assert later["Location"] != response["Location"]


def test_the_results_list_costs_the_same_queries_for_many_businesses(
    client_for, people, parquet_store, programmes, django_assert_max_num_queries
):
    run = services.screening_run_execute(services.system_run_create(scope="all").pk)
    client = client_for(people["auditor"])
    url = reverse("screening:run", args=[run.pk])
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(30):
        factories.OperatorFactory()
    bigger = services.screening_run_execute(services.system_run_create(scope="all").pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("screening:run", args=[bigger.pk]))


def test_the_declarations_list_pages_through_the_store(
    client_for, people, operator, parquet_store, write_file
):
    services.declarations_import(
        actor=None,
        path=write_file(declarations_csv(operator.identifier, clean=120)),
        file_name="d.csv",
    )
    client = client_for(people["validator"])
    url = reverse("screening:declarations", args=[operator.pk])
    first = client.get(url).content.decode()
    assert "120 records" in first and "Page 1 of 3" in first
    assert "Page 3 of 3" in client.get(url + "?page=3").content.decode()
    assert "Page 1 of 3" in client.get(url + "?page=x").content.decode()


def test_the_alert_list_costs_the_same_queries_for_many_alerts(
    client_for, staff, certify, django_assert_max_num_queries
):
    client = client_for(staff["supervisor"])
    url = reverse("screening:alerts")
    services.alert_open(certificate=certify(factories.OperatorFactory()), reasons=[])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(5):
        services.alert_open(certificate=certify(factories.OperatorFactory()), reasons=[])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_supervisor_closes_an_alert_of_their_office_with_a_reason(client_for, staff, certify):
    alert, _ = services.alert_open(certificate=certify(factories.OperatorFactory()), reasons=[])
    url = reverse("screening:alert_act", args=[alert.pk])
    refused = client_for(staff["supervisor"]).post(
        url, {f"alert{alert.pk}-action": "close", f"alert{alert.pk}-reason": ""}
    )
    assert refused.status_code == 400
    assert "Say why the alert is closed." in refused.content.decode()
    # Another office's supervisor: as if the alert did not exist.
    elsewhere = client_for(staff["supervisor_elsewhere"]).post(
        url, {f"alert{alert.pk}-action": "acknowledge"}
    )
    assert elsewhere.status_code == 404
    done = client_for(staff["supervisor"]).post(
        url, {f"alert{alert.pk}-action": "close", f"alert{alert.pk}-reason": "Explained."}
    )
    assert done.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "closed"


def test_an_open_alert_links_to_a_filled_in_reassessment(client_for, staff, certify):
    certificate = certify(factories.OperatorFactory())
    alert, _ = services.alert_open(certificate=certificate, reasons=[])
    text = client_for(staff["supervisor"]).get(reverse("screening:alerts")).content.decode()
    link = reverse("certificates:detail", args=[certificate.pk])
    assert (
        f"{link}?trigger=compliance_alert&amp;trigger_reference=Compliance%20alert%20{alert.pk}"
        in text
    )
