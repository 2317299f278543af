"""FAQ editing in the console: list, create, edit, disable, delete, history and restore, "试一试"; every write is
live in the bot at once (checked through the signed webhook)."""

import re

import pytest

from knowledge import KnowledgeBase
from tests.console_fixtures import *  # noqa: F403

KB = KnowledgeBase.load()


def entry_form(entry: dict, base_revision: int | str = 0, **changes) -> list[tuple[str, str]]:
    e = {**entry, **changes}
    data = [
        ("topic", e["topic"]),
        ("question", e["question"]),
        ("variants", "\n".join(e["variants"])),
        ("answer", e["answer"]),
        ("position", str(e.get("position", 0))),
        ("base_revision", str(base_revision)),
    ]
    if e.get("enabled", True):
        data.append(("enabled", "1"))
    data += [("legal_basis", c) for c in e["legal_basis"]]
    if "id" in changes or "new_id" in e:
        data.append(("id", e.get("new_id", e["id"])))
    return data


def base_revision(client, entry_id: str) -> str:
    page = client.text(f"/admin/faq/{entry_id}/edit")
    return re.search(r'name="base_revision" value="(\d+)"', page).group(1)


def save(client, entry_id: str, **changes):
    entry = client_store(client).faq.get(entry_id)
    return client.post(
        f"/admin/faq/{entry_id}/edit", data=entry_form(entry, base_revision(client, entry_id), **changes)
    )


def client_store(client):
    return client.client.application.extensions["pufa"].store


NEW_ENTRY = {
    "id": "",
    "topic": "wage_arrears",
    "question": "干活时受伤了，工伤认定要多久内申请？",
    "variants": [
        "工地上摔伤了咋认定工伤",
        "工伤申请有时间限制吗",
        "受伤了老板不给报工伤",
        "工伤认定去哪申请",
        "工伤多久之内要报",
    ],
    "answer": "单位应在事故发生之日起 30 日内申请工伤认定；单位不申请的，本人或家属可在 1 年内申请。",
    "legal_basis": [KB.citations()[0]],
}


def test_list_shows_every_entry_with_search_and_filters(admin):
    page = admin.text("/admin/faq")
    for question in ("被拖欠工资，可以去哪里投诉？", "申请劳动仲裁要交钱吗？", "怎么申请法律援助？"):
        assert question in page
    assert "6 条" in page
    page = admin.text("/admin/faq?q=收不收费")  # a variant
    assert "申请劳动仲裁要交钱吗？" in page and "怎么申请法律援助？" not in page
    page = admin.text("/admin/faq?topic=legal_aid")
    assert "怎么申请法律援助？" in page and "申请劳动仲裁要交钱吗？" not in page
    assert "没有符合条件的条目" in admin.text("/admin/faq?q=完全不存在的词")


def test_the_list_is_paginated(admin, monkeypatch):
    import console.faq as module

    monkeypatch.setattr(module, "PER_PAGE", 4)
    first = admin.text("/admin/faq")
    assert "第 1 / 2 页" in first and first.count('class="strong"') == 4
    second = admin.text("/admin/faq?page=2")
    assert second.count('class="strong"') == 2
    assert "第 1 / 1 页" not in admin.text("/admin/faq?topic=wage_arrears")


def test_status_filter_and_problem_badges(app, admin):
    store = app.extensions["pufa"].store
    store.faq.save({"id": "arb-free", "enabled": False}, "test")
    store.faq.save({"id": "aid-apply", "legal_basis": ["《不存在法》第1条"]}, "test")
    disabled = admin.text("/admin/faq?status=disabled")
    assert "申请劳动仲裁要交钱吗？" in disabled and "怎么申请法律援助？" not in disabled
    problems = admin.text("/admin/faq?status=problems")
    assert "怎么申请法律援助？" in problems and "法律依据不在知识库中" in problems


