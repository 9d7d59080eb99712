"""Benchmark: the full mutual-recognition feed export of 1,000,000 certificates, streamed.

How to run it:

    make bench                                   # every benchmark, this one included
    .venv/bin/python bench/feed_export.py        # this one only
    .venv/bin/python bench/feed_export.py --certificates 200000 --rebuild

BENCH_POSTGRES_URL names the benchmark database (default
postgres://postgres@127.0.0.1:5434/bench), shared with the other benchmarks. This one keeps
its data in a schema of its own, `feed_export` (--schema), migrated there: the other
benchmarks' tables in `public` are neither read nor changed, and their rebuilds (which drop
`public`) leave this one's data alone. The first run fills the schema with 1,000,000
certificates (--certificates N for another number), each with its business, case,
recommendation and decision, straight from SQL; later runs reuse them while the number is
right. --rebuild drops the schema and fills it again. Without a reachable PostgreSQL the
script says so and exits with 2.

What it measures: the CSV (/api/mra/v1/operators.csv) and the signed zipped XML
(/api/mra/v1/operators.zip) exports, each of the whole register and of its last tenth
(changed_since), fetched over HTTP from gunicorn on loopback (one sync worker, started
afresh for each export, warmed up with a small request) by a partner administration's
client. For each: seconds to the last byte, rows, bytes, and the worker's peak RSS growth
during the request (Linux: VmHWM after the request, reset before it through
/proc/PID/clear_refs, minus VmRSS before it). It checks the output: the number of rows, and
for the zip every CRC, the SHA-256 file against the XML, and the detached signature over it
with the published key. It prints one JSON line and a line for people, and exits with 1
when a full export takes 60 s or more, a check fails, or the peak growth of a full export
exceeds that of the tenth by more than 25 MB (memory not flat: at 900,000 more records,
25 MB is under 30 bytes a record).
"""

import argparse
import base64
import datetime as dt
import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zipfile
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5434/bench"
DEFAULT_SCHEMA = "feed_export"
TARGET_SECONDS = 60.0
FLAT_MARGIN_MB = 25.0
SMALL_SHARE = 10  # the smaller export: the last tenth of the certificates
WARM_UP_ROWS = 1000
ROOT = Path(__file__).resolve().parent.parent
PARTNER_NAME = "Feed export benchmark partner"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--certificates", type=int, default=1_000_000)
    parser.add_argument("--schema", default=DEFAULT_SCHEMA)
    parser.add_argument("--rebuild", action="store_true", help="drop and fill the data again")
    parser.add_argument("--formats", default="csv,xml", help="csv, xml or both (csv,xml)")
    args = parser.parse_args()
    base_url = os.environ.get("BENCH_POSTGRES_URL", "").strip() or DEFAULT_URL

    if problem := unreachable(base_url):
        print(
            f"feed_export: cannot reach PostgreSQL at {base_url} ({problem}). Start one, or set "
            "BENCH_POSTGRES_URL=postgres://USER@HOST:PORT/DATABASE to a database the "
            "benchmark may add a schema to.",
            file=sys.stderr,
        )
        return 2
    url = with_schema(base_url, args.schema)
    keys_dir = Path(tempfile.mkdtemp(prefix="feed-export-keys-"))
    setup_django(url, keys_dir)
    prepare(base_url, args.schema, certificates=args.certificates, rebuild=args.rebuild)
    token = partner_token()
    small_since = since_certificate(args.certificates - args.certificates // SMALL_SHARE + 1)
    warm_since = since_certificate(args.certificates - WARM_UP_ROWS + 1)

    runs = []
    for file_format in args.formats.split(","):
        for size, since in (("tenth", small_since), ("full", None)):
            run = measure(url, keys_dir, token, file_format, since, warm_since)
            run["size"] = size
            run["expected_rows"] = expected_rows(since)
            run["rows_ok"] = run["rows"] == run["expected_rows"]
            runs.append(run)
            print(f"feed_export: {describe(run)}", flush=True)

    result = verdict(args.certificates, runs)
    print(json.dumps(result))
    print(human(result))
    return 0 if result["ok"] else 1


# -- setting up -----------------------------------------------------------------------------


def unreachable(url: str) -> str:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return ""


def with_schema(url: str, schema: str) -> str:
    # dj-database-url turns currentSchema into the connection's search_path.
    return f"{url}{'&' if '?' in url else '?'}currentSchema={schema}"


def server_environment(url: str, keys_dir: Path) -> dict:
    # The test settings (no secret file or static manifest needed), on the benchmark's
    # database and schema directly, with a signing key of the benchmark's own.
    return {
        **os.environ,
        "TEST_DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "openaeo.settings.test",
        "OPENAEO_KEYS_DIR": str(keys_dir),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
    }


def setup_django(url: str, keys_dir: Path) -> None:
    os.environ.update(server_environment(url, keys_dir))
    import django

    django.setup()
    from openaeo.common import clock
    from openaeo.common.signing_keys import create_key

    create_key(keys_dir, now=clock.now())


def prepare(base_url: str, schema: str, *, certificates: int, rebuild: bool) -> None:
    import psycopg
    from django.core.management import call_command
    from django.db import connection
    from psycopg import sql

    found = existing_certificates(base_url, schema)
    if not rebuild and found != certificates:
        if found:
            print(
                f"feed_export: found {found:,} certificates, not {certificates:,}; filling again."
            )
        rebuild = True
    with psycopg.connect(base_url, autocommit=True) as raw:
        name = sql.Identifier(schema)
        if rebuild:
            raw.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(name))
        raw.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(name))
    connection.close()
    call_command("migrate", verbosity=0, interactive=False)
    if rebuild:
        started = time.monotonic()
        fill(certificates)
        print(
            f"feed_export: filled {certificates:,} certificates in "
            f"{time.monotonic() - started:.0f} s.",
            flush=True,
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) certificates_certificate")
            cursor.execute("VACUUM (ANALYZE) operators_economicoperator")


