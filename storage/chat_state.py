"""Per-user conversation state (the numbered choices last offered), shared by all worker processes."""

from __future__ import annotations

import json
import time

from storage.db import Database


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
    def __init__(self, db: Database, ttl_seconds: float = 1800):
        self.db = db
        self.ttl = ttl_seconds

    def get(self, user_id: str) -> dict:
        row = self.db.get().execute("SELECT state, updated FROM chat_state WHERE user_id = ?", [user_id]).fetchone()
        if row is None or time.time() - row[1] > self.ttl:
            return {}
        return json.loads(row[0])

    def set(self, user_id: str, state: dict) -> None:
        write_state(self.db.get(), user_id, state)

    def clear(self, user_id: str) -> None:
        write_state(self.db.get(), user_id, {})
