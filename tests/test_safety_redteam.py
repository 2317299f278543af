"""The red-team messages of tests/data/redteam_danger.yaml: the danger detector must not get worse on them.

Floors are what the detector reached at the end of the sixteenth round (each pass's messages were measured once before
the fixes they led to; see docs/benchmarks.md for those first scores): raise them when it gets better, never lower them
to let a change pass.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from dialogue.safety import detect_danger

DATA = Path(__file__).resolve().parent / "data" / "redteam_danger.yaml"
CALM = Path(__file__).resolve().parent / "data" / "calm_statements.yaml"
# of 1,200 danger messages: 1,186 at the end of the sixteenth round (the 14 missed were pass 8's, measured on the final
# code); 1,199 in the seventeenth, whose updates right after an emergency reply are read as the danger going on unless
# they say otherwise (10 of those 14 caught without being tuned on; the other 4 were fixed by name)
MIN_CAUGHT = 1199
MAX_FALSE_ALARMS = 12  # of 1,200 calm ones (19 at the end of the sixteenth round)


def _alarm(item: dict) -> bool:
    after = item.get("after") or ""
    if after:
        return detect_danger(item["text"], ongoing=True, after=after, alarm_before=True) is not None
    return detect_danger(item["text"]) is not None


def test_the_red_team_messages_keep_their_floors():
    items = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    danger = [i for i in items if i["danger"]]
    calm = [i for i in items if not i["danger"]]
    missed = [i["text"] for i in danger if not _alarm(i)]
    alarmed = [i["text"] for i in calm if _alarm(i)]
    assert len(danger) - len(missed) >= MIN_CAUGHT, missed
    assert len(alarmed) <= MAX_FALSE_ALARMS, alarmed


# of 599 short calm messages told mid-conversation (我在外地, 娃还在吃奶, 我想自己去要): 31 alarmed at the start of the
# nineteenth round, 26 at its end (a bag of characters reads a short 我…了 as a farewell; see docs/benchmarks.md); in
# the twentieth: 13 (a city, an age, 晚点说, 等消息, 我再想想, 在手机上查, 下地去了 told as they are); in the
# twenty-first: 10 (a message that is only a status: 我回来了 在家, 手机刚充上电, 娃还在吃奶)
MAX_CALM_ALARMS = 10


def test_short_calm_statements_stay_under_their_cap():
    items = yaml.safe_load(CALM.read_text(encoding="utf-8"))
    alarmed = [i["text"] for i in items if detect_danger(str(i["text"])) is not None]
    assert len(alarmed) <= MAX_CALM_ALARMS, alarmed
