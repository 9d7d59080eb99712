"""The feed as a signed, zipped XML file, and reading a partner's XML or zipped XML.

The zip holds three files:

    aeo-operators.xml          the records (namespace urn:openaeo:mra:1)
    aeo-operators.xml.sha256   its SHA-256, as `sha256sum` writes it
    aeo-operators.xml.jws      a detached JWS (RFC 7515, appendix F) over the XML bytes,
                               EdDSA with the administration's newest Ed25519 key; the key
                               is found by `kid` in /.well-known/jwks.json

XML from outside is parsed with defusedxml only.
"""

import base64
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.utils.translation import gettext as _

from openaeo.mra import feed, partner_keys

NAMESPACE = "urn:openaeo:mra:1"
XML_NAME = "aeo-operators.xml"
MAX_XML_BYTES = 200 * 1024 * 1024
MAX_JWS_BYTES = 64 * 1024


def xml_bytes(records: Iterable[dict], *, generated_at: str) -> bytes:
    root = Element("aeo-operators", {"xmlns": NAMESPACE, "generated-at": generated_at})
    for record in records:
        item = SubElement(root, "operator")
        for name in feed.FIELDS:
            value = record.get(name)
            if value not in (None, ""):
                SubElement(item, name).text = str(value)
    return tostring(root, encoding="utf-8", xml_declaration=True)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def detached_jws(payload: bytes, key) -> str:
    """`header..signature`: the payload travels beside the signature, not inside it."""
    header = _b64(json.dumps({"alg": "EdDSA", "kid": key.kid}, separators=(",", ":")).encode())
    signature = key.private_key().sign(f"{header}.{_b64(payload)}".encode())
    return f"{header}..{_b64(signature)}"


def signed_zip(xml: bytes, key) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(XML_NAME, xml)
        archive.writestr(f"{XML_NAME}.sha256", f"{feed.sha256_of(xml)}  {XML_NAME}\n")
        archive.writestr(f"{XML_NAME}.jws", detached_jws(xml, key))
    return buffer.getvalue()


def xml_from_zip(data: bytes) -> bytes:
    """The XML file of a zip in our layout, after checking its SHA-256 (FileRefused if not)."""
    return read_zip(data)[0]


def read_zip(data: bytes) -> tuple[bytes, str | None]:
    """The XML file of a zip in our layout and its detached JWS (None when the zip has none).

    The SHA-256 file, when present, is checked here (FileRefused if it does not match);
    the signature is checked against the partner's keys by `verified_xml_from_zip`.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".xml")]
            if len(names) != 1:
                raise feed.FileRefused(_("The zip file must hold exactly one XML file."))
            info = archive.getinfo(names[0])
            if info.file_size > MAX_XML_BYTES:
                raise feed.FileRefused(_("The XML file in the zip is too large."))
            xml = archive.read(info)
            checksum_name = f"{names[0]}.sha256"
            if checksum_name in archive.namelist():
                expected = archive.read(checksum_name).decode("ascii", "replace").split()[:1]
                if expected != [feed.sha256_of(xml)]:
                    raise feed.FileRefused(
                        _("The XML file does not match the SHA-256 checksum beside it.")
                    )
            signature_name = f"{names[0]}.jws"
            signature = None
            if signature_name in archive.namelist():
                if archive.getinfo(signature_name).file_size > MAX_JWS_BYTES:
                    raise feed.FileRefused(_("The signature file in the zip is too large."))
                signature = archive.read(signature_name).decode("ascii", "replace")
    except (zipfile.BadZipFile, KeyError, EOFError):
        raise feed.FileRefused(_("The file is not a readable zip file.")) from None
    return xml, signature


class SignatureFileRefused(feed.FileRefused):
    """The zip is refused for its signature: missing, unverifiable or wrong."""


def verified_xml_from_zip(data: bytes, partner) -> tuple[bytes, str]:
    """The XML of a partner's zip once its checksum and its signature hold, and the kid
    of the partner's key that verified it.

    A zip is the signed form of the exchange: one without a signature, from a partner
    with no keys recorded, or whose signature does not verify against the partner's keys
    is refused as a whole (FileRefused, with the reason for the import report).
    """
    xml, signature = read_zip(data)
    if signature is None:
        raise SignatureFileRefused(
            _(
                "The zip file holds no signature (%(name)s.jws): a zipped file must be "
                "signed by the partner."
            )
            % {"name": XML_NAME}
        )
    if not partner.key_ids:
        raise SignatureFileRefused(
            _(
                "This file is signed, but no keys are recorded for %(partner)s, so its "
                "signature cannot be checked. Record the partner's keys first (its JWKS, in "
                "the administration site or with manage.py mra keys)."
            )
            % {"partner": partner.name}
        )
    try:
        kid = partner_keys.verify_detached(signature, xml, partner.verification_keys)
    except partner_keys.SignatureRefused as error:
        raise SignatureFileRefused(str(error)) from None
    return xml, kid


def xml_rows(data: bytes) -> Iterator[tuple[str, object]]:
    """(where, record) for each <operator> of the file."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException) as error:
        raise SignatureFileRefused(
            _("The file is not valid XML: %(error)s") % {"error": error}
        ) from None

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    if local(root.tag) != "aeo-operators":
        raise SignatureFileRefused(_("The XML file's root element must be aeo-operators."))
    for number, item in enumerate(root, start=1):
        where = _("record %(number)d") % {"number": number}
        if local(item.tag) != "operator":
            yield where, None
            continue
        yield where, {local(child.tag): (child.text or "") for child in item}
