"""The staff inbox: messages people leave for staff (留言), grouped in one thread per person until staff close it,
with status, waiting time and assignment; and the canned replies staff pick from.

What a person leaves is theirs in full (a phone number to call back, a name), so it is stored encrypted
(storage/crypto.py) and shown only to caseworkers and admins; the consultation log holds a placeholder. Staff replies
are outbox messages (storage/outbox.py, kind "staff_reply", ref = the thread id): this module does not copy them.

A thread is `waiting` while a message of the person's has no reply after it, `answered` after a staff reply, and
`closed` when staff close it; a new message reopens a waiting thread, or starts a new one after a close.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager, nullcontext

from storage.crypto import DataCipher
from storage.db import Database, local_stamp
from storage.retention import Rule, register

WAITING, ANSWERED, CLOSED = "waiting", "answered", "closed"
STATUSES = (WAITING, ANSWERED, CLOSED)
STATUS_LABELS = {WAITING: "等待回复", ANSWERED: "已回复", CLOSED: "已关闭"}
ORDERS = ("waiting", "newest")  # the longest-waiting first, or the most recent message first
_ORDER_SQL = {
    "waiting": "t.waiting_since IS NULL, t.waiting_since ASC, t.updated DESC, t.id DESC",
    "newest": "COALESCE(t.last_in, t.created) DESC, t.id DESC",
}


class Inbox:
    def __init__(self, db: Database, cipher: DataCipher):
        self.db = db
        self.cipher = cipher

    @contextmanager
    def _write(self, short: bool = False):
        """One write transaction, taken at once (BEGIN IMMEDIATE: no deadlock when two workers write); `short` for
        the webhook's path, which may wait only DB_WRITE_TIMEOUT for the lock."""
        with self.db.short_wait() if short else nullcontext(self.db.get().conn) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    # the person's side (the leave-message flow)
    def leave(self, user_id: str, text: str, msg_key: str | None, now: float | None = None) -> tuple[int, bool]:
        """Store a message for staff; (thread id, whether it is new). The same msg_key (a WeChat retry, a handler
        run twice) is stored once: the second call returns the first call's thread."""
        now = time.time() if now is None else now
        with self._write(short=True) as conn:
            if msg_key:
                found = conn.execute("SELECT thread_id FROM inbox_messages WHERE msg_key = ?", [msg_key]).fetchone()
                if found:
                    return found[0], False
            row = conn.execute(
                "SELECT id FROM inbox_threads WHERE user_id = ? AND status != ? ORDER BY id DESC LIMIT 1",
                [user_id, CLOSED],
            ).fetchone()
            if row is None:
                thread_id = conn.execute(
                    "INSERT INTO inbox_threads (user_id, status, created, updated, waiting_since, last_in)"
                    " VALUES (?,?,?,?,?,?)",
                    [user_id, WAITING, now, now, now, now],
                ).lastrowid
            else:
                thread_id = row[0]
                conn.execute(
                    "UPDATE inbox_threads SET status = ?, updated = ?, last_in = ?,"
                    " waiting_since = COALESCE(waiting_since, ?) WHERE id = ?",
                    [WAITING, now, now, now, thread_id],
                )
            conn.execute(
                "INSERT INTO inbox_messages (thread_id, msg_key, created, text) VALUES (?,?,?,?)",
                [thread_id, msg_key, now, self.cipher.encrypt(text)],
            )
        return thread_id, True

    # the staff side
    def thread_for_reply(self, user_id: str, origin: int | None, author: str) -> int:
        """The person's open thread, or a new one started by staff (回复此人 from a consultation): nothing waits in
        it, it is assigned to whoever starts it and remembers the consultation it started from."""
        now = time.time()
        with self._write() as conn:
            row = conn.execute(
                "SELECT id FROM inbox_threads WHERE user_id = ? AND status != ? ORDER BY id DESC LIMIT 1",
                [user_id, CLOSED],
            ).fetchone()
            if row is not None:
                return row[0]
            return conn.execute(
                "INSERT INTO inbox_threads (user_id, status, created, updated, assignee, origin) VALUES (?,?,?,?,?,?)",
                [user_id, ANSWERED, now, now, author, origin],
            ).lastrowid

    def replied(self, thread_id: int, author: str) -> None:
        """A staff reply went out (or waits for delivery): nothing waits for staff any more."""
        self.db.get().execute(
            "UPDATE inbox_threads SET status = CASE WHEN status = ? THEN ? ELSE status END, waiting_since = NULL,"
            " updated = ?, assignee = COALESCE(assignee, ?) WHERE id = ?",
            [WAITING, ANSWERED, time.time(), author, thread_id],
        )

    def assign(self, thread_id: int, assignee: str | None) -> None:
        self.db.get().execute(
            "UPDATE inbox_threads SET assignee = ?, updated = ? WHERE id = ?",
            [assignee or None, time.time(), thread_id],
        )

    def close(self, thread_id: int, by: str) -> None:
        now = time.time()
        self.db.get().execute(
            "UPDATE inbox_threads SET status = ?, closed_at = ?, closed_by = ?, waiting_since = NULL, updated = ?"
            " WHERE id = ?",
            [CLOSED, now, by, now, thread_id],
        )

    def reopen(self, thread_id: int) -> bool:
        """Open a closed thread again (answered; the person's next message makes it wait). False when the person
        has another open thread: two open threads would split their messages."""
        with self._write() as conn:
            user = conn.execute("SELECT user_id FROM inbox_threads WHERE id = ?", [thread_id]).fetchone()
            if user is None:
                return False
            other = conn.execute(
                "SELECT 1 FROM inbox_threads WHERE user_id = ? AND status != ? AND id != ?",
                [user[0], CLOSED, thread_id],
            ).fetchone()
            if other:
                return False
            conn.execute(
                "UPDATE inbox_threads SET status = ?, closed_at = NULL, closed_by = NULL, updated = ? WHERE id = ?",
                [ANSWERED, time.time(), thread_id],
            )
        return True

    # reading
    def get(self, thread_id: int) -> dict | None:
        rows = list(self.db.get().query("SELECT * FROM inbox_threads WHERE id = ?", [thread_id]))
        if not rows:
            return None
        thread = rows[0]
        thread["messages"] = self.messages(thread_id)
        return thread

    def messages(self, thread_id: int) -> list[dict]:
        rows = self.db.get().query(
            "SELECT id, msg_key, created, text FROM inbox_messages WHERE thread_id = ? ORDER BY id", [thread_id]
        )
        return [{**r, "text": self.cipher.decrypt(r["text"]) or "（无法解密：DATA_KEY 变了？）"} for r in rows]

    def _where(self, status: str | None, assignee: str | None) -> tuple[str, list]:
        parts, params = ["1=1"], []
        if status == "open":
            parts.append("t.status != ?")
            params.append(CLOSED)
        elif status in STATUSES:
            parts.append("t.status = ?")
            params.append(status)
        if assignee:
            parts.append("t.assignee = ?")
            params.append(assignee)
        return " AND ".join(parts), params

    def list(
        self, status: str | None = "open", order: str = "waiting", assignee: str | None = None, limit: int = 50,
        offset: int = 0,
    ) -> list[dict]:  # fmt: skip
        """Threads with their latest message (decrypted) and how many messages they hold."""
        where, params = self._where(status, assignee)
        rows = list(
            self.db.get().query(
                "SELECT t.*, (SELECT count(*) FROM inbox_messages m WHERE m.thread_id = t.id) AS n_messages,"
                " (SELECT text FROM inbox_messages m WHERE m.thread_id = t.id ORDER BY m.id DESC LIMIT 1) AS latest"
                f" FROM inbox_threads t WHERE {where} ORDER BY {_ORDER_SQL.get(order, _ORDER_SQL['waiting'])}"
                " LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
        )
        for row in rows:
            row["latest"] = self.cipher.decrypt(row["latest"]) or ""
        return rows

    def count(self, status: str | None = "open", assignee: str | None = None) -> int:
        where, params = self._where(status, assignee)
        return self.db.get().execute(f"SELECT count(*) FROM inbox_threads t WHERE {where}", params).fetchone()[0]

    def open_thread_of(self, user_id: str) -> int | None:
        row = (
            self.db.get()
            .execute(
                "SELECT id FROM inbox_threads WHERE user_id = ? AND status != ? ORDER BY id DESC LIMIT 1",
                [user_id, CLOSED],
            )
            .fetchone()
        )
        return row[0] if row else None


class CannedReplies:
    """Common answers staff pick from when replying (managed by admins)."""

    def __init__(self, db: Database):
        self.db = db

    def all(self) -> list[dict]:
        return list(self.db.get().query("SELECT * FROM canned_replies ORDER BY position, id"))

    def get(self, reply_id: int) -> dict | None:
        rows = list(self.db.get().query("SELECT * FROM canned_replies WHERE id = ?", [reply_id]))
        return rows[0] if rows else None

    def save(self, title: str, text: str, position: int, by: str, reply_id: int | None = None) -> int:
        stamp, _ = local_stamp()
        db = self.db.get()
        if reply_id is None:
            return db.execute(
                "INSERT INTO canned_replies (title, text, position, updated_at, updated_by) VALUES (?,?,?,?,?)",
                [title, text, position, stamp, by],
            ).lastrowid
        db.execute(
            "UPDATE canned_replies SET title = ?, text = ?, position = ?, updated_at = ?, updated_by = ? WHERE id = ?",
            [title, text, position, stamp, by, reply_id],
        )
        return reply_id

    def delete(self, reply_id: int) -> bool:
        return self.db.get().execute("DELETE FROM canned_replies WHERE id = ?", [reply_id]).rowcount == 1


# Retention: a thread nobody waits on any more goes RETENTION_DAYS after its last change, with its messages; a
# waiting one stays until staff answer or close it. Deleting a person's data deletes their threads.
_OLD = "status != 'waiting' AND updated < ?"


def _expire(db: Database, c) -> int:
    with db.get().atomic() as sdb:
        sdb.execute(
            f"DELETE FROM inbox_messages WHERE thread_id IN (SELECT id FROM inbox_threads WHERE {_OLD})", [c.ts]
        )
        return sdb.execute(f"DELETE FROM inbox_threads WHERE {_OLD}", [c.ts]).rowcount


def _forget(conn: sqlite3.Connection, user_id: str, _anon: str) -> int:
    conn.execute(
        "DELETE FROM inbox_messages WHERE thread_id IN (SELECT id FROM inbox_threads WHERE user_id = ?)", [user_id]
    )
    return conn.execute("DELETE FROM inbox_threads WHERE user_id = ?", [user_id]).rowcount


register(
    Rule(
        "inbox_threads",
        "给工作人员的留言（已回复或已关闭、保留期内没有新消息的）",
        "RETENTION_DAYS",
        count=lambda db, c: db.get().execute(f"SELECT count(*) FROM inbox_threads WHERE {_OLD}", [c.ts]).fetchone()[0],
        expire=_expire,
        forget=_forget,
    )
)
