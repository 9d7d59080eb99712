"""What a file really is, judged from its content and never from its name.

Pure: no database and no settings. `detect` looks at the bytes (magic numbers,
the inside of ZIP-based office files, valid UTF-8 for text); `identify` also
checks that the extension of the name people gave the file agrees with what the
content is, and that the type is one that may be sent. Problems are raised as
`FileTypeError` with a message written for the person who chose the file.
"""

import codecs
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_HEAD_BYTES = 64
_TEXT_CHUNK = 64 * 1024
# Parts read from inside a ZIP file are tiny in real documents; a larger one is not trusted.
_MAX_ZIP_PART = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    mime: str
    label: Promise  # "a PDF document": used inside sentences
    short: Promise  # "PDF": used in the list of accepted types
    extensions: tuple[str, ...]

    def __str__(self) -> str:
        return self.mime


PDF = FileType("application/pdf", gettext_lazy("a PDF document"), gettext_lazy("PDF"), (".pdf",))
PNG = FileType("image/png", gettext_lazy("a PNG picture"), gettext_lazy("PNG picture"), (".png",))
JPEG = FileType(
    "image/jpeg", gettext_lazy("a JPEG picture"), gettext_lazy("JPEG picture"), (".jpg", ".jpeg")
)
GIF = FileType("image/gif", gettext_lazy("a GIF picture"), gettext_lazy("GIF picture"), (".gif",))
TIFF = FileType(
    "image/tiff", gettext_lazy("a TIFF picture"), gettext_lazy("TIFF picture"), (".tif", ".tiff")
)
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    gettext_lazy("a Word document"),
    format_lazy("{} (.docx)", gettext_lazy("Word")),
    (".docx",),
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    gettext_lazy("an Excel workbook"),
    format_lazy("{} (.xlsx)", gettext_lazy("Excel")),
    (".xlsx",),
)
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    gettext_lazy("a PowerPoint presentation"),
    format_lazy("{} (.pptx)", gettext_lazy("PowerPoint")),
    (".pptx",),
)
ODT = FileType(
    "application/vnd.oasis.opendocument.text",
    gettext_lazy("an OpenDocument text"),
    format_lazy("{} (.odt)", gettext_lazy("OpenDocument text")),
    (".odt",),
)
ODS = FileType(
    "application/vnd.oasis.opendocument.spreadsheet",
    gettext_lazy("an OpenDocument spreadsheet"),
    format_lazy("{} (.ods)", gettext_lazy("OpenDocument spreadsheet")),
    (".ods",),
)
ODP = FileType(
    "application/vnd.oasis.opendocument.presentation",
    gettext_lazy("an OpenDocument presentation"),
    format_lazy("{} (.odp)", gettext_lazy("OpenDocument presentation")),
    (".odp",),
)
TEXT = FileType(
    "text/plain",
    gettext_lazy("plain text"),
    format_lazy("{} (.txt)", gettext_lazy("text")),
    (".txt",),
)
CSV = FileType(
    "text/csv",
    gettext_lazy("a CSV table"),
    format_lazy("{} (.csv)", gettext_lazy("CSV")),
    (".csv",),
)
ZIP = FileType("application/zip", gettext_lazy("a ZIP archive"), gettext_lazy("ZIP"), (".zip",))
OFFICE_MACROS = FileType(
    "application/vnd.ms-office.macroenabled",
    gettext_lazy("an Office file with macros"),
    gettext_lazy("Office file with macros"),
    (".docm", ".xlsm", ".pptm"),
)
OLD_OFFICE = FileType(
    "application/x-ole-storage",
    gettext_lazy("an older Microsoft Office file"),
    gettext_lazy("older Microsoft Office file"),
    (".doc", ".xls", ".ppt"),
)
PROGRAM = FileType(
    "application/x-executable",
    gettext_lazy("a program"),
    gettext_lazy("program"),
    (".exe", ".dll", ".com", ".msi", ".bin"),
)

KNOWN_TYPES = (
    PDF,
    PNG,
    JPEG,
    GIF,
    TIFF,
    DOCX,
    XLSX,
    PPTX,
    ODT,
    ODS,
    ODP,
    TEXT,
    CSV,
    ZIP,
    OFFICE_MACROS,
    OLD_OFFICE,
    PROGRAM,
)
BY_MIME = {file_type.mime: file_type for file_type in KNOWN_TYPES}
# What may be sent as evidence unless the settings say otherwise (EVIDENCE_ALLOWED_TYPES).
DEFAULT_ALLOWED = (
    PDF.mime,
    PNG.mime,
    JPEG.mime,
    DOCX.mime,
    XLSX.mime,
    ODT.mime,
    ODS.mime,
    TEXT.mime,
    CSV.mime,
)

