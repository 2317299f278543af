"""Fixed texts the bot sends: the menu, the welcome, the fallback. Plain Chinese, short enough for a phone."""

from __future__ import annotations

import re

from faq.render import BASIS_PREFIX

# (menu number, label, topics); the WeChat menu CLICK keys are TOPIC_<n>.
MENU = (
    (1, "欠薪讨薪（包工头、老板跑路、去哪投诉）", ("wage_arrears", "criminal_wage")),
    (2, "劳动合同（没签合同、辞退、补偿）", ("labor_contract",)),
    (3, "工伤和社保", ("work_injury", "social_insurance")),
    (4, "劳动仲裁和打官司", ("arbitration_litigation",)),
    (5, "检察院支持起诉", ("support_prosecution",)),
    (6, "法律援助和司法救助", ("legal_aid", "judicial_relief")),
    (7, "妇女权益和家庭暴力", ("women", "domestic_violence")),
    (8, "未成年人保护", ("minors",)),
    (9, "老年人和残疾人权益", ("elderly", "disabled")),
    (10, "检察院能办什么（12309）", ("procuratorate_service",)),
)

HOTLINE = "检察服务热线 12309"

MENU_TEXT = (
    "您好！我是检察院普法小助手，可以解答欠薪讨薪、讨要工资、劳动合同、工伤社保，"
    "以及妇女、未成年人、老年人、残疾人维权和检察院支持起诉等问题。\n\n"
    "请直接用一句话说出您的问题（打字、语音都行），比如“包工头跑了工钱找谁要”。\n"
    "也可以回复数字看常见问题：\n"
    + "\n".join(f"{n}. {label}" for n, label, _ in MENU)
    + "\n\n回复 0 随时回到本菜单。紧急情况请拨 110；具体案件请拨"
    + HOTLINE
    + "。"
)

WELCOME_TEXT = "感谢关注！\n" + MENU_TEXT

FALLBACK_BASE = (
    "抱歉，这个问题我暂时答不上来。我能解答的是：欠薪讨薪、劳动合同、工伤社保、劳动仲裁，"
    "妇女、未成年人、老年人、残疾人维权，以及检察院支持起诉、法律援助、司法救助。\n\n"
    "您可以换个说法再问一次，比如“老板欠工资不给怎么办”；回复 0 看问题菜单。\n"
    "具体案件请拨打" + HOTLINE + "咨询，或到当地检察院 12309 检察服务中心。"
)
LEAVE_MESSAGE_OFFER = "是欠薪、维权方面的事，想让检察院工作人员看看的，回复“留言”。"
# The fallback as the bot sends it: with the staff inbox (inbox/), it offers to pass a message to staff.
FALLBACK_TEXT = FALLBACK_BASE + "\n" + LEAVE_MESSAGE_OFFER
# Before the fallback, for an employer's question (我是老板 员工要去仲裁 我咋应对): who answers those instead
EMPLOYER_LEAD = "这里主要为劳动者和有困难的群众解答。用人单位的用工问题，可以打 12333 问当地人社部门，或者咨询律师。"

SUGGEST_HEAD = "您是不是想问："
SUGGEST_TAIL = "请回复数字查看答案；都不是的话，换个说法再问，回复 0 看菜单，或拨打检察服务热线 12309。"

MAX_REPLY_BYTES = 2048  # WeChat's limit for a passive text reply

TENTATIVE_HEAD = "我理解您问的是："
TENTATIVE_MORE = "如果不是这个意思，您是不是想问："
TENTATIVE_TAIL = "（回复数字查看）"
STORY_OFFER = "您说的情况，可以先看这条解答："  # under the handoff reply, for the story told before asking for a person

TOPIC_LIST_TAIL = "请回复数字查看答案；回复 0 回到菜单。也可以直接说出您的问题。"

VOICE_UNRECOGNISED = (
    "抱歉，没能听清您的语音。请用文字把问题发给我，比如“老板欠工资不给怎么办”；"
    "或回复 0 看问题菜单。具体案件可拨打" + HOTLINE + "。"
)

MEDIA_REPLY = (
    "收到。我目前只能看懂文字和语音，请用一句话描述您遇到的问题，比如“包工头跑了工钱找谁要”；"
    "回复 0 看问题菜单。如需提交证据材料，请到当地检察院 12309 检察服务中心，或拨打" + HOTLINE + "。"
)