def existing_certificates(base_url: str, schema: str) -> int | None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(base_url) as raw:
        table = raw.execute(
            "SELECT to_regclass(%s) IS NOT NULL", [f'"{schema}".certificates_certificate']
        ).fetchone()[0]
        if not table:
            return None
        count = sql.SQL("SELECT count(*) FROM {}.certificates_certificate").format(
            sql.Identifier(schema)
        )
        return raw.execute(count).fetchone()[0]


# Certificates are issued two minutes apart, the last one an hour ago; a status changes a
# minute after issue, so that "changed since the issue of certificate N" is exactly the
# certificates from N on. 85 % are active, 7 % suspended, 5 % revoked, 3 % expired.

FILL = [
    # Businesses: one per certificate; some addresses need escaping in XML and CSV.
    """
    INSERT INTO operators_economicoperator
        (legal_name, identifier, country, trading_names, address, roles, employees, created_at)
    SELECT 'Feed Business ' || i || ' Ltd', 'ZF-B' || lpad(i::text, 9, '0'), 'KE', '',
           i || ' Harbour Road, Unit ' || mod(i, 50) || ' & Sons <Dock ' || mod(i, 7) || '>',
           '["exporter"]'::jsonb, 1 + mod(i * 37, 400), %(start)s
    FROM generate_series(1, %(n)s) AS i
    """,
    # One closed, granted case per business.
    """
    INSERT INTO cases_application (
        kind, trigger, trigger_reference, reason, operator_id, programme_id, tier_code, status, version, size_class, msme, priority,
        submitted_at, completeness_due, accepted_on, deemed_accepted, decision_due,
        paused_days, extension_days, extension_reason, round, outcome, decided_at, closed_at,
        updated_at)
    SELECT %(first_application)s, '', '', '', o.id, %(programme)s, 'entry', 'closed', 1, 'small', true, 1,
           %(start)s, (%(start)s)::date + 30, (%(start)s)::date + 20, false,
           (%(start)s)::date + 140, 0, 0, '', 1, 'granted', %(start)s, %(start)s, %(start)s
    FROM operators_economicoperator AS o WHERE o.identifier LIKE 'ZF-B%%'
    """,
    """
    INSERT INTO cases_recommendation
        (application_id, round, outcome, tier_code, reasons, conditions, recommended_by_id,
         recommended_at)
    SELECT a.id, 1, 'granted', 'entry', 'Meets every criterion.', '', %(officer)s, %(start)s
    FROM cases_application AS a WHERE a.programme_id = %(programme)s
    """,
    """
    INSERT INTO cases_decision
        (application_id, round, recommendation_id, outcome, tier_code, reasons, conditions,
         language, decided_by_id, decided_at)
    SELECT r.application_id, 1, r.id, 'granted', 'entry', 'Meets every criterion.', '', 'en',
           %(officer)s, %(start)s
    FROM cases_recommendation AS r
    """,
    """
    WITH numbered AS (
        SELECT d.id AS decision_id, o.id AS holder_id, o.legal_name, o.identifier,
               row_number() OVER (ORDER BY o.id) AS i
        FROM cases_decision AS d
        JOIN cases_application AS a ON a.id = d.application_id
        JOIN operators_economicoperator AS o ON o.id = a.operator_id
    ), dated AS (
        SELECT n.*, %(last_issue)s - (%(n)s - i) * interval '2 minutes' AS issued_at,
               mod(i * 7919, 100) AS draw
        FROM numbered AS n
    )
    INSERT INTO certificates_certificate (
        uuid, aeo_number, programme_id, holder_id, holder_name, identifier, country,
        tier_code, tier_name, scope, decision_id, effective_on, expires_on, status,
        status_reason, status_changed_at, status_list, status_index, issued_at, issued_by_id,
        remedy_required, remedied)
    SELECT gen_random_uuid(), 'KE-AEOF-' || lpad(i::text, 9, '0'), %(programme)s, holder_id,
           legal_name, identifier, 'KE', 'entry', '{"en": "AEO Entry"}'::jsonb,
           '{"sites": [], "roles": ["exporter"]}'::jsonb, decision_id, issued_at::date + 14,
           issued_at::date + 1825,
           CASE WHEN draw < 85 THEN 'active' WHEN draw < 92 THEN 'suspended'
                WHEN draw < 97 THEN 'revoked' ELSE 'expired' END,
           CASE WHEN draw < 85 THEN '' ELSE 'Benchmark status change.' END,
           CASE WHEN draw < 85 THEN NULL ELSE issued_at + interval '1 minute' END,
           1000 + (i - 1) / 131072, mod(i - 1, 131072), issued_at, %(officer)s, '', ''
    FROM dated
    """,
]


