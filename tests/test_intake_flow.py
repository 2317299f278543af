"""Registering a case through the webhook (the fake WeChat server), in every kind of matter, with WeChat retries
and a process restart in the middle; consent, the commands that work at every step, drafts, duplicates,
progress, withdrawal and deletion."""

from __future__ import annotations

import time

import pytest

from storage.cases import CaseQuery
from storage.logwriter import LogWriter
from storage.vocab import CaseStatus
from tests.intake_fixtures import INTAKE_SETTINGS, MAIN, SCRIPTS, Applicant, run_script
from tests.test_log_privacy import db_bytes

PLACEHOLDER = "（登记信息已加密保存）"


class Crash(Exception):
    """The process dies after the flow applied a step and before the webhook logged the reply."""


@pytest.fixture
def intake_app(make_app):
    return make_app(**INTAKE_SETTINGS)


def store_of(app):
    return app.extensions["pufa"].store


def only_case(store) -> dict:
    rows = store.cases.search(CaseQuery())
    assert len(rows) == 1, [r["number"] for r in rows]
    return store.cases.get(rows[0]["number"])


@pytest.mark.parametrize("kind", list(SCRIPTS))
def test_a_registration_in_every_kind_survives_retries_and_a_restart(make_app, monkeypatch, kind):
    script = SCRIPTS[kind]
    app = make_app(**INTAKE_SETTINGS)
    person = Applicant(app)
    lines = script.lines
    for line in lines[:5]:
        person.say(line)
    # A retry of an applied step gets the same reply and moves nothing.
    first = person.say(lines[5])
    assert person.retry() == first
    assert person.retry() == first
    step = store_of(app).intake_drafts.get(app.extensions["pufa"].pseudonym(person.openid)).step
    # The process dies after the next step is applied, before its reply is logged or sent ...
    real = LogWriter.record

    def dies(self, *args, **kwargs):
        raise Crash()

    monkeypatch.setattr(LogWriter, "record", dies)
    with pytest.raises(Crash):
        person.say(lines[6])
    monkeypatch.setattr(LogWriter, "record", real)
    # ... and comes back: WeChat's retry of that message gets the step's reply, the draft moved exactly once.
    restarted = make_app(**INTAKE_SETTINGS)
    person.move_to(restarted)
    again = person.retry()
    assert again == person.retry()
    user = restarted.extensions["pufa"].pseudonym(person.openid)
    moved = store_of(restarted).intake_drafts.get(user)
    assert moved.step != step and "没看懂" not in again
    done = run_script(person, lines[7:])
    store = store_of(restarted)
    case = only_case(store)
    assert f"登记编号：{case['number']}" in done
    assert case["kind"] == kind and case["status"] == CaseStatus.REGISTERED and case["user_id"] == user
    for key, value in script.expect.items():
        assert case[key] == value, (key, case[key])
    for key, value in script.details.items():
        assert case["details"].get(key) == value, (key, case["details"])
    assert store.intake_drafts.get(user) is None  # submitted: the draft is gone
    # the log holds the placeholder for every step, never an answer
    texts = [r[0] for r in store.db.get().execute("SELECT text FROM consultations WHERE outcome = 'intake'")]
    assert len(texts) >= len(lines) - 1 and set(texts) == {PLACEHOLDER}


def test_the_raw_database_never_holds_the_phone_number_or_the_account(intake_app, tmp_path):
    person = Applicant(intake_app)
    done = run_script(person, SCRIPTS["wages"].lines)
    assert "登记编号：" in done
    person.say("查询")
    data = db_bytes(tmp_path / "bot.db")
    for secret in ("13912345678", "139 1234 5678", "1234 5678", "王师傅", "包工头张三", "干了三个月活"):
        assert secret.encode() not in data, secret
        assert secret.encode("utf-16-le") not in data, secret
    # and the log shows nothing of it either
    rows = list(store_of(intake_app).db.get().query("SELECT text, detail FROM consultations"))
    assert not any("1391234" in (r["text"] or "") + (r["detail"] or "") for r in rows)


