"""detect_danger: the phrase rules, the updates after an emergency reply, then the trained classifier with the guards
that keep it from alarming on calm messages that share danger's words."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import zhconv

from dialogue.intents import without_person_request
from dialogue.safety.rules import (
    rule_danger,
)
from dialogue.safety.updates import (
    _BACK_AGAIN,
    _BODY_NOW,
    _HELP_ARRIVED,
    _OVER_NOW,
    _SAFE_NOW,
    _STILL_ANY,
    _THREAT_LEFT,
    STILL_MAX_CHARS,
    in_hand,
    still_in_danger,
)
from dialogue.safety.words import (
    _ABANDONED,
    _ACUTE,
    _AFTER_MY_DEATH,
    _ANGER_FIGURE,
    _ANIMAL_ILL,
    _ASKS_URGENTLY,
    _ASKS_WHAT_LAW_GIVES,
    _BEREAVED,
    _BOSS_AWAY,
    _BOSS_GONE,
    _BUILDING_WORK,
    _CALM_STATUS,
    _CHILD_CARE,
    _CHILD_CARE_WORDS,
    _CHILD_HARM,
    _CLAUSE_BREAK,
    _COMING_DOWN,
    _CRIES_HURRY,
    _DEATH_WISH_FIGURE,
    _DESPAIR_WORDS,
    _DISMISSED,
    _DIVORCE,
    _ERRAND_HELP,
    _ESTATE,
    _EVERYDAY_TROUBLE,
    _FICTION,
    _FIGURATIVE_DEATH,
    _GAME_TALK,
    _GOING_ON_AGAIN,
    _GROUP_KICK,
    _HARASSMENT,
    _HARM,
    _HIGH_PLACE,
    _HURT_IN_THE_NOISE,
    _IDIOM_PLAIN,
    _IDIOMS,
    _ILLNESS_ASKED,
    _IN_GAME,
    _KID,
    _LEGAL_QUESTION,
    _LOSS,
    _MENDING,
    _NEWS_REPORT,
    _OBJECT_MISHAP,
    _ONLINE_ABUSE,
    _OWN_LIABILITY,
    _PAPERS_KEPT,
    _PAST,
    _PHONE_GONE,
    _PREMISES_SHUT,
    _PROTEST,
    _RESOLVED,
    _RIGHT_NOW,
    _ROUTE_FAILED,
    _SAID_OF_ME,
    _SET_ASIDE,
    _SETTLED_NOW,
    _SIGNED_REGRET,
    _SOMEONE_HURT,
    _STATUS_ONLY,
    _TAIL_SIGN,
    _TAKE_IN_LIEU,
    _THEFT,
    _THIEF_HERE,
    _TREATED,
    _VIOLENT_MEANS,
    CATEGORIES,
    CHILD,
    INJURY,
    SELF_HELP,
    SUICIDE,
    VIOLENCE,
    Danger,
    _clause_break_after,
    _ends_resolved,
    _hypothetical,
    _in_game,
    _just_the_job,
    _lawful_plan,
    _present_again,
    _told_from_hospital,
)
from dialogue.textmodel import TextModel, ideographs
from dialogue.texts import THANKS

MODEL_FILE = Path(__file__).resolve().parent.parent / "safety_model.npz"  # written by `python bot.py bench safety --write`
MODEL_THRESHOLD = 0.5  # danger probability above which the classifier's word counts (see docs/benchmarks.md)
# An old story told to ask a legal question (以前…打过我 现在想离 咋申请) needs a surer classifier: the rules, which read
# the time, already had their say, and the story's words alone look like danger to a bag of characters.
MODEL_THRESHOLD_PAST_QUESTION = 0.85
MODEL_MIN_CHARS = 4  # shorter messages (numbers, 好的, 在吗) carry too little for the classifier: rules only


@cache
def _model() -> TextModel | None:
    return TextModel(MODEL_FILE) if MODEL_FILE.exists() else None


# 儿子说我要是不给钱 他就去死: what is reported is the speaker's own threat, not words about the writer
_THEIR_OWN_THREAT = re.compile(r"(?:他|她)(?:就|要)(?:去死|死|跳|喝药|吃药|吃安眠药|上吊|不活)")


def _mending(t: str) -> bool:
    """An injury told afterwards, treated and mending (上周…缝了十几针 现在在家养着), nothing new said of it."""
    return bool(
        _PAST.search(t)
        and _TREATED.search(t)
        and _MENDING.search(t)
        and not (_BACK_AGAIN.search(t) or _GOING_ON_AGAIN.search(t) or _CRIES_HURRY.search(t))
    )


def detect_danger(
    text: str, ongoing: bool = False, after: str = "", alarm_before: bool = False, _tail: bool = False
) -> Danger | None:
    """The danger a message reports as happening now, or None: the phrase rules, then the trained classifier.
    `ongoing`: the previous reply was an emergency reply or about domestic violence (see rule_danger); `after`: the
    danger that reply was about (violence for domestic violence), for the short updates that only make sense after
    it (他又来了, 人还没醒, 娃还没回来); `alarm_before`: that reply was an emergency reply, so distress with no word of
    what (咋办啊 快点, 救护车还没到) is the same danger still going on."""
    if not text or len(text) > 400:
        return None
    text = zhconv.convert(text, "zh-cn")  # 打緊我, 遺書: the rules are written in simplified characters
    text = _SET_ASIDE.sub("，", _ANGER_FIGURE.sub("很生气", _GROUP_KICK.sub("移出群", text)))
    if _DEATH_WISH_FIGURE.search(text) and _EVERYDAY_TROUBLE.search(text) and not _LOSS.search(text):
        text = _DEATH_WISH_FIGURE.sub("很烦", text)  # 我都想死的心都有了 工资被扣了一半: exasperation over money
    t = re.sub(r"\s+", "，", text.strip())
    mending = _mending(t)
    found = rule_danger(t, ongoing)
    if found is None and after:
        found = still_in_danger(t, after, alarm_before)
    if found is None and not _tail and not mending and (reset := _present_again(t)) is not None and reset > 0 and _TAIL_SIGN.search(t[reset:]):
        # 他以前也推过我 但没这么严重 刚才他用锤子砸我的手: the part told in the present, read on its own (the history
        # before it dilutes the classifier and lends its past to the rules)
        found = detect_danger(t[reset:], ongoing, after, alarm_before, _tail=True)
    model = _model()
    if model is None:
        return found
    if found is not None:
        return found
    if ideographs(text) < MODEL_MIN_CHARS:
        return None
    if (over := list(_RESOLVED.finditer(t))) and _ends_resolved(t, over[-1].end()):
        return None  # 现在好多了, 已经消了: over, for the classifier as for the rules (but not 刚出院 他又打我了)
    over = _OVER_NOW.search(t) or _HELP_ARRIVED.search(t)
    if alarm_before and over and not _BACK_AGAIN.search(t) and not _STILL_ANY.search(_HELP_ARRIVED.sub("，", _OVER_NOW.sub("，", t))):
        return None  # 警察来了 把他带走了, 血止住了 现在在医院缝针, right after an emergency reply: handled
    if (
        alarm_before
        and ideographs(t) <= STILL_MAX_CHARS
        and in_hand(t)
        and not (_BACK_AGAIN.search(t) or _STILL_ANY.search(t) or _BODY_NOW.search(t))
    ):
        return None  # 手腕包扎好了 不深, 我回屋了 不去天台了, right after an emergency reply: in hand
    if after == VIOLENCE and _THREAT_LEFT.search(t) and not _BACK_AGAIN.search(t):
        return None  # 他走了 我现在去派出所, after violence: the one who hit has gone (走了 is no farewell here)
    if _SAFE_NOW.search(t) and (_LEGAL_QUESTION.search(t) or _DIVORCE.search(t)) and not _BACK_AGAIN.search(t):
        return None  # 这会他睡着了 我在我妈家 申请那个保护令要交钱不: safe somewhere else, asking the legal route
    if (given_up := list(_ABANDONED.finditer(t))) and not _TAIL_SIGN.search(t[given_up[-1].end() :]):
        return None  # 我原来想去跳他门口的塘吓他 算哒 不搞那些 么子叫支付令: a plan given up, nothing harmful after it
    if _hypothetical(t) or _DISMISSED.search(t):
        return None
    if (news := _NEWS_REPORT.search(t)) and not re.search(r"我|俺|咱", t[news.end() :]):
        return None  # 看新闻说有个工地塔吊倒了 死了好几个人: news about others, for the classifier as for the rules
    rest = without_person_request(text) if not ongoing else None
    if rest is not None and not _HARM.search(rest):
        return None  # 你们这是糊弄人 我要找真的检察官: anger at the bot, and a request for a person (rules matched)
    if THANKS.match(text.strip()) and not ongoing:
        return None  # 多谢你们了 after an answer is thanks; after a despairing message it may be a farewell
    if _FICTION.search(t) and not _HARM.search(_GAME_TALK.sub("，", _FICTION.sub("", t))):
        return None  # make-believe for the classifier (but 像电影里那样把我们全家弄死 is a threat, 学游戏里的跳下来 a fall)
    if _IN_GAME.search(t) and all(_in_game(c) or _GAME_TALK.search(c) for c in _CLAUSE_BREAK.split(t) if _HARM.search(c)):
        return None  # 我在游戏里跳楼自杀了 因为复活更快: every clause with harm in it is inside the game
    p = model.probabilities(_IDIOMS.sub(lambda m: _IDIOM_PLAIN.get(m.group(0), "，"), text))
    danger = 1.0 - p["none"]
    if danger < MODEL_THRESHOLD:
        return None
    if danger < MODEL_THRESHOLD_PAST_QUESTION and _PAST.search(t) and _LEGAL_QUESTION.search(t):
        return None
    ranked = sorted((c for c in CATEGORIES[1:]), key=lambda c: -p[c])
    if (
        _PAST.search(t)
        and _SETTLED_NOW.search(t)
        and (_LEGAL_QUESTION.search(t) or _ASKS_WHAT_LAW_GIVES.search(t))
        and not (_BACK_AGAIN.search(t) or _ASKS_URGENTLY.search(t) or _GOING_ON_AGAIN.search(t))
    ):
        return None  # 娃十岁那年被打得缝了六针 现在娃都十五了 还能告他们家不: harm dated in the past, settled now
    if (
        ranked[0] == INJURY
        and danger < MODEL_THRESHOLD_PAST_QUESTION
        and _told_from_hospital(t)
        and _LEGAL_QUESTION.search(t)
    ):
        return None  # 指头被冲床压断了 在医院住了一礼拜了 工伤咋认定: an injury told afterwards, with a legal question
    if (
        ranked[0] in (INJURY, VIOLENCE)
        and danger < MODEL_THRESHOLD_PAST_QUESTION
        and _TREATED.search(t)
        and _LEGAL_QUESTION.search(t)
        and "又" not in t
        and not _RIGHT_NOW.search(t)
    ):
        return None  # 被醉汉拿砖头拍了头 缝了八针 算工伤吗: treated already, and a legal question
    if ranked[0] in (VIOLENCE, SUICIDE, INJURY) and _just_the_job(t):
        return None  # 对了 我已经辞了不干了, 现在我怀孕了 他就要辞我: leaving or losing a job, nothing else beside it
    if (after_me := _AFTER_MY_DEATH.search(t)) and not _DESPAIR_WORDS.search(t[: after_me.start()] + t[after_me.end() :]):
        return None  # 残疾儿子三十了 我死了以后谁管他: who will care for them one day, no despair now
    if _BEREAVED.search(t) and _ESTATE.search(t) and not _DESPAIR_WORDS.search(_BEREAVED.sub("，", t)):
        return None  # 现在我妈走了 她不让我们分: a death in the family, and its estate
    if ranked[0] == CHILD and _CHILD_CARE.search(t) and not _CHILD_HARM.search(_CHILD_CARE_WORDS.sub("", t)):
        return None  # 娃他爸进去了，没人养娃: a question about support, not a child in danger
    if ranked[0] == INJURY and _ILLNESS_ASKED.search(t) and not _ACUTE.search(t) and not _RIGHT_NOW.search(t):
        return None  # 血压高吃啥药好 我妈一直头晕: an illness asked about, nothing happening now
    if ranked[0] in (INJURY, CHILD) and _OBJECT_MISHAP.search(t) and not _SOMEONE_HURT.search(t):
        return None  # 手机掉水里了 开不了机: a thing fell, nobody did
    if not (ongoing or after or alarm_before) and _STATUS_ONLY.fullmatch(t):
        return None  # 在火车上, 娃放学了, 刚打完吊瓶: where one is, what one is doing, and nothing else
    if _CALM_STATUS.search(t) and not (
        _HARM.search(calm := _CALM_STATUS.sub("，", t)) or _DESPAIR_WORDS.search(calm) or _ACUTE.search(t)
    ):
        return None  # 我已经在领养老金了, 我在外地: the situation told, nothing of harm beside it
    if ranked[0] == CHILD and not (after or alarm_before) and _BOSS_GONE.search(t) and not re.search(_KID, t):
        rest = _PHONE_GONE.sub("，", _BOSS_GONE.sub("，", t))
        if not (_HARM.search(rest) or _DESPAIR_WORDS.search(rest)):
            return None  # 现在人跑了 电话关机: the one who owes the wages is gone, no child is missing (right after an
            # emergency reply it may be the person in danger who ran off)
    if ranked[0] == CHILD and _ONLINE_ABUSE.search(t) and _LEGAL_QUESTION.search(t) and danger < MODEL_THRESHOLD_PAST_QUESTION:
        return None  # 在快手上骂我 还把我和我娃的照片挂出来 能告他不: abuse online, asked about in law
    if (
        ranked[0] in (CHILD, VIOLENCE)
        and _BUILDING_WORK.search(t)
        and not _HURT_IN_THE_NOISE.search(t)
        and (ranked[0] == CHILD or not _HARM.search(_BUILDING_WORK.sub("，", t)))
    ):
        return None  # 对门装修 晚上十点了还在砸墙 娃要睡觉, 邻居空调外机嗡嗡响一晚上: noise next door
    if ranked[0] == SELF_HELP and _PROTEST.search(t) and not (
        _HIGH_PLACE.search(t) or _DESPAIR_WORDS.search(rest_of_protest := _PROTEST.sub("，", t)) or _VIOLENT_MEANS.search(rest_of_protest)
    ):
        return None  # 实在不行我就去市政府门口拉横幅: a protest, nothing dangerous said beside it
    if mending:
        return None  # 上周…手被传送带卷进去缝了十几针 现在在家养着: treated, and mending
    if _BOSS_AWAY.search(t) and _PREMISES_SHUT.search(t):
        rest = _PREMISES_SHUT.sub("，", _BOSS_AWAY.sub("，", t))
        if not (_HARM.search(rest) or _DESPAIR_WORDS.search(rest)):
            return None  # 老板躲起来了 厂门一直锁着: the works shut, nobody locked in
    for job_matter in (_PAPERS_KEPT, _SIGNED_REGRET, _ERRAND_HELP):
        if job_matter.search(t) and not (_HARM.search(rest := job_matter.sub("，", t)) or _DESPAIR_WORDS.search(rest)):
            return None  # 身份证收走了 说干满三个月才还, 我已经签了 后悔了咋办, 我一个人弄不来: the errand, not harm
    if _THEFT.search(t) and not _THIEF_HERE.search(_THEFT.sub("，", t)):
        return None  # 家里进贼了 丢了一条金项链: a theft to report, the thief gone and nobody hurt
    if _ANIMAL_ILL.search(t) and not _SOMEONE_HURT.search(_ANIMAL_ILL.sub("，", t)):
        return None  # 牛嘴里起泡流口水 好像是口蹄疫: a sick animal
    if ranked[0] == SUICIDE and _HIGH_PLACE.search(t) and _COMING_DOWN.search(t):
        return None  # 我在塔吊上 信号不好 下来再给你回电话: up high, and says when they come down
    if ranked[0] == VIOLENCE and _HARASSMENT.search(t) and not _RIGHT_NOW.search(t):
        return None  # 工长老是动手动脚 还拿扣工钱吓唬我: harassment told as a pattern, nothing said of now
    if ranked[0] == SELF_HELP and danger < MODEL_THRESHOLD_PAST_QUESTION and _LEGAL_QUESTION.search(t) and not _RIGHT_NOW.search(t):
        return None  # 讨薪堵门犯法吗 我们就在门口站着: asks whether it is lawful, not a plan under way
    if ranked[0] == SUICIDE and _FIGURATIVE_DEATH.search(t):
        calm = model.probabilities(_FIGURATIVE_DEATH.sub("", text))
        if 1.0 - calm["none"] < MODEL_THRESHOLD:
            return None  # 被欺负死了也不吭声: without the figure of speech nothing despairs
    if ranked[0] in (SELF_HELP, VIOLENCE) and _OWN_LIABILITY.search(t) and danger < MODEL_THRESHOLD_PAST_QUESTION:
        return None  # 把他车划了 现在他要我赔 我要坐牢吗: asking what the writer has to answer for
    if (
        ranked[0] == SUICIDE
        and (said := _SAID_OF_ME.search(t))
        and not _THEIR_OWN_THREAT.search(t[said.start() : _clause_break_after(t, said.end())])
    ):
        told = t[: said.start()] + t[_clause_break_after(t, said.end()) :]
        if 1.0 - model.probabilities(_IDIOMS.sub(lambda m: _IDIOM_PLAIN.get(m.group(0), "，"), told))["none"] < MODEL_THRESHOLD:
            return None  # 儿子说我活着就是累赘 一分钱不给: someone else's words about the writer
    if ranked[0] == SELF_HELP and _TAKE_IN_LIEU.search(t) and _LEGAL_QUESTION.search(t) and not _RIGHT_NOW.search(t) and not _VIOLENT_MEANS.search(t):
        return None  # 把他那辆车开走抵工钱 中不中: asks whether a way to get paid is allowed, and it hurts nobody
    if ranked[0] == SELF_HELP and _lawful_plan(_ROUTE_FAILED.sub("，", t)):
        return None  # 跟他拼到底，明天就去仲裁: the lawful route, said in anger
    also = tuple(c for c in ranked[1:] if p[c] >= 0.25)
    return Danger(ranked[0], f"model {danger:.2f}", also)
