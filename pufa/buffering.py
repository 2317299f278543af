"""A gthread worker in which a thread never waits for a client: requests are run only once they are whole.

Stock gthread hands a connection to a thread as soon as it is readable, and the thread then reads headers and body
with no time limit: four clients that send `Content-Length: 1000` and then a byte every 2 s occupy all 2 × 2
threads, and WeChat's real pushes wait past its 5 s. Here a thread reads only what has already arrived (non-blocking)
into the connection's buffer; when the request is not complete yet (headers, then the body by Content-Length or
chunked framing) the connection goes back to the event loop until more arrives. The application runs only on a whole
request, parsed from memory. A slow connection costs a socket and a buffer, never a waiting thread, and it does not
count towards worker_connections. (A first version read in the event loop itself; every read there had to win the
GIL back from the busy threads, which cut throughput by half - see docs/benchmarks.md.)

Each request must arrive whole within `read_timeout` seconds (plus one second per 64 KiB of declared body, for
uploads to the console), else it gets 408 and the connection is closed; a body over the path's limit gets 413 before
it is read, endless headers 431; when too many connections are still arriving the oldest is dropped. Responses are
written with a send timeout, so a client that does not read cannot hold a thread for long.
"""

from __future__ import annotations

import errno
import socket
import time
from collections import deque
from functools import partial
from selectors import EVENT_READ

from gunicorn.http.unreader import Unreader
from gunicorn.workers.gthread import TConn, ThreadWorker

from pufa.framing import INCOMPLETE, Limits, scan, strip_expect

SEND_TIMEOUT = 30.0
MAX_READING = 512  # connections per worker still sending their request; beyond it the oldest is dropped
MAX_BUFFERED = 64 << 20  # bytes buffered per worker for requests in progress; beyond it the oldest is dropped


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
        self.head_seen = False
        self.continued = False  # the loop answered `Expect: 100-continue`

    def init(self) -> None:
        fresh = not self.initialized
        super().init()
        if fresh and self.parser is not None and not self.is_http2:
            self.parser.unreader = HandedUnreader(self)
        self.sock.settimeout(SEND_TIMEOUT)  # the thread only writes: bound a client that does not read


class BufferingWorker(ThreadWorker):
    """gthread, except that a thread only ever reads what a connection has already sent (never waits for more),
    and runs the application only once the whole request is in memory. A connection whose request is not complete
    goes back to the event loop until more arrives or its deadline passes."""

    limits = Limits()

    def __init__(self, *args, **kwargs) -> None:
        self.reading: deque[BufferedConn] = deque()  # waiting in the poller for the rest of a request, oldest first
        self._conns = 0
        super().__init__(*args, **kwargs)

    # gthread stops accepting at worker_connections (which also spreads keep-alive clients over the workers);
    # connections still sending their request do not count, so slow clients cannot fill the slots.
    @property
    def nr_conns(self) -> int:
        return self._conns - len(self.reading)

    @nr_conns.setter
    def nr_conns(self, value: int) -> None:
        self._conns = value + len(self.reading)

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
        self.enqueue_req(BufferedConn(self.cfg, client, addr, listener.getsockname()))

    def handle(self, conn):
        """Runs in a thread: read what is there; the request when it is whole, else back to the loop."""
        if not isinstance(conn, BufferedConn):
            return super().handle(conn)
        outcome = self._read_available(conn)
        if outcome is not True:
            return outcome
        conn.data_ready = True  # gthread would otherwise wait for the socket: the request is in conn.handed
        return super().handle(conn)

    def _read_available(self, conn: BufferedConn):
        if not conn.inbox and not conn.head_seen:  # a new request: its deadline starts now
            conn.deadline = time.monotonic() + self.limits.read_timeout
            if conn.parser is not None:  # bytes a pipelining client sent after the last request
                conn.inbox += conn.parser.unreader.take_buffered()
        conn.sock.setblocking(False)
        try:
            while True:
                data = conn.sock.recv(256 * 1024)
                if not data:  # the client went away before its request was complete
                    return False
                conn.inbox += data
                if len(data) < 256 * 1024:
                    break
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            return False
        result = scan(conn.inbox, self.limits)
        if result is INCOMPLETE:
            self._on_head(conn)
            return READ_MORE
        if isinstance(result, tuple):
            _refuse(conn, *result)
            return CLOSED
        request = bytes(conn.inbox)
        conn.handed = strip_expect(request) if conn.continued else request
        conn.inbox = bytearray()
        conn.head_seen = conn.continued = False
        return True

    @staticmethod
    def _on_head(conn: BufferedConn) -> None:
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
            _send_quietly(conn, b"HTTP/1.1 100 Continue\r\n\r\n")
            conn.continued = True

    def finish_request(self, conn, fs) -> None:
        """On the loop: a connection whose request is not complete waits in the poller for more."""
        result = None if fs.cancelled() or fs.exception() is not None else fs.result()
        if result is READ_MORE and self.alive:
            self.reading.append(conn)
            self.poller.register(conn.sock, EVENT_READ, partial(self._on_more, conn))
            self._shed_load()
        elif result is READ_MORE or result is CLOSED:
            self.nr_conns -= 1
            if result is READ_MORE:
                conn.close()
        else:
            super().finish_request(conn, fs)

    def _on_more(self, conn: BufferedConn, _sock) -> None:
        self._stop_reading(conn)
        self.enqueue_req(conn)

    def _stop_reading(self, conn: BufferedConn) -> None:
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass
        try:
            self.reading.remove(conn)  # it counts towards nr_conns again
        except ValueError:
            pass

    def _drop(self, conn: BufferedConn, status: int | None = None, reason: str = "") -> None:
        self._stop_reading(conn)
        self.nr_conns -= 1
        if status is not None:
            _refuse(conn, status, reason)
        else:
            conn.close()

    def _shed_load(self) -> None:
        while len(self.reading) > MAX_READING or sum(len(c.inbox) for c in self.reading) > MAX_BUFFERED:
            self._drop(self.reading[0])

    def murder_keepalived(self, force: bool = False) -> None:
        """gthread's keep-alive sweep, plus: requests not complete by their deadline get 408; on shutdown the
        connections that have sent nothing are closed at once."""
        super().murder_keepalived(force)
        now = time.monotonic()
        for conn in list(self.reading):
            if force or now >= conn.deadline:
                self._drop(conn, 408, "Request Timeout")
            elif not self.alive and not conn.inbox:
                self._drop(conn)


READ_MORE = object()  # handle()'s answer when the request is not complete yet
CLOSED = object()  # handle()'s answer when it refused the request and closed the connection


def _refuse(conn: BufferedConn, status: int, reason: str) -> None:
    body = reason.encode()
    _send_quietly(
        conn,
        b"HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
        % (status, reason.encode(), len(body), body),
    )
    try:  # what the client sent meanwhile is read (without waiting), so closing does not reset the answer away
        conn.sock.shutdown(socket.SHUT_WR)
        conn.sock.setblocking(False)
        for _ in range(16):
            if not conn.sock.recv(65536):
                break
    except OSError:
        pass
    conn.close()


def _send_quietly(conn: BufferedConn, data: bytes) -> None:
    try:
        conn.sock.send(data)
    except OSError:
        pass
