"""Every consultation opens as a conversation (/admin/c/<id>): from the log, the unanswered queue, the statistics and
an entry's page; the thread around it with the bot's replies as sent (kept, masked, on the row, so older rows show
them too); 答错了 (the review queue, per-entry counts), 加为问法 with a preview, 新建条目, and 回复此人 through the
inbox. Editors can fix answers but see no pseudonym and no staff messages, and cannot reply to people."""

from __future__ import annotations

import re
import time

import sqlite_utils

from storage import Store
from storage.migrations import migrations
from storage.privacy import mask_pii
from storage.vocab import Outcome
from tests.console_fixtures import *  # noqa: F403
from tests.console_fixtures import log_question
from tests.test_console_security import PAYLOADS, assert_escaped, log_model_answer

WRONG = "包工头欠钱跑了去哪投诉"  # the small FAQ answers it with wage-where; wage-boss-fled is right


def ids(store) -> list[int]:
    return [r[0] for r in store.db.get().execute("SELECT id FROM consultations ORDER BY id")]


def test_a_log_row_opens_as_the_conversation_with_the_replies_as_sent(app, admin, wechat, store):
    wechat.say("老板不给工钱去哪告他")
    wechat.say("我电话13912345678，申请仲裁要交钱吗")
    wechat.say("谢谢")
    first, second, third = ids(store)
    assert f'href="/admin/c/{second}"' in admin.text("/admin/logs")  # the log links every row
    page = admin.text(f"/admin/c/{second}")
    assert "老板不给工钱去哪告他" in page and "人社局劳动保障监察机构" in page  # the turn before, with its reply
    assert "139****5678" in page and "13912345678" not in page  # masked as in the log
    assert "劳动争议仲裁不收费" in page and "谢谢" in page  # the turn itself and the one after
    assert page.index("老板不给工钱") < page.index("申请仲裁要交钱吗") < page.index("谢谢")
    assert re.search(rf'id="c{second}"', page) and "这一条" in page
    assert store.conversations.get(second)["reply"].startswith("劳动争议仲裁不收费")  # kept on the row


def test_older_rows_keep_their_reply_after_the_retry_cache_is_gone(app, admin, wechat, store):
    wechat.say("申请仲裁要交钱吗")
    [cid] = ids(store)
    store.replies.purge(older_than_seconds=-1)  # the one-day retry cache is emptied
    assert store.db.get().execute("SELECT count(*) FROM message_replies").fetchone()[0] == 0
    assert "劳动争议仲裁不收费" in admin.text(f"/admin/c/{cid}")


def test_the_migration_keeps_the_replies_of_the_last_day(tmp_path):
    """A database from before m450: rows of the last day get their reply (masked) from the retry cache."""
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(str(path))
    migrations.apply(old, stop_before="m450_inbox_and_conversations")
    old.execute(
        "INSERT INTO message_log (msg_key, reply, ts, created_at, day, user_id, kind, text, outcome) VALUES"
        " ('k1', '工作人员回复您：请打 13912345678 找我', ?, 'x', 'd', 'u_old00001', 'text', '你好', 'inbox')",
        [time.time()],
    )
    old.close()
    store = Store(path)
    row = store.conversations.get(1)
    assert row["reply"] == mask_pii("工作人员回复您：请打 13912345678 找我") and "13912345678" not in row["reply"]
    kept = "SELECT t.text FROM consultations c JOIN reply_texts t ON t.id = c.reply_id"
    assert store.db.get().execute(kept).fetchone()[0] == row["reply"]
    store.close()


