"""A consultation as a conversation: the person's messages around it and the bot's replies as they were sent.

The reply is kept masked for the consultation row (since migration m450: `reply_texts`, each distinct reply once,
pointed at by `consultations.reply_id`); rows logged before that get it from the one-day retry cache while it lasts
(masked on the way out), and older ones have none. A reply no row points at any more (the rows were anonymised or
deleted) is removed by the retention rule below.
"""

from __future__ import annotations

import json

from storage.db import Database
from storage.privacy import mask_reply
from storage.retention import Rule, register
from storage.vocab import NEEDS_REVIEW

WINDOW_SECONDS = 6 * 3600  # the thread around a consultation: the same person's messages within six hours
# Consultation rows with the reply as sent (None when none was kept).
ROWS = "SELECT c.*, t.text AS reply FROM consultations c LEFT JOIN reply_texts t ON t.id = c.reply_id"


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
        rows = list(self.db.get().query(f"{ROWS} WHERE c.id = ?", [consultation_id]))
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
                f"{ROWS} WHERE c.user_id = ? AND c.ts >= ? AND (c.ts < ? OR (c.ts = ? AND c.id < ?))"
                " ORDER BY c.ts DESC, c.id DESC LIMIT ?",
                [focus["user_id"], lo, focus["ts"], focus["ts"], consultation_id, before],
            )
        )
        later = list(
            db.query(
                f"{ROWS} WHERE c.user_id = ? AND c.ts <= ? AND (c.ts > ? OR (c.ts = ? AND c.id > ?))"
                " ORDER BY c.ts, c.id LIMIT ?",
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
            where, params = " AND c.ts <= ?", [user_id, until_ts]
        rows = list(
            self.db.get().query(
                f"{ROWS} WHERE c.user_id = ?{where} ORDER BY c.ts DESC, c.id DESC LIMIT ?",
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


_ORPHANS = "id NOT IN (SELECT reply_id FROM consultations WHERE reply_id IS NOT NULL)"


def _orphans(db: Database, _cutoff=None) -> int:
    return db.get().execute(f"SELECT count(*) FROM reply_texts WHERE {_ORPHANS}").fetchone()[0]


# After the consultations rule (registered first): the replies of anonymised rows and of a deleted user go with them.
register(
    Rule(
        "reply_texts",
        "咨询记录不再用到的回复原文（遮蔽后保存的；匿名化或删除的咨询的回复）",
        0,
        count=_orphans,
        expire=lambda db, _c: db.get().execute(f"DELETE FROM reply_texts WHERE {_ORPHANS}").rowcount,
        forget=lambda conn, _user, _anon: conn.execute(f"DELETE FROM reply_texts WHERE {_ORPHANS}").rowcount,
    )
)
