"""Retry de-duplication: WeChat re-sends a message it got no answer for within 5 s, up to 3 more times.

The first delivery claims the key (MsgId, or FromUserName+CreateTime+Event+EventKey for events); a retry that
arrives while the first is still being handled waits for its reply. The claim lives in SQLite, so it holds
across worker processes.
"""

from __future__ import annotations

import time

from storage.db import Database

PENDING, DONE = "pending", "done"


KEEP_SECONDS = 86400  # WeChat retries within 15 s; a day is plenty
PURGE_EVERY_SECONDS = 3600


class ReplyCache:
    def __init__(self, db: Database):
        self.db = db
        self._next_purge = 0.0

    def claim(self, key: str) -> bool:
        """True when this caller is the first to see `key` and must produce the reply."""
        if time.monotonic() >= self._next_purge:  # at most once an hour per process
            self._next_purge = time.monotonic() + PURGE_EVERY_SECONDS
            self.purge(KEEP_SECONDS)
        cur = self.db.get().execute(
            "INSERT OR IGNORE INTO message_replies (key, state, reply, created) VALUES (?, ?, NULL, ?)",
            [key, PENDING, time.time()],
        )
        return cur.rowcount == 1

    def wait(self, key: str, timeout: float, poll: float = 0.05) -> str | None:
        """The stored reply for `key`, waiting up to `timeout` s while the first delivery is in flight."""
        deadline = time.monotonic() + timeout
        while True:
            row = self.db.get().execute("SELECT state, reply FROM message_replies WHERE key = ?", [key]).fetchone()
            if row is None:
                return None
            if row[0] == DONE:
                return row[1]
            if time.monotonic() >= deadline:
                return None
            time.sleep(poll)

    def release(self, key: str) -> None:
        """Forget a claim whose handling failed, so a retry can try again."""
        self.db.get().execute("DELETE FROM message_replies WHERE key = ? AND state = ?", [key, PENDING])

    def purge(self, older_than_seconds: float = KEEP_SECONDS) -> int:
        cur = self.db.get().execute("DELETE FROM message_replies WHERE created < ?", [time.time() - older_than_seconds])
        return cur.rowcount
