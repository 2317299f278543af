"""/admin/inbox: roles (caseworkers and admins; editors get 403 and no menu item), the list (waiting first or newest,
masked previews, overdue), a thread (the message in full, the conversation beside it masked, replies in place with
how each went: kept for the next message, pushed, 45015 then the next message), assignment, closing, canned
replies kept by admins, escaping and CSRF."""

from __future__ import annotations

import re
import time

from tests.conftest import TOKEN
from tests.console_fixtures import *  # noqa: F403
from tests.console_fixtures import ConsoleClient, make_account
from tests.fake_wechat import FakeWeChat, FlaskTransport
from tests.llm_fakes import APPID, APPSECRET
from tests.test_console_security import PAYLOADS, assert_escaped

pytest_plugins = ["tests.llm_fixtures"]

MESSAGE = "老板欠我三个月工资，我叫张三丰，电话13912345678，请检察官帮帮忙"
STAFF_PAGES = ("/admin/inbox", "/admin/inbox?status=all&order=newest", "/admin/inbox/1", "/admin/inbox/canned")



def leave(wechat, text: str = MESSAGE) -> None:
    wechat.say("留言")
    assert wechat.say(text).startswith("收到")


def person(app, openid: str | None = None) -> FakeWeChat:
    return FakeWeChat(FlaskTransport(app.test_client()), TOKEN, openid=openid)


def test_editors_cannot_read_the_inbox(app, editor, wechat):
    leave(wechat)
    for url in STAFF_PAGES:
        resp = editor.get(url)
        assert resp.status_code == 403, url
        assert "只有" in resp.get_data(as_text=True) and "13912345678" not in resp.get_data(as_text=True)
    for url in ("/admin/inbox/1/reply", "/admin/inbox/1/assign", "/admin/inbox/1/close", "/admin/inbox/canned"):
        assert editor.post(url, data={"text": "x", "title": "x"}).status_code == 403, url
    assert "工作人员信箱" not in editor.text("/admin/faq")
    assert app.extensions["pufa"].store.outbox.for_ref("staff_reply", "1") == []


def test_caseworkers_and_admins_can(app, admin, caseworker, wechat):
    leave(wechat)
    for client in (admin, caseworker):
        for url in STAFF_PAGES:
            assert client.get(url).status_code == 200, url
        assert "工作人员信箱" in client.text("/admin/faq")
    assert caseworker.get("/admin/").location == "/admin/cases"  # where a caseworker starts (the inbox is in the menu)
    assert admin.get("/admin/").location == "/admin/faq"


def test_a_caseworker_replies_in_place_and_the_person_gets_it_with_their_next_message(app, caseworker, wechat):
    wechat.say("被拖欠工资可以去哪里投诉")  # some conversation before the message
    leave(wechat)
    listing = caseworker.text("/admin/inbox")
    assert "139****5678" in listing and "13912345678" not in listing and "张某" in listing  # preview masked
    assert "已超期" not in listing
    page = caseworker.text("/admin/inbox/1")
    assert MESSAGE in page  # the message in full, for the staff who answer it
    assert "被拖欠工资可以去哪里投诉" in page and "人社局劳动保障监察机构" in page  # the conversation, replies as sent
    assert "没有配置客服消息接口" in page

    resp = caseworker.post("/admin/inbox/1/reply", data={"text": "收到，我们明天上午给您打电话。"})
    assert resp.status_code == 302
    page = caseworker.text("/admin/inbox/1")
    assert "已回复：等对方下次发消息时送达：没有配置客服消息接口" in page
    assert "工作人员回复您：收到，我们明天上午给您打电话。" in page
    thread = app.extensions["pufa"].store.inbox.get(1)
    assert thread["status"] == "answered" and thread["assignee"] == "caseworker1"  # taken by who replied

    reply = wechat.say("仲裁要钱吗")
    assert reply.startswith("工作人员回复您：收到，我们明天上午给您打电话。")
    assert "仲裁不收费" in reply
    assert "已送达：随对方" in caseworker.text("/admin/inbox/1")


def test_pushed_and_refused_pushes_are_shown(make_app, console_faq_dir, fake_wx_api):
    app = make_app(
        FAQ_DIR=str(console_faq_dir), WECHAT_API_BASE=fake_wx_api.url, WECHAT_APPID=APPID, WECHAT_APPSECRET=APPSECRET
    )
    make_account(app, "caseworker1", "caseworker")
    staff = ConsoleClient(app.test_client(), "caseworker1")
    staff.login()
    wechat = person(app)
    leave(wechat)
    page = staff.text("/admin/inbox/1")
    assert "回复会通过客服消息马上推送" in page
    staff.post("/admin/inbox/1/reply", data={"text": "第一条回复"})
    assert fake_wx_api.sent == [{"touser": wechat.openid, "content": "工作人员回复您：第一条回复"}]
    assert "已推送（客服消息" in staff.text("/admin/inbox/1")

    fake_wx_api.fail_next = [45015]
    staff.post("/admin/inbox/1/reply", data={"text": "第二条回复"})
    page = staff.text("/admin/inbox/1")
    assert "等对方下次发消息时送达：微信拒绝推送（45015" in page
    assert wechat.say("在吗").startswith("工作人员回复您：第二条回复")
    page = staff.text("/admin/inbox/1")
    assert "已送达：微信拒绝推送（45015" in page and "改为随对方" in page


