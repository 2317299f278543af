"""A gthread worker that reads whole requests in its event loop before a thread sees them (what nginx does).

Stock gthread hands a connection to a thread as soon as it is readable, and the thread then reads headers and body
with no time limit: four clients that send `Content-Length: 1000` and then a byte every 2 s occupy all 2 × 2
threads, and WeChat's real pushes wait past its 5 s. Here the worker's main loop reads every connection without
blocking, into memory, until the request is complete (headers, then the body by Content-Length or chunked framing);
only then does a thread get it, parsed from memory, so a thread never waits for a client. A slow connection costs a
socket and a buffer, not a thread. Each request must arrive whole within `read_timeout` seconds (plus one second
per 64 KiB of declared body, for uploads to the console), else the connection gets 408 and is closed; a body over
the path's limit gets 413 before it is read. When too many connections are still arriving, the oldest is dropped.
Responses are written by the thread with a send timeout, so a client that does not read cannot hold it forever.
"""

from __future__ import annotations

import errno
import socket
import time
from collections import deque
from dataclasses import dataclass
from functools import partial
from selectors import EVENT_READ

from gunicorn.http.unreader import Unreader
from gunicorn.workers.gthread import TConn, ThreadWorker

MAX_HEAD_BYTES = 64 * 1024  # request line and headers (gunicorn's own limits are lower and still apply)
SEND_TIMEOUT = 30.0
MAX_READING = 512  # connections per worker still sending their request; beyond it the oldest is dropped
MAX_BUFFERED = 64 << 20  # bytes buffered per worker for requests in progress; beyond it the oldest is dropped
INCOMPLETE = None


@dataclass
class Limits:
    """What the front of the server enforces (set by pufa.server before the workers fork)."""

    read_timeout: float = 10.0
    body_bytes: int = 65536  # the webhook and everything else
    admin_body_bytes: int = 8 << 20  # /admin (FAQ imports)

    def body_limit(self, target: bytes) -> int:
        return self.admin_body_bytes if target.startswith(b"/admin") else self.body_bytes


def scan(buf: bytearray, limits: Limits) -> int | tuple[int, str] | None:
    """Where the first request in `buf` ends (an offset), INCOMPLETE, or (status, reason) to refuse it with.

    Only framing is checked here; gunicorn parses the request for real in the thread (and refuses what is
    malformed). A header block gunicorn would refuse is handed on as it is."""
    head_end = buf.find(b"\r\n\r\n")
    if head_end < 0:
        return (431, "Request Header Fields Too Large") if len(buf) > MAX_HEAD_BYTES else INCOMPLETE
    lines = bytes(buf[:head_end]).split(b"\r\n")
    target = lines[0].split(b" ")[1] if lines[0].count(b" ") >= 2 else b"/"
    length, chunked = None, False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip()
        if name == b"content-length":
            length = int(value) if value.isdigit() else None
        elif name == b"transfer-encoding":
            chunked = value.lower().split(b",")[-1].strip() == b"chunked"
    start, limit = head_end + 4, limits.body_limit(target)
    if chunked:
        return _scan_chunked(buf, start, limit)
    if length is None:  # no body, or a Content-Length gunicorn will refuse
        return start
    if length > limit:
        return 413, "Content Too Large"
    return start + length if len(buf) >= start + length else INCOMPLETE


def _scan_chunked(buf: bytearray, pos: int, limit: int) -> int | tuple[int, str] | None:
    total = 0
    while True:
        line_end = buf.find(b"\r\n", pos)
        if line_end < 0:
            return INCOMPLETE if len(buf) - pos < 1024 else (400, "Bad Request")
        size_text = bytes(buf[pos:line_end]).split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return line_end + 2  # malformed: gunicorn refuses it
        total += size
        if total > limit:
            return 413, "Content Too Large"
        if size == 0:  # then trailer lines, if any, and an empty line
            end = buf.find(b"\r\n\r\n", line_end)
            if end < 0:
                return INCOMPLETE if len(buf) - line_end < MAX_HEAD_BYTES else (431, "Request Header Fields Too Large")
            return end + 4
        pos = line_end + 2 + size + 2
        if pos > len(buf):
            return INCOMPLETE


def _strip_expect(request: bytes) -> bytes:
    """The request without `Expect: 100-continue` (answered already by the loop; gunicorn would answer again)."""
    head_end = request.find(b"\r\n\r\n")
    lines = request[:head_end].split(b"\r\n")
    kept = [line for line in lines if not line.lower().startswith(b"expect:")]
    return b"\r\n".join(kept) + request[head_end:]


class HandedUnreader(Unreader):
    """gunicorn's parser reads the buffered request from here, never from the socket: at the end of the buffer it
    sees end of input (the request was checked to be complete, so that only happens for malformed requests)."""

    def __init__(self, conn: BufferedConn):
        super().__init__()
        self.conn = conn

    def chunk(self, size_hint=None) -> bytes:
        data, self.conn.handed = self.conn.handed, b""
        return data


