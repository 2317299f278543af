"""The SQLite file: one connection per thread (and per process), WAL mode, schema on first use."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlite_utils

CHINA_TZ = timezone(timedelta(hours=8))

SCHEMA = """
CREATE TABLE IF NOT EXISTS consultations (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    created_at TEXT NOT NULL,
    day TEXT NOT NULL,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT,
    outcome TEXT NOT NULL,
    faq_id TEXT,
    score REAL,
    topic TEXT,
    latency_ms REAL,
    msg_key TEXT UNIQUE,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS consultations_day ON consultations(day);
CREATE INDEX IF NOT EXISTS consultations_user ON consultations(user_id);
CREATE INDEX IF NOT EXISTS consultations_outcome ON consultations(outcome, day);
CREATE TABLE IF NOT EXISTS users (
    user_id TEXT PRIMARY KEY,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    subscribed INTEGER,
    subscribed_at TEXT,
    unsubscribed_at TEXT,
    messages INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS message_replies (
    key TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    reply TEXT,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS chat_state (
    user_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE IF NOT EXISTS faq_entries (
    id TEXT PRIMARY KEY,
    topic TEXT NOT NULL,
    question TEXT NOT NULL,
    variants TEXT NOT NULL,
    answer TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    position INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT,
    updated_by TEXT
);
CREATE TABLE IF NOT EXISTS faq_revisions (
    id INTEGER PRIMARY KEY,
    entry_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    author TEXT NOT NULL,
    action TEXT NOT NULL,
    snapshot TEXT,
    changes TEXT
);
CREATE INDEX IF NOT EXISTS faq_revisions_entry ON faq_revisions(entry_id, id);
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS login_failures (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    account TEXT,
    address TEXT
);
CREATE INDEX IF NOT EXISTS login_failures_ts ON login_failures(ts);
CREATE TABLE IF NOT EXISTS dismissed_questions (
    text TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    author TEXT
);
CREATE TABLE IF NOT EXISTS llm_jobs (
    key TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    state TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    answer TEXT,
    outcome TEXT,
    detail TEXT,
    delivery TEXT
);
CREATE INDEX IF NOT EXISTS llm_jobs_user ON llm_jobs(user_id, state);
CREATE TABLE IF NOT EXISTS llm_reviews (
    consultation_id INTEGER PRIMARY KEY,
    status TEXT NOT NULL,
    note TEXT,
    faq_id TEXT,
    reviewer TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_tokens (
    name TEXT PRIMARY KEY,
    token TEXT,
    expires REAL NOT NULL DEFAULT 0,
    lease_until REAL NOT NULL DEFAULT 0
);
"""


def now_local() -> datetime:
    return datetime.now(CHINA_TZ)


def local_stamp(ts: float | None = None) -> tuple[str, str]:
    """(created_at, day) in China time for an epoch timestamp."""
    moment = datetime.fromtimestamp(time.time() if ts is None else ts, CHINA_TZ)
    return moment.strftime("%Y-%m-%d %H:%M:%S"), moment.strftime("%Y-%m-%d")


class Database:
    """Hands out one sqlite-utils Database per thread; safe across fork (new pid, new connection)."""

    def __init__(self, path: str | os.PathLike):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self.get().executescript(SCHEMA)

    def get(self) -> sqlite_utils.Database:
        local = self._local
        if getattr(local, "pid", None) != os.getpid() or local.db is None:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=10000")
            conn.execute("PRAGMA foreign_keys=ON")
            local.db = sqlite_utils.Database(conn)
            local.pid = os.getpid()
        return local.db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
