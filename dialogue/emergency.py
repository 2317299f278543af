"""The reply to a message about danger now: the emergency step first, in one short line, then the legal route.

Numbers: 110 (police), 120 (ambulance), 119 (fire), 12356 — the national psychological-assistance hotline
(国家卫生健康委《关于应用“12356”全国统一心理援助热线电话号码的通知》, December 2024; every region connected to it
by 2025-05-01), 12355 (the Communist Youth League's youth service line), 12338 (women's rights hotline,
《妇女权益保障法》第76条). Every legal sentence names its article; checked against the statute texts.
"""

from __future__ import annotations

import re

from dialogue.reply import Reply
from dialogue.safety import CHILD, INJURY, SELF_HELP, SUICIDE, VIOLENCE, Danger
from dialogue.texts import MAX_REPLY_BYTES
from storage.vocab import Outcome

MARK = "【紧急】"

FIRST_LINE = {
    VIOLENCE: MARK + "有危险请马上打 110 报警，先躲到安全的地方（锁好门，去邻居家或人多的地方）。",
    CHILD: MARK + "孩子有危险，请马上打 110 报警；孩子受了伤或落了水，马上打 120。",
    INJURY: MARK
    + "马上打 120 急救；有人被埋、被困，或有触电、着火、中毒危险，同时打 110（着火打 119），别贸然进去救人。",
    SUICIDE: MARK + "您的安全最要紧。请现在就打 12356 心理援助热线（全国统一号码，有人陪您说说话）；"
    "已经伤到自己或有危险，马上打 120 或 110。",
    SELF_HELP: MARK + "请千万别动手、放火、爬高、堵路或喝药：会伤人伤己，还要担法律责任，钱反而更难要。"
    "已经起了冲突或有人有危险，马上打 110。",
}

# Someone already hurt in a fight (倒下了, 头打破了): the ambulance too.
_HURT = re.compile(r"倒下|倒地|打破|打伤|撞倒|撞伤|砍伤|捅伤|头破|流血|出血|骨折|受伤|昏过去|晕过去|不省人事")
_WAGE_WORDS = re.compile(r"工钱|工资|讨薪|要钱|要账|欠薪|老板|包工头|工头|工地|厂里|结账")
_FAMILY_WORDS = re.compile(
    r"老公|男人|丈夫|老婆|媳妇|婆姨|婆婆|公公|前夫|对象|男朋友|我爸|我妈|我哥|我弟|儿子|女儿|家里|他哥|老汉"
)