def fill(certificates: int) -> None:
    """A programme and an officer through the services, then everything else from SQL."""
    from django.db import connection, transaction

    from openaeo.accounts.models import User
    from openaeo.cases.models import ApplicationKind
    from openaeo.catalogue import services as catalogue
    from openaeo.catalogue.programmes import shipped_programme_files
    from openaeo.common import clock

    catalogue.catalogue_publish(actor=None)
    path = next(p for p in shipped_programme_files() if p.stem == "safe-reference")
    programme, _ = catalogue.programme_load(actor=None, path=path, make_default=True)
    officer = User.objects.create_user("officer@feed-export.bench", full_name="Bench officer")
    now = clock.now()
    values = {
        "n": certificates,
        "programme": programme.pk,
        "first_application": ApplicationKind.APPLICATION.value,
        "officer": officer.pk,
        "last_issue": now - dt.timedelta(hours=1),
        "start": now - dt.timedelta(days=5 * 365),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in FILL:
            cursor.execute(statement, values)


def since_certificate(number: int):
    """The changed_since that selects the certificates from number `number` on."""
    from openaeo.certificates.models import Certificate

    return Certificate.objects.get(aeo_number=f"KE-AEOF-{max(1, number):09d}").issued_at


def expected_rows(since) -> int:
    from openaeo.mra import selectors

    queryset = selectors.feed_certificates(since)
    return queryset.count()


def partner_token() -> str:
    """A token of a new API client (scope mra:read) of the benchmark's partner."""
    from openaeo.accounts import services
    from openaeo.mra.models import PartnerAdministration

    client, secret = services.machine_client_create(
        actor=None, name=f"{PARTNER_NAME} {time.time():.0f}", scopes=["mra:read"]
    )
    partner = PartnerAdministration.objects.filter(name=PARTNER_NAME).first()
    if partner is None:
        partner = PartnerAdministration(
            name=PARTNER_NAME,
            country="ZY",
            arrangement="Benchmark arrangement",
            data_elements=["name", "address", "status", "authorised_on", "identifier"],
            active_from=dt.date(2020, 1, 1),
        )
    partner.client = client
    partner.save()
    token, _token = services.machine_token_issue(
        client_id=client.client_id, client_secret=secret, scopes=None
    )
    return token


# -- measuring ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in kB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _sep, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values


def worker_of(master: int, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.2)
    raise SystemExit("feed_export: gunicorn started no worker")


def start_server(url: str, keys_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, with fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "openaeo.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--worker-class",
            "sync",
            "--timeout",
            "600",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**server_environment(url, keys_dir), "PYTHONPATH": str(ROOT / "src")},
    )
    deadline = time.monotonic() + 120
    try:
        while True:
            try:
                http_get(port, "/.well-known/jwks.json", timeout=30)
                break
            except OSError:  # refused, reset or timed out: not listening yet
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("feed_export: gunicorn did not start") from None
                time.sleep(0.3)
    except BaseException:
        stop_server(server)
        raise
    return server, port


