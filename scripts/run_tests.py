"""Runs every test tier of OpenAEO in order; `make test` calls it.

Tiers:
  1. lint        ruff check, ruff format --check, and lint-imports (the layer order of
                 docs/architecture.md, and no import cycles)
  2. migrations  no model change is missing its migration
  3. sqlite      the whole pytest suite on SQLite (domain, Django, browser, API contract)
  4. postgresql  the suite again on PostgreSQL (TEST_POSTGRES_URL), without the browser
                 and contract tests, which do not depend on the database engine
  5. later date  the SQLite suite again, without the browser and contract tests, with the
                 process clock moved OPENAEO_TEST_DAYS_AHEAD days ahead (400 unless set) by
                 Debian's `faketime`: a test that reads the wall clock where it should read
                 the project clock passes today and fails next month, and this tier shows it

Every tier runs even when an earlier one failed, so one run shows every problem;
the exit status is non-zero when any tier failed. Without TEST_POSTGRES_URL the
PostgreSQL tier is skipped on a workstation and fails in CI (CI=true), where a
silently skipped database would hide engine-specific bugs; without `faketime` the
later-date tier is skipped on a workstation and fails in CI the same way.

The tools' own output is not captured: pytest's closing lines stay visible,
which CI logs rely on.
"""

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TEST_SETTINGS = "openaeo.settings.test"

# pytest's exit code when it collected no test at all.
PYTEST_NO_TESTS = 5


@dataclass
class Result:
    name: str
    status: str  # PASSED, FAILED or SKIPPED
    seconds: float = 0.0
    detail: str = ""


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def header(title: str) -> None:
    line = "=" * 78
    print(f"\n{line}\n== Tier: {title}\n{line}", flush=True)


def run(command: list[str], *, env: dict[str, str] | None = None) -> int:
    """Run one command from the project root, its output going straight to ours."""
    print("$ " + " ".join(command), flush=True)
    full_env = {**os.environ, **(env or {})}
    try:
        completed = subprocess.run(command, cwd=ROOT, env=full_env, check=False)  # noqa: S603
    except FileNotFoundError as error:
        print(f"Cannot run {command[0]}: {error}", flush=True)
        return 127
    return completed.returncode


def existing(paths: list[str]) -> list[str]:
    return [path for path in paths if (ROOT / path).exists()]


def tier_lint() -> tuple[bool, str]:
    check_paths = existing(["src", "tests", "bench", "scripts"])
    format_paths = existing(["src", "tests", "scripts"])
    failures = []
    if run([PYTHON, "-m", "ruff", "check", *check_paths]) != 0:
        failures.append("ruff check")
    if run([PYTHON, "-m", "ruff", "format", "--check", *format_paths]) != 0:
        failures.append("ruff format --check (run `.venv/bin/ruff format` to fix)")
    # The layer order of docs/architecture.md and no import cycles (pyproject.toml's
    # [tool.importlinter]); no cache file, so a clean clone and a workstation agree.
    lint_imports = str(Path(PYTHON).parent / "lint-imports")
    if run([lint_imports, "--no-cache"]) != 0:
        failures.append("lint-imports (an import breaks the layer order or makes a cycle)")
    return not failures, "; ".join(failures)


def tier_migrations() -> tuple[bool, str]:
    code = run(
        [PYTHON, "manage.py", "makemigrations", "--check", "--dry-run"],
        env={"DJANGO_SETTINGS_MODULE": TEST_SETTINGS},
    )
    if code != 0:
        return False, "a model change has no migration (run `manage.py makemigrations`)"
    return True, ""


def pytest_command(marker_expression: str) -> list[str]:
    return [PYTHON, "-m", "pytest", "-m", marker_expression, "--durations=5"]


def tier_sqlite() -> tuple[bool, str]:
    # Tests marked `postgres` need PostgreSQL features; they run in the next tier only.
    env = {"DJANGO_SETTINGS_MODULE": TEST_SETTINGS}
    # An empty TEST_DATABASE_URL means SQLite; never inherit a PostgreSQL one here.
    env["TEST_DATABASE_URL"] = ""
    code = run(pytest_command("not postgres"), env=env)
    if code == PYTEST_NO_TESTS:
        return False, "pytest collected no tests"
    return code == 0, "" if code == 0 else f"pytest exited with {code}"


