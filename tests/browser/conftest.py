"""End-to-end tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

No browser is downloaded: Playwright launches /usr/bin/chromium (`apt-get install
chromium`). Where it is missing or cannot start, these tests are skipped on a
workstation and fail in CI (CI=true), so a broken CI image cannot pass quietly.
"""

import os
import re
from pathlib import Path

import pytest

from openaeo.accounts.models import Office
from tests.scenarios.certificates import make_certificate

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Nothing but the live server may be contacted: no updates, no sync, no probes.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Long enough for a slow 2-core CI machine, short enough that a hang fails quickly.
DEFAULT_TIMEOUT_MS = 15_000


# tryfirst: the mark must be on the items before `-m "not browser"` selects among them.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def browser_unavailable(reason: str):
    if in_ci():
        pytest.fail(f"Browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests need Chromium: {reason}")


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the whole tests/browser package.

    Playwright's sync API keeps an asyncio loop "running" in the main thread from
    start() to stop(), so Django refuses database access from this thread (the
    transactional_db flush after each test, and our own queries) unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. It is set only while Playwright runs, and
    the package scope stops Playwright before the rest of the suite, which keeps
    Django's safety check for every other test.
    """
    if not CHROMIUM.exists():
        browser_unavailable(f"{CHROMIUM} does not exist (apt-get install chromium)")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        browser_unavailable(f"the playwright package is not installed ({error})")

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = None
    try:
        playwright = sync_playwright().start()
        # launch() gives every run a fresh, temporary user-data-dir that Playwright deletes.
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
    except (PlaywrightError, OSError) as error:
        if playwright is not None:
            playwright.stop()
        _restore_env(previous)
        browser_unavailable(f"Playwright could not start {CHROMIUM}: {error}")
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
        _restore_env(previous)


def _restore_env(previous: str | None) -> None:
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def mail_dir(settings, tmp_path):
    """Mail sent by the live server lands as files in a directory of this test's own."""
    directory = tmp_path / "mail"
    directory.mkdir()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(directory)},
        }
    }
    return directory


@pytest.fixture(autouse=True)
def fresh_cache():
    """Allauth's rate limits count in the (process-wide, in-memory) cache; start each test at zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test, so fixtures can tell whether it failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _dump_pages(contexts) -> None:
    """Print where each page of a failed test was and what it showed (pytest shows it).

    Script bodies are cut: an injected axe-core alone would bury the markup.
    """
    for context in contexts:
        for open_page in context.pages:
            try:
                html = open_page.content()
            except Exception as error:  # the page may be mid-navigation or closed
                html = f"(no content: {error})"
            html = re.sub(r"(<script\b[^>]*>).+?(</script>)", r"\1...\2", html, flags=re.S)
            html = re.sub(r"\n\s*\n+", "\n", html)  # templates leave many blank lines
            print(f"\n--- page at {open_page.url} ---\n{html[:10_000]}")


@pytest.fixture
def new_context(browser, live_server, request):
    """`new_context(**options)` opens an isolated browser context (its own cookies) on the live server.

    English unless a test says otherwise: Django's LocaleMiddleware would otherwise
    follow the Accept-Language of whatever machine runs the tests.
    """
    contexts = []

    def make(**options):
        options.setdefault("locale", "en-GB")
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        _dump_pages(contexts)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a fresh context, under the site's real Content-Security-Policy."""
    return new_context().new_page()


@pytest.fixture
def certificate(people, operator, programmes):
    """An active certificate of `operator` (SAFE reference), granted at PORT."""
    return make_certificate(
        operator,
        programmes["safe-reference"],
        office=Office.objects.get(code="PORT"),
        validator=people["validator"],
        supervisor=people["supervisor"],
    )
