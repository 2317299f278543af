"""Schema changes, in order, through sqlite-utils' Migrations (recorded in `_sqlite_migrations`).

A new table or column is a new function at the end, `m0NN_what_it_adds(db)`; a deployed database gets exactly the
migrations it has not had yet. m001 is the schema as it stood before migrations existed: every statement in it says
IF NOT EXISTS, so a database created by an older version takes it without change.

Migrations run once per process start, under a file lock beside the database, so two processes starting together
(gunicorn workers, a command run while the server starts) never apply the same one twice.
"""

from __future__ import annotations

import fcntl
import sqlite3
from contextlib import contextmanager

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("pufa")


def run_script(db: sqlite_utils.Database, script: str) -> None:
    """Execute several statements one by one (executescript would COMMIT the migration's transaction)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError("incomplete SQL statement at the end of a migration")


@contextmanager
def _file_lock(path: str | None):
    if path is None:
        yield
        return
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def migrate(db: sqlite_utils.Database, lock_path: str | None) -> None:
    """Apply every pending migration (a no-op on an up-to-date database)."""
    if not migrations.pending(db):
        return
    with _file_lock(lock_path):
        migrations.apply(db)


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    """The tables as they stood before migrations: the log, users, retries, chat state, the FAQ, accounts, the
    model path. The `message_log` view's INSTEAD OF trigger writes one message's whole log entry in one statement
    (see storage.consultations.ConsultationLog.record): the reply for retries, the consultation row, the user, the
    chat state."""
    run_script(db, M001_SQL)


@migrations()
def m002_tentative_outcome(db: sqlite_utils.Database) -> None:
    """Tentative answers ("我理解您问的是…") were logged as `suggested` with detail.tentative; they get their own
    outcome, so the 答复率 and the unanswered queue no longer hide them."""
    db.execute(
        "UPDATE consultations SET outcome = 'tentative' WHERE outcome = 'suggested'"
        " AND json_extract(detail, '$.tentative') = 1"
    )


@migrations()
def m003_faq_hub_followups(db: sqlite_utils.Database) -> None:
    """FAQ entries can be their topic's hub (the answer to a short, generic message) and can name their follow-ups
    (the entry that answers "要钱吗", "多久", … after them)."""
    db.execute("ALTER TABLE faq_entries ADD COLUMN hub INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE faq_entries ADD COLUMN followups TEXT")


@migrations()
def m200_console_sessions(db: sqlite_utils.Database) -> None:
    """Console sessions recorded on the server (the cookie carries only a random id; the table keeps its SHA-256),
    login throttling per account and address with growing delays (replaces login_failures), the addresses each
    account has signed in from, and the optional TOTP second factor with one-time recovery codes."""
    run_script(db, M200_SQL)


@migrations()
def m201_retention(db: sqlite_utils.Database) -> None:
    """Retention and erasure (storage/retention.py): a random salt per calendar month for anonymising old rows
    (deleted once the month is done, so nobody can link them again), the audit of deletions, and a partial index
    that lets the daily purge find the rows it has not anonymised yet without reading the ones it has."""
    run_script(db, M201_SQL)


@migrations()
def m101_nonces_and_replayable_log(db: sqlite_utils.Database) -> None:
    """Plain mode: the (timestamp, nonce) of every logged push, so a captured signed URL cannot be replayed with a
    new body inside the timestamp window (purged after it). The `message_log` view gets the nonce columns; its
    trigger (v2) also ignores a row whose message is already logged (a spooled row replayed twice after a crash)
    and never lets an older spooled row overwrite newer conversation state."""
    run_script(db, M101_SQL)


@migrations()
def m400_outbox(db: sqlite_utils.Database) -> None:
    """Messages from staff to one person, waiting to be pushed or delivered with their next reply (storage/outbox.py),
    and the encrypted OpenIDs a push needs, kept for 48 hours."""
    run_script(db, M400_SQL)


M400_SQL = """
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    ref TEXT NOT NULL,
    text TEXT NOT NULL,
    author TEXT NOT NULL,
    created REAL NOT NULL,
    state TEXT NOT NULL,
    channel TEXT,
    delivered REAL,
    error TEXT
);
CREATE INDEX outbox_pending ON outbox(user_id, state);
CREATE INDEX outbox_ref ON outbox(kind, ref);
CREATE TABLE openid_vault (
    user_id TEXT PRIMARY KEY,
    openid TEXT NOT NULL,
    seen REAL NOT NULL
);
"""


@migrations()
def m301_faq_import_batches(db: sqlite_utils.Database) -> None:
    """Every FAQ import is one batch: its revisions carry the batch id, so 撤销本次导入 can revert exactly them."""
    if "batch" not in db["faq_revisions"].columns_dict:
        db.execute("ALTER TABLE faq_revisions ADD COLUMN batch INTEGER")
    run_script(
        db,
        """