def http_get(port: int, path: str, *, params=None, headers=None, timeout=600, sink=None) -> int:
    """GET over HTTP/1.1 on loopback (stdlib only); each chunk of the body goes to `sink`.

    Raises OSError when the answer is not 200 or the body ends early.
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        connection.request("GET", path + query, headers=headers or {})
        response = connection.getresponse()
        if response.status != 200:
            raise OSError(f"GET {path} answered {response.status}: {response.read(500)!r}")
        while chunk := response.read(1 << 16):
            if sink is not None:
                sink(chunk)
        return response.status
    except http.client.HTTPException as error:
        raise OSError(f"GET {path}: {error!r}") from None
    finally:
        connection.close()


def measure(url: str, keys_dir: Path, token: str, file_format: str, since, warm_since) -> dict:
    """One export through a fresh gunicorn worker: time, size, rows, peak memory, checks."""
    path = "/api/mra/v1/operators.csv" if file_format == "csv" else "/api/mra/v1/operators.zip"
    headers = {"Authorization": f"Bearer {token}"}
    server, port = start_server(url, keys_dir)
    try:
        worker = worker_of(server.pid)
        # Warm up: the same view on a handful of records (imports, connections, caches).
        http_get(port, path, params={"changed_since": warm_since.isoformat()}, headers=headers)
        before = proc_status(worker)["VmRSS"]
        Path(f"/proc/{worker}/clear_refs").write_text("5")  # reset the peak (VmHWM)
        params = {"changed_since": since.isoformat()} if since else {}
        size = newlines = 0
        with tempfile.TemporaryFile() as spool:

            def take(chunk: bytes) -> None:
                nonlocal size, newlines
                size += len(chunk)
                if file_format == "csv":
                    newlines += chunk.count(b"\n")
                else:
                    spool.write(chunk)

            started = time.perf_counter()
            http_get(port, path, params=params, headers=headers, sink=take)
            seconds = time.perf_counter() - started
            peak = proc_status(worker)["VmHWM"]
            run = {
                "format": file_format,
                "seconds": round(seconds, 2),
                "bytes": size,
                "rss_before_mb": round(before / 1024, 1),
                "peak_rss_growth_mb": round((peak - before) / 1024, 1),
            }
            if file_format == "csv":
                run["rows"] = newlines - 1  # the header line; no field holds a line break
                run["verified"] = True
            else:
                spool.seek(0)
                run.update(check_zip(spool))
        return run
    finally:
        stop_server(server)


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def check_zip(spool) -> dict:
    """Rows, and whether every CRC, the checksum and the signature hold (read as a partner)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from openaeo.certificates import credentials
    from openaeo.mra import xml_files

    problems = []
    with zipfile.ZipFile(spool) as archive:
        names = archive.namelist()
        if names != [xml_files.XML_NAME, xml_files.CHECKSUM_NAME, xml_files.SIGNATURE_NAME]:
            problems.append(f"entries {names}")
        xml_digest, rows, tail = hashlib.sha256(), 0, b""
        with archive.open(xml_files.XML_NAME) as xml:  # reading checks the CRC at the end
            while chunk := xml.read(1 << 20):
                xml_digest.update(chunk)
                window = tail + chunk
                rows += window.count(b"<operator>") - tail.count(b"<operator>")
                tail = window[-16:]
        checksum = archive.read(xml_files.CHECKSUM_NAME)
        if checksum.split()[:1] != [xml_digest.hexdigest().encode()]:
            problems.append("checksum")
        jws = archive.read(xml_files.SIGNATURE_NAME).decode()
    header_b64, _empty, signature_b64 = jws.split(".")
    header = json.loads(_unb64(header_b64))
    payload = xml_files.signed_payload(jws, xml=b"", checksum=checksum)
    jwk = next((k for k in credentials.jwks()["keys"] if k["kid"] == header["kid"]), None)
    try:
        if jwk is None:
            raise InvalidSignature
        Ed25519PublicKey.from_public_bytes(_unb64(jwk["x"])).verify(
            _unb64(signature_b64),
            f"{header_b64}.{base64.urlsafe_b64encode(payload).rstrip(b'=').decode()}".encode(),
        )
    except InvalidSignature:
        problems.append("signature")
    return {
        "rows": rows,
        "xml_bytes": archive.getinfo(xml_files.XML_NAME).file_size,
        "verified": not problems,
        "problems": problems,
    }


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# -- reporting ------------------------------------------------------------------------------


