"""Browser tests (Debian's chromium through Playwright, as tests/test_console_browser.py) for the staff inbox and the
conversation view: a wrongly answered consultation opened from the log, marked 答错了, and fixed by an editor with
加为问法 (试一试 then shows the right answer; the editor cannot open the inbox); a caseworker replying to a waiting
message with a canned reply, and the person getting it first in the reply to their next message.

Screenshots go to CONSOLE_SCREENSHOTS (docs/screenshots) when set: inbox, inbox-thread, inbox-phone,
conversation, conversation-phone.
"""

from __future__ import annotations

import time
import uuid

import pytest
import requests

from faq.render import render_answer
from intake.offer import offers, with_offer
from tests import test_console_browser as base
from tests.conftest import TOKEN
from tests.console_fixtures import PASSWORD, add_account
from wechat.simulator import WeChatSide, build_xml

browser, console, shots = base.browser, base.console, base.shots  # the same fixtures (one server per module)
pytestmark = base.pytestmark
DESKTOP, PHONE = base.DESKTOP, base.PHONE

WRONG = "工头不见了欠的工资去哪里投诉"  # the shipped FAQ answers it with another entry (checked below)
RIGHT = "wage-subcontractor-fled"  # 包工头跑了: what the person meant
MESSAGE = "我叫王小二，在城关区工地干了半年，包工头跑了，二十多个人的工钱没给，电话13812345678，请检察官帮帮我们"


def say(console, openid: str, text: str) -> str:
    """One message from a given person through the server's signed webhook."""
    side = WeChatSide(TOKEN)
    signed = side.sign(build_xml("text", openid, Content=text), openid)
    resp = requests.post(f"{console.url}/wechat?{signed.query}", data=signed.body, timeout=15)
    assert resp.status_code == 200
    return side.read_reply(resp.text)


def login(browser, console, name: str, viewport=DESKTOP, landing: str = "**/admin/faq"):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20_000)  # a busy machine (CI, eight engineers on two cores) can be slow
    page.goto(console.url + "/admin/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(landing)
    return page


@pytest.fixture(scope="module")
def wrong(console):
    matcher = console.services.dialogue.matcher()
    decision = matcher.decide(WRONG)
    assert decision.outcome == "answered" and decision.best.entry_id != RIGHT, "choose another WRONG question"
    assert RIGHT in matcher.by_id
    add_account(console.services.store, "小编", "editor")
    add_account(console.services.store, "李检察官", "caseworker")
    return decision.best.entry_id


def as_sent(entry: dict) -> str:
    """An entry's answer as the bot sends it: with the registration offer under the topics that have one."""
    text = render_answer(entry)
    return with_offer(text) if offers(entry) else text


def test_an_editor_fixes_a_wrong_answer_opened_from_the_log(browser, console, shots, wrong):
    person = "oWrong" + uuid.uuid4().hex[:20]
    say(console, person, "加班费怎么算")
    said = say(console, person, WRONG)
    assert said == as_sent(console.services.store.faq.get(wrong))

    admin = login(browser, console, "王主任")
    admin.goto(f"{console.url}/admin/logs?q={WRONG}")
    admin.locator("table.log tbody tr").first.locator("a[title=打开对话]").click()
    admin.wait_for_url("**/admin/c/*")
    focus = admin.locator("li.turn.focus")
    assert focus.locator(".bubble.user").inner_text() == WRONG
    assert focus.locator(".bubble.bot").inner_text() == said  # the reply as it was sent
    admin.fill("input[name=note]", "问的是包工头跑了，答成了去哪投诉")
    admin.click("button:has-text('答错了')")
    assert "已标记“答错了”" in admin.locator(".flash-ok").inner_text()
    cid = admin.url.split("/admin/c/")[1].split("#")[0]
    admin.goto(f"{console.url}/admin/c/{cid}")
    admin.screenshot(path=shots / "conversation.png", full_page=True)

    editor = login(browser, console, "小编")
    assert editor.goto(console.url + "/admin/inbox").status == 403  # editors fix answers, not the inbox
    editor.goto(console.url + "/admin/unanswered")
    queue = editor.locator("#flagged")
    assert WRONG in queue.inner_text()
    queue.locator(f"a[href^='/admin/c/{cid}']").click()
    editor.wait_for_url(f"**/admin/c/{cid}*")
    assert "u_" not in editor.locator(".page-head").inner_text()  # no pseudonym for editors
    editor.fill("input[name=entry]", RIGHT)
    editor.click("button:has-text('看它的答复')")
    editor.wait_for_url("**entry=*")  # and its stylesheet: inner_text reads line breaks only once pre-wrap applies
    right = console.services.store.faq.get(RIGHT)
    assert editor.locator("#other .bubble").inner_text() == render_answer(right)  # a preview before adding
    editor.locator("#other button.primary").click()
    assert "问法" in editor.locator(".flash-ok").inner_text()
    assert editor.locator(".flash-error").count() == 0  # the bot now answers it with the right entry

    editor.goto(f"{console.url}/admin/faq/try?q={WRONG}")
    assert editor.locator(".bubble").inner_text().startswith(right["answer"][:30])
    assert say(console, person, WRONG) == as_sent(console.services.store.faq.get(RIGHT))  # the bot too

    phone = login(browser, console, "小编", PHONE)
    phone.goto(f"{console.url}/admin/c/{cid}")
    assert phone.locator("li.turn").count() == 3  # the question before it, itself, and asked again after the fix
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=shots / "conversation-phone.png", full_page=True)
    for page in (admin, editor, phone):
        page.context.close()


