"""What the browser tests do to pages, in one place, so a template change is fixed once: the
language switch, mail, a signed-in context, script errors, and axe-core's accessibility check
(vendored in tests/browser/vendor)."""

import email
import email.policy
import time
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

LANGUAGE_SELECT = "#language-select"
# Strings of the site's own header and footer (base.html) on a signed-in page.
SIGNED_IN_SHELL_STRINGS = ["Skip to main content", "Language", "Change", "Sign out"]


def switch_language(page: Page, code: str) -> None:
    """Choose `code` in the header's language form and submit it, as a person would."""
    page.select_option(LANGUAGE_SELECT, code)
    page.locator(f"form:has({LANGUAGE_SELECT}) button[type=submit]").click()
    expect(page.locator("html"), f"the page did not switch to {code!r}").to_have_attribute(
        "lang", code
    )


def translated(text: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def project_catalogue(language: str) -> Path | None:
    """OpenAEO's own compiled catalogue for `language`, if `make messages` has produced one."""
    for directory in settings.LOCALE_PATHS:
        mo_file = Path(directory) / language / "LC_MESSAGES" / "django.mo"
        if mo_file.exists():
            return mo_file
    return None


def expect_translated(page: Page, language: str, strings: list[str]) -> list[str]:
    """Each of `strings` that the catalogues translate into `language` is shown translated.

    Once OpenAEO has its own catalogue for `language`, at least one of them must be
    translated: a catalogue that leaves the whole page shell in English is a bug.
    Returns the translations it found on the page.
    """
    shown = []
    for text in strings:
        target = translated(text, language)
        if target != text:
            expect(page.locator("body")).to_contain_text(target)
            shown.append(target)
    if (catalogue := project_catalogue(language)) is not None:
        assert shown, f"{catalogue} exists but translates none of {strings} into {language!r}"
    return shown


def logout_button(page: Page):
    return page.locator(f"form[action='{reverse('account_logout')}'] button[type=submit]")


def wait_for_mail(directory: Path, *, count: int = 1, timeout: float = 10.0) -> list:
    """The messages the file mail backend wrote to `directory` (parsed), once `count` arrived.

    Mail leaves through a task after the transaction commits; the test settings run
    tasks immediately, but the write happens in the live server's thread, so poll.
    """
    deadline = time.monotonic() + timeout
    while True:
        messages = []
        for path in sorted(directory.glob("*.log")):
            # The file backend separates messages with a line of 79 dashes.
            for chunk in path.read_text().split("-" * 79):
                if chunk.strip():
                    messages.append(
                        email.message_from_string(chunk.lstrip("\n"), policy=email.policy.default)
                    )
        if len(messages) >= count or time.monotonic() > deadline:
            return messages
        time.sleep(0.1)


def plain_text(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, f"the message has no text/plain part:\n{message}"
    return part.get_content()


def signed_in(new_context, live_server, user, **options):
    """A browser context with `user`'s session (staff have MFA set up by the factory)."""
    client = Client()
    client.force_login(user)
    context = new_context(**options)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context


def watch_for_page_errors(page) -> list[str]:
    """Collect script errors and Content-Security-Policy refusals while the test browses.

    The site promises a strict CSP (no inline script or style); anything it blocks
    is a broken feature that a person would not notice as an error.
    """
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return problems


AXE_SCRIPT = Path(__file__).parent.parent / "browser" / "vendor" / "axe.min.js"
AXE_VERSION = "4.11.1"
BLOCKING_IMPACTS = {"serious", "critical"}

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
