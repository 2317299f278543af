"""Per-user conversation state (the numbered choices last offered), shared by all worker processes."""

from __future__ import annotations

import json
import time

from storage.db import Database
from storage.spool import Spool


def write_state(conn, user_id: str, state: dict) -> None:
    """Store a user's state on an open connection (inside the caller's transaction); {} clears it."""
    if not state:
        conn.execute("DELETE FROM chat_state WHERE user_id = ?", [user_id])
        return
    conn.execute(
        "INSERT INTO chat_state (user_id, state, updated) VALUES (?, ?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET state = excluded.state, updated = excluded.updated",
        [user_id, json.dumps(state, ensure_ascii=False), time.time()],
    )


class ChatState:
    def __init__(self, db: Database, spool: Spool | None = None, ttl_seconds: float = 1800):
        self.db = db
        self.spool = spool
        self.ttl = ttl_seconds

    def get(self, user_id: str) -> dict:
        """The user's state; a newer one waiting in the spool (database not writable) wins, so "reply 1" still
        means the choices last offered."""
        row = self.db.get().execute("SELECT state, updated FROM chat_state WHERE user_id = ?", [user_id]).fetchone()
        if self.spool is not None and not self.spool.is_empty():
            spooled = self.spool.snapshot().chat_state.get(user_id)
            if spooled is not None and (row is None or spooled[0] >= row[1]):
                row = (spooled[1], spooled[0])
        if row is None or not row[0] or time.time() - row[1] > self.ttl:
            return {}
        return json.loads(row[0])

    def set(self, user_id: str, state: dict) -> None:
        write_state(self.db.get(), user_id, state)

    def clear(self, user_id: str) -> None:
        write_state(self.db.get(), user_id, {})
