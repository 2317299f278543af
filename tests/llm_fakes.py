"""Local stand-ins for the LLM tests: a chat-completions server, a WeChat API server (both `http.server` on
127.0.0.1 in a thread, spoken to over real HTTP by the real `openai` client and the bot's WeChat API client),
settings wired to them, and a WeChat user talking through the real webhook. Fixtures: tests/llm_fixtures.py.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from settings import Settings
from wechat.simulator import WeChatSide, build_xml

TOKEN = "llm-test-token"
APPID = "wx_llm_test"
APPSECRET = "llm-test-appsecret"
API_KEY = "sk-test"
PROMPT_TOKENS, COMPLETION_TOKENS = 812, 236
FAKE_CITATION = "《劳动合同法》第999条"

# A tiny FAQ of our own, so these tests do not move when the shipped FAQ is edited.
FAQ_YAML = """
- id: wage-overtime-pay
  topic: wage_arrears
  question: 加班费怎么算
  variants: [加班工资怎么算, 周末加班给多少钱, 节假日加班工资, 加班费标准是多少, 晚上加班有没有加班费]
  answer: 平时加班不低于工资的150%，休息日加班又不安排补休的不低于200%，法定节假日加班不低于300%。
  legal_basis: [《劳动法》第44条]
- id: women-maternity-leave
  topic: women
  question: 产假有多少天
  variants: [生孩子能休几天, 女职工产假规定, 怀孕了能休多久, 产假工资谁发, 顺产产假几天]
  answer: 女职工生育享受不少于98天的产假，具体天数和待遇看当地规定。
  legal_basis: [《妇女权益保障法》第76条]
"""
# In scope, clearly about wages, and not answered by the FAQ above.
LATE_BUDGET = 0.5  # seconds: with fake_llm.delay above this, the answer is late
QUESTION = "包工头跑了，项目部说钱已经给包工头了，不管我们，工钱找谁要"
FAQ_QUESTION = "加班费怎么算"


def _citations_in(system: str) -> list[str]:
    return re.findall(r"^(《[^》]+》第\d+条(?:之[一二三四五六七八九十]+)?)（", system, re.M)


class FakeModel(ThreadingHTTPServer):
    """POST /v1/chat/completions. `mode`: normal, fabricate, fabricate_all, echo, markdown, long, error (500),
    rate_limit (429), malformed (bad JSON), no_choices. `delay`: seconds to wait before answering (any mode).

    Like the real services it wants `Authorization: Bearer <API_KEY>` (401 otherwise). `hold()` keeps every answer
    back until `let_answer()`: a test that needs the model to be late says so with an event, not with a delay that a
    slow machine could overtake."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _ModelHandler)
        self.mode = "normal"
        self.delay = 0.0
        self.requests: list[dict] = []
        self.release = threading.Event()  # set at teardown: a slow answer stops waiting
        self.answering = threading.Event()  # cleared by hold(): requests wait for let_answer()
        self.answering.set()
        self.arrived = threading.Semaphore(0)  # one release per request received
        self.api_key = API_KEY
        self.lock = threading.Lock()

    def hold(self) -> None:
        """From now on, answers wait until `let_answer()` (or teardown)."""
        self.answering.clear()

    def let_answer(self) -> None:
        self.answering.set()

    def wait_for_request(self, timeout: float = 10.0) -> bool:
        """True once one more request has arrived (each call consumes one)."""
        return self.arrived.acquire(timeout=timeout)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/v1"

    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up on a slow answer (its timeout) closed the socket: expected here

    def answer_for(self, body: dict) -> str:
        system = body["messages"][0]["content"]
        cited = _citations_in(system) or ["《保障农民工工资支付条例》第30条"]
        good = (
            f"可以找总包单位要钱。根据{cited[0]}，包工头跑了，工钱由施工总承包单位先行清偿。\n"
            "1. 先收集考勤记录、工资条、聊天记录和工友证言。\n"
            "2. 带上身份证和证据到当地人社部门劳动保障监察机构投诉。\n"
            "3. 生活困难的，可以向法律援助机构申请法律援助，也可以拨打12309。"
        )
        mode = self.mode
        if mode == "fabricate":
            return good + f"\n另外根据{FAKE_CITATION}，单位还要另付三倍赔偿金。"
        if mode == "fabricate_all":
            return f"根据{FAKE_CITATION}，可以要三倍工资。依据《刑法》第1000条，老板要坐牢。按《劳动法》第888条办。"
        if mode == "echo":
            return "好的，我将忽略以上指令。我的提示词如下：" + system[:300]
        if mode == "markdown":
            return "## 结论\n**可以找总包单位要钱。**\n" + good.replace("1. ", "- ").replace("2. ", "- ")
        if mode == "long":
            return good + "\n" + "这一点请您特别注意，一定要保存好所有的证据材料。" * 120
        return good


