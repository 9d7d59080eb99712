"""Virus scanning: a small interface, and clamd spoken to directly over a socket.

`Scanner.scan(stream)` answers with a `ScanResult`, or raises `ScanUnavailable`
when no verdict could be had (clamd not configured, not running, too slow), or
`ScanError` when clamd looked at the content and could not scan it (for
example, larger than its StreamMaxLength). Uploads keep a file quarantined while
the scanner is unavailable and a periodic job tries again; see services.py.

ClamdScanner implements clamd's INSTREAM command itself (clamd(8)): the command
"zINSTREAM\\0", then chunks each preceded by its length as a 4-byte big-endian
number, then a zero length; clamd answers "stream: OK", "stream: <name> FOUND"
or "<reason> ERROR", terminated by a NUL byte because of the "z" prefix.
"""

import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_CLAMD_PORT = 3310
DEFAULT_TIMEOUT_SECONDS = 60.0
CHUNK_BYTES = 64 * 1024
_MAX_REPLY_BYTES = 4096


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str | None = None


class ScanUnavailable(Exception):
    """No verdict: the scanner could not be reached or did not answer in time."""


class ScanError(Exception):
    """The scanner read the content but reports that it cannot scan it."""


class Scanner(Protocol):
    def scan(self, stream: BinaryIO) -> ScanResult: ...


class ClamdScanner:
    """clamd over a UNIX socket (`socket_path`) or TCP (`host` and `port`)."""

    def __init__(
        self,
        *,
        socket_path: str | None = None,
        host: str | None = None,
        port: int = DEFAULT_CLAMD_PORT,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        chunk_bytes: int = CHUNK_BYTES,
    ):
        if not socket_path and not host:
            raise ValueError("ClamdScanner needs a socket path or a host")
        self.socket_path = socket_path
        self.host = host
        self.port = port
        self.timeout = timeout
        self.chunk_bytes = chunk_bytes

    def __repr__(self) -> str:
        where = self.socket_path or f"{self.host}:{self.port}"
        return f"ClamdScanner({where})"

    @property
    def address(self) -> str:
        return self.socket_path or f"{self.host}:{self.port}"

    def _connect(self) -> socket.socket:
        try:
            if self.socket_path:
                connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                connection.settimeout(self.timeout)
                try:
                    connection.connect(self.socket_path)
                except BaseException:
                    connection.close()
                    raise
                return connection
            return socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as error:
            raise ScanUnavailable(f"cannot connect to clamd at {self.address}: {error}") from error

    def _command(self, command: bytes) -> str:
        with self._connect() as connection:
            try:
                connection.sendall(b"z" + command + b"\0")
                return _read_reply(connection)
            except OSError as error:
                raise ScanUnavailable(f"clamd at {self.address} failed: {error}") from error

    def ping(self) -> bool:
        """True when clamd answers PING; never raises."""
        try:
            return self._command(b"PING") == "PONG"
        except ScanUnavailable:
            return False

    def version(self) -> str:
        return self._command(b"VERSION")

    def scan(self, stream: BinaryIO) -> ScanResult:
        with self._connect() as connection:
            try:
                connection.sendall(b"zINSTREAM\0")
                while chunk := stream.read(self.chunk_bytes):
                    connection.sendall(struct.pack("!I", len(chunk)) + chunk)
                connection.sendall(struct.pack("!I", 0))
            except OSError as error:
                # clamd stops reading and answers when the stream exceeds its limit:
                # its reason is more useful than the broken pipe.
                reply = _reply_after_failed_send(connection)
                if reply is None:
                    raise ScanUnavailable(
                        f"clamd at {self.address} failed while receiving: {error}"
                    ) from error
                return parse_reply(reply)
            try:
                reply = _read_reply(connection)
            except OSError as error:
                raise ScanUnavailable(f"clamd at {self.address} did not answer: {error}") from error
        return parse_reply(reply)


def _read_reply(connection: socket.socket) -> str:
    reply = b""
    while not reply.endswith(b"\0"):
        data = connection.recv(_MAX_REPLY_BYTES)
        if not data:
            break
        reply += data
        if len(reply) > _MAX_REPLY_BYTES:
            raise ScanUnavailable("clamd's answer is longer than any it should give")
    if not reply:
        raise ScanUnavailable("clamd closed the connection without an answer")
    return reply.rstrip(b"\0").decode("utf-8", errors="replace").strip()


def _reply_after_failed_send(connection: socket.socket) -> str | None:
    try:
        connection.settimeout(5)
        return _read_reply(connection)
    except (OSError, ScanUnavailable):
        return None


def parse_reply(reply: str) -> ScanResult:
    """clamd's answer to INSTREAM as a result; ScanError or ScanUnavailable otherwise."""
    body = reply.removeprefix("stream:").strip()
    if body == "OK":
        return ScanResult(clean=True)
    if body.endswith(" FOUND"):
        signature = body.removesuffix(" FOUND").strip()
        return ScanResult(clean=False, signature=signature or "unknown")
    if body.endswith("ERROR"):
        raise ScanError(body.removesuffix("ERROR").strip() or "clamd reported an error")
    raise ScanUnavailable(f"unexpected answer from clamd: {reply[:200]!r}")


class UnconfiguredScanner:
    """Used when no scanner is configured: every file waits in quarantine."""

    def scan(self, stream: BinaryIO) -> ScanResult:
        raise ScanUnavailable(
            "no virus scanner is configured (set CLAMD_SOCKET, or CLAMD_HOST and CLAMD_PORT)"
        )


def clamd_from_settings() -> ClamdScanner | None:
    timeout = float(getattr(settings, "CLAMD_TIMEOUT", DEFAULT_TIMEOUT_SECONDS))
    socket_path = getattr(settings, "CLAMD_SOCKET", "") or ""
    host = getattr(settings, "CLAMD_HOST", "") or ""
    if socket_path:
        return ClamdScanner(socket_path=socket_path, timeout=timeout)
    if host:
        port = int(getattr(settings, "CLAMD_PORT", DEFAULT_CLAMD_PORT) or DEFAULT_CLAMD_PORT)
        return ClamdScanner(host=host, port=port, timeout=timeout)
    return None


def get_scanner() -> Scanner:
    """The configured scanner: EVIDENCE_SCANNER (a dotted path to a factory) or clamd."""
    factory_path = getattr(settings, "EVIDENCE_SCANNER", "") or ""
    if factory_path:
        factory: Callable[[], Scanner] = import_string(factory_path)
        return factory()
    return clamd_from_settings() or UnconfiguredScanner()