_ROUTE_WAGE_VIOLENCE = (
    "人安全了以后：\n"
    "1. 受伤的去医院验伤，保存病历、照片、视频和报警回执，记下在场的人；\n"
    "2. 对讨要工资的人动手或者暴力威胁，属于拒不支付劳动报酬罪的“造成严重后果”"
    "（《拒不支付劳动报酬刑事案件解释》第5条）；\n"
    "3. 欠的工钱接着要：到人社局劳动保障监察投诉（12333），检察院也可以支持起诉（12309）。"
)
_ROUTE_FAMILY_VIOLENCE = (
    "安全以后：\n"
    "1. 去医院验伤，保存病历、照片、报警回执；\n"
    "2. 可以向法院申请人身安全保护令，法院受理后72小时内作出，情况紧急的24小时内作出"
    "（《反家庭暴力法》第23条、第28条）；\n"
    "3. 也可以向妇联、居委会或村委会求助（《反家庭暴力法》第13条），妇女维权热线 12338。"
)
_ROUTE_VIOLENCE = (
    "安全以后：去医院验伤，保存病历、照片、视频和报警回执，记下在场的人，由公安机关依法处理。"
    "如果动手的是家里人，还可以向法院申请人身安全保护令（《反家庭暴力法》第23条）。"
)
# Being locked in or kept from leaving (把我关屋里, 不让出门): say what the law calls it.
_CONFINED = re.compile(
    r"关(?:在|进)?(?:屋|房|家|里|起来|着)|锁(?:在|进)?(?:屋|房|家|里|起来|着)|不让(?:我)?(?:走|出门|出去|离开)|手机(?:也|都)?(?:被)?(?:收|抢|没收)"
)
_CONFINED_LINE = (
    "把人关起来、不让走，是限制人身自由：家里人这样做是家庭暴力（《反家庭暴力法》第2条）；"
    "非法剥夺他人人身自由的，可能构成非法拘禁罪（《刑法》第238条）。"
)
_ROUTE_CHILD = (
    "任何人发现孩子受到侵害，都有权劝阻、制止，或者向公安、民政、教育等部门检举、控告"
    "（《未成年人保护法》第11条）；孩子需要心理疏导、法律帮助，可以打 12355 青少年服务台。"
)
# The one hurting the child is family: the protection order, asked for on the child's behalf.
_CHILD_FAMILY = re.compile(
    r"他爸|她爸|孩子爸|孩他爸|娃他爸|后爸|后妈|继父|继母|我爸|我妈|老公|男人|前夫|爷爷|奶奶|家里人|亲爹|亲妈"
)
_ROUTE_CHILD_FAMILY = (
    "打孩子的是家里人，这是家庭暴力：孩子的近亲属、公安、妇联、居委会或村委会可以代孩子向法院申请人身安全保护令"
    "（《反家庭暴力法》第23条第2款）。"
)
_ROUTE_INJURY = (
    "人送医以后：拍下现场照片，记下时间地点和在场工友的电话。在干活时受的伤，单位要在30日内申请工伤认定；"
    "单位不申请的，本人、近亲属或工会在1年内可以自己向人社局申请（《工伤保险条例》第17条）。"
)
_ROUTE_SUICIDE = (
    "您愿意说出来，就很不容易。工钱和别的难处都有办法，我们一起想：欠薪可以向人社局劳动保障监察投诉（12333），"
    "可以找法律援助（12348），讨薪困难的农民工，检察院可以支持起诉（12309）。您也可以先把难处告诉我。"
)
_ROUTE_SELF_HELP = (
    "讨薪要走合法渠道，用非法手段讨薪的要依法处理（《保障农民工工资支付条例》第52条）。可以这样要：\n"
    "1. 到人社局劳动保障监察投诉（12333）；\n"
    "2. 人社部门责令支付后老板仍不给的，可能构成拒不支付劳动报酬罪，可以向公安报案（《刑法》第276条之一）；\n"
    "3. 讨薪困难的农民工，检察院可以支持起诉（12309）。"
)

# FAQ entries offered by number after the route, first the one that continues the route
_CHOICES = {
    "wage_violence": ("crime-violence", "wage-complain-where"),
    "family_violence": ("dv-what-to-do", "dv-protection-order-apply"),
    "violence": ("dv-what-to-do", "crime-violence"),
    CHILD: ("minor-report-abuse", "dv-child-abuse-report"),
    INJURY: ("injury-apply-deadline", "injury-what-counts"),
    SUICIDE: ("wage-complain-where", "sp-what-is"),
    SELF_HELP: ("wage-lawful-claim", "crime-how-report"),
}
_TOPIC = {
    "wage_violence": "criminal_wage",
    "family_violence": "domestic_violence",
    "violence": "domestic_violence",
    CHILD: "minors",
    INJURY: "work_injury",
    SUICIDE: "wage_arrears",
    SELF_HELP: "wage_arrears",
}


# Right after an emergency reply, an update that says the danger goes on (风好大, 人还没醒, 他在撬锁): the emergency line
# again and one short step for the moment, not the legal route a second time
STILL_STEP = {
    VIOLENCE: "先顾安全，打完 110 再跟我说。不方便出声的，躲进能锁门的屋子，或者请邻居、路人帮您报警。",
    CHILD: "孩子不见了，马上打 110，说清楚孩子的样子、穿着和最后在哪儿见到的；孩子还在水里的，大声喊人、打 110，不会水的别跳下去，"
    "递竹竿、绳子或能漂的东西；受了伤或救上来了，马上打 120，照接线员说的做。",
    INJURY: "等 120 的时候：别随便搬动摔伤、砸伤的人；出血的，用干净的布用力按住伤口；派人到路口接救护车。",
    SUICIDE: "我在这儿陪着您。请先离开楼顶、水边这些地方，现在就打 12356，或者给一个信得过的人打电话，请他过来陪您。",
    SELF_HELP: "先停下来：从高处下来，把刀、汽油、打火机放下；已经着了火的，人先撤开，马上打 119。工钱的事有办法：人社局劳动保障监察 12333，"
    "检察院 12309，我也可以一步步告诉您怎么要。",
}