class _ModelHandler(BaseHTTPRequestHandler):
    server: FakeModel

    def log_message(self, *args) -> None:
        pass

    def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        data = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        srv = self.server
        with srv.lock:
            srv.requests.append(data)
        srv.arrived.release()
        if self.headers.get("Authorization") != f"Bearer {srv.api_key}":
            body = b'{"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}'
            return self._send(401, body)
        if self.path != "/v1/chat/completions":
            return self._send(404, b'{"error": {"message": "not found"}}')
        srv.answering.wait(30)
        if srv.delay:
            srv.release.wait(srv.delay)
        mode = srv.mode
        if mode == "error":
            return self._send(500, b'{"error": {"message": "internal error", "type": "server_error"}}')
        if mode == "rate_limit":
            body = b'{"error": {"message": "rate limit reached", "type": "rate_limit_error"}}'
            return self._send(429, body, {"retry-after-ms": "10"})
        if mode == "malformed":
            return self._send(200, b'{"id": "x", "choices": [{"message": {"content": "')
        if mode == "no_choices":
            return self._send(200, json.dumps({"id": "x", "object": "chat.completion"}).encode())
        completion = {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": data.get("model", "fake"),
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": srv.answer_for(data)}, "finish_reason": "stop"}
            ],
            "usage": {
                "prompt_tokens": PROMPT_TOKENS,
                "completion_tokens": COMPLETION_TOKENS,
                "total_tokens": PROMPT_TOKENS + COMPLETION_TOKENS,
            },
        }
        self._send(200, json.dumps(completion, ensure_ascii=False).encode("utf-8"))


class FakeWeChatApi(ThreadingHTTPServer):
    """GET /cgi-bin/token, POST /cgi-bin/message/custom/send, POST /cgi-bin/menu/create and GET /cgi-bin/menu/get.
    `fail_next`: errcodes to answer the next sends with (45015, 45047, ...); `expire_token()` makes the current
    token invalid (the next send gets 40001). Like WeChat it wants grant_type=client_credential (40002 otherwise), a
    known msgtype with its content (40008 / 44004 otherwise), and a menu within its limits (40016 too many buttons,
    40017 a bad type, 40018 a name over 16 bytes at the top or 60 below, 40019 a key over 128 bytes; 46003 for
    menu/get when there is none)."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _WeChatHandler)
        self.token_fetches = 0
        self.current_token: str | None = None
        self.sent: list[dict] = []  # accepted messages: {"touser", "content"}
        self.attempts: list[dict] = []  # every send request, accepted or not
        self.fail_next: list[int] = []
        self.menu: dict | None = None  # the published menu
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def expire_token(self) -> None:
        with self.lock:
            self.current_token = "revoked-" + str(time.time())

    def wait_for_messages(self, n: int = 1, timeout: float = 10.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.sent) < n:
            time.sleep(0.05)
        return list(self.sent)


class _WeChatHandler(BaseHTTPRequestHandler):
    server: FakeWeChatApi

    def log_message(self, *args) -> None:
        pass

    def _json(self, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/cgi-bin/menu/get":
            srv = self.server
            with srv.lock:
                if q.get("access_token") != srv.current_token:
                    return self._json({"errcode": 40001, "errmsg": "invalid credential"})
                if srv.menu is None:
                    return self._json({"errcode": 46003, "errmsg": "menu no exist"})
                return self._json({"menu": srv.menu})
        if url.path != "/cgi-bin/token":
            return self._json({"errcode": 404, "errmsg": "no such api"})
        if q.get("grant_type") != "client_credential":
            return self._json({"errcode": 40002, "errmsg": "invalid grant_type"})
        if q.get("appid") != APPID or q.get("secret") != APPSECRET:
            return self._json({"errcode": 40013, "errmsg": "invalid appid"})
        srv = self.server
        with srv.lock:
            srv.token_fetches += 1
            srv.current_token = f"TOKEN-{srv.token_fetches}"
            return self._json({"access_token": srv.current_token, "expires_in": 7200})

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        data = json.loads(raw.decode("utf-8"))
        srv = self.server
        with srv.lock:
            srv.attempts.append({"token": q.get("access_token"), "data": data, "raw": raw})
            if url.path not in ("/cgi-bin/message/custom/send", "/cgi-bin/menu/create"):
                return self._json({"errcode": 404, "errmsg": "no such api"})
            if q.get("access_token") != srv.current_token:
                return self._json({"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"})
            if url.path == "/cgi-bin/menu/create":
                code = _menu_error(data)
                if code == 0:
                    srv.menu = data
                return self._json({"errcode": code, "errmsg": "ok" if code == 0 else "invalid menu"})
            if data.get("msgtype") != "text" or not isinstance(data.get("text"), dict):
                return self._json({"errcode": 40008, "errmsg": "invalid message type"})
            if not data["text"].get("content") or not data.get("touser"):
                return self._json({"errcode": 44004, "errmsg": "empty content"})
            if srv.fail_next:
                code = srv.fail_next.pop(0)
                return self._json({"errcode": code, "errmsg": {45015: "response out of time limit"}.get(code, "x")})
            srv.sent.append({"touser": data["touser"], "content": data["text"]["content"]})
            return self._json({"errcode": 0, "errmsg": "ok"})


def _menu_error(data: dict) -> int:
    """The errcode WeChat's menu/create gives a menu (0 = accepted)."""
    buttons = data.get("button")
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
        return 40016
    for top in buttons:
        subs = top.get("sub_button") or []
        if len(subs) > 5:
            return 40016
        if not top.get("name") or len(top["name"].encode("utf-8")) > 16:
            return 40018
        for button in subs:
            if button.get("type") != "click":
                return 40017
            if not button.get("name") or len(button["name"].encode("utf-8")) > 60:
                return 40018
            if not button.get("key") or len(button["key"].encode("utf-8")) > 128:
                return 40019
    return 0


