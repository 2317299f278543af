"""Updates sent right after an emergency reply (or inside a conversation about domestic violence): 他又来了,
人还没醒, 风好大 say the danger goes on; 到医院了, 警察来了 把他带走了, 误工费怎么算 say it is in hand or move on."""

from __future__ import annotations

import re

from dialogue.safety.words import (
    _ASKS_CALMLY,
    _COSTS,
    _G,
    _LEGAL_QUESTION,
    _RESOLVED,
    _RIVER,
    CHILD,
    INJURY,
    SELF_HELP,
    SUICIDE,
    VIOLENCE,
    Danger,
    _hypothetical,
)
from dialogue.textmodel import ideographs
from dialogue.texts import THANKS

# Short updates that carry the danger on, read only right after a message about it (see still_in_danger)
_STILL = {
    VIOLENCE: r"打得(?:更)?(?:狠|凶|厉害)|更狠了|(?:跑|躲)(?:去)?哪|往哪(?:跑|躲)|出不去|防盗网|占线|弄死|掐死|打死|报不了警|手机(?:被)?(?:抢|收|砸)|借(?:邻居|别人)?的(?:手机)?|偷偷(?:发|打)|门(?:要|快)(?:开|破|撑不住)了|拿(?:着|了)?(?:刀|菜刀|斧头|棍|铁锹|锤子|砖|钢管)|又嚟|嚟咗|(?:抓|按|掐|揪|拽|捆|绑)住|又(?:来|打|动手|开始|闹|砸|踹|追|骂|拿)|(?:(?<![出起下醒上接])来了|过来了|找来了|找过来了|找上门|回来了|进来了|追来了|冲过来)|"
    r"在(?:门口|门外|楼下|窗户外)|又开始了|还在(?:打|砸|闹|骂|找|门)|不让我走|躲(?:在|起来)",
    INJURY: r"120问|说不清在哪|找不到(?:路|地方)|(?:要|还要|得)[^，。]{0,3}(?:几十|四十|三十|二十|半|一|两|\d+)(?:个)?(?:分钟|钟头|小时)|山里|摸不到|没(?:了)?心跳|没(?:了)?脉|没信号|打不出去|发紫|发青|脸色|吐血|呕血|不让(?:打电话|叫车|叫救护车|送医|打120)|别(?:打)?120|别叫(?:救护)?车|别送(?:医院)?|好困|想睡|车坏|还有[^，。]{0,4}公里|还没醒|没醒|叫不醒|喊不醒|没反应|还在流|止不住|不行了|没气|不动了|还压着|没出来|没上来|喘不上|抽起来|越来越",
    SUICIDE: r"最后(?:跟|和|再|说|看)|还在(?:楼顶|天台|桥|江边|河边|海边|上面|顶上|屋顶|房顶|水库)|已经(?:吃|喝|吞)|准备好了|(?:我)?决定了|想好了|报警我(?:就|马上)|马上(?:跳|喝|吃)|不想打电话|救不了|起作用|又(?:吃|喝|吞)了|水到|就这样吧|没用的|好困|想睡|没人(?:会)?在乎|还是要走|我要走了|先走了|不想被救|别救我|不要救|打了也没用|不会打|(?:在|到)(?:楼顶|桥上|河边|天台|江边|水库)|不想活|再见|最后一|别找我|没意思|撑不住|下去了",
    CHILD: r"仲未|未返|(?:娃|孩子|娃儿|闺女|儿子)(?:在|去)哪|上哪" + _G + r"{0,3}去了|去哪了|监控|打不开|砸不开|看不到了|掐死|弄死|再报警就|不喘气|还要等|在里面(?:叫|哭|喊)|要等24小时|等24小时|紫了|没看见|天黑了|还没回来|还没找到|还是(?:找不到|没找到|没找着)|关机|打不通|接到(?:她|他)了|网友|车开|开出|上(?:了)?车|没声音|没见着|没见到|没看到人|联系不上|不见了|还没回家|又(?:打|来|开始)|(?<![出起下醒上接抱找送回])(?:来了|进来了)|还在(?:打|哭|喊)|"
    r"没动静|不哭了|不动了|没反应|发紫|叫不醒",
    SELF_HELP: r"还在(?:塔吊|楼顶|天台|桥|江边|河边|上面|顶上|屋顶|房顶)|家伙|(?:那|我)(?:就)?点了|不下来|不下去|我要跳|要跳了|最后给他|给他[^，。]{0,3}(?:分钟|个钟头|小时)|打火机|火机|点火|在手上|已经(?:到|去|在)|(?:油|刀|汽油|东西|家伙)(?:都|已经)?(?:准备|买|备)好|现在就去|这就去|马上就去|今晚就",
}
_STILL_RX = {category: re.compile(p) for category, p in _STILL.items()}
# Right after an emergency reply: distress, or help not there yet, whatever the danger was
_STILL_ANY = re.compile(
    r"(?<!接下来)(?<!下一步)(?<!然后)(?<!以后)(?:怎么办|咋办|咋整|咋弄)|快点|快来|快快|来不及|求求|救命|救救|救我|快救|帮帮|好怕|害怕|吓人|没人管|不管我|没人理|"
    r"(?:110|120|119|警察|民警|救护车|消防|派出所|医生)[^，。？?！!]{0,4}(?:还)?(?:没来|没到|不来|没人接|打不通|不管|说等)|"
    r"打不通|没人接|没电了|别劝|劝不住|拦不住|拉不住|不听|不让打电话|手在抖|不行了"
)
# 警察来了, 救护车到了: help arriving, the opposite of the danger coming back
_HELP_ARRIVED = re.compile(r"(?:警察|民警|派出所|公安|救护车|医生|大夫|邻居|村干部|家里人|亲戚|妇联|政府|记者|消防|120|110|劳动监察|人社|劳动局|社区|居委会|村委会)(?:的人)?(?:已经|都|也)?(?:来了|到了|过来了|嚟咗|嚟到)")
_THREAT_LEFT = re.compile(r"(?:他|她|那人|他们|人|打手|那帮人|那几个人)(?:都|已经)?(?:走了|出去了|离开了|跑了)")
# Safe now: somewhere else than the one who hurt them, or he is asleep or gone (not hiding: 躲在邻居家 is danger)
_SAFE_NOW = re.compile(
    r"(?:我|俺|我们|俺们)(?:已经|现在|这会儿?)?(?:在|到|回)(?:了)?(?:我妈家|娘家|我姐家|我哥家|亲戚家|朋友家|派出所|医院|妇联|单位宿舍|宿舍)|"
    r"(?:他|她)(?:已经)?(?:睡着了|被带走了|被抓了)|(?:挺|很|已经)安全"
)
# After an emergency reply: the danger handled or over (带走了, 拉走了, 止住了, 手术做完了, 我下来了, 睡着了, 安全了)
# (the police taking him, an ambulance taking the injured: not 娃被一个男的带走了, which is the danger itself)
_OVER_NOW = re.compile(
    r"(?:警察|民警|公安|派出所)[^。！？；!?;\n]{0,10}(?:带走|抓走|铐走|控制住)|(?:120|救护车)[^。！？；!?;\n]{0,8}(?:拉走|接走|送走)|"
    r"(?:跑|逃)?出来了[，,]*(?:现在)?(?:在|到)(?:朋友家|亲戚家|同事家|邻居家|我妈家|娘家|派出所|医院|妇联)|"
    r"(?:警察|民警|公安)[^。！？；!?;\n]{0,10}(?:抱回来|找回来|送回来|接回来)|被控制(?:住)?了|"
    r"止住了|退烧了|手术(?:做)?完了|做完手术|在医院(?:缝|包|打|住)|(?:我|人)(?:已经)?(?:从[^，。！？；,.!?;\n]{0,6})?下来了|"
    r"(?:他|她|娃|娃娃|孩子|人)?(?:已经)?睡着了|(?:挺|很|已经|现在)安全(?:了|的)?|(?:救|捞)(?:上来|出来)了|"
    r"(?:孩子|娃|人)(?:也)?没事|都没事|没受伤|(?:刀|棍子|汽油|药|绳子)(?:都|也)?(?:放下|扔了|交出来)|交给(?:了)?(?:民警|警察|派出所|消防)|把刀放下|她说不会了|答应我不|"
    r"(?:药|刀|绳子|汽油|农药)(?:我|我们)?(?:已经)?(?:扔了|倒了|倒掉了|交出来了|放下了)|(?:人|师傅|他|她)?醒(?:过来)?了|火灭了|灭了|"
    r"在医院(?:观察|治疗)|陪(?:着)?我|拦(?:下来|住)了|(?:送|接|抱|找)回来了|(?:抱|救|拉|抬)出来了|精神还(?:行|好)|"
    r"站起来了|没(?:什么)?大事|(?:人)?都出来了|来接我|接我回家|给(?:我)?(?:姐|妈|哥|弟|妹|家里|朋友)打(?:了)?电话|救下来了|"
    r"把人放了|放人了|说明天给钱|答应给钱|你说得对|油(?:都|已经)?倒(?:掉)?了|"
    r"(?:邻居|家人|大家|他们)(?:把他|把她)?(?:拉走|拉开|劝走)了|搬(?:到|出来|走)|我回(?:到)?家了|(?:妈妈|家人|我妈)(?:抱着我|陪着我|在旁边)|"
    r"不打了|停手了|住手了|孩子出来了|门打开了|在我身边|被拦下(?:来)?了|(?:已经)?睡了|答应你|听你的|不会做(?:什么|傻事)|不(?:做|干)傻事|不去了|不闹了|"
    r"(?:绳子|药|刀)(?:我)?(?:已经)?剪(?:断)?了|睡一觉|^下来了|安全了|"
    r"(?:我|我们)(?:已经)?接到(?:她|他|娃|孩子)了|(?:孩子|娃|人)(?:已经)?找到了|(?:都|大家都)?(?:回宿舍|散)了|排队|断了电|电已经断了"
)
# 他走了又回来了, 他追到医院来了, 他找过来了: the one who hurt them is back (no leaving, safe place or pattern counts)
_BACK_AGAIN = re.compile(
    r"又(?:回来|来|打|找|追)|(?:他|她|那人|他们|那个人|男人|老公)(?:又)?回来了|追(?:到|过来|来|上)|找(?:过来|来了|上门|到这)|现在又|又开始"
)
# A body in danger right now (after an emergency reply these outweigh any word that it is over)
_BODY_NOW = re.compile(r"不睁眼|眼睛都不睁|睁不开|(?:晕|昏)过去了|又(?:晕|昏|抽|没声)|没声了|不喘气|没(?:了)?气|发紫|发青|没反应|不动了|叫不醒|喊不醒|血(?:还在|止不住|一直)流|还在流血|还没醒|没醒过来")
# 警察来了 我不下来: help is there, and the person will not come down
_STILL_THERE = re.compile(r"不下来|不下去|不开门|不让(?:他们|警察)?进|不走")
_MONEY_TALK = re.compile(r"垫钱|垫付|垫了|抚养费|赡养费|生活费|离婚|(?:不肯|不给)(?:出|垫|赔)|赔钱|工资|工钱")  # 老板不肯垫钱怎么办: a question of money
_LATELY = re.compile(r"最近|这段时间|这阵子|这些天|老是|经常|总是")  # 他最近又放狠话: a pattern, not this minute
STILL_MAX_CHARS = 16  # an update longer than this says what it is about itself
# The rule of a Danger read from the conversation alone: nothing in the update says the danger is over, nor anything
# else (the dialogue lets a request for its services through: 让检察院联系我 right after the reply registers a case)
UNEXPLAINED = "still: nothing said of it being over"
# Right after an emergency reply, a short update is read as the danger going on unless it says otherwise.
# In hand: the update says the danger is over or handled, in words that carry no harm themselves (包扎好了, 孩子找到了,
# 我从楼上下来了, 药交给民警了); what is left of the update once they are taken out must carry none either (孩子找到了
# 在河里, 锁好门了 他在撬锁, 包扎好了 还在往外渗血 are the danger going on). Also read before the classifier.
_IN_HAND = re.compile(
    r"(?:包扎|缝|打完针|输上液|上了药)(?:好)?了|拍(?:完|了)片|(?:医生|大夫)看过(?:了)?|不(?:怎么)?(?:疼|痛)了|好(?:一)?(?:点|些|多)了|"
    r"退烧了|不抽了|(?<!不)安全了|(?:^|，|我|俺|我们|她|孩子|娃|娃儿|闺女|女儿|儿子|孙子|孙女|人)(?:已经)?(?:到家|回家|回屋|回宿舍|回去)了|在家(?:待着|呆着)|(?:我|俺|我们)?没去|走法律|法律途径|在我(?:身边|旁边|怀里)|"
    r"(?:孩子|娃|娃儿|闺女|女儿|儿子|孙子|孙女|人|她|他)(?:已经)?(?:找到|找着|接到|接回来|回来|送回来)了|接到(?:我)?身边|在(?:我)?身边|(?:警察|民警|社区|派出所|老师|妇联)" + _G + r"{0,6}(?:接走|抱回|送回|带回|安置)|不想死了|想活下去|不死了|(?:在|到|回)(?:了)?(?:我)?(?:外婆|奶奶|姥姥|亲戚|朋友|我妈|娘|同事|邻居|我姐|我哥)家|[揾搵]到|"
    r"(?:药|刀|绳子|汽油|打火机|火机|农药|油)" + _G + r"{0,4}(?:交给|拿走|收走|扔|丢|倒)(?:掉|了)?(?:民警|警察)?了?|"
    r"交给(?:了)?(?:民警|警察|派出所|消防)|(?:我|俺|人|大家|我们)?(?:已经)?(?:从[^跳摔掉冲栽滚翻，。]{0,6})?(?<![跳摔掉冲栽滚翻])下来了|"
    r"不去(?:了|天台了|楼顶了|那了|那儿了)|(?:再)?撑撑|不(?:会|想)再?(?:做|干)傻事|(?:会|要)好好(?:的|活)|没事就好|没(?:大碍|大事)|不用去了|转给我了|(?:冇|无)事(?:喇|啦)?\W*$|"
    r"锁好(?:门)?了|(?:锁|关)好门|打完(?:了)?热线|(?:打|拨)了(?:心理)?热线|是(?:个)?误会|没动手|吵(?:了)?几句|"
    r"(?:冇|无|没)事(?:了|喇|啦)|没有危险|(?:没有|没)生命危险|不跳了|(?:拉|救|捞)(?:我)?上来了|(?:佢|他)走咗|(?:到|在|送(?:进|到)?)医院了|"
    r"(?<![没不])找到了|(?:刀|棍子|汽油|药|绳子)(?:都|也)?放下了|(?:跑|逃)出来了|下楼了|(?:姐|妈|哥|亲戚|朋友)屋头|不值得(?!活)|(?:我|俺)还有(?:孩子|娃|家人|爸妈|老人要)|醒(?:了|咗|过来了)(?!又)|(?:医生|大夫)说没(?:事|大碍|危险|生命危险)"
)