# How to tell the bot the danger is over (安全了 is read as such right after an emergency reply)
STILL_EXIT = "已经安全了，就回一句“安全了”，我们接着说您的事。"


SAFE_AGAIN_TEXT = "听您这么说就放心了。接着说您的事：{how}"
_SAFE_AGAIN_HOW = ("直接把情况告诉我就行。", "回复上面的数字看详细说明，或者直接把情况告诉我。")


def safe_again_reply(has_choices: bool = False, category: str = "") -> Reply:
    """安全了, 孩子找到了 right after an emergency reply (and nothing asked): glad of it, and what comes next (the
    numbers only when the reply before offered some; after despair, the hotline stays)."""
    text = SAFE_AGAIN_TEXT.format(how=_SAFE_AGAIN_HOW[has_choices])
    if category == SUICIDE:
        text += "\n心里还难受，随时打 12356。"
    return Reply(text, Outcome.MENU, detail={"route": "safe_again"})


# 嗯, 好的, 谢谢 right after an emergency reply: a word that the line stays open, with the number for that danger
AFTER_ALARM_THANKS = {
    SUICIDE: "我一直在这儿。心里难受就给我发消息，或者现在就打 12356，有人陪您说说话。",
    VIOLENCE: "注意安全。有危险随时打 110；安全了，我们接着说您的事。",
    CHILD: "孩子有危险随时打 110，受了伤打 120；有消息了，我们接着说。",
    INJURY: "先顾着人。情况不对随时打 120；送医以后，我们接着说工伤的事。",
    SELF_HELP: "千万别动手、别爬高。工钱的事我们接着想办法：人社局劳动保障监察 12333，检察院 12309。",
}


def after_alarm_thanks(category: str) -> Reply:
    category = category if category in AFTER_ALARM_THANKS else VIOLENCE
    return Reply(AFTER_ALARM_THANKS[category], Outcome.MENU, topic=_TOPIC[category], detail={"route": "after_alarm_thanks"})


def still_reply(category: str, text: str = "", hurt: bool = False) -> Reply:
    """The reply to an update right after an emergency reply that carries the danger on: the line for the danger the
    conversation is about, 120 as well when the update says someone is hurt now, and one step for the moment."""
    category = category if category in STILL_STEP else VIOLENCE
    head = FIRST_LINE[category]
    if category in (VIOLENCE, SELF_HELP) and (hurt or _HURT.search(text)):
        head += "有人受伤，马上打 120。"
    return Reply(
        head + "\n\n" + STILL_STEP[category] + "\n" + STILL_EXIT,
        Outcome.EMERGENCY,
        topic=_TOPIC[category],
        detail={"danger": category, "route": "still"},
    )


# "有电话能打不", "打哪个电话", "找谁" right after an emergency reply: the person asks for the number again.
ASKS_FOR_NUMBER = re.compile(r"电话|号码|热线|打哪|打几|打啥|打什么|打多少|找谁|找哪|联系谁|咋联系|怎么联系|打给谁")
NUMBER_QUESTION_MAX_CHARS = 14

NUMBERS = {
    VIOLENCE: "马上打 110 报警；有人受伤打 120。家里人动手的，妇女维权热线 12338。",
    CHILD: "孩子有危险马上打 110，受伤打 120；孩子需要心理疏导、法律帮助，打 12355 青少年服务台。",
    INJURY: "马上打 120 急救；有人被困、被埋，或有触电、着火、中毒危险，同时打 110（着火打 119）。",
    SUICIDE: "12356 心理援助热线（全国统一号码，随时有人接）；已经伤到自己或有危险，马上打 120 或 110。"
    "孩子、青少年也可以打 12355 青少年服务台。",
    SELF_HELP: "已经起了冲突或有人有危险，马上打 110。工钱的事：人社局劳动保障监察 12333，检察院 12309。",
}


# 妇联管不管, 法院能不能: a question about one office, answered by the FAQ rather than the list of numbers
_NAMES_AN_OFFICE = re.compile(r"妇联|法院|派出所|公安|检察院|居委会|村委会|律师|人社|劳动局|民政|残联")


