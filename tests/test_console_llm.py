"""/admin/llm: the model's answers for review, the four actions (wrong, OK, clear, 转为问答), CSRF, escaping, and an
answer turned into an FAQ entry that the bot then answers with through the webhook."""

from __future__ import annotations

import re

import pytest

import console.llm_review
from faq.render import render_answer
from llm.guard import NOTICE
from tests.console_fixtures import *  # noqa: F403
from tests.console_fixtures import ConsoleClient, log_question, make_account
from tests.llm_fakes import QUESTION, Chat

pytest_plugins = ["tests.llm_fixtures"]

CITATION = "《保障农民工工资支付条例》第30条"
ANSWER = "可以找施工总承包单位要钱。\n1. 先收集考勤记录。\n2. 再到人社部门投诉。"
PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
ACTIONS = ("wrong", "ok", "clear", "faq")


def log_answer(app, question: str, answer: str = ANSWER, days_ago: float = 0, **detail) -> int:
    """One model answer in the log, shaped as llm/responder.py records it."""
    detail = {
        "answer": answer + "\n" + NOTICE,
        "citations": [CITATION],
        "removed_citations": [],
        "llm_latency_ms": 2345.6,
        "prompt_tokens": 812,
        "completion_tokens": 236,
        "model": "qwen-plus",
        "delivery": "custom",
        **detail,
    }
    return log_question(app, question, outcome="llm", topic="wage_arrears", days_ago=days_ago, detail=detail)


def answers(app):
    return app.extensions["pufa"].store.llm_answers


def cards(html: str) -> list[str]:
    return re.findall(r'<article class="card answer[^"]*" id="answer-\d+">.*?</article>', html, re.S)


def test_the_page_needs_login(app, client):
    resp = client.get("/admin/llm")
    assert resp.status_code == 302 and resp.location.startswith("/admin/login?next=/admin/llm")
    a = log_answer(app, "包工头跑了找谁")
    anonymous = ConsoleClient(app.test_client(), "nobody")  # has a CSRF token, is not signed in
    for action in ACTIONS:
        resp = anonymous.post(f"/admin/llm/{a}/{action}")
        assert resp.status_code == 302 and resp.location.startswith("/admin/login"), action
    assert answers(app).get(a)["review_status"] is None
    assert len(app.extensions["pufa"].store.faq.all()) == 6


def test_editors_and_admins_see_each_answer_with_its_details(app, editor, admin):
    a = log_answer(app, "包工头跑了，我电话13812345678，工钱找谁要", removed_citations=["《劳动合同法》第999条"])
    log_question(app, "欠薪找哪个单位投诉", outcome="answered", faq_id="wage-where")  # not a model answer
    for who in (editor, admin):
        html = who.text("/admin/llm")
        assert '<a href="/admin/llm" class="active" aria-current="page">大模型答复' in html  # in the menu
        assert "1 条" in html and len(cards(html)) == 1
        card = cards(html)[0]
        assert "138****5678" in card and "13812345678" not in card
        assert "可以找施工总承包单位要钱。\n1. 先收集考勤记录。\n2. 再到人社部门投诉。" in card  # newlines kept
        assert CITATION in card and "<del>《劳动合同法》第999条</del>" in card
        assert "2346 ms" in card and "输入 812 · 输出 236" in card and "qwen-plus" in card and "客服消息" in card
        assert "待审核" in card and f'id="answer-{a}"' in card
        assert "欠薪找哪个单位投诉" not in html


def test_filters_by_status_date_text_and_citation_and_pages(app, editor, monkeypatch):
    old = log_answer(app, "去年的老问题", days_ago=40)
    wrong = log_answer(app, "加班费被扣了找谁", answer="找劳动监察。", citations=["《劳动法》第44条"])
    fresh = log_answer(app, "包工头跑了找谁")
    answers(app).mark_wrong(wrong, "editor1")

    def shown(url: str) -> list[int]:
        return [int(i) for i in re.findall(r'id="answer-(\d+)"', editor.text(url))]

    assert shown("/admin/llm") == [fresh, wrong, old]
    assert shown("/admin/llm?status=wrong") == [wrong]
    assert shown("/admin/llm?status=unreviewed") == [fresh, old]
    assert shown("/admin/llm?status=ok") == [] and "没有符合条件的大模型答复" in editor.text("/admin/llm?status=ok")
    assert shown("/admin/llm?status=bogus") == [fresh, wrong, old]
    assert shown("/admin/llm?since=2000-01-01&until=not-a-date") == [fresh, wrong, old]
    day = answers(app).get(fresh)["day"]
    assert shown(f"/admin/llm?since={day}&until={day}") == [fresh, wrong]
    assert shown(f"/admin/llm?until={answers(app).get(old)['day']}") == [old]
    assert shown("/admin/llm?q=包工头") == [fresh]
    assert shown("/admin/llm?q=劳动监察") == [wrong]  # the answer is searched too
    assert shown("/admin/llm?cite=《劳动法》第44条") == [wrong]
    html = editor.text(f"/admin/llm?since={day}")
    assert re.search(r"有误 <span class=\"num badge alert\">1</span>", html)  # the tabs count within the filters
    assert re.search(r"待审核 <span class=\"num\">1</span>", html)

    monkeypatch.setattr(console.llm_review, "PER_PAGE", 2)
    assert shown("/admin/llm") == [fresh, wrong]
    assert shown("/admin/llm?page=2") == [old] and shown("/admin/llm?page=99") == [old]
    assert 'href="/admin/llm?page=2&amp;q=%E6%89%BE"' in editor.text("/admin/llm?q=找")  # the pager keeps filters


