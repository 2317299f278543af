"""What a handler gets besides the message."""

from __future__ import annotations

from dataclasses import dataclass

from dialogue import Dialogue


@dataclass
class Context:
    user_id: str  # keyed pseudonym of the OpenID (what is stored)
    openid: str  # raw OpenID: in memory only, for replies and the customer-service API
    dialogue: Dialogue
    msg_key: str | None = None