def postgres_reachable(url: str) -> str:
    """An error message when PostgreSQL does not answer at `url`, else ''."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed in this virtualenv"
    try:
        with psycopg.connect(url, connect_timeout=10) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        return f"cannot connect to TEST_POSTGRES_URL: {error}".strip()
    return ""


def tier_postgres() -> tuple[bool | None, str]:
    url = os.environ.get("TEST_POSTGRES_URL", "").strip()
    if not url:
        if in_ci():
            print(
                "FAIL: TEST_POSTGRES_URL is not set, and CI=true requires the PostgreSQL tier.\n"
                "      Set TEST_POSTGRES_URL=postgres://USER@HOST:PORT/DATABASE "
                "(.ci/run starts a throwaway cluster and sets it).",
                flush=True,
            )
            return False, "TEST_POSTGRES_URL is not set (required when CI=true)"
        print(
            "SKIPPED tier: PostgreSQL (set TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5433/openaeo"
            " to run it)",
            flush=True,
        )
        return None, "TEST_POSTGRES_URL is not set"
    if problem := postgres_reachable(url):
        print(f"FAIL: {problem}", flush=True)
        return False, problem
    # The browser and contract tests already ran on SQLite; they do not depend on the engine.
    env = {"DJANGO_SETTINGS_MODULE": TEST_SETTINGS, "TEST_DATABASE_URL": url}
    code = run(pytest_command("not browser and not contract"), env=env)
    if code == PYTEST_NO_TESTS:
        # Everything may legitimately be browser or contract tests; that is not a failure here.
        print("pytest selected no tests for PostgreSQL; nothing to run.", flush=True)
        return True, "no tests selected"
    return code == 0, "" if code == 0 else f"pytest exited with {code}"


DEFAULT_DAYS_AHEAD = 400


def days_ahead() -> int:
    raw = os.environ.get("OPENAEO_TEST_DAYS_AHEAD", "").strip()
    if not raw:
        return DEFAULT_DAYS_AHEAD
    try:
        days = int(raw)
    except ValueError:
        message = f"OPENAEO_TEST_DAYS_AHEAD must be a whole number of days, not {raw!r}"
        raise SystemExit(message) from None
    if days < 1:
        raise SystemExit("OPENAEO_TEST_DAYS_AHEAD must be at least 1")
    return days


def tier_later_date() -> tuple[bool | None, str]:
    faketime = shutil.which("faketime")
    if faketime is None:
        message = "faketime is not installed (Debian package faketime)"
        if in_ci():
            print(f"FAIL: {message}, and CI=true requires the later-date tier.", flush=True)
            return False, message
        print(f"SKIPPED tier: later date ({message})", flush=True)
        return None, message
    days = days_ahead()
    # A relative offset keeps the clock moving (an absolute faketime date would stand still,
    # and every timeout with it); -m is for multi-threaded programs such as the live server.
    # The tier reads the real day here, on purpose: it names the day the tests will see.
    shifted = dt.date.today() + dt.timedelta(days=days)
    print(f"The process clock runs {days} days ahead: today is {shifted.isoformat()}.", flush=True)
    # A faketime that loads but does not move the clock would make this tier a silent copy
    # of the SQLite one: ask a Python under it for the day first.
    shift = [faketime, "-m", "-f", f"+{days}d"]
    probe = subprocess.run(  # noqa: S603
        [*shift, PYTHON, "-c", "import datetime; print(datetime.date.today())"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.stdout.strip() != shifted.isoformat():
        message = f"faketime did not move the clock (Python saw {probe.stdout.strip() or probe.stderr.strip()!r})"
        print(f"FAIL: {message}", flush=True)
        return False, message
    env = {"DJANGO_SETTINGS_MODULE": TEST_SETTINGS, "TEST_DATABASE_URL": ""}
    code = run([*shift, *pytest_command("not postgres and not browser and not contract")], env=env)
    if code == PYTEST_NO_TESTS:
        return False, "pytest collected no tests"
    detail = f"{days} days ahead ({shifted.isoformat()})"
    return code == 0, detail if code == 0 else f"{detail}: pytest exited with {code}"


TIERS = [
    ("lint", tier_lint),
    ("migrations", tier_migrations),
    ("pytest on SQLite", tier_sqlite),
    ("PostgreSQL", tier_postgres),
    ("SQLite on a later date", tier_later_date),
]


def main() -> int:
    # Every import of the test settings makes a temporary var directory (and pytest,
    # Chromium and mail tests make more); gather them under one directory per run.
    # It is removed when every tier passed, and kept for inspection otherwise.
    scratch = Path(tempfile.mkdtemp(prefix="openaeo-tests-"))
    os.environ["TMPDIR"] = str(scratch)
    code = 1
    try:
        code = run_tiers()
    finally:
        if code == 0:
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            print(f"Temporary files of this run are kept in {scratch}", flush=True)
    return code


def run_tiers() -> int:
    results: list[Result] = []
    for name, function in TIERS:
        header(name)
        started = time.monotonic()
        ok, detail = function()
        elapsed = time.monotonic() - started
        status = "SKIPPED" if ok is None else ("PASSED" if ok else "FAILED")
        results.append(Result(name, status, elapsed, detail))
        print(f"-- {status} tier: {name} ({elapsed:.1f}s)", flush=True)

    print("\n" + "=" * 78)
    print("== Summary")
    print("=" * 78)
    for result in results:
        suffix = f"  - {result.detail}" if result.detail else ""
        print(f"{result.status:<8} tier: {result.name:<18} {result.seconds:7.1f}s{suffix}")
    failed = [result.name for result in results if result.status == "FAILED"]
    if failed:
        print(f"FAILED: {', '.join(failed)}", flush=True)
        return 1
    print(
        "All tiers passed"
        + (" (some skipped)" if any(r.status == "SKIPPED" for r in results) else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
