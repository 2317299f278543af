"""A consultation as a conversation: the person's messages around it and the bot's replies as they were sent.

The reply is kept masked on the consultation row (`reply`, written with the row since migration m450); rows logged
before that get it from the one-day retry cache while it lasts (masked on the way out), and older ones have none.
"""

from __future__ import annotations

import json

from storage.db import Database
from storage.privacy import mask_reply
from storage.vocab import NEEDS_REVIEW

WINDOW_SECONDS = 6 * 3600  # the thread around a consultation: the same person's messages within six hours


def _shape(row: dict) -> dict:
    row["detail"] = json.loads(row["detail"]) if row.get("detail") else {}
    return row


class Conversations:
    def __init__(self, db: Database):
        self.db = db

    def _fill_replies(self, rows: list[dict]) -> list[dict]:
        missing = [r["msg_key"] for r in rows if r.get("reply") is None and r.get("msg_key")]
        if missing:
            marks = ",".join("?" * len(missing))
            cached = dict(
                self.db.get().execute(f"SELECT key, reply FROM message_replies WHERE key IN ({marks})", missing)
            )
            for r in rows:
                if r.get("reply") is None and r.get("msg_key") in cached:
                    r["reply"] = mask_reply(cached[r["msg_key"]] or "")
        return [_shape(r) for r in rows]

    def get(self, consultation_id: int) -> dict | None:
        rows = list(self.db.get().query("SELECT * FROM consultations WHERE id = ?", [consultation_id]))
        return self._fill_replies(rows)[0] if rows else None

    def around(self, consultation_id: int, before: int = 12, after: int = 8) -> tuple[dict | None, list[dict]]:
        """(the consultation, the same person's rows around it within WINDOW_SECONDS, oldest first)."""
        focus = self.get(consultation_id)
        if focus is None:
            return None, []
        db = self.db.get()
        lo, hi = focus["ts"] - WINDOW_SECONDS, focus["ts"] + WINDOW_SECONDS
        earlier = list(
            db.query(
                "SELECT * FROM consultations WHERE user_id = ? AND ts >= ? AND (ts < ? OR (ts = ? AND id < ?))"
                " ORDER BY ts DESC, id DESC LIMIT ?",
                [focus["user_id"], lo, focus["ts"], focus["ts"], consultation_id, before],
            )
        )
        later = list(
            db.query(
                "SELECT * FROM consultations WHERE user_id = ? AND ts <= ? AND (ts > ? OR (ts = ? AND id > ?))"
                " ORDER BY ts, id LIMIT ?",
                [focus["user_id"], hi, focus["ts"], focus["ts"], consultation_id, after],
            )
        )
        rows = self._fill_replies([*reversed(earlier), *later])
        at = len(earlier)
        return focus, [*rows[:at], focus, *rows[at:]]

    def recent(self, user_id: str, until_ts: float | None = None, limit: int = 30) -> list[dict]:
        """The person's latest rows (up to `until_ts`), oldest first."""
        params: list = [user_id]
        where = ""
        if until_ts is not None:
            where, params = " AND ts <= ?", [user_id, until_ts]
        rows = list(
            self.db.get().query(
                f"SELECT * FROM consultations WHERE user_id = ?{where} ORDER BY ts DESC, id DESC LIMIT ?",
                [*params, limit],
            )
        )
        return self._fill_replies(list(reversed(rows)))

    def latest_unconfident(self, matches, scan: int = 20000) -> int | None:
        """The newest consultation in the unanswered queue's outcomes whose text `matches` (a predicate on the
        stored text): the queue groups texts and carries opaque keys, not row ids."""
        outcomes = tuple(str(o) for o in NEEDS_REVIEW)
        marks = ",".join("?" * len(outcomes))
        for row_id, text in self.db.get().execute(
            f"SELECT id, text FROM consultations WHERE outcome IN ({marks}) AND text != '' ORDER BY ts DESC LIMIT ?",
            [*outcomes, scan],
        ):
            if matches(text):
                return row_id
        return None

    def latest_with_text(self, text: str) -> int | None:
        """The newest consultation whose stored (masked) text is exactly `text`."""
        row = (
            self.db.get()
            .execute("SELECT id FROM consultations WHERE text = ? ORDER BY ts DESC LIMIT 1", [text])
            .fetchone()
        )
        return row[0] if row else None
