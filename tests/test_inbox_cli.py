"""The issue's "done when", through the webhook (fake WeChat server) and `bot.py inbox`: a message left for staff
appears in `inbox list`; after `inbox reply` the person's next message gets the staff reply first (no
customer-service API); with the API configured (a local fake WeChat API) the reply is pushed at once and the
delivery recorded; a 45015 falls back to next-message delivery."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from bot import cli
from inbox.replies import STAFF_PREFIX
from storage.inbox import ANSWERED
from storage.outbox import CUSTOM, DELIVERED, NEXT_MESSAGE, PENDING, PUSHED
from tests.llm_fakes import Chat

pytest_plugins = ["tests.llm_fixtures"]

MESSAGE = "老板欠我三个月工资，电话13912345678，请检察官帮帮忙"
REPLY = "您反映的情况已收到，我们明天上午给您打电话。"
ENV_KEYS = ("DATABASE_PATH", "SECRET_KEY", "WECHAT_TOKEN", "WECHAT_API_BASE", "WECHAT_APPID", "WECHAT_APPSECRET")


def env_for(app) -> dict:
    values = app.extensions["pufa"].settings.values
    return {k: str(values[k]) for k in ENV_KEYS if values.get(k)}


def run(app, *args: str):
    result = CliRunner().invoke(cli, list(args), env=env_for(app))
    return result


def leave_message(app) -> Chat:
    chat = Chat(app)
    chat.send("我要留言")
    assert chat.send(MESSAGE)[0].startswith("收到")
    return chat


def listed(app) -> list[dict]:
    result = run(app, "inbox", "list", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_without_the_api_the_reply_comes_with_the_next_message(llm_app_factory):
    app = llm_app_factory(None)
    chat = leave_message(app)
    [item] = listed(app)
    assert set(item) >= {"id", "user", "text", "waiting_minutes", "status"}
    assert item["user"] == app.extensions["pufa"].pseudonym(chat.openid)
    assert item["text"] == MESSAGE.replace("13912345678", "139****5678")  # masked, as in the log
    assert item["status"] == "waiting" and item["waiting_minutes"] == 0
    text = run(app, "inbox", "list")
    assert text.exit_code == 0 and "等待回复" in text.output and "13912345678" not in text.output

    result = run(app, "inbox", "reply", str(item["id"]), REPLY, "--by", "李检察官")
    assert result.exit_code == 0, result.output
    assert "等对方下次发消息时送达：没有配置客服消息接口" in result.output
    [item] = listed(app)
    assert item["status"] == ANSWERED and item["waiting_minutes"] is None

    reply, _ = chat.send("加班费怎么算")
    assert reply.startswith(STAFF_PREFIX + REPLY)  # the staff reply first ...
    assert "150%" in reply  # ... then the answer to what they asked
    [row] = app.extensions["pufa"].store.outbox.for_ref("staff_reply", str(item["id"]))
    assert (row["state"], row["channel"], row["author"]) == (DELIVERED, NEXT_MESSAGE, "cli:李检察官")
    assert STAFF_PREFIX not in chat.send("加班费怎么算")[0]  # once


def test_with_the_api_the_reply_is_pushed_at_once(llm_app_factory, fake_wx_api):
    app = llm_app_factory(None, fake_wx_api.url)
    chat = leave_message(app)
    [item] = listed(app)
    result = run(app, "inbox", "reply", str(item["id"]), REPLY)
    assert result.exit_code == 0 and "已推送（客服消息" in result.output
    assert fake_wx_api.sent == [{"touser": chat.openid, "content": STAFF_PREFIX + REPLY}]
    [row] = app.extensions["pufa"].store.outbox.for_ref("staff_reply", str(item["id"]))
    assert (row["state"], row["channel"]) == (PUSHED, CUSTOM) and row["delivered"]
    assert STAFF_PREFIX not in chat.send("加班费怎么算")[0]  # already with them


def test_a_45015_falls_back_to_the_next_message(llm_app_factory, fake_wx_api):
    app = llm_app_factory(None, fake_wx_api.url)
    chat = leave_message(app)
    [item] = listed(app)
    fake_wx_api.fail_next = [45015]
    result = run(app, "inbox", "reply", str(item["id"]), REPLY)
    assert result.exit_code == 0 and "45015" in result.output and "等对方下次发消息时送达" in result.output
    store = app.extensions["pufa"].store
    [row] = store.outbox.for_ref("staff_reply", str(item["id"]))
    assert (row["state"], row["error"]) == (PENDING, "push:45015")
    assert chat.send("加班费怎么算")[0].startswith(STAFF_PREFIX + REPLY)
    [row] = store.outbox.for_ref("staff_reply", str(item["id"]))
    assert (row["state"], row["channel"], row["error"]) == (DELIVERED, NEXT_MESSAGE, "push:45015")  # both shown


def test_after_48_hours_no_push_is_tried(llm_app_factory, fake_wx_api):
    app = llm_app_factory(None, fake_wx_api.url)
    leave_message(app)
    app.extensions["pufa"].store.db.get().execute("UPDATE openid_vault SET seen = ?", [time.time() - 49 * 3600])
    [item] = listed(app)
    result = run(app, "inbox", "reply", str(item["id"]), REPLY)
    assert "已超过 48 小时没发消息" in result.output and fake_wx_api.attempts == []


@pytest.mark.parametrize(
    "args, message",
    [(["999", "你好"], "没有编号为 999 的留言"), (["1", "  "], "请写回复的内容"), (["1", "长" * 501], "最多 500 个字")],
)
def test_reply_refuses_what_it_cannot_send(llm_app_factory, args, message):
    app = llm_app_factory(None)
    leave_message(app)
    result = run(app, "inbox", "reply", *args)
    assert result.exit_code != 0 and message in result.output
    assert app.extensions["pufa"].store.outbox.for_ref("staff_reply", "1") == []


def test_a_closed_thread_takes_no_reply_and_list_filters_by_status(llm_app_factory):
    app = llm_app_factory(None)
    leave_message(app)
    app.extensions["pufa"].store.inbox.close(1, "admin1")
    assert listed(app) == []  # open ones by default
    assert "已经关闭" in run(app, "inbox", "reply", "1", REPLY).output
    result = run(app, "inbox", "list", "--status", "closed", "--json")
    assert [i["status"] for i in json.loads(result.output)] == ["closed"]
