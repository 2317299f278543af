"""The customer-service API client against the local fake WeChat server: token caching, refresh, errors."""

from __future__ import annotations

import json
import threading
import urllib.request

import pytest

from storage import Store
from storage.api_tokens import ApiTokens
from tests.llm_fakes import APPID, APPSECRET
from wechat.api import QUOTA_EXCEEDED, WINDOW_CLOSED, WeChatApi, WeChatApiError

pytest_plugins = ["tests.llm_fixtures"]


@pytest.fixture
def tokens(tmp_path):
    store = Store(tmp_path / "api.db")
    yield ApiTokens(store.db)
    store.close()


def test_send_text_fetches_and_caches_the_token(fake_wx_api, tokens):
    api = WeChatApi(fake_wx_api.url, APPID, APPSECRET, tokens)
    api.send_text("oUser1", "第一条")
    api.send_text("oUser1", "第二条")
    assert [m["content"] for m in fake_wx_api.sent] == ["第一条", "第二条"]
    assert fake_wx_api.token_fetches == 1
    # another worker (another client on the same database) reuses the cached token
    WeChatApi(fake_wx_api.url, APPID, APPSECRET, tokens).send_text("oUser2", "第三条")
    assert fake_wx_api.token_fetches == 1


def test_concurrent_workers_fetch_one_token(fake_wx_api, tokens):
    apis = [WeChatApi(fake_wx_api.url, APPID, APPSECRET, tokens) for _ in range(5)]
    threads = [threading.Thread(target=a.send_text, args=("oUser", f"m{i}")) for i, a in enumerate(apis)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(fake_wx_api.sent) == 5 and fake_wx_api.token_fetches == 1


def test_invalid_token_is_refreshed_once(fake_wx_api, tokens):
    api = WeChatApi(fake_wx_api.url, APPID, APPSECRET, tokens)
    api.send_text("oUser", "a")
    fake_wx_api.expire_token()
    api.send_text("oUser", "b")
    assert fake_wx_api.token_fetches == 2 and [m["content"] for m in fake_wx_api.sent] == ["a", "b"]


@pytest.mark.parametrize("code", [WINDOW_CLOSED, QUOTA_EXCEEDED])
def test_window_and_quota_errors_are_raised(fake_wx_api, tokens, code):
    fake_wx_api.fail_next = [code]
    with pytest.raises(WeChatApiError) as exc:
        WeChatApi(fake_wx_api.url, APPID, APPSECRET, tokens).send_text("oUser", "x")
    assert exc.value.code == code and fake_wx_api.sent == []


def test_wrong_secret_and_unreachable_server(fake_wx_api, tokens):
    with pytest.raises(WeChatApiError) as exc:
        WeChatApi(fake_wx_api.url, APPID, "wrong", tokens).send_text("oUser", "x")
    assert exc.value.code == 40013
    with pytest.raises(WeChatApiError) as exc:
        WeChatApi("http://127.0.0.1:9", APPID, APPSECRET, ApiTokens(tokens.db), timeout=1).send_text("o", "x")
    assert exc.value.code == -1


def _raw(url: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=5) as resp:
        return json.loads(resp.read())


def test_the_fake_refuses_what_wechat_refuses(fake_wx_api):
    """The client's requests are only checked if the fake is as strict as WeChat about grant_type and msgtype."""
    base = f"{fake_wx_api.url}/cgi-bin/token?appid={APPID}&secret={APPSECRET}"
    assert _raw(base)["errcode"] == 40002
    assert _raw(base + "&grant_type=authorization_code")["errcode"] == 40002
    token = _raw(base + "&grant_type=client_credential")["access_token"]
    send = f"{fake_wx_api.url}/cgi-bin/message/custom/send?access_token={token}"
    assert _raw(send, {"touser": "oUser", "msgtype": "news", "text": {"content": "x"}})["errcode"] == 40008
    assert _raw(send, {"touser": "oUser", "text": {"content": "x"}})["errcode"] == 40008
    assert _raw(send, {"touser": "oUser", "msgtype": "text", "text": {"content": ""}})["errcode"] == 44004
    assert _raw(send, {"touser": "oUser", "msgtype": "text", "text": {"content": "好"}})["errcode"] == 0
    assert fake_wx_api.sent == [{"touser": "oUser", "content": "好"}]
