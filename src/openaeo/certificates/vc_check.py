"""Checking an AEO credential: signature, dates and status lists. Pure: no Django, no network.

Used by the public verification (verification.py) with our own keys and lists, and by the
offline verifier (verify_cli.py) with files a partner downloaded earlier. Only the
standard library, `cryptography` and our pure bitstring module are imported here.
"""

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from openaeo.certificates.bitstring import bit_is_set, decode_list

ALGORITHM = "EdDSA"
# A credential larger than this is not one of ours.
MAX_TOKEN_LENGTH = 64 * 1024

VALID, INVALID, REVOKED, SUSPENDED, EXPIRED = "valid", "invalid", "revoked", "suspended", "expired"


def gettext_noop(message: str) -> str:
    """Marks a message for translation (makemessages finds it) without importing Django."""
    return message


class Reason(str):
    """An English message that also keeps its template and values, so that the web
    page can show it translated (`template % params` in the reader's language)."""

    template: str
    params: dict

    def __new__(cls, template: str, **params):
        reason = super().__new__(cls, template % params if params else template)
        reason.template, reason.params = template, params
        return reason


class CheckFailed(Exception):
    """The token is not a credential signed by one of the given keys; the message says why."""

    @property
    def reason(self) -> Reason:
        return self.args[0]


@dataclass
class Outcome:
    status: str
    reason: str = ""
    payload: dict = field(default_factory=dict)
    # Status purposes for which no list was available (offline verifier).
    unchecked: list[str] = field(default_factory=list)


def _b64url(text: str) -> bytes:
    if not text or any(c in text for c in "=+/ \n"):
        raise CheckFailed(
            Reason(gettext_noop("The credential is damaged: it is not base64url text."))
        )
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise CheckFailed(
            Reason(gettext_noop("The credential is damaged: it is not base64url text."))
        ) from error


def _json(raw: bytes) -> dict:
    try:
        value = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as error:
        raise CheckFailed(
            Reason(gettext_noop("The credential is damaged: its content is not JSON."))
        ) from error
    if not isinstance(value, dict):
        raise CheckFailed(
            Reason(gettext_noop("The credential is damaged: its content is not a JSON object."))
        )
    return value


def verify_jws(token: str, jwks: dict) -> dict:
    """The payload of a compact JWS signed (EdDSA) by a key of `jwks`, found by its kid."""
    token = (token or "").strip()
    if len(token) > MAX_TOKEN_LENGTH:
        raise CheckFailed(Reason(gettext_noop("This is too large to be a credential.")))
    parts = token.split(".")
    if len(parts) != 3:
        raise CheckFailed(
            Reason(gettext_noop("This is not a signed credential (a JWT of three parts)."))
        )
    header = _json(_b64url(parts[0]))
    if header.get("alg") != ALGORITHM:
        raise CheckFailed(
            Reason(gettext_noop("The credential is not signed with EdDSA (Ed25519)."))
        )
    kid = header.get("kid")
    keys = [key for key in jwks.get("keys", []) if isinstance(key, dict) and key.get("kid") == kid]
    if not kid or len(keys) != 1:
        raise CheckFailed(
            Reason(gettext_noop("The credential was not signed by a key of this administration."))
        )
    key = keys[0]
    if key.get("kty") != "OKP" or key.get("crv") != "Ed25519" or not key.get("x"):
        raise CheckFailed(Reason(gettext_noop("The administration's key is not an Ed25519 key.")))
    try:
        public_key = Ed25519PublicKey.from_public_bytes(_b64url(key["x"]))
        public_key.verify(_b64url(parts[2]), f"{parts[0]}.{parts[1]}".encode("ascii"))
    except (InvalidSignature, ValueError) as error:
        raise CheckFailed(
            Reason(
                gettext_noop(
                    "The signature does not match: the credential was changed after it was signed."
                )
            )
        ) from error
    return _json(_b64url(parts[1]))


def parse_instant(value) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def issuer_of(payload: dict) -> str:
    issuer = payload.get("issuer")
    return str(issuer.get("id", "")) if isinstance(issuer, dict) else str(issuer or "")


def status_entries(payload: dict) -> list[dict]:
    entries = payload.get("credentialStatus") or []
    if isinstance(entries, dict):
        entries = [entries]
    return [entry for entry in entries if isinstance(entry, dict)]


