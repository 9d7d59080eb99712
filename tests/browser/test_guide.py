""" "Is AEO for me?" on a phone-sized screen, in Spanish, without an account."""

import pytest
from playwright.sync_api import expect

from tests.scenarios.browser import switch_language

pytestmark = pytest.mark.django_db(transaction=True)


def test_guide_in_spanish_on_a_small_screen_gives_a_recommendation(new_context, programmes):
    page = new_context(viewport={"width": 360, "height": 780}, locale="es-ES").new_page()
    page.goto("/")
    switch_language(page, "es")
    page.goto("/aeo-for-me/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    form = page.locator("form.guide-form")
    form.locator("input[name=roles][value=exporter]").check()
    form.locator("input[name=employees]").fill("12")
    form.locator("input[name=declarations][value='10_to_24']").check()
    form.locator("input[name=years][value='3_plus']").check()
    form.locator("input[name=offences][value=none]").check()
    form.locator("input[name=finances][value=sound]").check()
    form.locator("input[name=priority][value=speed]").check()
    form.locator("button[type=submit]").click()
    result = page.locator("#result")
    expect(result).to_be_visible()
    # The tier's Spanish name from the SAFE reference programme file.
    expect(result).to_contain_text("OEA Acceso")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_guide_explains_what_is_missing(new_context, programmes):
    page = new_context(viewport={"width": 360, "height": 780}).new_page()
    page.goto("/aeo-for-me/")
    page.locator("form.guide-form button[type=submit]").click()
    # Nothing was answered: each question says what it needs, nothing is lost.
    expect(page.locator(".errorlist").first).to_be_visible()
    assert page.locator(".errorlist").count() >= 6
