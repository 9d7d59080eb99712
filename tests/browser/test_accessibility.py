"""Automated accessibility checks with axe-core on the pages every newcomer sees.

axe-core is vendored (tests/browser/vendor, see VERSION there): no network at test
time. Automated rules find only part of the barriers; a failure here is a real
one, a pass is not a certificate.
"""

import pytest
from django.urls import reverse

from tests.scenarios.browser import blocking_violations, describe

PAGES = {
    "home": "web:home",
    "sign-in": "account_login",
    "sign-up": "account_signup",
}


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("page_name", list(PAGES))
def test_no_serious_or_critical_accessibility_violations(
    new_context, live_server, page_name, language
):
    # The site's Content-Security-Policy allows only its own scripts; axe is injected
    # by the test, so this context bypasses CSP (other tests keep the real policy).
    context = new_context(bypass_csp=True)
    # The language cookie is what the header's language form sets.
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()

    response = page.goto(reverse(PAGES[page_name]))
    assert response is not None and response.ok, (
        f"{page_name} answered {response and response.status}"
    )
    # LocaleMiddleware names the language it rendered in; proves we test the Arabic page.
    assert response.headers.get("content-language") == language

    blocking, url = blocking_violations(page)
    assert not blocking, (
        f"axe-core found {len(blocking)} serious/critical problem(s) on {page_name} "
        f"({url}, {language}):\n{describe(blocking)}"
    )


def test_the_axe_harness_reports_a_planted_violation(new_context):
    """Guards the harness itself: a broken injection or filter would pass every page."""
    page = new_context(bypass_csp=True).new_page()
    page.goto(reverse("web:home"))
    # An image without a text alternative: axe's "image-alt" rule, impact critical.
    page.evaluate(
        "() => { const img = document.createElement('img'); img.src = '/static/openaeo/favicon.svg';"
        " img.id = 'planted'; document.querySelector('main').append(img); }"
    )
    blocking, _ = blocking_violations(page)
    found = {violation["id"] for violation in blocking}
    assert "image-alt" in found, f"axe did not report the planted image; it found {found}"
    assert "#planted" in describe(blocking)
