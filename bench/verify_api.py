"""Benchmark: the public verify API under load, next to a fixed-JSON app on the same server.

How to run it:

    make bench                                   # every benchmark, this one included
    .venv/bin/python bench/verify_api.py         # this one only
    .venv/bin/python bench/verify_api.py --rebuild --seconds 30 --workers 5

What it does, on this machine's loopback only:

1. Fills PostgreSQL (BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5434/bench)
   with --certificates (100,000) certificates: about 80 % valid, the rest suspended,
   revoked, expired (by status or by date) and not yet in effect. A few are issued through
   the real services; the rest are copied from them in SQL, each with its own business,
   application, recommendation and decision, an AEO number from the programme's pattern
   and its own place in the status lists, which are then signed again. Everything lives
   in a PostgreSQL schema of its own, `verify_api`, so the other benchmarks' data in the
   same database is left alone; later runs reuse it while it holds that many certificates
   (--rebuild drops that schema only).
2. Starts gunicorn exactly as docs/operations.md says (openaeo.wsgi, production settings,
   sync workers) on 127.0.0.1, with the environment an operator sets (below), waits until
   it answers, and runs the load: --users (100) clients without pause, for --seconds after
   a --warmup, each asking GET /api/v1/verify/{aeo_number} for a number drawn from a random
   sample of real numbers plus about 5 % unknown ones. Every answer is checked: a non-2xx
   answer or a status other than the one expected for that number is an error (unknown
   numbers answer 200 "unknown"). Then the same clients again, each pausing a random time
   (mean 1 / rate, see bench/_verify_locustfile.py) so that together they ask for about
   PACED_SHARE (half) of the throughput just measured: the latency target is
   judged there (see `verdict` for why not on the run without pause).
3. Starts the same gunicorn command serving bench/_fixed_json_app.py (a fixed JSON body
   of the same size, no Django) and runs the same load against it.
4. Prints both throughputs, p50/p95/p99, errors, the CPU time gunicorn and PostgreSQL
   spent per request (steadier than throughput on a shared machine), the ratio, one JSON
   line, and exits with 0 when the API reaches TARGET_RATIO of the baseline's throughput,
   with a paced p99 under TARGET_P99_MS and no error, 1 when not, 2 when it cannot run (no
   PostgreSQL, locust or gunicorn).

The load generator is locust (headless, FastHttpUser on geventhttpclient) rather than wrk:
it is a pip package pinned in the dev extra, so `make bench` works on a fresh machine
without a system package or a compiler, and its user class checks each answer's body
(the expected status per number), which wrk only does with a Lua script. Its cost: one
locust process needs most of a core for a few thousand requests a second, and on this
2-core machine it competes with the server. It competes the same way in both runs, so the
ratio is comparable from run to run, but the absolute figures are lower than a separate
load machine would see, and the baseline (the cheaper of the two) is held back the most by
it, so the ratio is kinder to the API than a separate load machine's would be.

The server's environment, as an operator sets it (docs/operations.md): a SECRET_KEY made
for the run, DATABASE_URL, ALLOWED_HOSTS=127.0.0.1, BEHIND_TLS_PROXY=true (the load
sends X-Forwarded-Proto: https, as nginx would; SECURE_SSL_REDIRECT keeps its production
default), DATABASE_CONN_MAX_AGE=60 (persistent connections, as recommended there), signing
keys in var/bench-verify/keys, and VERIFY_RATE_LIMIT_EXEMPT=127.0.0.1: every request of
the load comes from the loopback address, with no proxy in between, and must not be
throttled. That is the bench's setting only: the default (60 a minute per address, nobody
exempt) is unchanged, and docs/operations.md says whom an administration may exempt.
"""

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5434/bench"
SCHEMA = "verify_api"
WORK_DIR = ROOT / "var" / "bench-verify"
CANNOT_RUN = 2

TARGET_RATIO = 0.40
TARGET_P99_MS = 50.0
# The p99 target is held at this share of the throughput measured without pause (below).
PACED_SHARE = 0.5

