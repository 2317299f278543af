"""The statistics rollups (storage/rollups.py) against a direct count over the log, and the query plans that keep
the console fast on a year of data (storage/log_search.py, storage/stats.py)."""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections import Counter
from datetime import date, timedelta

import pytest

from storage import Store, rollups
from storage.consultations import Consultation
from storage.log_search import Cursor, LogQuery
from storage.stats import Period, Stats, shown_outcomes
from storage.vocab import NEEDS_REVIEW, Outcome

OUTCOMES = [str(o) for o in Outcome]
KINDS = ["text", "text", "text", "voice", "subscribe", "unsubscribe", "click", "image"]
TOPICS = [None, "wage_arrears", "legal_aid", "work_injury"]
NOW = time.time()


def consultation(rng: random.Random, i: int, days_back: int = 120) -> Consultation:
    outcome = rng.choice(OUTCOMES)
    detail = {}
    if outcome == "llm" and rng.random() < 0.8:
        detail = {"prompt_tokens": rng.randint(800, 2000), "completion_tokens": rng.randint(100, 400)}
        if rng.random() < 0.7:
            detail["llm_latency_ms"] = round(rng.uniform(1500, 4000), 1)
    return Consultation(
        user_id=f"u{rng.randint(1, 60):03d}",
        kind=rng.choice(KINDS),
        outcome=outcome,
        text=rng.choice(["欠薪找谁", "仲裁要钱吗", "明天下雨吗", "", f"独一无二的问题{i}"]),
        faq_id=rng.choice([None, "wage-where", "arb-free"]),
        topic=rng.choice(TOPICS),
        latency_ms=rng.choice([None, rng.uniform(0.2, 50), rng.uniform(50, 6000)]),
        msg_key=f"t:{i}",
        detail=detail,
        ts=NOW - rng.uniform(0, days_back * 86400),
    )


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "bot.db")
    yield s
    s.close()


def fill(store: Store, n: int, seed: int = 1, start: int = 0) -> list[int]:
    rng = random.Random(seed)
    return [store.log.record(consultation(rng, start + i)) for i in range(n)]


def rows(store: Store) -> list[dict]:
    return [dict(r) for r in store.db.get().query("SELECT * FROM consultations")]


def in_period(row: dict, since: str | None, until: str | None) -> bool:
    return (since is None or row["day"] >= since) and (until is None or row["day"] <= until)


def test_the_vocabulary_of_review_outcomes_is_the_one_the_rollups_were_built_with():
    assert tuple(str(o) for o in NEEDS_REVIEW) == rollups.REVIEW_OUTCOMES  # a change needs a new migration


def test_rollups_equal_a_direct_count_through_inserts_updates_folds_and_late_rows(store):
    ids = fill(store, 600)
    db = store.db.get()
    rollups.catch_up(db, chunk=97)  # many small folds
    ids += fill(store, 300, seed=2, start=600)  # not folded yet: readers fold first
    rng = random.Random(3)
    for row_id in rng.sample(ids, 120):  # a late model answer, as llm/ does it, on folded and unfolded rows
        store.log.update_detail(
            row_id, outcome="llm", latency_ms=3210.0, detail={"prompt_tokens": 1000, "completion_tokens": 99}
        )
    db.execute("UPDATE consultations SET detail = 'not json' WHERE id IN (SELECT id FROM consultations LIMIT 5)")
    db.execute("UPDATE consultations SET text = '' WHERE id % 17 = 0")  # a text blanked (retention)
    # a row logged long after its day (a replayed one): the user's next day now follows it
    late = consultation(random.Random(9), 10_000, days_back=400)
    late.user_id = "u001"
    store.log.record(late)
    assert rollups.verify(db) == []


def test_deleting_log_rows_keeps_the_counts_and_drops_the_texts(store):
    fill(store, 300)
    db = store.db.get()
    rollups.catch_up(db)
    fill(store, 50, seed=5, start=300)  # not folded when they are deleted
    before = db.execute("SELECT count(*) FROM consultations").fetchone()[0]
    db.execute("DELETE FROM consultations WHERE id % 3 = 0 OR id > 320")
    stats = Stats(store.db)
    assert stats.refresh()
    total = db.execute("SELECT sum(n) FROM stats_daily").fetchone()[0]
    assert total == before  # every row ever logged is still counted
    live_texts = Counter(
        r["text"]
        for r in rows(store)
        if r["outcome"] in rollups.REVIEW_OUTCOMES and r["kind"] in ("text", "voice") and r["text"]
    )
    folded = Counter()
    for text, n in db.execute("SELECT text, sum(n) FROM stats_questions GROUP BY text"):
        folded[text] = n
    assert folded == live_texts  # the question texts follow the log
    fill(store, 10, seed=6, start=400)  # ids handed out again after the newest rows went
    stats.refresh()
    assert db.execute("SELECT sum(n) FROM stats_daily").fetchone()[0] == before + 10


