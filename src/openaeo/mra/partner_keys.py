"""A partner administration's public keys (a JWKS) and checking its signature on a file.

Pure: no database. The keys are recorded as the administrator pastes or uploads them
(a JWKS document, such as the partner's /.well-known/jwks.json), after `parse_jwks`
has kept only what a signature check needs. Only Ed25519 keys (kty OKP, crv Ed25519)
are accepted: they are what we sign with and what the exchange format names.

A signed zip carries a detached JWS (RFC 7515, appendix F): `header..signature`, where
the signature is over `header.BASE64URL(payload)`, the payload being the zip's checksum
file or its XML (xml_files.signed_payload says which), alg EdDSA (or its fully specified
name Ed25519), and the header names the key by `kid`.
"""

import base64
import binascii
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils.translation import gettext as _

ALGORITHMS = frozenset({"EdDSA", "Ed25519"})
MAX_KEYS = 20
MAX_JWKS_BYTES = 64 * 1024


class KeysRefused(ValueError):
    """The JWKS cannot be recorded; the message says why."""


class SignatureRefused(ValueError):
    """The file's signature does not hold; the message says why."""


def _b64url(text: str) -> bytes:
    if not isinstance(text, str) or not text or "=" in text:
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not base64url") from None


def _b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def parse_jwks(text: str | bytes) -> dict:
    """The JWKS as we record it: {"keys": [{"kty", "crv", "x", "kid"}, ...]}.

    Raises KeysRefused naming the first problem: not JSON, no keys, a private key, a key
    of another type, a public value that is not 32 bytes, a missing or repeated kid.
    """
    if isinstance(text, bytes):
        if len(text) > MAX_JWKS_BYTES:
            raise KeysRefused(_("The key set is larger than 64 KB."))
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise KeysRefused(_("The key set is not UTF-8 text.")) from None
    if len(text) > MAX_JWKS_BYTES:
        raise KeysRefused(_("The key set is larger than 64 KB."))
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise KeysRefused(
            _("The key set is not valid JSON: %(error)s") % {"error": error}
        ) from None
    if isinstance(document, dict) and "kty" in document:
        document = {"keys": [document]}  # a single JWK is accepted as a set of one
    keys = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(keys, list) or not keys:
        raise KeysRefused(_('The key set must be a JWKS: an object with a list of "keys".'))
    if len(keys) > MAX_KEYS:
        raise KeysRefused(_("The key set holds more than %(count)d keys.") % {"count": MAX_KEYS})
    kept, kids = [], set()
    for number, key in enumerate(keys, start=1):
        where = _("Key %(number)d") % {"number": number}
        if not isinstance(key, dict):
            raise KeysRefused(_("%(where)s is not a JSON object.") % {"where": where})
        if "d" in key:
            raise KeysRefused(
                _(
                    "%(where)s is a private key. Record only the partner's public keys, and "
                    "tell the partner its private key has been disclosed."
                )
                % {"where": where}
            )
        if key.get("kty") != "OKP" or key.get("crv") != "Ed25519":
            raise KeysRefused(
                _(
                    "%(where)s is of type %(kty)s %(crv)s; only Ed25519 keys "
                    "(kty OKP, crv Ed25519) are accepted."
                )
                % {"where": where, "kty": key.get("kty", "?"), "crv": key.get("crv", "")}
            )
        if key.get("alg") not in (None, *ALGORITHMS):
            raise KeysRefused(
                _("%(where)s is for the algorithm %(alg)s; only EdDSA is accepted.")
                % {"where": where, "alg": key.get("alg")}
            )
        if key.get("use") not in (None, "sig"):
            raise KeysRefused(_("%(where)s is not a signing key.") % {"where": where})
        try:
            public = _b64url(key.get("x"))
        except ValueError:
            public = b""
        if len(public) != 32:
            raise KeysRefused(
                _("%(where)s: x must be the 32-byte public key, base64url-encoded.")
                % {"where": where}
            )
        kid = key.get("kid")
        if not isinstance(kid, str) or not kid.strip() or len(kid) > 200:
            raise KeysRefused(
                _("%(where)s has no key id (kid): the signatures name their key by it.")
                % {"where": where}
            )
        if kid in kids:
            raise KeysRefused(
                _("Two keys have the key id %(kid)s.") % {"kid": kid},
            )
        kids.add(kid)
        kept.append({"kty": "OKP", "crv": "Ed25519", "x": key["x"], "kid": kid})
    return {"keys": kept}


def key_ids(jwks: dict | None) -> list[str]:
    return [key["kid"] for key in (jwks or {}).get("keys", [])]


def verify_detached(jws: str, payload: bytes, jwks: dict) -> str:
    """Check a detached JWS over `payload` against the recorded keys; the kid that signed.

    Raises SignatureRefused with a message meant for the import report.
    """
    parts = jws.strip().split(".")
    if len(parts) != 3 or parts[1] != "" or not parts[0] or not parts[2]:
        raise SignatureRefused(_("The signature file is not a detached JWS (header..signature)."))
    header_b64, _empty, signature_b64 = parts
    try:
        header = json.loads(_b64url(header_b64))
        signature = _b64url(signature_b64)
    except (ValueError, UnicodeDecodeError):
        raise SignatureRefused(_("The signature file cannot be decoded.")) from None
    if not isinstance(header, dict):
        raise SignatureRefused(_("The signature file cannot be decoded."))
    if header.get("alg") not in ALGORITHMS:
        raise SignatureRefused(
            _("The file is signed with %(alg)s; only EdDSA (Ed25519) is accepted.")
            % {"alg": header.get("alg")}
        )
    if header.get("b64") is False or header.get("crit"):
        raise SignatureRefused(_("The signature uses JWS options we do not support (crit, b64)."))
    kid = header.get("kid")
    keys = (jwks or {}).get("keys", [])
    candidates = [key for key in keys if key["kid"] == kid] if kid else keys
    if not candidates:
        raise SignatureRefused(
            _(
                "The file is signed with the key %(kid)s, which is not among the partner's "
                "recorded keys (%(known)s). If the partner has a new key, record its key "
                "set again."
            )
            % {"kid": kid, "known": ", ".join(key_ids(jwks))}
        )
    signing_input = f"{header_b64}.{_b64url_encode(payload)}".encode()
    for key in candidates:
        try:
            Ed25519PublicKey.from_public_bytes(_b64url(key["x"])).verify(signature, signing_input)
        except (InvalidSignature, ValueError):
            continue
        return key["kid"]
    raise SignatureRefused(
        _(
            "The signature does not match the file it signs: the file was changed after it "
            "was signed, or signed with another key than %(kid)s."
        )
        % {"kid": kid or ", ".join(key_ids(jwks))}
    )
