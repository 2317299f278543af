"""The SQLite file: one connection per thread (and per process), WAL mode, migrations applied on first use."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlite_utils

from storage.migrations import migrate

CHINA_TZ = timezone(timedelta(hours=8))


def now_local() -> datetime:
    return datetime.now(CHINA_TZ)


def local_stamp(ts: float | None = None) -> tuple[str, str]:
    """(created_at, day) in China time for an epoch timestamp."""
    moment = datetime.fromtimestamp(time.time() if ts is None else ts, CHINA_TZ)
    return moment.strftime("%Y-%m-%d %H:%M:%S"), moment.strftime("%Y-%m-%d")


class Database:
    """Hands out one sqlite-utils Database per thread; safe across fork (new pid, new connection)."""

    busy_timeout_ms = 10000  # how long a write waits for the lock by default
    write_wait_ms = 500  # how long a write on the webhook's path waits (DB_WRITE_TIMEOUT, set by Store)

    def __init__(self, path: str | os.PathLike):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        migrate(self.get(), None if self.path == ":memory:" else self.path + ".migrate-lock")

    def get(self) -> sqlite_utils.Database:
        local = self._local
        if getattr(local, "pid", None) != os.getpid() or local.db is None:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            try:
                conn.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms}")
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA foreign_keys=ON")
            except sqlite3.Error:
                conn.close()
                raise
            local.db = sqlite_utils.Database(conn)
            local.pid = os.getpid()
        return local.db

    @contextmanager
    def short_wait(self, ms: int | None = None):
        """This thread's connection, its writes waiting at most `ms` (default write_wait_ms) for the write lock:
        for writes a user's reply waits on. The usual wait is restored afterwards."""
        conn = self.get().conn
        conn.execute(f"PRAGMA busy_timeout = {self.write_wait_ms if ms is None else int(ms)}")
        try:
            yield conn
        finally:
            try:
                conn.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
            except sqlite3.Error:
                self.discard()

    @contextmanager
    def transaction(self, wait_ms: int | None = None):
        """A write transaction taken at once (BEGIN IMMEDIATE, so a read inside it never has to upgrade its lock),
        waiting at most `wait_ms` for the lock (default write_wait_ms): committed when the block ends, rolled back
        when it raises."""
        with self.short_wait(wait_ms) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.get()
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def discard(self) -> None:
        """Drop this thread's connection; the next `get` opens a new one. After a read-only or I/O error: SQLite
        opens a file it cannot write read-only, and such a connection stays read-only when the file is writable
        again."""
        db = getattr(self._local, "db", None)
        self._local.db = None
        if db is not None and getattr(self._local, "pid", None) == os.getpid():
            try:
                db.close()
            except sqlite3.Error:
                pass

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
