"""The line under the answers that lead to a registration (欠薪, 赡养费, 抚养费, 家暴, 工伤, 残疾人), and the reminder
of a registration left unfinished: a dialogue Delivery, added to an FAQ answer only when it still fits WeChat's
2048 bytes."""

from __future__ import annotations

from dialogue.reply import Reply
from dialogue.texts import MAX_REPLY_BYTES
from storage import Store
from storage.vocab import Outcome

OFFER = "回复 登记，让检察院工作人员联系您"
UNFINISHED = "（您有一份没填完的登记，回复“继续登记”接着填）"
# Topics whose every answer may end in a registration, and topics where only the answers about 赡养费 / 抚养费 do.
OFFER_TOPICS = frozenset(
    {"wage_arrears", "criminal_wage", "work_injury", "domestic_violence", "disabled", "support_prosecution"}
)
SUPPORT_TOPICS = frozenset({"elderly", "minors", "women", "legal_aid"})
SUPPORT_WORDS = ("赡养", "抚养费")


class RegisterOffer:
    in_preview = True  # the console's 试一试 shows the offer as a new person would get it

    def __init__(self, store: Store):
        self.store = store

    def deliver(self, turn, reply: Reply) -> Reply:
        if reply.outcome not in (Outcome.ANSWERED, Outcome.TENTATIVE, Outcome.MENU) or not reply.text or "intake" in reply.detail:
            return reply
        line = None
        draft = None if turn.dry_run else self.store.intake_drafts.get(turn.user_id)
        if draft is not None and not draft.expired:
            line = UNFINISHED
        elif reply.outcome != Outcome.MENU and self._offers(reply):
            line = OFFER
        if line and len((reply.text + "\n\n" + line).encode("utf-8")) <= MAX_REPLY_BYTES:
            reply.text += "\n\n" + line
            reply.detail["offer"] = "resume" if line == UNFINISHED else "register"
        return reply

    def _offers(self, reply: Reply) -> bool:
        if reply.topic in OFFER_TOPICS:
            return True
        if reply.topic in SUPPORT_TOPICS and reply.faq_id:
            return offers({"topic": reply.topic, **(self.store.faq.get(reply.faq_id) or {})})
        return False


def offers(entry: dict) -> bool:
    """Whether an FAQ entry's answer ends with the offer to register."""
    topic = entry.get("topic")
    if topic in OFFER_TOPICS:
        return True
    return topic in SUPPORT_TOPICS and any(w in entry.get("question", "") for w in SUPPORT_WORDS)


def with_offer(text: str) -> str:
    """An answer with the offer line under it, when it fits."""
    out = text + "\n\n" + OFFER
    return out if len(out.encode("utf-8")) <= MAX_REPLY_BYTES else text
