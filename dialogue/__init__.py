"""The conversation: safety first, flows, service requests, menu, numbered choices, FAQ answers read in context,
and the fallback. Pure Python, no Flask."""

from dialogue.dialogue import Dialogue, DialogueSettings
from dialogue.reply import Delivery, Flow, Reply

__all__ = ["Dialogue", "DialogueSettings", "Delivery", "Flow", "Reply"]
