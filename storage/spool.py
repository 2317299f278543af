"""The spool: webhook log rows that could not be written to the database, kept durably until they can be.

When the database cannot be written (locked past DB_WRITE_TIMEOUT, read-only, disk full, I/O error) the user still
gets the computed answer, and the row that would have gone into `message_log` is appended here instead. A
background thread in each worker replays the spool into the database once it is writable again (storage.logwriter).

One file, shared by every worker process (flock), with its space reserved up front: a disk that fills up after the
start still has room for SPOOL_RESERVE_MB of rows (the zeros are written, not just fallocated, so overwriting them
needs no new blocks on ext4/xfs; copy-on-write filesystems such as btrfs and zfs cannot promise that - put
SPOOL_PATH on another filesystem there).

Layout: a 4 KiB header (magic, start, end, generation) and records from byte 4096 on, each
`length (4 bytes) | crc32 (4 bytes) | JSON`. Records in [start, end) are pending. A record is written and synced
before the header that makes it pending, so a crash never leaves half a record pending. Replay commits rows to the
database before it moves `start`; a crash between the two replays them again, which the database ignores (the
message key is already there), so every row lands exactly once.
"""

from __future__ import annotations

import fcntl
import json
import os
import struct
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path

MAGIC = b"PUFASPL1"
HEADER = struct.Struct("<8sQQQ")  # magic, start, end, generation
DATA_START = 4096
RECORD = struct.Struct("<II")  # length, crc32
ZEROS = bytes(1 << 20)


class SpoolError(OSError):
    """The spool file is unusable (damaged header, or no room left even in the reserve)."""


@dataclass
class Pending:
    """What the pending records say, for lookups while they wait: by message key, by nonce, by user."""

    rows: list[dict] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)  # file offset just past each row's record
    by_key: dict[str, dict] = field(default_factory=dict)
    by_nonce: dict[tuple[int, str], str] = field(default_factory=dict)
    chat_state: dict[str, tuple[float, str]] = field(default_factory=dict)  # user -> (ts, state JSON or "")

    def add(self, row: dict, end: int) -> None:
        self.rows.append(row)
        self.ends.append(end)
        self.by_key.setdefault(row["msg_key"], row)
        if row.get("nonce") is not None:
            self.by_nonce.setdefault((row["nonce_ts"], row["nonce"]), row["msg_key"])
        if row.get("chat_state") is not None:
            self.chat_state[row["user_id"]] = (row["ts"], row["chat_state"])


