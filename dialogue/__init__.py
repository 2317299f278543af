"""The conversation: menu, numbered choices, FAQ answers and the fallback. Pure Python, no Flask."""

from dialogue.dialogue import Dialogue, Reply

__all__ = ["Dialogue", "Reply"]
