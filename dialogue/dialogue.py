"""What the bot says to one message: the menu, a numbered choice, an FAQ answer, a suggestion, or the fallback."""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import KW_ONLY, dataclass, field
from typing import Protocol

import cn2an

from dialogue import texts
from faq.analyzer import Analyzer
from faq.matcher import ANSWERED, SUGGESTED, TENTATIVE, Decision, Matcher
from faq.normalize import clean_display
from faq.render import render_answer
from storage import Store
from storage.vocab import Outcome

_CHOICE_RE = re.compile(r"^(?:第)?\s*(\d{1,2})\s*(?:个|号|条|项|[.。、)）])?$")
MAX_TOPIC_CHOICES = 9


@dataclass
class Reply:
    """A handler's answer: the text to send (None = send nothing, i.e. `success`) and what to log.

    Everything after `outcome` is a keyword: Reply(text, Outcome.ANSWERED, faq_id=..., score=..., topic=...).
    """

    text: str | None
    outcome: Outcome
    _: KW_ONLY
    faq_id: str | None = None
    score: float | None = None
    topic: str | None = None
    detail: dict = field(default_factory=dict)
    # The user's conversation state after this reply: None = unchanged, {} = cleared, else the new state. The
    # webhook stores it in the same transaction as the consultation row.
    chat_state: dict | None = None
    # What the user said, as the log should keep it (the handler knows: the text, the recognised speech, the
    # clicked key); the webhook masks it before storing.
    log_text: str = ""
    # True for a follow, False for an unfollow, None otherwise (the users table keeps it).
    subscribed: bool | None = None


class LlmResponder(Protocol):
    """Optional answers beyond the FAQ (see `llm/`)."""

    def pending_reply(self, user_id: str) -> Reply | None: ...

    def answer(self, user_id: str, openid: str, text: str, decision: Decision, msg_key: str | None) -> Reply | None: ...


def parse_choice(text: str) -> int | None:
    """The number in a reply like "2", "２", "②", "二", "第2个"; None when the text is not a bare number."""
    t = unicodedata.normalize("NFKC", text).strip()
    if not t or len(t) > 5:
        return None
    if not t[0].isdigit() and t.lstrip("第")[:1] in "零一二两三四五六七八九十":
        try:
            t = cn2an.transform(t, "cn2an")
        except (ValueError, KeyError, IndexError):
            return None
    m = _CHOICE_RE.match(t)
    return int(m.group(1)) if m else None


