"""Is a message about what this bot covers at all? A small classifier (dialogue/textmodel.py, trained by
`python bot.py bench scope --write`) gives the probability that a message is outside the covered topics: consumer
disputes, loans, traffic, neighbours, land, school, health, farming and the like. The conversation uses it to keep
such questions from an unrelated FAQ entry that happens to share their words (房东不退押金 → 押金 entry)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from dialogue.textmodel import TextModel
from faq.lexicon import shipped_lexicon

MODEL_FILE = Path(__file__).with_name("scope_model.npz")


@cache
def _model() -> TextModel | None:
    return TextModel(MODEL_FILE) if MODEL_FILE.exists() else None


def out_of_scope_probability(text: str) -> float:
    """The probability that the message is outside the bot's topics (0.0 when no model is installed). Venting
    (憋屈死了) is left out: it says how the person feels, not what about."""
    model = _model()
    return model.probabilities(shipped_lexicon().calm(text))["out"] if model is not None else 0.0