CREATE INDEX IF NOT EXISTS faq_revisions_batch ON faq_revisions(batch) WHERE batch IS NOT NULL;
CREATE TABLE IF NOT EXISTS faq_imports (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    created_at TEXT NOT NULL,
    author TEXT NOT NULL,
    filename TEXT,
    mode TEXT NOT NULL,
    added INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0,
    undone_at TEXT,
    undone_by TEXT
);
""",
    )


@migrations()
def m302_faq_import_checks(db: sqlite_utils.Database) -> None:
    """A checked upload waits here (a limited time, for the account and browser session that checked it), so
    confirming the import does not need the file picked again. Any worker process can finish it."""
    run_script(
        db,
        """
CREATE TABLE IF NOT EXISTS faq_import_checks (
    token TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    ts REAL NOT NULL,
    filename TEXT,
    entries TEXT NOT NULL
);
""",
    )


@migrations()
def m303_form_drafts(db: sqlite_utils.Database) -> None:
    """What someone typed into a console form when their login had expired, kept until they log in again."""
    run_script(
        db,
        """
CREATE TABLE IF NOT EXISTS form_drafts (
    token TEXT PRIMARY KEY,
    ts REAL NOT NULL,
    page TEXT NOT NULL,
    action TEXT NOT NULL,
    fields TEXT NOT NULL
);
""",
    )


M001_SQL = """

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
-- One message's whole log write as a single INSERT (see storage.consultations.ConsultationLog.record): the write
-- lock is taken and released inside one SQLite call, never held while a thread waits for Python's GIL.
CREATE VIEW IF NOT EXISTS message_log AS SELECT
    NULL AS msg_key, NULL AS reply, NULL AS ts, NULL AS created_at, NULL AS day, NULL AS user_id, NULL AS kind,
    NULL AS text, NULL AS outcome, NULL AS faq_id, NULL AS score, NULL AS topic, NULL AS latency_ms, NULL AS detail,
    NULL AS subscribed, NULL AS chat_state;
CREATE TRIGGER IF NOT EXISTS message_log_insert_v1 INSTEAD OF INSERT ON message_log
BEGIN
    -- another delivery of this message stored its reply first: write nothing
    SELECT RAISE(IGNORE) WHERE NEW.reply IS NOT NULL AND NEW.msg_key IS NOT NULL
        AND EXISTS (SELECT 1 FROM message_replies WHERE key = NEW.msg_key AND state = 'done');
    INSERT INTO message_replies (key, state, reply, created)
        SELECT NEW.msg_key, 'done', NEW.reply, NEW.ts WHERE NEW.reply IS NOT NULL AND NEW.msg_key IS NOT NULL
        ON CONFLICT(key) DO UPDATE SET state = 'done', reply = excluded.reply, created = excluded.created;
    INSERT INTO consultations (ts, created_at, day, user_id, kind, text, outcome, faq_id, score, topic, latency_ms,
        msg_key, detail)
        VALUES (NEW.ts, NEW.created_at, NEW.day, NEW.user_id, NEW.kind, NEW.text, NEW.outcome, NEW.faq_id, NEW.score,
        NEW.topic, NEW.latency_ms, NEW.msg_key, NEW.detail)
        ON CONFLICT(msg_key) DO NOTHING;
    INSERT INTO users (user_id, first_seen, last_seen, subscribed, messages)
        VALUES (NEW.user_id, NEW.created_at, NEW.created_at, NEW.subscribed, 1)
        ON CONFLICT(user_id) DO UPDATE SET last_seen = excluded.last_seen, messages = messages + 1;
    UPDATE users SET subscribed = 1, subscribed_at = NEW.created_at WHERE NEW.subscribed = 1 AND user_id = NEW.user_id;
    UPDATE users SET subscribed = 0, unsubscribed_at = NEW.created_at
        WHERE NEW.subscribed = 0 AND user_id = NEW.user_id;
    DELETE FROM chat_state WHERE NEW.chat_state = '' AND user_id = NEW.user_id;
    INSERT INTO chat_state (user_id, state, updated)
        SELECT NEW.user_id, NEW.chat_state, NEW.ts WHERE NEW.chat_state != ''
        ON CONFLICT(user_id) DO UPDATE SET state = excluded.state, updated = excluded.updated;
