"""`bot.py chat`: talk to the bot in the terminal. Every line becomes a signed WeChat push into /wechat."""

from __future__ import annotations

import urllib.error
import urllib.request

from settings import Settings
from wechat.simulator import WeChatSide, build_xml, new_openid

HELP = "输入问题后回车；/voice 文字 = 模拟语音；/subscribe = 关注；/image = 发图片；/quit 退出。"


class ChatError(Exception):
    """The webhook refused a line or could not be reached; the message says what to check."""


def _refused(status: int, body: str) -> ChatError:
    hint = "请检查 WECHAT_TOKEN（以及 WECHAT_AES_KEY、WECHAT_APPID）是否与服务器一致" if status == 403 else body[:200]
    return ChatError(f"webhook 拒绝了这条消息（HTTP {status}）：{hint}")


def _post_local(client, req) -> str:
    resp = client.post("/wechat?" + req.query, data=req.body, content_type="text/xml")
    if resp.status_code != 200:
        raise _refused(resp.status_code, resp.get_data(as_text=True))
    return resp.get_data(as_text=True)


def _post_url(url: str, req) -> str:
    r = urllib.request.Request(url + "?" + req.query, data=req.body, headers={"Content-Type": "text/xml"})
    try:
        with urllib.request.urlopen(r, timeout=10) as resp:
            return resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        raise _refused(exc.code, exc.read().decode("utf-8", "replace")) from exc
    except urllib.error.URLError as exc:
        raise ChatError(f"连不上 {url}：{exc.reason}") from exc


def message_for(line: str, openid: str) -> str:
    if line == "/voice" or line.startswith("/voice "):  # the line is stripped: "/voice " arrives as "/voice"
        recognised = line[7:].strip()
        fields = {"Recognition": recognised} if recognised else {}  # no text = speech recognition failed
        return build_xml("voice", openid, MediaId="m1", Format="amr", **fields)
    if line == "/subscribe":
        return build_xml("event", openid, Event="subscribe")
    if line == "/image":
        return build_xml("image", openid, PicUrl="http://example.invalid/a.jpg", MediaId="m2")
    return build_xml("text", openid, Content=line)


def run_chat(settings: Settings, url: str | None, openid: str | None) -> None:
    side = WeChatSide(settings.WECHAT_TOKEN, settings.WECHAT_AES_KEY, settings.WECHAT_APPID)
    openid = openid or new_openid()
    client = None
    if not url:
        from pufa.app import create_app

        client = create_app(settings).test_client()
    print("普法小助手（终端试用，经由 /wechat webhook）。" + HELP)
    while True:
        try:
            line = input("你> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if not line:
            continue
        if line in ("/quit", "/exit"):
            return
        req = side.sign(message_for(line, openid), openid)
        try:
            body = _post_url(url, req) if url else _post_local(client, req)
        except ChatError as exc:  # a wrong token, a message over the size limit, a server that is down
            print(f"（{exc}）\n")
            continue
        print("助手> " + (side.read_reply(body) or "（无回复）") + "\n")
