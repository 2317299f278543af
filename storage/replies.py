"""Retry de-duplication: WeChat re-sends a message it got no answer for within 5 s, up to 3 more times.

The reply to each message is stored under its key (MsgId, or FromUserName+CreateTime+Event+EventKey for
events) in the same statement that logs the consultation (`ConsultationLog.record`): whichever delivery
commits first is the answer, and every other delivery of that key, in any worker process, gets the stored
reply and writes nothing. So a message costs one write, and a retry is answered and logged once.
"""

from __future__ import annotations

import time

from storage.db import Database

DONE = "done"
KEEP_SECONDS = 86400  # WeChat retries within 15 s; a day is plenty


class ReplyCache:
    def __init__(self, db: Database):
        self.db = db

    def get(self, key: str) -> str | None:
        """The reply already given to `key` ("" when the message got no reply), or None for a new message."""
        row = self.db.get().execute("SELECT reply FROM message_replies WHERE key = ? AND state = ?", [key, DONE])
        found = row.fetchone()
        return None if found is None else (found[0] or "")

    def purge(self, older_than_seconds: float = KEEP_SECONDS) -> int:
        """Drop replies older than a day (the log writer's maintenance thread calls this hourly)."""
        cur = self.db.get().execute("DELETE FROM message_replies WHERE created < ?", [time.time() - older_than_seconds])
        return cur.rowcount
