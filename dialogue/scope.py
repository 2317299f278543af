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
_HEADCOUNT = r"(?:[0-9一二三四五六七八九十几两百]+个)?"
_HOW_TO_FIND = r"(?!的|工资|工钱|钱)(?=[^。？！?!]{0,30}(?:去哪|哪里|哪儿|哪找|咋找|怎么找|如何|渠道|最快|费用|咋挑|怎么挑))"
_EMPLOYER = re.compile(
    r"我是(?:个|一个)?(?:老板(?!的)|雇主|用人单位|企业主|厂长|店主|hr|HR|人事(?!的人)|管人事的)|我(?:当|做)老板(?!的)|当老板的|老板这边|"
    r"作为(?:用人单位|雇主|老板|公司|企业|hr|HR|人事|单位)|我开(?:了)?(?:个|家|一家)?(?:厂|店|公司|饭店|工厂|餐馆|超市)|(?:hr|HR|人事)小白|"
    r"我们(?:小)?(?:公司|厂|店)(?:里)?(?:要|想|能不能|打算|可以)(?:裁|辞退|开除|降|只给|不给|少交|按最低)|我雇(?:了|的)|"
    r"我(?:家)?请的(?:保姆|阿姨|工人)|招了(?:个|几个|一批)(?:临时工|工人|员工|人)|"
    # hiring (我们厂订单多了 想找劳务公司派人过来, 我是包工头 下个月要二十个小工 去哪找人): the writer is the one who hires
    r"我们(?:小)?(?:厂|公司|店|饭店|工地|项目|车间)[^，。？！,.?!]{0,10}(?:要|想|准备|打算|得)(?:招|找)" + _HEADCOUNT + r"(?:人|工人|小工|普工|员工|临时工|服务员)" + _HOW_TO_FIND + r"|"
    r"找劳务(?:公司|派遣)(?:派|送|介绍)(?:人|工人)|我是(?:个)?包工头[^。？！?!]{0,16}(?:要|缺|招|找)" + _HEADCOUNT + r"(?:人|小工|工人|大工)" + _HOW_TO_FIND
)


def employer_asks(text: str) -> bool:
    """Whether the message is an employer's question (see _EMPLOYER): such questions get the fallback."""
    return bool(_EMPLOYER.search(text or ""))