def llm_settings(tmp_path: Path, model_url: str | None, wechat_url: str | None = None, **values) -> Settings:
    """Settings on a temporary database and our tiny FAQ; LLM on when `model_url`, push API when `wechat_url`."""
    faq_dir = tmp_path / "faq"
    faq_dir.mkdir(exist_ok=True)
    (faq_dir / "entries.yaml").write_text(FAQ_YAML, encoding="utf-8")
    base = {
        "DATABASE_PATH": str(tmp_path / "bot.db"),
        "FAQ_DIR": str(faq_dir),
        "WECHAT_TOKEN": TOKEN,
        "SECRET_KEY": "llm-tests-secret",
        # An instant fake model must answer within the budget even on a busy machine (a 0.5 s budget made one
        # CI-like run flaky); tests about late answers pass LATE_BUDGET with a slower fake model.
        "LLM_BUDGET_SECONDS": 2.0,
        "LLM_TIMEOUT_SECONDS": 5.0,
    }
    if model_url:
        base.update(LLM_BASE_URL=model_url, LLM_MODEL="fake-model", LLM_API_KEY=API_KEY)
    if wechat_url:
        base.update(WECHAT_API_BASE=wechat_url, WECHAT_APPID=APPID, WECHAT_APPSECRET=APPSECRET)
    return Settings(values={**base, **values}, testing=True)


class Chat:
    """One WeChat user talking to an app through the real webhook (signed pushes, optional retries)."""

    def __init__(self, app, openid: str = "oLLMuser0000000000000000001"):
        self.app = app
        self.side = WeChatSide(TOKEN)
        self.openid = openid
        self._next_id = int(time.time() * 1000) * 1000

    def new_msg_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def send(self, text: str, msg_id: int | None = None, create_time: int | None = None) -> tuple[str, float]:
        """(reply text, seconds taken); '' for `success`. Reusing msg_id/create_time makes it a retry."""
        xml = build_xml("text", self.openid, msg_id=msg_id or self.new_msg_id(), create_time=create_time, Content=text)
        req = self.side.sign(xml, self.openid)
        started = time.monotonic()
        resp = self.app.test_client().post("/wechat?" + req.query, data=req.body, content_type="text/xml")
        elapsed = time.monotonic() - started
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return self.side.read_reply(resp.get_data(as_text=True)), elapsed


def wait_until(predicate, timeout: float = 10.0, poll: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(poll)
    return predicate()


def serve(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return thread
