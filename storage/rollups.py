"""Daily rollups of the consultation log, so that statistics over a year read a few thousand rows, not a million.

- `stats_daily`: rows per day, kind, outcome and topic ('' when none).
- `stats_entries`: rows per day, outcome and FAQ entry (rows that name one).
- `stats_latency`: text and voice messages per day and reply time rounded to two significant digits: a histogram,
  so percentiles over any range are within 5%.
- `stats_llm`: model answers per day with their token and latency sums (averages without reading the JSON).
- `stats_questions`: questions that got no confident answer (the outcomes of REVIEW_OUTCOMES), per text and day,
  for the most frequent ones over any range. Unlike the counts, these follow the log: a text deleted or blanked
  there (retention, a user's deletion request) leaves them too.
- `stats_question_totals`: the same texts over all time: the most frequent of a period are found by looking at the
  texts in order of their totals and stopping once no further one can reach the list, not by grouping every row.
- `stats_user_days`: each (day, user) once, with the user's previous active day: the distinct users of a range are
  the rows in it whose previous day lies before the range, one range scan and no DISTINCT over the log. A row whose
  user id changes (retention anonymises it, a user is forgotten) moves to the new id.

The webhook's write stays as it was (one INSERT, nothing added: it is the busiest path). Readers fold the rows
logged since the last fold (`catch_up`, ids above `stats_rollup_state.upto`) in short transactions of CHUNK rows
before they read, so what they show is exact up to that moment. The rare writes to rows already folded keep the
rollups exact through triggers: an update subtracts the old row and adds the new one; a deleted row that was not
yet folded is folded as it goes, so deleting log rows (retention) keeps the counts. `verify` recomputes
everything from the log and lists differences; `rebuild` recomputes it.

The SQL below is what migration m601 installed: a change to it is a new migration, not an edit.
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

from storage.retention import delete_rule, register

QUESTION_KINDS = ("text", "voice")
# storage.vocab.NEEDS_REVIEW when m601 was written (a test keeps them equal: a change needs a new migration)
REVIEW_OUTCOMES = ("unanswered", "tentative", "suggested", "llm")
ROLLUP_TABLES = (
    "stats_daily",
    "stats_entries",
    "stats_latency",
    "stats_llm",
    "stats_questions",
    "stats_question_totals",
    "stats_user_days",
)
QUESTION_TABLES = ("stats_questions", "stats_question_totals")
# Each table's key is ordered for how it is read: grouped by the column after the fixed ones, scanned in key order
# with the days as a filter (no sorting): entries by (outcome, faq_id), reply times by ms, questions by text.
CHUNK = 5_000  # rows folded per transaction: the write lock is held for tens of milliseconds at most

TABLES_SQL = """
CREATE TABLE IF NOT EXISTS stats_daily (
    day TEXT NOT NULL, kind TEXT NOT NULL, outcome TEXT NOT NULL, topic TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (day, kind, outcome, topic)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stats_entries (
    day TEXT NOT NULL, outcome TEXT NOT NULL, faq_id TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (outcome, faq_id, day)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stats_latency (
    day TEXT NOT NULL, ms REAL NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (ms, day)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stats_llm (
    day TEXT PRIMARY KEY, answers INTEGER NOT NULL,
    prompt_n INTEGER NOT NULL, prompt_sum INTEGER NOT NULL,
    completion_n INTEGER NOT NULL, completion_sum INTEGER NOT NULL,
    latency_n INTEGER NOT NULL, latency_sum REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stats_questions (
    text TEXT NOT NULL, day TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (text, day)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stats_question_totals (
    text TEXT PRIMARY KEY, n INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS stats_question_totals_n ON stats_question_totals(n);
CREATE TABLE IF NOT EXISTS stats_user_days (
    day TEXT NOT NULL, user_id TEXT NOT NULL, prev_day TEXT,
    PRIMARY KEY (day, user_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS stats_user_days_user ON stats_user_days(user_id, day);
-- the highest consultation id folded into the rollups (one row)
CREATE TABLE IF NOT EXISTS stats_rollup_state (upto INTEGER NOT NULL);
"""


def bucket_sql(x: str) -> str:
    """Reply time rounded to two significant digits (0.1 ms below 10 ms, 1 ms below 100 ms, 10 ms below 1 s ...)."""
    return (
        f"CASE WHEN {x} < 1 THEN round({x}, 2) WHEN {x} < 10 THEN round({x}, 1) WHEN {x} < 100 THEN round({x})"
        f" WHEN {x} < 1000 THEN round({x} / 10) * 10 WHEN {x} < 10000 THEN round({x} / 100) * 100"
        f" ELSE round({x} / 1000) * 1000 END"
    )


def _json(row: str, key: str) -> str:
    # a malformed detail must never make a write fail: it counts as missing
    return f"(CASE WHEN json_valid({row}.detail) THEN json_extract({row}.detail, '$.{key}') END)"


_KINDS = ", ".join(f"'{k}'" for k in QUESTION_KINDS)
_REVIEW = ", ".join(f"'{o}'" for o in REVIEW_OUTCOMES)
_QUESTION = f"c.outcome IN ({_REVIEW}) AND c.kind IN ({_KINDS}) AND c.text != ''"  # a question to look at
_LLM_MERGE = (
    "answers = answers + excluded.answers, prompt_n = prompt_n + excluded.prompt_n,"
    " prompt_sum = prompt_sum + excluded.prompt_sum, completion_n = completion_n + excluded.completion_n,"
    " completion_sum = completion_sum + excluded.completion_sum, latency_n = latency_n + excluded.latency_n,"
    " latency_sum = latency_sum + excluded.latency_sum"
)


def _aggregates(source: str, sign: str = "", when: str = "true") -> dict[str, str]:
    """SELECTs over `source` (a table expression aliased c) giving each rollup's rows; `sign` '-' negates them and
    `when` is a further condition."""
    p, cp, ms = (_json("c", k) for k in ("prompt_tokens", "completion_tokens", "llm_latency_ms"))
    return {
        "stats_daily": f"SELECT c.day, c.kind, c.outcome, coalesce(c.topic, ''), {sign}count(*) FROM {source}"
        f" WHERE {when} GROUP BY 1, 2, 3, 4",
        "stats_entries": f"SELECT c.day, c.outcome, c.faq_id, {sign}count(*) FROM {source}"
        f" WHERE {when} AND c.faq_id IS NOT NULL GROUP BY 1, 2, 3",
        "stats_latency": f"SELECT c.day, {bucket_sql('c.latency_ms')}, {sign}count(*) FROM {source}"
        f" WHERE {when} AND c.latency_ms IS NOT NULL AND c.kind IN ({_KINDS}) GROUP BY 1, 2",
        "stats_llm": f"SELECT c.day, {sign}count(*), {sign}count({p}), {sign}coalesce(sum({p}), 0), {sign}count({cp}),"
        f" {sign}coalesce(sum({cp}), 0), {sign}count({ms}), {sign}coalesce(sum({ms}), 0) FROM {source}"
        f" WHERE {when} AND c.outcome = 'llm' GROUP BY 1",
        "stats_questions": f"SELECT c.text, c.day, {sign}count(*) FROM {source} WHERE {when} AND {_QUESTION}"
        " GROUP BY 1, 2",
        "stats_question_totals": f"SELECT c.text, {sign}count(*) FROM {source} WHERE {when} AND {_QUESTION} GROUP BY 1",
    }


_MERGE = {
    "stats_daily": "ON CONFLICT DO UPDATE SET n = n + excluded.n",
    "stats_entries": "ON CONFLICT DO UPDATE SET n = n + excluded.n",
    "stats_latency": "ON CONFLICT DO UPDATE SET n = n + excluded.n",
    "stats_llm": "ON CONFLICT DO UPDATE SET " + _LLM_MERGE,
    "stats_questions": "ON CONFLICT DO UPDATE SET n = n + excluded.n",
    "stats_question_totals": "ON CONFLICT DO UPDATE SET n = n + excluded.n",
}


def _fold_sql(source: str, sign: str = "", when: str = "true", tables=tuple(_MERGE)) -> str:
    """Statements adding the rows of `source` to the rollups `tables` (not stats_user_days)."""
    aggregates = _aggregates(source, sign, when)
    return "\n".join(f"INSERT INTO {t} {aggregates[t]} {_MERGE[t]};" for t in tables)


_COUNTS = ("stats_daily", "stats_entries", "stats_latency", "stats_llm")
_DROP_EMPTY_QUESTION = (
    "DELETE FROM stats_questions WHERE text = OLD.text AND day = OLD.day AND n <= 0;\n"
    "DELETE FROM stats_question_totals WHERE text = OLD.text AND n <= 0;"
)


_UPTO = "(SELECT upto FROM stats_rollup_state)"
# One row as a table expression, for the triggers.
_OLD, _NEW = (
    f"(SELECT {r}.day AS day, {r}.kind AS kind, {r}.outcome AS outcome, {r}.topic AS topic, {r}.faq_id AS faq_id,"
    f" {r}.latency_ms AS latency_ms, {r}.detail AS detail, {r}.text AS text) AS c"
    for r in ("OLD", "NEW")
)


def _relink(user: str, condition: str) -> str:
    """Recompute the previous day of `user`'s days that satisfy `condition` (after one was added or removed)."""
    return (
        "UPDATE stats_user_days SET prev_day = (SELECT max(x.day) FROM stats_user_days x"
        " WHERE x.user_id = stats_user_days.user_id AND x.day < stats_user_days.day)"
        f" WHERE user_id = {user} AND {condition};"
    )


TRIGGERS_SQL = f"""
CREATE TRIGGER IF NOT EXISTS consultations_rollup_update
AFTER UPDATE OF day, kind, outcome, topic, faq_id, latency_ms, detail, text ON consultations
WHEN OLD.id <= {_UPTO}
BEGIN
{_fold_sql(_OLD, "-")}
{_fold_sql(_NEW)}
{_DROP_EMPTY_QUESTION}
END;
CREATE TRIGGER IF NOT EXISTS consultations_rollup_delete AFTER DELETE ON consultations
BEGIN
-- counts stay: a row not yet folded is folded now; a question text goes with its row
{_fold_sql(_OLD, when=f"OLD.id > {_UPTO}", tables=_COUNTS)}
{_fold_sql(_OLD, "-", when=f"OLD.id <= {_UPTO}", tables=QUESTION_TABLES)}
{_DROP_EMPTY_QUESTION}
INSERT OR IGNORE INTO stats_user_days (day, user_id) SELECT OLD.day, OLD.user_id WHERE OLD.id > {_UPTO};
{_relink("OLD.user_id", f"OLD.id > {_UPTO} AND day >= OLD.day")}
-- the newest rows are gone: their ids will be handed out again, and the new rows must be folded
UPDATE stats_rollup_state SET upto = (SELECT coalesce(max(id), 0) FROM consultations)
    WHERE upto > (SELECT coalesce(max(id), 0) FROM consultations);
END;
-- a row anonymised (retention) or its user forgotten: the old pseudonym leaves the day, unless another row of it is
-- still there, and the new id takes its place, so no pseudonym outlives its rows here either
CREATE TRIGGER IF NOT EXISTS consultations_rollup_user AFTER UPDATE OF user_id ON consultations
WHEN OLD.user_id IS NOT NEW.user_id AND OLD.id <= {_UPTO}
BEGIN
DELETE FROM stats_user_days WHERE day = OLD.day AND user_id = OLD.user_id AND NOT EXISTS (SELECT 1 FROM consultations
    WHERE user_id = OLD.user_id AND day = OLD.day AND id <= {_UPTO});
{_relink("OLD.user_id", "day > OLD.day")}
INSERT OR IGNORE INTO stats_user_days (day, user_id) VALUES (NEW.day, NEW.user_id);
{_relink("NEW.user_id", "day >= NEW.day")}
END;
"""

_BATCH = "(SELECT * FROM consultations WHERE id > :lo AND id <= :hi) AS c"
FOLD_BATCH_SQL = f"""
{_fold_sql(_BATCH)}
INSERT OR IGNORE INTO stats_user_days (day, user_id) SELECT DISTINCT day, user_id FROM consultations
    WHERE id > :lo AND id <= :hi;
UPDATE stats_user_days SET prev_day = (SELECT max(x.day) FROM stats_user_days x
    WHERE x.user_id = stats_user_days.user_id AND x.day < stats_user_days.day)
    WHERE user_id IN (SELECT user_id FROM consultations WHERE id > :lo AND id <= :hi)
    AND day >= (SELECT min(day) FROM consultations WHERE id > :lo AND id <= :hi);
UPDATE stats_rollup_state SET upto = :hi;
"""


def _statements(script: str) -> list[str]:
    out, statement = [], ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            out.append(statement.strip())
            statement = ""
    return out


_FOLD_STATEMENTS = _statements(FOLD_BATCH_SQL)


def install(db: sqlite_utils.Database) -> None:
    """Create the rollup tables and triggers and fold the log already there (migration m601)."""
    from storage.migrations import run_script

    run_script(db, TABLES_SQL)
    db.execute("INSERT INTO stats_rollup_state (upto) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM stats_rollup_state)")
    run_script(db, TRIGGERS_SQL)
    rebuild(db)


def catch_up(db: sqlite_utils.Database, chunk: int = CHUNK) -> int:
    """Fold the rows logged since the last fold; returns how many. Each chunk is one short write transaction; when
    nothing is pending, nothing is written."""
    conn = db.conn
    folded = 0
    if not pending(db):
        return 0
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            lo = conn.execute("SELECT upto FROM stats_rollup_state").fetchone()[0]
            top = conn.execute("SELECT coalesce(max(id), 0) FROM consultations").fetchone()[0]
            hi = min(top, lo + chunk)
            if hi > lo:
                for statement in _FOLD_STATEMENTS:
                    conn.execute(statement, {"lo": lo, "hi": hi})
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        folded += hi - lo
        if hi >= top:
            return folded


def pending(db: sqlite_utils.Database) -> int:
    """How many ids lie above the last fold (an upper bound on the rows not yet in the rollups)."""
    row = db.execute(
        "SELECT (SELECT coalesce(max(id), 0) FROM consultations) - (SELECT upto FROM stats_rollup_state)"
    ).fetchone()
    return max(0, row[0])


def rebuild(db: sqlite_utils.Database) -> None:
    """Recompute every rollup from the whole log."""
    with db.atomic():
        for table in ROLLUP_TABLES:
            db.execute(f"DELETE FROM {table}")
        db.execute("UPDATE stats_rollup_state SET upto = 0")
        top = db.execute("SELECT coalesce(max(id), 0) FROM consultations").fetchone()[0]
        for statement in _FOLD_STATEMENTS:
            db.execute(statement, {"lo": 0, "hi": top})


# The direct count each rollup must equal (verify compares them).
EXPECTED_SQL = {
    **_aggregates("consultations AS c"),
    "stats_user_days": "SELECT day, user_id, lag(day) OVER (PARTITION BY user_id ORDER BY day)"
    " FROM (SELECT DISTINCT day, user_id FROM consultations)",
}
_LIVE = {"stats_llm": "answers != 0", "stats_user_days": "true"}


def verify(db: sqlite_utils.Database) -> list[str]:
    """Differences between the rollups (after folding what is pending) and a direct count over the log; none unless
    log rows were deleted (their counts stay)."""
    catch_up(db)
    problems = []
    for table in ROLLUP_TABLES:
        expected = EXPECTED_SQL[table]
        live = f"SELECT * FROM {table} WHERE {_LIVE.get(table, 'n != 0')}"
        for a, b, label in ((expected, live, "missing"), (live, expected, "extra")):
            for row in db.execute(f"{a} EXCEPT {b} LIMIT 20").fetchall():
                problems.append(f"{table} {label}: {tuple(row)}")
    return problems


# The user-days hold pseudonyms: anonymising or forgetting a user's log rows moves them (the trigger above); this
# rule only catches what that missed, so that no pseudonym outlives the retention period here.
register(
    delete_rule("stats_user_days", "统计用的每日用户化名（随咨询记录匿名化；此处只清遗漏的）", "RETENTION_DAYS",
                "stats_user_days", "day < ? AND substr(user_id, 1, 5) != 'anon_'", cutoff="day", per_user=True)
)  # fmt: skip
