"""Automated accessibility checks with axe-core on the pages every newcomer sees.

axe-core is vendored (tests/browser/vendor, see VERSION there): no network at test
time. Automated rules find only part of the barriers; a failure here is a real
one, a pass is not a certificate.
"""

from pathlib import Path

import pytest
from django.urls import reverse

AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_VERSION = "4.11.1"
BLOCKING_IMPACTS = {"serious", "critical"}

PAGES = {
    "home": "web:home",
    "sign-in": "account_login",
    "sign-up": "account_signup",
}

RUN_AXE = """async () => {
    const results = await axe.run(document, {resultTypes: ['violations']});
    return {
        version: results.testEngine.version,
        url: results.url,
        violations: results.violations.map(v => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
        })),
    };
}"""


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    - {' '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)


def blocking_violations(page) -> tuple[list[dict], str]:
    """Run the vendored axe-core on `page`; its serious and critical violations, and the URL."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(RUN_AXE)
    assert results["version"] == AXE_VERSION, "the page did not run the vendored axe-core"
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    return blocking, results["url"]


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
