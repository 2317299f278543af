"""Security suite: CSRF on every state-changing request, escaping of user text on every page, headers."""

import io
import re
from pathlib import Path

import pytest
import yaml

from knowledge import KnowledgeBase
from tests.console_fixtures import *  # noqa: F403
from tests.console_fixtures import log_question

CONSOLE = Path(__file__).resolve().parent.parent / "console"
PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
RAW_MARKERS = ["<script>alert(1)</script>", "<img src=x onerror", "<img src=x"]
ESCAPED = ["&lt;script&gt;alert(1)&lt;/script&gt;", "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"]
URL_VALUES = {
    "entry_id": "wage-where",
    "name": "admin1",
    "fmt": "csv",
    "answer_id": "1",
    "batch": "1",
    "thread_id": "1",
    "cid": "1",
    "reply_id": "1",
    "number": "2612060001",
}


def post_rules(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and rule.rule.startswith("/admin"):
            yield rule


def build(rule) -> str:
    """A concrete URL for a route: <name> and <converter:name> filled from URL_VALUES."""
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: URL_VALUES[m.group(1)], rule.rule)


def log_model_answer(app, text: str, answer: str = "可以找施工总承包单位要钱。") -> int:
    """A model answer in the log (the text of the answer doubles as a removed citation)."""
    detail = {"answer": answer, "citations": [KnowledgeBase.load().citations()[0]], "removed_citations": [answer]}
    return log_question(app, text, outcome="llm", detail=detail)


def test_there_are_post_routes_to_check(app):
    assert len(list(post_rules(app))) >= 12


@pytest.mark.parametrize("token", [None, "not-a-valid-token"])
def test_every_post_without_a_valid_csrf_token_is_refused(app, admin, token):
    store = app.extensions["pufa"].store
    assert log_model_answer(app, "包工头跑了找谁") == int(URL_VALUES["answer_id"])
    before = (store.faq.all(), store.accounts.all(), store.llm_answers.list())
    checked = []
    for rule in post_rules(app):
        data = {"csrf_token": token} if token else {}
        data.update(
            {"action": "disable", "confirm": "wage-where", "revision": "1", "texts": "x", "entry_id": "arb-free"}
        )
        resp = admin.client.post(build(rule), data=data)
        assert resp.status_code == 400, (rule.rule, resp.status_code)
        assert "已过期" in resp.get_data(as_text=True) and "CSRF" not in resp.get_data(as_text=True)
        checked.append(rule.rule)
    assert "/admin/login" in checked and "/admin/faq/<entry_id>/edit" in checked
    assert {f"/admin/llm/<int:answer_id>/{a}" for a in ("wrong", "ok", "clear", "faq")} <= set(checked)
    assert (store.faq.all(), store.accounts.all(), store.llm_answers.list()) == before
    assert admin.get("/admin/faq").status_code == 200  # still signed in: nothing happened


def test_a_token_from_another_session_is_refused(app, admin, editor):
    resp = admin.client.post("/admin/faq/wage-where/toggle", data={"csrf_token": editor.token})
    assert resp.status_code == 400
    assert app.extensions["pufa"].store.faq.get("wage-where")["enabled"]


def test_the_webhook_needs_no_csrf_token(wechat):
    assert "12333" in wechat.say("欠薪找哪个单位投诉")


def test_every_post_form_on_every_page_carries_a_token(app, admin):
    log_question(app, "小区广场舞噪音太大怎么投诉")
    app.extensions["pufa"].store.llm_answers.mark_wrong(log_model_answer(app, "包工头跑了找谁"), "admin1")
    admin.post("/admin/faq/wage-where/toggle")
    pages = [
        "/admin/faq",
        "/admin/faq/new",
        "/admin/faq/wage-where/edit",
        "/admin/faq/wage-where/history",
        "/admin/faq/wage-where/delete",
        "/admin/faq/import",
        "/admin/unanswered",
        "/admin/users",
        "/admin/account",
        "/admin/logs",
        "/admin/stats",
        "/admin/faq/try?q=x",
        "/admin/llm",
    ]
    forms = 0
    for url in pages:
        html = admin.text(url)
        for form in re.findall(r'<form method="post".*?</form>', html, re.S):
            assert 'name="csrf_token"' in form, (url, form[:200])
            forms += 1
    assert forms >= 8


