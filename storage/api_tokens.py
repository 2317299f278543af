"""Cached API credentials (the WeChat access_token), shared by all worker processes.

WeChat invalidates the previous access_token (after a short grace period) whenever a new one is fetched, so
workers that each refreshed on their own would keep knocking each other's tokens out. One worker takes a short
lease, fetches, and stores the token here; the others wait for it.
"""

from __future__ import annotations

import time

from storage.db import Database


class ApiTokens:
    def __init__(self, db: Database):
        self.db = db

    def get(self, name: str, margin_seconds: float = 300) -> str | None:
        """The cached token when it is still valid for at least `margin_seconds`."""
        row = self.db.get().execute("SELECT token, expires FROM api_tokens WHERE name = ?", [name]).fetchone()
        if row is None or not row[0] or row[1] - margin_seconds <= time.time():
            return None
        return row[0]

    def put(self, name: str, token: str, expires_in: float) -> None:
        self.db.get().execute(
            "INSERT INTO api_tokens (name, token, expires, lease_until) VALUES (?, ?, ?, 0)"
            " ON CONFLICT(name) DO UPDATE SET token = excluded.token, expires = excluded.expires, lease_until = 0",
            [name, token, time.time() + expires_in],
        )

    def invalidate(self, name: str, token: str) -> None:
        """Forget `token` (WeChat said it is invalid); a newer token stored meanwhile is kept."""
        self.db.get().execute("UPDATE api_tokens SET expires = 0 WHERE name = ? AND token = ?", [name, token])

    def lease(self, name: str, seconds: float) -> bool:
        """True when this caller may refresh the token now (no one else holds an unexpired lease)."""
        now = time.time()
        db = self.db.get()
        db.execute(
            "INSERT OR IGNORE INTO api_tokens (name, token, expires, lease_until) VALUES (?, NULL, 0, 0)", [name]
        )
        cur = db.execute(
            "UPDATE api_tokens SET lease_until = ? WHERE name = ? AND lease_until < ?", [now + seconds, name, now]
        )
        return cur.rowcount == 1

    def release(self, name: str) -> None:
        self.db.get().execute("UPDATE api_tokens SET lease_until = 0 WHERE name = ?", [name])
