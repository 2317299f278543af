"""Danger now: a message saying someone is being hurt, badly injured, in despair, or about to do something violent
or dangerous over wages gets the emergency number before anything else.

The detector is a set of phrase rules in five categories, read together with what the message says about time:
a rule fires only when the danger is happening now (or planned for now: tonight, tomorrow), never for the past
(去年被打过), a resolved case (现在出院了), a hypothetical (要是…), news about someone else, or a general legal
question (自杀算工伤吗). Measured both ways with `python bot.py bench quality` on tests/data/*_safety.yaml:
every danger message caught, and false alarms counted over the ordinary questions of every evaluation set.

Rules come in three strengths:
- STRONG: the words themselves say "now" (救命, 血止不住, 遗书写好了): they fire unless the message is clearly past,
  hypothetical or about news;
- PLAIN: fire unless any sign of past, hypothetical, news, resolution or a legal question is there;
- NOW: fire only together with a sign of the present (正在, 还在, 又, 这会儿, 今晚, 我躲在…);
- STATE: the words describe a body or a scene as it is now (疼得动不了, 喘气都困难, 坐在塔吊上头, 老鼠药拌进饭里):
  a legal question beside them (算工伤吗, 能告他不) does not make them past, so they fire unless the message is
  past, hypothetical, news or over;
- URGENT: the words name the hour themselves (说今晚回来收拾我们, 老板的娃在我家 给钱才送回去): they fire even beside an
  old story and a legal question (以前都忍了…能申请保护令吗), unless the message is hypothetical or about news.
"""

from __future__ import annotations

from dialogue.safety.detect import MODEL_FILE, MODEL_THRESHOLD, detect_danger
from dialogue.safety.rules import rule_danger
from dialogue.safety.updates import UNEXPLAINED, in_hand, is_short_update, over_now
from dialogue.safety.words import CATEGORIES, CHILD, INJURY, SELF_HELP, SUICIDE, VIOLENCE, Danger

__all__ = [
    "CATEGORIES",
    "CHILD",
    "INJURY",
    "MODEL_FILE",
    "MODEL_THRESHOLD",
    "SELF_HELP",
    "SUICIDE",
    "UNEXPLAINED",
    "VIOLENCE",
    "Danger",
    "detect_danger",
    "in_hand",
    "is_short_update",
    "over_now",
    "rule_danger",
]