# The mix of certificates filled in, by share of the whole (the rest are valid).
MIX = {"suspended": 0.05, "revoked": 0.07, "expired": 0.04, "expired_by_date": 0.03, "future": 0.01}
ISSUED_THROUGH_SERVICES = 5
SAMPLE_SIZE = 5000  # real numbers the clients draw from
UNKNOWN_SHARE = 0.05


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--certificates", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=100, help="concurrent clients")
    parser.add_argument("--seconds", type=int, default=25, help="measured seconds per side")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of load not measured")
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--rebuild", action="store_true", help="drop and fill the data again")
    args = parser.parse_args()
    url = os.environ.get("BENCH_POSTGRES_URL", "").strip() or DEFAULT_URL

    if problem := missing_tools() or unreachable(url):
        print(f"verify_api: cannot run: {problem}", file=sys.stderr)
        return CANNOT_RUN
    environment = server_environment(url)
    os.environ.update(environment)
    import django

    django.setup()
    prepare(url, certificates=args.certificates, rebuild=args.rebuild)
    numbers_file = WORK_DIR / "numbers.tsv"
    write_numbers(numbers_file, load_sample())

    sides = {}
    for side, app in (("api", "openaeo.wsgi"), ("baseline", "bench._fixed_json_app")):
        mode = "app" if side == "api" else "baseline"
        with gunicorn(app, environment, workers=args.workers) as server:
            run_load(server.url, numbers_file, mode, users=args.users, seconds=args.warmup)
            server_cpu, database_cpu = server.cpu_seconds(), database_cpu_seconds(url)
            figures = run_load(
                server.url, numbers_file, mode, users=args.users, seconds=args.seconds
            )
            figures["server_cpu_ms"] = per_request(server.cpu_seconds() - server_cpu, figures)
            figures["database_cpu_ms"] = per_request(
                database_cpu_seconds(url) - database_cpu, figures
            )
            if side == "api":
                # Latency at a load the server sustains: the same clients, each pausing
                # so that together they ask for PACED_SHARE of the throughput just measured.
                pace = paced_rate(figures["rps"], users=args.users)
                figures["paced"] = run_load(
                    server.url,
                    numbers_file,
                    mode,
                    users=args.users,
                    seconds=args.seconds,
                    pace=pace,
                )
                figures["paced"]["offered_rps"] = round(pace * args.users, 1)
            sides[side] = figures
    result = summarise(sides, certificates=args.certificates, users=args.users, args=args)
    print(json.dumps(result))
    print(human(result))
    return 0 if result["ok"] else 1


def default_workers() -> int:
    # Sync workers block on PostgreSQL for part of each request, so a few more than the
    # cores keep the CPUs busy: gunicorn's own rule, 2 x cores + 1 (5 on this 2-core
    # machine). More would only queue on the same cores, which the load generator and
    # PostgreSQL share with them here.
    return 2 * (os.cpu_count() or 1) + 1


# -- what is needed -------------------------------------------------------------------------


def missing_tools() -> str:
    for module, package in (("locust", "locust"), ("gunicorn", "gunicorn"), ("psycopg", "psycopg")):
        try:
            __import__(module)
        except ImportError:
            return (
                f"{package} is not installed; install the dev extra: "
                ".venv/bin/pip install -c requirements.lock -e '.[dev]'"
            )
    return ""


def unreachable(url: str) -> str:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return (
            f"cannot reach PostgreSQL at {url} ({first}). Start one, or set "
            "BENCH_POSTGRES_URL=postgres://USER@HOST:PORT/DATABASE to a database the "
            "benchmark may fill."
        )
    return ""


def schema_url(url: str) -> str:
    """The database URL with our schema first in the search path (see the docstring)."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-c%20search_path%3D{SCHEMA}"


def server_environment(url: str) -> dict[str, str]:
    """The variables an operator sets (docs/operations.md), for this run only."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "DJANGO_SETTINGS_MODULE": "openaeo.settings.production",
        "DATABASE_URL": schema_url(url),
        "DATABASE_CONN_MAX_AGE": "60",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_TLS_PROXY": "true",
        "SITE_URL": "https://aeo.bench.invalid",
        "OPENAEO_VAR_DIR": str(WORK_DIR),
        "OPENAEO_KEYS_DIR": str(WORK_DIR / "keys"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "VERIFY_RATE_LIMIT_EXEMPT": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }


# -- the data -------------------------------------------------------------------------------