_MAGIC = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLD_OFFICE),
    (b"MZ", PROGRAM),
    (b"\x7fELF", PROGRAM),
    (b"\xca\xfe\xba\xbe", PROGRAM),
    (b"\xcf\xfa\xed\xfe", PROGRAM),
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OOXML_MAIN_PARTS = (
    ("macroenabled", OFFICE_MACROS),
    ("wordprocessingml.document.main+xml", DOCX),
    ("spreadsheetml.sheet.main+xml", XLSX),
    ("presentationml.presentation.main+xml", PPTX),
)
_ODF_TYPES = {ODT.mime: ODT, ODS.mime: ODS, ODP.mime: ODP}
# Control characters that never appear in a text file people write (tab, newlines and
# form feed do).
_NOT_TEXT = frozenset(chr(code) for code in range(32) if chr(code) not in "\t\n\r\f")


class FileTypeError(ValueError):
    """The content is not a type we accept, or its name says it is something else."""

    def __init__(self, message: str, detected: FileType | None = None):
        super().__init__(message)
        self.message = message
        self.detected = detected


def extension(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def detect(stream: BinaryIO) -> FileType | None:
    """The type of the content of `stream` (seekable, read from its start), or None if unknown."""
    stream.seek(0)
    head = stream.read(_HEAD_BYTES)
    try:
        if not head:
            return None
        for magic, file_type in _MAGIC:
            if head.startswith(magic):
                return file_type
        if head.startswith(_ZIP_MAGIC):
            return _zip_based(stream)
        return TEXT if _is_text(stream) else None
    finally:
        stream.seek(0)


def _zip_based(stream: BinaryIO) -> FileType | None:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = {info.filename: info for info in archive.infolist()}
            if "[Content_Types].xml" in parts:
                content_types = _read_part(archive, parts["[Content_Types].xml"]).lower()
                if any(name.lower().endswith("vbaproject.bin") for name in parts):
                    return OFFICE_MACROS
                for marker, file_type in _OOXML_MAIN_PARTS:
                    if marker in content_types:
                        return file_type
                return ZIP
            if "mimetype" in parts:
                mimetype = _read_part(archive, parts["mimetype"]).strip()
                if any(name.lower().startswith("basic/") for name in parts):
                    return OFFICE_MACROS
                return _ODF_TYPES.get(mimetype, ZIP)
            return ZIP
    except Exception:  # damaged, encrypted, unsupported compression: not a file we recognise
        return None


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    if info.file_size > _MAX_ZIP_PART:
        return ""
    with archive.open(info) as part:
        return part.read(_MAX_ZIP_PART).decode("utf-8", errors="replace")


def _is_text(stream: BinaryIO) -> bool:
    """Valid UTF-8 (a byte-order mark allowed) without NUL or other control characters."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    try:
        while chunk := stream.read(_TEXT_CHUNK):
            if not _NOT_TEXT.isdisjoint(decoder.decode(chunk)):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def identify(stream: BinaryIO, name: str, allowed: Collection[str] = DEFAULT_ALLOWED) -> FileType:
    """The type of the content, if it is allowed and the name's extension agrees with it."""
    detected = detect(stream)
    suffix = extension(name)
    if detected is None:
        raise FileTypeError(
            _(
                "We could not recognise what kind of file “%(name)s” is. Send one of these "
                "kinds of file: %(accepted)s."
            )
            % {"name": name, "accepted": accepted_list(allowed)}
        )
    if detected is TEXT and suffix in CSV.extensions:
        detected = CSV
    if detected.mime not in allowed:
        raise FileTypeError(
            _(
                "“%(name)s” is %(type)s, which cannot be sent as evidence. Send one of these "
                "kinds of file: %(accepted)s."
            )
            % {"name": name, "type": detected.label, "accepted": accepted_list(allowed)},
            detected,
        )
    if suffix not in detected.extensions:
        raise FileTypeError(_name_disagrees(name, suffix, detected), detected)
    return detected


def _name_disagrees(name: str, suffix: str, detected: FileType) -> str:
    values = {"name": name, "type": detected.label, "extension": detected.extensions[0]}
    if not suffix:
        return (
            _(
                "The name “%(name)s” has no extension, but its content is %(type)s. Rename it "
                "to end in %(extension)s and send it again."
            )
            % values
        )
    claimed = next((t for t in KNOWN_TYPES if suffix in t.extensions), None)
    if claimed is not None:
        return _(
            "“%(name)s” is named as %(claimed)s, but its content is %(type)s. Check that "
            "you chose the right file, or rename it to end in %(extension)s."
        ) % {**values, "claimed": claimed.label}
    return _(
        "The name “%(name)s” ends in %(suffix)s, which does not match its content, "
        "%(type)s. Rename it to end in %(extension)s and send it again."
    ) % {**values, "suffix": suffix}


def accepted_list(allowed: Collection[str]) -> str:
    return ", ".join(str(BY_MIME[mime].short) for mime in allowed if mime in BY_MIME)


def accept_attribute(allowed: Collection[str]) -> str:
    """The extensions for an <input type="file" accept="...">, a hint for the file chooser."""
    return ",".join(ext for mime in allowed if mime in BY_MIME for ext in BY_MIME[mime].extensions)