def test_order_assignment_and_closing(app, admin, caseworker):
    first, second = person(app), person(app)
    leave(first, "第一位：包工头跑了，工钱找谁要")
    leave(second, "第二位：公司不给交社保怎么办")
    store = app.extensions["pufa"].store
    store.db.get().execute(
        "UPDATE inbox_threads SET waiting_since = ?, last_in = ? WHERE id = 1", [time.time() - 9 * 86400] * 2
    )
    waiting = caseworker.text("/admin/inbox")
    assert waiting.index("第一位") < waiting.index("第二位")  # the longest waiting first
    assert "已超期" in waiting and waiting.count("已超期") == 1
    newest = caseworker.text("/admin/inbox?order=newest")
    assert newest.index("第二位") < newest.index("第一位")

    assert caseworker.post("/admin/inbox/2/assign", data={"assignee": "admin1"}).status_code == 302
    assert store.inbox.get(2)["assignee"] == "admin1"
    assert caseworker.post("/admin/inbox/2/assign", data={"assignee": "nobody"}).status_code == 302
    assert store.inbox.get(2)["assignee"] == "admin1"  # only staff
    mine = admin.text("/admin/inbox?mine=1")
    assert "第二位" in mine and "第一位" not in mine

    caseworker.post("/admin/inbox/1/close")
    assert store.inbox.get(1)["status"] == "closed" and store.inbox.get(1)["closed_by"] == "caseworker1"
    assert "第一位" not in caseworker.text("/admin/inbox") and "第一位" in caseworker.text("/admin/inbox?status=closed")
    assert "已经关闭" in caseworker.client.post(
        "/admin/inbox/1/reply", data={"text": "x", "csrf_token": caseworker.token}, follow_redirects=True
    ).get_data(as_text=True)
    caseworker.post("/admin/inbox/1/reopen")
    assert store.inbox.get(1)["status"] == "answered"
    assert store.inbox.count("waiting") == 1


def test_canned_replies_are_kept_by_admins_and_used_by_caseworkers(app, admin, caseworker, wechat):
    leave(wechat)
    store = app.extensions["pufa"].store
    assert len(store.canned.all()) == 3  # a few to start with
    assert caseworker.post("/admin/inbox/canned", data={"title": "t", "text": "x"}).status_code == 403
    assert caseworker.post("/admin/inbox/canned/1/delete").status_code == 403
    admin.post(
        "/admin/inbox/canned", data={"title": "请带材料来", "text": "请带身份证和欠条到检察服务中心。", "position": "9"}
    )
    [new] = [c for c in store.canned.all() if c["title"] == "请带材料来"]
    edit = {"id": new["id"], "title": "请带材料来", "text": "请带身份证、欠条到检察服务中心。", "position": "9"}
    admin.post("/admin/inbox/canned", data=edit)
    admin.post("/admin/inbox/canned/1/delete")
    assert [c["title"] for c in store.canned.all()][-1] == "请带材料来" and store.canned.get(1) is None
    page = caseworker.text("/admin/inbox/1")
    assert 'data-text="请带身份证、欠条到检察服务中心。"' in page
    caseworker.post("/admin/inbox/1/reply", data={"text": "", "canned": str(new["id"])})  # no text: the canned one
    [sent] = store.outbox.for_ref("staff_reply", "1")
    assert sent["text"] == "工作人员回复您：请带身份证、欠条到检察服务中心。"


def test_messages_are_escaped_and_forms_carry_tokens(app, admin, caseworker):
    for payload in PAYLOADS:
        leave(person(app), "反映情况 " + payload)
    caseworker.post("/admin/inbox/1/reply", data={"text": "回复 " + PAYLOADS[0]})
    for url in ("/admin/inbox", "/admin/inbox/1", "/admin/inbox?status=all"):
        html = admin.text(url)
        assert_escaped(html, url)
        for form in re.findall(r'<form method="post".*?</form>', html, re.S):
            assert 'name="csrf_token"' in form
    assert " style=" not in admin.text("/admin/inbox/1") and "<script>" not in admin.text("/admin/inbox/1")


def test_the_menu_badge_counts_waiting_messages(app, caseworker, editor):
    leave(person(app))
    leave(person(app))
    nav = caseworker.text("/admin/faq").split("</nav>", 1)[0]
    assert re.search(r"工作人员信箱 <span class=\"badge alert\"[^>]*>2", nav)
    assert "工作人员信箱" not in editor.text("/admin/faq")
