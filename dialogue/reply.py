"""What the conversation hands back for one message, and the interfaces of the parts that plug into it."""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING, Protocol

from storage.vocab import Outcome

if TYPE_CHECKING:
    from dialogue.turn import Turn
    from faq.matcher import Decision


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
    # The text repeats what a person entrusted (a registration's summary, a staff message): the copy kept for
    # WeChat's retries is stored encrypted.
    private: bool = False
    # What the consultation log keeps of the reply when not the masked text: a registration's replies repeat names
    # and accounts that masking does not catch, so the log keeps a placeholder for them.
    log_reply: str | None = None


class LlmResponder(Protocol):
    """Optional answers beyond the FAQ (see `llm/`)."""

    def pending_reply(self, user_id: str) -> Reply | None: ...

    def answer(
        self, user_id: str, openid: str, text: str, decision: Decision, msg_key: str | None, outside: bool = False
    ) -> Reply | None: ...


class Flow(Protocol):
    """A conversation with steps that a person goes through in the chat (registering a case, leaving a message
    for staff). The dialogue offers every text message to each flow after the safety check: a flow answers when
    the person is in it or asks to start it, and returns None otherwise."""

    name: str

    def handle(self, turn: Turn) -> Reply | None: ...


class Delivery(Protocol):
    """Messages waiting for a person (a staff reply, a case update) that go out with their next reply. A delivery
    that adds the same to everyone's reply (an offer line) sets `in_preview = True`: the console's 试一试 shows it."""

    def deliver(self, turn: Turn, reply: Reply) -> Reply: ...
