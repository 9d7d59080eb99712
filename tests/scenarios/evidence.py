"""Evidence files in tests: sample files, scanners that answer as told, a real clamd, and a
media folder of each test's own.

The EICAR test file is assembled from two halves here, so that the repository never
holds it whole (a virus scanner on a developer's machine would quarantine the file).

`media_root` is not autouse here: the conftests of the folders whose tests store files
(evidence, assessments, operators, monitoring) make it so.
"""

import io
import os
import zipfile
from pathlib import Path

import pytest

from openaeo.evidence import scanning


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


_EICAR_HALVES = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR", "-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")


def eicar() -> bytes:
    """The 68-byte EICAR anti-virus test file: harmless, and detected by every scanner."""
    return "".join(_EICAR_HALVES).encode("ascii")


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20) + b"\xff\xd9"

_OOXML_MAIN = {
    "docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "xlsx": (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    "docm": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
}


def office_bytes(kind: str) -> bytes:
    """A minimal Office Open XML package (docx, xlsx, or docm with a macro part)."""
    part, content_type = _OOXML_MAIN[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="/{part}" ContentType="{content_type}"/></Types>',
        )
        archive.writestr(part, "<document/>")
        if kind == "docm":
            archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")
    return buffer.getvalue()


def odf_bytes(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


class FakeScanner:
    """Answers every scan as told: clean, a signature, or an exception to raise."""

    def __init__(self, *, signature: str | None = None, raises: Exception | None = None):
        self.signature = signature
        self.raises = raises
        self.scanned: list[bytes] = []

    def scan(self, stream):
        data = b""
        while chunk := stream.read(8192):
            data += chunk
        self.scanned.append(data)
        if self.raises is not None:
            raise self.raises
        return scanning.ScanResult(clean=self.signature is None, signature=self.signature)


@pytest.fixture
def use_scanner(monkeypatch):
    """`use_scanner(scanner)` makes the services use `scanner` until the test ends."""

    def install(scanner):
        monkeypatch.setattr(scanning, "get_scanner", lambda: scanner)
        return scanner

    return install


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """Each test stores files in its own folder, so that "nothing was stored" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    return settings.MEDIA_ROOT


def stored_files(media_root: Path) -> list[Path]:
    return sorted(path for path in Path(media_root).rglob("*") if path.is_file())


@pytest.fixture(scope="session")
def clamd_scanner() -> scanning.ClamdScanner:
    """A real clamd, from CLAMD_SOCKET (or CLAMD_HOST and CLAMD_PORT).

    Skipped on a workstation without one; in CI (CI=true) a missing clamd fails the
    test, because .ci/run starts one and a silent skip would hide a broken set-up.
    """
    socket_path = os.environ.get("CLAMD_SOCKET", "").strip()
    host = os.environ.get("CLAMD_HOST", "").strip()
    port = int(os.environ.get("CLAMD_PORT", "") or scanning.DEFAULT_CLAMD_PORT)
    if not socket_path and not host:
        problem = "CLAMD_SOCKET (or CLAMD_HOST) is not set"
    else:
        scanner = scanning.ClamdScanner(socket_path=socket_path or None, host=host, port=port)
        if scanner.ping():
            return scanner
        problem = f"clamd does not answer PING at {scanner.address}"
    advice = "; .ci/run starts a clamd with a test signature database and sets CLAMD_SOCKET"
    if in_ci():
        pytest.fail(f"A real clamd is required when CI=true: {problem}{advice}")
    pytest.skip(f"No clamd to test against: {problem}{advice}")


@pytest.fixture
def use_clamd(clamd_scanner, settings):
    """The services use the real clamd through the settings, as in production."""
    settings.EVIDENCE_SCANNER = ""
    if clamd_scanner.socket_path:
        settings.CLAMD_SOCKET = clamd_scanner.socket_path
    else:
        settings.CLAMD_SOCKET = ""
        settings.CLAMD_HOST, settings.CLAMD_PORT = clamd_scanner.host, clamd_scanner.port
    return clamd_scanner
