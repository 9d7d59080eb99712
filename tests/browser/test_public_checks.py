"""The public pages anyone uses to check a business, in a real browser, without an account:
/verify/ (by number, by credential file) and /register/ (search, filter, pages, CSV).

In English and Arabic; with JavaScript (and axe-core finding no serious or critical
problem) and without it (the journeys are plain forms and links).
"""

import datetime as dt
import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from openaeo.accounts.models import Office
from openaeo.certificates import credentials
from openaeo.certificates.models import Certificate
from openaeo.certificates.register_services import register_consent_give
from openaeo.certificates.services import certificate_suspend
from openaeo.common import clock
from openaeo.mra import services as mra_services
from openaeo.mra.models import PartnerAdministration
from tests import factories
from tests.scenarios.browser import blocking_violations, describe
from tests.scenarios.certificates import make_certificate

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["en", "ar"]
# (language, JavaScript on): axe-core runs only where scripts do.
RUNS = [(language, script) for language in LANGUAGES for script in (True, False)]
RUN_IDS = [f"{language}-{'js' if script else 'nojs'}" for language, script in RUNS]
NUMBER_FORM = "section[aria-labelledby=number-heading] form"
FILE_FORM = "section[aria-labelledby=credential-heading] form"
REGISTER_FORM = "form[role=search]"


def _certify(people, programmes, name, *, listed=False):
    operator = factories.OperatorFactory(legal_name=name)
    certificate = make_certificate(
        operator,
        programmes["safe-reference"],
        office=Office.objects.get(code="PORT"),
        validator=people["validator"],
        supervisor=people["supervisor"],
    )
    # In effect for a month: published, and listed when the owner agrees.
    Certificate.objects.filter(pk=certificate.pk).update(
        effective_on=clock.today() - dt.timedelta(days=30)
    )
    certificate.refresh_from_db()
    if listed:
        owner = factories.make_member(operator)
        certificate = register_consent_give(actor=owner, certificate=certificate)
    return certificate


@pytest.fixture
def checked(people, programmes):
    """A valid and a suspended certificate, and a partner administration's AEO."""
    valid = _certify(people, programmes, "Amani Exporters Ltd")
    suspended = certificate_suspend(
        actor=people["supervisor"],
        certificate=_certify(people, programmes, "Baraka Freight Ltd"),
        reason="Audit findings pending.",
    )
    partner = PartnerAdministration.objects.create(
        name="Zedland Customs",
        country="ZY",
        arrangement="Zedland mutual recognition arrangement",
        active_from=dt.date(2020, 1, 1),
    )
    record = {
        "aeo_number": "ZY AEOF 00042/26",
        "operator_identifier": "ZY-42",
        "name": "Zedland Trading",
        "country": "ZY",
        "status": "active",
        "authorised_on": "2025-01-01",
    }
    mra_services.import_file(actor=None, partner=partner, data=json.dumps([record]).encode())
    return {"valid": valid, "suspended": suspended, "partner_number": record["aeo_number"]}


def _context(new_context, live_server, language, script):
    # axe-core is injected by the test, so the JavaScript runs bypass the site's CSP.
    context = new_context(java_script_enabled=script, bypass_csp=script)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    return context


def _no_serious_problem(page, script, what):
    if not script:
        return
    blocking, url = blocking_violations(page)
    assert not blocking, f"{what} at {url}:\n{describe(blocking)}"


def _check_number(page, number):
    page.locator(f"{NUMBER_FORM} input[name=n]").fill(number)
    page.locator(f"{NUMBER_FORM} button[type=submit]").click()


