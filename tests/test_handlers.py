"""Every handler, through the webhook: text (answers, menu, numbered choices), voice, events, media, unknown."""

from __future__ import annotations

import json
import time

import pytest

from dialogue import texts
from faq.matcher import SUGGESTED, Candidate, Decision, Matcher
from faq.render import render_answer
from handlers import HANDLERS, handler_for, message_kind
from handlers.protocol import parse
from intake.offer import offers, with_offer
from tests.fake_wechat import new_openid


def as_sent(entry: dict) -> str:
    """An FAQ answer as the bot sends it: the answers that lead to a registration end with the offer to register."""
    text = render_answer(entry)
    return with_offer(text) if offers(entry) else text


def last_row(store) -> dict:
    row = next(store.db.get().query("SELECT * FROM consultations ORDER BY id DESC LIMIT 1"))
    row["detail"] = json.loads(row["detail"]) if row["detail"] else {}
    return row


def user_row(store, app, openid: str) -> dict:
    user_id = app.extensions["pufa"].pseudonym(openid)
    return next(store.db.get().query("SELECT * FROM users WHERE user_id = ?", [user_id]))


def menu_entries(store, menu_no: int) -> list[dict]:
    """The entries topic list `menu_no` should show, in order."""
    topics = next(m[2] for m in texts.MENU if m[0] == menu_no)
    entries = [e for e in store.faq.all(include_disabled=False) if e["topic"] in topics]
    return sorted(entries, key=lambda e: (topics.index(e["topic"]), e["position"], e["id"]))


# text


def test_text_question_is_answered_from_the_faq(wechat, store):
    entry = menu_entries(store, 1)[0]
    reply = wechat.say(entry["question"])
    row = last_row(store)
    assert (row["kind"], row["outcome"], row["faq_id"]) == ("text", "answered", entry["id"])
    assert reply == as_sent(entry)
    assert "【依据】" in reply
    assert row["topic"] == entry["topic"] and row["score"] > 0


def test_colloquial_question_is_answered(wechat, store):
    reply = wechat.say("包工头跑路了 工钱找谁要")
    row = last_row(store)
    assert row["outcome"] == "answered"
    assert reply == as_sent(store.faq.get(row["faq_id"]))


@pytest.mark.parametrize("text", ["你好", "您好！", "hi", "菜单", "帮助", "0", "０", "小助手你好呀🌹", "谢谢你啊👍", "都能问些啥子"])
def test_greetings_and_menu_words_show_the_menu(wechat, store, text):
    reply = wechat.say(text)
    assert reply == texts.MENU_TEXT
    assert "12309" in reply and "1. 欠薪讨薪" in reply and "回复 0" in reply
    assert last_row(store)["outcome"] == "menu"


@pytest.mark.parametrize("text", ["", "   ", "\u3000"])
def test_empty_text_asks_for_a_question(wechat, text):
    assert wechat.say(text) == texts.EMPTY_TEXT


def test_number_after_the_menu_picks_a_topic_list(wechat, store):
    wechat.say("你好")
    reply = wechat.say("1")
    expected = menu_entries(store, 1)[:9]
    lines = reply.splitlines()
    assert lines[0] == "【欠薪讨薪】常见问题："
    assert lines[1 : 1 + len(expected)] == [f"{i}. {e['question']}" for i, e in enumerate(expected, 1)]
    assert lines[-1] == texts.TOPIC_LIST_TAIL
    assert expected[0]["topic"] == "wage_arrears"  # the menu's first topic comes first
    # then a number picks an entry of that list
    answer = wechat.say("2")
    assert answer == as_sent(expected[1])
    row = last_row(store)
    assert (row["outcome"], row["faq_id"]) == ("answered", expected[1]["id"])
    assert row["detail"].get("choice") == 2


@pytest.mark.parametrize("choice", ["3", "３", "③", "三", "第3个", "3.", "3、"])
def test_number_forms_pick_from_the_list(wechat, store, choice):
    wechat.say("菜单")
    wechat.say("4")
    assert wechat.say(choice) == as_sent(menu_entries(store, 4)[2])


def test_number_without_context_opens_topic_list(wechat):
    assert wechat.say("5").startswith("【检察院支持起诉】常见问题：")


@pytest.mark.parametrize("number", ["11", "99", "0"])
def test_out_of_range_number_shows_menu(wechat, number):
    wechat.say("你好")
    assert wechat.say(number) == texts.MENU_TEXT