def test_create_an_entry_and_the_bot_answers_with_it(admin, wechat):
    assert "工伤认定" not in (wechat.say("工伤多久之内要报") or "")
    form = admin.text("/admin/faq/new")
    assert 'type="checkbox" name="legal_basis"' in form  # citations are picked, not typed
    assert 'name="id"' not in form  # nor is the id: it is generated
    resp = admin.post("/admin/faq/new", data=entry_form(NEW_ENTRY))
    assert resp.status_code == 302 and resp.location == "/admin/faq/wage-1/edit"  # the topic's prefix, number 1
    reply = wechat.say("工伤多久之内要报")
    assert "30 日内申请工伤认定" in reply and "【依据】" in reply
    history = client_store(admin).faq.revisions("wage-1")
    assert history[0]["action"] == "create" and history[0]["author"] == "admin1"


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"variants": ["只有一条"]}, "口语问法至少 5 条"),
        ({"legal_basis": ["《劳动合同法》第999条"]}, "法律依据不在知识库中"),
        ({"question": "包工头跑了，工钱找谁要？"}, "已有标准问题完全相同的条目"),
        ({"topic": "astrology"}, "未知主题"),
        ({"answer": "长" * 800}, "太长了：微信每条回复最多约 682 个汉字"),
        ({"question": ""}, "缺少标准问题"),
        ({"position": "first"}, "排序号必须是整数"),
    ],
)
def test_create_refuses_a_bad_entry_and_says_why(admin, changes, message):
    resp = admin.post("/admin/faq/new", data=entry_form(NEW_ENTRY, **changes))
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "没有保存" in page and message in page
    assert client_store(admin).faq.count() == 6


def test_a_typed_id_is_ignored_and_numbers_are_never_reused(admin, app):
    store = client_store(admin)
    resp = admin.post("/admin/faq/new", data=entry_form(NEW_ENTRY, new_id="wage-where"))
    assert resp.location == "/admin/faq/wage-1/edit"
    assert store.faq.get("wage-where")["question"] == "被拖欠工资，可以去哪里投诉？"  # untouched
    store.faq.delete("wage-1", "test")
    resp = admin.post("/admin/faq/new", data=entry_form(NEW_ENTRY, question="另一个工伤问题？", topic="legal_aid"))
    assert resp.location == "/admin/faq/aid-1/edit"
    resp = admin.post("/admin/faq/new", data=entry_form(NEW_ENTRY, question="第三个问题？"))
    assert resp.location == "/admin/faq/wage-2/edit"  # wage-1 was deleted: its history keeps the id


def test_new_entry_form_can_be_prefilled(admin):
    page = admin.text("/admin/faq/new?question=广场舞太吵了&variants=跳舞吵&variants=噪音扰民&topic=legal_aid")
    assert 'value="广场舞太吵了"' in page and "跳舞吵\n噪音扰民" in page
    assert '<option value="legal_aid" selected>' in page


def test_edit_changes_the_answer_at_once(admin, wechat):
    assert "12333" in wechat.say("欠薪找哪个单位投诉")
    resp = save(admin, "wage-where", answer="新的答复：请拨打 12345 政务热线。")
    assert resp.status_code == 302
    assert "已保存" in admin.text("/admin/faq/wage-where/edit")
    assert "新的答复：请拨打 12345 政务热线。" in wechat.say("欠薪找哪个单位投诉")


# The citation checker's findings on the form (faq/lint.py)

BARE = "先找单位要（劳动合同法第30条）。\n\n不给的，可以申请支付令（第30条）。"  # a bare article in a new paragraph
BARE_WARNING = "单写的“第30条”：本段前面没有提到法律，看不出是哪部法律的，请写上法律名称"


def test_the_editor_shows_the_citation_warnings_of_the_stored_entry(admin):
    assert "法条引用检查" not in admin.text("/admin/faq/wage-where/edit")
    client_store(admin).faq.save({"id": "wage-where", "answer": BARE}, "t")
    page = admin.text("/admin/faq/wage-where/edit")
    assert "法条引用检查发现 2 处问题" in page
    assert BARE_WARNING in page
    assert "正文引用的《劳动合同法》第30条（原文“第30条”）不在法律依据里" in page
    assert "还没有保存" not in page and 'name="confirm_citations"' not in page