def test_mark_wrong_ok_and_clear(app, editor):
    a = log_answer(app, "包工头跑了找谁")
    form = {"note": "  引错了条文，应为第29条 ", "back": "/admin/llm?status=unreviewed"}
    resp = editor.post(f"/admin/llm/{a}/wrong", data=form)
    assert resp.status_code == 302 and resp.location == f"/admin/llm?status=unreviewed#answer-{a}"
    row = answers(app).get(a)
    assert (row["review_status"], row["review_note"], row["reviewer"]) == ("wrong", "引错了条文，应为第29条", "editor1")
    html = editor.text("/admin/llm")
    assert "已标记为有误" in html and "editor1 于" in html and "引错了条文，应为第29条" in html
    # the wrong marks show in the menu on every console page
    badge = '大模型答复 <span class="badge alert" title="1 个大模型答复被标记为有误'
    assert badge in editor.text("/admin/faq")

    resp = editor.post(f"/admin/llm/{a}/ok", data={"back": "https://evil.example/"})
    assert resp.location == f"/admin/llm#answer-{a}"  # never an outside address
    assert answers(app).get(a)["review_status"] == "ok"
    html = editor.text("/admin/faq")
    assert 'class="badge alert"' not in html
    assert "标记正确" not in cards(editor.text("/admin/llm"))[0]

    assert editor.post(f"/admin/llm/{a}/clear").status_code == 302
    assert answers(app).get(a)["review_status"] is None
    assert "撤销审核" not in cards(editor.text("/admin/llm"))[0]


def test_actions_on_a_missing_or_non_model_answer_are_404(app, editor):
    other = log_question(app, "欠薪找哪个单位投诉", outcome="answered", faq_id="wage-where")
    for answer_id in (other, 9999):
        for action in ACTIONS:
            resp = editor.post(f"/admin/llm/{answer_id}/{action}")
            assert resp.status_code == 404, (answer_id, action)
            assert "没有这个页面或条目" in resp.get_data(as_text=True)
    assert editor.post("/admin/llm/abc/ok").status_code == 404


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("token", [None, "not-a-valid-token"])
def test_every_action_needs_a_csrf_token(app, editor, action, token):
    a = log_answer(app, "包工头跑了找谁")
    answers(app).mark_ok(a, "someone")  # so that "clear" would have something to undo
    data = {"note": "x"} | ({"csrf_token": token} if token else {})
    resp = editor.client.post(f"/admin/llm/{a}/{action}", data=data)
    assert resp.status_code == 400 and "已过期" in resp.get_data(as_text=True)
    assert answers(app).get(a)["review_status"] == "ok" and answers(app).get(a)["reviewer"] == "someone"
    assert len(app.extensions["pufa"].store.faq.all()) == 6


def test_user_and_model_text_is_escaped(app, editor):
    a = log_answer(app, "欠薪 " + PAYLOADS[0] + PAYLOADS[1], answer="答复 " + PAYLOADS[1] + "\n" + PAYLOADS[0])
    editor.post(f"/admin/llm/{a}/wrong", data={"note": PAYLOADS[0] + PAYLOADS[1]})
    pages = ["/admin/llm", "/admin/llm?q=" + PAYLOADS[1], "/admin/llm?cite=" + PAYLOADS[0]]
    editor.post(f"/admin/llm/{a}/faq")
    entry_id = answers(app).get(a)["review_faq_id"]
    pages += [f"/admin/faq/{entry_id}/edit", f"/admin/faq/{entry_id}/history", "/admin/faq"]
    for url in pages:
        html = editor.text(url)
        assert "<script>alert(1)</script>" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


