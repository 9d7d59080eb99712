"""Public verification: what anyone learns about an AEO number or a credential.

The answer is one of valid, suspended, revoked, expired, unknown (by number) or invalid
(a credential that fails its checks), with only what the programme publishes: the AEO
number, the holder's name, the level, the effective date and the issuer.

A certificate is published from its effective date. Before it, and for a number that
does not exist, the answer is the same `unknown`, built the same way after the same
single query, so that the register cannot be enumerated.

Lookups are rate-limited per client (`rate_limited`), counted in the shared cache like
the sign-in lockout: per IP address, and per token for API clients.
"""

import datetime as dt
import functools
import hashlib
import ipaddress
import math
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.db.models import QuerySet
from django.db.models.fields.json import KT, KeyTextTransform, KeyTransform
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from openaeo.certificates import credentials, vc_check
from openaeo.certificates.models import Certificate, CertificateStatus, StatusList, StatusPurpose
from openaeo.common import clock
from openaeo.common.prepared_statements import prepared_cursor
from openaeo.common.request_context import current as current_request_context

MAX_AEO_NUMBER = 64

VALID, SUSPENDED, REVOKED, EXPIRED, UNKNOWN, INVALID = (
    "valid",
    "suspended",
    "revoked",
    "expired",
    "unknown",
    "invalid",
)
RESULTS = (VALID, SUSPENDED, REVOKED, EXPIRED, UNKNOWN, INVALID)

# Plain words for each answer (translated when shown).
SUMMARIES = {
    VALID: gettext_noop("Valid: this business holds AEO status."),
    SUSPENDED: gettext_noop("Suspended: this business's AEO status is suspended for now."),
    REVOKED: gettext_noop("Revoked: this business no longer holds AEO status."),
    EXPIRED: gettext_noop("Expired: this certificate has come to its end date."),
    UNKNOWN: gettext_noop("Unknown: we hold no published certificate with this number."),
    INVALID: gettext_noop("Invalid: this credential cannot be trusted."),
}


@dataclass(frozen=True)
class Answer:
    status: str
    aeo_number: str
    holder_name: str | None = None
    tier_code: str | None = None
    tier: str | None = None
    effective_on: dt.date | None = None
    issuer_id: str | None = None
    issuer_name: str | None = None
    reason: str = ""
    # Set when the number is a partner administration's certificate, recognised under a
    # mutual recognition arrangement (openaeo.mra): the partner's name.
    recognised_under: str | None = None

    @property
    def summary(self) -> str:
        return _(SUMMARIES[self.status])

    def as_dict(self) -> dict:
        return asdict(self)


def _translated(reason) -> str:
    """A reason from vc_check, in the reader's language."""
    if isinstance(reason, vc_check.Reason):
        params = {
            key: _translated(value) if isinstance(value, vc_check.Reason) else value
            for key, value in reason.params.items()
        }
        return _(reason.template) % params if params else _(reason.template)
    return _(reason) if reason else ""


def normalise_number(value: str) -> str:
    """Spaces tidied (a number typed from paper often has doubled or missing ones)."""
    return re.sub(r"\s+", " ", (value or "").strip())[:MAX_AEO_NUMBER]


def _status_from(status: str, expires_on: dt.date | None, today: dt.date) -> str:
    if status == CertificateStatus.REVOKED:
        return REVOKED
    # A superseded certificate (renewed or reissued under a new number) no longer proves
    # status on its own: it answers like an expired one.
    if status in (CertificateStatus.EXPIRED, CertificateStatus.SUPERSEDED) or (
        expires_on is not None and expires_on < today
    ):
        return EXPIRED
    if status == CertificateStatus.SUSPENDED:
        return SUSPENDED
    return VALID


# What a lookup by number reads: only the columns the answer publishes, with the level's
# and the administration's English names taken out of their JSON in the query. Loading the
# certificate and its programme whole (the programme's configuration is some kilobytes of
# JSON) cost more than the rest of the request together (bench/verify_api.py).
_PUBLISHED_COLUMNS = (
    "aeo_number",
    "status",
    "effective_on",
    "expires_on",
    "holder_name",
    "tier_code",
)
# Stand for the number and the day asked about in the compiled queries below.
_NUMBER_PLACEHOLDER = "<aeo number>"
_DAY_PLACEHOLDER = dt.date(1, 1, 2)


def _published_queryset():
    return (
        Certificate.objects.filter(aeo_number=_NUMBER_PLACEHOLDER)
        .order_by()  # the number is unique: no sort
        .values(
            *_PUBLISHED_COLUMNS,
            tier_en=KT("tier_name__en"),
            administration_en=KeyTextTransform(
                "en", KeyTransform("administration", "programme__config")
            ),
        )[:1]
    )


