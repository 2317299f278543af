"""The unanswered queue: grouping, counts, and the three fixes (add as variant, new entry, dismiss)."""

import re

import pytest

from console.grouping import Group, group_questions, jaccard
from console.unanswered import text_key
from tests.console_fixtures import *  # noqa: F403
from tests.console_fixtures import log_question

NOISE = "小区广场舞噪音太大怎么投诉"


def bigrams(text: str) -> frozenset:
    return frozenset(a + b for a, b in zip(text, text[1:], strict=False))


def rows(*items):
    return [{"text": t, "n": n, "last_day": d} for t, n, d in items]


def test_grouping_is_greedy_deterministic_and_ordered():
    data = rows(
        ("广场舞太吵怎么办", 3, "2024-05-01"),
        ("广场舞太吵了怎么办", 1, "2024-05-03"),
        ("离婚财产怎么分", 2, "2024-04-01"),
        ("离婚了财产怎么分", 2, "2024-05-02"),
        ("狗咬人谁负责", 1, "2024-03-01"),
    )
    groups = group_questions(data, bigrams)
    assert [g.leader for g in groups] == ["广场舞太吵怎么办", "离婚了财产怎么分", "狗咬人谁负责"]
    assert [g.total for g in groups] == [4, 4, 1]
    assert groups[0].last_day == "2024-05-03" and groups[0].texts == ["广场舞太吵怎么办", "广场舞太吵了怎么办"]
    assert group_questions(list(reversed(data)), bigrams)[0].texts == groups[0].texts


def test_jaccard():
    assert jaccard(frozenset("ab"), frozenset("bc")) == 1 / 3
    assert jaccard(frozenset(), frozenset("a")) == 0.0
    assert Group("x", [{"text": "x", "n": 2, "last_day": "2024-01-01"}]).total == 2


def test_the_queue_groups_similar_questions_with_counts_and_latest_date(app, editor):
    log_question(app, NOISE, days_ago=3)
    log_question(app, NOISE, days_ago=1)
    log_question(app, "小区广场舞噪音太大了怎么投诉", outcome="suggested", days_ago=2)
    log_question(app, "邻居家的狗咬了我孩子谁负责", days_ago=5)
    log_question(app, "恐龙是怎么灭绝的", outcome="answered")  # answered: not in the queue
    log_question(app, "看不见的旧问题", days_ago=40)
    page = editor.text("/admin/unanswered")
    assert "2 组" in page
    assert NOISE in page and "3 次" in page and "邻居家的狗咬了我孩子谁负责" in page
    assert "恐龙是怎么灭绝的" not in page and "看不见的旧问题" not in page
    assert "这一组的 2 种问法" in page
    assert "看不见的旧问题" in editor.text("/admin/unanswered?days=90")


def test_the_matchers_best_guesses_are_offered_first(app, editor):
    log_question(app, NOISE, outcome="suggested")
    page = editor.text("/admin/unanswered")
    guesses = re.findall(r'name="entry_id" value="([\w-]+)"', page)
    assert guesses == ["wage-where"]  # "投诉"; entries scoring 0 are not offered
    # every other entry can be found by words, with its answer shown before it can be picked
    pick = editor.text(f"/admin/unanswered/pick?q={text_key(NOISE)}&words=保护令")
    assert "被家暴了怎么申请人身安全保护令？" in pick and "可以向法院申请人身安全保护令" in pick
    assert re.findall(r'name="entry_id" value="([\w-]+)"', pick)[0] == "dv-order"


def test_add_as_variant_answers_the_same_question(app, editor, wechat):
    first = wechat.say(NOISE) or ""
    assert "仲裁不收费" not in first
    store = app.extensions["pufa"].store
    assert store.log.unanswered_texts()[0]["text"] == NOISE  # the bot logged it as unanswered/suggested
    resp = editor.post("/admin/unanswered/variant", data={"entry_id": "arb-free", "q": [text_key(NOISE)], "days": "30"})
    assert resp.status_code == 302
    page = editor.text("/admin/unanswered")
    assert "已把 1 个问法加到「申请劳动仲裁要交钱吗？」" in page
    assert f'<div class="bubble user">{NOISE}</div>' not in page  # left the queue
    assert "劳动争议仲裁不收费" in wechat.say(NOISE)
    assert NOISE in store.faq.get("arb-free")["variants"]
    rev = store.faq.revisions("arb-free")[0]
    assert rev["action"] == "variant" and rev["author"] == "editor1"


