"""Conversation context: what the last answers were about, so that a follow-up ("要钱吗", "多久", "那我去哪告") is
read against them. Kept in the chat state (storage.chat_state), which expires after 30 minutes; the menu clears it.

The state holds the last answered entry and topic and the user's last two messages, PII-masked (the log masks the
same way), because a follow-up is best understood together with what the person said before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storage.privacy import mask_pii

CTX = "ctx"
MAX_SAID = 2
MAX_SAID_CHARS = 200

# "另外问个事 …", "换个事 …": the person says themselves that a new question starts.
NEW_QUESTION = re.compile(
    r"^(?:(?:哦|噢|嗯|诶|哎|好的|好|行|晓得了|知道了|明白了|懂了|谢谢|多谢)[，,\s]*)?(?:另外|换个事|说个别的|说点别的|换个问题|换一个问题|再问(?:个|一个)?别的(?:事)?|再问(?:一下|个事|一个)?|还有个事|还有一个问题|还有件事|对了|顺便问(?:一下)?|"
    r"(?:我)?还想(?:再)?问(?:一下|下|问|个事|一个事|一个|个)?(?!他|她|老板|包工头|公司|厂|人家)|我想再问|问个别的|问点别的|问个不相干的|问个题外话|再请教(?:一下)?|另一个问题|(?:先)?不(?:说|问|聊)(?:这个|这事|这些)了?|(?:这个|这事|这些)?(?:先)?放(?:一)?放|换个话题|还有(?:就是)?我自己(?:的事)?|(?:再)?说(?:说)?我自己的事|问(?:问)?我自己的事|说个我自己的事|我自己的事是)[，,。：:\s]*"
)


@dataclass(frozen=True)
class Context:
    entry: str | None  # the FAQ entry last answered
    topic: str | None
    said: tuple[str, ...]  # the user's last messages, oldest first
    thanked: bool = False  # the person said 谢谢 / 知道了 after the last answer: that line of questions is closed
    # the last reply was an emergency reply: the next message is read as still in danger. The danger's category
    # (violence, suicide, …), or "" when there was none; a state written before the category was kept reads "violence".
    danger: str = ""
    tentative: bool = False  # the last answer was tentative (我理解您问的是…): its entry was a guess


def read_context(state: dict) -> Context | None:
    raw = state.get(CTX) if isinstance(state, dict) else None
    if not isinstance(raw, dict):
        return None
    said = tuple(str(s) for s in raw.get("said") or [] if s)
    danger = raw.get("danger")
    danger = danger if isinstance(danger, str) else ("violence" if danger else "")
    return Context(
        raw.get("entry"), raw.get("topic"), said, bool(raw.get("thanked")), danger, bool(raw.get("tentative"))
    )


def context_state(
    previous: Context | None, text: str, entry: str | None, topic: str | None, tentative: bool = False
) -> dict:
    """The `ctx` part of the next state: this answer's entry and topic, and what the user said (masked)."""
    said = list(previous.said if previous else ())
    said.append(mask_pii(text)[:MAX_SAID_CHARS])
    state = {"entry": entry, "topic": topic, "said": said[-MAX_SAID:]}
    if tentative:
        state["tentative"] = True
    return state


def carried_on(previous: Context, text: str) -> dict:
    """The `ctx` of a reply that answers nothing new (the fallback, numbered guesses, the numbers after an emergency
    reply): the conversation stays on the last answer, with this message added to what was said."""
    return context_state(previous, text, previous.entry, previous.topic, previous.tentative)


# 对了 before a statement adds to what was said (对了 我已经辞了不干了); before a question it starts a new one
_BY_THE_WAY = re.compile(r"^(?:(?:哦|噢|嗯|诶|哎)[，,\s]*)?对了[，,。：:\s]*")
# (a shorter cousin of dialogue.questions._ASKS, which imports this module: here only to tell a question from a
# statement after 对了)
_ASKS_SOMETHING = re.compile(r"[吗嘛么呢不没？?](?=[\W_]*$)|啥|什么|怎么|咋|多久|多长|多少|哪|谁|能不能|可不可以|是否|要不要|有没有|问")


# 对了 followed by a fact that changes the last answer (an age, a pension, no contract, having left): not a new question
_ADDS_A_CONDITION = re.compile(
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:周)?岁|退休|养老金|没签|没(?:有)?合同|辞了|辞职|不干了|离职"
)

_ANOTHER_MATTER = re.compile(r"再问|另外|还有个|还想问|顺便问")


# 还有 and a break, then a question of its own long enough to tell a story (还有 我在饭店干了三个月 老板说试用期不发工资
# 对不): a new question; a short one after it (还有 要带啥) still goes on with the last answer
_AND_ALSO = re.compile(r"^(?:(?:哦|噢|嗯|诶|哎)[，,\s]*)?还有[，,。：:\s]+")
AND_ALSO_MIN_CHARS = 12


def strip_new_question(text: str) -> tuple[str, bool]:
    """(the text without a "new question" lead-in, whether there was one)."""
    also = _AND_ALSO.match(text)
    if also and len(rest := text[also.end() :]) >= AND_ALSO_MIN_CHARS and _ASKS_SOMETHING.search(rest):
        return rest, True
    m = NEW_QUESTION.match(text)
    if not m or m.end() >= len(text):
        return text, False
    rest = text[m.end() :]
    adds = len(rest) <= 20 and _ADDS_A_CONDITION.search(rest) and not _ANOTHER_MATTER.search(rest)
    if _BY_THE_WAY.fullmatch(m.group(0)) and (not _ASKS_SOMETHING.search(rest) or adds):
        return text, False  # 对了 我已经辞了不干了 / 对了我娃今年才15岁 有影响不: more about the question before
    return text[m.end() :], True