def verdict(certificates: int, runs: list[dict]) -> dict:
    by_key = {(run["format"], run["size"]): run for run in runs}
    flat = {}
    for file_format in {run["format"] for run in runs}:
        full, tenth = by_key.get((file_format, "full")), by_key.get((file_format, "tenth"))
        if full and tenth:
            flat[file_format] = (
                full["peak_rss_growth_mb"] <= tenth["peak_rss_growth_mb"] + FLAT_MARGIN_MB
            )
    ok = (
        all(run["rows_ok"] and run["verified"] for run in runs)
        and all(run["seconds"] < TARGET_SECONDS for run in runs if run["size"] == "full")
        and all(flat.values())
    )
    return {
        "bench": "feed_export",
        "certificates": certificates,
        "target_seconds": TARGET_SECONDS,
        "flat_margin_mb": FLAT_MARGIN_MB,
        "memory_flat": flat,
        "runs": runs,
        "ok": ok,
    }


def describe(run: dict) -> str:
    return (
        f"{run['format']} {run['size']}: {run['rows']:,} rows "
        f"({'as expected' if run['rows_ok'] else 'expected ' + format(run['expected_rows'], ',')}"
        f"), {run['bytes'] / 1e6:.1f} MB"
        + (f" (XML {run['xml_bytes'] / 1e6:.0f} MB)" if "xml_bytes" in run else "")
        + f" in {run['seconds']} s, peak RSS growth "
        f"{run['peak_rss_growth_mb']} MB{'' if run['verified'] else ' NOT VERIFIED'}"
    )


def human(result: dict) -> str:
    verdict_text = "within" if result["ok"] else "NOT within"
    runs = "; ".join(describe(run) for run in result["runs"])
    return (
        f"feed_export: {result['certificates']:,} certificates: {runs} ({verdict_text} the "
        f"{result['target_seconds']:.0f} s target with flat memory: {result['memory_flat']})"
    )


if __name__ == "__main__":
    sys.exit(main())