def test_anonymised_and_forgotten_users_leave_the_user_days(store):
    from storage import retention

    fill(store, 400, seed=21)
    db = store.db.get()
    rollups.catch_up(db)
    cutoff = sorted({r["day"] for r in rows(store)})[40]
    # what retention's purge does to old rows: one anonymous id per person and month
    db.execute(
        "UPDATE consultations SET user_id = 'anon_' || substr(day, 1, 7) || user_id, text = '' WHERE day < ?", [cutoff]
    )
    assert rollups.verify(db) == []
    left = db.execute("SELECT count(*) FROM stats_user_days WHERE day < ? AND user_id NOT LIKE 'anon_%'", [cutoff])
    assert left.fetchone()[0] == 0
    retention.forget_user(store.db, "u007", "test")
    assert db.execute("SELECT count(*) FROM stats_user_days WHERE user_id = 'u007'").fetchone()[0] == 0
    assert rollups.verify(db) == []


@pytest.mark.parametrize("seed", range(6))
def test_statistics_of_any_period_equal_a_direct_count(store, seed):
    fill(store, 500, seed=seed)
    rng = random.Random(seed)
    everything = rows(store)
    days = sorted({r["day"] for r in everything})
    for since, until in [(None, None), (days[0], days[-1])] + [tuple(sorted(rng.sample(days, 2))) for _ in range(5)]:
        mine = [r for r in everything if in_period(r, since, until)]
        questions = [r for r in mine if r["kind"] in ("text", "voice")]
        s = Stats(store.db).summary(Period(since, until), top=50)
        assert s["consultations"] == len(questions)
        assert s["outcomes"] == {o: sum(r["outcome"] == o for r in questions) for o in OUTCOMES}
        assert s["distinct_users"] == len({r["user_id"] for r in mine})
        answered = s["outcomes"]["answered"]
        assert s["answered_rate"] == (round(answered / len(questions), 4) if questions else None)
        assert s["tentative_rate"] == (round(s["tentative"] / len(questions), 4) if questions else None)
        assert s["new_followers"] == sum(r["kind"] == "subscribe" for r in mine)
        topics = {t["topic"]: t for t in s["topics"]}
        assert sum(t["consultations"] for t in s["topics"]) == len(questions)
        for t, row in topics.items():
            assert row["outcomes"]["tentative"] == sum(
                r["outcome"] == "tentative" and (r["topic"] or None) == t for r in questions
            )
        expected = Counter(r["text"] for r in questions if r["outcome"] in rollups.REVIEW_OUTCOMES and r["text"])
        top = {r["text"]: r["n"] for r in s["top_unanswered"]}
        assert all(expected[t] == n for t, n in top.items())
        assert sorted(top.values(), reverse=True) == sorted(expected.values(), reverse=True)[: len(top)]
        entries = Counter(r["faq_id"] for r in mine if r["outcome"] == "answered" and r["faq_id"])
        assert {r["faq_id"]: r["n"] for r in s["top_entries"]} == dict(entries)
        llm = [r for r in mine if r["outcome"] == "llm"]
        tokens = [json.loads(r["detail"]).get("prompt_tokens") for r in llm if r["detail"]]
        assert s["llm_usage"]["answers"] == len(llm)
        assert s["llm_usage"]["prompt_tokens"] == sum(t for t in tokens if t)
        latencies = sorted(r["latency_ms"] for r in questions if r["latency_ms"] is not None)
        if latencies:
            exact = latencies[round(0.5 * (len(latencies) - 1))]
            assert abs(s["latency_p50_ms"] - exact) <= 0.051 * exact + 0.006  # two significant digits
        else:
            assert s["latency_p50_ms"] is None


