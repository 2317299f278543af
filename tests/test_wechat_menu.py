"""`bot.py wechat menu`: the custom menu built from the bot's own keys, within WeChat's limits, every key handled by
handlers/events.py; a dry run by default, `--apply` publishes it through the (local fake) WeChat API."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bot import cli
from dialogue.intents import CLICK_KEYS
from handlers.events import KNOWN_KEYS, MENU_KEYS
from storage.api_tokens import ApiTokens
from storage.vocab import Outcome
from tests.llm_fakes import APPID, APPSECRET
from wechat.api import WeChatApi, WeChatApiError
from wechat.menu import build_menu, covers_every_topic, describe, menu_keys, name_width, problems

pytest_plugins = ["tests.llm_fixtures"]


def test_the_menu_is_within_wechats_limits():
    menu = build_menu()
    assert problems(menu) == []
    assert len(menu["button"]) <= 3
    for top in menu["button"]:
        assert name_width(top["name"]) <= 4 and len(top["sub_button"]) <= 5
        for sub in top["sub_button"]:
            assert sub["type"] == "click" and name_width(sub["name"]) <= 8 and len(sub["key"].encode()) <= 128


def test_the_menu_has_every_topic_and_service_request():
    keys = menu_keys(build_menu())
    assert set(keys) == set(MENU_KEYS) | set(CLICK_KEYS) and len(keys) == len(set(keys))
    assert covers_every_topic()
    names = {sub["name"] for top in build_menu()["button"] for sub in top["sub_button"]}
    assert {"登记", "查询进度", "留言给工作人员"} <= names


def test_every_key_in_the_menu_is_handled_by_the_events_handler(wechat, store):
    for key in menu_keys(build_menu()):
        assert key in KNOWN_KEYS
        reply = wechat.send(wechat.event("CLICK", key=key)).content
        row = store.db.get().execute("SELECT detail, outcome FROM consultations ORDER BY id DESC LIMIT 1").fetchone()
        assert json.loads(row[0])["click"] == key, key  # not "unknown"
        assert reply, key
        if key in MENU_KEYS:
            assert row[1] == Outcome.MENU and "常见问题" in reply
    assert "写在下一条消息里" in wechat.send(wechat.event("CLICK", key="LEAVE_MESSAGE")).content


@pytest.mark.parametrize(
    "menu, problem",
    [
        ({"button": [{"name": "一", "sub_button": []}] * 4}, "一级菜单应有"),
        ({"button": [{"name": "五个字的名", "type": "click", "key": "K"}]}, "超过 4 个汉字"),
        (
            {"button": [{"name": "主题", "sub_button": [{"type": "click", "name": "九个字的菜单名字啊", "key": "K"}]}]},
            "超过 8",
        ),
        ({"button": [{"name": "主题", "sub_button": [{"type": "click", "name": "x", "key": "K" * 129}]}]}, "128 字节"),
        ({"button": [{"name": "主题", "sub_button": [{"type": "click", "name": "x", "key": "K"}] * 6}]}, "最多 5 个"),
    ],
)
def test_problems_are_found(menu, problem):
    assert any(problem in p for p in problems(menu))


def test_a_dry_run_prints_the_menu_and_publishes_nothing(fake_wx_api, tmp_path):
    env = {"DATABASE_PATH": str(tmp_path / "bot.db"), "WECHAT_API_BASE": fake_wx_api.url, "WECHAT_APPID": APPID,
           "WECHAT_APPSECRET": APPSECRET}  # fmt: skip
    result = CliRunner().invoke(cli, ["wechat", "menu"], env=env)
    assert result.exit_code == 0, result.output
    assert (
        describe(build_menu()) in result.output
        and "留言给工作人员" in result.output
        and "LEAVE_MESSAGE" in result.output
    )
    assert "预演" in result.output
    assert fake_wx_api.attempts == [] and fake_wx_api.menu is None


def test_apply_publishes_it_through_the_api(fake_wx_api, tmp_path):
    env = {"DATABASE_PATH": str(tmp_path / "bot.db"), "WECHAT_API_BASE": fake_wx_api.url, "WECHAT_APPID": APPID,
           "WECHAT_APPSECRET": APPSECRET}  # fmt: skip
    result = CliRunner().invoke(cli, ["wechat", "menu", "--apply"], env=env)
    assert result.exit_code == 0, result.output
    assert "已发布" in result.output
    assert fake_wx_api.menu == build_menu()
    [create] = [a for a in fake_wx_api.attempts if "button" in a["data"]]
    assert "留言给工作人员".encode() in create["raw"]  # raw UTF-8, not \\u escapes (WeChat shows those literally)


def test_apply_needs_the_api(tmp_path):
    result = CliRunner().invoke(cli, ["wechat", "menu", "--apply"], env={"DATABASE_PATH": str(tmp_path / "bot.db")})
    assert result.exit_code != 0 and "WECHAT_APPID" in result.output


def test_the_api_client_creates_and_reads_the_menu(fake_wx_api, store):
    api = WeChatApi(fake_wx_api.url, APPID, APPSECRET, ApiTokens(store.db))
    assert api.get_menu() is None  # 46003: no menu yet
    api.create_menu(build_menu())
    assert api.get_menu() == build_menu()
    fake_wx_api.expire_token()  # a revoked token is refreshed once
    api.create_menu(build_menu())
    with pytest.raises(WeChatApiError) as refused:
        api.create_menu({"button": [{"name": "这个名字太长了", "sub_button": []}]})
    assert refused.value.code == 40018
