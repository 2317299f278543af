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


@migrations()
def m450_inbox_and_conversations(db: sqlite_utils.Database) -> None:
    """The staff inbox (messages people leave for staff, encrypted; threads with status and assignment), the
    canned replies, answers staff marked wrong (答错了), and the bot's reply kept for each consultation row (masked
    like the text) so a consultation opens as a conversation after the one-day retry cache is gone. The same few
    hundred replies (FAQ answers, menus) make up most of the log, so each distinct reply is stored once
    (`reply_texts`, by its SHA-256) and the row points at it (`reply_id`). The `message_log` trigger (v3) writes both;
    rows of the last day get theirs from the retry cache here."""
    run_script(db, M450_SQL)
    _backfill_replies(db)


def _backfill_replies(db: sqlite_utils.Database) -> None:
    from storage.consultations import reply_sha
    from storage.privacy import mask_pii

    rows = db.execute(
        "SELECT c.id, r.reply FROM consultations c JOIN message_replies r ON r.key = c.msg_key"
        " WHERE r.state = 'done' AND r.reply != ''"
    ).fetchall()
    for row_id, reply in rows:
        masked = mask_pii(reply)
        db.execute(
            "INSERT INTO reply_texts (sha, text) VALUES (?, ?) ON CONFLICT(sha) DO NOTHING", [reply_sha(masked), masked]
        )
        db.execute(
            "UPDATE consultations SET reply_id = (SELECT id FROM reply_texts WHERE sha = ?) WHERE id = ?",
            [reply_sha(masked), row_id],
        )


M450_SQL = """
ALTER TABLE consultations ADD COLUMN reply_id INTEGER;
CREATE TABLE reply_texts (
    id INTEGER PRIMARY KEY,
    sha TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL
);
CREATE INDEX consultations_faq_ts ON consultations(faq_id, ts) WHERE faq_id IS NOT NULL;
DROP TRIGGER IF EXISTS message_log_insert_v2;
DROP VIEW IF EXISTS message_log;
CREATE VIEW message_log AS SELECT
    NULL AS msg_key, NULL AS reply, NULL AS ts, NULL AS created_at, NULL AS day, NULL AS user_id, NULL AS kind,
    NULL AS text, NULL AS outcome, NULL AS faq_id, NULL AS score, NULL AS topic, NULL AS latency_ms, NULL AS detail,
    NULL AS subscribed, NULL AS chat_state, NULL AS nonce, NULL AS nonce_ts, NULL AS reply_log, NULL AS reply_sha;
-- v3 = v2 and the masked reply as sent (reply_log, stored once per distinct text under reply_sha) for the row
CREATE TRIGGER message_log_insert_v3 INSTEAD OF INSERT ON message_log
BEGIN
    SELECT RAISE(IGNORE) WHERE NEW.msg_key IS NOT NULL AND (
        (NEW.reply IS NOT NULL AND EXISTS (SELECT 1 FROM message_replies WHERE key = NEW.msg_key AND state = 'done'))
        OR EXISTS (SELECT 1 FROM consultations WHERE msg_key = NEW.msg_key));
    SELECT RAISE(IGNORE) WHERE NEW.nonce IS NOT NULL
        AND EXISTS (SELECT 1 FROM seen_nonces WHERE ts = NEW.nonce_ts AND nonce = NEW.nonce AND msg_key != NEW.msg_key);
    INSERT INTO seen_nonces (ts, nonce, msg_key) SELECT NEW.nonce_ts, NEW.nonce, NEW.msg_key
        WHERE NEW.nonce IS NOT NULL ON CONFLICT DO NOTHING;
    INSERT INTO message_replies (key, state, reply, created)
        SELECT NEW.msg_key, 'done', NEW.reply, NEW.ts WHERE NEW.reply IS NOT NULL AND NEW.msg_key IS NOT NULL
        ON CONFLICT(key) DO UPDATE SET state = 'done', reply = excluded.reply, created = excluded.created;
    INSERT INTO reply_texts (sha, text) SELECT NEW.reply_sha, NEW.reply_log WHERE NEW.reply_sha IS NOT NULL
        ON CONFLICT(sha) DO NOTHING;
    INSERT INTO consultations (ts, created_at, day, user_id, kind, text, outcome, faq_id, score, topic, latency_ms,
        msg_key, detail, reply_id)
        VALUES (NEW.ts, NEW.created_at, NEW.day, NEW.user_id, NEW.kind, NEW.text, NEW.outcome, NEW.faq_id, NEW.score,
        NEW.topic, NEW.latency_ms, NEW.msg_key, NEW.detail, (SELECT id FROM reply_texts WHERE sha = NEW.reply_sha))
        ON CONFLICT(msg_key) DO NOTHING;
    INSERT INTO users (user_id, first_seen, last_seen, subscribed, messages)
        VALUES (NEW.user_id, NEW.created_at, NEW.created_at, NEW.subscribed, 1)
        ON CONFLICT(user_id) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen), messages = messages + 1;
    UPDATE users SET subscribed = 1, subscribed_at = NEW.created_at WHERE NEW.subscribed = 1 AND user_id = NEW.user_id;
    UPDATE users SET subscribed = 0, unsubscribed_at = NEW.created_at
        WHERE NEW.subscribed = 0 AND user_id = NEW.user_id;
    DELETE FROM chat_state WHERE NEW.chat_state = '' AND user_id = NEW.user_id AND updated <= NEW.ts;
    INSERT INTO chat_state (user_id, state, updated)
        SELECT NEW.user_id, NEW.chat_state, NEW.ts WHERE NEW.chat_state != ''
        ON CONFLICT(user_id) DO UPDATE SET state = excluded.state, updated = excluded.updated
        WHERE excluded.updated >= chat_state.updated;
END;
CREATE TABLE inbox_threads (
    id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL,
    status TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    waiting_since REAL,
    last_in REAL,
    assignee TEXT,
    origin INTEGER,
    closed_at REAL,
    closed_by TEXT
);
CREATE INDEX inbox_threads_status ON inbox_threads(status, waiting_since);
CREATE INDEX inbox_threads_user ON inbox_threads(user_id, status);
CREATE TABLE inbox_messages (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES inbox_threads(id) ON DELETE CASCADE,
    msg_key TEXT UNIQUE,
    created REAL NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX inbox_messages_thread ON inbox_messages(thread_id, id);
CREATE TABLE canned_replies (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
INSERT INTO canned_replies (title, text, position, updated_at, updated_by) VALUES
    ('已收到，正在了解', '您的留言我们收到了，正在了解情况，有进展会再在这里回复您。', 1, datetime('now', '+8 hours'), 'system'),
    ('请拨打 12309', '您说的情况需要当面或电话核实。请拨打 12309 检察服务热线，或带上身份证和相关材料到当地检察院 12309 检察服务中心。', 2, datetime('now', '+8 hours'), 'system'),
    ('欠薪先找人社部门', '欠薪问题可以先向用工所在地人社部门的劳动保障监察机构投诉（也可以打 12333）；投诉没有结果、生活困难的，可以再向检察院申请支持起诉。', 3, datetime('now', '+8 hours'), 'system');
CREATE TABLE answer_flags (
    consultation_id INTEGER PRIMARY KEY,
    faq_id TEXT,
    status TEXT NOT NULL,
    reporter TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL,
    resolved_by TEXT,
    resolved_at TEXT,
    fixed_faq_id TEXT
);
CREATE INDEX answer_flags_faq ON answer_flags(faq_id);
CREATE INDEX answer_flags_status ON answer_flags(status, created_at);
"""