def asks_for_number(text: str) -> bool:
    """A short question for the number to call (asked right after an emergency reply)."""
    return (
        len(text) <= NUMBER_QUESTION_MAX_CHARS
        and bool(ASKS_FOR_NUMBER.search(text))
        and not _NAMES_AN_OFFICE.search(text)
    )


def numbers_reply(category: str) -> Reply:
    """The numbers again, for someone who asks for them after an emergency reply (the dialogue keeps the danger
    ongoing in the conversation state)."""
    category = category if category in NUMBERS else VIOLENCE
    return Reply(
        MARK + NUMBERS[category],
        Outcome.EMERGENCY,
        topic=_TOPIC[category],
        detail={"danger": category, "route": "numbers"},
    )


def _route(danger: Danger, text: str) -> tuple[str, str]:
    """(route key, route text) for the category, read with the words of the message."""
    if danger.category == VIOLENCE:
        if _WAGE_WORDS.search(text) and not _FAMILY_WORDS.search(text):
            return "wage_violence", _ROUTE_WAGE_VIOLENCE
        if _FAMILY_WORDS.search(text):
            return "family_violence", _ROUTE_FAMILY_VIOLENCE
        return "violence", _ROUTE_VIOLENCE
    if danger.category == CHILD and _CHILD_FAMILY.search(text):
        return CHILD, _ROUTE_CHILD + "\n" + _ROUTE_CHILD_FAMILY
    routes = {CHILD: _ROUTE_CHILD, INJURY: _ROUTE_INJURY, SUICIDE: _ROUTE_SUICIDE, SELF_HELP: _ROUTE_SELF_HELP}
    return danger.category, routes[danger.category]


def emergency_reply(danger: Danger, text: str, questions: dict[str, str], answer: Reply | None = None) -> Reply:
    """The emergency reply: the emergency line, then the legal route.

    `questions` maps FAQ entry ids to their questions (entries offered by number); `answer` is the FAQ's confident
    answer to the message, if it has one and it fits: it then serves as the route ("他拿着刀 保护令咋申请")."""
    lines = [FIRST_LINE[danger.category]]
    if danger.category in (VIOLENCE, SELF_HELP) and _HURT.search(text):
        lines[0] += "有人受伤，马上打 120。"
    if SUICIDE in danger.also and danger.category != SUICIDE:
        lines.append(FIRST_LINE[SUICIDE].removeprefix(MARK))
    elif SELF_HELP in danger.also and danger.category != SELF_HELP:
        lines.append(FIRST_LINE[SELF_HELP].removeprefix(MARK))
    head = "\n".join(lines)
    detail = {"danger": danger.category, "also": list(danger.also), "rule": danger.rule}
    # A person in despair gets the words written for them, not an FAQ answer that happens to share a phrase.
    usable = answer is not None and answer.text and danger.category != SUICIDE and SUICIDE not in danger.also
    if usable and len((head + "\n\n" + answer.text).encode()) <= MAX_REPLY_BYTES:
        detail["route"] = "faq"
        return Reply(
            head + "\n\n" + answer.text,
            Outcome.EMERGENCY,
            faq_id=answer.faq_id,
            score=answer.score,
            topic=answer.topic,
            detail=detail,
            chat_state={"ctx": {"entry": answer.faq_id, "topic": answer.topic}},
        )
    key, route = _route(danger, text)
    if danger.category == VIOLENCE and _CONFINED.search(text):
        route = _CONFINED_LINE + "\n" + route
    offered = [eid for eid in _CHOICES[key] if eid in questions]
    body = head + "\n\n" + route
    if offered:
        body += "\n\n回复数字看详细说明：\n" + "\n".join(f"{i}. {questions[e]}" for i, e in enumerate(offered, 1))
    detail["route"] = key
    # the entry that continues the route is the conversation's subject: 他这样能判刑吗 after the route for family
    # violence asks what that entry's follow-ups answer
    # (offered, not shown: like a tentative answer's entry, a follow-up's own match is not pushed off it)
    ctx = {"topic": _TOPIC[key], "entry": offered[0], "tentative": True} if offered else {"topic": _TOPIC[key]}
    state = {"choices": offered, "ctx": ctx} if offered else {"ctx": ctx}
    return Reply(body, Outcome.EMERGENCY, topic=_TOPIC[key], detail=detail, chat_state=state)