class Dialogue:
    """The conversation logic, over a live FAQ index that follows edits made in any process."""

    def __init__(self, store: Store, analyzer: Analyzer, llm: LlmResponder | None = None):
        self.store = store
        self.analyzer = analyzer
        self.llm = llm
        self._lock = threading.Lock()
        self._matcher: Matcher | None = None
        self._version = -1

    # the live FAQ index
    def matcher(self) -> Matcher:
        """The matcher for the current FAQ version, rebuilt when any process changed the FAQ."""
        version = self.store.faq.version()
        if self._matcher is None or version != self._version:
            with self._lock:
                if self._matcher is None or version != self._version:
                    entries = self.store.faq.all(include_disabled=False)
                    self._matcher = Matcher(entries, self.analyzer)
                    self._version = version
        return self._matcher

    # replies
    def respond(self, user_id: str, text: str) -> Reply:
        """answer_text, storing the conversation state at once (for callers other than the webhook)."""
        reply = self.answer_text(user_id, text)
        self.save_state(user_id, reply)
        return reply

    def save_state(self, user_id: str, reply: Reply) -> None:
        if reply.chat_state is not None:
            self.store.chat.set(user_id, reply.chat_state)

    def menu(self, user_id: str) -> Reply:
        return Reply(texts.MENU_TEXT, Outcome.MENU, chat_state={"menu": True})

    def welcome(self, user_id: str) -> Reply:
        return Reply(texts.WELCOME_TEXT, Outcome.EVENT, chat_state={"menu": True})

    def entry_reply(
        self, entry_id: str, score: float | None = None, m: Matcher | None = None, **detail
    ) -> Reply | None:
        entry = (m or self.matcher()).by_id.get(entry_id)
        if entry is None:
            return None
        return Reply(
            render_answer(entry), ANSWERED, faq_id=entry_id, score=score, topic=entry["topic"], detail=detail, chat_state={}
        )

    def topic_list(self, user_id: str, menu_no: int) -> Reply:
        item = next((m for m in texts.MENU if m[0] == menu_no), None)
        if item is None:
            return self.menu(user_id)
        _, label, topics = item
        name = label.split("（")[0]
        # In the menu's topic order: the matcher keeps entries sorted by topic id, which would fill menu 1
        # (欠薪讨薪) with criminal_wage entries before any wage_arrears one.
        entries = sorted(
            (e for e in self.matcher().entries if e["topic"] in topics), key=lambda e: topics.index(e["topic"])
        )[:MAX_TOPIC_CHOICES]
        if not entries:  # every entry of the topic disabled in the console
            text = f"【{name}】这方面的常见问题正在整理中。请直接用一句话说出您的问题，或回复 0 看问题菜单。"
            return Reply(text, Outcome.MENU, topic=topics[0], detail={"menu": menu_no}, chat_state={"menu": True})
        lines = [f"【{name}】常见问题："]
        lines += [f"{i}. {e['question']}" for i, e in enumerate(entries, start=1)]
        lines.append(texts.TOPIC_LIST_TAIL)
        state = {"choices": [e["id"] for e in entries]}
        return Reply("\n".join(lines), Outcome.MENU, topic=topics[0], detail={"menu": menu_no}, chat_state=state)

    def suggest(self, user_id: str, decision: Decision) -> Reply:
        choices = decision.choices[:3]
        lines = [texts.SUGGEST_HEAD] + [f"{i}. {c.question}" for i, c in enumerate(choices, start=1)]
        lines.append(texts.SUGGEST_TAIL)
        best = decision.best
        return Reply(
            "\n".join(lines),
            SUGGESTED,
            faq_id=best.entry_id,
            score=best.score,
            topic=best.topic,
            detail={"choices": [[c.entry_id, c.score] for c in choices]},
            chat_state={"choices": [c.entry_id for c in choices]},
        )

    def tentative(self, user_id: str, decision: Decision, m: Matcher | None = None) -> Reply:
        """A fairly sure match: say which question we answer, answer it, and offer the runners-up by number."""
        best = decision.best
        reply = self.entry_reply(best.entry_id, best.score, m)
        body = f"{texts.TENTATIVE_HEAD}{best.question}\n\n{reply.text}"
        if len(body.encode("utf-8")) > texts.MAX_REPLY_BYTES:
            body = reply.text
        offered = []
        for c in decision.choices[:3]:
            lines = [f"{i}. {o.question}" for i, o in enumerate([*offered, c], start=1)]
            extra = "\n\n" + texts.TENTATIVE_MORE + "\n" + "\n".join(lines) + "\n" + texts.TENTATIVE_TAIL
            if len((body + extra).encode("utf-8")) > texts.MAX_REPLY_BYTES:
                break
            offered.append(c)
        if offered:
            lines = [f"{i}. {o.question}" for i, o in enumerate(offered, start=1)]
            body += "\n\n" + texts.TENTATIVE_MORE + "\n" + "\n".join(lines) + "\n" + texts.TENTATIVE_TAIL
        reply.chat_state = {"choices": [o.entry_id for o in offered]} if offered else {}
        reply.text = body
        reply.outcome = TENTATIVE
        reply.detail = {"tentative": True, "choices": [[o.entry_id, o.score] for o in offered]}
        return reply

    def fallback(self, user_id: str, decision: Decision | None = None) -> Reply:
        best = decision.best if decision else None
        detail = {"best": [best.entry_id, best.score]} if best else {}
        score = best.score if best else None
        return Reply(texts.FALLBACK_TEXT, Outcome.UNANSWERED, score=score, detail=detail, chat_state={"menu": True})

    def choose(self, user_id: str, number: int) -> Reply:
        if number == 0:
            return self.menu(user_id)
        state = self.store.chat.get(user_id)
        choices = state.get("choices") or []
        if 1 <= number <= len(choices):
            reply = self.entry_reply(choices[number - 1], via="choice", choice=number)
            if reply is not None:
                return reply
        if 1 <= number <= len(texts.MENU):
            return self.topic_list(user_id, number)
        return self.menu(user_id)

    def answer_text(self, user_id: str, text: str, openid: str = "", msg_key: str | None = None) -> Reply:
        """The reply to a text (or recognised voice) message."""
        if self.llm is not None:
            pending = self.llm.pending_reply(user_id)
            if pending is not None:
                return pending
        t = clean_display(text)
        if not t:
            return Reply(texts.EMPTY_TEXT, Outcome.MENU)
        number = parse_choice(t)
        if number is not None:
            return self.choose(user_id, number)
        if self.analyzer.is_greeting(t):
            return self.menu(user_id)
        m = self.matcher()
        decision = m.decide(t)
        if decision.outcome == ANSWERED:
            best = decision.best
            reply = self.entry_reply(best.entry_id, best.score, m)
            if decision.candidates[1:]:
                reply.detail["runner_up"] = [decision.candidates[1].entry_id, decision.candidates[1].score]
            return reply
        if decision.outcome == TENTATIVE:
            return self.tentative(user_id, decision, m)
        if self.llm is not None:
            reply = self.llm.answer(user_id, openid, t, decision, msg_key)
            if reply is not None:
                return reply
        if decision.outcome == SUGGESTED and decision.choices:
            return self.suggest(user_id, decision)
        return self.fallback(user_id, decision)
