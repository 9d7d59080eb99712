"""Certificates in a real browser: the owner downloads the credential, a supervisor suspends
with a plain form (no script), and neither page has a serious accessibility problem."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from openaeo.accounts.models import Office
from openaeo.certificates.models import CertificateStatus
from tests.browser.test_accessibility import blocking_violations, describe
from tests.browser.test_work_queue import signed_in
from tests.certificates.helpers import make_certificate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def certificate(people, operator, programmes):
    return make_certificate(
        operator,
        programmes["safe-reference"],
        office=Office.objects.get(code="PORT"),
        validator=people["validator"],
        supervisor=people["supervisor"],
    )


def test_the_owner_downloads_the_credential(new_context, live_server, people, certificate):
    page = signed_in(new_context, live_server, people["owner"]).new_page()
    page.goto(reverse("operators:detail", args=[certificate.holder_id]))
    page.get_by_role("link", name="AEO certificates and their credentials").click()
    expect(page.get_by_role("cell", name=certificate.aeo_number, exact=True)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download the credential {certificate.aeo_number}").click()
    token = open(download.value.path(), encoding="ascii").read()  # noqa: SIM115
    assert token.count(".") == 2


def test_a_supervisor_suspends_without_script(new_context, live_server, people, certificate):
    context = signed_in(new_context, live_server, people["supervisor"], java_script_enabled=False)
    page = context.new_page()
    page.goto(reverse("certificates:list"))
    page.get_by_role("link", name=certificate.aeo_number).click()
    page.get_by_label("Suspend").check()
    page.get_by_label("Reason").fill("Duties unpaid for three months.")
    page.get_by_role("button", name="Change the status").click()
    expect(page.locator(".message-success")).to_contain_text("status is changed")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUSPENDED


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("who", ["supervisor", "owner"])
def test_certificate_pages_have_no_serious_accessibility_problem(
    new_context, live_server, people, certificate, language, who
):
    context = signed_in(new_context, live_server, people[who], bypass_csp=True)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    url = (
        reverse("certificates:detail", args=[certificate.pk])
        if who == "supervisor"
        else reverse("certificates:business", args=[certificate.holder_id])
    )
    response = page.goto(url)
    assert response is not None and response.ok
    blocking, found = blocking_violations(page)
    assert not blocking, f"{found} ({language}):\n{describe(blocking)}"