def list_bit(list_payload: dict, index) -> bool:
    """Whether the bit at `index` is set in a status list credential's payload."""
    subject = list_payload.get("credentialSubject") or {}
    try:
        bits = decode_list(subject["encodedList"])
        position = int(index)
    except (KeyError, TypeError, ValueError, OSError, EOFError) as error:
        raise CheckFailed(Reason(gettext_noop("A status list is damaged."))) from error
    if not 0 <= position < len(bits) * 8:
        raise CheckFailed(
            Reason(gettext_noop("The credential's status list position is outside the list."))
        )
    return bit_is_set(bits, position)


def check_credential(
    token: str,
    jwks: dict,
    *,
    now: dt.datetime,
    status_lists: dict[str, dict] | None = None,
) -> Outcome:
    """Check an AEO credential: signature, validFrom/validUntil, then its status bits.

    `status_lists` maps a status list credential's URL to its payload, already verified
    by the caller (`verify_status_list`). Entries whose list is missing are reported in
    `Outcome.unchecked`.
    """
    try:
        payload = verify_jws(token, jwks)
    except CheckFailed as error:
        return Outcome(INVALID, error.reason)
    if "AEOCertificate" not in (payload.get("type") or []):
        return Outcome(
            INVALID, Reason(gettext_noop("This is not an AEO certificate credential.")), payload
        )
    valid_from = parse_instant(payload.get("validFrom"))
    if valid_from is None:
        return Outcome(
            INVALID, Reason(gettext_noop("The credential has no valid start date.")), payload
        )
    if now < valid_from:
        return Outcome(
            INVALID,
            Reason(
                gettext_noop("The credential is not valid before %(date)s."),
                date=payload["validFrom"],
            ),
            payload,
        )
    valid_until = parse_instant(payload.get("validUntil"))
    if payload.get("validUntil") is not None and valid_until is None:
        return Outcome(
            INVALID, Reason(gettext_noop("The credential's end date cannot be read.")), payload
        )
    if valid_until is not None and now >= valid_until:
        return Outcome(
            EXPIRED,
            Reason(gettext_noop("The credential ended on %(date)s."), date=payload["validUntil"]),
            payload,
        )
    status_lists = status_lists or {}
    found = {}
    unchecked = []
    for entry in status_entries(payload):
        purpose = entry.get("statusPurpose")
        list_payload = status_lists.get(entry.get("statusListCredential"))
        if list_payload is None:
            unchecked.append(str(purpose))
            continue
        subject = list_payload.get("credentialSubject") or {}
        if subject.get("statusPurpose") != purpose or issuer_of(list_payload) != issuer_of(payload):
            return Outcome(
                INVALID,
                Reason(gettext_noop("A status list does not match the credential.")),
                payload,
            )
        try:
            found[purpose] = found.get(purpose, False) or list_bit(
                list_payload, entry.get("statusListIndex")
            )
        except CheckFailed as error:
            return Outcome(INVALID, error.reason, payload)
    if found.get("revocation"):
        return Outcome(
            REVOKED,
            Reason(gettext_noop("The administration has revoked this certificate.")),
            payload,
        )
    if found.get("suspension"):
        return Outcome(
            SUSPENDED,
            Reason(gettext_noop("The administration has suspended this certificate.")),
            payload,
        )
    return Outcome(VALID, "", payload, unchecked=unchecked)


def verify_status_list(token: str, jwks: dict, *, now: dt.datetime) -> dict:
    """The payload of a signed status list credential; raises CheckFailed if it is not one."""
    try:
        payload = verify_jws(token, jwks)
    except CheckFailed as error:
        raise CheckFailed(
            Reason(gettext_noop("Status list: %(reason)s"), reason=error.reason)
        ) from error
    if "BitstringStatusListCredential" not in (payload.get("type") or []):
        raise CheckFailed(
            Reason(gettext_noop("Status list: this is not a Bitstring Status List credential."))
        )
    valid_until = parse_instant(payload.get("validUntil"))
    if valid_until is not None and now >= valid_until:
        raise CheckFailed(
            Reason(gettext_noop("Status list: it is out of date; download a newer one."))
        )
    return payload
