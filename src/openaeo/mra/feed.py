"""The exchange format, both ways: our certificates as feed records, a partner's file as records.

Pure apart from reading model attributes: no database writes here. One record has the seven
elements of the EU-US practice (see docs/certificates.md, "Mutual recognition"):

    aeo_number, operator_identifier   the unique identifiers
    name, address, country            who holds the status
    status, authorised_on             the status and when it was granted
    status_changed_on                 the date of the last suspension, revocation or expiry
    tier                              other agreed details: the programme level
    expires_on, changed_at            when it ends; when the record last changed
"""

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from openaeo.certificates.models import CertificateStatus

FIELDS = (
    "aeo_number",
    "operator_identifier",
    "name",
    "address",
    "country",
    "status",
    "authorised_on",
    "status_changed_on",
    "tier",
    "expires_on",
    "changed_at",
)
REQUIRED = ("aeo_number", "operator_identifier", "name", "country", "status", "authorised_on")
LIMITS = {
    "aeo_number": 64,
    "operator_identifier": 64,
    "name": 200,
    "address": 1000,
    "tier": 100,
}
STATUSES = frozenset(CertificateStatus.values)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def record_of(certificate) -> dict:
    """The feed record of one certificate (its holder selected with it)."""
    changed_at = max(filter(None, [certificate.issued_at, certificate.status_changed_at]))
    status_changed = certificate.status_changed_at
    return {
        "aeo_number": certificate.aeo_number,
        "operator_identifier": certificate.identifier,
        "name": certificate.holder_name,
        "address": certificate.holder.address,
        "country": certificate.country,
        "status": certificate.status,
        "authorised_on": _iso(certificate.effective_on),
        "status_changed_on": _iso(status_changed.date()) if status_changed else None,
        "tier": certificate.tier_code,
        "expires_on": _iso(certificate.expires_on),
        "changed_at": _iso(changed_at),
    }


# The columns of a certificate that make its record, read as plain tuples for the streamed
# exports: no model instances are built (selectors.feed_rows).
ROW_COLUMNS = (
    "aeo_number",
    "identifier",
    "holder_name",
    "holder__address",
    "country",
    "status",
    "effective_on",
    "status_changed_at",
    "tier_code",
    "expires_on",
    "issued_at",
)


def record_of_row(row: tuple) -> dict:
    """The feed record of one certificate read as ROW_COLUMNS; the same as record_of."""
    (
        aeo_number,
        identifier,
        holder_name,
        address,
        country,
        status,
        effective_on,
        status_changed_at,
        tier_code,
        expires_on,
        issued_at,
    ) = row
    return {
        "aeo_number": aeo_number,
        "operator_identifier": identifier,
        "name": holder_name,
        "address": address,
        "country": country,
        "status": status,
        "authorised_on": _iso(effective_on),
        "status_changed_on": _iso(status_changed_at.date()) if status_changed_at else None,
        "tier": tier_code,
        "expires_on": _iso(expires_on),
        "changed_at": _iso(max(filter(None, [issued_at, status_changed_at]))),
    }


class _Echo:
    def write(self, value):
        return value


# Rows per chunk of a streamed CSV or JSON file: one write per row would cost a system
# call each; a few hundred keep a chunk in the tens of kilobytes.
ROWS_PER_CHUNK = 200


def csv_lines(records: Iterable[dict]) -> Iterator[str]:
    """The feed as CSV, line by line (for a streamed response): a header, then one row each."""
    writer = csv.writer(_Echo())
    yield writer.writerow(FIELDS)
    for record in records:
        yield writer.writerow(["" if record[name] is None else record[name] for name in FIELDS])


def _batched(texts: Iterable[str]) -> Iterator[bytes]:
    batch = []
    for text in texts:
        batch.append(text)
        if len(batch) >= ROWS_PER_CHUNK:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


def csv_chunks(records: Iterable[dict]) -> Iterator[bytes]:
    """The CSV file in UTF-8 chunks of a few hundred lines."""
    return _batched(csv_lines(records))


