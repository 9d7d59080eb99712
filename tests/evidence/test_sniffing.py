"""The type of a file comes from its content; its name must agree. Pure, no database."""

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openaeo.evidence import sniffing
from tests.scenarios.evidence import (
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    eicar,
    odf_bytes,
    office_bytes,
    zip_bytes,
)

pytestmark = pytest.mark.domain


def detect(data: bytes):
    return sniffing.detect(io.BytesIO(data))


def identify(data: bytes, name: str, allowed=sniffing.DEFAULT_ALLOWED):
    return sniffing.identify(io.BytesIO(data), name, allowed)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF_BYTES, sniffing.PDF),
        (PNG_BYTES, sniffing.PNG),
        (JPEG_BYTES, sniffing.JPEG),
        (b"GIF89a" + bytes(10), sniffing.GIF),
        (b"II*\x00" + bytes(10), sniffing.TIFF),
        (office_bytes("docx"), sniffing.DOCX),
        (office_bytes("xlsx"), sniffing.XLSX),
        (office_bytes("docm"), sniffing.OFFICE_MACROS),
        (odf_bytes("application/vnd.oasis.opendocument.text"), sniffing.ODT),
        (odf_bytes("application/vnd.oasis.opendocument.spreadsheet"), sniffing.ODS),
        (zip_bytes(), sniffing.ZIP),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), sniffing.OLD_OFFICE),
        (b"MZ\x90\x00" + bytes(100), sniffing.PROGRAM),
        (b"date;seal;checked by\n2026-01-05;KE123;Amina\n", sniffing.TEXT),
        ("Ukaguzi wa mihuri — الأختام\n".encode(), sniffing.TEXT),
        (b"\xef\xbb\xbfwith a byte-order mark\r\n", sniffing.TEXT),
        (eicar(), sniffing.TEXT),
    ],
)
def test_the_type_is_read_from_the_content(data, expected):
    assert detect(data) is expected


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"plain text with a \x00 NUL byte",
        b"text with an escape \x1b[31m code",
        "latin-1 caf\xe9".encode("latin-1"),
        b"PK\x03\x04 not really a zip file",
        bytes(range(256)),
    ],
)
def test_unknown_content_is_not_recognised(data):
    assert detect(data) is None


def test_a_damaged_office_file_is_not_recognised():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types>" + "x" * 2000 + "</Types>")
        archive.writestr("word/document.xml", "<document/>")
    data = bytearray(buffer.getvalue())
    data[40:60] = b"\xff" * 20  # inside the compressed [Content_Types].xml
    assert detect(bytes(data)) is None


def test_detection_leaves_the_stream_at_its_start():
    stream = io.BytesIO(office_bytes("docx"))
    sniffing.detect(stream)
    assert stream.tell() == 0


@given(st.binary(max_size=2048))
def test_detection_never_fails_on_any_bytes(data):
    assert detect(data) is None or detect(data) in sniffing.KNOWN_TYPES


@pytest.mark.parametrize(
    ("data", "name", "mime"),
    [
        (PDF_BYTES, "Seal register.PDF", "application/pdf"),
        (JPEG_BYTES, "photo.jpeg", "image/jpeg"),
        (JPEG_BYTES, "photo.jpg", "image/jpeg"),
        (office_bytes("xlsx"), "stock.xlsx", sniffing.XLSX.mime),
        (b"a,b\n1,2\n", "stock.csv", "text/csv"),
        (b"notes\n", "notes.txt", "text/plain"),
    ],
)
def test_an_allowed_file_whose_name_agrees_is_accepted(data, name, mime):
    assert identify(data, name).mime == mime


def test_a_name_that_disagrees_with_the_content_is_refused_naming_both():
    with pytest.raises(sniffing.FileTypeError) as error:
        identify(PNG_BYTES, "audit-report.pdf")
    message = error.value.message
    assert "audit-report.pdf" in message
    assert "a PDF document" in message and "a PNG picture" in message
    assert ".png" in message


def test_text_named_as_a_pdf_is_refused():
    with pytest.raises(sniffing.FileTypeError, match=r"named as a PDF document.*plain text"):
        identify(b"just some words\n", "report.pdf")


def test_a_name_without_extension_is_refused_with_advice():
    with pytest.raises(sniffing.FileTypeError, match=r"has no extension.*\.pdf"):
        identify(PDF_BYTES, "report")


def test_an_unknown_extension_is_refused():
    with pytest.raises(sniffing.FileTypeError, match=r"ends in \.html"):
        identify(b"<html><body>hi</body></html>", "page.html")


@pytest.mark.parametrize(
    ("data", "name", "label"),
    [
        (office_bytes("docm"), "procedures.docm", "an Office file with macros"),
        (zip_bytes(), "everything.zip", "a ZIP archive"),
        (b"MZ\x90\x00" + bytes(100), "setup.exe", "a program"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old.doc", "an older Microsoft"),
        (b"GIF89a" + bytes(10), "logo.gif", "a GIF picture"),
    ],
)
def test_a_type_that_is_not_allowed_is_refused_with_the_list_of_accepted_ones(data, name, label):
    with pytest.raises(sniffing.FileTypeError) as error:
        identify(data, name)
    message = error.value.message
    assert label in message and "cannot be sent as evidence" in message
    assert "PDF" in message and "Word (.docx)" in message


def test_allowed_types_can_be_configured():
    assert identify(b"GIF89a" + bytes(10), "logo.gif", [sniffing.GIF.mime]).mime == "image/gif"
    with pytest.raises(sniffing.FileTypeError):
        identify(PDF_BYTES, "report.pdf", [sniffing.GIF.mime])


def test_unrecognised_content_is_refused():
    with pytest.raises(sniffing.FileTypeError, match="could not recognise"):
        identify(bytes(range(256)), "data.pdf")


def test_the_accept_attribute_lists_the_allowed_extensions():
    assert sniffing.accept_attribute([sniffing.PDF.mime, sniffing.JPEG.mime]) == ".pdf,.jpg,.jpeg"