def is_short_update(text: str) -> bool:
    """Short enough to be an update on the danger just replied to (longer messages say what they are about)."""
    return ideographs(text) <= STILL_MAX_CHARS


def over_now(text: str) -> bool:
    """Right after an emergency reply: the update says the danger is over or help is there (安全了, 孩子找到了,
    警察来了, 他走了, 救护车拉走了), and not that it is back (他走了又回来了)."""
    t = re.sub(r"\s+", "，", text.strip())
    if in_hand(t):
        return True
    over = _OVER_NOW.search(t) or _HELP_ARRIVED.search(t) or _THREAT_LEFT.search(t) or _SAFE_NOW.search(t)
    return bool(over) and not (_BACK_AGAIN.search(t) or _STILL_ANY.search(t) or _BODY_NOW.search(t) or _STILL_THERE.search(t))


def in_hand(t: str) -> bool:
    """The update says the danger is over or handled, and nothing else in it speaks of harm."""
    found = list(_IN_HAND.finditer(t))
    if not found:
        return False
    return not _ACTIVE_HARM.search(_IN_HAND.sub("，", t))


# Words of harm going on, for what is left of an update once its words of being in hand are taken out
_ACTIVE_HARM = re.compile(
    r"打(?!针|完|了(?:110|120|电话|热线))|砍|杀|刀|血|(?<![吓笑累气饿热冷急愁烦])死(?!你)|跳|掐|捅|烧|火|撬|砸|踹|追|抢|绑|锁(?!好)|堵|晕|昏|没气|不醒|不动|"
    r"不喘|淹|水里|" + _RIVER + r"|江|海|楼顶|天台|桥|塔吊|农药|安眠药|一瓶|走吧|再见|不活|活够|撑不"
)