def test_a_save_with_citation_warnings_is_held_until_confirmed(admin, wechat):
    store = client_store(admin)
    before = store.faq.get("wage-where")
    base = base_revision(admin, "wage-where")
    basis = [*before["legal_basis"], "《劳动合同法》第30条"]
    resp = admin.post("/admin/faq/wage-where/edit", data=entry_form(before, base, answer=BARE, legal_basis=basis))
    assert resp.status_code == 200  # shown again, not saved
    page = resp.get_data(as_text=True)
    assert "还没有保存：法条引用检查发现 1 处问题" in page and BARE_WARNING in page
    assert 'name="confirm_citations" value="1"' in page
    assert 'name="csrf_token"' in page and f'name="base_revision" value="{base}"' in page
    assert "不给的，可以申请支付令（第30条）。" in page  # the edited text is kept on the form
    assert store.faq.get("wage-where")["answer"] == before["answer"]
    data = [*entry_form(before, base, answer=BARE, legal_basis=basis), ("confirm_citations", "1")]
    resp = admin.post("/admin/faq/wage-where/edit", data=data)
    assert resp.status_code == 302
    assert store.faq.get("wage-where")["answer"] == BARE
    page = admin.text("/admin/faq/wage-where/edit")
    assert "法条引用还有 1 处问题" in page and BARE_WARNING in page
    assert "不给的，可以申请支付令（第30条）" in wechat.say("欠薪找哪个单位投诉")


def test_a_new_entry_with_citation_warnings_is_held_too(admin):
    answer = "30日内申请（工伤保险条例第17条）。\n\n不服的可以复议（第55条）。"
    store = client_store(admin)
    resp = admin.post("/admin/faq/new", data=entry_form(NEW_ENTRY, answer=answer))
    assert resp.status_code == 200 and "还没有保存" in resp.get_data(as_text=True)
    assert not [e for e in store.faq.all() if e["question"] == NEW_ENTRY["question"]]
    resp = admin.post("/admin/faq/new", data=[*entry_form(NEW_ENTRY, answer=answer), ("confirm_citations", "1")])
    assert resp.status_code == 302 and resp.location == "/admin/faq/wage-1/edit"
    assert store.faq.get("wage-1")["answer"] == answer


def test_citation_warnings_are_escaped(admin):
    answer = "<b>见</b><script>x</script>劳动合同法第999条。"
    client_store(admin).faq.save({"id": "wage-where", "answer": answer}, "t")
    page = admin.text("/admin/faq/wage-where/edit")
    assert "知识库里没有《劳动合同法》第999条" in page
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page


def test_every_field_can_be_edited(admin, app):
    citation = KB.citations()[1]
    resp = save(
        admin,
        "arb-free",
        topic="legal_aid",
        question="仲裁收费吗？",
        variants=["仲裁收钱吗", "仲裁贵不贵", "仲裁免费不", "打仲裁花钱吗", "仲裁费多少", "一条新的问法"],
        answer="不收费。",
        legal_basis=[citation],
        enabled=False,
        position=7,
    )
    assert resp.status_code == 302
    entry = app.extensions["pufa"].store.faq.get("arb-free")
    assert entry["topic"] == "legal_aid" and entry["question"] == "仲裁收费吗？" and entry["answer"] == "不收费。"
    assert entry["variants"][-1] == "一条新的问法" and entry["legal_basis"] == [citation]
    assert entry["enabled"] is False and entry["position"] == 7


def test_browser_line_endings_are_normalised(admin, app):
    entry = app.extensions["pufa"].store.faq.get("wage-where")
    data = entry_form(entry, base_revision(admin, "wage-where"))
    data = [(k, v.replace("\n", "\r\n") if k == "variants" else v) for k, v in data]
    data = [(k, "第一段\r\n第二段" if k == "answer" else v) for k, v in data]
    admin.post("/admin/faq/wage-where/edit", data=data)
    saved = app.extensions["pufa"].store.faq.get("wage-where")
    assert saved["answer"] == "第一段\n第二段" and saved["variants"] == entry["variants"]


def test_saving_without_changes_keeps_no_revision(admin, app):
    save(admin, "wage-where")
    assert app.extensions["pufa"].store.faq.revisions("wage-where") == []
    assert "没有改动" in admin.text("/admin/faq/wage-where/edit")


def test_a_concurrent_edit_is_not_overwritten(admin, editor, app):
    entry = app.extensions["pufa"].store.faq.get("wage-where")
    stale = base_revision(admin, "wage-where")
    assert save(editor, "wage-where", answer="编辑先改的答复。").status_code == 302
    resp = admin.post("/admin/faq/wage-where/edit", data=entry_form(entry, stale, answer="管理员后改的答复。"))
    assert resp.status_code == 422 and "editor1 已于" in resp.get_data(as_text=True)
    assert app.extensions["pufa"].store.faq.get("wage-where")["answer"] == "编辑先改的答复。"