class BufferedConn(TConn):
    def __init__(self, *args):
        super().__init__(*args)
        self.inbox = bytearray()
        self.handed = b""
        self.deadline = 0.0
        self.ready = False  # conn.handed holds a whole request for a thread
        self.head_seen = False
        self.continued = False  # the loop answered `Expect: 100-continue`

    def init(self) -> None:
        fresh = not self.initialized
        super().init()
        if fresh and self.parser is not None and not self.is_http2:
            self.parser.unreader = HandedUnreader(self)
        self.sock.settimeout(SEND_TIMEOUT)  # the thread only writes: bound a client that does not read


class BufferingWorker(ThreadWorker):
    limits = Limits()

    def init_process(self) -> None:
        self.reading: deque[BufferedConn] = deque()  # connections still sending a request, oldest first
        self.buffered = 0
        super().init_process()

    def accept(self, listener) -> None:
        if self.cfg.is_ssl:  # TLS belongs to nginx in front; gunicorn's own TLS keeps the stock path
            return super().accept(listener)
        try:
            client, addr = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        self._read_request(BufferedConn(self.cfg, client, addr, listener.getsockname()), b"")

    def enqueue_req(self, conn) -> None:
        """gthread calls this for a connection with a new request coming (keep-alive, pipelined bytes): only a
        whole request goes to a thread; anything else is read by the loop first."""
        if not isinstance(conn, BufferedConn) or conn.ready:
            if isinstance(conn, BufferedConn):
                conn.ready, conn.data_ready = False, True
            return super().enqueue_req(conn)
        leftover = conn.parser.unreader.take_buffered() if conn.parser is not None else b""
        conn.sock.setblocking(False)
        self._read_request(conn, leftover)

    def _read_request(self, conn: BufferedConn, data: bytes) -> None:
        conn.inbox = bytearray(data)
        conn.head_seen = conn.continued = False
        conn.deadline = time.monotonic() + self.limits.read_timeout
        self.buffered += len(data)
        self.reading.append(conn)
        self.poller.register(conn.sock, EVENT_READ, partial(self._on_readable, conn))
        if data:
            self._advance(conn)
        self._shed_load()

    def _on_readable(self, conn: BufferedConn, _sock) -> None:
        try:
            data = conn.sock.recv(256 * 1024)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # the client went away before its request was complete
            self._drop(conn)
            return
        conn.inbox += data
        self.buffered += len(data)
        self._advance(conn)

    def _advance(self, conn: BufferedConn) -> None:
        result = scan(conn.inbox, self.limits)
        if result is INCOMPLETE:
            self._on_head(conn)
            return
        if isinstance(result, tuple):
            self._refuse(conn, *result)
            return
        self._stop_reading(conn)
        request = bytes(conn.inbox)
        conn.inbox = bytearray()
        conn.handed = _strip_expect(request) if conn.continued else request
        conn.ready = True
        self.enqueue_req(conn)

    def _on_head(self, conn: BufferedConn) -> None:
        """Once the headers are in and the body is not: give the body time in proportion to its declared size,
        and answer `Expect: 100-continue` (curl waits a second for it before it sends a body)."""
        head_end = conn.inbox.find(b"\r\n\r\n")
        if conn.head_seen or head_end < 0:
            return
        conn.head_seen = True
        fields = {}
        for line in bytes(conn.inbox[:head_end]).split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            fields[name.strip().lower()] = value.strip().lower()
        length = fields.get(b"content-length", b"")
        if length.isdigit():
            conn.deadline += int(length) / (64 * 1024)
        if fields.get(b"expect") == b"100-continue":
            self._send_quietly(conn, b"HTTP/1.1 100 Continue\r\n\r\n")
            conn.continued = True

    def _refuse(self, conn: BufferedConn, status: int, reason: str) -> None:
        body = reason.encode()
        self._send_quietly(
            conn,
            b"HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
            % (status, reason.encode(), len(body), body),
        )
        self._drop(conn)

    @staticmethod
    def _send_quietly(conn: BufferedConn, data: bytes) -> None:
        try:
            conn.sock.send(data)
        except OSError:
            pass

    def _stop_reading(self, conn: BufferedConn) -> None:
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass
        self.buffered -= len(conn.inbox)
        try:
            self.reading.remove(conn)
        except ValueError:
            pass

    def _drop(self, conn: BufferedConn) -> None:
        self._stop_reading(conn)
        self.nr_conns -= 1
        try:
            conn.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        conn.close()

    def _shed_load(self) -> None:
        while self.reading and (len(self.reading) > MAX_READING or self.buffered > MAX_BUFFERED):
            self._drop(self.reading[0])

    def murder_keepalived(self, force: bool = False) -> None:
        """gthread's keep-alive sweep, plus: requests not complete by their deadline get 408 (on shutdown,
        connections that have sent nothing yet are closed at once)."""
        super().murder_keepalived(force)
        now = time.monotonic()
        for conn in list(self.reading):
            if force or now >= conn.deadline:
                self._refuse(conn, 408, "Request Timeout")
            elif not self.alive and not conn.inbox:
                self._drop(conn)
