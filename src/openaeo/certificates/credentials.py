"""The certificate as a W3C Verifiable Credential (Data Model 2.0) secured as a JWT.

* The credential is the JWT's payload as it stands (VC-JOSE-COSE): header
  `{"alg": "EdDSA", "typ": "vc+jwt", "kid": ...}`, signed with the administration's
  newest Ed25519 key (openaeo.common.signing_keys).
* `/.well-known/jwks.json` lists the public key of every key, retired ones included,
  so what an older key signed keeps verifying after `manage.py keys rotate`.
* Each credential points, through two BitstringStatusListEntry objects, at the
  revocation list and the suspension list holding its bit (bitstring.py).

Credentials are signed when asked for, never stored: Ed25519 is deterministic, so the
same certificate signed with the same key gives the same JWT.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from joserfc import jws
from joserfc.jwk import OKPKey
from joserfc.jws import JWSRegistry

from openaeo.certificates.bitstring import encode_list
from openaeo.common.signing_keys import SigningKey, list_keys

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
ALGORITHM = "EdDSA"
CREDENTIAL_TYPE = "vc+jwt"
MEDIA_TYPE = "application/vc+jwt"


class NoSigningKey(ImproperlyConfigured):
    pass


class _Registry(JWSRegistry):
    """RFC 9864 deprecates "EdDSA" for the fully specified "Ed25519", and joserfc warns on
    every use. Verifiers in the field expect EdDSA today, so we sign with it, knowingly."""

    def get_alg(self, name: str):
        if name == ALGORITHM:
            return self.algorithms[name]
        return super().get_alg(name)


REGISTRY = _Registry(algorithms=[ALGORITHM])


# --------------------------------------------------------------------------- keys


def signing_key() -> SigningKey:
    """The newest key: it signs everything from now on."""
    keys = list_keys(settings.OPENAEO_KEYS_DIR)
    if not keys:
        raise NoSigningKey(
            f"There is no signing key in {settings.OPENAEO_KEYS_DIR}: run `manage.py keys init`."
        )
    return keys[-1]


def public_jwk(key: SigningKey) -> dict:
    jwk = OKPKey.import_key(key.public_key()).as_dict(private=False)
    return {**jwk, "kid": key.kid, "use": "sig", "alg": ALGORITHM}


def jwks() -> dict:
    """Every key's public half, newest first (retired keys stay so old signatures verify)."""
    return {"keys": [public_jwk(key) for key in reversed(list_keys(settings.OPENAEO_KEYS_DIR))]}


def sign(payload: dict, *, key: SigningKey | None = None) -> str:
    import json

    key = key or signing_key()
    header = {"alg": ALGORITHM, "typ": CREDENTIAL_TYPE, "kid": key.kid}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    private = OKPKey.import_key(key.private_key(), {"kid": key.kid})
    return jws.serialize_compact(header, body, private, registry=REGISTRY)


# --------------------------------------------------------------------------- addresses


def issuer_id() -> str:
    """The administration as issuer: OPENAEO_ISSUER (a DID or HTTPS URL), else SITE_URL."""
    return (getattr(settings, "OPENAEO_ISSUER", "") or settings.SITE_URL).rstrip("/")


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def status_list_url(number: int, purpose: str) -> str:
    return absolute(
        reverse("certificates:status_list", kwargs={"number": number, "purpose": purpose})
    )


def _instant(day: dt.date) -> str:
    """Midnight at the start of `day` in the administration's time zone, as UTC."""
    local = dt.datetime.combine(day, dt.time.min, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return local.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _issuer(programme) -> dict:
    return {"id": issuer_id(), "name": programme.config["administration"]["en"]}


# --------------------------------------------------------------------------- certificates


def status_entries(certificate) -> list[dict]:
    entries = []
    for purpose in ("revocation", "suspension"):
        url = status_list_url(certificate.status_list, purpose)
        entries.append(
            {
                "id": f"{url}#{certificate.status_index}",
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": str(certificate.status_index),
                "statusListCredential": url,
            }
        )
    return entries


def certificate_credential(certificate) -> dict:
    """The unsigned credential of `certificate`, as it was granted."""
    credential = {
        "@context": [VC_CONTEXT],
        "id": f"urn:uuid:{certificate.uuid}",
        "type": ["VerifiableCredential", "AEOCertificate"],
        "name": "Authorised Economic Operator (AEO) certificate",
        "issuer": _issuer(certificate.programme),
        "validFrom": _instant(certificate.effective_on),
        "credentialSubject": {
            "type": "AuthorisedEconomicOperator",
            "name": certificate.holder_name,
            "identifier": certificate.identifier,
            "country": certificate.country,
            "aeoNumber": certificate.aeo_number,
            "programme": certificate.programme.urn,
            "tier": {"code": certificate.tier_code, "name": certificate.tier_label("en")},
            "scope": certificate.scope,
        },
        "credentialStatus": status_entries(certificate),
    }
    if certificate.expires_on is not None:
        # Valid through the whole expiry day.
        credential["validUntil"] = _instant(certificate.expires_on + dt.timedelta(days=1))
    return credential


def certificate_jwt(certificate, *, key: SigningKey | None = None) -> str:
    return sign(certificate_credential(certificate), key=key)


# --------------------------------------------------------------------------- status lists


def status_list_credential(number: int, purpose: str, size: int, set_indexes, *, at: dt.datetime):
    url = status_list_url(number, purpose)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": issuer_id()},
        "validFrom": at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_list(size, set_indexes),
        },
    }