def test_citations_missing_from_the_knowledge_base_are_shown_checked(app, admin):
    app.extensions["pufa"].store.faq.save({"id": "aid-apply", "legal_basis": ["《不存在法》第1条"]}, "test")
    page = admin.text("/admin/faq/aid-apply/edit")
    assert "以下依据不在知识库中" in page and 'value="《不存在法》第1条" checked' in page
    resp = save(admin, "aid-apply")
    assert resp.status_code == 422
    assert save(admin, "aid-apply", legal_basis=[KB.citations()[0]]).status_code == 302


def test_paragraph_citations_and_their_order_survive_a_save(app, admin):
    store = app.extensions["pufa"].store
    basis = [KB.citations()[3], "《劳动合同法》第30条第1款", KB.citations()[0]]
    store.faq.save({"id": "aid-apply", "legal_basis": basis}, "test")
    page = admin.text("/admin/faq/aid-apply/edit")
    assert 'value="《劳动合同法》第30条第1款" checked' in page and "以下依据不在知识库中" not in page
    assert save(admin, "aid-apply").status_code == 302
    assert store.faq.get("aid-apply")["legal_basis"] == basis
    assert store.faq.revisions("aid-apply")[0]["author"] == "test"  # nothing changed, nothing saved
    save(admin, "aid-apply", legal_basis=[KB.citations()[5], basis[0], basis[2]])
    assert store.faq.get("aid-apply")["legal_basis"] == [basis[0], basis[2], KB.citations()[5]]


def test_disable_and_enable(admin, wechat, app):
    assert "不收费" in wechat.say("打仲裁收不收费")
    asked = admin.post("/admin/faq/arb-free/toggle", data={"back": "list"})  # without JavaScript: a page asks first
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "停用这个条目？" in page and 'name="confirmed" value="1"' in page
    assert app.extensions["pufa"].store.faq.get("arb-free")["enabled"] is True
    assert admin.post("/admin/faq/arb-free/toggle", data={"back": "list", "confirmed": "1"}).location == "/admin/faq"
    assert app.extensions["pufa"].store.faq.get("arb-free")["enabled"] is False
    assert "不收费" not in (wechat.say("打仲裁收不收费") or "")
    admin.post("/admin/faq/arb-free/toggle")
    assert "不收费" in wechat.say("打仲裁收不收费")
    actions = [r["action"] for r in app.extensions["pufa"].store.faq.revisions("arb-free")]
    assert actions == ["enable", "disable"]


def test_delete_needs_confirmation(admin, wechat, app):
    page = admin.text("/admin/faq/dv-order/delete")
    assert "删除条目？" in page and "确认删除" in page
    resp = admin.post("/admin/faq/dv-order/delete", data={"confirm": "wrong"})
    assert resp.status_code == 422 and app.extensions["pufa"].store.faq.get("dv-order") is not None
    resp = admin.post("/admin/faq/dv-order/delete", data={"confirm": "删除"})
    assert resp.status_code == 302
    assert app.extensions["pufa"].store.faq.get("dv-order") is None
    assert "保护令" not in (wechat.say("家暴保护令怎么申请") or "")
    listed = admin.text("/admin/faq")  # listed under recently deleted (by question), for admins
    assert "最近删除的条目" in listed and "被家暴了怎么申请人身安全保护令？" in listed


def test_unknown_entries_are_404(admin):
    for path in ("/admin/faq/nope/edit", "/admin/faq/nope/delete", "/admin/faq/nope/history"):
        resp = admin.get(path)
        assert resp.status_code == 404 and "没有这个页面或条目" in resp.get_data(as_text=True)
    assert admin.post("/admin/faq/nope/toggle").status_code == 404


def test_history_shows_who_when_and_what_changed(admin, editor):
    save(
        editor,
        "wage-boss-fled",
        answer="新答复。",
        variants=[*client_store(editor).faq.get("wage-boss-fled")["variants"], "老板跑了谁给钱"],
    )
    page = admin.text("/admin/faq/wage-boss-fled/history")
    assert "editor1" in page and "修改" in page
    assert "＋ 老板跑了谁给钱" in page  # a variant added
    # old and new answer, word by word: the new words inserted, the old ones struck through, the full stop kept
    assert "由施工总承包单位先行清偿</del><ins>新答复</ins>。" in page