def prepare(url: str, *, certificates: int, rebuild: bool) -> None:
    import psycopg
    from django.core.management import call_command
    from django.db import connection

    found = existing_certificates(url)
    if not rebuild and found != certificates:
        if found:
            print(f"verify_api: found {found:,} certificates, not {certificates:,}; filling again.")
        rebuild = True
    if rebuild:
        connection.close()
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            admin.execute(f"CREATE SCHEMA {SCHEMA}")
        shutil.rmtree(WORK_DIR / "keys", ignore_errors=True)
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    if rebuild:
        fill(certificates)
        print(
            f"verify_api: filled {certificates:,} certificates in "
            f"{time.monotonic() - started:.0f} s.",
            flush=True,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) certificates_certificate")
    connection.close()


def existing_certificates(url: str) -> int | None:
    import psycopg

    with psycopg.connect(url) as connection:
        exists = connection.execute(
            "SELECT to_regclass(%s) IS NOT NULL", [f"{SCHEMA}.certificates_certificate"]
        ).fetchone()[0]
        if not exists:
            return None
        return connection.execute(
            f"SELECT count(*) FROM {SCHEMA}.certificates_certificate"  # noqa: S608
        ).fetchone()[0]


def fill(certificates: int) -> None:
    """A few certificates through the services, then the rest copied from them in SQL."""
    from django.db import transaction

    from openaeo.certificates import services

    issued = issue_through_services(ISSUED_THROUGH_SERVICES)
    template = issued[0]
    rows = planned_rows(
        certificates - len(issued),
        template=template,
        first_seq=sequence_value(template.programme) + 1,
        taken=taken_indexes(),
        rng=random.Random(42),  # noqa: S311 - reproducible data, not security
    )
    with transaction.atomic():
        copy_certificates(template, rows)
        set_sequence(template.programme, len(issued) + len(rows))
    for number in sorted({row["status_list"] for row in rows} | {template.status_list}):
        services.status_lists_refresh(number)


def issue_through_services(count: int) -> list:
    from django.conf import settings
    from django.utils import timezone

    from openaeo.accounts.models import Office, StaffRole, User
    from openaeo.accounts.services import staff_role_grant
    from openaeo.cases.models import Application, Decision, Recommendation
    from openaeo.catalogue import services as catalogue
    from openaeo.catalogue.programmes import shipped_programme_files
    from openaeo.certificates.services import certificate_issue
    from openaeo.common import clock
    from openaeo.common.signing_keys import create_key
    from openaeo.operators.models import EconomicOperator

    create_key(settings.OPENAEO_KEYS_DIR, now=clock.now())
    catalogue.catalogue_publish(actor=None)
    path = next(p for p in shipped_programme_files() if p.stem == "safe-reference")
    programme, _ = catalogue.programme_load(actor=None, path=path, make_default=True)
    office = Office.objects.create(code="VB1", name="Bench verification office", country="ZZ")
    validator = User.objects.create_user("validator@verify.bench.test", full_name="Validator")
    supervisor = User.objects.create_user("supervisor@verify.bench.test", full_name="Supervisor")
    staff_role_grant(actor=None, user=validator, office=office, role=StaffRole.VALIDATOR)
    staff_role_grant(actor=None, user=supervisor, office=office, role=StaffRole.SUPERVISOR)
    issued = []
    decided_at = timezone.now() - dt.timedelta(days=400)
    for index in range(1, count + 1):
        operator = EconomicOperator.objects.create(
            legal_name=f"Verified Business {index} Ltd",
            identifier=f"ZZ-VB{index:08d}",
            country="ZZ",
            roles=["exporter"],
            employees=12,
            created_at=decided_at,
        )
        application = Application.objects.create(
            operator=operator,
            programme=programme,
            tier_code="entry",
            status=Application.Status.CLOSED,
            submitted_at=decided_at - dt.timedelta(days=90),
            completeness_due=(decided_at - dt.timedelta(days=60)).date(),
            office=office,
            outcome="granted",
            decided_at=decided_at,
            closed_at=decided_at,
        )
        recommendation = Recommendation.objects.create(
            application=application,
            round=1,
            outcome="granted",
            tier_code="entry",
            reasons="Meets every requirement.",
            recommended_by=validator,
            recommended_at=decided_at,
        )
        decision = Decision.objects.create(
            application=application,
            round=1,
            recommendation=recommendation,
            outcome="granted",
            tier_code="entry",
            reasons="Meets every requirement.",
            language="en",
            decided_by=supervisor,
            decided_at=decided_at,
        )
        issued.append(certificate_issue(decision=decision, actor=supervisor))
    return issued