EMPTY_TEXT = "请用一句话说出您的问题，或回复 0 看问题菜单。"
# "谢谢", "好的", "收到" after an answer: a short word back, not the whole menu again (the conversation goes on).
_THANKS_WORD = (
    r"(?:谢谢|谢谢你|谢谢您|谢谢你们|多谢你们|感谢你们|谢谢大家|辛苦了|辛苦你们了|辛苦啦|谢谢啦|多谢|谢了|感谢|非常感谢|感恩|好的|好|好嘞|好滴|好哒|行|行嘞|收到|知道了|知道啦|晓得了|晓得啦|明白了|明白|懂了|了解了|清楚了|嗯|嗯嗯|恩|恩恩|哦|噢|ok|OK|Ok|okay|👍|🙏|👌|"
    r"唔该|唔该晒|多谢晒|谢谢嘞|谢谢哈|谢了老铁|谢谢恁|谢谢您嘞|中|中中|要得|得嘞|没麻达|"
    # 再见, 没啥要问的了, 知道咋整了 那俺就去了, 祝你们工作顺利, 你哋真系好: the conversation closed, nothing asked
    r"再见|拜拜|拜|886|没啥要问的了|没(?:有)?(?:别的|其他的?)?(?:问题|要问的)了|知道(?:咋整|咋弄|怎么办|怎么弄|咋办)了|"
    r"(?:那)?(?:我|俺)(?:这)?就去(?:了|办|试试)?|祝(?:你们)?(?:工作顺利|身体健康|一切顺利|好人一生平安)|好人一生平安|帮大忙了|"
    r"(?:你们|你哋)(?:真|真系|真是)?(?:好|好人))"
)
_THANKED_ONE = r"(?:检察官同志|检察官|同志|老铁|娃娃们|你们|姑娘|师傅)?"  # 谢谢检察官同志, 谢谢娃娃们: the one thanked
THANKS = re.compile(r"^(?:" + _THANKS_WORD + _THANKED_ONE + r"[啦了呀啊哈呢哦嘛！!。.~～，,\s]*)+$")
# 能发语音吗: whether the bot takes voice messages (the menu answers: 打字、语音都行)
ASKS_VOICE = re.compile(
    r"^(?:我)?(?:能|可以|能不能|可不可以)(?:直接)?(?:发|用|说|讲)?(?:个)?语音(?:问|说|吗|不)?[吗嘛么不没呢吧啊?？\s]*$"
)
THANKED = re.compile(r"谢|辛苦")  # the THANKS words that thank (好的, 嗯, 收到 only acknowledge)
THANKS_TEXT = "不客气。还有问题随时发给我，打字、语音都行；回复 0 看问题菜单。想找人谈，打检察服务热线 12309。"
# 算了, 那算了吧, 我再想想, 先这样: the person puts the question aside (after an answer: not that answer once more)
PUT_ASIDE = re.compile(
    r"^(?:那|哎|唉|嗯)?[，,\s]*(?:算了|不问了|我再想想|再想想|我想想|先这样|先这样吧|以后再说|回头再说|等等再说)"
    r"[吧啦了呀啊哈！!。.~～，,\s]*$"
)
PUT_ASIDE_TEXT = "好的。想问的时候随时再发给我，打字、语音都行；回复 0 看问题菜单。"


def handoff_text(hotline_hours: str, leave_message: bool) -> str:
    """The honest answer to "is there a person?": an automatic assistant, and how to reach staff."""
    lines = [
        "我是检察院的普法小助手，是自动回复的程序，不是真人。",
        "要找工作人员：",
        f"1. 打 12309 检察服务热线（{hotline_hours}）；",
        "2. 到当地检察院的 12309 检察服务中心当面说（带上身份证和手里的材料）；不方便打电话、跑路的，也可以上 12309 中国检察网或它的手机客户端。",
    ]
    if leave_message:
        lines.append("3. 回复“留言”，把您的事写下来（打字、语音都行），工作人员会回复您。")
    lines.append("请不起律师的，可以打 12348 申请法律援助，讨薪、工伤的农民工不用证明经济困难（法律援助法第42条）。")
    lines.append("")
    lines.append(
        "我能解答欠薪讨薪、劳动合同、工伤社保、劳动仲裁，妇女、未成年人、老年人、残疾人维权，以及检察院支持起诉、"
        "法律援助等问题：您直接把问题发给我就行，回复 0 看问题菜单。紧急情况请拨 110。"
    )
    return "\n".join(lines)


def numbered_block(body: str, head: str, items: list[tuple[str, str | None]], tail: str, start: int = 1) -> tuple[str, int]:
    """`body` with a numbered list under it (`head`, then "N. question" — with its brief answer on the next line when
    that fits — then `tail`), as many items as fit in one reply. Returns the text and how many items fit (0: the body
    unchanged)."""
    lines: list[str] = []
    for k, (question, brief) in enumerate(items):
        number = f"{start + k}. {question}"
        for line in ([f"{number}\n{brief}"] if brief else []) + [number]:
            text = body + "\n\n" + head + "\n" + "\n".join([*lines, line]) + "\n" + tail
            if len(text.encode("utf-8")) <= MAX_REPLY_BYTES:
                break
        else:
            break
        lines.append(line)
    if not lines:
        return body, 0
    return body + "\n\n" + head + "\n" + "\n".join(lines) + "\n" + tail, len(lines)


# An answer that opens with a bare yes or no (能。不合法。算。), and a question asked the other way round (老三能不管我吗,
# 可以不签合同吗): the bare word would read as the answer to the person's own wording, so the entry's question is named
_BARE_YES_NO = re.compile(r"^(?:能|可以|不能|不可以|会|不会|算|不算|有|没有|要|不用|不要|是|不是|违法|不合法|合法)。")
_ASKED_THE_OTHER_WAY = re.compile(r"(?:能|可以|会|用|该)不(?![能行可会用该是])|用不着|不用(?!交钱|花钱)")


def named_if_reversed(answer: str, question: str, asked: str) -> str:
    """The answer, prefixed with the entry's question when it opens with a bare yes or no and the person asked the
    other way round (老三能不管我吗 → "就“子女不赡养老人怎么办？…”来说：…")."""
    if _BARE_YES_NO.match(answer) and _ASKED_THE_OTHER_WAY.search(asked):
        return f"就“{question}”来说：{answer}"
    return answer


def with_note(answer: str, note: str | None) -> str:
    """An answer with a line of the person's own case put in before its legal basis (【依据】…), when it fits."""
    if not note:
        return answer
    head, sep, basis = answer.rpartition("\n\n" + BASIS_PREFIX)
    text = (head + "\n\n" + note + sep + basis) if sep else (answer + "\n\n" + note)
    return text if len(text.encode()) <= MAX_REPLY_BYTES else answer