def test_zero_after_a_topic_list_returns_to_menu(wechat):
    wechat.say("2")
    assert wechat.say("0") == texts.MENU_TEXT


def test_numbered_choice_after_a_suggestion(wechat, store, monkeypatch):
    entries = menu_entries(store, 2)[:3]
    offered = [Candidate(e["id"], 0.3 - i / 100, e["question"], e["topic"]) for i, e in enumerate(entries)]
    # The matcher is someone else's; make it unsure so this test is about the dialogue only.
    monkeypatch.setattr(Matcher, "decide", lambda self, text: Decision(SUGGESTED, offered, offered))
    reply = wechat.say("单位那个事咋弄")
    lines = reply.splitlines()
    assert lines[0] == texts.SUGGEST_HEAD
    assert lines[1:4] == [f"{i}. {e['question']}" for i, e in enumerate(entries, 1)]
    assert lines[-1] == texts.SUGGEST_TAIL
    row = last_row(store)
    assert (row["outcome"], row["faq_id"]) == ("suggested", entries[0]["id"])
    assert [c[0] for c in row["detail"]["choices"]] == [e["id"] for e in entries]
    assert wechat.say("3") == as_sent(entries[2])
    assert (last_row(store)["outcome"], last_row(store)["faq_id"]) == ("answered", entries[2]["id"])


def test_out_of_scope_question_gets_the_fallback(wechat, store):
    reply = wechat.say("明天兰州下雨吗，我想去爬山")
    assert reply == texts.FALLBACK_TEXT and "12309" in reply
    assert last_row(store)["outcome"] == "unanswered"


def test_conversation_state_is_per_user(wechat, store):
    other = new_openid()
    wechat.say("你好")
    wechat.say("1")  # this user now has topic list 1
    assert wechat.say("1", openid=other).startswith("【欠薪讨薪】")  # the other user's "1" is a menu number
    assert wechat.say("1") == as_sent(menu_entries(store, 1)[0])


# voice


def test_voice_with_recognition_is_answered(wechat, store):
    entry = menu_entries(store, 1)[0]
    d = wechat.send(wechat.voice(entry["question"]))
    assert d.content == as_sent(entry)
    row = last_row(store)
    assert (row["kind"], row["outcome"], row["faq_id"], row["text"]) == (
        "voice",
        "answered",
        entry["id"],
        entry["question"],
    )


def test_voice_recognised_as_greeting_shows_menu(wechat):
    assert wechat.send(wechat.voice("你好。")).content == texts.MENU_TEXT


@pytest.mark.parametrize("recognition", [None, "", "  "])
def test_voice_without_recognition_asks_to_type(wechat, store, recognition):
    d = wechat.send(wechat.voice(recognition))
    assert d.content == texts.VOICE_UNRECOGNISED
    row = last_row(store)
    assert (row["kind"], row["outcome"]) == ("voice", "unanswered")


# events


def test_subscribe_welcomes_with_menu_and_12309(wechat, store, app):
    d = wechat.send(wechat.event("subscribe"))
    assert d.content == texts.WELCOME_TEXT
    assert d.content.startswith("感谢关注") and "12309" in d.content and "1. 欠薪讨薪" in d.content
    user = user_row(store, app, wechat.openid)
    assert user["subscribed"] == 1 and user["subscribed_at"]
    assert (last_row(store)["kind"], last_row(store)["outcome"]) == ("subscribe", "event")
    assert wechat.say("1").startswith("【欠薪讨薪】")  # the welcome's menu numbers work


def test_subscribe_through_qr_code_counts_as_subscribe(wechat, store, app):
    d = wechat.send(wechat.event("subscribe", "qrscene_123", Ticket="gQH47joAAAAAAAAAASxodHRwOi8v"))
    assert d.content == texts.WELCOME_TEXT
    assert last_row(store)["kind"] == "subscribe"
    assert user_row(store, app, wechat.openid)["subscribed"] == 1


def test_unsubscribe_is_logged_without_reply(wechat, store, app):
    wechat.send(wechat.event("subscribe", create_time=int(time.time()) - 10))
    wechat.say("1")
    d = wechat.send(wechat.event("unsubscribe"))
    assert d.is_success and d.body == b"success"
    row = last_row(store)
    assert (row["kind"], row["outcome"]) == ("unsubscribe", "event")
    user = user_row(store, app, wechat.openid)
    assert user["subscribed"] == 0 and user["unsubscribed_at"]
    assert store.chat.get(app.extensions["pufa"].pseudonym(wechat.openid)) == {}