def test_a_caseworker_replies_to_a_waiting_message(browser, console, shots, wrong):
    openid = "oLeave" + uuid.uuid4().hex[:20]
    say(console, openid, "转人工")
    assert "写在下一条消息里" in say(console, openid, "3")
    assert say(console, openid, MESSAGE).startswith("收到")
    other = "oOther" + uuid.uuid4().hex[:20]
    say(console, other, "我要留言：公司不给交社保，辞职了还能补吗，想请工作人员看看")

    store = console.services.store
    waiting = {t["user_id"]: t["id"] for t in store.inbox.list("waiting")}
    mine = waiting[console.services.pseudonym(openid)]
    # one is overdue whatever today is: 8 days hold at least 5 working days (4 days from a Thursday, seen from a
    # Monday night, held only 2, and the promise is counted in working days)
    ago = {mine: 8 * 86400 + 3600, waiting[console.services.pseudonym(other)]: 2 * 3600}
    for thread_id, seconds in ago.items():
        store.db.get().execute(
            "UPDATE inbox_threads SET waiting_since = ? WHERE id = ?", [time.time() - seconds, thread_id]
        )

    page = login(browser, console, "李检察官", landing="**/admin/cases")  # a caseworker starts at the cases
    page.goto(console.url + "/admin/inbox")
    rows = page.locator("table.inbox-list tbody tr")
    assert rows.count() >= 2
    first = rows.first.inner_text()  # the longest waiting, past the promised date
    assert "8 天 1 小时" in first and "已超期" in first and "overdue" in rows.first.get_attribute("class")
    assert "王某" in first or "138****5678" in first  # the preview is masked
    page.screenshot(path=shots / "inbox.png", full_page=True)
    rows.first.locator("a.strong").click()
    page.wait_for_url("**/admin/inbox/*")
    assert MESSAGE in page.locator("ol.chat").first.inner_text()  # in full, for the staff who answer it
    assert "转人工" in page.locator("aside").inner_text()  # the conversation beside it

    page.select_option("select[name=canned]", label="请拨打 12309")
    text = page.locator("textarea[name=text]").input_value()
    assert text.startswith("您说的情况需要当面或电话核实")  # the canned reply, filled in to edit
    page.fill("textarea[name=text]", "王先生您好，" + text)
    page.click("button:has-text('发送回复')")
    assert "等对方下次发消息时送达" in page.locator(".flash").inner_text()
    assert "工作人员回复您：王先生您好" in page.locator("ol.chat").first.inner_text()
    page.screenshot(path=shots / "inbox-thread.png", full_page=True)

    reply = say(console, openid, "好的，谢谢")
    assert reply.startswith("工作人员回复您：王先生您好，您说的情况需要当面或电话核实")
    page.reload()
    assert "已送达：随对方" in page.locator(".delivery").last.inner_text()

    phone = login(browser, console, "李检察官", PHONE, landing="**/admin/cases")
    phone.goto(console.url + "/admin/inbox")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=shots / "inbox-phone.png", full_page=True)
    page.context.close()
    phone.context.close()
