"""One incoming text message as the conversation sees it: who, what, and the state left by the last reply."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from dialogue.intents import Intent, detect_intent
from storage import Store


@dataclass
class Turn:
    user_id: str  # keyed pseudonym (what is stored)
    text: str  # the message, cleaned for display (control characters removed, whitespace tidied)
    store: Store
    openid: str = ""  # raw OpenID: in memory only (customer-service API)
    msg_key: str | None = None  # the message's dedup key (MsgId), for work that must happen once per message
    extra: dict = field(default_factory=dict)  # scratch space for steps that run later in the same turn
    dry_run: bool = False  # the console's 试一试: a person with no conversation, and nothing may be written

    @cached_property
    def state(self) -> dict:
        """The conversation state the previous reply left (empty after 30 minutes, see storage.chat_state)."""
        return {} if self.dry_run else self.store.chat.get(self.user_id)

    clicked: Intent | None = None  # a menu button pressed instead of a message typed
    answerable: Callable[[str], bool] | None = None  # does the FAQ answer this with confidence? (see detect_intent)

    @cached_property
    def intent(self) -> Intent | None:
        """What the message asks the bot to do (a person, registering a case, …), if anything. Right after the
        handoff reply the conversation is about reaching staff: its context (12309) does not silence the classifier."""
        in_conversation = bool(self.state.get("ctx")) and not self.state.get("handoff")
        return self.clicked or detect_intent(self.text, in_conversation=in_conversation, answerable=self.answerable)
