"""The consultation log: one row per consultation, and the users table (pseudonymous ids only)."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import dataclass, field

from storage.db import Database, local_stamp
from storage.vocab import NEEDS_REVIEW, Outcome

OUTCOMES = tuple(o.value for o in Outcome)
UNCONFIDENT = tuple(str(o) for o in NEEDS_REVIEW)  # outcomes that feed the console's unanswered queue


@dataclass
class Consultation:
    user_id: str
    kind: str
    outcome: str
    text: str = ""
    faq_id: str | None = None
    score: float | None = None
    topic: str | None = None
    latency_ms: float | None = None
    msg_key: str | None = None
    detail: dict = field(default_factory=dict)
    ts: float = field(default_factory=time.time)
    reply: str | None = None  # the reply as sent, masked like `text` (kept once per distinct text: reply_texts)


def log_row(
    c: Consultation,
    reply: str | None,
    subscribed: bool | None,
    chat_state: dict | None,
    nonce: tuple[int, str] | None = None,
) -> dict:
    """The columns of one `message_log` insert (plain JSON types: the spool keeps them as they are)."""
    created_at, day = local_stamp(c.ts)
    state = None if chat_state is None else (json.dumps(chat_state, ensure_ascii=False) if chat_state else "")
    return {
        "msg_key": c.msg_key or f"local:{uuid.uuid4().hex}",
        "reply": reply,
        "ts": c.ts,
        "created_at": created_at,
        "day": day,
        "user_id": c.user_id,
        "kind": c.kind,
        "text": c.text,
        "outcome": str(c.outcome),
        "faq_id": c.faq_id,
        "score": None if c.score is None else round(c.score, 4),
        "topic": c.topic,
        "latency_ms": None if c.latency_ms is None else round(c.latency_ms, 2),
        "detail": json.dumps(c.detail, ensure_ascii=False) if c.detail else None,
        "subscribed": None if subscribed is None else int(subscribed),
        "chat_state": state,
        "nonce_ts": None if nonce is None else nonce[0],
        "nonce": None if nonce is None else nonce[1],
        "reply_log": c.reply,
        "reply_sha": reply_sha(c.reply) if c.reply else None,
    }


def reply_sha(text: str) -> str:
    """The key under which a (masked) reply is stored once in reply_texts."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


LOG_COLUMNS = (
    "msg_key reply ts created_at day user_id kind text outcome faq_id score topic latency_ms detail subscribed"
    " chat_state nonce nonce_ts reply_log reply_sha"
).split()
_INSERT = f"INSERT INTO message_log ({', '.join(LOG_COLUMNS)}) VALUES ({', '.join(':' + c for c in LOG_COLUMNS)})"


def insert_row(conn, row: dict) -> int | None:
    """Insert one `log_row` on an open connection; the consultation's id, or None when the trigger wrote nothing
    (the message was already answered or logged, or its plain-mode nonce was already used by another message)."""
    before = conn.total_changes
    conn.execute(_INSERT, {c: row.get(c) for c in LOG_COLUMNS})  # rows spooled by an older version lack reply_*
    if conn.total_changes == before:
        return None
    found = conn.execute("SELECT id FROM consultations WHERE msg_key = ?", [row["msg_key"]]).fetchone()
    return found[0] if found else 0


class ConsultationLog:
    def __init__(self, db: Database):
        self.db = db

    def record(
        self,
        c: Consultation,
        reply: str | None = None,
        subscribed: bool | None = None,
        chat_state: dict | None = None,
    ) -> int | None:
        """Log one consultation, touch the user, store the reply for retries (when given) and the user's
        conversation state (when not None; {} clears it), all in one transaction: one INSERT into the
        `message_log` view, whose trigger does the rest (storage/migrations.py).

        Returns the consultation's row id, or None when `reply` was given and `msg_key` already has a stored
        reply: another delivery of the same message was first, and nothing is written. A row logged without a
        `msg_key` (outside the webhook) gets a local one. The webhook writes through storage.logwriter instead,
        which falls back to the spool when the database cannot be written.
        """
        return insert_row(self.db.get().conn, log_row(c, reply, subscribed, chat_state))

    def update_detail(self, row_id: int, **changes) -> None:
        """Change fields of a logged row (used when a late LLM answer arrives)."""
        db = self.db.get()
        row = db.execute("SELECT detail FROM consultations WHERE id = ?", [row_id]).fetchone()
        if row is None:
            return
        detail = json.loads(row[0]) if row[0] else {}
        detail.update(changes.pop("detail", {}))
        sets, params = ["detail = ?"], [json.dumps(detail, ensure_ascii=False)]
        for key in ("outcome", "latency_ms", "faq_id", "score", "topic"):
            if key in changes:
                sets.append(f"{key} = ?")
                params.append(changes[key])
        db.execute(f"UPDATE consultations SET {', '.join(sets)} WHERE id = ?", [*params, row_id])

    def get(self, row_id: int) -> dict | None:
        rows = list(self.db.get().query("SELECT * FROM consultations WHERE id = ?", [row_id]))
        if not rows:
            return None
        row = rows[0]
        row["detail"] = json.loads(row["detail"]) if row["detail"] else {}
        return row

    def count(self) -> int:
        return self.db.get().execute("SELECT count(*) FROM consultations").fetchone()[0]

    def any_with(self, outcome: str) -> bool:
        """Whether any consultation has this outcome (one index lookup)."""
        row = self.db.get().execute("SELECT 1 FROM consultations WHERE outcome = ? LIMIT 1", [outcome]).fetchone()
        return row is not None

    def count_key(self, msg_key: str) -> int:
        return self.db.get().execute("SELECT count(*) FROM consultations WHERE msg_key = ?", [msg_key]).fetchone()[0]

    # console: the unanswered queue (the log list is storage/log_search.py)
    def unanswered_texts(self, since: str | None = None, limit: int = 2000) -> list[dict]:
        """Distinct questions that got no confident answer (not dismissed), most frequent first: text, n,
        last_day, and `outcomes`, how often each outcome was logged for it (tentative answers included: a
        person should check them)."""
        params: list = []
        where = ""
        if since:
            where, params = " AND day >= ?", [since]
        rows = self.db.get().query(
            "SELECT text, sum(n) AS n, max(last_day) AS last_day, max(last_ts) AS last_ts,"
            " json_group_object(outcome, n) AS outcomes FROM ("
            " SELECT text, outcome, count(*) AS n, max(day) AS last_day, max(ts) AS last_ts FROM consultations"
            f" WHERE outcome IN {UNCONFIDENT!r} AND kind IN ('text', 'voice') AND text != ''{where}"
            " AND text NOT IN (SELECT text FROM dismissed_questions)"
            " GROUP BY text, outcome)"
            " GROUP BY text ORDER BY n DESC, last_ts DESC LIMIT ?",
            [*params, limit],
        )
        out = []
        for row in rows:
            row["outcomes"] = json.loads(row["outcomes"])
            out.append(row)
        return out

    def dismiss(self, texts: list[str], author: str) -> int:
        """Take questions off the unanswered queue for good; returns how many were new."""
        stamp, _ = local_stamp()
        db = self.db.get()
        added = 0
        with db.atomic():
            for text in texts:
                cur = db.execute(
                    "INSERT OR IGNORE INTO dismissed_questions (text, created_at, author) VALUES (?,?,?)",
                    [text, stamp, author],
                )
                added += cur.rowcount
        return added