def test_turn_into_faq_creates_a_disabled_entry_and_opens_it(app, editor):
    a = log_answer(app, "包工头跑了， 我电话13812345678 ，工钱找谁要")
    answers(app).mark_wrong(a, "admin1", "第二步说得不对")
    resp = editor.post(f"/admin/llm/{a}/faq")
    entry_id = f"wage-arrears-llm-{a}"
    assert resp.status_code == 302 and resp.location == f"/admin/faq/{entry_id}/edit"

    store = app.extensions["pufa"].store
    entry = store.faq.get(entry_id)
    assert entry["enabled"] is False and entry["topic"] == "wage_arrears"
    assert entry["question"] == "包工头跑了， 我电话138****5678 ，工钱找谁要"  # tidied and masked
    assert entry["variants"] == [entry["question"]]
    assert entry["answer"] == ANSWER  # the AI notice is gone, the newlines are kept
    assert entry["legal_basis"] == [CITATION]
    [rev] = store.faq.revisions(entry_id)
    assert (rev["action"], rev["author"]) == ("create", "editor1")
    row = answers(app).get(a)
    assert (row["review_status"], row["review_faq_id"], row["reviewer"]) == ("faq", entry_id, "editor1")

    html = editor.text(resp.location)
    assert "已转为问答条目（停用）" in html and "至少 5 条" in html
    assert "这个答复曾被标记为有误：第二步说得不对" in html
    assert "先收集考勤记录" in html and "13812345678" not in html
    assert not re.search(r'name="enabled" value="1"\s+checked', html)

    # the FAQ's rule stands: it cannot be switched on with one variant, from the list or the form
    editor.post(f"/admin/faq/{entry_id}/toggle", data={"back": "list"})
    assert store.faq.get(entry_id)["enabled"] is False
    assert "没有启用，请先修改：口语问法至少 5 条" in editor.text(f"/admin/faq/{entry_id}/edit")

    # the list links to the entry; asking again opens it rather than making another
    card = cards(editor.text("/admin/llm"))[0]
    assert "已转问答" in card and f'href="/admin/faq/{entry_id}/edit"' in card and "打开问答条目" in card
    assert editor.post(f"/admin/llm/{a}/faq").location == f"/admin/faq/{entry_id}/edit"
    answers(app).clear_review(a)
    assert editor.post(f"/admin/llm/{a}/faq").location == f"/admin/faq/{entry_id}/edit"
    assert len(store.faq.revisions(entry_id)) == 1 and answers(app).get(a)["review_status"] == "faq"
    assert "之前已转为问答条目" in editor.text(f"/admin/faq/{entry_id}/edit")


def test_a_model_answer_becomes_the_faq_answer_for_that_question(fake_llm, llm_app_factory):
    """Through the real webhook: the model answers, staff turn it into an entry, add variants and enable it, and
    the same question then gets the FAQ answer without asking the model."""
    app = llm_app_factory(fake_llm.url)
    chat = Chat(app)
    first, _ = chat.send(QUESTION)
    assert first.endswith(NOTICE) and len(fake_llm.requests) == 1

    make_account(app, "editor1", "editor")
    staff = ConsoleClient(app.test_client(), "editor1")
    assert staff.login().status_code == 302
    [card] = cards(staff.text("/admin/llm"))
    answer_id = int(re.search(r'id="answer-(\d+)"', card).group(1))
    logged = answers(app).get(answer_id)
    assert QUESTION in card and "施工总承包单位先行清偿" in card and "fake-model" in card and "被动回复" in card
    assert logged["citations"] and all(c in card for c in logged["citations"])

    entry_url = staff.post(f"/admin/llm/{answer_id}/faq").location
    store = app.extensions["pufa"].store
    entry_id = entry_url.split("/")[3]
    entry = store.faq.get(entry_id)
    assert entry["enabled"] is False and entry["legal_basis"] == logged["citations"]
    assert "施工总承包单位先行清偿" in entry["answer"] and NOTICE not in entry["answer"]
    assert chat.send(QUESTION)[0].endswith(NOTICE)  # still the model's: the draft is not enabled
    assert len(fake_llm.requests) == 2

    variants = [QUESTION, "包工头跑路了工钱找谁要", "项目部说钱给包工头了不管我们", "包工头卷钱跑了工资谁给"]
    variants.append("工头失联了找总包要钱")
    form = [
        ("topic", entry["topic"]),
        ("question", "包工头跑了，项目部说钱已给包工头，工钱找谁要？"),
        ("variants", "\n".join(variants)),
        ("answer", entry["answer"]),
        ("enabled", "1"),
        ("position", "0"),
        ("base_revision", str(store.faq.latest_revision_id(entry_id))),
        *(("legal_basis", c) for c in entry["legal_basis"]),
    ]
    resp = staff.post(entry_url, data=form)
    assert resp.status_code == 302, re.findall(r"<li>(.*?)</li>", resp.get_data(as_text=True))
    entry = store.faq.get(entry_id)
    assert entry["enabled"] is True and len(store.faq.revisions(entry_id)) == 2

    reply, _ = chat.send(QUESTION)
    assert reply == render_answer(entry) and NOTICE not in reply
    assert len(fake_llm.requests) == 2  # answered from the FAQ, not by the model
