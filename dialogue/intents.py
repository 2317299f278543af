"""Requests about the service itself, not about the law: a person, registering a case, its progress, a message
for staff. Recognised by phrase rules (anchored on the request words), so that such a message never reaches the
FAQ matcher: "客服在吗" must not be answered with an FAQ entry that shares a word with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from functools import cache, lru_cache
from pathlib import Path

from dialogue.scope import out_of_scope_probability
from dialogue.textmodel import TextModel, ideographs
from dialogue.texts import THANKS

MODEL_FILE = Path(__file__).with_name("handoff_model.npz")  # `python bot.py bench handoff --write`
MODEL_THRESHOLD = 0.4  # probability above which a message asks for a person (tuned on tests/data/tune*_handoff.yaml)
MODEL_SURE = 0.6  # below this the classifier's guess is borderline and yields to a question of another kind
OUT_OF_SCOPE_SURE = 0.7  # ... such as one the scope classifier places outside the topics with this probability
# (no handoff item of the tuning sets lies in that band; 想找个活干, 莫高窟门票咋预约 did)


class Intent(StrEnum):
    HANDOFF = "handoff"  # a human, the service, "are you a robot?"
    REGISTER = "register"  # register a case / apply for 支持起诉 / have the procuratorate contact me
    PROGRESS = "progress"  # the state of my registration
    LEAVE_MESSAGE = "leave_message"  # leave a message for staff


# The account's menu buttons for these requests (`bot.py wechat menu` publishes them; handlers/events.py reads them).
CLICK_KEYS: dict[str, Intent] = {
    "REGISTER": Intent.REGISTER,
    "PROGRESS": Intent.PROGRESS,
    "LEAVE_MESSAGE": Intent.LEAVE_MESSAGE,
    "HANDOFF": Intent.HANDOFF,
}

_TAIL = r"[吗嘛么呢吧啊呀哇哈嘞撒没有不在?？!！。.，, ~～]*"
_PLEASE = r"(?:请|麻烦|帮我|我要|我想|想|要|能不能|能否|可以|可不可以|我需要|需要|给我)?"

_PROC = r"(?:检察院|检查院|建察院|检察服务中心)"  # with the voice slips people make for it
_NO_ANSWER = r"(?:怎么|咋|为啥|为什么)(?:不说话|不回话|不回了|没反应|不理人|没动静)"  # to the bot, or of a body

# ... 我问个事, 想咨询一下: a question is coming (有人在吗 我问个事), still only asking whether anyone is there
_ASK_COMING = r"(?:[，,\s]*(?:我|俺)?(?:想|要)?(?:问|咨询|请教)(?:个|一下|下|点)?(?:事|事情|问题)?" + _TAIL + r")?"

_ANYONE_THERE = (
    r"^(?:(?:喂+|你好|您好|请问|小助手|同志|hello|hi|哈喽|嗨)[，,\s]*)?(?:(?:在吗|在不在|在么|在嘛|在没|在没有|有人吗|有人没有?|"
    r"有人在吗|有人在不|有没有人|有没有活人|有活人|人呢|在[?？]+|莫得人|没得人|冇人|有冇人)" + _TAIL + r")+" + _ASK_COMING + r"$|^喂+" + _TAIL + "$"
)

# 让检察院联系我, 请工作人员联系我: with an intake flow, a registration (it asks for the phone with consent); without
# one, nobody will call, so the honest handoff answer (see Dialogue._service_request)
CONTACT_ME = r"(?:让|请|叫)(?:检察院|检察官|你们|工作人员)(?:的人)?(?:看到(?:了|后|以后)?)?(?:联系|联络|打电话给|给我打电话|回电话给)我"
_CONTACT_ME_RX = re.compile(CONTACT_ME)


def asks_to_be_contacted(text: str) -> bool:
    """请工作人员联系我, 让检察院看到了给我打电话: asks our staff to get in touch."""
    return bool(_CONTACT_ME_RX.search(text or ""))


_RULES: tuple[tuple[Intent, str], ...] = (
    (Intent.LEAVE_MESSAGE, r"^" + _PLEASE + r"(?:给(?:你们|工作人员|检察官|检察院)?)?留(?:个)?言" + _TAIL + "$"),
    (Intent.LEAVE_MESSAGE, r"(?:给|跟)(?:工作人员|检察官|你们领导|检察院)留(?:个)?(?:言|话)"),
    # 我想留个言 让检察官看看我这事; 我想流言 (voice input's 流言 for 留言) 等你们上班了再看
    (Intent.LEAVE_MESSAGE, r"^(?:我想|我要|想要|我想要|想|要)(?:给你们)?(?:留(?:个)?言|流言)"),
    # the menu button's own words, "怎么留言", "我要反映情况", "写信给检察长"
    (Intent.LEAVE_MESSAGE, r"^留(?:个)?言给(?:工作人员|检察官|你们|检察院|检察长)" + _TAIL + "$"),
    (Intent.LEAVE_MESSAGE, r"^(?:怎么|咋|如何|怎样|在哪里?|哪里可以|能不能|可不可以)(?:给你们)?留(?:个)?言" + _TAIL + "$"),
    (Intent.LEAVE_MESSAGE, r"^" + _PLEASE + r"(?:向你们|向检察院|给检察院)?反映(?:个|一下|一个)?(?:情况|问题)" + _TAIL + "$"),
    (Intent.LEAVE_MESSAGE, r"^" + _PLEASE + r"(?:给|向)?(?:检察长|检察院)(?:写信|信箱)" + _TAIL + "$"),
    (Intent.PROGRESS, r"^(?:查询?|查一下|查查)?(?:登记|案件|案子|申请)?(?:进度|进展|办到哪)" + _TAIL + "$"),
    (Intent.PROGRESS, r"^(?:我的)?(?:登记|案子|案件|申请)(?:办得)?(?:怎么样|咋样|有消息|有结果|到哪)了?" + _TAIL + "$"),
    (Intent.PROGRESS, r"^(?:查询|查进度|查登记)" + _TAIL + "$"),
    (Intent.PROGRESS, r"^(?:查询?|查一下|查查)(?:我的|一下我的)?(?:登记|案件|案子|申请)" + _TAIL + "$"),
    (Intent.REGISTER, r"^" + _PLEASE + r"(?:登记|立案登记|案件登记|在线登记|报名登记)" + _TAIL + "$"),
    (Intent.REGISTER, r"^" + _PLEASE + r"登记(?:一下)?(?:欠薪|欠工资|讨薪|工伤|赡养费|抚养费|家暴|案子|案件|我的事)?"
     + _TAIL + "$"),
    (Intent.REGISTER, r"^(?:我要|我想|想|帮我|请)?(?:申请|让|请)检察院(?:帮我|帮忙)(?:起诉|打官司)" + _TAIL + "$"),
    (Intent.REGISTER, r"^" + _PLEASE + r"申请(?:检察院)?支持起诉" + _TAIL + "$"),
    (Intent.REGISTER, r"(?:我要|我想|想要|帮我|请)(?:申请|找)(?:检察院)?支持(?:我)?起诉"),
    (Intent.REGISTER, CONTACT_ME),
    (Intent.HANDOFF, r"^(?:转)?(?:人工|人工客服|客服|真人|活人|工作人员|值班人员|检察官)(?:服务|在线|在不在|在吗|呢)?" + _TAIL + "$"),
    (Intent.HANDOFF, r"^(?:有|有没有)(?:人|真人|活人|人工|工作人员)(?:在)?" + _TAIL + "$"),
    (Intent.HANDOFF, r"(?:转|找|要|接|叫|喊|换)(?:个)?(?:人工|真人|活人(?!家|干|儿)|客服)"),  # 找活人家不要: looking for work
    (Intent.HANDOFF, r"(?:找|跟|和|同|叫|喊|要)(?:个|一个)?(?:(?:你们|检察院)的?(?:女|男)?(?:的)?工作人员|(?:女|男)的?(?:工作人员|检察官)|工作人员|检察官|你们领导|你们的人|真人)(?:说|聊|谈|讲|通话|对话)?"),
    # 叫个人跟我说话, 能给个人打电话吗, 你们能来个人看看我吗
    (Intent.HANDOFF, r"(?:叫|找|派|给(?:我)?)(?:个|一个)人(?:来)?(?:跟我|和我|给我)?(?:说话|说|讲|聊|打电话)|(?:能|可以|能不能)?来(?:个|一个)人(?:看看|上门|帮)"),
    # 有没有坐班的人 我明天过去; 是人接还是机器接; 有冇人管
    (Intent.HANDOFF, r"(?:有|有没有|有冇)(?:坐班|值班|接待|办事)的(?:人|工作人员)|是人接还是机器|有冇人(?:管|理)(?:咯|啊|吗|没)?" + _TAIL + "$"),
    # complaints about the bot: 你就会复制粘贴, 答非所问
    (Intent.HANDOFF, r"(?:就会|只会)(?:复制粘贴|重复|说这几句)|复制粘贴|答非所问|牛头不对马嘴"),
    # 打字太累了 有电话吗; 我不想跟机器说这些 有没有真人; 能给我个你们的联系方式吗
    (Intent.HANDOFF, r"打字[^，。？！]{0,4}(?:累|慢|费劲|不方便|不会)|有没有真人|你们的?(?:联系方式|联系电话|电话号码)"),
    (Intent.HANDOFF, r"(?:跟|和|同)(?:个|一个)?(?:人|真人|活人)(?:说|聊|谈|讲)(?:话|话吗|一下)?" + _TAIL + "$"),
    (Intent.HANDOFF, r"(?:你|您)(?:是|们是)(?:不是)?(?:机器人|机器|ai|AI|人工智能|真人|人)" + _TAIL + "$"),
    (Intent.HANDOFF, r"^(?:是|你是)?(?:机器人|自动回复)(?:吗|嘛|么)?" + _TAIL + "$"),
    (Intent.HANDOFF, r"(?:能|可以|可不可以|能不能)(?:给我)?(?:打(?:个)?电话|回(?:个)?电话|电话联系)" + _TAIL + "$"),
    (Intent.HANDOFF, r"(?:怎么|咋|为啥|为什么)(?:没人|没有人)(?:回|理|管|接)|没人(?:回|理)我" + _TAIL + "$"),
    (Intent.HANDOFF, r"(?:真人|人工)(?:客服|服务|回复|接待)|找(?:个)?(?:人|真人)问(?:问|一下|下)?"),
    (Intent.HANDOFF, r"(?:怎么|咋|如何|怎样)(?:才能)?(?:联系|联络|找到)(?:你们|检察院|检察官|工作人员|人)|(?:你们的?)?(?:联系方式|联系电话)(?:是|多少)?" + _TAIL + "$"),
    (Intent.HANDOFF, r"^(?:你们|检察院)?(?:的)?电话(?:是)?(?:多少|号码)(?:啊|呀)?" + _TAIL + "$"),
    (Intent.HANDOFF, r"(?:我要|我想|想|能)(?:见|找)(?:检察官|你们领导|领导|工作人员)|(?:你|您)是(?:谁|哪位)" + _TAIL + "$"),
    (Intent.HANDOFF, r"(?:这|你)(?:是)?(?:自动|机器)(?:回复|人)(?:吗|嘛|么)?" + _TAIL + "$"),
    # "在吗", "有人没", "喂喂 有人吗": is anyone there? The honest answer says who is (see handoff_text).
    (Intent.HANDOFF, _ANYONE_THERE),
    (Intent.HANDOFF, r"(?:让|叫|请|麻烦)(?:(?:你们的?)?(?:工作人员|检察官|客服|领导|真人)|你们的?人)(?:给我)?(?:联系|打电话|回电话|回个电话|来电话|回个话|回话)"),
    (Intent.HANDOFF, r"(?:能|可以|可不可以|能不能)(?:跟你们|和你们)?(?:打|开)?(?:语音|视频)(?:通话|电话|聊天|聊)"),
    (Intent.HANDOFF, _NO_ANSWER),
    (Intent.HANDOFF, r"真人还是(?:ai|机器|机器人|电脑|程序)|(?:你|您)(?:是|到底是)(?:不是)?(?:chatgpt|gpt|deepseek|豆包|ai|人工智能)"),
    # voice slips and pinyin for 人工 / 客服
    (Intent.HANDOFF, r"^(?:转)?(?:人公|仁工|人功|科服|客府|ke ?fu|ren ?gong(?: ?ke ?fu)?)" + _TAIL + "$"),
    (Intent.HANDOFF, r"(?:直接|还是|我去)找(?:个)?(?:人|真人)(?:吧|说吧|问吧|算了)?" + _TAIL + "$"),
    # the procuratorate's own phone, address, way there or hours (兰州市检察院的电话是好多, 坐几路公交能到检察院)
    (Intent.HANDOFF, _PROC + r"(?:的)?(?:电话|号码|地址|具体位置|位置|在哪|在什么地方|咋走|怎么走|怎么去|几点|上班时间|办公时间|在哪里?办公)"),
    (Intent.HANDOFF, r"(?:去|到|能到)" + _PROC + r"(?:咋走|怎么走|怎么去|坐几路|坐什么车)|坐(?:几路|什么车)[^，。？?]{0,4}(?:能)?到" + _PROC),
    (Intent.HANDOFF, r"^(?:检察院的?)?信访(?:窗口|办|接待|室)?(?:在哪|电话|地址|怎么走|几点|周几)"),
    # telling or handing something to one of ours: 有重要情况要向检察院反映, 能不能帮我转给检察院的人, 给检察院写信
    (Intent.HANDOFF, r"(?:向|给|跟)(?:你们|检察院|检察官)(?:当面)?反映|(?:转给|转交给?|交给|发给|递给)(?:检察院的人|你们的人|检察院|检察长|检察官|你们领导)|(?:举报信|控告信|信)(?:要|该)?(?:往哪|寄到哪|寄哪|寄去哪)|反映情况[^。？！]{0,6}找哪个人"),
    (Intent.HANDOFF, r"(?:找|跟|和)(?:个)?(?:检察院的人|(?:检察院|你们)的?(?:工作人员|检察官)|经办(?:的)?检察官)(?:当面)?(?:说|问|谈|讲|聊|反映|帮)|真(?:的|正的)检察官"),
    (Intent.HANDOFF, r"(?:承办|经办|负责)(?:我)?(?:的|这个案子的)?检察官|(?:见|找)检察长|投诉你们|对你们[^，。？?]{0,12}不满"),
    (Intent.HANDOFF, r"(?:寄给|写信给|寄信给)" + _PROC + r"|给" + _PROC + r"写信"),
    (Intent.HANDOFF, r"^(?:转)?(?:人攻|人宫|真任)(?:在不|在吗|呢)?" + _TAIL + "$"),
    # asked of us (能派人来工地看看吗), not told of someone else (老板派人来威胁我)
    (Intent.HANDOFF, r"(?:你们|检察院|能不能|能|可以|可不可以|请|麻烦|快)(?:给我)?派(?:个)?人(?:来|过来|去|上门)"),
    # 我要上访, 我有冤情 (控告申诉 go to 12309); 请回电 with a number left (the log masks it)
    (Intent.HANDOFF, r"^(?:我|俺)?(?:要|想)?(?:上访|信访|喊冤|申冤)|(?:我|俺)有冤情|请(?:给我)?回(?:个)?电(?:话)?"),
    # 叫个人跟我讲, 找个人给我念念 (an older person who cannot read the answers; at the start, as with the rule below)
    (Intent.HANDOFF, r"^(?:能不能|可不可以|可以|麻烦|请|你们)?(?:叫|找|让|派)(?:个|一个)?(?:人|真人|懂的人|明白人)(?:来)?(?:跟|和|给|同)(?:我|俺)(?:讲|说|解释|念|读)"),
    # 我不识字, 看不懂你们发的, 眼睛花了字看不清: the written answers do not reach this person; a voice and a phone do
    (Intent.HANDOFF, r"^(?=.{0,14}$)(?:[^，,\s]{0,8}[，,\s]+)?(?:我|俺)?(?:不识字|不认(?:得|识)?字|认不得字|字(?:都|也)?(?:看不懂|看不清|认不全))" + _TAIL + "$"),
    (Intent.HANDOFF, r"^(?=.{0,14}$).*(?:看不懂(?:这些|你们|你发|上面|这么多)|太长了?[，,\s]*看不(?:懂|明白|过来))|^(?:太长了?)?看不(?:懂|明白)" + _TAIL + "$"),
    # 没用 换人, 找个人来嘛 (at the start: 老板找个人来打我 is someone else's doing)
    (Intent.HANDOFF, r"^(?:没用|别绕了|算了)?[，,\s]*(?:换|找)(?:个)?人来?(?:嘛|吧|啊|呀)?(?:[，,\s]|" + _TAIL + "$)"),
    # 给个人工电话, 有没有检察官在, and 说了半天听不懂 叫个人来跟我说 (the request after the answers did not reach)
    (Intent.HANDOFF, r"(?:给|留)(?:我|俺)?(?:个|一个)?(?:人工|真人|客服|检察官|工作人员)(?:的)?(?:电话|号码|热线)"),
    # 有没有你们的工作人员能直接跟我聊, 有没有电话能跟人当面说说: one of ours, or a voice, asked for by name
    (Intent.HANDOFF, r"(?:有没有|有莫得|有冇|有没)(?:个)?(?:你们|检察院)的?(?:工作人员|检察官|人)(?:能|可以)?(?:直接)?(?:跟|和|同|给)(?:我|俺)(?:当面|好好|详细)?(?:聊|说|讲|谈|打电话)"),
    (Intent.HANDOFF, r"(?:有没有|有莫得|有冇|有没)(?:个)?电话(?:能|可以)?(?:直接)?(?:跟|和|同)(?:人|真人|工作人员|检察官)(?:当面)?(?:说|聊|讲|谈)"),
    # 有没有人工可以打电话问, 有没有工作人员能直接对接: a person asked for by what they would do
    (Intent.HANDOFF, r"(?:有没有|有莫得|有冇|有没)(?:个)?(?:人工|真人|工作人员|检察官)(?:能|可以)?(?:直接)?(?:跟我|和我|给我|同我)?(?:对接|打电话|通电话|电话|聊|问|联系)"),
    # 我想找个人当面说说, 你直接给我个电话 我打过去问人, 哪位同志能跟我聊聊, 我要找个具体经办的工作人员, 有冇真人可以同我倾下
    (
        Intent.HANDOFF,
        r"(?:找|跟|和|同)(?:个|一个)?(?:人|真人|工作人员|检察官)当面(?:说|谈|聊|问|讲)|(?:电话|号码)[^。？！?!]{0,8}打过去(?:问|找)(?:人|个人)|"
        r"哪(?:位|个)(?:同志|工作人员|检察官|领导)(?:能|可以)?(?:跟|和|同|给)(?:我|俺)(?:聊|说|讲|谈|打电话)|"
        r"(?:找|要)(?:个|一个)?(?:具体)?(?:经办|承办|负责)(?:的)?(?:工作人员|同志)|有冇(?:真人|人工)|真人[^，。？?]{0,6}(?:同|跟|和)(?:我|俺)(?:倾|聊|说|讲)",
    ),
    # 不想跟机器说, 老子不跟电脑说话: the writer wants a person, whatever came before
    (Intent.HANDOFF, r"不(?:想|愿意?|要)?(?:跟|和|同)(?:机器|电脑|机器人|程序|ai|AI)(?:人)?(?:说|聊|讲|打交道|对话)"),
    (Intent.HANDOFF, r"(?:有没有|有莫得|有冇|有没)(?:个)?(?:检察官|工作人员|真人|人工)(?:在|值班)(?!场)"),
    # 有没有人能直接跟我讲 (打字太费劲了), 有没有电话能问你们检察院的人
    (Intent.HANDOFF, r"(?:有没有|有莫得|有冇|有没)人(?:能|可以)?(?:直接)?(?:跟|和|给|同)(?:我|俺)(?:当面|好好|详细)?(?:讲|说|解释|念|读|聊)"),
    # 我想找个人好好说说这个事, 打哪个电话能找到人, 能不能派个人帮帮我们, 我去哪找你们
    (
        Intent.HANDOFF,
        r"找(?:个|一个)人(?:好好|当面|详细|仔细)?(?:说说|聊聊|谈谈|讲讲|唠唠|说道说道)|(?:打|拨)哪个(?:电话|号码)(?:能|可以)?找(?:到|得到)?(?:人|真人)|"
        r"(?:能不能|能|可以|可不可以|请|麻烦|快)(?:给我|给我们|给俺)?派(?:个|一个)人(?:来)?(?:帮|管|处理|看看)|(?:去|到)哪(?:里|儿)?(?:能)?找(?:到)?你们",
    ),
    (Intent.HANDOFF, r"(?:问|找|联系)(?:一下|下)?(?:你们|您们)(?:检察院|检察)?的?(?:人|工作人员|同志|检察官)"),
    (
        Intent.HANDOFF,
        r"(?:听不懂|看不懂|不明白|说不清|没整明白|没弄明白|搞不懂)[^。？?]{0,6}?[，,\s]+(?:叫|找|让|派)(?:个|一个)?"
        r"(?:人|真人|懂的人|明白人)(?:来)?(?:跟|和|给|同)(?:我|俺)(?:讲|说|解释|念|读)",
    ),
)
# Requests whose words also fit other people (材料交给谁, 接待时间, 派人来, 帮我联系): only in a fresh message (in a
# conversation 材料交给谁 follows the answer on materials) that names no one else (劳动监察大队接待时间, 老板派人来).
_FRESH_RULES: tuple[tuple[Intent, str], ...] = (
    (Intent.HANDOFF, r"(?:转给|转交给?|交给|发给|递给)(?:你们)?(?:负责|管这|经办|领导|检察官|工作人员|相关部门)"),
    (Intent.HANDOFF, r"(?:材料|证据|照片|申诉书?|申请书|情况)[^，。？?]{0,6}(?:交给谁|发给谁|递给谁|给谁看)"),
    (Intent.HANDOFF, r"(?:跟|找|和)(?:你们)?(?:负责|管事|经办)(?:的)?(?:人|同志)(?:当面)?(?:说|反映|谈|讲)(?!了)"),
    (Intent.HANDOFF, r"(?:放假|过年|周末|节假日|晚上|星期天|礼拜天)[^，。？?]{0,6}(?:能|可以)(?:打电话|咨询|找人)(?:咨询)?" + _TAIL + "$"),
    (Intent.HANDOFF, r"帮(?:我|忙)联系(?:下|一下)?(?:个|一个)?(?:律师|法律援助|检察官|人)?" + _TAIL + "$"),
    # 能给我派个律师吗: a lawyer arranged by us (the reply names legal aid, 12348); 多久能给我派律师 asks how long
    # legal aid takes, 帮我请个律师要多少钱 what one costs
    (
        Intent.HANDOFF,
        r"^(?!.*(?:多久|多长时间|什么时候|啥时候|几天|多少钱|费))"
        r".*(?:(?:给|帮)(?:我|俺|我们)(?:派|找|安排|请|配)(?:个|一个|一位)?律师|(?:派|安排)(?:个|一个|一位)律师)",
    ),
    (Intent.HANDOFF, r"(?:信|材料)(?:要)?寄到哪|收信人|接待时间"),
)
_COMPILED = tuple((intent, re.compile(p, re.I)) for intent, p in _RULES)
_FRESH_COMPILED = tuple((intent, re.compile(p, re.I)) for intent, p in _FRESH_RULES)
_NO_ANSWER_RX = next(rx for _, rx in _COMPILED if rx.pattern == _NO_ANSWER)
# "在吗，" / "你好 " before a question: the question decides, not the greeting in front of it
_PRESENCE = re.compile(r"^(?:(?:喂+|你好|您好|请问|在吗|在不在|在么|有人吗|有人在吗)[，,\s]+)+")
# Another office's hours or phone (法院几点上班, 人社局电话) is a question about that office, not a request for ours.
_OTHER_OFFICE = re.compile(
    r"法院|人社|劳动监察|监察大队|派出所|公安|交警|司法局|法律援助中心|妇联|残联|社区|村委会|居委会|银行|医院|学校|仲裁委|律师|"
    r"民政|税务|信访|街道|乡政府|镇政府|工会|公司|老板|包工头|法官|法庭|立案庭|书记员|仲裁员|住建|房管"
)
_OURS = re.compile(r"你们|检察|12309|您|你")
# Someone else got in touch (有人打电话说我涉嫌洗钱): a report of that call, not a request to be called.
_SOMEONE_CALLED = re.compile(
    r"有人(?:给我)?(?:打来|来电|发短信|发消息|加我)|有人(?:给我)?打(?:了)?(?:个)?电话(?:来)?(?:给我)?说|接到(?:一个|个)?(?:陌生)?电话|电话里说"
)
MODEL_MIN_CHARS = 3  # 在吗, 你好: greetings, answered with the menu; the rules catch 人工, 客服
# The classifier reads Chinese characters: a message of Latin letters (gongshang, chanjia几天 typed in pinyin) is
# outside what it learned from, and its guess there is noise.
MODEL_MIN_IDEOGRAPHS = 2
_LATIN = re.compile(r"[A-Za-z]")
MAX_INTENT_CHARS = 30  # longer messages are questions that mention these words, not requests about the service


# "我想问工资的事", "咨询一下工伤方面": the opening of a question about a subject, not a request for a person.
_ASKS_ABOUT = re.compile(r"(?:问|咨询|了解|打听)(?:一下|下|问|个|点)?[^，。？?]{1,8}(?:的事|的问题|方面|这块|的情况)")

_ANYONE_THERE_RX = re.compile(_ANYONE_THERE, re.I)


_CLOCK = re.compile(r"^(?:今天|明天|昨天|现在|今儿|今日)(?:是)?(?:星期几|礼拜几|周几|几号|几点|几月几号|农历几号|几点钟)(?:了)?" + _TAIL + "$")


# A story that ends by asking for a person (…跑了好几趟人社局也没结果 不想跟机器说了 有没有检察官): the last clauses
# ask, in words that only a request for a human uses; the story itself is offered as a question (see Dialogue.handoff).
_STAFF = (  # a person of ours: 检察院的人, 你们的人, 检察官, 真人 (a bare 人 is anyone: 有没有人帮忙写状子)
    r"(?:(?:检察院|检察|你们|您们)(?:的|那边的?|这边的?)?(?:人|检察官|工作人员|领导)|(?:个)?(?:检察官|真人|活人|工作人员|负责的人|经办人))"
)
_STORY_REQUEST = re.compile(
    r"(?:有没有|有莫得|有冇|有没|能不能有|能不能找)" + _STAFF + r"(?:能|可以|来)?(?:帮|管|接|值班|听|出|跟|和|当面|打|聊|唠|说)|"
    r"(?:找|跟|和|同|见)(?:个|一个)?" + _STAFF + r"(?:当面|面对面|好好)?(?:说|问|谈|讲|反映|聊|看|帮)|出(?:个)?人来|"
    r"(?:你们|检察院)(?:那边|这边)?(?:有没有|有莫得|有冇|有)(?:个)?(?:人|真人|检察官)(?:能|可以)?(?:管|帮|打电话|接电话|值班|跟|和|聊|唠|私下)|"
    r"(?:能不能|可不可以|能否)有人(?:给我)?(?:打|回)(?:个)?电话|"
    r"(?:能说话|能接电话|能打电话|接电话|值班)的人|(?:有人|有没有人)(?:接电话|值班)|"
    r"(?<![没不])(?:给|留)(?:我)?(?:个|一个)?(?:电话|号码|地址|联系方式)(?:吧|吗|不|呗)?[\W_]*$|(?<![没不])(?:给|留)(?:我)?(?:个|一个)(?:电话|号码|联系方式)|"
    r"(?:叫|找)(?:个)?人(?:跟|和|给)我(?:说|讲|打)|(?:让|叫|请)(?:个)?人(?:联系|给我打电话|打电话给)我?|"
    r"(?:让|叫|请)(?:检察官|你们的人|工作人员)(?:来|过来|上门)|(?:去|到)检察院(?:反映|递材料|交材料|当面)|"
    r"(?:你们|检察院|能不能|能|可以|请|麻烦)(?:给我)?派(?:个)?人(?:来|过来|跟|和|上门)|不想(?:跟|和)机器|(?:跟|和)机器(?:人)?(?:说不|讲不|说不明白|说不清)|机器(?:人)?(?:肯定)?(?:答不了|回答不了)"
)
STORY_MODEL_SURE = 0.9  # the classifier's probability from which the end of a story asks for a person
# Words someone else said (他说过几天派人来结, 值班的人说不归他们管): a report, not a request
_REPORTED = re.compile(r"他说|她说|他们说|人家说|的人说|老板说|工头说|说过几天|说要")
# Another party named in a short request (老板派人来威胁我, 劳动监察大队接待时间): the looser rules do not apply
# (a lawyer is what some of them ask for: 能给我派个律师吗)
_THIRD_PARTY = re.compile(_OTHER_OFFICE.pattern.replace("律师|", "") + r"|仲裁|劳动|监察|信访局|厂|工头|他|她")
# ... and only when the last clause names a way of reaching someone (the classifier alone took 俺嘴笨怕说不清楚 for one)
# (人, but not 我一个人实在不敢去 — alone — nor 别人, 家人, 老人, 工人, 本人)
_CONTACT_CUE = re.compile(r"(?<!一个)(?<![别家老工本证病])人|电话|号码|检察官|工作人员|联系|地址|微信|律师|视频|语音|上门|当面|领导|机器|客服")


def _about_others(t: str, others: re.Pattern = _OTHER_OFFICE) -> bool:
    """Another office or party is named and none of ours (法院几点上班, 包工头不接电话, 老板派人来威胁我)."""
    return bool(others.search(t)) and not _OURS.search(t)


def _rule_intent(t: str, fresh: bool) -> Intent | None:
    """The request the phrase rules read in `t`; the looser ones only in a fresh message naming no one else."""
    for intent, rx in _COMPILED:
        if rx.search(t):
            return intent
    if fresh and not _about_others(t, _THIRD_PARTY):
        for intent, rx in _FRESH_COMPILED:
            if rx.search(t):
                return intent
    return None


@lru_cache(maxsize=1024)
def story_request(text: str) -> tuple[Intent, str] | None:
    """(the request, the story before it) when a long message ends by asking for a person or for the service, else
    None. The end is read as a short message of its own (its last one, two or three clauses): the phrase rules, or
    the classifier when it is sure. Words someone else said (他说…派人来) and a negation (也没留个电话) ask nothing."""
    t = (text or "").strip()
    if len(t) <= MAX_INTENT_CHARS:
        return None
    clauses = [c for c in re.split(r"[，,。！!？?；;\s]+", t) if c]
    for k in (1, 2, 3):
        if k >= len(clauses):
            break
        said = " ".join(clauses[-k:])
        if len(said) > MAX_INTENT_CHARS:
            break
        if _about_others(said) or _SOMEONE_CALLED.search(said) or _REPORTED.search(said):
            continue  # 包工头不接电话, 人社局的人不管, 值班的人说不归他们管: about someone else
        intent = Intent.HANDOFF if _STORY_REQUEST.search(said) else _rule_intent(said, fresh=True)
        if intent is None or intent is Intent.PROGRESS:
            intent = Intent.HANDOFF if _model_says_request(clauses, said) else None
        if intent is None:
            continue
        # the clauses before may ask as well (不想跟机器说了 有没有检察官能帮我): they are no part of the story
        while k + 1 < len(clauses) and _STORY_REQUEST.search(clauses[-(k + 1)]):
            k += 1
        return intent, " ".join(clauses[:-k])
    return None


def _model_says_request(clauses: list[str], said: str) -> bool:
    """The classifier, sure, on the end of a story whose last clause names a way of reaching someone, and no other
    office just before it (妇联能管这些事吗 有没有个电话能打 asks for the 妇联's phone)."""
    model = _model()
    near = " ".join(clauses[-2:])
    if (
        model is None
        or not _CONTACT_CUE.search(clauses[-1])
        or _ASKS_ABOUT.search(said)
        or _about_others(near)
    ):
        return False
    return model.probabilities(said)["handoff"] >= STORY_MODEL_SURE


def without_person_request(text: str) -> str | None:
    """A short message that the phrase rules read as asking for a person (你们这是糊弄人 我要找真的检察官), with those
    words taken out, or None. The safety check yields only when the rest has no word of harm: anger at the bot is
    no danger, but 快派人来 娃掉井里了 still is. 咋没反应 / 怎么不说话 stay in: said of a person, they describe a body."""
    t = (text or "").strip()
    if not t or len(t) > MAX_INTENT_CHARS:
        return None
    rest, found = t, False
    for intent, rx in _COMPILED:
        if intent in (Intent.HANDOFF, Intent.LEAVE_MESSAGE) and rx is not _NO_ANSWER_RX and rx.search(rest):
            rest, found = rx.sub("，", rest), True
    return rest if found else None


def asks_if_anyone_is_there(text: str) -> bool:
    """在吗, 有人吗: while an answer is on its way, this asks for it (dialogue delivers it first)."""
    return bool(_ANYONE_THERE_RX.match((text or "").strip()))


@cache
def _model() -> TextModel | None:
    return TextModel(MODEL_FILE) if MODEL_FILE.exists() else None


def detect_intent(
    text: str, in_conversation: bool = False, answerable: Callable[[str], bool] | None = None
) -> Intent | None:
    """The service request a message makes, or None for an ordinary question: the phrase rules, then a small
    classifier for the many other ways of asking for a person (dialogue/textmodel.py). In a conversation only the
    rules count: "有没有能咨询的电话" right after a question about a child is a follow-up, not a request for staff.
    A borderline guess of the classifier also yields to a question the FAQ answers with confidence (`answerable`):
    检察官能帮我要工资吗 mentions staff but asks what the procuratorate does."""
    t = (text or "").strip()
    if not t:
        return None
    if len(t) > MAX_INTENT_CHARS:
        found = None if in_conversation else story_request(t)
        return found[0] if found else None
    intent = _rule_intent(t, fresh=not in_conversation)
    if intent is not None:
        return intent
    if THANKS.match(t):  # 谢谢你们 speaks to the people behind the bot but asks nothing of them
        return None
    if _CLOCK.match(t):  # 今天星期几, 现在几点了: the date or the time, not our office hours
        return None
    if in_conversation or len(t) < MODEL_MIN_CHARS:
        return None
    chinese = ideographs(t)
    if chinese < MODEL_MIN_IDEOGRAPHS or len(_LATIN.findall(t)) > chinese:
        return None
    model = _model()
    if model is None:
        return None
    p = model.probabilities(_PRESENCE.sub("", t) or t)["handoff"]
    if p < MODEL_THRESHOLD:
        return None
    if _about_others(t) or _SOMEONE_CALLED.search(t):
        return None
    if p < MODEL_SURE:  # a borderline guess yields to a question of another kind
        if _ASKS_ABOUT.search(t):
            return None  # 在吗 我想问工资的事: a question about wages is coming
        if out_of_scope_probability(t) >= OUT_OF_SCOPE_SURE:
            return None  # 莫高窟门票咋预约: a booking, but not with us
        if answerable is not None and answerable(t):
            return None  # 检察官能帮我要工资吗: about what the procuratorate does
    return Intent.HANDOFF
