"""The webhook's write path: the database within DB_WRITE_TIMEOUT, else the spool; never the user's answer lost.

`record` writes one message's log row (consultation, user, stored reply, chat state, plain-mode nonce) in one
statement, waiting at most `write_timeout` seconds for SQLite's write lock. When the database cannot be written -
locked, read-only, disk full, I/O error - the row goes to the spool (storage.spool) and the caller still sends its
answer. While anything is spooled, every process spools its rows too (in order, without waiting the timeout again)
and a maintenance thread in each process replays the spool into the database once it is writable. Lookups a retry
needs (stored reply, nonce, chat state) consult both, so a retry of a spooled message gets the same reply.

A connection that hit a read-only or I/O error is dropped and reopened on next use: SQLite opens a file it cannot
write read-only and would stay that way after the permissions are back.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass

from storage.consultations import Consultation, insert_row, log_row
from storage.db import Database
from storage.replies import ReplyCache
from storage.spool import Spool

log = logging.getLogger("pufa.storage")

REPLAY_EVERY_SECONDS = 1.0
NONCE_PURGE_EVERY_SECONDS = 60.0
REPLY_PURGE_EVERY_SECONDS = 3600.0
# SQLite errors that leave the connection as it is (the next statement may well work): anything else reopens it
_TRANSIENT = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL")


@dataclass
class Written:
    """The outcome of `LogWriter.record`: the reply to send, and where the row went."""

    reply: str  # this delivery's reply, or the reply of the delivery that was logged first
    where: str  # "database", "spool", "duplicate" (another delivery was first) or "lost"


class LogWriter:
    def __init__(self, db: Database, replies: ReplyCache, spool: Spool, write_timeout: float, nonce_window: int):
        self.db = db
        self.replies = replies
        self.spool = spool
        self.write_timeout = write_timeout
        self.nonce_window = nonce_window
        self._busy_ms = int(write_timeout * 1000)
        self._thread: threading.Thread | None = None
        self._thread_pid = 0
        self._stop = threading.Event()
        self._wake = threading.Event()
        self.last_error = ""

    # the request path
    def record(
        self,
        c: Consultation,
        reply: str,
        subscribed: bool | None = None,
        chat_state: dict | None = None,
        nonce: tuple[int, str] | None = None,
    ) -> Written:
        """Log one answered message. Never raises: the caller always gets a reply to send."""
        self.ensure_maintenance()
        row = log_row(c, reply, subscribed, chat_state, nonce)
        if self._spool_is_empty():
            try:
                with self._short_wait() as conn:
                    row_id = insert_row(conn, row)
                if row_id is None:
                    return Written(self.stored_reply(row["msg_key"]) or "", "duplicate")
                return Written(reply, "database")
            except sqlite3.Error as exc:
                self._failed("log write", exc)
        return self._to_spool(row)

    def _to_spool(self, row: dict) -> Written:
        stored = self._db_reply(row["msg_key"])
        if stored is not None:  # another delivery (another process) got it into the database first
            return Written(stored, "duplicate")
        try:
            earlier = self.spool.append(row)
        except OSError:
            log.exception(
                "could not spool the log row of %s either: the user is answered, the row is lost",
                row["msg_key"].split(":")[0],
            )
            return Written(row["reply"] or "", "lost")
        self._wake.set()
        if earlier is not None:
            return Written(earlier["reply"] or "", "duplicate")
        log.warning("database not writable: %s spooled (%s)", row["msg_key"].split(":")[0], self.last_error)
        return Written(row["reply"] or "", "spool")

    def stored_reply(self, key: str) -> str | None:
        """The reply already given to `key` (database, then spool), or None. Never raises."""
        stored = self._db_reply(key)
        if stored is not None:
            return stored
        try:
            row = self.spool.snapshot().by_key.get(key)
        except OSError:
            log.exception("could not read the spool")
            return None
        return None if row is None else (row["reply"] or "")

    def nonce_used(self, timestamp: int, nonce: str, key: str) -> bool:
        """Plain mode: this signed (timestamp, nonce) already carried a different message. Never raises."""
        try:
            found = (
                self.db.get()
                .execute("SELECT msg_key FROM seen_nonces WHERE ts = ? AND nonce = ?", [timestamp, nonce])
                .fetchone()
            )
            if found is not None:
                return found[0] != key
        except sqlite3.Error as exc:
            self._failed("nonce lookup", exc)
        try:
            other = self.spool.snapshot().by_nonce.get((timestamp, nonce))
        except OSError:
            return False
        return other is not None and other != key

    def _db_reply(self, key: str) -> str | None:
        try:
            return self.replies.get(key)
        except sqlite3.Error as exc:
            self._failed("reply lookup", exc)
            return None

    def _spool_is_empty(self) -> bool:
        try:
            return self.spool.is_empty()
        except OSError:
            log.exception("could not read the spool header")
            return True

    def _short_wait(self):
        return self.db.short_wait(self._busy_ms)

    def _failed(self, what: str, exc: sqlite3.Error) -> None:
        name = getattr(exc, "sqlite_errorname", "") or type(exc).__name__
        self.last_error = f"{name}: {exc}"
        if name not in _TRANSIENT:
            self.db.discard()  # read-only or broken: reopen on next use
        log.warning("%s failed: %s", what, self.last_error)

    # replay, health, housekeeping
    def replay(self) -> int:
        """Move spooled rows into the database; how many were moved (0 when it is still not writable)."""
        try:
            return self.spool.replay(self._write_batch)
        except sqlite3.Error as exc:
            self._failed("spool replay", exc)
            return 0

    def _write_batch(self, rows: list[dict]) -> None:
        with self._short_wait() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for row in rows:
                    insert_row(conn, row)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        log.info("replayed %d spooled log rows into the database", len(rows))

    def health(self) -> dict:
        """Whether the database takes a write now, and how many rows wait in the spool."""
        self.ensure_maintenance()
        out: dict = {"database": "ok"}
        try:
            with self._short_wait() as conn:
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('healthz', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [str(time.time())],
                )
        except sqlite3.Error as exc:
            self._failed("health check write", exc)
            out["database"] = "not writable: " + self.last_error
        try:
            out["spooled"] = self.spool.count()
        except OSError as exc:
            out["spooled"] = None
            out["spool"] = f"unreadable: {exc}"
        out["ok"] = out["database"] == "ok" and out["spooled"] == 0
        return out

    def ensure_maintenance(self) -> None:
        """Start this process's maintenance thread (once per process: threads do not survive gunicorn's fork)."""
        if self._thread_pid == os.getpid() or self._stop.is_set():
            return
        self._thread_pid = os.getpid()
        self._thread = threading.Thread(target=self._maintain, name="pufa-log-maintenance", daemon=True)
        self._thread.start()

    def _maintain(self) -> None:
        next_nonces = next_replies = 0.0
        while not self._stop.is_set():
            now = time.monotonic()
            try:
                if not self._spool_is_empty():
                    self.replay()
                if now >= next_nonces:
                    next_nonces = now + NONCE_PURGE_EVERY_SECONDS
                    self._purge(self.purge_nonces)
                if now >= next_replies:
                    next_replies = now + REPLY_PURGE_EVERY_SECONDS
                    self._purge(self.replies.purge)
            except Exception:  # the thread must outlive any surprise; the next round tries again
                log.exception("log maintenance failed")
            self._wake.wait(REPLAY_EVERY_SECONDS)
            self._wake.clear()

    def _purge(self, purge) -> None:
        try:
            with self._short_wait():
                purge()
        except sqlite3.Error as exc:
            self._failed("purge", exc)

    def purge_nonces(self) -> None:
        """A nonce is remembered while its timestamp is inside the window (a minute's margin for clock skew)."""
        self.db.get().execute("DELETE FROM seen_nonces WHERE ts < ?", [time.time() - self.nonce_window - 60])

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread_pid == os.getpid():
            self._thread.join(timeout=5)
        self.spool.close()