def test_admin_restores_an_earlier_revision(admin, editor, wechat, app):
    store = app.extensions["pufa"].store
    save(editor, "arb-free", answer="第一次修改。")
    save(editor, "arb-free", answer="第二次修改。")
    revisions = store.faq.revisions("arb-free")
    first = revisions[-1]
    assert first["snapshot"]["answer"] == "第一次修改。"
    resp = editor.post("/admin/faq/arb-free/restore", data={"revision": first["id"], "side": "after"})
    assert resp.status_code == 403
    resp = admin.post("/admin/faq/arb-free/restore", data={"revision": first["id"], "side": "after"})
    assert resp.status_code == 302
    assert store.faq.get("arb-free")["answer"] == "第一次修改。"
    assert "第一次修改。" in wechat.say("打仲裁收不收费")
    # the seeded version, from before the first revision
    page = admin.text("/admin/faq/arb-free/history")
    assert "恢复为修改前的版本" in page and "恢复为此版本" in page
    admin.post("/admin/faq/arb-free/restore", data={"revision": first["id"], "side": "before"})
    assert store.faq.get("arb-free")["answer"] == "劳动争议仲裁不收费，仲裁委员会的经费由财政保障。"
    assert store.faq.revisions("arb-free")[0]["action"] == "restore"
    assert store.faq.revisions("arb-free")[0]["author"] == "admin1"


def test_admin_restores_a_deleted_entry(admin, wechat, app):
    store = app.extensions["pufa"].store
    admin.post("/admin/faq/dv-order/delete", data={"confirm": "删除"})
    page = admin.text("/admin/faq/dv-order/history")
    assert "已删除" in page and "恢复为删除前的版本" in page
    rev = store.faq.revisions("dv-order")[0]
    admin.post("/admin/faq/dv-order/restore", data={"revision": rev["id"], "side": "before"})
    assert store.faq.get("dv-order")["question"] == "被家暴了怎么申请人身安全保护令？"
    assert "保护令" in wechat.say("家暴保护令怎么申请")


def test_restore_checks_the_revision_belongs_to_the_entry(admin, app):
    save(admin, "arb-free", answer="改一下。")
    rev = app.extensions["pufa"].store.faq.revisions("arb-free")[0]
    assert admin.post("/admin/faq/wage-where/restore", data={"revision": rev["id"]}).status_code == 404
    assert admin.post("/admin/faq/wage-where/restore", data={"revision": 99999}).status_code == 404


def test_try_shows_the_pick_its_score_and_the_runners_up(editor):
    page = editor.text("/admin/faq/try?q=打仲裁收不收费")
    assert "已答复" in page and "申请劳动仲裁要交钱吗？" in page
    assert "<meter" in page and "用户会收到" in page and "劳动争议仲裁不收费" in page
    assert page.count("<tr") >= 4  # header + best + runners-up
    page = editor.text("/admin/faq/try?q=今天天气怎么样")
    assert "未答上" in page


def test_try_api_returns_json(editor):
    resp = editor.get("/admin/api/try?q=包工头跑了")
    data = resp.json
    assert data["outcome"] == "answered" and data["candidates"][0]["entry_id"] == "wage-boss-fled"
    assert 0 < data["candidates"][0]["score"] <= 1 and len(data["candidates"]) > 1
    assert editor.get("/admin/api/try").status_code == 400


@pytest.mark.parametrize("question", ["律师太贵了", "欠薪了怎么办", "打仲裁收不收费", "今天天气怎么样", "你好"])
def test_try_shows_exactly_what_the_user_receives(editor, wechat, question):
    import html

    page = editor.text(f"/admin/faq/try?q={question}")
    shown = html.unescape(re.search(r'<div class="bubble reply-text">(.*?)</div>', page, re.S).group(1))
    assert shown == wechat.say(question)  # the same text, through the real webhook


def test_try_labels_a_tentative_answer_and_its_alternatives(editor):
    page = editor.text("/admin/faq/try?q=欠薪了怎么办")
    assert "试答（不确定）" in page
    assert "我理解您问的是：老板有钱就是不给工资，算犯罪吗？" in page
    assert "如果不是这个意思，您是不是想问：" in page and "1. 被拖欠工资，可以去哪里投诉？" in page


def test_unknown_console_pages_are_chinese_in_the_consoles_layout(admin, client):
    resp = admin.get("/admin/no-such-page")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 404 and "没有这个页面或条目" in page and 'class="topbar"' in page
    assert "Not Found" not in page
    assert client.get("/no-such-page").status_code == 404  # outside the console: Flask's own
