"""HTTP/1.1 request framing for pufa.buffering: is the first request in a buffer complete, and may it be read?

Only framing is checked here (where the headers end, Content-Length or chunked body, size limits); gunicorn parses
the request for real afterwards and refuses what is malformed.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_HEAD_BYTES = 64 * 1024  # request line and headers (gunicorn's own limits are lower and still apply)
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


def strip_expect(request: bytes) -> bytes:
    """The request without `Expect: 100-continue` (answered already by the loop; gunicorn would answer again)."""
    head_end = request.find(b"\r\n\r\n")
    lines = request[:head_end].split(b"\r\n")
    kept = [line for line in lines if not line.lower().startswith(b"expect:")]
    return b"\r\n".join(kept) + request[head_end:]
