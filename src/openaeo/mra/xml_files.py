"""The feed as a signed, zipped XML file, and reading a partner's XML or zipped XML.

The zip holds three files, in this order:

    aeo-operators.xml          the records (namespace urn:openaeo:mra:1)
    aeo-operators.xml.sha256   its SHA-256, as `sha256sum` writes it
    aeo-operators.xml.jws      a detached JWS (RFC 7515, appendix F), EdDSA with the
                               administration's newest Ed25519 key (found by `kid` in
                               /.well-known/jwks.json), over the bytes of the .sha256 file:
                               its protected header says so with "detached": the file's name.

The signature covers the checksum file rather than the XML because the XML is written as it
streams: Ed25519 must see the whole message twice and so cannot sign a file that is never
held. The SHA-256 binds the XML as tightly. Files made before (a JWS over the XML bytes
itself, no "detached" in the header) stay readable: `signed_payload` says which bytes a JWS
signs.

The zip is written while it is sent (`signed_zip_chunks`): entries carry a data descriptor
(general purpose flag bit 3) since their sizes are known only at their end, and the
checksum and the signature follow the XML. Memory stays the same whatever the number of
records.

XML from outside is parsed with defusedxml only.
"""

import base64
import hashlib
import io
import json
import time
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.utils.translation import gettext as _

from openaeo.mra import feed

NAMESPACE = "urn:openaeo:mra:1"
XML_NAME = "aeo-operators.xml"
CHECKSUM_NAME = f"{XML_NAME}.sha256"
SIGNATURE_NAME = f"{XML_NAME}.jws"
MAX_XML_BYTES = 200 * 1024 * 1024
# Records written per chunk of the XML: large enough that a streamed response does not
# make a write per record, small enough to keep memory in the tens of kilobytes.
RECORDS_PER_CHUNK = 200


# --------------------------------------------------------------------------- writing


def _attribute(value: str) -> str:
    return escape(value, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#09;"})


def _operator(record: dict) -> str:
    parts = ["<operator>"]
    for name in feed.FIELDS:
        value = record.get(name)
        if value not in (None, ""):
            parts.append(f"<{name}>{escape(str(value))}</{name}>")
    parts.append("</operator>")
    return "".join(parts)


def xml_chunks(records: Iterable[dict], *, generated_at: str) -> Iterator[bytes]:
    """The XML file, written as it goes: a few kilobytes at a time, never held whole.

    Byte for byte what ElementTree writes for the same records (its declaration, its
    escaping, an empty root closed on itself), so files are the same as before streaming.
    """
    records = iter(records)
    first = next(records, None)
    declaration = "<?xml version='1.0' encoding='utf-8'?>\n"
    root = f'aeo-operators xmlns="{NAMESPACE}" generated-at="{_attribute(generated_at)}"'
    if first is None:
        yield f"{declaration}<{root} />".encode()
        return
    parts = [f"{declaration}<{root}>", _operator(first)]
    for record in records:
        parts.append(_operator(record))
        if len(parts) >= RECORDS_PER_CHUNK:
            yield "".join(parts).encode()
            parts = []
    parts.append("</aeo-operators>")
    yield "".join(parts).encode()


def xml_bytes(records: Iterable[dict], *, generated_at: str) -> bytes:
    """The whole XML file at once (small feeds and tests; large ones use xml_chunks)."""
    return b"".join(xml_chunks(records, generated_at=generated_at))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def detached_jws(payload: bytes, key, *, detached: str | None = None) -> str:
    """`header..signature`: the payload travels beside the signature, not inside it.

    `detached` names the file of the zip whose bytes are the payload; it goes in the
    protected header so that a reader knows what to check the signature against.
    """
    header = {"alg": "EdDSA", "kid": key.kid}
    if detached:
        header["detached"] = detached
    header_b64 = _b64(json.dumps(header, separators=(",", ":")).encode())
    signature = key.private_key().sign(f"{header_b64}.{_b64(payload)}".encode())
    return f"{header_b64}..{_b64(signature)}"


def checksum_file(digest_hex: str) -> bytes:
    return f"{digest_hex}  {XML_NAME}\n".encode()


class _Drain:
    """A write-only file that zipfile cannot seek in: it keeps what was written until taken.

    Without seek, zipfile writes each entry's sizes and CRC in a data descriptor after its
    data, so nothing written has to be changed later and every byte can be sent at once.
    """

    def __init__(self):
        self._parts: list[bytes] = []
        self._position = 0

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def signed_zip_chunks(records: Iterable[dict], key, *, generated_at: str) -> Iterator[bytes]:
    """The signed zip of the feed, written while it is read: bytes as they are ready.

    The SHA-256 is computed over the XML as it is written; the checksum and the detached
    signature over it are the last entries, then the central directory.
    """
    drain = _Drain()
    digest = hashlib.sha256()
    with zipfile.ZipFile(drain, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # A ZipInfo of our own: opened by name, the entry would be dated 1980.
        info = zipfile.ZipInfo(XML_NAME, date_time=time.localtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        with archive.open(info, "w") as entry:
            for chunk in xml_chunks(records, generated_at=generated_at):
                digest.update(chunk)
                entry.write(chunk)
                if data := drain.take():
                    yield data
        checksum = checksum_file(digest.hexdigest())
        archive.writestr(CHECKSUM_NAME, checksum)
        archive.writestr(SIGNATURE_NAME, detached_jws(checksum, key, detached=CHECKSUM_NAME))
    yield drain.take()


def signed_zip(xml: bytes, key) -> bytes:
    """A signed zip of XML already in memory (same layout as signed_zip_chunks)."""
    drain = _Drain()
    with zipfile.ZipFile(drain, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(XML_NAME, xml)
        checksum = checksum_file(feed.sha256_of(xml))
        archive.writestr(CHECKSUM_NAME, checksum)
        archive.writestr(SIGNATURE_NAME, detached_jws(checksum, key, detached=CHECKSUM_NAME))
    return drain.take()


def signed_payload(jws: str, *, xml: bytes, checksum: bytes | None) -> bytes:
    """The bytes a detached JWS of one of our zips signs: the checksum file when its header
    names it ("detached"), else the XML itself (files made before the feed was streamed,
    and partners who sign the XML). An undecodable header gives the XML: the check fails.
    """
    try:
        header_b64 = jws.strip().split(".", 1)[0]
        header = json.loads(base64.urlsafe_b64decode(header_b64 + "=" * (-len(header_b64) % 4)))
    except (ValueError, UnicodeDecodeError):
        return xml
    if isinstance(header, dict) and header.get("detached") == CHECKSUM_NAME:
        return checksum if checksum is not None else b""
    return xml


# --------------------------------------------------------------------------- reading


def xml_from_zip(data: bytes) -> bytes:
    """The XML file of a zip in our layout, after checking its SHA-256 (FileRefused if not)."""
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
    except (zipfile.BadZipFile, KeyError, EOFError):
        raise feed.FileRefused(_("The file is not a readable zip file.")) from None
    return xml


def xml_rows(data: bytes) -> Iterator[tuple[str, object]]:
    """(where, record) for each <operator> of the file."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException) as error:
        raise feed.FileRefused(
            _("The file is not valid XML: %(error)s") % {"error": error}
        ) from None

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    if local(root.tag) != "aeo-operators":
        raise feed.FileRefused(_("The XML file's root element must be aeo-operators."))
    for number, item in enumerate(root, start=1):
        where = _("record %(number)d") % {"number": number}
        if local(item.tag) != "operator":
            yield where, None
            continue
        yield where, {local(child.tag): (child.text or "") for child in item}