def test_wrong_answer_marked_fixed_with_a_variant_and_counted(app, admin, editor, wechat, store):
    wechat.say(WRONG)
    [cid] = ids(store)
    row = store.conversations.get(cid)
    assert (row["outcome"], row["faq_id"]) == (Outcome.ANSWERED, "wage-where")  # checked: wrong, and confident
    answered_with = row["faq_id"]
    editor.post(f"/admin/c/{cid}/wrong", data={"note": "问的是包工头跑了"})
    flag = store.flags.get(cid)
    assert flag["status"] == "open" and flag["reporter"] == "editor1" and flag["faq_id"] == answered_with
    queue = editor.text("/admin/unanswered")
    assert "答错待处理" in queue and WRONG in queue and f"/admin/c/{cid}" in queue
    assert re.search(r"未答问题 <span class=\"badge alert\"[^>]*>1", queue)
    assert re.search(r'<dt>答错</dt><dd><span class="error-text">1 次', editor.text(f"/admin/faq/{answered_with}/edit"))

    page = editor.text(f"/admin/c/{cid}")
    assert "已标记“答错了”" in page and "问的是包工头跑了" in page
    preview = editor.text(f"/admin/c/{cid}?entry=wage-boss-fled")
    assert "由施工总承包单位先行清偿" in preview  # the right entry's answer, before adding
    editor.post(f"/admin/c/{cid}/variant", data={"entry_id": "wage-boss-fled"})
    assert WRONG in store.faq.get("wage-boss-fled")["variants"]
    flag = store.flags.get(cid)
    assert (flag["status"], flag["fixed_faq_id"], flag["resolved_by"]) == ("fixed", "wage-boss-fled", "editor1")
    assert "答错待处理" not in editor.text("/admin/unanswered")
    assert "由施工总承包单位先行清偿" in editor.text(f"/admin/faq/try?q={WRONG}")
    assert wechat.say(WRONG).startswith("分包单位或包工头拖欠工资的")
    assert store.flags.usage()[answered_with]["wrong"] == 1  # it still counts against the entry that answered


def test_per_entry_usage_in_the_list_sortable_and_on_the_entry_page(app, admin, editor):
    for _ in range(3):
        log_question(app, "仲裁收费吗", outcome="answered", faq_id="arb-free", topic="arbitration_litigation")
    log_question(app, "法援怎么办", outcome="answered", faq_id="aid-apply", topic="legal_aid")
    tentative = log_question(app, "请律师", outcome="tentative", faq_id="aid-apply", topic="legal_aid")
    log_question(app, "工头跑了", outcome="answered", faq_id="wage-where")
    wrong = log_question(app, "工头不见了", outcome="answered", faq_id="wage-where")
    store = app.extensions["pufa"].store
    store.flags.flag(wrong, "admin1")
    usage = store.flags.usage()
    assert usage["arb-free"] == {"answered": 3, "tentative": 0, "wrong": 0, "last_day": usage["arb-free"]["last_day"]}
    assert (usage["aid-apply"]["answered"], usage["aid-apply"]["tentative"]) == (1, 1)
    assert usage["wage-where"]["wrong"] == 1

    def order(sort: str) -> list[str]:
        html = editor.text(f"/admin/faq?sort={sort}")
        return re.findall(r'<a href="/admin/faq/([a-z0-9-]+)/edit" class="strong">', html)

    assert order("answered")[0] == "arb-free"
    assert order("tentative")[0] == "aid-apply"
    assert order("wrong")[0] == "wage-where"
    page = editor.text("/admin/faq/aid-apply/edit")
    assert "使用情况" in page and "试答" in page and f"/admin/c/{tentative}" in page


def test_opened_from_the_unanswered_queue_and_the_statistics(app, admin, editor):
    log_question(app, "小区广场舞太吵怎么投诉")
    later = log_question(app, "小区广场舞太吵怎么投诉")
    queue = editor.text("/admin/unanswered")
    link = re.search(r'href="(/admin/c/find\?key=[0-9a-f]+)"', queue).group(1)
    assert editor.get(link).location == f"/admin/c/{later}"  # the latest consultation with that question
    stats = admin.text("/admin/stats")
    assert link.replace("&", "&amp;") in stats or link in stats
    assert editor.get("/admin/c/find?key=0000").status_code == 404


