"""An independent verifier: plain `cryptography` and the JWKS JSON, no JOSE library.

It checks what a partner's own software would: the compact JWS's three parts, the
header (EdDSA, vc+jwt, a kid found in the JWKS), and the Ed25519 signature over
`base64url(header) "." base64url(payload)`.
"""

import base64
import gzip
import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class Invalid(Exception):
    pass


def b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify(token: str, jwks: dict) -> tuple[dict, dict]:
    """(header, payload) of a valid token; raises Invalid (or InvalidSignature) otherwise."""
    parts = token.split(".")
    if len(parts) != 3:
        raise Invalid("not a compact JWS")
    header = json.loads(b64url(parts[0]))
    if header.get("alg") != "EdDSA" or header.get("typ") != "vc+jwt":
        raise Invalid(f"unexpected header {header}")
    keys = [key for key in jwks["keys"] if key.get("kid") == header.get("kid")]
    if len(keys) != 1:
        raise Invalid(f"no key {header.get('kid')} in the JWKS")
    key = keys[0]
    if key["kty"] != "OKP" or key["crv"] != "Ed25519":
        raise Invalid("not an Ed25519 key")
    public_key = Ed25519PublicKey.from_public_bytes(b64url(key["x"]))
    public_key.verify(b64url(parts[2]), f"{parts[0]}.{parts[1]}".encode("ascii"))
    return header, json.loads(b64url(parts[1]))


def status_bits(status_list_payload: dict) -> bytes:
    encoded = status_list_payload["credentialSubject"]["encodedList"]
    if encoded.startswith("u"):  # multibase base64url
        encoded = encoded[1:]
    return gzip.decompress(b64url(encoded))


def bit(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] >> (7 - index % 8) & 1)
