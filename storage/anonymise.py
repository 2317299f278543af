"""Anonymising consultation rows: the text goes, the detail keeps only what the statistics read, the pseudonym is
replaced by an id that cannot be traced back, and the retry key (which for events contains the pseudonym) goes.

Counts stay right: the row itself stays, with its day, kind, outcome, topic, FAQ entry and latency. For old rows
(retention) the new id is a hash of the pseudonym with a random salt of the row's calendar month, so one person
is still one user within a month (monthly and daily user counts stay exact); the salt is deleted once the month is
done, and then nobody can link the rows again. A deleted user's rows all get one fresh random id.
"""

from __future__ import annotations

import hashlib
import json
import secrets

from storage.db import Database
from storage.privacy import MASK_VERSION, mask_pii, mask_reply

ANON_PREFIX = "anon_"
NOT_ANONYMISED = "substr(user_id, 1, 5) != 'anon_'"  # the partial index consultations_not_anonymised
# Detail keys the statistics, the review pages and the reports read; everything else (the model's answer text,
# removed sentences) goes.
DETAIL_KEPT = (
    "tentative",
    "choices",
    "best",
    "runner_up",
    "menu",
    "via",
    "choice",
    "model",
    "prompt_tokens",
    "completion_tokens",
    "llm_latency_ms",
    "citations",
    "retrieved",
    "faq_refs",
    "delivery",
    "llm_error",
    "rejected",
    "error",
)
BATCH = 2000  # rows per transaction: the webhook's writes never wait long behind a purge


def new_anon_id() -> str:
    return ANON_PREFIX + secrets.token_hex(8)


def _slim_detail(detail: str | None) -> str | None:
    if not detail:
        return None
    try:
        data = json.loads(detail)
    except ValueError:
        return None
    kept = {k: v for k, v in data.items() if k in DETAIL_KEPT} if isinstance(data, dict) else {}
    return json.dumps(kept, ensure_ascii=False) if kept else None


def anonymise_rows(conn, rows: list[tuple], anon_for) -> int:
    """Anonymise (id, user_id, day, msg_key, detail) rows; `anon_for(user_id, day)` gives the new id."""
    keys = [(r[3],) for r in rows if r[3]]
    conn.executemany("DELETE FROM message_replies WHERE key = ?", keys)
    conn.executemany("UPDATE llm_reviews SET note = NULL WHERE consultation_id = ?", [(r[0],) for r in rows])
    conn.executemany("UPDATE answer_flags SET note = NULL WHERE consultation_id = ?", [(r[0],) for r in rows])
    conn.executemany(
        "UPDATE consultations SET text = '', reply_id = NULL, detail = ?, user_id = ?, msg_key = NULL WHERE id = ?",
        [(_slim_detail(r[4]), anon_for(r[1], r[2]), r[0]) for r in rows],
    )
    return len(rows)


def _month_salts(conn):
    cache: dict[str, str] = {}

    def salt(month: str) -> str:
        if month not in cache:
            conn.execute(
                "INSERT OR IGNORE INTO retention_salts (month, salt) VALUES (?, ?)", [month, secrets.token_hex(16)]
            )
            cache[month] = conn.execute("SELECT salt FROM retention_salts WHERE month = ?", [month]).fetchone()[0]
        return cache[month]

    def anon_for(user_id: str, day: str) -> str:
        digest = hashlib.sha256((salt(day[:7]) + user_id).encode()).hexdigest()
        return ANON_PREFIX + digest[:16]

    return anon_for


def count_old(db: Database, cutoff_day: str) -> int:
    sql = f"SELECT count(*) FROM consultations WHERE day < ? AND {NOT_ANONYMISED}"
    return db.get().execute(sql, [cutoff_day]).fetchone()[0]


def anonymise_old(db: Database, cutoff_day: str) -> int:
    """Anonymise every row of a day before `cutoff_day`, a batch per transaction; then drop the salts of the
    months that are over (every row of theirs is done)."""
    sdb = db.get()
    done = 0
    while True:
        with sdb.atomic():
            rows = sdb.execute(
                f"SELECT id, user_id, day, msg_key, detail FROM consultations WHERE day < ? AND {NOT_ANONYMISED}"
                " LIMIT ?",
                [cutoff_day, BATCH],
            ).fetchall()
            if not rows:
                break
            done += anonymise_rows(sdb.conn, rows, _month_salts(sdb.conn))
    sdb.execute("DELETE FROM retention_salts WHERE month < ?", [cutoff_day[:7]])
    return done


def forget_consultations(conn, user_id: str, anon_id: str) -> int:
    """Anonymise every row of one user under `anon_id` (inside the caller's transaction)."""
    rows = conn.execute(
        "SELECT id, user_id, day, msg_key, detail FROM consultations WHERE user_id = ?", [user_id]
    ).fetchall()
    conn.execute("DELETE FROM message_replies WHERE key LIKE ? ESCAPE '\\'", [_like_prefix(f"evt:{user_id}:")])
    return anonymise_rows(conn, rows, lambda _user, _day: anon_id)


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# Re-masking rows stored before masking learned something new (MASK_VERSION), once, in batches: the consultations'
# texts and the bot's replies kept for them (reply_texts, each distinct reply once).
REMASKED = (("consultations", "text", "masked_through_v"), ("reply_texts", "text", "replies_masked_through_v"))


def _remask_key(prefix: str = "masked_through_v") -> str:
    return f"{prefix}{MASK_VERSION}"


def remask_pending(db: Database) -> int:
    pending = 0
    for table, column, prefix in REMASKED:
        row = db.get().execute("SELECT value FROM meta WHERE key = ?", [_remask_key(prefix)]).fetchone()
        through = int(row[0]) if row else 0
        sql = f"SELECT count(*) FROM {table} WHERE id > ? AND {column} != ''"
        pending += db.get().execute(sql, [through]).fetchone()[0]
    return pending


def remask(db: Database) -> int:
    """Mask again every row not yet checked with this MASK_VERSION; returns how many rows changed."""
    return sum(_remask_table(db, table, column, prefix) for table, column, prefix in REMASKED)


def _remask_table(db: Database, table: str, column: str, prefix: str) -> int:
    sdb = db.get()
    changed = 0
    mask = mask_reply if table == "reply_texts" else mask_pii  # replies repeat: masked once per process
    while True:
        with sdb.atomic():
            row = sdb.execute("SELECT value FROM meta WHERE key = ?", [_remask_key(prefix)]).fetchone()
            through = int(row[0]) if row else 0
            rows = sdb.execute(
                f"SELECT id, {column} FROM {table} WHERE id > ? ORDER BY id LIMIT ?", [through, BATCH]
            ).fetchall()
            if not rows:
                break
            updates = [(masked, rid) for rid, text in rows if text and (masked := mask(text)) != text]
            sdb.conn.executemany(f"UPDATE {table} SET {column} = ? WHERE id = ?", updates)
            sdb.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [_remask_key(prefix), str(rows[-1][0])],
            )
            changed += len(updates)
    return changed