def test_add_as_variant_to_another_entry_by_id_or_question(app, editor, wechat):
    log_question(app, NOISE)
    editor.post(
        "/admin/unanswered/variant",
        data={"entry_id": "arb-free", "other_entry": "怎么申请法律援助？", "use_other": "1", "q": [text_key(NOISE)]},
    )
    assert NOISE in app.extensions["pufa"].store.faq.get("aid-apply")["variants"]
    assert "法律援助机构申请" in wechat.say(NOISE)


def test_add_as_variant_needs_an_existing_entry_and_a_question(app, editor):
    log_question(app, NOISE)
    editor.post("/admin/unanswered/variant", data={"entry_id": "nope", "q": [text_key(NOISE)]})
    assert "请选择一个已有的条目" in editor.text("/admin/unanswered")
    editor.post("/admin/unanswered/variant", data={"entry_id": "arb-free", "q": ["not-a-key"]})
    assert "请至少勾选一个问题" in editor.text("/admin/unanswered")


def test_a_variant_that_still_loses_is_reported(app, editor):
    # "申请仲裁免费吗" is already arb-free's; adding it to aid-apply makes a tie that aid-apply may not win
    log_question(app, "打仲裁收不收费")
    editor.post("/admin/unanswered/variant", data={"entry_id": "aid-apply", "q": [text_key("打仲裁收不收费")]})
    page = editor.text("/admin/unanswered")
    assert "已把 1 个问法加到" in page
    assert "仍会被答成别的条目或答不上" in page


def test_create_a_new_entry_from_a_group(app, editor):
    log_question(app, NOISE)
    page = editor.text("/admin/unanswered")
    link = re.search(r'href="(/admin/faq/new\?[^"]+)"', page).group(1).replace("&amp;", "&")
    form = editor.text(link)
    assert f'value="{NOISE}"' in form and "新建条目" in form


def test_dismiss_takes_a_group_off_the_queue(app, editor):
    log_question(app, NOISE)
    log_question(app, "小区广场舞噪音太大了怎么投诉")
    keys = [text_key(NOISE), text_key("小区广场舞噪音太大了怎么投诉")]
    asked = editor.post("/admin/unanswered/dismiss", data={"q": keys})  # without JavaScript: a page asks first
    assert asked.status_code == 200 and "忽略这一组问题？" in asked.get_data(as_text=True)
    assert NOISE in editor.text("/admin/unanswered")
    resp = editor.post("/admin/unanswered/dismiss", data={"q": keys, "confirmed": "1"})
    assert resp.status_code == 302
    page = editor.text("/admin/unanswered")
    assert "已忽略 2 个问题" in page and "没有待处理的问题" in page
    log_question(app, NOISE)  # asked again later: still dismissed
    assert "没有待处理的问题" in editor.text("/admin/unanswered")
    assert editor.post("/admin/unanswered/dismiss", data={}).status_code == 302


def test_questions_the_faq_now_answers_leave_the_queue(app, editor):
    log_question(app, "打仲裁收不收费", outcome="unanswered")  # logged before the FAQ could answer it
    page = editor.text("/admin/unanswered")
    assert "没有待处理的问题" in page and "目前 1 个" in page


def test_the_queue_is_paginated(app, editor, monkeypatch):
    import console.unanswered as module

    monkeypatch.setattr(module, "PER_PAGE", 2)
    for text in ("火星上能种土豆吗", "猫为什么怕黄瓜", "宇宙有多大呀", "恐龙是怎么灭绝的"):
        log_question(app, text)
    first = editor.text("/admin/unanswered")
    assert "第 1 / 2 页" in first
    second = editor.text("/admin/unanswered?page=2")
    assert "第 2 / 2 页" in second