# Moving on: the update turns to something else (a question, a plan, the law or money, help already there, an answer
# to something asked: a name, an amount, where they are), or only acknowledges the reply. Not read before the
# classifier, which still weighs such a message; and not when it names a place of the edge (医院楼顶).
_MOVES_ON = re.compile(
    r"[吗嘛么呢]\W*$|[？?]|怎么|咋(?!办)|哪|啥|什么|多少|几[个天岁点号年月]|能不能|要不要|可不可以|是不是|"
    r"^(?:好|好的|好滴|好哒|好嘞|好吧|嗯+|恩+|嗯呢|哦+|噢|知道了?|知道啦|明白了?|晓得了?|收到|行|中+|得嘞|了解|懂了?|没问题|冇问题|可以|阔以|要得|系|"
    r"记(?:下|住)了|麻烦(?:了|你了|您了)|辛苦(?:了|啦)|ok|OK|Ok)|(?:有用|管用|能|可以|行|管)" + _G + r"{0,8}[不没]\W*$|找谁|坐牢|"
    r"谢|唔该|多得|感恩|"
    r"报(?:了)?警了|报了警|已经报(?:了)?警|^报了|打(?:了|过|完)(?:了)?(?:110|120|12356|电话)?|"
    r"部门|(?:才|都|已经|今年)(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:周?岁)?(?:了|啦)?$|我叫|我姓|\d{3,}|[一二三四五六七八九十百千万两几]+(?:块|元|万|千)|\d+(?:块|元|万|千)|(?:\d|[一二三四五六七八九十几])(?:周)?岁|"
    r"[^，。\s]{1,6}(?:县|区|市|镇|乡|村)(?:的)?$|"
    r"(?:跑|逃|躲)?出来了|躲到" + _G + r"{0,6}(?:那|家)|(?:我|俺|我们|俺们)(?:现在|已经)*(?:在|到|去|回)(?:了)?" + _G + r"{0,6}(?:家|那|这|公司|厂|宿舍|宾馆|酒店|旅馆|网吧|车上|医院|派出所|单位|学校|外地|朋友|同事|室友)|陪(?:着)?我|在一起|"
    r"医院|急诊|医生|大夫|住院|石膏|洗(?:完)?胃|CT|笔录|登记|民警|消防|庇护所|救助站|安置|妇联|屋企|协议|付一半|给一半|答应(?:先|给|付|月底|明天|后天)|投诉|仲裁|起诉|告(?:他|状|老板|包工头|工头|公司)|欠条|合同|证明|工伤|"
    r"赔(?!命)|(?:医药|误工|护理|住院|诉讼|律师|检查|手术|营养)费|工资|工钱|欠薪|结清|结账|劳动局|监察|律师|法院|保护令|离婚|老师|学校|"
    r"押金|协商|(?:他|老板|工头|包工头)(?:已经)?答应|给了|拿到了|出钱|看病|验伤|未成年|退休|(?:会|在)处理|(?:派出所|警察|民警)(?:叫去|让我)|"
    r"接下来|下一步|然后呢|先去|明天(?:去|来|再|给|结|处理)|晚点|再说|先这样|先忙|考虑一下|开玩笑|乱发|发错|打错|不是真的|乱说|乱讲|"
    r"到地面|劝住|拉住|幸好|还好|好好的|断(?:了)?电|散了|撤了|不堵了|不闹了|睡觉|吃(?:点)?(?:东西|饭)|"
    r"今年|岁数|^是(?:我|俺)|替(?:我)?(?:姐|妹|妈|爸|哥|弟|朋友|家里|亲戚)|是(?:我|俺)(?:的)?(?:邻居|朋友|同事|亲戚|老乡)|问的|"
    r"车上|上车|坐车|打车|(?:我|俺)(?:现在)?在外面|破伤风|打针|疫苗|(?:想|要)活下去|不想死了|不死了|下(?:了)?(?:塔吊|楼顶|天台|楼)了|"
    r"(?:在|是)(?:甘肃|兰州|广东|深圳|东莞|北京|上海|四川|河南|乡下|老家|城里)"
)
_EDGE_PLACE = re.compile(r"楼顶|天台|顶楼|房顶|屋顶|桥|" + _RIVER + r"|江|海|水库|塔吊|悬崖|铁轨|边上")
_DISTRESS_EMOJI = re.compile("[😭😢😰😱😨😖😣🆘🔥🔪🩸💀😵🚑]")
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]")


