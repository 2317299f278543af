"""`bot.py chat`: talk to the bot in the terminal. Every line becomes a signed WeChat push into /wechat."""

from __future__ import annotations

import urllib.request

from settings import Settings
from wechat_client import WeChatSide, build_xml, new_openid

HELP = "输入问题后回车；/voice 文字 = 模拟语音；/subscribe = 关注；/image = 发图片；/quit 退出。"


def _post_local(client, req) -> str:
    resp = client.post("/wechat?" + req.query, data=req.body, content_type="text/xml")
    return resp.get_data(as_text=True)


def _post_url(url: str, req) -> str:
    r = urllib.request.Request(url + "?" + req.query, data=req.body, headers={"Content-Type": "text/xml"})
    with urllib.request.urlopen(r, timeout=10) as resp:
        return resp.read().decode("utf-8")


def message_for(line: str, openid: str) -> str:
    if line.startswith("/voice "):
        return build_xml("voice", openid, MediaId="m1", Format="amr", Recognition=line[7:])
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
        from bot import create_app

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
        body = _post_url(url, req) if url else _post_local(client, req)
        print("助手> " + (side.read_reply(body) or "（无回复）") + "\n")