END;
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

M200_SQL = """
CREATE TABLE console_sessions (
    id TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    created REAL NOT NULL,
    expires REAL NOT NULL,
    last_seen REAL NOT NULL,
    address TEXT,
    user_agent TEXT
);
CREATE INDEX console_sessions_account ON console_sessions(account);
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    until REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE login_addresses (
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    last_success REAL NOT NULL,
    PRIMARY KEY (account, address)
);
DROP TABLE IF EXISTS login_failures;
ALTER TABLE accounts ADD COLUMN totp_secret TEXT;
ALTER TABLE accounts ADD COLUMN totp_pending TEXT;
ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
CREATE TABLE totp_recovery (
    account TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    used_at REAL,
    PRIMARY KEY (account, code_hash)
);
"""

M201_SQL = """
CREATE TABLE retention_salts (
    month TEXT PRIMARY KEY,
    salt TEXT NOT NULL
);
CREATE TABLE data_audit (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT,
    detail TEXT
);
CREATE INDEX consultations_not_anonymised ON consultations(day) WHERE substr(user_id, 1, 5) != 'anon_';

"""


M101_SQL = """
CREATE TABLE IF NOT EXISTS seen_nonces (
    ts INTEGER NOT NULL,
    nonce TEXT NOT NULL,
    msg_key TEXT NOT NULL,
    PRIMARY KEY (ts, nonce)
) WITHOUT ROWID;
DROP TRIGGER IF EXISTS message_log_insert_v1;
DROP VIEW IF EXISTS message_log;
CREATE VIEW message_log AS SELECT
    NULL AS msg_key, NULL AS reply, NULL AS ts, NULL AS created_at, NULL AS day, NULL AS user_id, NULL AS kind,
    NULL AS text, NULL AS outcome, NULL AS faq_id, NULL AS score, NULL AS topic, NULL AS latency_ms, NULL AS detail,
    NULL AS subscribed, NULL AS chat_state, NULL AS nonce, NULL AS nonce_ts;
CREATE TRIGGER message_log_insert_v2 INSTEAD OF INSERT ON message_log
BEGIN
    -- another delivery of this message stored its reply first, or the row is already logged: write nothing
    SELECT RAISE(IGNORE) WHERE NEW.msg_key IS NOT NULL AND (
        (NEW.reply IS NOT NULL AND EXISTS (SELECT 1 FROM message_replies WHERE key = NEW.msg_key AND state = 'done'))
        OR EXISTS (SELECT 1 FROM consultations WHERE msg_key = NEW.msg_key));
    -- plain mode: this signed (timestamp, nonce) already carried another message: a replayed URL, write nothing
    SELECT RAISE(IGNORE) WHERE NEW.nonce IS NOT NULL
        AND EXISTS (SELECT 1 FROM seen_nonces WHERE ts = NEW.nonce_ts AND nonce = NEW.nonce AND msg_key != NEW.msg_key);
    INSERT INTO seen_nonces (ts, nonce, msg_key) SELECT NEW.nonce_ts, NEW.nonce, NEW.msg_key
        WHERE NEW.nonce IS NOT NULL ON CONFLICT DO NOTHING;
    INSERT INTO message_replies (key, state, reply, created)
        SELECT NEW.msg_key, 'done', NEW.reply, NEW.ts WHERE NEW.reply IS NOT NULL AND NEW.msg_key IS NOT NULL
        ON CONFLICT(key) DO UPDATE SET state = 'done', reply = excluded.reply, created = excluded.created;
    INSERT INTO consultations (ts, created_at, day, user_id, kind, text, outcome, faq_id, score, topic, latency_ms,
        msg_key, detail)
        VALUES (NEW.ts, NEW.created_at, NEW.day, NEW.user_id, NEW.kind, NEW.text, NEW.outcome, NEW.faq_id, NEW.score,
        NEW.topic, NEW.latency_ms, NEW.msg_key, NEW.detail)
        ON CONFLICT(msg_key) DO NOTHING;
    INSERT INTO users (user_id, first_seen, last_seen, subscribed, messages)
        VALUES (NEW.user_id, NEW.created_at, NEW.created_at, NEW.subscribed, 1)
        ON CONFLICT(user_id) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen), messages = messages + 1;
    UPDATE users SET subscribed = 1, subscribed_at = NEW.created_at WHERE NEW.subscribed = 1 AND user_id = NEW.user_id;
    UPDATE users SET subscribed = 0, unsubscribed_at = NEW.created_at
        WHERE NEW.subscribed = 0 AND user_id = NEW.user_id;
    -- a spooled row replayed late must not undo a newer conversation state
    DELETE FROM chat_state WHERE NEW.chat_state = '' AND user_id = NEW.user_id AND updated <= NEW.ts;
    INSERT INTO chat_state (user_id, state, updated)
        SELECT NEW.user_id, NEW.chat_state, NEW.ts WHERE NEW.chat_state != ''
        ON CONFLICT(user_id) DO UPDATE SET state = excluded.state, updated = excluded.updated
        WHERE excluded.updated >= chat_state.updated;
END;
"""