def sequence_value(programme) -> int:
    from openaeo.certificates.models import CertificateSequence

    return CertificateSequence.objects.get(programme=programme).last_value


def set_sequence(programme, last_value: int) -> None:
    from openaeo.certificates.models import CertificateSequence

    CertificateSequence.objects.filter(programme=programme).update(last_value=last_value)


def taken_indexes() -> set[tuple[int, int]]:
    from openaeo.certificates.models import Certificate

    return set(Certificate.objects.values_list("status_list", "status_index"))


def planned_rows(count: int, *, template, first_seq: int, taken: set, rng: random.Random):
    """One dict per certificate to copy: number, status, dates, place in the status lists."""
    from openaeo.certificates import numbering
    from openaeo.certificates.services import LIST_FILL_LIMIT, LIST_SIZE
    from openaeo.common import clock

    config = template.programme.config
    pattern = numbering.number_pattern(config)
    tier = numbering.tier_position(config, template.tier_code)
    today = clock.today()
    rows = []
    list_number = max((number for number, _index in taken), default=1)
    in_list = sum(1 for number, _index in taken if number == list_number)
    for offset in range(count):
        if in_list >= LIST_FILL_LIMIT:
            list_number, in_list = list_number + 1, 0
        while True:
            index = rng.randrange(LIST_SIZE)
            if (list_number, index) not in taken:
                break
        taken.add((list_number, index))
        in_list += 1
        kind = draw_kind(rng.random())
        effective_on = today - dt.timedelta(days=rng.randrange(30, 1000))
        expires_on = effective_on + dt.timedelta(days=3 * 365)
        if kind == "expired_by_date":
            expires_on = today - dt.timedelta(days=rng.randrange(1, 300))
            effective_on = expires_on - dt.timedelta(days=3 * 365)
        elif kind == "future":
            effective_on = today + dt.timedelta(days=rng.randrange(1, 30))
            expires_on = effective_on + dt.timedelta(days=3 * 365)
        seq = first_seq + offset
        decided_on = effective_on - dt.timedelta(days=1)
        rows.append(
            {
                "seq": seq,
                "aeo_number": numbering.format_number(
                    pattern,
                    country=config["country"],
                    tier=tier,
                    tier_code=template.tier_code,
                    seq=seq,
                    on=decided_on,
                ),
                "status": {
                    "suspended": "suspended",
                    "revoked": "revoked",
                    "expired": "expired",
                }.get(kind, "active"),
                "effective_on": effective_on,
                "expires_on": expires_on,
                "status_list": list_number,
                "status_index": index,
            }
        )
    return rows


def draw_kind(draw: float) -> str:
    """Which kind of certificate a uniform draw in [0, 1) gives, by MIX."""
    for kind, share in MIX.items():
        if draw < share:
            return kind
        draw -= share
    return "valid"