def test_editors_see_no_pseudonym_and_no_staff_messages_and_cannot_reply(app, editor, caseworker, wechat, store):
    wechat.say("我要留言：老板欠我工资三个月，电话13912345678")
    caseworker.post("/admin/inbox/1/reply", data={"text": "请拨 12309，或明天上午来检察服务中心"})
    wechat.say("仲裁要钱吗")  # the staff reply goes out first in this reply
    cid = ids(store)[-1]
    user = store.conversations.get(cid)["user_id"]
    staff_view = caseworker.text(f"/admin/c/{cid}")
    assert user[:10] in staff_view and "请拨 12309，或明天上午来检察服务中心" in staff_view
    assert "回复此人" in staff_view and "工作人员信箱里的留言" in staff_view
    editor_view = editor.text(f"/admin/c/{cid}")
    assert user[:10] not in editor_view and "请拨 12309，或明天上午来检察服务中心" not in editor_view
    assert "只有办案人员和管理员能看" in editor_view and "劳动争议仲裁不收费" in editor_view
    assert "回复此人" not in editor_view and "/admin/inbox/" not in editor_view
    assert editor.post(f"/admin/c/{cid}/reply", data={"text": "hi"}).status_code == 403
    assert len(store.outbox.for_ref("staff_reply", "1")) == 1


def test_reply_to_this_person_goes_through_the_inbox(app, caseworker, wechat, store):
    wechat.say("申请仲裁要交钱吗")
    [cid] = ids(store)
    resp = caseworker.post(f"/admin/c/{cid}/reply", data={"text": "仲裁不收费，您可以放心去申请。"})
    [thread] = store.inbox.list("all")
    assert resp.location == f"/admin/inbox/{thread['id']}"
    assert (thread["origin"], thread["assignee"], thread["status"]) == (cid, "caseworker1", "answered")
    assert "等对方下次发消息时送达" in caseworker.text(resp.location)
    assert wechat.say("好的谢谢").startswith("工作人员回复您：仲裁不收费，您可以放心去申请。")
    assert caseworker.post(f"/admin/c/{cid}/reply", data={"text": " "}).status_code == 302
    assert len(store.outbox.for_ref("staff_reply", str(thread["id"]))) == 1  # an empty reply is refused


def test_a_model_answer_marked_wrong_is_wrong_on_the_review_page_too(app, admin):
    cid = log_model_answer(app, "包工头跑了找谁")
    admin.post(f"/admin/c/{cid}/wrong", data={"note": "依据不对"})
    assert app.extensions["pufa"].store.llm_answers.get(cid)["review_status"] == "wrong"


def test_dismissing_a_flag_and_escaping(app, admin):
    cid = log_question(app, PAYLOADS[0] + " 工资", outcome="answered", faq_id="wage-where")
    admin.post(f"/admin/c/{cid}/wrong", data={"note": PAYLOADS[1]})
    for url in (f"/admin/c/{cid}", "/admin/unanswered", "/admin/faq/wage-where/edit"):
        assert_escaped(admin.text(url), url)
    html = admin.text(f"/admin/c/{cid}")
    for form in re.findall(r'<form method="post".*?</form>', html, re.S):
        assert 'name="csrf_token"' in form
    assert " style=" not in html and "<script>" not in html
    admin.post(f"/admin/c/{cid}/resolve", data={"status": "dismissed"})
    assert app.extensions["pufa"].store.flags.get(cid)["status"] == "dismissed"


def test_anonymised_rows_show_no_text_and_take_no_reply(app, caseworker, store):
    cid = log_question(app, "老板欠薪", outcome="answered", faq_id="wage-where", days_ago=400)
    store.db.get().execute(
        "UPDATE consultations SET user_id = 'anon_x', text = '', reply_id = NULL WHERE id = ?", [cid]
    )
    page = caseworker.text(f"/admin/c/{cid}")
    assert "已过保留期" in page and "回复此人" not in page
    assert caseworker.get("/admin/c/99999").status_code == 404