def test_no_consent_keeps_nothing(intake_app):
    store = store_of(intake_app)
    person = Applicant(intake_app)
    notice = person.say("我要登记")
    assert "回复 1 同意" in notice and MAIN in notice and "不回复，什么都不保存" in notice
    assert "一条也没有保存" in person.say("2")
    assert store.intake_drafts.get(intake_app.extensions["pufa"].pseudonym(person.openid)) is None
    for no in ("取消", "算了"):  # the words that cancel a step also say no to the notice (not a fallback)
        person.say("申请支持起诉")
        assert "一条也没有保存" in person.say(no)
    # no answer at all: a question instead of 1/2 is answered as usual, and the notice lapses
    person.say("登记")
    answer = person.say("老板欠工资不给怎么办")
    assert "登记开始" not in answer
    assert "登记开始" not in person.say("1")
    assert store.db.get().execute("SELECT count(*) FROM intake_drafts").fetchone()[0] == 0
    assert store.db.get().execute("SELECT count(*) FROM cases").fetchone()[0] == 0


def test_sensitive_kinds_ask_for_a_separate_consent_and_a_no_deletes_the_draft(intake_app):
    person = Applicant(intake_app)
    person.say("登记")
    person.say("1")
    ask = person.say("4")
    assert "单独同意" in ask and "个人信息保护法第二十九条" in ask and "家庭暴力" in ask
    declined = person.say("2")
    assert "一条也没有保存" in declined
    assert store_of(intake_app).db.get().execute("SELECT count(*) FROM intake_drafts").fetchone()[0] == 0


def test_back_skip_restart_and_cancel_work_at_every_step(intake_app):
    person = Applicant(intake_app)
    store = store_of(intake_app)
    user = intake_app.extensions["pufa"].pseudonym(person.openid)
    run_script(person, ["登记", "1", "1", "1", "王师傅"])
    assert "不能跳过" in person.say("跳过")  # the phone is required
    back = person.say("返回")
    assert "怎么称呼您" in back
    assert "手机号" in person.say("老王")
    assert store.intake_drafts.get(user).data["name"] == "老王"
    person.say("13912345678")
    person.say("1")
    assert "多少钱" in person.say("跳过")  # the other side is optional
    assert store.intake_drafts.get(user).data["party"] is None
    again = person.say("重填")
    assert "从头填" in again and "哪类事" in again
    assert store.intake_drafts.get(user).data == {}
    assert "已取消登记" in person.say("取消")
    assert store.intake_drafts.get(user) is None
    assert "已经是第一项" in (run_script(person, ["登记", "1", "返回"]))


def test_a_draft_pauses_and_resumes_within_seven_days(intake_app):
    person = Applicant(intake_app)
    store = store_of(intake_app)
    user = intake_app.extensions["pufa"].pseudonym(person.openid)
    run_script(person, ["登记", "1", "1", "1", "王师傅"])
    paused = person.say("0")
    assert paused.startswith("登记先暂停") and "回复“继续登记”接着填" in paused and "回复数字看常见问题" in paused
    answer = person.say("包工头跑了工钱找谁要")  # an ordinary question now, with the reminder under it
    assert "总承包" in answer and "没填完的登记" in answer
    resumed = person.say("继续登记")
    assert "手机号" in resumed
    # an hour of silence pauses it too; after seven days it is gone
    store.db.get().execute("UPDATE intake_drafts SET updated = ? WHERE user_id = ?", [time.time() - 7200, user])
    assert "没填完的登记" in person.say("仲裁要钱吗")
    assert "手机号" in person.say("继续登记")
    store.db.get().execute("UPDATE intake_drafts SET updated = ? WHERE user_id = ?", [time.time() - 8 * 86400, user])
    assert "超过 7 天" in person.say("继续登记")
    assert "登记前请先看" in person.say("登记")


def test_bad_answers_get_a_clear_re_ask(intake_app):
    person = Applicant(intake_app)
    run_script(person, ["登记", "1"])
    assert "1 到 7" in person.say("9")
    assert "1 到 7" in person.say("😀😀")
    run_script(person, ["1", "1", "王师傅"])
    assert "11 位手机号" in person.say("1391234")
    assert "11 位手机号" in person.say("我的电话是 13912345678 或 13812345678")
    person.say("13912345678")
    assert "1 到 4" in person.say("7")
    person.say("城关区")
    person.say("某公司" * 300)  # very long: kept, cut to a few hundred characters
    assert "没看懂金额" in person.say("很多很多")
    assert "多少钱" not in person.say("1.2万")


