"""Fixtures for the console tests: a small fixed FAQ, accounts, a logged-in client that sends CSRF tokens.

Use with `from tests.console_fixtures import *` in a test module. The `app` here overrides conftest's (same
settings through conftest's `make_app`, but FAQ_DIR is the small FAQ below), so conftest's `client`, `store`
and `wechat` fixtures work on it unchanged.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml
from argon2 import PasswordHasher
from werkzeug.datastructures import MultiDict

from knowledge import KnowledgeBase
from storage.consultations import Consultation

__all__ = [
    "FAQ",
    "PASSWORD",
    "ConsoleClient",
    "add_account",
    "admin",
    "app",
    "caseworker",
    "console_faq_dir",
    "csrf_token",
    "editor",
    "log_question",
    "make_account",
    "write_faq",
]

PASSWORD = "correct horse battery"
# Cheap argon2 parameters for tests only; verification reads the parameters from the hash itself.
_FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
_HASH = _FAST.hash(PASSWORD)

FAQ = [
    {
        "id": "wage-where",
        "topic": "wage_arrears",
        "question": "被拖欠工资，可以去哪里投诉？",
        "variants": [
            "老板不给工钱去哪告他",
            "包工头欠钱不给找哪个部门",
            "工资拖了三个月该找谁",
            "欠薪找哪个单位投诉",
            "劳动局在哪投诉工资",
        ],
        "answer": "可以向用工所在地的人社局劳动保障监察机构投诉，或打 12333。",
        "legal_basis": ["《保障农民工工资支付条例》第10条", "《劳动保障监察条例》第9条"],
    },
    {
        "id": "wage-boss-fled",
        "topic": "wage_arrears",
        "question": "包工头跑了，工钱找谁要？",
        "variants": [
            "包工头卷钱跑路了",
            "带班的跑了工资谁给",
            "工头失联了欠的钱咋办",
            "小包工头跑了找总包行不行",
            "包工头不见了工钱没了",
        ],
        "answer": "分包单位或包工头拖欠工资的，由施工总承包单位先行清偿。",
        "legal_basis": ["《保障农民工工资支付条例》第30条"],
    },
    {
        "id": "arb-free",
        "topic": "arbitration_litigation",
        "question": "申请劳动仲裁要交钱吗？",
        "variants": ["打仲裁收不收费", "劳动仲裁要花多少钱", "申请仲裁免费吗", "仲裁费用谁出", "去仲裁委要交费不"],
        "answer": "劳动争议仲裁不收费，仲裁委员会的经费由财政保障。",
        "legal_basis": ["《劳动争议调解仲裁法》第53条"],
    },
    {
        "id": "aid-apply",
        "topic": "legal_aid",
        "question": "怎么申请法律援助？",
        "variants": [
            "请不起律师怎么办",
            "免费律师去哪找",
            "法律援助在哪申请",
            "没钱打官司能找政府帮忙吗",
            "农民工能申请法援吗",
        ],
        "answer": "向办案机关所在地或住所地的法律援助机构申请；农民工讨薪不受经济困难条件限制。",
        "legal_basis": ["《法律援助法》第31条", "《法律援助法》第38条"],
    },
    {
        "id": "crime-refuse-pay",
        "topic": "criminal_wage",
        "question": "老板有钱就是不给工资，算犯罪吗？",
        "variants": [
            "恶意欠薪能判刑吗",
            "拒不支付劳动报酬罪是啥",
            "老板故意不发工资会坐牢吗",
            "有钱不还工资能报警吗",
            "欠薪不还抓不抓人",
        ],
        "answer": "有能力支付而不支付，经政府有关部门责令支付仍不支付，数额较大的，可能构成拒不支付劳动报酬罪。",
        "legal_basis": ["《刑法》第276条之一"],
    },
    {
        "id": "dv-order",
        "topic": "domestic_violence",
        "question": "被家暴了怎么申请人身安全保护令？",
        "variants": [
            "老公打我怎么办",
            "家暴保护令怎么申请",
            "丈夫天天打人能报警吗",
            "被打了去哪求助",
            "人身安全保护令去哪办",
        ],
        "answer": "可以向法院申请人身安全保护令；紧急时先拨打 110。",
        "legal_basis": ["《反家庭暴力法》第23条"],
    },
]


def write_faq(directory: Path, entries: list[dict] | None = None) -> Path:
    """Write entries as a seed file, keeping only citations the knowledge base has (it grows independently)."""
    kb = KnowledgeBase.load()
    fallback = kb.citations()[0]
    out = []
    for entry in entries or FAQ:
        basis = [c for c in entry["legal_basis"] if kb.has(c)] or [fallback]
        out.append({**entry, "legal_basis": basis})
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "fixture.yaml").write_text(yaml.safe_dump(out, allow_unicode=True, sort_keys=False), "utf-8")
    return directory


@pytest.fixture(scope="session")
def console_faq_dir(tmp_path_factory) -> Path:
    return write_faq(tmp_path_factory.mktemp("console_faq"))


@pytest.fixture
def app(make_app, console_faq_dir):
    """The app on a fresh database, seeded from the small FAQ above."""
    return make_app(FAQ_DIR=str(console_faq_dir))


def add_account(store, name: str, role: str, password: str = PASSWORD) -> None:
    """An account in `store`, hashed with cheap argon2 parameters (tests only)."""
    store.accounts.add(name, role, _HASH if password == PASSWORD else _FAST.hash(password))


def make_account(app, name: str, role: str, password: str = PASSWORD) -> None:
    add_account(app.extensions["pufa"].store, name, role, password)


_TOKEN_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_token(client) -> str:
    """The CSRF token of the client's session, read from a console page like a browser would."""
    page = client.get("/admin/login")
    if page.status_code == 302:  # already signed in
        page = client.get("/admin/faq/try")
    return _TOKEN_RE.search(page.get_data(as_text=True)).group(1)


