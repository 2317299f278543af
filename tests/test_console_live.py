"""An edit made in the console reaches every worker process of the real server at once.

`python bot.py serve` runs in a subprocess (gunicorn, 2 workers, temporary database); the test signs in over
real HTTP with a session cookie and CSRF token, edits an entry, then sends signed WeChat messages until both
workers have answered, and every answer must already be the new one.
"""

import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.conftest import TOKEN, LiveServer
from tests.console_fixtures import PASSWORD, add_account, write_faq
from wechat.simulator import WeChatSide, build_xml

pytestmark = pytest.mark.slow

QUESTION = "打仲裁收不收费"
WEBHOOK_LINE = re.compile(r"\[(\d+)\] text from \S+ -> (\w+) (\S*)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("live_console")
    faq_dir = write_faq(directory / "faq")
    srv = LiveServer(directory, FAQ_DIR=str(faq_dir), LOG_LEVEL="DEBUG")  # DEBUG: one line per answered message
    store = srv.store()
    add_account(store, "admin1", "admin")
    store.close()
    srv.start()
    yield srv
    srv.stop()


def ask(server, text: str) -> str:
    side = WeChatSide(TOKEN)
    openid = "oLive" + uuid.uuid4().hex[:20]
    signed = side.sign(build_xml("text", openid, Content=text), openid)
    # a new connection per message, so the workers share the load
    resp = requests.post(
        f"{server.url}/wechat?{signed.query}",
        data=signed.body,
        timeout=15,
        headers={"Connection": "close", "Content-Type": "text/xml"},
    )
    assert resp.status_code == 200
    return side.read_reply(resp.text)


def answering_pids(server, since: int) -> set[str]:
    return {m.group(1) for m in WEBHOOK_LINE.finditer(server.log()[since:])}


def ask_until_both_workers_answered(server, text: str, rounds: int = 25) -> list[str]:
    """Ask in parallel bursts until the log shows two worker pids answering; returns every reply."""
    start = len(server.log())
    replies: list[str] = []
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(rounds):
            replies += list(pool.map(lambda _: ask(server, text), range(4)))
            if len(answering_pids(server, start)) >= 2:
                break
    assert len(answering_pids(server, start)) >= 2, "the requests never reached both workers:\n" + server.log()[-3000:]
    return replies


def console_session(server) -> requests.Session:
    s = requests.Session()
    page = s.get(f"{server.url}/admin/login", timeout=10).text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    resp = s.post(
        f"{server.url}/admin/login",
        data={"name": "admin1", "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert resp.status_code == 302, resp.text[:500]
    return s


def edit_answer(server, s: requests.Session, entry_id: str, answer: str) -> None:
    page = s.get(f"{server.url}/admin/faq/{entry_id}/edit", timeout=10).text

    def field(name: str) -> str:
        return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)

    form = [
        ("csrf_token", re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)),
        ("base_revision", field("base_revision")),
        ("topic", re.search(r'<option value="([a-z_]+)" selected>', page).group(1)),
        ("question", field("question")),
        ("variants", re.search(r'<textarea name="variants"[^>]*>(.*?)</textarea>', page, re.S).group(1)),
        ("answer", answer),
        ("enabled", "1"),
        ("position", "0"),
        *[("legal_basis", c) for c in re.findall(r'name="legal_basis" value="([^"]+)" checked', page)],
    ]
    resp = s.post(f"{server.url}/admin/faq/{entry_id}/edit", data=form, allow_redirects=False, timeout=10)
    assert resp.status_code == 302, resp.text[:2000]


def test_an_edit_reaches_both_workers_without_a_restart(server):
    before = ask_until_both_workers_answered(server, QUESTION)
    assert all("劳动争议仲裁不收费" in r for r in before)  # both workers built their matcher on the old FAQ

    s = console_session(server)
    edit_answer(server, s, "arb-free", "【已更新】劳动仲裁一分钱都不收。")
    after = ask_until_both_workers_answered(server, QUESTION)
    assert all(r.startswith("【已更新】劳动仲裁一分钱都不收。") for r in after), after

    edit_answer(server, s, "arb-free", "【第二次更新】仲裁免费。")
    again = ask_until_both_workers_answered(server, QUESTION)
    assert all(r.startswith("【第二次更新】仲裁免费。") for r in again), again
