"""Certificates in a real browser: the owner downloads the credential, a supervisor suspends
with a plain form (no script), and neither page has a serious accessibility problem."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from openaeo.certificates.models import CertificateStatus
from openaeo.common import clock
from tests.scenarios.browser import blocking_violations, describe, signed_in

pytestmark = pytest.mark.django_db(transaction=True)


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
    page.locator("summary", has_text="Suspend").first.click()
    suspend = page.locator("details[open] form")
    suspend.get_by_label("Reason").fill("Duties unpaid for three months.")
    suspend.get_by_label("To be remedied by").fill(
        (clock.today() + dt.timedelta(days=30)).isoformat()
    )
    suspend.get_by_label("What the business must put right").fill("Pay the duties due.")
    suspend.get_by_role("button", name="Suspend the certificate").click()
    expect(page.locator(".message-success")).to_contain_text("status is changed")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUSPENDED
    assert certificate.remedy_required == "Pay the duties due."


def test_a_supervisor_opens_a_reassessment_and_the_holder_sees_it(
    new_context, live_server, people, certificate
):
    why = "A compliance alert showed three late declarations this quarter."
    context = signed_in(new_context, live_server, people["supervisor"], java_script_enabled=False)
    page = context.new_page()
    page.goto(reverse("certificates:detail", args=[certificate.pk]))
    page.locator("summary", has_text="Open a reassessment").click()
    form = page.locator("details[open] form")
    form.get_by_label("What triggered the reassessment").select_option("compliance_alert")
    form.get_by_label("Reference of the triggering record (optional)").fill("ALERT-118")
    form.get_by_label("Why Customs reassesses the certificate").fill(why)
    form.get_by_role("button", name="Open the reassessment").click()
    expect(page.locator(".message-success")).to_contain_text("reassessment is open")
    expect(page.get_by_role("heading", level=1)).to_contain_text(certificate.holder_name)
    case = certificate.cases.get()
    holder = signed_in(new_context, live_server, people["owner"], bypass_csp=True).new_page()
    holder.goto(reverse("certificates:business", args=[certificate.holder_id]))
    expect(holder.get_by_text("Customs is reassessing your certificate because")).to_be_visible()
    holder.get_by_role("link", name=f"Follow case {case.reference}").click()
    expect(holder.get_by_role("heading", level=1)).to_contain_text(
        "Reassessment of your certificate"
    )
    expect(holder.get_by_text(why).first).to_be_visible()
    blocking, found = blocking_violations(holder)
    assert not blocking, f"{found}:\n{describe(blocking)}"


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
