"""The caseworker's flow in a real headless browser (Debian's chromium through Playwright), at desktop and phone
(390 px) widths: applicants register through the signed /wechat webhook of the same server; the caseworker sees
the count badge and the overdue case highlighted, opens a case, reveals the number (recorded), moves it on with an
internal note and a message, and the applicant's progress query shows it. Set CONSOLE_SCREENSHOTS=docs/screenshots
to refresh the README's screenshots.

Skips without playwright or chromium unless PUFA_REQUIRE_BROWSER=1 (CI), like tests/test_console_browser.py.
"""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from pufa.app import create_app
from tests.conftest import TOKEN, make_settings
from tests.console_fixtures import PASSWORD, add_account
from tests.intake_fixtures import INTAKE_SETTINGS, SCRIPTS, VOICE
from tests.test_console_browser import ARGS, CHROMIUM, DESKTOP, MISSING, PHONE, REQUIRED, shots  # noqa: F401
from wechat.simulator import WeChatSide, build_xml

try:
    from playwright import sync_api
except ImportError:
    sync_api = None

pytestmark = [pytest.mark.browser]
if MISSING and not REQUIRED:
    pytestmark.append(pytest.mark.skip(reason=MISSING))
WORKER = "陈检察官"


class Server:
    """The app with procuratorates configured, served on a free local port in a thread."""

    def __init__(self, directory: Path):
        self.app = create_app(make_settings(directory, **INTAKE_SETTINGS))
        self.store = self.app.extensions["pufa"].store
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def person(self):
        side, openid = WeChatSide(TOKEN), "oIntake" + uuid.uuid4().hex[:20]

        def say(text: str) -> str:
            if text.startswith(VOICE):
                xml = build_xml("voice", openid, Recognition=text[len(VOICE):] + "。", MediaId="m1", Format="amr")
            else:
                xml = build_xml("text", openid, Content=text)
            signed = side.sign(xml, openid)
            resp = requests.post(f"{self.url}/wechat?{signed.query}", data=signed.body, timeout=15)
            assert resp.status_code == 200
            return side.read_reply(resp.text)

        return say

    def register(self, kind: str):
        say = self.person()
        done = ""
        for line in SCRIPTS[kind].lines:
            done = say(line)
        return say, done.split("登记编号：", 1)[1].split()[0]


@pytest.fixture(scope="module")
def server(tmp_path_factory, _fast_build):
    s = Server(tmp_path_factory.mktemp("intake-e2e"))
    add_account(s.store, WORKER, "caseworker")
    s.store.accounts.set_procuratorate(WORKER, "城关区人民检察院")
    s.thread.start()
    s.fresh = s.register("wages")
    s.late = s.register("work_injury")
    s.store.db.get().execute("UPDATE cases SET created = ? WHERE number = ?", [time.time() - 12 * 86400, s.late[1]])
    s.register("elder_support")  # 榆中县: not this caseworker's
    yield s
    s.server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if MISSING:
        pytest.fail(f"PUFA_REQUIRE_BROWSER=1 但 {MISSING}", pytrace=False)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def signed_in(browser, server, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(server.url + "/admin/login")
    page.fill("input[name=name]", WORKER)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/cases")  # a caseworker lands on the cases
    return page


def test_the_caseworker_works_a_case_on_the_desktop(browser, server, shots):  # noqa: F811
    say, number = server.fresh
    page = signed_in(browser, server, DESKTOP)
    badge = page.locator(".nav a[href='/admin/cases'] .badge")
    assert badge.inner_text().startswith("2") and "alert" in badge.get_attribute("class")
    late_row = page.locator("tr", has=page.locator(f"text={server.late[1]}"))
    assert "overdue" in late_row.get_attribute("class")
    assert page.locator("tr", has=page.locator(f"text={number}")).get_attribute("class") in ("", None)
    assert page.locator("table.case-list tbody tr").count() == 2  # not the 榆中县 case
    page.screenshot(path=shots / "cases.png", full_page=True)

    page.click(f"text={number}")
    page.wait_for_url(f"**/admin/cases/{number}")
    assert page.locator(".phone").inner_text() == "139****5678"
    page.click("button.reveal")
    assert page.locator(".phone.revealed").inner_text() == "13912345678"
    page.select_option("select[name=status]", "reviewing")
    page.fill("#status-form textarea[name=note]", "已电话联系，老板在外地")
    page.fill("#status-form textarea[name=message]", "我们正在核实，请保管好欠条。")
    page.click("#status-form button.primary")
    assert "状态已改为“初核”" in page.locator(".flash-ok").inner_text()
    assert "等申请人下次发消息时送达" in page.locator(".case-history").inner_text()
    page.screenshot(path=shots / "case.png", full_page=True)

    reply = say("查询")
    assert "初核" in reply and "请保管好欠条" in reply and "老板在外地" not in reply
    page.reload()
    assert "已在申请人下次发消息时送达" in page.locator(".case-history").inner_text()
    actions = [r["action"] for r in server.store.case_access.recent(10, number)]
    assert "reveal" in actions and "view" in actions
    page.context.close()


def test_the_caseworker_works_a_case_on_a_phone(browser, server, shots):  # noqa: F811
    say, number = server.late
    page = signed_in(browser, server, PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=shots / "cases-phone.png", full_page=True)
    page.click(f"text={number}")
    page.wait_for_url(f"**/admin/cases/{number}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert "超期" in page.locator(".clock").inner_text()
    page.click("button.reveal")
    assert page.locator(".phone.revealed").inner_text() == "13512345678"
    page.check("#status-form input[name=contacted]")
    page.select_option("select[name=status]", "accepted")
    page.fill("#status-form textarea[name=message]", "已受理，请准备病历和诊断证明。")
    page.click("#status-form button.primary")
    assert "受理" in page.locator(".flash-ok").inner_text()
    page.screenshot(path=shots / "case-phone.png", full_page=True)
    assert "请准备病历" in say("进度")
    page.goto(server.url + "/admin/cases/report")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator(".kpi").count() == 6
    page.context.close()