def copy_certificates(template, rows: list[dict]) -> None:
    """Each row becomes a business, an application, a recommendation, a decision and a
    certificate, copied from the template's (every column kept but the ones that make
    each one its own), in one INSERT per table."""
    from django.db import connection

    from openaeo.cases.models import Application, Decision, Recommendation
    from openaeo.certificates.models import Certificate
    from openaeo.operators.models import EconomicOperator

    decision = template.decision
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_rows (i int, aeo_number text, status text, "
            "effective_on date, expires_on date, status_list int, status_index int) "
            "ON COMMIT DROP"
        )
        with cursor.copy(
            "COPY bench_rows (i, aeo_number, status, effective_on, expires_on, status_list, "
            "status_index) FROM STDIN"
        ) as copy:
            for i, row in enumerate(rows, start=1):
                copy.write_row(
                    (
                        i,
                        row["aeo_number"],
                        row["status"],
                        row["effective_on"],
                        row["expires_on"],
                        row["status_list"],
                        row["status_index"],
                    )
                )
        bases = {}
        for model in (EconomicOperator, Application, Recommendation, Decision, Certificate):
            cursor.execute(f'SELECT coalesce(max(id), 0) FROM "{model._meta.db_table}"')  # noqa: S608
            bases[model] = cursor.fetchone()[0]
        op, app, rec, dec = (
            bases[m] for m in (EconomicOperator, Application, Recommendation, Decision)
        )
        copy_table(
            cursor,
            EconomicOperator,
            template.holder_id,
            {
                "legal_name": "'Verified Business ' || (r.i + 100) || ' Ltd'",
                "identifier": "'ZZ-VBC' || lpad(r.i::text, 8, '0')",
            },
            base=op,
        )
        copy_table(
            cursor, Application, decision.application_id, {"operator_id": f"{op} + r.i"}, base=app
        )
        copy_table(
            cursor,
            Recommendation,
            decision.recommendation_id,
            {"application_id": f"{app} + r.i"},
            base=rec,
        )
        copy_table(
            cursor,
            Decision,
            decision.pk,
            {"application_id": f"{app} + r.i", "recommendation_id": f"{rec} + r.i"},
            base=dec,
        )
        changed = "r.status <> 'active'"
        copy_table(
            cursor,
            Certificate,
            template.pk,
            {
                "uuid": "gen_random_uuid()",
                "aeo_number": "r.aeo_number",
                "holder_id": f"{op} + r.i",
                "holder_name": "'Verified Business ' || (r.i + 100) || ' Ltd'",
                "identifier": "'ZZ-VBC' || lpad(r.i::text, 8, '0')",
                "decision_id": f"{dec} + r.i",
                "effective_on": "r.effective_on",
                "expires_on": "r.expires_on",
                "status": "r.status",
                "status_reason": f"CASE WHEN {changed} THEN 'Bench: set so for the benchmark.' ELSE '' END",
                "status_changed_at": f"CASE WHEN {changed} THEN now() END",
                "status_list": "r.status_list",
                "status_index": "r.status_index",
            },
            base=bases[Certificate],
        )
        for model in (EconomicOperator, Application, Recommendation, Decision, Certificate):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
                f'(SELECT max(id) FROM "{table}"))'
            )


def copy_table(cursor, model, template_id: int, overrides: dict[str, str], *, base: int) -> None:
    """INSERT one row per bench_rows row, copied from row `template_id` of the model's
    table, with id base + i and the `overrides` (SQL over bench_rows r and the template t).

    The columns are read from the database, so columns other engineers add are copied too.
    """
    from django.db import connection

    table = model._meta.db_table
    columns = [
        column.name
        for column in connection.introspection.get_table_description(cursor, table)
        if column.name != "id"
    ]
    unknown = set(overrides) - set(columns)
    if unknown:
        raise SystemExit(f"verify_api: {table} has no columns {sorted(unknown)}")
    values = [overrides.get(name, f't."{name}"') for name in columns]
    names = ", ".join(f'"{name}"' for name in columns)
    cursor.execute(
        f'INSERT INTO "{table}" (id, {names}) '  # noqa: S608 - names from the catalogue
        f"SELECT {base} + r.i, {', '.join(values)} "
        f'FROM bench_rows AS r CROSS JOIN "{table}" AS t WHERE t.id = %s',
        [template_id],
    )


# -- what the clients ask -------------------------------------------------------------------


def expected_status(status: str, effective_on: dt.date, expires_on: dt.date | None, today) -> str:
    """What the API must answer for a certificate, worked out here on its own."""
    if effective_on > today:
        return "unknown"  # not published before its effective date
    if status == "revoked":
        return "revoked"
    if status == "expired" or (expires_on is not None and expires_on < today):
        return "expired"
    if status == "suspended":
        return "suspended"
    return "valid"


def load_sample() -> list[tuple[str, str]]:
    """A random sample of real numbers with their expected answer, plus unknown ones."""
    from django.db import connection

    from openaeo.common import clock

    today = clock.today()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT aeo_number, status, effective_on, expires_on FROM certificates_certificate "
            "ORDER BY random() LIMIT %s",
            [SAMPLE_SIZE],
        )
        sample = [
            (number, expected_status(status, effective_on, expires_on, today))
            for number, status, effective_on, expires_on in cursor.fetchall()
        ]
    connection.close()
    unknowns = round(len(sample) * UNKNOWN_SHARE / (1 - UNKNOWN_SHARE))
    sample += [(f"ZZ AEO1 {9_000_000 + n:07d}/26", "unknown") for n in range(unknowns)]
    random.shuffle(sample)
    return sample


