"""The administration's Ed25519 signing keys, kept as PEM files outside the repository.

Development keys are created by `make run` (`manage.py keys init`); production
keys live in OPENAEO_KEYS_DIR, mounted from a secret store (docs/operations.md).
The newest key signs; older keys are kept so that what they signed still verifies.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


@dataclass(frozen=True)
class SigningKey:
    kid: str
    created: str
    path: Path

    def private_key(self) -> Ed25519PrivateKey:
        key = serialization.load_pem_private_key(self.path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{self.path} does not hold an Ed25519 key")
        return key

    def public_key(self) -> Ed25519PublicKey:
        return self.private_key().public_key()


def _key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def list_keys(keys_dir: Path) -> list[SigningKey]:
    """All keys, oldest first (file names start with their creation time)."""
    keys = []
    for path in sorted(keys_dir.glob("ed25519-*.pem")):
        _, created, kid = path.stem.split("-", 2)
        keys.append(SigningKey(kid=kid, created=created, path=path))
    return keys


def create_key(keys_dir: Path, *, now: dt.datetime) -> SigningKey:
    keys_dir.mkdir(parents=True, exist_ok=True)
    keys_dir.chmod(0o700)
    private_key = Ed25519PrivateKey.generate()
    kid = _key_id(private_key.public_key())
    created = now.strftime("%Y%m%dT%H%M%SZ")
    path = keys_dir / f"ed25519-{created}-{kid}.pem"
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.write_bytes(pem)
    path.chmod(0o600)
    return SigningKey(kid=kid, created=created, path=path)


def ensure_key(keys_dir: Path, *, now: dt.datetime) -> tuple[SigningKey, bool]:
    """The current signing key, creating the first one if there is none."""
    existing = list_keys(keys_dir)
    if existing:
        return existing[-1], False
    return create_key(keys_dir, now=now), True
