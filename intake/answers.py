"""One message inside an active draft: a command (返回, 跳过, 重填, 取消, 暂停), an answer to the current step, or
the confirmation of the summary, which submits the case."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

from dialogue.intents import Intent, detect_intent
from dialogue.reply import Reply
from intake import parse, steps, texts
from intake.kinds import spec
from intake.routing import OTHER_PLACE
from storage.intake_drafts import Draft
from storage.vocab import CaseKind

if TYPE_CHECKING:
    from intake.flow import IntakeFlow

_EDIT = re.compile(r"^(?:改|修改|更改|重填)第?([0-9一二三四五六七八九十]{1,3})(?:项|条)?$")
FREE_TEXT = frozenset({"relation", "name", "place", "party", "since", "account"})


def in_draft(flow: IntakeFlow, turn, draft: Draft, text: str, cmd: str | None) -> Reply | None:
    drafts = flow.store.intake_drafts
    if cmd in (parse.CANCEL, parse.WITHDRAW):
        drafts.delete(draft.user_id)
        extra = "\n已经提交的登记不受影响；要撤回它，请再回复“撤回”。" if cmd == parse.WITHDRAW else ""
        return flow.answer(texts.CANCELLED + extra, detail={"intake": "cancelled"})
    if cmd == parse.PAUSE:
        draft.paused = True
        drafts.save(draft)
        return flow.menu_reply(texts.PAUSED)
    # At a free-text step a longer answer may use the words of a request ("我找过工作人员…"): it is the answer.
    # Inside a draft only the phrase rules count: the classifier's guess reads "工作日上午九点以后" (when to call) as
    # a question about opening hours.
    intent = None if draft.step in FREE_TEXT and len(text) > 6 else turn.clicked or detect_intent(text, in_conversation=True)
    if intent in (Intent.HANDOFF, Intent.LEAVE_MESSAGE):  # a person asked for: the draft waits
        draft.paused = True
        drafts.save(draft)
        return None
    if cmd == parse.DELETE:
        return flow.answer(texts.DELETE_PROMPT, detail={"intake": "delete"}, chat_state={"intake": {"await": "delete"}})
    if intent is Intent.PROGRESS:
        reply = flow.progress(turn)
        reply.text += "\n（您的登记还没填完，接着回答上一个问题就行。）"
        return reply
    if cmd == parse.RESTART:
        draft.data, draft.step = {}, "kind"
        drafts.save(draft)
        return flow.ask(draft, "好的，从头填。", "restart")
    if cmd == parse.BACK:
        previous = steps.previous_step(draft.step, draft.data, flow.routing)
        if previous is None:
            return flow.ask(draft, texts.FIRST_STEP)
        draft.step = previous
        drafts.save(draft)
        return flow.ask(draft, "", "back")
    if cmd == parse.RESUME or intent is Intent.REGISTER:
        return flow.ask(draft, "接着填：", "resume")
    if draft.step == steps.CONFIRM:
        return _confirm(flow, turn, draft, text)
    return _answer(flow, draft, turn.text, cmd)


def _answer(flow: IntakeFlow, draft: Draft, text: str, cmd: str | None) -> Reply:
    name, data, drafts = draft.step, draft.data, flow.store.intake_drafts
    step = steps.BY_NAME[name]
    if cmd == parse.SKIP:
        if step.required:
            return flow.ask(draft, texts.NOT_SKIPPABLE)
        data[name] = None
    elif name == "sensitive":
        answer = parse.yes_no(text)
        if answer is None:
            return flow.ask(draft, "请回复 1 同意，或回复 2 不同意。")
        if not answer:
            drafts.delete(draft.user_id)
            return flow.answer(texts.CONSENT_DECLINED, detail={"intake": "declined_sensitive"})
        data[name] = True
    else:
        try:
            value = steps.read_answer(name, text, data, flow.routing)
        except steps.Invalid as exc:
            return flow.ask(draft, f"没看懂您的回答。{exc}")
        if name == "kind" and data.get("kind") != value:
            for key in steps.KIND_DEPENDENT:
                data.pop(key, None)
            same = [c for c in flow.store.cases.for_user(draft.user_id, open_only=True) if c["kind"] == value]
            if same:
                data["dup_of"] = same[0]["number"]
        if name == "duplicate" and value == "same":
            drafts.delete(draft.user_id)
            return flow.answer(texts.SAME_MATTER, detail={"intake": "duplicate"})
        if name == "county" and value != OTHER_PLACE:
            data.pop("place", None)
        data[name] = value
    draft.step = steps.next_step(data, flow.routing)
    drafts.save(draft)
    return flow.ask(draft, _prefix(flow, draft, name), name)


def _prefix(flow: IntakeFlow, draft: Draft, answered: str) -> str:
    """What to say before the next question: the duplicate warning, or the statutory route's reminder."""
    data = draft.data
    if draft.step == "duplicate":
        case = flow.store.cases.get(data["dup_of"])
        return texts.duplicate_text(case) if case else ""
    if answered == "actions" and steps.needs_advice(data):
        return spec(data.get("kind")).advice
    if answered == "for_whom" and data.get("for_whom") == "child" and spec(data.get("kind")).kind is CaseKind.CHILD_SUPPORT:
        return "提醒：不满十四周岁的孩子，要由父母或其他监护人来登记。"
    return ""


