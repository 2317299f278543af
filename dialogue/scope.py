"""Is a message about what this bot covers at all? A small classifier (dialogue/textmodel.py, trained by
`python bot.py bench scope --write`) gives the probability that a message is outside the covered topics: consumer
disputes, loans, traffic, neighbours, land, school, health, farming and the like. The conversation uses it to keep
such questions from an unrelated FAQ entry that happens to share their words (房东不退押金 → 押金 entry)."""

from __future__ import annotations

import re
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


# The writer speaks as the employer (我是老板, 作为用人单位, 我开厂的, 我是管人事的, 招了个临时工): the bot answers workers and
# people in difficulty, and an employer's question (how to dismiss, pay less, avoid social insurance) shares their
# words only. Not 老板的司机, not a 包工头 owed money by the boss, not a worker's "HR找我谈话".
_EMPLOYER = re.compile(
    r"我是(?:个|一个)?(?:老板(?!的)|雇主|用人单位|企业主|厂长|店主|hr|HR|人事(?!的人)|管人事的)|我(?:当|做)老板(?!的)|当老板的|老板这边|"
    r"作为(?:用人单位|雇主|老板|公司|企业|hr|HR|人事|单位)|我开(?:了)?(?:个|家|一家)?(?:厂|店|公司|饭店|工厂|餐馆|超市)|(?:hr|HR|人事)小白|"
    r"我们(?:小)?(?:公司|厂|店)(?:里)?(?:要|想|能不能|打算|可以)(?:裁|辞退|开除|降|只给|不给|少交|按最低)|我雇(?:了|的)|"
    r"我(?:家)?请的(?:保姆|阿姨|工人)|招了(?:个|几个|一批)(?:临时工|工人|员工|人)"
)


def employer_asks(text: str) -> bool:
    """Whether the message is an employer's question (see _EMPLOYER): such questions get the fallback."""
    return bool(_EMPLOYER.search(text or ""))
