"""Retention and erasure: `bot.py purge` (dry run, then --apply), the statistics still counting purged rows,
deleting one user's data from the CLI and the console, the audit, and the registry of rules."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner

from bot import cli
from storage import retention
from storage.consultations import Consultation
from storage.db import CHINA_TZ
from storage.stats import Period, Stats
from tests.conftest import TOKEN
from tests.console_fixtures import *  # noqa: F403
from tests.console_fixtures import ConsoleClient, make_account
from tests.fake_wechat import FakeWeChat, FlaskTransport
from tests.test_log_privacy import db_bytes

DAY = 86400
STORY = "老公天天打我，孩子才六岁，我们住在出租屋里"  # what must not outlive the retention period


def env_for(app) -> dict:
    settings = app.extensions["pufa"].settings
    return {"DATABASE_PATH": settings.DATABASE_PATH, "WECHAT_TOKEN": TOKEN, "SECRET_KEY": settings.SECRET_KEY}


def day_of(ts: float) -> str:
    return datetime.fromtimestamp(ts, CHINA_TZ).strftime("%Y-%m-%d")


def seed(store, days_ago: list[int], users: int = 4, tag: str = "a") -> None:
    """Consultations on the given days (several users, outcomes, topics, a model answer), as the webhook logs them."""
    now = time.time()
    n = 0
    for d in days_ago:
        for u in range(users):
            n += 1
            outcome = ("answered", "unanswered", "llm", "suggested")[n % 4]
            detail = (
                {"answer": "模型的回答" + STORY, "prompt_tokens": 100, "completion_tokens": 50}
                if outcome == "llm"
                else {}
            )
            store.log.record(
                Consultation(
                    f"u_user{u:04d}",
                    "text",
                    outcome,
                    f"{STORY}（{tag}{n}）",
                    "wage-where" if outcome == "answered" else None,
                    0.8,
                    "wage_arrears" if n % 2 else "domestic_violence",
                    12.0 + n,
                    f"msg:{tag}{n}",
                    detail,
                    ts=now - d * DAY - 3600,
                ),
                reply="答复",
            )
            if n % 3 == 0:
                store.log.record(
                    Consultation(
                        f"u_user{u:04d}",
                        "subscribe",
                        "event",
                        "",
                        msg_key=f"evt:u_user{u:04d}:{tag}{n}",
                        ts=now - d * DAY,
                    ),
                    reply="",
                    subscribed=True,
                )


def statistics(store, since: str, until: str) -> dict:
    stats = Stats(store.db)
    s = stats.summary(Period(since, until))
    s.pop("top_unanswered")  # the texts: exactly what retention removes
    return {"summary": s, "per_day": stats.per_day(Period(since, until))}


@pytest.fixture
def old_and_new(app):
    """Rows 400 to 200 days old (past the default 180) and rows from the last week."""
    store = app.extensions["pufa"].store
    seed(store, [400, 380, 350, 320, 300, 260, 230, 200])
    seed(store, [6, 3, 1, 0], tag="b")
    return store


def test_the_dry_run_lists_what_would_go_and_changes_nothing(app, old_and_new):
    before = db_rows(old_and_new)
    result = CliRunner().invoke(cli, ["purge"], env=env_for(app))
    assert result.exit_code == 0, result.output
    assert "预演" in result.output and "consultations" in result.output and "将清除" in result.output
    cutoff = day_of(time.time() - 180 * DAY)
    old = old_and_new.db.get().execute("SELECT count(*) FROM consultations WHERE day < ?", [cutoff]).fetchone()[0]
    assert old == 42 and f"将清除 {old:>8,} 条" in result.output  # 8 old days x 4 users, and 10 follows
    assert db_rows(old_and_new) == before


def db_rows(store) -> list:
    return list(store.db.get().execute("SELECT * FROM consultations ORDER BY id"))


def test_purge_anonymises_old_consultations_and_the_statistics_still_count_them(app, old_and_new):
    """Issue 12: consultations (family-violence and minors' stories included) were kept for ever."""
    store = old_and_new
    oldest, newest = day_of(time.time() - 401 * DAY), day_of(time.time())
    month = day_of(time.time() - 320 * DAY)[:7]
    periods = [(oldest, newest), (f"{month}-01", f"{month}-31"), (day_of(time.time() - 300 * DAY),) * 2]
    before = [statistics(store, *p) for p in periods]

    result = CliRunner().invoke(cli, ["purge", "--apply"], env=env_for(app))
    assert result.exit_code == 0, result.output
    assert "已清除" in result.output

    cutoff = day_of(time.time() - 180 * DAY)
    rows = list(store.db.get().query("SELECT * FROM consultations"))
    old = [r for r in rows if r["day"] < cutoff]
    new = [r for r in rows if r["day"] >= cutoff]
    assert len(old) > 30 and len(new) > 15
    assert all(r["text"] == "" and r["user_id"].startswith("anon_") and r["msg_key"] is None for r in old)
    assert all("answer" not in json.loads(r["detail"] or "{}") for r in old)
    assert all(json.loads(r["detail"])["prompt_tokens"] == 100 for r in old if r["outcome"] == "llm")
    assert all(r["user_id"].startswith("u_user") and STORY in r["text"] for r in new if r["kind"] == "text")

    assert [statistics(store, *p) for p in periods[1:]] == before[1:]  # whole months and days: exactly the same
    whole = statistics(store, *periods[0])["summary"]
    assert whole["consultations"] == before[0]["summary"]["consultations"]
    assert (
        whole["by_topic"] == before[0]["summary"]["by_topic"]
        and whole["llm_usage"] == before[0]["summary"]["llm_usage"]
    )
    assert not Stats(store.db).summary(Period(oldest, cutoff))["top_unanswered"]  # no text left to show

    assert "（a".encode() not in db_bytes(
        store.db.path
    )  # no old text anywhere in the files, free pages and log included
    assert "（b".encode() in db_bytes(store.db.path)
    again = CliRunner().invoke(cli, ["purge", "--apply"], env=env_for(app))
    assert "完成：共 0 条" in again.output


def test_one_person_is_one_user_within_a_month_and_cannot_be_traced_after(app):
    store = app.extensions["pufa"].store
    now = time.time()
    first = datetime.fromtimestamp(now - 300 * DAY, CHINA_TZ).replace(day=3, hour=12)
    days = [first, first + timedelta(days=10), first + timedelta(days=40)]
    for i, moment in enumerate(days):
        store.log.record(Consultation("u_same0001", "text", "answered", "问题", ts=moment.timestamp(), msg_key=f"m{i}"))
    retention.purge(store.db, app.extensions["pufa"].settings)
    ids = [r[0] for r in store.db.get().execute("SELECT user_id FROM consultations ORDER BY ts")]
    assert ids[0] == ids[1] != ids[2]
    assert store.db.get().execute("SELECT count(*) FROM retention_salts").fetchone()[0] == 0  # months over: salts gone


def test_old_rows_stored_before_better_masking_are_masked_again(app):
    store = app.extensions["pufa"].store
    store.log.record(
        Consultation("u_old00001", "text", "unanswered", "我叫张建国，电话一三八一二三四五六七八", msg_key="x1")
    )
    plan = {p.rule.name: p.rows for p in retention.plan(store.db, app.extensions["pufa"].settings)}
    assert plan["remask"] == 1
    retention.purge(store.db, app.extensions["pufa"].settings)
    assert store.db.get().execute("SELECT text FROM consultations").fetchone()[0] == "我叫张某，电话一三八****五六七八"
    assert {p.rule.name: p.rows for p in retention.plan(store.db, app.extensions["pufa"].settings)}["remask"] == 0


def test_working_data_expires_on_its_own_schedule(app):
    store = app.extensions["pufa"].store
    db = store.db.get()
    old = time.time() - 3 * DAY
    db.execute("INSERT INTO chat_state (user_id, state, updated) VALUES ('u_a0000001', '{}', ?)", [old])
    db.execute("INSERT INTO message_replies (key, state, reply, created) VALUES ('msg:1', 'done', 'x', ?)", [old])
    db.execute("INSERT INTO login_throttle (key, failures, until, updated) VALUES ('addr:1', 3, 0, ?)", [old])
    db.execute("INSERT INTO console_sessions VALUES ('x', 'a', 0, ?, 0, '', '')", [time.time() - 1])
    db.execute("INSERT INTO form_drafts VALUES ('d', ?, '/admin/faq/new', '/admin/faq/new', '[]')", [old])
    db.execute("INSERT INTO form_drafts VALUES ('d2', ?, '/admin/faq/new', '/admin/faq/new', '[]')", [time.time()])
    db.execute("INSERT INTO faq_import_checks VALUES ('t', 'admin1', ?, 'a.yaml', '[]')", [old])
    done = {p.rule.name: p.rows for p in retention.purge(store.db, app.extensions["pufa"].settings)}
    assert done["chat_state"] == done["message_replies"] == done["login_throttle"] == done["console_sessions"] == 1
    assert done["form_drafts"] == done["faq_import_checks"] == 1
    assert [r[0] for r in db.execute("SELECT token FROM form_drafts")] == ["d2"]  # today's draft stays
    audit = store.audit.recent(1, "purge")[0]
    assert audit["actor"] == "purge" and audit["detail"]["chat_state"] == 1


def test_retention_zero_keeps_consultations(make_app, console_faq_dir):
    app = make_app(FAQ_DIR=str(console_faq_dir), RETENTION_DAYS=0)
    store = app.extensions["pufa"].store
    seed(store, [400])
    result = CliRunner().invoke(cli, ["purge", "--apply"], env={**env_for(app), "RETENTION_DAYS": "0"})
    assert "永久保留" in result.output
    assert store.db.get().execute("SELECT count(*) FROM consultations WHERE text != ''").fetchone()[0] == 4


# one user's data


def converse(app) -> tuple[FakeWeChat, str]:
    fake = FakeWeChat(FlaskTransport(app.test_client()), TOKEN)
    fake.send(fake.event("subscribe", create_time=int(time.time()) - 5))
    fake.say(STORY)
    fake.say("老板欠工资")  # leaves numbered choices: chat state
    return fake, app.extensions["pufa"].pseudonym(fake.openid)


def test_forget_from_the_cli_removes_everything_keyed_by_the_user(app):
    store = app.extensions["pufa"].store
    fake, user_id = converse(app)
    other, other_id = converse(app)
    store.db.get().execute(
        "INSERT INTO llm_jobs (key, user_id, state, created, updated) VALUES ('k', ?, 'waiting', 0, 0)", [user_id]
    )
    keys = [r[0] for r in store.db.get().execute("SELECT msg_key FROM consultations WHERE user_id = ?", [user_id])]
    total = store.log.count()

    dry = CliRunner().invoke(cli, ["forget", user_id], env=env_for(app))
    assert dry.exit_code == 0 and "预演" in dry.output and "咨询记录 3 条" in dry.output
    assert store.db.get().execute("SELECT count(*) FROM consultations WHERE user_id = ?", [user_id]).fetchone()[0] == 3

    done = CliRunner().invoke(cli, ["forget", user_id, "--apply", "--by", "王主任"], env=env_for(app))
    assert done.exit_code == 0, done.output
    db = store.db.get()
    for table in ("consultations", "chat_state", "llm_jobs", "users"):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE user_id = ?", [user_id]).fetchone()[0] == 0, table
    assert not [k for k in keys if db.execute("SELECT 1 FROM message_replies WHERE key = ?", [k]).fetchone()]
    assert store.log.count() == total  # the counts stay
    anon = {r[0] for r in db.execute("SELECT user_id FROM consultations WHERE user_id LIKE 'anon_%'")}
    assert len(anon) == 1  # still one user in the statistics
    assert db.execute("SELECT count(*) FROM consultations WHERE user_id = ?", [other_id]).fetchone()[0] == 3
    record = store.audit.recent(1, "forget")[0]
    assert record["actor"] == "cli:王主任" and record["subject"] == user_id and record["detail"]["consultations"] == 3
    assert STORY.encode() in db_bytes(store.db.path)  # the other user's copy; but none of the forgotten user's:
    assert db.execute("SELECT count(*) FROM consultations WHERE text LIKE ?", [f"%{STORY[:6]}%"]).fetchone()[0] == 1

    again = CliRunner().invoke(cli, ["forget", user_id, "--apply"], env=env_for(app))
    assert again.exit_code == 1 and "没有" in again.output
    assert CliRunner().invoke(cli, ["forget", "robert'); DROP TABLE users;--"], env=env_for(app)).exit_code == 1


def test_forget_from_the_console(app, admin):
    store = app.extensions["pufa"].store
    _, user_id = converse(app)
    assert "删除这位用户的数据" in admin.text(f"/admin/logs?user={user_id}")
    page = admin.text(f"/admin/privacy?user={user_id}")
    assert "咨询记录 3 条" in page and "确认删除" in page and "180" in page
    resp = admin.post("/admin/privacy/forget", data={"user": user_id})
    assert resp.status_code == 302
    assert store.db.get().execute("SELECT count(*) FROM consultations WHERE user_id = ?", [user_id]).fetchone()[0] == 0
    page = admin.text("/admin/privacy")
    assert "已删除用户" in page and "admin1" in page and user_id in page and "删除用户数据" in page
    assert "没有这位用户的数据" in admin.text(f"/admin/privacy?user={user_id}")
    assert "格式" in admin.text("/admin/privacy?user=<script>")


def test_editors_cannot_delete_user_data(app, editor):
    assert editor.get("/admin/privacy").status_code == 403
    assert editor.post("/admin/privacy/forget", data={"user": "u_test0001"}).status_code == 403


def test_every_table_keyed_by_a_user_has_a_rule_that_forgets_it(app):
    """A later feature that stores rows by user_id (cases, a staff inbox) must register a rule that deletes them."""
    db = app.extensions["pufa"].store.db.get()
    keyed = {
        t
        for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if any(col[1] == "user_id" for col in db.execute(f"PRAGMA table_info({t})"))
    }
    forgetting = {r.name for r in retention.RULES if r.forget is not None}
    assert keyed and keyed <= forgetting, keyed - forgetting


def test_a_later_feature_registers_its_own_rule(app, monkeypatch):
    """(A made-up table: `cases` is a real one now, with its own rule in storage/cases.py.)"""
    monkeypatch.setattr(retention, "RULES", list(retention.RULES))
    store = app.extensions["pufa"].store
    store.db.get().execute("CREATE TABLE leads (id INTEGER PRIMARY KEY, user_id TEXT, closed REAL)")
    store.db.get().execute(
        "INSERT INTO leads (user_id, closed) VALUES ('u_case0001', ?), ('u_case0002', ?)", [0, time.time()]
    )
    retention.register(retention.delete_rule("leads", "结案超过保留期的案件", 30, "leads", "closed < ?", per_user=True))
    with pytest.raises(ValueError):
        retention.register(retention.delete_rule("leads", "again", 1, "leads", "closed < ?"))
    assert {p.rule.name: p.rows for p in retention.plan(store.db, app.extensions["pufa"].settings)}["leads"] == 1
    retention.purge(store.db, app.extensions["pufa"].settings)
    assert retention.forget_user(store.db, "u_case0002", "test")["leads"] == 1
    assert store.db.get().execute("SELECT count(*) FROM leads").fetchone()[0] == 0


def test_make_account_still_works_here(app):
    make_account(app, "editor1", "editor")
    assert ConsoleClient(app.test_client(), "editor1").login().status_code == 302


def test_the_readme_documents_the_new_commands_and_the_retention_setting():
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `python bot.py")]
    for command in ("bot.py purge", "bot.py forget", "users reset-2fa", "bench mask"):
        assert any(command in row for row in rows), command
    assert "RETENTION_DAYS" in readme and "bot.py purge --apply" in readme