@pytest.mark.parametrize("menu_no", range(1, len(texts.MENU) + 1))
def test_click_topic_opens_topic_list(wechat, store, menu_no):
    d = wechat.send(wechat.event("CLICK", f"TOPIC_{menu_no}"))
    name = texts.MENU[menu_no - 1][1].split("（")[0]
    assert d.content.startswith(f"【{name}】")
    row = last_row(store)
    assert (row["kind"], row["outcome"], row["text"]) == ("click", "menu", f"TOPIC_{menu_no}")
    assert row["detail"]["click"] == f"TOPIC_{menu_no}"
    first = menu_entries(store, menu_no)[0]
    assert wechat.say("1") == as_sent(first)


@pytest.mark.parametrize("key", ["TOPIC_0", "TOPIC_11", "TOPIC_99", "TOPIC_x", "MENU", "", "V1001_GOOD"])
def test_click_unknown_key_shows_menu(wechat, store, key):
    d = wechat.send(wechat.event("CLICK", key))
    assert d.content == texts.MENU_TEXT
    assert last_row(store)["kind"] == "click"


def test_click_topic_with_every_entry_disabled(wechat, store):
    for entry in menu_entries(store, 8):
        store.faq.save({**entry, "enabled": False}, "test")
    d = wechat.send(wechat.event("CLICK", "TOPIC_8"))
    assert d.content.startswith("【未成年人保护】") and "回复 0" in d.content


@pytest.mark.parametrize(
    "name,key,extra",
    [
        ("VIEW", "https://example.com/page", {"MenuId": "1"}),
        ("SCAN", "123", {"Ticket": "t"}),
        ("LOCATION", None, {"Latitude": "36.06", "Longitude": "103.83", "Precision": "65.0"}),
        ("TEMPLATESENDJOBFINISH", None, {"Status": "success"}),
        ("debug_demo", None, {"debug_str": "hello"}),  # not a WeChat event: logged as "unknown"
    ],
)
def test_other_events_get_no_reply(wechat, store, name, key, extra):
    d = wechat.send(wechat.event(name, key, **extra))
    assert d.is_success
    assert last_row(store)["kind"] == (name.lower() if name != "debug_demo" else "unknown")


# media and unknown kinds


@pytest.mark.parametrize("kind", ["image", "video", "shortvideo", "location", "link", "file"])
def test_media_gets_a_polite_reply(wechat, store, kind):
    d = wechat.send(getattr(wechat, kind)())
    assert d.content == texts.MEDIA_REPLY
    assert "12309" in d.content
    row = last_row(store)
    assert (row["kind"], row["outcome"]) == (kind, "other")


@pytest.mark.parametrize("msg_type", ["hologram", "miniprogrampage"])
def test_unknown_kind_gets_success(wechat, store, msg_type):
    d = wechat.send(wechat.unknown(msg_type))
    assert d.is_success and d.body == b"success"
    assert last_row(store)["outcome"] == "other"


# the dispatch table


@pytest.mark.parametrize(
    "builder,kind",
    [
        (lambda w: w.text("x"), "text"),
        (lambda w: w.voice("x"), "voice"),
        (lambda w: w.image(), "image"),
        (lambda w: w.video(), "video"),
        (lambda w: w.shortvideo(), "shortvideo"),
        (lambda w: w.location(), "location"),
        (lambda w: w.link(), "link"),
        (lambda w: w.file(), "file"),
        (lambda w: w.event("subscribe"), "event:subscribe"),
        (lambda w: w.event("subscribe", "qrscene_9"), "event:subscribe_scan"),
        (lambda w: w.event("unsubscribe"), "event:unsubscribe"),
        (lambda w: w.event("CLICK", "TOPIC_1"), "event:click"),
        (lambda w: w.event("VIEW", "https://x"), "event:view"),
        (lambda w: w.event("SCAN", "1"), "event:scan"),
        (lambda w: w.event("LOCATION"), "event:location"),
    ],
)
def test_every_kind_has_a_registered_handler(wechat, builder, kind):
    msg = parse(builder(wechat))
    assert message_kind(msg) == kind
    assert handler_for(msg) is HANDLERS[kind]


def test_unknown_kinds_fall_back(wechat):
    from handlers.unknown import on_unknown

    assert handler_for(parse(wechat.unknown("hologram"))) is on_unknown
    assert handler_for(parse(wechat.event("debug_demo"))) is on_unknown