# Partner administrations' certificates recognised under a mutual recognition arrangement:
# openaeo.mra sits above this app and fills the hook in when it starts
# (`recognise_partner_records`). It is a function of (number placeholder, day placeholder)
# giving a values() queryset with the columns `_partner_answer` reads; without it, verification
# knows only our own certificates.
_partner_records: Callable[[str, dt.date], QuerySet] | None = None


def recognise_partner_records(records: Callable[[str, dt.date], QuerySet]) -> None:
    """Let verification answer with partners' records too (called from MraConfig.ready())."""
    global _partner_records
    _partner_records = records
    _compiled.cache_clear()


def _partner_queryset():
    return _partner_records(_NUMBER_PLACEHOLDER, _DAY_PLACEHOLDER)[:1]


_LOOKUPS = {"published": _published_queryset, "partner": _partner_queryset}


@functools.cache
def _compiled(lookup: str, alias: str, vendor: str) -> tuple[str, tuple, tuple, tuple[str, ...]]:
    """A lookup's SQL, compiled by the ORM once per process and database: building and
    compiling the query anew was a third of a known number's CPU time, and most of an
    unknown number's. Returns the SQL, its parameters, which of them are the number
    ("number") and the day ("day"), and the names of the columns."""
    query = _LOOKUPS[lookup]().query
    ops = connections[alias].ops
    sql, params = query.get_compiler(using=alias).as_sql()
    day = ops.adapt_datefield_value(_DAY_PLACEHOLDER)
    slots = tuple(
        "number" if value == _NUMBER_PLACEHOLDER else "day" if value == day else None
        for value in params
    )
    if "number" not in slots:  # the ORM changed how it passes the value: no silent miss
        raise ImproperlyConfigured(f"The {lookup} lookup lost its number parameter: {params}")
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    return sql, tuple(params), slots, names


def _as_date(value) -> dt.date | None:
    # PostgreSQL's driver gives dates; SQLite's gives ISO strings (the ORM's converters
    # are not run on a compiled query).
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _fetch_one(lookup: str, number: str, day: dt.date | None = None) -> dict | None:
    """The row a compiled lookup finds for this number (on this day), or None."""
    sql, params, slots, names = _compiled(lookup, connection.alias, connection.vendor)
    asked = {"number": number, "day": connection.ops.adapt_datefield_value(day)}
    params = [
        value if slot is None else asked[slot] for value, slot in zip(params, slots, strict=True)
    ]
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    found = dict(zip(names, row, strict=True))
    for name in ("effective_on", "authorised_on", "expires_on"):
        if name in found:
            found[name] = _as_date(found[name])
    return found


def _published(number: str) -> dict | None:
    """The published columns of the certificate with this number, or None."""
    return _fetch_one("published", number)


def verify_number(aeo_number: str, *, today: dt.date | None = None) -> Answer:
    """The public answer for an AEO number (one query, whatever the number)."""
    today = today or clock.today()
    number = normalise_number(aeo_number)
    certificate = _published(number) if number else None
    if certificate is None or certificate["effective_on"] > today:
        # Not ours, or not published yet. Partners' certificates are looked up in both
        # cases, so that both take the same work, and both answer the same way when no
        # partner sent the number.
        partner_record = _recognised(number, today)
        if certificate is None and partner_record is not None:
            return _partner_answer(partner_record, today)
        return Answer(UNKNOWN, number)
    return Answer(
        _status_from(certificate["status"], certificate["expires_on"], today),
        certificate["aeo_number"],
        holder_name=certificate["holder_name"],
        tier_code=certificate["tier_code"],
        # As Certificate.tier_label("en"): the English name, else the code.
        tier=certificate["tier_en"] or certificate["tier_code"],
        effective_on=certificate["effective_on"],
        issuer_id=credentials.issuer_id(),
        issuer_name=certificate["administration_en"],
    )


PARTNER_STATUSES = {
    CertificateStatus.ACTIVE: VALID,
    CertificateStatus.SUSPENDED: SUSPENDED,
    CertificateStatus.REVOKED: REVOKED,
    CertificateStatus.EXPIRED: EXPIRED,
    CertificateStatus.SUPERSEDED: EXPIRED,
}


def _recognised(number: str, today: dt.date) -> dict | None:
    """A partner's record for this number (mra.selectors.recognised_records), or None."""
    if not number or _partner_records is None:
        return None
    return _fetch_one("partner", number, today)


def _partner_answer(record: dict, today: dt.date) -> Answer:
    """A partner's AEO, recognised under the arrangement with that administration."""
    status = PARTNER_STATUSES.get(record["status"], UNKNOWN)
    if status in (VALID, SUSPENDED) and record["expires_on"] and record["expires_on"] < today:
        status = EXPIRED  # past its last day, as for our own certificates
    return Answer(
        status,
        record["aeo_number"],
        holder_name=record["holder_name"],
        tier=record["tier"] or None,
        effective_on=record["authorised_on"],
        issuer_name=record["partner_name"],
        recognised_under=record["partner_name"],
    )