class ConsoleClient:
    """A test client signed in to the console; `post` adds the CSRF token the way the forms do."""

    def __init__(self, client, name: str):
        self.client = client
        self.name = name
        self._token: str | None = None

    def login(self, password: str = PASSWORD):
        token = csrf_token(self.client)
        resp = self.client.post("/admin/login", data={"name": self.name, "password": password, "csrf_token": token})
        self._token = None
        return resp

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = csrf_token(self.client)
        return self._token

    def get(self, url: str, **kw):
        return self.client.get(url, **kw)

    def post(self, url: str, data=None, **kw):
        # dicts stay dicts (a (file, name) tuple is an upload); lists of pairs become a MultiDict
        data = MultiDict(data) if isinstance(data, list) else dict(data or {})
        if "csrf_token" not in data:
            data["csrf_token"] = self.token
        return self.client.post(url, data=data, **kw)

    def text(self, url: str) -> str:
        resp = self.client.get(url)
        assert resp.status_code == 200, (url, resp.status_code)
        return resp.get_data(as_text=True)


def signed_in(app, name: str, role: str) -> ConsoleClient:
    make_account(app, name, role)
    c = ConsoleClient(app.test_client(), name)
    assert c.login().status_code == 302
    return c


@pytest.fixture
def admin(app) -> ConsoleClient:
    return signed_in(app, "admin1", "admin")


@pytest.fixture
def caseworker(app) -> ConsoleClient:
    return signed_in(app, "caseworker1", "caseworker")


@pytest.fixture
def editor(app) -> ConsoleClient:
    return signed_in(app, "editor1", "editor")


def log_question(app, text: str, outcome: str = "unanswered", days_ago: float = 0, user: str = "u_test0001", **kw):
    """Put one consultation in the log, as the webhook would have."""
    store = app.extensions["pufa"].store
    log_question.n = getattr(log_question, "n", 0) + 1
    c = Consultation(
        user_id=user,
        kind=kw.pop("kind", "text"),
        outcome=outcome,
        text=text,
        msg_key=f"test:{time.time_ns()}:{log_question.n}",
        ts=time.time() - days_ago * 86400,
        **kw,
    )
    return store.log.record(c)