@pytest.mark.parametrize("unit", ["day", "week", "month"])
def test_series_count_each_bucket_and_fill_empty_ones(store, unit):
    fill(store, 400, seed=11)
    everything = rows(store)
    days = sorted({r["day"] for r in everything})
    # some empty days first: over a month's worth, so that the first bucket is empty for every unit (nine days were not
    # enough for a month once the data's first day fell on the 10th or later of its month)
    since = (date.fromisoformat(days[0]) - timedelta(days=40)).isoformat()
    until = days[-1]
    series = Stats(store.db).series(Period(since, until), unit)
    assert series[0]["start"] == since and series[-1]["end"] == until
    assert all(a["end"] < b["start"] for a, b in zip(series, series[1:], strict=False))
    for b in series:
        mine = [r for r in everything if b["start"] <= r["day"] <= b["end"]]
        questions = [r for r in mine if r["kind"] in ("text", "voice")]
        assert b["consultations"] == len(questions)
        assert b["users"] == len({r["user_id"] for r in mine})
        assert b["outcomes"]["tentative"] == sum(r["outcome"] == "tentative" for r in questions)
        assert b["answered_rate"] == (round(b["outcomes"]["answered"] / len(questions), 4) if questions else None)
    assert series[0]["consultations"] == 0 and series[0]["answered_rate"] is None  # empty: no rate, not 0
    if unit == "week":
        assert all(date.fromisoformat(b["start"]).weekday() == 0 for b in series[1:])


def test_an_empty_period_has_no_rates(store):
    s = Stats(store.db).summary(Period("2001-01-01", "2001-01-31"))
    assert s["consultations"] == 0 and s["distinct_users"] == 0
    assert s["answered_rate"] is None and s["tentative_rate"] is None and s["latency_p50_ms"] is None
    assert shown_outcomes(s["outcomes"]) == ["answered", "tentative", "suggested", "unanswered"]


def test_other_outcomes_are_shown_once_they_occur():
    assert "emergency" in shown_outcomes({"emergency": 1}) and "handoff" not in shown_outcomes({"emergency": 1})


def test_statistics_on_a_database_that_cannot_be_written(tmp_path):
    path = tmp_path / "bot.db"
    s = Store(path)
    fill(s, 50)
    s.close()
    path.chmod(0o444)
    (tmp_path / "bot.db-wal").unlink(missing_ok=True)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        from sqlite_utils import Database

        class ReadOnly:
            def get(self):
                return Database(conn)

        stats = Stats(ReadOnly())
        assert stats.refresh() is False and stats.behind == 50  # says how far behind, no crash
        assert stats.summary(Period())["consultations"] == 0
    finally:
        conn.close()
        path.chmod(0o644)


# The console's log list: pages by position, exact counts from the rollups, capped counts for text searches.


def ordered(store: Store, keep=lambda r: True) -> list[int]:
    return [r["id"] for r in sorted(rows(store), key=lambda r: (r["day"], r["ts"], r["id"]), reverse=True) if keep(r)]


@pytest.mark.parametrize(
    "query,keep",
    [
        (LogQuery(), lambda r: True),
        (LogQuery(outcome="tentative"), lambda r: r["outcome"] == "tentative"),
        (LogQuery(kind="voice", topic="legal_aid"), lambda r: r["kind"] == "voice" and r["topic"] == "legal_aid"),
        (LogQuery(text="欠薪"), lambda r: "欠薪" in (r["text"] or "")),
        (LogQuery(user_id="u007"), lambda r: r["user_id"] == "u007"),
    ],
)
def test_log_pages_follow_each_other_without_gaps_or_repeats(store, query, keep):
    fill(store, 700, seed=4)
    search = store.log_search
    expected = ordered(store, keep)
    seen, after, number = [], None, 1
    while True:
        page = search.page(query, number, after, per_page=23)
        seen += [r["id"] for r in page.rows]
        by_number = search.page(query, number, None, per_page=23)  # the same page reached by its number
        assert [r["id"] for r in by_number.rows] == [r["id"] for r in page.rows]
        if not page.next:
            break
        after, number = page.next, number + 1
    assert seen == expected
    assert search.page(query, 1).total == len(expected)


