"""Model-answer jobs, keyed by the message's dedup key, so that WeChat's retries of one message (which may land
on any worker process) never start a second model call, and a late answer can wait for the user's next message.

A job moves through these states:

    running ─┬─> ready ──> delivered      finished within the budget: the passive reply
             ├─> failed                   failed within the budget: the FAQ fallback was the passive reply
             └─> late ─┬─> sent           pushed through the customer-service API
                       └─> waiting ──> delivered   kept for the reply to the user's next message

Every transition that two threads could race for is one conditional UPDATE.
"""

from __future__ import annotations

import json
import time

from storage.db import Database

RUNNING, READY, FAILED, LATE = "running", "ready", "failed", "late"
SENT, WAITING, DELIVERED = "sent", "waiting", "delivered"


def _row(row: dict | None) -> dict | None:
    if row is not None:
        row["detail"] = json.loads(row["detail"]) if row.get("detail") else {}
    return row


class LlmJobs:
    def __init__(self, db: Database):
        self.db = db

    def claim(self, key: str, user_id: str) -> bool:
        """True when this caller is the first for `key` and must run the model."""
        now = time.time()
        with self.db.short_wait() as conn:  # the user's reply waits on it: DB_WRITE_TIMEOUT, not 10 s
            cur = conn.execute(
                "INSERT OR IGNORE INTO llm_jobs (key, user_id, state, created, updated) VALUES (?, ?, ?, ?, ?)",
                [key, user_id, RUNNING, now, now],
            )
        return cur.rowcount == 1

    def get(self, key: str) -> dict | None:
        rows = list(self.db.get().query("SELECT * FROM llm_jobs WHERE key = ?", [key]))
        return _row(rows[0] if rows else None)

    def _move(self, key: str, from_state: str, to_state: str, **fields) -> bool:
        sets, params = ["state = ?", "updated = ?"], [to_state, time.time()]
        for name in ("answer", "outcome", "delivery"):
            if name in fields:
                sets.append(f"{name} = ?")
                params.append(fields[name])
        if "detail" in fields:
            sets.append("detail = ?")
            params.append(json.dumps(fields["detail"], ensure_ascii=False))
        cur = self.db.get().execute(
            f"UPDATE llm_jobs SET {', '.join(sets)} WHERE key = ? AND state = ?", [*params, key, from_state]
        )
        return cur.rowcount == 1

    def finish(self, key: str, answer: str | None, outcome: str, detail: dict) -> bool:
        """running -> ready with the result; False when the waiter already gave up (the job is late)."""
        return self._move(key, RUNNING, READY, answer=answer, outcome=outcome, detail=detail)

    def mark_late(self, key: str) -> bool:
        """running -> late; False when the result arrived just now (the job is ready)."""
        return self._move(key, RUNNING, LATE)

    def mark_failed(self, key: str) -> bool:
        return self._move(key, READY, FAILED)

    def abandon(self, key: str) -> bool:
        """late -> failed: the process running the job is gone (restart), so nothing will be delivered."""
        return self._move(key, LATE, FAILED)

    def mark_delivered(self, key: str, from_state: str = READY, delivery: str = "passive") -> bool:
        return self._move(key, from_state, DELIVERED, delivery=delivery)

    def settle_late(self, key: str, state: str, answer: str, outcome: str, detail: dict, delivery: str) -> bool:
        """late -> sent | waiting, with what was (or will be) delivered."""
        return self._move(key, LATE, state, answer=answer, outcome=outcome, detail=detail, delivery=delivery)

    def open_job(self, user_id: str, max_age_seconds: float) -> dict | None:
        """The user's oldest recent job whose answer is still owed to them (state late or waiting)."""
        rows = list(
            self.db.get().query(
                "SELECT * FROM llm_jobs WHERE user_id = ? AND state IN (?, ?) AND created > ? ORDER BY created LIMIT 1",
                [user_id, LATE, WAITING, time.time() - max_age_seconds],
            )
        )
        return _row(rows[0] if rows else None)

    def consultation_id(self, key: str) -> int | None:
        """The consultation-log row of the message `key` (logged by the webhook after the first reply)."""
        row = self.db.get().execute("SELECT id FROM consultations WHERE msg_key = ?", [key]).fetchone()
        return row[0] if row else None

    def count(self, state: str | None = None) -> int:
        if state is None:
            return self.db.get().execute("SELECT count(*) FROM llm_jobs").fetchone()[0]
        return self.db.get().execute("SELECT count(*) FROM llm_jobs WHERE state = ?", [state]).fetchone()[0]

    def purge(self, older_than_seconds: float = 7 * 86400) -> int:
        cur = self.db.get().execute("DELETE FROM llm_jobs WHERE created < ?", [time.time() - older_than_seconds])
        return cur.rowcount
