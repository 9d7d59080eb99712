"""A trader's first visit, in a real browser: sign up, confirm the e-mail, sign in, change
language (including a right-to-left one), sign out. And the home page on a small phone."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from playwright.sync_api import expect

from tests.scenarios.browser import (
    SIGNED_IN_SHELL_STRINGS,
    expect_translated,
    logout_button,
    plain_text,
    switch_language,
    wait_for_mail,
    watch_for_page_errors,
)

TRADER_EMAIL = "amina.trader@example.test"
# Long enough for the 10-character minimum, not common, not like the address.
TRADER_PASSWORD = "Harbour-Lantern-Quartz-47"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^/\s]+/")


def test_trader_signs_up_confirms_signs_in_switches_language_and_signs_out(
    page, live_server, mail_dir
):
    problems = watch_for_page_errors(page)

    # Sign up.
    page.goto(reverse("account_signup"))
    page.fill("input[name=email]", TRADER_EMAIL)
    page.fill("input[name=password1]", TRADER_PASSWORD)
    page.fill("input[name=password2]", TRADER_PASSWORD)
    page.locator("form:has(input[name=password2]) button[type=submit]").click()
    # Mandatory verification: allauth says a message was sent rather than signing in.
    expect(page).to_have_url(re.compile(re.escape(reverse("account_email_verification_sent"))))
    assert not EmailAddress.objects.get(email=TRADER_EMAIL).verified

    # The confirmation mail, sent by a task once the sign-up committed.
    messages = wait_for_mail(mail_dir)
    assert len(messages) == 1, f"expected one confirmation e-mail in {mail_dir}, got {messages}"
    message = messages[0]
    assert message["To"] == TRADER_EMAIL
    assert message["Subject"].startswith("[OpenAEO] "), message["Subject"]
    body = plain_text(message)
    links = CONFIRM_LINK.findall(body)
    assert len(links) == 1, f"expected one confirmation link in the e-mail:\n{body}"
    link = links[0]
    # The link must lead back to this site, not to a host taken from elsewhere.
    assert link.startswith(live_server.url + "/"), f"{link} is not on {live_server.url}"

    # Opening the link does not confirm by itself (a mail scanner could follow it);
    # the person confirms with the form's button.
    page.goto(link)
    assert not EmailAddress.objects.get(email=TRADER_EMAIL).verified
    # The form posts to a freshly signed key (it embeds a timestamp), so it need not
    # equal the one in the mail; match the form by its route only.
    confirm_prefix = link.removeprefix(live_server.url).rstrip("/").rsplit("/", 1)[0] + "/"
    page.locator(f"form[action^='{confirm_prefix}'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("account_login"))))
    assert EmailAddress.objects.get(email=TRADER_EMAIL).verified

    # Sign in, which lands on the overview.
    page.fill("input[name=login]", TRADER_EMAIL)
    page.fill("input[name=password]", TRADER_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    overview = reverse("web:dashboard")
    expect(page).to_have_url(live_server.url + overview)
    expect(page.locator("h1")).to_contain_text(TRADER_EMAIL)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(logout_button(page)).to_be_visible()

    # French, through the header's language form; the person stays on the overview.
    switch_language(page, "fr")
    expect(page).to_have_url(live_server.url + overview)
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect_translated(page, "fr", SIGNED_IN_SHELL_STRINGS)

    # Arabic is written right to left: the whole page must say so.
    switch_language(page, "ar")
    expect(page).to_have_url(live_server.url + overview)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect_translated(page, "ar", SIGNED_IN_SHELL_STRINGS)

    # Sign out from the header; the choice of language survives signing out.
    logout_button(page).click()
    expect(logout_button(page)).to_have_count(0)
    expect(page.locator(f"header a[href='{reverse('account_login')}']")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    # Signed out for real: the overview now asks to sign in.
    page.goto(overview)
    expect(page).to_have_url(re.compile(re.escape(reverse("account_login")) + r"\?next="))

    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_home_page_fits_a_360px_phone_without_horizontal_scrolling(
    new_context, live_server, language
):
    context = new_context(viewport={"width": 360, "height": 740})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > 360:
        # Name the culprits: elements reaching past either edge of the screen.
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .map(e => [e, e.getBoundingClientRect()])
                .filter(([e, r]) => r.width > 0 && (r.right > 360.5 || r.left < -0.5))
                .slice(0, 10)
                .map(([e, r]) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}`
                    + `${e.className ? '.' + String(e.className).split(' ').join('.') : ''}`
                    + ` left=${Math.round(r.left)} right=${Math.round(r.right)}`)"""
        )
        pytest.fail(
            f"home page ({language}) is {scroll_width}px wide on a 360px screen; "
            "elements past the edge:\n  " + "\n  ".join(wide)
        )
    assert scroll_width <= 360