def write_numbers(path: Path, sample: list[tuple[str, str]]) -> None:
    path.write_text("".join(f"{number}\t{expected}\n" for number, expected in sample))


# -- the server and the load ----------------------------------------------------------------


class gunicorn:
    """gunicorn on a free loopback port, as docs/operations.md runs it; stopped on exit."""

    def __init__(self, app: str, environment: dict, *, workers: int):
        self.app, self.environment, self.workers = app, environment, workers

    def __enter__(self) -> "gunicorn":
        port = free_port()
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                self.app,
                # The worker hooks (a worker replaced after --max-requests leaves at once).
                "--config",
                "python:openaeo.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{port}",
                # Workers forked from a master that loaded the app: a worker replaced
                # after --max-requests starts at once instead of importing Django again.
                "--preload",
                "--workers",
                str(self.workers),
                "--max-requests",
                "2000",
                "--max-requests-jitter",
                "200",
                "--backlog",
                "2048",
            ],
            cwd=ROOT,
            env={**os.environ, **self.environment},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{port}"
        wait_until_up(self.url, self.process, self.log)
        return self

    def cpu_seconds(self) -> float:
        """CPU time of gunicorn and its workers so far, the workers it replaced included."""
        import psutil

        master = psutil.Process(self.process.pid)
        total = sum(master.cpu_times()[:4])  # user, system, and the ended children's
        for worker in master.children():
            # One that ended meanwhile is counted in the master's children's time.
            with contextlib.suppress(psutil.NoSuchProcess):
                total += sum(worker.cpu_times()[:2])
        return total

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process, log, *, timeout: float = 60.0) -> None:
    """Until an unknown number answers 200 (the app) or anything does (the baseline)."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(  # noqa: S310 - our own loopback server
        url + "/api/v1/verify/ZZ%20AEO1%2000000%2F00", headers={"X-Forwarded-Proto": "https"}
    )
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    log.seek(0)
    output = log.read().decode("utf-8", "replace")[-3000:]
    raise SystemExit(f"verify_api: gunicorn did not answer at {url}:\n{output}")


def database_cpu_seconds(url: str) -> float:
    """CPU time so far of the PostgreSQL server: its postmaster's ended children (backends
    are replaced as gunicorn replaces workers) and the living ones. The whole cluster, so
    run the bench where nothing else uses it. 0 when PostgreSQL runs on another host or as
    a user whose processes cannot be read."""
    import psutil
    import psycopg

    with psycopg.connect(url) as connection:
        backend = connection.info.backend_pid
        host = connection.info.host
        if not (host.startswith("/") or host in ("127.0.0.1", "::1", "localhost")):
            return 0.0  # a process id of another machine
        try:
            postmaster = psutil.Process(backend).parent()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return 0.0
    if postmaster is None:
        return 0.0
    with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
        times = postmaster.cpu_times()
        total = times.children_user + times.children_system
        for child in postmaster.children():
            # One that ended meanwhile is counted in the postmaster's children's time.
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                total += sum(child.cpu_times()[:2])
        return total
    return 0.0


def per_request(seconds: float, figures: dict) -> float:
    return round(seconds * 1000 / figures["requests"], 3) if figures["requests"] else 0.0


def paced_rate(saturated_rps: float, *, users: int) -> float:
    """Requests a second for each user so that all ask for PACED_SHARE of `saturated_rps`."""
    return max(saturated_rps * PACED_SHARE / users, 0.01)


def run_load(
    url: str, numbers_file: Path, mode: str, *, users: int, seconds: int, pace: float = 0.0
) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "run"
        completed = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "_verify_locustfile.py"),
                "--headless",
                "--only-summary",
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "5",
                "--host",
                url,
                "--csv",
                str(prefix),
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "BENCH_VERIFY_NUMBERS": str(numbers_file),
                "BENCH_VERIFY_MODE": mode,
                "BENCH_VERIFY_PACE": str(pace),
            },
            capture_output=True,
            text=True,
            check=False,
        )
        stats = Path(f"{prefix}_stats.csv")
        failures = Path(f"{prefix}_failures.csv")
        if not stats.exists():
            raise SystemExit(f"verify_api: locust failed:\n{completed.stderr[-3000:]}")
        result = parse_locust_stats(stats.read_text())
        result["failure_kinds"] = parse_locust_failures(
            failures.read_text() if failures.exists() else ""
        )
        return result


def parse_locust_stats(text: str) -> dict:
    """The "Aggregated" row of locust's --csv _stats.csv file."""
    for row in csv.DictReader(text.splitlines()):
        if row.get("Name") == "Aggregated":
            return {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
            }
    raise ValueError("locust's statistics have no Aggregated row")


