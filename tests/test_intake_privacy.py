"""Registrations and personal information: retention of ended cases (CASE_RETENTION_DAYS), drafts and the flow's
journal; `bot.py forget`; encryption with the settings' key; the consultation log and the stored replies."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from bot import cli
from storage import retention
from storage.vocab import CaseStatus
from tests.conftest import SECRET, TOKEN
from tests.console_fixtures import ConsoleClient, add_account
from tests.intake_fixtures import INTAKE_SETTINGS, SCRIPTS, Applicant, run_script
from tests.test_log_privacy import db_bytes

DAY = 86400


@pytest.fixture
def app(make_app):
    return make_app(CASE_RETENTION_DAYS=30, **INTAKE_SETTINGS)


def register(app, kind="wages") -> tuple[Applicant, str]:
    person = Applicant(app)
    done = run_script(person, SCRIPTS[kind].lines)
    return person, done.split("登记编号：", 1)[1].split()[0]


def test_ended_cases_lose_their_personal_data_after_the_retention_period(app, tmp_path):
    services = app.extensions["pufa"]
    store, work = services.store, services.casework
    _, old = register(app, "wages")
    _, recent = register(app, "elder_support")
    _, open_case = register(app, "work_injury")
    for number in (old, recent):
        work.change_status(store.cases.get(number), "closed", "王检察官", note="已办结，老板付清", message="已办结。")
    store.db.get().execute("UPDATE cases SET ended = ? WHERE number = ?", [time.time() - 40 * DAY, old])
    plan = {p.rule.name: p.rows for p in retention.plan(store.db, services.settings)}
    assert plan["cases"] == 1
    retention.purge(store.db, services.settings)
    gone = store.cases.get(old)
    assert gone["phone"] is None and gone["details"] == {} and gone["anonymised"] and gone["user_id"].startswith("anon_")
    assert gone["amount"] == 8500 and gone["kind"] == "wages" and gone["status"] == CaseStatus.CLOSED  # statistics stay
    assert all(e["note"] is None and e["message"] is None for e in store.cases.history(gone["id"]))
    assert store.cases.get(recent)["phone"] == "13812345678"
    assert store.cases.get(open_case)["phone"] == "13512345678"
    assert b"13912345678" not in db_bytes(tmp_path / "bot.db")


def test_retention_zero_keeps_cases(make_app):
    app = make_app(CASE_RETENTION_DAYS=0, db_name="keep.db", **INTAKE_SETTINGS)
    planned = {p.rule.name: p for p in retention.plan(app.extensions["pufa"].store.db, app.extensions["pufa"].settings)}
    assert planned["cases"].cutoff is None
    assert "按检察院档案规定保存" in Applicant(app).say("登记")


def test_old_drafts_and_journal_rows_go(app):
    store = app.extensions["pufa"].store
    person = Applicant(app)
    run_script(person, ["登记", "1", "1", "1", "王师傅"])
    user = app.extensions["pufa"].pseudonym(person.openid)
    store.db.get().execute("UPDATE intake_drafts SET updated = ?", [time.time() - 8 * DAY])
    store.db.get().execute("UPDATE intake_journal SET created = ?", [time.time() - 2 * DAY])
    done = {p.rule.name: p.rows for p in retention.purge(store.db, app.extensions["pufa"].settings)}
    assert done["intake_drafts"] == 1 and done["intake_journal"] >= 4
    assert store.intake_drafts.get(user) is None


def test_bot_py_forget_removes_a_persons_registrations(app):
    person, number = register(app)
    run_script(person, ["登记", "1", "2"])  # a draft as well
    user = app.extensions["pufa"].pseudonym(person.openid)
    env = {"DATABASE_PATH": app.extensions["pufa"].settings.DATABASE_PATH, "WECHAT_TOKEN": TOKEN, "SECRET_KEY": SECRET}
    result = CliRunner().invoke(cli, ["forget", user, "--apply", "--by", "王主任"], env=env)
    assert result.exit_code == 0, result.output
    store = app.extensions["pufa"].store
    case = store.cases.get(number)
    assert case["phone"] is None and case["status"] == CaseStatus.WITHDRAWN and case["user_id"] != user
    for table in ("intake_drafts", "intake_journal", "cases"):
        count = store.db.get().execute(f"SELECT count(*) FROM {table} WHERE user_id = ?", [user]).fetchone()[0]
        assert count == 0, table


def test_a_case_is_unreadable_with_another_key_and_the_page_still_works(make_app, app):
    _, number = register(app)
    other = make_app(SECRET_KEY="another-secret-key", **INTAKE_SETTINGS)  # the same database file
    case = other.extensions["pufa"].store.cases.get(number)
    assert case["phone"] is None and case["details"] == {} and case["kind"] == "wages"
    add_account(other.extensions["pufa"].store, "王主任", "admin")
    admin = ConsoleClient(other.test_client(), "王主任")
    admin.login()
    page = admin.text(f"/admin/cases/{number}")
    assert number in page and "13912345678" not in page


def test_stored_replies_for_retries_are_encrypted(app, tmp_path):
    person = Applicant(app)
    run_script(person, SCRIPTS["wages"].lines[:-1])
    summary = person.replies[-1][1]
    assert "13912345678" in summary  # the person checks their number in the summary ...
    rows = [r[0] for r in app.extensions["pufa"].store.db.get().execute("SELECT reply FROM message_replies")]
    assert all(r.startswith("f1:") for r in rows if r)  # ... and the copy kept for WeChat's retries is encrypted
    assert person.retry() == summary
    assert b"13912345678" not in db_bytes(tmp_path / "bot.db")


def test_what_staff_write_about_a_case_is_encrypted_too(app, tmp_path):
    services = app.extensions["pufa"]
    _, number = register(app)
    case = services.store.cases.get(number)
    services.casework.note(case, "王检察官", note="老板电话13800001111，住七里河", message="请把欠条拍照留好")
    services.casework.refer(case, "labor_inspection", "老板藏在七里河区某小区", "王检察官", consented=True)
    data = db_bytes(tmp_path / "bot.db")
    for secret in ("13800001111", "老板藏在七里河区某小区", "请把欠条拍照留好"):
        assert secret.encode() not in data, secret
    history = services.store.cases.history(case["id"])
    assert history[-1]["note"] == "老板藏在七里河区某小区" and history[-1]["detail"]["referred_to"] == "labor_inspection"