def test_a_second_registration_of_the_same_matter_is_told_about_the_first(make_app):
    app = make_app(**INTAKE_SETTINGS)
    person = Applicant(app)
    run_script(person, SCRIPTS["wages"].lines)
    store = store_of(app)
    first = only_case(store)["number"]
    warning = run_script(person, ["登记", "1", "1"])
    assert first in warning and "不用重复登记" in warning
    assert "不用再登记" in person.say("2")
    assert store.db.get().execute("SELECT count(*) FROM cases").fetchone()[0] == 1
    # the same phone number from another WeChat account is found at the summary
    other = Applicant(app)
    lines = SCRIPTS["wages"].lines
    warning = run_script(other, lines)
    assert first in warning and "这个手机号" in warning
    assert "请核对" in other.say("1")  # another matter after all: back to the summary
    assert "登记编号：" in other.say("1")
    assert store.db.get().execute("SELECT count(*) FROM cases").fetchone()[0] == 2


def test_progress_by_words_number_and_menu_button(intake_app):
    person = Applicant(intake_app)
    run_script(person, SCRIPTS["wages"].lines)
    number = only_case(store_of(intake_app))["number"]
    for ask in ("查询", "进度", "我的登记怎么样了", number, f"登记编号：{number}"):
        reply = person.say(ask)
        assert number in reply and "等待工作人员电话联系" in reply, ask
    assert number in person.click("PROGRESS")
    stranger = Applicant(intake_app)
    assert "没有找到" in stranger.say(number)  # only one's own registrations
    assert "还没有登记过" in stranger.say("查询")
    assert "登记前请先看" in stranger.click("REGISTER")


def test_withdrawal_ends_the_case_and_removes_its_personal_data(intake_app):
    person = Applicant(intake_app)
    run_script(person, SCRIPTS["wages"].lines)
    store = store_of(intake_app)
    number = only_case(store)["number"]
    prompt = person.say("撤回")
    assert number in prompt and "回复 1 确定撤回" in prompt
    assert "已撤回" in person.say("1")
    case = store.cases.get(number)
    assert case["status"] == CaseStatus.WITHDRAWN and case["phone"] is None and case["details"] == {}
    assert "已撤回" in person.say("查询")
    assert "没有可以撤回" in person.say("撤回")


def test_deletion_on_request_removes_everything_the_person_left(intake_app, tmp_path):
    person = Applicant(intake_app)
    run_script(person, SCRIPTS["wages"].lines)
    run_script(person, ["登记", "1", "2", "2", "我父亲"])  # and a draft
    store = store_of(intake_app)
    user = intake_app.extensions["pufa"].pseudonym(person.openid)
    number = store.cases.search(CaseQuery())[0]["number"]
    assert "确定删除" in person.say("删除我的信息")
    assert "已删除您的全部信息" in person.say("1")
    case = store.cases.get(number)
    assert case["phone"] is None and case["status"] == CaseStatus.WITHDRAWN and not case["user_id"].startswith("u_")
    assert store.intake_drafts.get(user) is None
    assert store.db.get().execute("SELECT count(*) FROM consultations WHERE user_id = ?", [user]).fetchone()[0] <= 2
    assert b"13912345678" not in db_bytes(tmp_path / "bot.db")
    assert store.audit.recent(1, "forget")[0]["actor"] == "申请人（公众号）"


def test_the_offer_closes_the_answers_that_lead_to_a_registration(intake_app):
    person = Applicant(intake_app)
    wage = person.say("包工头跑了工钱找谁要")
    assert wage.endswith("回复 登记，让检察院工作人员联系您")
    elder = person.say("子女不赡养老人怎么办")
    assert elder.endswith("回复 登记，让检察院工作人员联系您")
    contract = person.say("试用期最长多久")
    assert "回复 登记" not in contract
    assert "登记前请先看" in person.say("登记")


def test_registering_right_after_an_emergency_reply_starts_the_registration(intake_app):
    """After an emergency reply a short message that says nothing of the danger being over is the danger going on
    (dialogue/safety/updates.py), but a request for the procuratorate's service is what it asks: 让检察院联系我."""
    person = Applicant(intake_app)
    assert person.say("他又打我了 在砸门").startswith("【紧急】")
    notice = person.say("让检察院联系我")
    assert not notice.startswith("【紧急】") and "个人信息" in notice