def assert_escaped(html: str, where: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in html, f"raw payload on {where}"
    assert any(e in html for e in ESCAPED), f"payload not shown (escaped) on {where}"


def test_wechat_messages_are_escaped_everywhere(app, admin, wechat):
    for payload in PAYLOADS:
        wechat.say(payload)
        wechat.say(payload + " 怎么投诉")
    from urllib.parse import quote

    pages = [
        "/admin/logs",
        "/admin/unanswered",
        "/admin/stats",
        *(f"/admin/logs?q={quote(p)}" for p in PAYLOADS),
        *(f"/admin/faq/try?q={quote(p)}" for p in PAYLOADS),
        *(f"/admin/faq?q={quote(p)}" for p in PAYLOADS),
        *(f"/admin/llm?q={quote(p)}&cite={quote(p)}" for p in PAYLOADS),
        f"/admin/faq/new?question={quote(PAYLOADS[1])}&variants={quote(PAYLOADS[0])}",
    ]
    for url in pages:
        assert_escaped(admin.text(url), url)


def test_faq_fields_are_escaped_everywhere(app, admin, wechat):
    kb = KnowledgeBase.load()
    store = app.extensions["pufa"].store
    entry = store.faq.get("wage-where")
    form = [
        ("topic", "wage_arrears"),
        ("question", "欠薪 " + PAYLOADS[0]),
        ("variants", "\n".join([*entry["variants"], PAYLOADS[1]])),
        ("answer", "答复 " + PAYLOADS[1] + " " + PAYLOADS[0]),
        ("enabled", "1"),
        ("position", "0"),
        ("legal_basis", kb.citations()[0]),
        ("base_revision", "0"),
    ]
    assert admin.post("/admin/faq/wage-where/edit", data=form).status_code == 302
    wechat.say("欠薪找哪个单位投诉")  # answered by the entry: its question shows in the log and stats
    log_question(app, "欠薪投诉找谁", outcome="suggested", faq_id="wage-where", topic="wage_arrears")
    log_question(app, "小区广场舞噪音太大怎么投诉")  # stays queued: the entry shows as a guess, with its answer
    for payload in PAYLOADS:  # payloads in the question, the answer and a removed citation
        answer_id = log_model_answer(app, "欠薪 " + payload, answer="答复 " + payload)
        app.extensions["pufa"].store.llm_answers.mark_converted(answer_id, "wage-where", "admin1")
    pages = [
        "/admin/faq",
        "/admin/faq?q=script",
        "/admin/faq/wage-where/edit",
        "/admin/faq/wage-where/history",
        "/admin/faq/wage-where/delete",
        "/admin/faq/try?q=欠薪找哪个单位投诉",
        "/admin/unanswered",
        "/admin/logs",
        "/admin/stats",
        "/admin/llm",
    ]
    for url in pages:
        assert_escaped(admin.text(url), url)
    # a payload in an imported file shows up (escaped) in the error table
    bad = [{"id": PAYLOADS[1], "topic": PAYLOADS[0], "question": "q", "answer": "a", "legal_basis": [PAYLOADS[0]]}]
    resp = admin.post(
        "/admin/faq/import",
        data={"file": (io.BytesIO(yaml.safe_dump(bad).encode()), "x.yaml"), "action": "check"},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    assert_escaped(resp.get_data(as_text=True), "import errors")


def test_the_try_api_is_json_not_html(admin):
    resp = admin.get("/admin/api/try?q=" + PAYLOADS[0])
    assert resp.mimetype == "application/json"


def test_no_template_or_view_marks_text_safe():
    for path in CONSOLE.rglob("*"):
        if path.suffix in (".html", ".py"):
            text = path.read_text(encoding="utf-8")
            assert "|safe" not in text.replace(" ", "") and "Markup(" not in text, path
            assert "autoescape false" not in text, path


def test_security_headers(admin, client):
    for resp in (admin.get("/admin/faq"), client.get("/admin/login")):
        h = resp.headers
        assert (
            "default-src 'self'" in h["Content-Security-Policy"] and "script-src 'self'" in h["Content-Security-Policy"]
        )
        assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
        assert h["X-Frame-Options"] == "DENY" and h["X-Content-Type-Options"] == "nosniff"
        assert h["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/admin/static/console.css").headers.get("Cache-Control", "")


def test_pages_use_no_inline_script_or_style(app, admin):
    log_model_answer(app, "包工头跑了找谁")
    pages = (
        "/admin/faq",
        "/admin/faq/wage-where/edit",
        "/admin/stats",
        "/admin/logs",
        "/admin/unanswered",
        "/admin/llm",
    )
    for url in pages:
        html = admin.text(url)
        assert "<script>" not in html and "<style" not in html and " style=" not in html
        assert "http://" not in html and "https://" not in html  # no CDN, no external fonts