def _unexplained(t: str) -> bool:
    """A short update right after an emergency reply that says nothing of the danger being over or of anything
    else (风好大, 楼梯上有脚步声, 眼皮越来越重, 😭😭): the danger the reply was about is still the subject."""
    if ideographs(t) == 0:
        return bool(_DISTRESS_EMOJI.search(t))  # 1, 2 (the reply's numbers), 👌: not a word of the danger
    words = _EMOJI.sub("", t)
    if THANKS.match(words) or in_hand(t):
        return False
    moves_on = _MOVES_ON.search(words) or (_ASKS_CALMLY.search(words) and not _STILL_ANY.search(t))
    return not (moves_on and not _EDGE_PLACE.search(t))


def still_in_danger(t: str, after: str, alarm_before: bool = False) -> Danger | None:
    """他又来了 right after an emergency reply (or in a conversation about domestic violence): the danger again;
    right after an emergency reply, also distress or waiting for help (咋办啊 快点, 120还没到, 警察咋还不来)."""
    rx = _STILL_RX.get(after)
    if rx is None or ideographs(t) > STILL_MAX_CHARS:
        return None
    if alarm_before and (body := _BODY_NOW.search(t)) and not _hypothetical(t):
        return Danger(after, f"still: {body.group(0)}")
    if (_RESOLVED.search(t) or _HELP_ARRIVED.search(t) or _hypothetical(t)) and not _STILL_THERE.search(t):
        return None
    if (_THREAT_LEFT.search(t) or _SAFE_NOW.search(t) or _LATELY.search(t) or _OVER_NOW.search(t)) and not _BACK_AGAIN.search(t):
        return None
    calm = _LEGAL_QUESTION.search(t) or _COSTS.search(t) or _OVER_NOW.search(t) or _MONEY_TALK.search(t)
    found = rx.search(t) or (alarm_before and not calm and _STILL_ANY.search(t))
    if found:
        return Danger(after, f"still: {found.group(0)}")
    if alarm_before and not calm and _unexplained(t):
        return Danger(after, UNEXPLAINED)
    return None