def test_a_text_search_counts_up_to_a_cap(store, monkeypatch):
    import storage.log_search as module

    fill(store, 400, seed=8)
    monkeypatch.setattr(module, "TEXT_CAP", 20)
    page = store.log_search.page(LogQuery(text="问题"), 1, per_page=10)
    assert page.capped and page.total == 20 and len(page.rows) == 10 and page.next
    page3 = store.log_search.page(LogQuery(text="问题"), 3, per_page=10)  # beyond the cap: still the right rows
    assert [r["id"] for r in page3.rows] == ordered(store, lambda r: "问题" in (r["text"] or ""))[20:30]


def test_cursors_are_checked():
    assert Cursor.decode("2026-11-30_1796534866.3723145_12") == Cursor("2026-11-30", 1796534866.3723145, 12)
    for bad in ("", "x", "2026-11-30_abc_1", "2026-11-30_1.0_-1", "'; DROP TABLE consultations; --", "9" * 500):
        assert Cursor.decode(bad) is None


def test_exports_read_every_row_in_batches(store):
    fill(store, 250, seed=12)
    got = [r["id"] for r in store.log_search.rows(LogQuery(), batch=37)]
    assert got == ordered(store)
    assert len(list(store.log_search.rows(LogQuery(), limit=100, batch=37))) == 100


# Query plans: the indexes match the filters, nothing sorts the whole log.


def plan(store: Store, sql: str, params: list) -> str:
    return " | ".join(r[3] for r in store.db.get().execute("EXPLAIN QUERY PLAN " + sql, params))


@pytest.mark.parametrize(
    "query,index",
    [
        (LogQuery(), "consultations_day_ts_text"),
        (LogQuery(since="2026-01-01", until="2026-01-31"), "consultations_day_ts_text"),
        (LogQuery(outcome="unanswered"), "consultations_outcome_ts"),
        (LogQuery(outcome="tentative", topic="work_injury", since="2026-01-01"), "consultations_outcome_ts"),
        (LogQuery(user_id="u001"), "consultations_user"),  # one user's rows: few, sorted
        (LogQuery(text="工地"), "COVERING INDEX consultations_day_ts_text"),
        (LogQuery(kind="voice"), "consultations_day_ts_text"),
    ],
)
def test_log_queries_use_an_index_in_the_list_order(store, query, index):
    fill(store, 50)
    where, params = query.where()
    sql = f"SELECT id FROM consultations WHERE {where} AND (day, ts, id) < (?, ?, ?) ORDER BY day DESC, ts DESC, id DESC LIMIT 51"
    found = plan(store, sql, [*params, "2026-02-01", 1.0, 5])
    assert index in found, found
    assert "SCAN consultations " not in found + " "
    assert query.user_id or "TEMP B-TREE FOR ORDER BY" not in found


def test_statistics_queries_read_the_rollups_without_sorting(store):
    fill(store, 50)
    stats_sql = [
        ("SELECT text, sum(n) AS n, max(day) FROM stats_questions WHERE +day >= ? AND +day <= ? GROUP BY text", 2),
        ("SELECT faq_id, sum(n) FROM stats_entries WHERE outcome = ? AND +day >= ? AND +day <= ? GROUP BY faq_id", 3),
        ("SELECT ms, sum(n) FROM stats_latency WHERE +day >= ? AND +day <= ? GROUP BY ms ORDER BY ms", 2),
        ("SELECT count(*) FROM stats_user_days WHERE day >= ? AND day <= ? AND (prev_day IS NULL OR prev_day < ?)", 3),
    ]
    for sql, n in stats_sql:
        found = plan(store, sql, ["2026-01-01"] * n)
        assert "TEMP B-TREE" not in found and "consultations" not in found, (sql, found)


def test_fold_keeps_the_write_lock_short(store, monkeypatch):
    fill(store, 120)
    starts = []
    real = store.db.get().conn.execute

    class Spy:
        def __init__(self, conn):
            self.conn = conn

        def execute(self, sql, *args):
            if sql == "BEGIN IMMEDIATE":
                starts.append(sql)
            return real(sql, *args)

    class Db:
        conn = Spy(None)

        @staticmethod
        def execute(sql, *args):
            return real(sql, *args)

    assert rollups.catch_up(Db, chunk=50) == 120
    assert len(starts) == 3  # 50 + 50 + 20 rows, each in its own transaction
    assert rollups.catch_up(Db, chunk=50) == 0 and len(starts) == 3  # nothing pending: nothing written
