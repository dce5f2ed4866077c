"""HTTP/1.x over a plain socket, for what an HTTP client library hides: pipelined requests on
one connection, HTTP/1.0, the framing (Content-Length, chunked, close) of each answer."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]  # lower-case names; a repeated header keeps its last value
    body: bytes
    framing: str  # "length", "chunked", "close" or "none" (HEAD, 204, 304)
    raw_headers: list[tuple[str, str]] = field(default_factory=list)


class _Reader:
    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection
        self.buffer = b""
        self.closed = False

    def _fill(self) -> None:
        chunk = self.connection.recv(65536)
        if not chunk:
            self.closed = True
            raise EOFError("the server closed the connection")
        self.buffer += chunk

    def line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            self._fill()
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def rest(self) -> bytes:
        try:
            while True:
                self._fill()
        except EOFError:
            pass
        data, self.buffer = self.buffer, b""
        return data


def _read_one(reader: _Reader, method: str) -> RawResponse:
    status_line = reader.line().decode("latin-1")
    status = int(status_line.split()[1])
    raw_headers: list[tuple[str, str]] = []
    while True:
        line = reader.line()
        if not line:
            break
        name, _, value = line.decode("latin-1").partition(":")
        raw_headers.append((name.strip().lower(), value.strip()))
    headers = dict(raw_headers)
    if method == "HEAD" or status in (204, 304) or status < 200:
        return RawResponse(status, headers, b"", "none", raw_headers)
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size = int(reader.line().split(b";")[0], 16)
            if size == 0:
                while reader.line():  # trailers, then the empty line
                    pass
                break
            body += reader.exactly(size)
            reader.line()
        return RawResponse(status, headers, body, "chunked", raw_headers)
    if "content-length" in headers:
        body = reader.exactly(int(headers["content-length"]))
        return RawResponse(status, headers, body, "length", raw_headers)
    return RawResponse(status, headers, reader.rest(), "close", raw_headers)


def exchange(
    base_url: str, requests: list[tuple[str, str]], *, version: str = "1.1", timeout: float = 10
) -> list[RawResponse]:
    """Send `requests` ((method, target) pairs, with extra header lines after a newline in
    the target if any) at once on one connection; read an answer to each.

    Raises EOFError when the server closes the connection before answering them all.
    """
    host, port = base_url.removeprefix("http://").split(":")
    payload = b""
    for method, target in requests:
        path, *extra = target.split("\n")
        lines = [f"{method} {path} HTTP/{version}", "Host: test", *extra]
        payload += ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(payload)
        reader = _Reader(connection)
        return [_read_one(reader, method) for method, _ in requests]
