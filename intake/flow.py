"""The registration conversation (a dialogue Flow): consent, one question per step, summary, submission; and at any
time progress, withdrawal and deletion.

Nothing is kept before consent: the notice's "reply 1" waits in the 30-minute chat state. After consent the
answers live in an encrypted draft (storage/intake_drafts.py) for 7 days; a draft is "active" (messages are
answers) while the person keeps answering, and paused after an hour of silence, a 暂停/0, or a request for a
person: then messages are ordinary questions again until 继续登记.

Retries: WeChat re-sends a message whose reply was slow or lost, and a crash between a step and the log write makes
the webhook run the handler again. Every reply the flow gives is journaled by MsgId in the same transaction as the
change it made, and a journaled MsgId gets that reply back and changes nothing (the transaction is BEGIN IMMEDIATE,
so a second worker handling the same message waits and then finds the journal entry).
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime

from dialogue.intents import Intent
from dialogue.reply import Reply
from dialogue.texts import MAX_REPLY_BYTES, MENU_TEXT
from intake import parse, steps, texts
from intake.answers import in_draft
from intake.routing import Routing
from messaging.hours import Hours
from storage import Store, retention
from storage.db import CHINA_TZ
from storage.intake_drafts import Draft
from storage.vocab import CASE_ENDED, Outcome

log = logging.getLogger("pufa.intake")

ACTIVE_SECONDS = 3600  # after an hour of silence a draft pauses: messages are questions again until 继续登记
WAIT_MS = 2000  # how long a step waits for the database (WeChat gives up after 5 s)
CASE_NUMBER = re.compile(r"^(?:登记编号|编号|查询|查|查一下)?[:：\s]*(\d{10})$")
ACTOR = "申请人"


@dataclass(frozen=True)
class IntakeSettings:
    routing: Routing
    promise_days: int = 3
    retention_days: int = 365
    hours: Hours | None = None
    strict: bool = False  # tests: let a bug in a step raise instead of answering politely


class IntakeFlow:
    name = "intake"

    def __init__(self, store: Store, settings: IntakeSettings):
        self.store = store
        self.settings = settings
        self.routing = settings.routing

    # the Flow protocol
    def handle(self, turn) -> Reply | None:
        done = self.store.intake_drafts.journaled(turn.msg_key)
        if done is not None:  # a retry of a message already handled here
            return self.answer(done.text, done.outcome, done.detail, done.chat_state)
        if not self._concerns(turn):
            return None
        try:
            if self._awaiting(turn) == "delete" and self._confirmed(turn, parse.DELETE):
                return self._delete_all(turn)
            with self.store.db.transaction(WAIT_MS):
                done = self.store.intake_drafts.journaled(turn.msg_key)
                if done is not None:
                    return self.answer(done.text, done.outcome, done.detail, done.chat_state)
                reply = self._decide(turn)
                if reply is not None:
                    self._journal(turn, reply)
            return reply
        except sqlite3.Error as exc:  # nothing was applied (rolled back): ask for the answer again
            log.warning("intake step not saved: %s", exc)
            return self.answer(texts.BUSY, detail={"intake": "busy"})
        except Exception:
            # A bug must not put the person's answer into the consultation log (the webhook's error path logs
            # what was said): answer here, with the placeholder, and keep the traceback for the log.
            log.exception("intake step failed")
            if self.settings.strict:
                raise
            return self.answer(texts.BUSY, detail={"intake": "error"})

    # reading the turn
    def _draft(self, turn) -> Draft | None:
        if "intake_draft" not in turn.extra:
            draft = self.store.intake_drafts.get(turn.user_id)
            if draft is not None and draft.expired:
                draft = None
            turn.extra["intake_draft"] = draft
        return turn.extra["intake_draft"]

    @staticmethod
    def _active(draft: Draft | None) -> bool:
        return draft is not None and not draft.paused and time.time() - draft.updated < ACTIVE_SECONDS

    @staticmethod
    def _awaiting(turn) -> str | None:
        state = turn.state.get("intake") if turn.text or turn.clicked else None
        return state.get("await") if isinstance(state, dict) else None

    @staticmethod
    def _confirmed(turn, command: str) -> bool:
        return parse.yes_no(turn.text) is True or parse.command(turn.text) == command

    def _concerns(self, turn) -> bool:
        """Cheap reads: is this message for the registration at all?"""
        if turn.intent in (Intent.REGISTER, Intent.PROGRESS):
            return True
        text = parse.normalise(turn.text)
        cmd = parse.command(text)
        draft = self._draft(turn)
        if self._active(draft) or cmd in (parse.WITHDRAW, parse.DELETE) or CASE_NUMBER.match(text):
            return True
        if cmd == parse.RESUME and (draft is not None or text != "继续"):
            return True
        return self._awaiting(turn) is not None

    # deciding (inside the transaction)
    def _decide(self, turn) -> Reply | None:
        turn.extra.pop("intake_draft", None)  # read again inside the transaction
        draft = self._draft(turn)
        text = parse.normalise(turn.text)
        cmd = parse.command(text)
        if self._active(draft):
            return in_draft(self, turn, draft, text, cmd)
        awaiting = self._awaiting(turn)
        if awaiting and turn.intent is not Intent.REGISTER:
            reply = self._answer_prompt(turn, awaiting, text, cmd)
            if reply is not None:
                return reply
        if turn.intent is Intent.REGISTER or (cmd == parse.RESUME and draft is not None):
            return self.start(turn, draft)
        if cmd == parse.RESUME:
            return self.answer(texts.NOTHING_TO_RESUME, detail={"intake": "resume"})
        if cmd == parse.WITHDRAW:
            return self._withdraw(turn)
        if cmd == parse.DELETE:
            return self.answer(texts.DELETE_PROMPT, detail={"intake": "delete"}, chat_state={"intake": {"await": "delete"}})
        if turn.intent is Intent.PROGRESS or CASE_NUMBER.match(text):
            return self.progress(turn)
        return None

    def start(self, turn, draft: Draft | None) -> Reply:
        """登记: resume a draft, or show the notice and wait for consent (nothing stored until then)."""
        if draft is not None:
            draft.paused = False
            self.store.intake_drafts.save(draft)
            return self.ask(draft, "接着填您上次没填完的登记（回复“重填”可以从头开始）：", "resume")
        text = texts.notice(self.routing.main, self.settings.retention_days, bool(self.routing.places))
        return self.answer(text, detail={"intake": "notice"}, chat_state={"intake": {"await": "consent"}})

    def _answer_prompt(self, turn, awaiting: str, text: str, cmd: str | None) -> Reply | None:
        answer = parse.yes_no(text)
        state = turn.state.get("intake") or {}
        if awaiting == "consent":
            if answer is True:
                draft = Draft(turn.user_id, "kind", {})
                self.store.intake_drafts.save(draft)
                return self.ask(draft, "谢谢您的信任。登记开始，一次回答一个问题。", "consent")
            if answer is False or cmd == parse.CANCEL:  # 取消 / 算了 at the notice: no
                return self.answer(texts.CONSENT_DECLINED, detail={"intake": "declined"})
            return None  # another question: answered as usual, and the notice lapses (nothing kept)
        if awaiting == "withdraw_pick":
            numbers = state.get("cases") or []
            picked = parse.choices(text, tuple((n, n) for n in numbers))
            case = self.store.cases.get(picked[0]) if picked else None
            return self._withdraw_prompt(case) if case else None
        if awaiting == "withdraw":
            case = self.store.cases.get(state.get("case") or "")
            if case is None or case["user_id"] != turn.user_id:
                return None
            if answer is True or cmd == parse.WITHDRAW:
                if case["status"] not in CASE_ENDED:
                    self.store.cases.withdraw(case, ACTOR, "申请人在公众号撤回")
                return self.answer(texts.WITHDRAWN.format(number=case["number"]), detail={"intake": "withdrawn"})
            if answer is False:
                return self.answer(texts.KEPT, detail={"intake": "kept"})
            return None
        if awaiting == "delete" and answer is False:
            return self.answer(texts.KEPT, detail={"intake": "kept"})
        return None

    def _withdraw(self, turn) -> Reply:
        cases = [c for c in self.store.cases.for_user(turn.user_id, open_only=True)]
        if not cases:
            return self.answer(texts.NOTHING_TO_WITHDRAW, detail={"intake": "withdraw"})
        if len(cases) == 1:
            return self._withdraw_prompt(cases[0])
        state = {"intake": {"await": "withdraw_pick", "cases": [c["number"] for c in cases[:9]]}}
        return self.answer(texts.withdraw_choose(cases[:9]), detail={"intake": "withdraw"}, chat_state=state)

    def _withdraw_prompt(self, case: dict) -> Reply:
        state = {"intake": {"await": "withdraw", "case": case["number"]}}
        return self.answer(texts.withdraw_prompt(case), detail={"intake": "withdraw"}, chat_state=state)

    def _delete_all(self, turn) -> Reply:
        """删除我的信息, confirmed: everything the person left here goes, through the project's one erasure
        (storage/retention.py: cases anonymised and ended, drafts, the log, the OpenID kept for pushes)."""
        retention.forget_user(self.store.db, turn.user_id, "申请人（公众号）")
        reply = self.answer(texts.DELETED, detail={"intake": "deleted"})
        with self.store.db.transaction(WAIT_MS):
            self._journal(turn, reply)
        return reply

    def progress(self, turn) -> Reply:
        text = parse.normalise(turn.text)
        cases = self.store.cases.for_user(turn.user_id)
        m = CASE_NUMBER.match(text)
        if m:
            cases = [c for c in cases if c["number"] == m.group(1)]
            if not cases:
                body = f"没有找到登记编号 {m.group(1)}（只能查您自己的登记）。回复“查询”看您的全部登记。"
                return self.answer(body, detail={"intake": "progress"})
        draft = self._draft(turn)
        body = texts.progress(cases, self.settings.promise_days, draft is not None)
        return self.answer(body, detail={"intake": "progress"})

    # helpers the steps use
    def ask(self, draft: Draft, prefix: str = "", what: str = "step") -> Reply:
        if draft.step == steps.CONFIRM:
            body = (prefix + "\n\n" if prefix else "") + texts.summary(draft.data, self.routing)
        else:
            body = texts.step_text(draft.step, draft.data, self.routing, prefix)
        return self.answer(body, detail={"intake": what, "step": draft.step})

    def deadline(self, now: float) -> str:
        hours = self.settings.hours
        moment = datetime.fromtimestamp(now, CHINA_TZ)
        if hours is None:
            return "—"
        end = hours.add_working_days(moment, self.settings.promise_days)
        return f"{end.month}月{end.day}日"

    @staticmethod
    def answer(text: str, outcome: str = Outcome.INTAKE, detail: dict | None = None, chat_state: dict | None = None):
        if len(text.encode("utf-8")) > MAX_REPLY_BYTES:  # never happens with our texts; a guard all the same
            text = text.encode("utf-8")[: MAX_REPLY_BYTES - 3].decode("utf-8", "ignore") + "…"
        return Reply(
            text,
            Outcome(outcome),
            detail=dict(detail or {}),
            chat_state={} if chat_state is None else chat_state,
            log_text=texts.LOG_PLACEHOLDER,
            private=True,
            log_reply=texts.REPLY_LOG_PLACEHOLDER,
        )

    def menu_reply(self, prefix: str) -> Reply:
        body = prefix + "\n\n" + MENU_TEXT
        reply = self.answer(body if len(body.encode()) <= MAX_REPLY_BYTES else prefix, Outcome.MENU)
        reply.chat_state = {"menu": True}
        reply.detail = {"intake": "pause"}
        return reply

    def _journal(self, turn, reply: Reply) -> None:
        self.store.intake_drafts.journal(
            turn.msg_key, turn.user_id, reply.text or "", str(reply.outcome), reply.detail, reply.chat_state
        )
