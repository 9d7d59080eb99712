"""The clamd client: its INSTREAM framing against a stand-in server, and a real clamd.

The real-clamd tests are skipped on a workstation without CLAMD_SOCKET and fail in CI
(CI=true) when clamd does not answer; .ci/run starts one with a test signature only.
"""

import io
import socket
import struct
import tempfile
import threading
from pathlib import Path

import pytest

from openaeo.evidence import scanning
from tests.scenarios.evidence import PDF_BYTES, eicar


@pytest.mark.domain
@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("stream: OK", scanning.ScanResult(clean=True)),
        (
            "stream: Eicar-Test-Signature FOUND",
            scanning.ScanResult(clean=False, signature="Eicar-Test-Signature"),
        ),
        (
            "stream: Win.Test.EICAR_HDB-1 FOUND",
            scanning.ScanResult(clean=False, signature="Win.Test.EICAR_HDB-1"),
        ),
    ],
)
def test_clamd_answers_are_understood(reply, expected):
    assert scanning.parse_reply(reply) == expected


@pytest.mark.domain
def test_a_clamd_error_is_a_scan_error():
    with pytest.raises(scanning.ScanError, match="INSTREAM size limit exceeded"):
        scanning.parse_reply("INSTREAM size limit exceeded. ERROR")


@pytest.mark.domain
def test_an_answer_clamd_never_gives_means_no_verdict():
    with pytest.raises(scanning.ScanUnavailable):
        scanning.parse_reply("UNKNOWN COMMAND")


class StandInClamd:
    """A one-connection-at-a-time server speaking just enough of clamd's protocol."""

    def __init__(self, answer: bytes):
        self.answer = answer
        self.commands: list[bytes] = []
        self.received: list[bytes] = []
        self.folder = tempfile.mkdtemp(prefix="stand-in-clamd-")
        self.path = str(Path(self.folder) / "clamd.sock")
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen(1)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read_exactly(self, connection, count: int) -> bytes:
        data = b""
        while len(data) < count:
            more = connection.recv(count - len(data))
            if not more:
                raise ConnectionError("closed early")
            data += more
        return data

    def _serve(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection:
                command = b""
                while not command.endswith(b"\0"):
                    command += connection.recv(1)
                self.commands.append(command)
                if command == b"zINSTREAM\0":
                    content = b""
                    while length := struct.unpack("!I", self._read_exactly(connection, 4))[0]:
                        content += self._read_exactly(connection, length)
                    self.received.append(content)
                connection.sendall(self.answer)

    def close(self):
        self.server.close()
        Path(self.path).unlink(missing_ok=True)


@pytest.fixture
def stand_in():
    servers = []

    def start(answer: bytes) -> StandInClamd:
        server = StandInClamd(answer)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.mark.domain
def test_instream_sends_the_content_in_length_prefixed_chunks(stand_in):
    server = stand_in(b"stream: OK\0")
    scanner = scanning.ClamdScanner(socket_path=server.path, chunk_bytes=7)
    content = b"0123456789" * 5
    assert scanner.scan(io.BytesIO(content)) == scanning.ScanResult(clean=True)
    assert server.commands == [b"zINSTREAM\0"]
    assert server.received == [content]


@pytest.mark.domain
def test_a_found_answer_names_the_signature(stand_in):
    server = stand_in(b"stream: Some.Signature FOUND\0")
    result = scanning.ClamdScanner(socket_path=server.path).scan(io.BytesIO(b"x"))
    assert result == scanning.ScanResult(clean=False, signature="Some.Signature")


@pytest.mark.domain
def test_a_closed_connection_without_answer_means_no_verdict(stand_in):
    server = stand_in(b"")
    with pytest.raises(scanning.ScanUnavailable, match="without an answer"):
        scanning.ClamdScanner(socket_path=server.path).scan(io.BytesIO(b"x"))


@pytest.mark.domain
def test_a_missing_socket_means_no_verdict(tmp_path):
    scanner = scanning.ClamdScanner(socket_path=str(tmp_path / "nobody-listens.sock"), timeout=2)
    with pytest.raises(scanning.ScanUnavailable, match="cannot connect to clamd"):
        scanner.scan(io.BytesIO(b"x"))
    assert scanner.ping() is False


@pytest.mark.domain
def test_a_closed_tcp_port_means_no_verdict():
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    scanner = scanning.ClamdScanner(host="127.0.0.1", port=port, timeout=2)
    with pytest.raises(scanning.ScanUnavailable):
        scanner.scan(io.BytesIO(b"x"))


@pytest.mark.domain
def test_the_scanner_comes_from_the_settings(settings):
    settings.EVIDENCE_SCANNER = ""
    settings.CLAMD_SOCKET, settings.CLAMD_HOST = "/run/clamav/clamd.ctl", ""
    assert scanning.get_scanner().socket_path == "/run/clamav/clamd.ctl"
    settings.CLAMD_SOCKET, settings.CLAMD_HOST, settings.CLAMD_PORT = "", "av.internal", 3311
    scanner = scanning.get_scanner()
    assert (scanner.host, scanner.port) == ("av.internal", 3311)
    settings.CLAMD_HOST = ""
    with pytest.raises(scanning.ScanUnavailable, match="no virus scanner is configured"):
        scanning.get_scanner().scan(io.BytesIO(b"x"))


# A real clamd: .ci/run starts one whose only signature is the EICAR test file.


def test_real_clamd_answers_ping_and_version(clamd_scanner):
    assert clamd_scanner.ping()
    assert clamd_scanner.version().startswith("ClamAV")


def test_real_clamd_finds_the_eicar_test_file(clamd_scanner):
    result = clamd_scanner.scan(io.BytesIO(eicar()))
    assert not result.clean
    assert "Eicar" in result.signature or "EICAR" in result.signature


def test_real_clamd_finds_eicar_sent_in_small_chunks(clamd_scanner):
    scanner = scanning.ClamdScanner(
        socket_path=clamd_scanner.socket_path,
        host=clamd_scanner.host,
        port=clamd_scanner.port,
        chunk_bytes=5,
    )
    assert not scanner.scan(io.BytesIO(eicar())).clean


def test_real_clamd_passes_a_clean_pdf(clamd_scanner):
    assert clamd_scanner.scan(io.BytesIO(PDF_BYTES)) == scanning.ScanResult(clean=True)