def test_numbers_in_queued_questions_stay_masked_and_out_of_variants(app, editor, wechat):
    raw = "我电话13912345678，老板欠我八千块工钱不给"
    log_question(app, raw)  # an old row, stored before masking
    page = editor.text("/admin/unanswered")
    assert "13912345678" not in page and "139****5678" in page
    editor.post("/admin/unanswered/variant", data={"entry_id": "wage-where", "q": [text_key(raw)]})
    variants = app.extensions["pufa"].store.faq.get("wage-where")["variants"]
    assert "我电话139****5678，老板欠我八千块工钱不给" in variants
    assert not any("13912345678" in v for v in variants)


def test_only_logged_questions_can_be_added_or_dismissed(app, editor):
    editor.post("/admin/unanswered/dismiss", data={"q": [text_key("从没问过的问题")]})
    assert "没有要忽略的问题" in editor.text("/admin/unanswered")
    assert app.extensions["pufa"].store.db.get().execute("SELECT count(*) FROM dismissed_questions").fetchone()[0] == 0


def test_tentative_answers_are_queued_and_shown_as_such(app, editor):
    log_question(app, "律师太贵了", outcome="tentative", faq_id="aid-apply", topic="legal_aid")
    page = editor.text("/admin/unanswered")
    assert "律师太贵了" in page and "试答（不确定）" in page
    assert "我理解您问的是：怎么申请法律援助？" in page and "正在试答" in page


def test_a_suggested_entry_shows_its_answer_before_it_can_be_picked(app, editor):
    log_question(app, "律师太贵了", outcome="tentative")
    page = editor.text("/admin/unanswered")
    guess = re.search(r'<details class="guess">(.*?)</details>', page, re.S).group(1)
    summary, body = guess.split("</summary>")
    assert "怎么申请法律援助？" in summary and 'name="entry_id"' not in summary  # closed: no button to click
    assert "农民工讨薪不受经济困难条件限制" in body and 'name="entry_id" value="aid-apply"' in body


def test_adding_a_question_can_be_undone(app, editor, wechat):
    store = app.extensions["pufa"].store
    before = store.faq.get("aid-apply")["variants"]
    log_question(app, "律师太贵了", outcome="tentative")
    editor.post("/admin/unanswered/variant", data={"entry_id": "aid-apply", "q": [text_key("律师太贵了")]})
    assert store.faq.get("aid-apply")["variants"] == [*before, "律师太贵了"]
    page = editor.text("/admin/unanswered")
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    assert "刚把 1 个问法加到「怎么申请法律援助？」" in page
    store.faq.save({"id": "aid-apply", "answer": "同时有人改了答复。"}, "someone")  # a later, unrelated change
    resp = editor.post("/admin/unanswered/variant/undo", data={"revision": revision})
    assert resp.status_code == 302
    entry = store.faq.get("aid-apply")
    assert entry["variants"] == before and entry["answer"] == "同时有人改了答复。"
    assert store.faq.revisions("aid-apply")[0]["action"] == "undo-variant"
    page = editor.text("/admin/unanswered")
    assert "已撤销" in page and "律师太贵了" in page  # back in the queue


@pytest.mark.parametrize(
    "question,topic",
    [
        ("律师太贵了", "legal_aid"),  # the matcher is fairly sure, and nothing close disagrees
        ("工资被拖欠了怎么办", ""),  # close candidates from two topics: ask
        (NOISE, ""),  # nothing close: ask, never guess 欠薪讨薪 because of the word 投诉
    ],
)
def test_a_new_entry_gets_a_topic_only_when_the_matcher_is_sure(app, editor, question, topic):
    log_question(app, question)
    page = editor.text("/admin/unanswered")
    link = re.search(r'href="(/admin/faq/new\?[^"]+)"', page).group(1).replace("&amp;", "&")
    assert re.search(r"[?&]topic=([^&]*)", link).group(1) == topic
    form = editor.text(link)
    if topic:
        assert f'<option value="{topic}" selected>' in form
    else:
        assert " selected>" not in form.split('name="topic"')[1].split("</select>")[0]
        assert "请选择这个问题属于哪个主题" in form
