"""Per-user conversation state (the numbered choices last offered), shared by all worker processes."""

from __future__ import annotations

import json
import time

from storage.db import Database


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
        self.db.get().execute(
            "INSERT INTO chat_state (user_id, state, updated) VALUES (?, ?, ?) "
            "ON CONFLICT(user_id) DO UPDATE SET state = excluded.state, updated = excluded.updated",
            [user_id, json.dumps(state, ensure_ascii=False), time.time()],
        )

    def clear(self, user_id: str) -> None:
        self.db.get().execute("DELETE FROM chat_state WHERE user_id = ?", [user_id])