@migrations()
def m601_stats_rollups(db: sqlite_utils.Database) -> None:
    """Daily rollups of the log (storage/rollups.py), filled from the rows already there; indexes for the console's
    log list ending in (day, ts), so that a filter and the newest-first order share one (as many as before, so the
    webhook's write costs about the same). The plain one carries the text: a search reads the index alone. One
    user's messages keep their index on user_id alone (they are few enough to sort)."""
    from storage import rollups

    rollups.install(db)
    run_script(db, M601_INDEXES_SQL)


M601_INDEXES_SQL = """
DROP INDEX IF EXISTS consultations_day;
DROP INDEX IF EXISTS consultations_outcome;
CREATE INDEX IF NOT EXISTS consultations_day_ts_text ON consultations(day, ts, text);
CREATE INDEX IF NOT EXISTS consultations_outcome_ts ON consultations(outcome, day, ts);
"""


@migrations()
def m410_cases(db: sqlite_utils.Database) -> None:
    """Case registration inside WeChat (intake/, storage/cases.py): the cases with their history, the drafts a person
    is filling in (kept 7 days), the flow's replies per message for retries, the record of who viewed, revealed or
    exported a case, and the procuratorate a caseworker account belongs to. Contact details and everything the
    person wrote are encrypted (store.cipher); the phone number also has a keyed hash to spot a second registration."""
    run_script(db, M410_SQL)


M410_SQL = """
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    created REAL NOT NULL,
    kind TEXT NOT NULL,
    for_whom TEXT,
    county TEXT,
    procuratorate TEXT NOT NULL,
    amount REAL,
    amount_approx INTEGER NOT NULL DEFAULT 0,
    actions TEXT,
    evidence TEXT,
    call_time TEXT,
    phone TEXT,
    phone_hash TEXT,
    details TEXT,
    status TEXT NOT NULL,
    status_changed REAL NOT NULL,
    public_note TEXT,
    assignee TEXT,
    first_contact REAL,
    ended REAL,
    referred_to TEXT,
    anonymised REAL
);
CREATE INDEX cases_user ON cases(user_id);
CREATE INDEX cases_status ON cases(procuratorate, status);
CREATE INDEX cases_phone ON cases(phone_hash);
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    ts REAL NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    note TEXT,
    message TEXT,
    outbox_id INTEGER,
    detail TEXT
);
CREATE INDEX case_events_case ON case_events(case_id, id);
CREATE TABLE intake_drafts (
    user_id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    step TEXT NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL
);
CREATE TABLE intake_journal (
    msg_key TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created REAL NOT NULL,
    reply TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT,
    chat_state TEXT
);
CREATE TABLE case_access (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    case_number TEXT,
    detail TEXT
);
CREATE INDEX case_access_case ON case_access(case_number);
ALTER TABLE accounts ADD COLUMN procuratorate TEXT;
"""