class Spool:
    def __init__(self, path: str | os.PathLike, reserve_bytes: int = 16 << 20):
        self.path = Path(path)
        self.reserve_bytes = max(DATA_START, reserve_bytes)
        self._lock = threading.Lock()  # flock is per open file: threads of one process also need this
        self._fd: int | None = None
        self._pid = 0
        self._cache: tuple[tuple[int, int, int], int, Pending] | None = None  # ((gen, start, end), parsed_to, pending)

    # file handling
    def _open(self, create: bool) -> int | None:
        if self._fd is not None and self._pid == os.getpid():
            return self._fd
        if not create and not self.path.exists():
            return None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        self._fd, self._pid, self._cache = fd, os.getpid(), None
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.fstat(fd).st_size < DATA_START:
                self._write_header(fd, DATA_START, DATA_START, 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
        return fd

    def reserve(self) -> None:
        """Create the file and write its reserve now (at start-up, while the disk has room)."""
        with self._lock:
            fd = self._open(create=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                size = os.fstat(fd).st_size
                while size < self.reserve_bytes:
                    n = min(len(ZEROS), self.reserve_bytes - size)
                    os.pwrite(fd, ZEROS[:n], size)
                    size += n
                os.fsync(fd)
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def close(self) -> None:
        with self._lock:
            if self._fd is not None and self._pid == os.getpid():
                os.close(self._fd)
            self._fd, self._cache = None, None

    @staticmethod
    def _write_header(fd: int, start: int, end: int, generation: int) -> None:
        os.pwrite(fd, HEADER.pack(MAGIC, start, end, generation), 0)
        os.fdatasync(fd)

    @staticmethod
    def _header(fd: int) -> tuple[int, int, int]:
        magic, start, end, generation = HEADER.unpack(os.pread(fd, HEADER.size, 0))
        if magic != MAGIC or not DATA_START <= start <= end:
            raise SpoolError(f"damaged spool header in fd {fd}")
        return start, end, generation

    def _locked(self, exclusive: bool, create: bool = False):
        return _FileLock(self, exclusive, create)

    # reading
    def _pending(self, fd: int) -> Pending:
        """Pending records (cached until the header changes; only new records are parsed)."""
        start, end, generation = self._header(fd)
        cached = self._cache
        if cached and cached[0][0] == generation and cached[0][1] == start and cached[1] <= end:
            pending, offset = cached[2], cached[1]
        else:
            pending, offset = Pending(), start
        if offset < end:
            data = os.pread(fd, end - offset, offset)
            pos = 0
            while pos < len(data):
                length, crc = RECORD.unpack_from(data, pos)
                body = data[pos + RECORD.size : pos + RECORD.size + length]
                if len(body) != length or zlib.crc32(body) != crc:
                    raise SpoolError(f"damaged spool record at byte {offset + pos}")
                pos += RECORD.size + length
                pending.add(json.loads(body), offset + pos)
        self._cache = ((generation, start, end), end, pending)
        return pending

    def count(self) -> int:
        """Rows waiting to be replayed (0 when the file does not exist)."""
        with self._locked(exclusive=False) as fd:
            return 0 if fd is None else len(self._pending(fd).rows)

    def is_empty(self) -> bool:
        with self._locked(exclusive=False) as fd:
            if fd is None:
                return True
            start, end, _ = self._header(fd)
            return start == end

    def snapshot(self) -> Pending:
        """The pending rows' lookups (empty when nothing waits)."""
        with self._locked(exclusive=False) as fd:
            return Pending() if fd is None else self._pending(fd)

    # writing
    def append(self, row: dict) -> dict | None:
        """Spool `row` (the columns of one `message_log` insert); durable when this returns.

        Returns None, or the row already pending under the same message key (another delivery of the message was
        spooled first: its reply is the one to send, and nothing is written)."""
        body = json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        with self._locked(exclusive=True, create=True) as fd:
            earlier = self._pending(fd).by_key.get(row["msg_key"])
            if earlier is not None:
                return earlier
            start, end, generation = self._header(fd)
            record = RECORD.pack(len(body), zlib.crc32(body)) + body
            written = os.pwrite(fd, record, end)
            if written != len(record):
                raise SpoolError("short write to the spool (disk full beyond the reserve?)")
            os.fdatasync(fd)
            self._write_header(fd, start, end + len(record), generation)
            return None

    def replay(self, write_batch, batch: int = 500) -> int:
        """Hand pending rows, oldest first and at most `batch` at a time, to `write_batch(rows)`, which must commit
        them to the database (or raise, leaving them pending). Returns how many rows were replayed.

        The database write runs without the spool lock, so appends never wait for it. Two processes replaying at
        once may both write a row; the database ignores the second (its message key is already there). Only the
        replay that still sees the header it started from moves `start`."""
        done = 0
        while True:
            with self._locked(exclusive=False) as fd:
                if fd is None:
                    return done
                start, _, generation = self._header(fd)
                pending = self._pending(fd)
                rows = pending.rows[:batch]
                if not rows:
                    return done
                new_start = pending.ends[len(rows) - 1]
            write_batch(rows)
            with self._locked(exclusive=True) as fd:
                now_start, end, now_generation = self._header(fd)
                if (now_start, now_generation) == (start, generation):
                    if new_start >= end:  # all replayed: start again at the front of the reserve
                        self._write_header(fd, DATA_START, DATA_START, generation + 1)
                    else:
                        self._write_header(fd, new_start, end, generation + 1)
                    self._cache = None
            done += len(rows)


class _FileLock:
    """`with spool._locked(exclusive) as fd:` the thread lock and the file lock (fd is None: no spool file yet)."""

    def __init__(self, spool: Spool, exclusive: bool, create: bool):
        self.spool, self.exclusive, self.create = spool, exclusive, create
        self.fd: int | None = None

    def __enter__(self) -> int | None:
        self.spool._lock.acquire()
        try:
            self.fd = self.spool._open(self.create)
            if self.fd is not None:
                fcntl.flock(self.fd, fcntl.LOCK_EX if self.exclusive else fcntl.LOCK_SH)
        except BaseException:
            self.spool._lock.release()
            raise
        return self.fd

    def __exit__(self, *exc) -> None:
        try:
            if self.fd is not None:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            self.spool._lock.release()