def json_lines(records: Iterable[dict]) -> Iterator[str]:
    """The feed as one JSON document, {"items": [...]}, one record a line.

    The shape of an API page without the paging fields, which the import reads too.
    """
    yield '{"items": ['
    separator = "\n"
    for record in records:
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def json_chunks(records: Iterable[dict]) -> Iterator[bytes]:
    return _batched(json_lines(records))


# --------------------------------------------------------------------------- reading a file


class FileRefused(ValueError):
    """The file as a whole cannot be read: nothing of it is imported."""


@dataclass
class Parsed:
    file_format: str
    records: list[tuple[str, dict]] = field(default_factory=list)  # (where, cleaned record)
    errors: list[dict] = field(default_factory=list)  # {"where", "aeo_number", "reason"}


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def guess_format(data: bytes, file_name: str = "") -> str:
    name = file_name.lower()
    for suffix in ("json", "csv", "xml", "zip"):
        if name.endswith(f".{suffix}"):
            return suffix
    if data[:4] == b"PK\x03\x04":
        return "zip"
    start = data.lstrip()[:1]
    return "json" if start in (b"[", b"{") else "xml" if start == b"<" else "csv"


def _date(value, name: str, *, required: bool) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValueError(_("%(field)s is missing.") % {"field": name})
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValueError(
            _("%(field)s is not a date in the form YYYY-MM-DD.") % {"field": name}
        ) from None


def clean_record(raw: dict) -> dict:
    """The record in the form we store, or ValueError naming the first problem."""
    if not isinstance(raw, dict):
        raise ValueError(_("The record is not an object with named fields."))
    text = {}
    for name in FIELDS:
        value = raw.get(name)
        if value is not None and not isinstance(value, str | int):
            raise ValueError(_("%(field)s is not text.") % {"field": name})
        text[name] = "" if value is None else str(value).strip()
    for name in REQUIRED:
        if not text[name]:
            raise ValueError(_("%(field)s is missing.") % {"field": name})
    for name, limit in LIMITS.items():
        if len(text[name]) > limit:
            raise ValueError(
                _("%(field)s is longer than %(limit)d characters.")
                % {"field": name, "limit": limit}
            )
    country = text["country"].upper()
    if len(country) != 2 or not country.isascii() or not country.isalpha():
        raise ValueError(_("country is not a two-letter ISO 3166 code."))
    status = text["status"].lower()
    if status not in STATUSES:
        raise ValueError(
            _("status must be one of: %(statuses)s.") % {"statuses": ", ".join(sorted(STATUSES))}
        )
    return {
        "aeo_number": text["aeo_number"],
        "operator_identifier": text["operator_identifier"],
        "name": text["name"],
        "address": text["address"],
        "country": country,
        "status": status,
        "authorised_on": _date(text["authorised_on"], "authorised_on", required=True),
        "status_changed_on": _date(text["status_changed_on"], "status_changed_on", required=False),
        "tier": text["tier"],
        "expires_on": _date(text["expires_on"], "expires_on", required=False),
    }


def content_sha256(record: dict) -> str:
    canonical = json.dumps(record, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def json_rows(data: bytes) -> Iterator[tuple[str, object]]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FileRefused(_("The file is not valid JSON: %(error)s") % {"error": error}) from None
    items = document.get("items") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise FileRefused(_('The file must hold a list of records, or an object with "items".'))
    for number, item in enumerate(items, start=1):
        yield _("record %(number)d") % {"number": number}, item


def csv_rows(data: bytes) -> Iterator[tuple[str, object]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(_("The file is not UTF-8 text.")) from None
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise FileRefused(
                _("The first line must name the columns; missing: %(columns)s.")
                % {"columns": ", ".join(missing)}
            )
        for row in reader:
            if None in row:
                raise FileRefused(
                    _("Line %(line)d has more values than the header has columns.")
                    % {"line": reader.line_num}
                )
            yield _("line %(line)d") % {"line": reader.line_num}, row
    except csv.Error as error:
        raise FileRefused(
            _("Line %(line)d cannot be read as CSV: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None