def parse_locust_failures(text: str) -> dict[str, int]:
    """Errors by kind from locust's _failures.csv file (e.g. "HTTP 429": 12)."""
    kinds: dict[str, int] = {}
    for row in csv.DictReader(text.splitlines()):
        error = row.get("Error", "")
        # FastHttpUser writes failures set by response.failure() as CatchResponseError('...').
        if error.startswith("CatchResponseError(") and error.endswith(")"):
            error = error[len("CatchResponseError(") : -1].strip("'\"")
        kinds[error] = kinds.get(error, 0) + int(row.get("Occurrences") or 0)
    return kinds


# -- the verdict ----------------------------------------------------------------------------


def verdict(api: dict, baseline: dict) -> dict:
    """The ratio of throughputs (without pause) and whether every target is met.

    The p99 target is judged on the paced run. Without pause, 100 clients always have 100
    requests waiting, so by Little's law the mean latency is 100 / throughput: a p99 under
    50 ms there would need more than 2,000 answers a second, more than the fixed-JSON app
    itself gets from this 2-core machine. That p99 is printed, for information.
    """
    ratio = api["rps"] / baseline["rps"] if baseline["rps"] else 0.0
    paced = api.get("paced") or {}
    errors = api["errors"] + paced.get("errors", 0)
    return {
        "ratio": round(ratio, 3),
        "ok": ratio >= TARGET_RATIO
        and paced.get("p99_ms", float("inf")) < TARGET_P99_MS
        and errors == 0,
    }


def summarise(sides: dict, *, certificates: int, users: int, args) -> dict:
    return {
        "bench": "verify_api",
        "certificates": certificates,
        "users": users,
        "workers": args.workers,
        "seconds": args.seconds,
        "api": sides["api"],
        "baseline": sides["baseline"],
        **verdict(sides["api"], sides["baseline"]),
        "target_ratio": TARGET_RATIO,
        "target_p99_ms": TARGET_P99_MS,
        "paced_share": PACED_SHARE,
    }


def human(result: dict) -> str:
    def side(name: str, figures: dict) -> str:
        line = (
            f"  {name:<9} {figures['rps']:>7.1f} req/s  p50 {figures['p50_ms']:.0f} ms  "
            f"p95 {figures['p95_ms']:.0f} ms  p99 {figures['p99_ms']:.0f} ms  "
            f"{figures['requests']:,} requests, {figures['errors']:,} errors"
            + (f" {figures['failure_kinds']}" if figures["failure_kinds"] else "")
        )
        if "server_cpu_ms" in figures:
            line += (
                f"; CPU a request: gunicorn {figures['server_cpu_ms']:.2f} ms, "
                f"PostgreSQL {figures['database_cpu_ms']:.2f} ms"
            )
        return line

    api, paced = result["api"], result["api"]["paced"]
    verdict_words = "within" if result["ok"] else "NOT within"
    return "\n".join(
        [
            f"verify_api: GET /api/v1/verify/{{aeo_number}} over {result['certificates']:,} "
            f"certificates, {result['users']} clients, gunicorn with {result['workers']} "
            f"workers, {result['seconds']} s each:",
            side("API", api),
            side("baseline", result["baseline"]),
            side(f"API paced to {paced['offered_rps']:.0f} req/s", paced),
            f"  ratio {result['ratio']:.0%} of the fixed-JSON baseline, p99 "
            f"{paced['p99_ms']:.0f} ms at {result['paced_share']:.0%} of the API's throughput "
            f"({verdict_words} the targets: at least {result['target_ratio']:.0%}, p99 under "
            f"{result['target_p99_ms']:.0f} ms, no error)",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