def _our_status_list(url) -> StatusList | None:
    """The published list a statusListCredential URL names, if it is one of ours."""
    prefix = settings.SITE_URL.rstrip("/")
    if not isinstance(url, str) or not url.startswith(prefix + "/"):
        return None
    try:
        match = resolve(url[len(prefix) :])
    except Resolver404:
        return None
    if (
        match.view_name != "certificates:status_list"
        or match.kwargs["purpose"] not in StatusPurpose.values
    ):
        return None
    from openaeo.certificates.services import status_list_current

    # Signed on first use, exactly as the public list address serves it.
    return status_list_current(match.kwargs["number"], match.kwargs["purpose"])


def verify_credential(token: str, *, now: dt.datetime | None = None) -> Answer:
    """The public answer for a credential: its signature against our keys, its dates,
    then its bits in our published status lists."""
    now = now or clock.now()
    jwks = credentials.jwks()
    try:
        payload = vc_check.verify_jws(token, jwks)
    except vc_check.CheckFailed as error:
        return Answer(INVALID, "", reason=_translated(error.reason))
    lists = {}
    for entry in vc_check.status_entries(payload):
        url = entry.get("statusListCredential")
        status_list = _our_status_list(url)
        if status_list is None or not status_list.credential_jwt:
            return Answer(
                INVALID, "", reason=_("The credential's status list is not one we publish.")
            )
        try:
            lists[url] = vc_check.verify_status_list(status_list.credential_jwt, jwks, now=now)
        except vc_check.CheckFailed as error:  # pragma: no cover - our own lists verify
            return Answer(INVALID, "", reason=_translated(error.reason))
    outcome = vc_check.check_credential(token, jwks, now=now, status_lists=lists)
    if outcome.status == vc_check.INVALID or outcome.unchecked:
        return Answer(
            INVALID, "", reason=_translated(outcome.reason) or _("The credential has no status.")
        )
    subject = payload.get("credentialSubject") or {}
    tier = subject.get("tier") if isinstance(subject.get("tier"), dict) else {}
    issuer = payload.get("issuer") if isinstance(payload.get("issuer"), dict) else {}
    valid_from = vc_check.parse_instant(payload.get("validFrom"))
    return Answer(
        outcome.status,
        str(subject.get("aeoNumber", "")),
        holder_name=subject.get("name"),
        tier_code=tier.get("code"),
        tier=tier.get("name"),
        effective_on=valid_from.astimezone(_zone()).date() if valid_from else None,
        issuer_id=issuer.get("id"),
        issuer_name=issuer.get("name"),
        reason=_translated(outcome.reason),
    )


def _zone():
    import zoneinfo

    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


# --------------------------------------------------------------------------- rate limits

_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "60/minute" -> (60, 60): how many requests in how many seconds."""
    count, _sep, period = (rate or "").partition("/")
    period = period.strip().lower().rstrip("s")
    if period not in _PERIODS or not count.strip().isdigit():
        raise ValueError(f"A rate is written like 60/minute, not {rate!r}.")
    return int(count), _PERIODS[period]


def client_key(request) -> str:
    """Who is asking: the token for authenticated API clients, else the IP address."""
    auth = getattr(request, "verify_token", None)
    if auth:
        return "token:" + hashlib.sha256(auth.encode("utf-8")).hexdigest()[:32]
    address = current_request_context().client_address or request.META.get("REMOTE_ADDR", "")
    return f"ip:{address}"


@functools.lru_cache(maxsize=8)
def _networks(exempt: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in exempt)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"VERIFY_RATE_LIMIT_EXEMPT lists addresses or networks (10.0.0.0/8): {error}"
        ) from error


def exempt_address(address: str) -> bool:
    """Whether lookups from this client address are never counted (VERIFY_RATE_LIMIT_EXEMPT)."""
    networks = _networks(tuple(getattr(settings, "VERIFY_RATE_LIMIT_EXEMPT", ())))
    if not networks or not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def rate_limited(request) -> int | None:
    """Count one lookup for the client; the seconds to wait if it is over its limit.

    A fixed window per client in the shared cache: VERIFY_RATE_LIMIT for an address,
    VERIFY_TOKEN_RATE_LIMIT for an API token. Addresses in VERIFY_RATE_LIMIT_EXEMPT are
    not counted.
    """
    key = client_key(request)
    if key.startswith("ip:") and exempt_address(key[3:]):
        return None
    setting = "VERIFY_TOKEN_RATE_LIMIT" if key.startswith("token:") else "VERIFY_RATE_LIMIT"
    limit, period = parse_rate(getattr(settings, setting))
    now = clock.now().timestamp()
    window = int(now // period)
    cache_key = f"openaeo:verify:{key}:{period}:{window}"
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period + 1)
        count = 1
    if count > limit:
        return max(1, math.ceil((window + 1) * period - now))
    return None