def _confirm(flow: IntakeFlow, turn, draft: Draft, text: str) -> Reply:
    data = draft.data
    m = steps_edit(text)
    if m is not None:
        shown = [s for s in steps.visible(data, flow.routing) if s.name not in ("sensitive", "duplicate")]
        if not 1 <= m <= len(shown):
            return flow.ask(draft, f"没有第 {m} 项，请回复“改”和 1 到 {len(shown)} 之间的序号。")
        name = shown[m - 1].name
        data.pop(name, None)
        if name == "kind":
            for key in steps.KIND_DEPENDENT:
                data.pop(key, None)
        draft.step = steps.next_step(data, flow.routing)
        flow.store.intake_drafts.save(draft)
        return flow.ask(draft, "请重新填写这一项：", "edit")
    if parse.yes_no(text) is not True and text not in ("提交", "确认提交"):
        return flow.ask(draft, "请回复 1 确认提交，或回复“改”和序号修改某一项。")
    if data.get("duplicate") != "new":
        same = [c for c in flow.store.cases.open_with_phone(data["phone"], data["kind"]) if c["user_id"] != turn.user_id]
        if same:
            data["dup_of"] = same[0]["number"]
            draft.step = "duplicate"
            flow.store.intake_drafts.save(draft)
            prefix = texts.duplicate_text(same[0]).replace("您在", "这个手机号在", 1)
            return flow.ask(draft, prefix, "duplicate")
    return _submit(flow, turn, draft)


def steps_edit(text: str) -> int | None:
    m = _EDIT.match(parse.normalise(text).replace(" ", ""))
    if not m:
        return None
    found = parse.choices(m.group(1), tuple((str(i), str(i)) for i in range(1, 100)))
    return int(found[0]) if found else None


def _submit(flow: IntakeFlow, turn, draft: Draft) -> Reply:
    data, now = draft.data, time.time()
    county = data.get("county")
    amount = data.get("amount") or {}
    call = data.get("call_time") or {}
    details = {
        key: data.get(key)
        for key in ("name", "relation", "party", "since", "account", "place")
        if data.get(key)
    }
    if amount:
        details["amount_text"] = amount.get("text")
    if call.get("note"):
        details["call_note"] = call["note"]
    procuratorate = flow.routing.for_county(None if county == OTHER_PLACE else county)
    number = flow.store.cases.create(
        {
            "user_id": turn.user_id,
            "kind": data["kind"],
            "for_whom": data.get("for_whom"),
            "county": county,
            "procuratorate": procuratorate,
            "amount": amount.get("yuan"),
            "amount_approx": amount.get("approx"),
            "actions": data.get("actions") or [],
            "evidence": data.get("evidence") or [],
            "call_time": call.get("code"),
            "phone": data["phone"],
            "details": details,
        },
        now,
    )
    flow.store.openids.remember(turn.user_id, turn.openid)  # staff updates can be pushed for 48 hours
    flow.store.intake_drafts.delete(draft.user_id)
    body = texts.done(number, procuratorate, data, flow.settings.promise_days, flow.deadline(now))
    return flow.answer(body, detail={"intake": "submitted", "case": number})