@pytest.mark.parametrize(("language", "script"), RUNS, ids=RUN_IDS)
def test_anyone_checks_a_number_or_a_credential(
    new_context, live_server, checked, language, script
):
    page = _context(new_context, live_server, language, script).new_page()
    response = page.goto(reverse("certificates:verify"))
    assert response.ok and response.headers.get("content-language") == language
    expect(page.locator("html")).to_have_attribute("lang", language)
    _no_serious_problem(page, script, "the empty verification page")

    valid, suspended = checked["valid"], checked["suspended"]
    _check_number(page, valid.aeo_number)
    answer = page.locator(".verify-answer")
    expect(answer).to_have_class("card verify-answer verify-valid")
    expect(answer).to_contain_text(valid.holder_name)
    expect(answer).to_contain_text(valid.aeo_number)
    # A GET form: the answer is a link (the one the certificate's QR code holds).
    assert "n=" in page.url
    _no_serious_problem(page, script, "a valid answer")

    # Typed with doubled spaces, as from paper.
    _check_number(page, suspended.aeo_number.replace(" ", "  "))
    expect(answer).to_have_class("card verify-answer verify-suspended")
    expect(answer).to_contain_text(suspended.holder_name)
    _no_serious_problem(page, script, "a suspended answer")

    _check_number(page, "ZZ AEO1 99999/26")
    expect(answer).to_have_class("card verify-answer verify-unknown")
    expect(answer).not_to_contain_text(valid.holder_name)
    expect(page.locator(f"{NUMBER_FORM} input[name=n]")).to_have_value("ZZ AEO1 99999/26")
    _no_serious_problem(page, script, "an unknown answer")

    _check_number(page, checked["partner_number"])
    expect(answer).to_have_class("card verify-answer verify-valid")
    expect(answer).to_contain_text("Zedland Customs")
    expect(answer).to_contain_text("Zedland Trading")

    # Nothing typed: the error is on the field, said in words.
    _check_number(page, "")
    expect(page.locator(f"{NUMBER_FORM} input[name=n]")).to_have_attribute("aria-invalid", "true")
    _no_serious_problem(page, script, "the page with an error")

    page.locator(f"{FILE_FORM} input[type=file]").set_input_files(
        files=[
            {
                "name": "aeo-certificate.jwt",
                "mimeType": "application/vc+jwt",
                "buffer": credentials.certificate_jwt(valid).encode(),
            }
        ]
    )
    page.locator(f"{FILE_FORM} button[type=submit]").click()
    expect(answer).to_have_class("card verify-answer verify-valid")
    expect(answer).to_contain_text(valid.holder_name)
    _no_serious_problem(page, script, "a credential's answer")

    page.locator(f"{FILE_FORM} input[type=file]").set_input_files(
        files=[{"name": "changed.jwt", "mimeType": "text/plain", "buffer": b"a.b.c"}]
    )
    page.locator(f"{FILE_FORM} button[type=submit]").click()
    expect(answer).to_have_class("card verify-answer verify-invalid")


@pytest.fixture
def listed(people, programmes):
    """26 listed holders (one page and one more) and a suspended one; one not listed."""
    made = [_certify(people, programmes, f"Holder {n:02d} Trading", listed=True) for n in range(26)]
    made.append(
        certificate_suspend(
            actor=people["supervisor"],
            certificate=_certify(people, programmes, "Suspended Shipping Ltd", listed=True),
            reason="Audit findings pending.",
        )
    )
    _certify(people, programmes, "Unlisted Logistics Ltd")
    return made


@pytest.mark.parametrize(("language", "script"), RUNS, ids=RUN_IDS)
def test_anyone_searches_filters_pages_and_downloads_the_register(
    new_context, live_server, listed, language, script
):
    context = _context(new_context, live_server, language, script)
    page = context.new_page()
    response = page.goto(reverse("certificates:register"))
    assert response.ok and response.headers.get("content-language") == language
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(25)
    expect(page.locator("table")).not_to_contain_text("Unlisted Logistics")
    _no_serious_problem(page, script, "the register")

    page.locator("nav.pagination a[rel=next]").click()
    expect(rows).to_have_count(2)
    expect(page.locator("table")).to_contain_text("Suspended Shipping Ltd")
    _no_serious_problem(page, script, "the register's second page")

    page.locator(f"{REGISTER_FORM} input[name=name]").fill("holder 07")
    page.locator(f"{REGISTER_FORM} button[type=submit]").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Holder 07 Trading")
    assert "name=holder+07" in page.url

    page.locator(f"{REGISTER_FORM} input[name=name]").fill("")
    page.locator(f"{REGISTER_FORM} select[name=status]").select_option("suspended")
    page.locator(f"{REGISTER_FORM} button[type=submit]").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Suspended Shipping Ltd")
    _no_serious_problem(page, script, "a filtered register")

    # The CSV link carries the same filter.
    link = page.locator(f"a[href^='{reverse('certificates:register_csv')}']")
    href = link.get_attribute("href")
    assert "status=suspended" in href
    download = context.request.get(href)
    assert download.ok and download.headers["content-type"].startswith("text/csv")
    lines = download.text().lstrip("\ufeff").strip().splitlines()
    assert len(lines) == 2 and "Suspended Shipping Ltd" in lines[1]

    page.locator(f"{REGISTER_FORM} select[name=status]").select_option("")
    page.locator(f"{REGISTER_FORM} input[name=name]").fill("no such business")
    page.locator(f"{REGISTER_FORM} button[type=submit]").click()
    expect(rows).to_have_count(0)
    expect(page.locator(".empty")).to_be_visible()
    _no_serious_problem(page, script, "an empty search")
