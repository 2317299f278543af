"""The vocabulary the danger detector reads a message with: the categories, words of time (now, past, over),
of harm, of law and money, make-believe and figures of speech, and helpers that find a word's clause."""

from __future__ import annotations

import re
from dataclasses import dataclass

VIOLENCE, INJURY, SUICIDE, CHILD, SELF_HELP = "violence", "injury", "suicide", "child", "self_help"
CATEGORIES = ("none", VIOLENCE, INJURY, SUICIDE, CHILD, SELF_HELP)  # the classifier's classes, in this order
STRONG, PLAIN, NOW, STATE, URGENT = "strong", "plain", "now", "state", "urgent"

_G = r"[^，。！？；,.!?;\n]"  # a character inside one clause: gaps in the rules never cross a clause boundary
_KID = r"(?:娃|孩子|小孩|孩儿|丫头|闺女|姑娘|儿子|女儿|侄子|侄女|外甥|孙子|孙女|小娃|娃娃|学生|我弟|我妹)"
_PERSON = r"(?:他|她|他们|老板|包工头|工头|老公|男人|丈夫|老婆|媳妇|前夫|对象|那人|那个人|这人|这些人|那几个人|保安|打手)"
_ME = r"(?:我|俺|咱|我们|俺们|咱们)"
_RIVER = r"河(?!南|北|源|池|津|间|套)"  # a river, not a province or city named after one (河南, 河北, 河源, 河池)


_SENTENCE_GAP = r"[^。！？；!?;\n]{0,16}"  # across commas: a time and the deed it names can sit in two clauses


def _gap(n: int) -> str:
    return f"{_G}{{0,{n}}}"


# Words of now. 还在 is kept apart: it also means "keeps doing" (还在微信上发些不三不四的话), so harassment told as a
# pattern is read against _RIGHT_NOW, every other check against _NOW.
_RIGHT_NOW = re.compile(
    r"正在|现在|宜家|而家|此刻|刚才|刚刚|又在|又开始|又来|一直在|马上|立刻|快点|赶紧|今晚|今天|明天|明早|一会儿|"
    r"待会|这会|躲在|藏在|蹲着|手在抖|刚被|刚让|不让叫车|不让(?:叫|打)(?:120|救护车)|咋办啊|怎么办啊|救救|拉不住|拦不住|拉不开|进不去|这就去|就过去|满(?:手|脸|头|身)(?:都)?是血"
)
_NOW = re.compile(_RIGHT_NOW.pattern + r"|还在")
_HYPOTHETICAL = re.compile(
    r"(?:^|[，。,\s])(?:如果|假如|假设|万一|要是|若是|倘若|比如)|我就问问|不会真|只是问问|写小说|打个比方|"
    r"(?<!不是)(?<!不是说)气话|嘴上说说|说说而已|小说|哈哈|开玩笑|开个玩笑|😂|🤣|当然不会|又不傻|的节奏|心态\S{0,3}炸|头都大了|演习|演练|假装|模拟|[（(]不是[)）]|"
    # 保护令到期了他又来咋办: what if, once the order runs out (not 到期了 他又来了)
    r"(?:到期|过期|期满|失效)(?:了|以后|之后|后)?[，,\s]?(?:他|她)?(?:又|再)(?:来|找来|找上门|闹|打)(?!了)\S{0,3}(?:咋办|怎么办|咋整|怎么整)"
)
# "要是今天还不给，我就从这跳下去": an ultimatum, not a hypothetical
_ULTIMATUM = re.compile(r"(?:要是|如果|再)" + _G + r"{0,6}不(?:给|发|还|结账|结钱|结工)(?:钱|工资|工钱)?[，,\s]?" + _G + r"{0,4}(?:我就|就)")
# "这种人": news about a kind of person (but see rule_danger: after a threat for tonight it is the one making it)
_THIS_KIND = re.compile(r"(?:这|那)种(?:老板|人|爹|爸)")
_NEWS = re.compile(
    r"新闻|报纸|报道|电视上|抖音|快手|视频里|看视频|刷视频|刷到|网上看到|网上说|看到一个|看见一个女|听说(?!(?:他|她|老板|包工头|工头|那人|那个人)(?:今|明|晚|一会|待会|马上|要|在|回))|有个农民工|有个人|"
    + _THIS_KIND.pattern
    + r"|广告(?!牌)|看了个视频|视频上|看了(?:个|部|一部)电视剧|朋友圈(?:说|看到|里|有人)|群里(?:说|传)|谣言"
)
# News in the strict sense, for the classifier (看到一个男的带走了 is something seen, not a report)
_NEWS_REPORT = re.compile(r"新闻|报纸|报道|电视上|抖音上|快手上|刷到|网上看到|网上说|看了个视频")
_PAST = re.compile(
    r"以前|之前|从前|原先|原来(?!是|如此|这样|的|那个)|去年|前年|上个月|上月|上回|上次|上(?:个)?(?:礼拜|星期)|上周|那次|那回|那时|当时|小时候|曾经|前些年|前几年|早几年|那几年|前阵子|前两年|几年前|\d+年前|"
    r"[一二两三四五六七八九十几]年前|上(?:个)?学期|上半年|差点(?:就)?(?:没了|死了|没命)|(?:19|20)\d\d年|二〇[一二〇][〇一二三四五六七八九]年|当年|那年(?!轻|纪)|过去了|后来|(?<!今天)(?<!昨天)前天|前几天|前段时间|前些天|那阵子|那会儿|[打想挨伤砸摔骂关烫]过"
)
# 在医院住了一礼拜了: an injury told afterwards (only injuries: 住院半个月了 他喝醉了又打我 is violence now)
_STAY = re.compile(r"住(?:了)?(?:院)?(?:[一二两三四五六七八九十几半]|\d+)(?:个)?(?:天|周|礼拜|星期|月)了")


# Treated already (缝了八针, 打了石膏): with a legal question beside it, an injury told afterwards
_TREATED = re.compile(r"缝了(?:[一二两三四五六七八九十几]+|\d+)针|打(?:了|上)石膏|包扎(?:好)?了|拍了片")


def _told_from_hospital(t: str) -> bool:
    """In hospital for days, nothing happening again or now (叫不醒了, 吐血): an injury told afterwards."""
    return bool(_STAY.search(t)) and "又" not in t and not _ACUTE.search(_STAY.sub("", t))
# "我要是没了…": said by someone in a place of danger, the "if" is no hypothetical
_SELF_GONE = re.compile(r"(?:人|我|俺)要是(?:没了|死了|不在了)|(?:要是|如果|万一)(?:我|俺)?(?:没了|死了|不在了|跳下去了?)")
# "投诉了没用": a lawful route that failed, no sign of taking one
_ROUTE_FAILED = re.compile(
    r"(?:投诉|仲裁|起诉|告|打官司)[^，。！？；,.!?;\n]{0,6}(?:没用|不管用|白搭|没人管|没结果)|"
    r"(?:投诉|仲裁|起诉|官司|判决|告)[^，。！？；,.!?;\n]{0,6}(?:都|也)?赢了|"  # 仲裁都赢了还是不给: won, and still unpaid
    r"(?:仲裁书|判决书|裁决书)(?:都|也)?下来了|执行不了|(?:已经)?起诉了[^。！？；!?;\n]{0,6}不想等|告了[^，。！？；,.!?;\n]{0,4}没用"
)
_HABITUAL = re.compile(r"天天|经常|老是|总是|隔三岔五|(?<!一)动不动|一喝酒就|喝了酒就|喝酒就|每次|一直这样|好些年|好几年|这些年|好多年|多少年")
_RESOLVED = re.compile(
    r"好多了|(?:伤|病|人|身体)(?:已经|也|早就|早)?(?:都)?好了|(?:现在|早就|早|已经)(?:都|也)?好了|没事了|出院|稳住了|救回来|救过来|救上来|救出来了|缓过来|挺过来|想开了|已经判|判了|在监狱|分开住|(?<![道条])缝了|住过院|"
    r"去世|走了几年|走了半年|生前|打(?:了|过)疫苗|(?:已经)?解决了|搬走了|好点了|好一点了|太冲动了|没了还|现在好好的|虚惊一场|有惊无险|(?:被|让|叫)(?:人|大姐|路人|邻居|我们|警察)?[^，。！？；,.!?;\n]{0,6}(?:拉住|拦下来|拦住|劝住|救下来)了|现在好些了|(?:我)?挺好的|高压氧|在医院(?:观察|治疗|抢救)|(?:还好|幸好|好在|幸亏)(?:人|大家|我们)?(?:都)?没(?:事|受伤|伤着)|在[^，。！？；,.!?;\n]{0,4}医院住着|住着院|在ICU|(?:警察|民警)(?:已经)?(?:上门)?(?:教育|处理|调解)(?:过)?了|冷静(?:了|下来)|后来离了|已经离婚|在家养着|养着伤|在家养伤|在家歇着|在家休养|(?:警察|公安|派出所)(?:已经)?把(?:他|她|人)(?:带走|抓走|抓起来)|放出来了|被解救|查封了|"
    r"包好了|保住了|送医了|截了|(?:已经)?被(?:抓|拘留|逮捕)(?:起来)?了|(?:缝|接)好了|(?<!不)找(?:到|着|回来)了|接回来了|送(?:到)?医院了|搬出来了|劝下来|劝回来|慢慢适应|好了以后|已经消了|痊愈|康复了|(?:已经|早就|早)不干了|不让(?:他|她|娃|孩子)(?:再)?干了|"
    # (twenty-second round) 腿里还有钢板 (not 被钢板砸到), 后来自己下来了, 还好没去, 被我们拉回来了, 把他劝住了, 老板只给了两千
    r"(?:里|上)(?:还)?(?:有|打了|上了|装了|的)?钢(?:板|钉)|(?:打|上|装|取)(?:了)?钢(?:板|钉)|打了石膏|做完手术|做了手术|手术做完|拆了线|拆线了|后来(?:自己)?下来了|自己下来了|还好没(?:去|动手|砸|跳|喝)|最后没(?:去|动手)|没去成|"
    r"拉回来了|把(?:他|她|人)(?:给)?(?:劝住|拉住|拦住|拉回来|劝回来|劝下来)了|只(?:给|赔)了[\d两一二三四五六七八九十百千万]+|(?:骨头|伤口|伤)?长好(?:了|哒|咗)|不疼了|疤(?:还在|都)"
)
# A game, a film, a novel (原神抽卡又歪了 想死, 僵尸片哪部最吓人 今晚想看): the classifier's danger is make-believe
# Only what happens inside them, or a question about watching: 他打游戏 我说了两句他就掐我脖子 is real.
_FICTION = re.compile(
    r"(?:游戏|我的世界|王者|吃鸡|原神|电影|电视剧|小说|(?<![那这一大])片)里(?!认识|的网友|加|聊|的人|的男)|僵尸片|恐怖片|鬼片|狼人杀|剧本杀|副本|boss|苦力怕|哪部(?![门分])"
)
_IN_GAME = re.compile(_FICTION.pattern + r"|副本|boss|血条|苦力怕|狼人杀|剧本杀|斗地主|打牌|麻将|扑克")
_LIKE = re.compile(r"像|学|那样|一样")  # 像电影里那样把我们全家弄死: a threat said with a film, not a film


def _in_game(clause: str) -> bool:
    return bool(_IN_GAME.search(clause)) and not _LIKE.search(clause)
_GAME = re.compile(r"王者|吃鸡|原神|游戏|队友|开黑|排位|上分|狼人杀|剧本杀|和平精英|(?i:lol)")
_GAME_TALK = re.compile(r"送人头|送死|被秒|秒了|团灭|阵亡|复活|被刀了|刀了我|被杀了|被毒了|第一晚就死|出局|血条")  # a game's own words for dying
# Idioms made of danger's words (拿我开刀: picked on first; 杀价, 跳槽, 血汗钱): the classifier reads them without
_IDIOMS = re.compile(r"想死你(?:们)?了|(?:被)?(?:他|人)?宰了(?:我)?一刀|拿(?:我|俺|我们|俺们|咱)?开刀|杀价|砍价|跳槽|炒鱿鱼|死工资|血汗钱|累成狗|堵车|血亏|血赚|血拼|笑死(?:了|我了)?|血压(?:都)?(?:上来了|高了)|(?:账号|号)(?:被)?封了")
# 气得我想跳楼: anger said with a figure of speech (the rest of the message is still read: 气得想死 不想活了 fires)
_ANGER_FIGURE = re.compile(r"(?:杀|砍|宰|捅|弄死|掐死|打死)(?:了)?(?:他|她|它|老板|包工头|工头)的心都有(?:了)?|气得(?:我|俺)?(?:都|真)?(?:想|要)(?:跳楼|跳河|撞墙|杀人|死)|气(?:得|到)(?:我)?吐血|(?:累|忙|加班加|烦|气|困|饿|热|冷|吵|闷|挤|无聊|上)(?:得|到)(?:我)?(?:都)?想(?:死|跳楼)")
# 被工头踢出微信群了: taken off a group chat, nobody kicked (read as 移出群 by the rules and the classifier alike)
_GROUP_KICK = re.compile(
    r"(?:从)?(?:微信|工友|工地|项目|公司|讨薪|班组)?群(?:聊)?里?(?:被)?(?:他|人)?踢(?:出来|出去|掉|了)|"
    r"踢(?:出|掉)(?:了)?(?:我)?(?:出)?(?:了)?(?:微信|工友|工地|项目|公司|讨薪|班组)?群(?:聊)?|把(?:我|俺)(?:从)?[^，。？！\s]{0,6}群(?:聊)?(?:里)?踢"
)
# 想死的心都有了 about money or work (工资被扣了一半): exasperation; not after a loss (娃没了 …想死的心都有了)
_DEATH_WISH_FIGURE = re.compile(r"(?:想死|寻死)的心都有(?:了)?")
_EVERYDAY_TROUBLE = re.compile(r"工资|工钱|扣|罚|钱|加班|老板|领导|考试|作业|堵车|房贷|车贷|账")
_LOSS = re.compile(r"没了|死了|走了|去世|不在了|跑了|离了")
# 工伤的事先放着 …: a subject set aside before the message turns to something else (its legal words are not asked)
_SET_ASIDE = re.compile(r"[^，。！？；,.!?;\s]{1,8}的事(?:情)?(?:先|就|暂时)?(?:放(?:着|一放|放)|不说了|不问了|以后再说)")
_IDIOM_PLAIN = {
    "血汗钱": "工资", "死工资": "工资", "杀价": "讲价", "砍价": "讲价", "跳槽": "换工作", "炒鱿鱼": "辞退",
    "想死你了": "很想你", "想死你们了": "很想你们",
    "笑死": "好笑", "笑死了": "好笑", "笑死我了": "好笑",
    "血压都上来了": "很生气", "血压上来了": "很生气", "血压高了": "很生气",
    "账号封了": "账号停用", "号封了": "账号停用", "账号被封了": "账号停用", "号被封了": "账号停用",
}
# 我家猫从三楼跳下去了: an animal jumped or fell, not a person
# (an owner or a measure word first: 马上 is "right away")
_ANIMAL = re.compile(
    r"(?:家|的|只|条|头|匹|那|这)(?:猫|狗|鸡|鸭|鹅|羊|猪|牛|驴|马|鸟|兔|宠物)(?:子|儿|咪|狗)?(?!日|东西|老板|杂种|脑子|屎)"
    + _gap(4)
    + r"(?:跳|掉|摔|从(?!来|不|小|去年|前|没|过))"
)
# A parent or spouse who has died, and what they left (我妈走了 房子她不让我们分): an estate question, not a death now
_ELDER_KIN = r"爸|妈|爹|娘|爷爷|奶奶|外公|外婆|姥姥|姥爷|老人|公公|婆婆"
_BEREAVED = re.compile(
    r"(?:" + _ELDER_KIN + r")" + _G + r"{0,6}?(?:走了|去世|过世|不在了|没了)|"
    r"(?:老伴|丈夫|男人|老公|媳妇|老婆)" + _G + r"{0,6}?(?:去世|过世|不在了|病故|(?:跳河|出车祸|出事|摔)(?:走|没)了)|"
    r"(?:" + _ELDER_KIN + r"|父亲|母亲|老伴)" + _G + r"{0,2}?(?:活着(?:的)?(?:时候|那会)|生前)|"
    r"老伴" + _G + r"{0,2}?(?:走了|走后|走得早)"
)  # (老公走了 may mean he left: a spouse only with words of death, but an old person's 老伴走了 is a death; 我爸活着的时候:
#    a parent who has died)
_ESTATE = re.compile(
    r"房子|院子|房产|房本|遗产|继承|存款|分(?:家|钱|房|地|财产)|不让(?:我们|我|俺)?分|遗嘱|抚恤|丧葬|宅基地|老屋|财产|债务|外债|欠的债|网贷|贷款|欠的钱|借的钱"
)
# What would make a bereaved person's message a cry for help all the same (他走了 我也不想活了) (打工, 打电话 are
# no blows)
_DESPAIR_WORDS = re.compile(
    r"死|跳|药|绳|刀|砍|杀|烧|火|血|打(?!工|电话|听|算|官司|款|钱|过去|卡)|砸|棍|动手|闹|堵|锁|抢|救命|不想活|活不下去|活着(?:没|还有)|没意思|撑不(?:住|下去)|熬不|不如|"
    r"陪(?:他|她|我爸|我妈)|随他|跟(?:他|她)去|找(?:他|她)去|一起走|拖累|催收|债主"
)
# An illness of long standing (尘肺, 职业病 a doctor named): a question about it, not an accident now.
_CHRONIC = re.compile(r"尘肺|职业病|诊断|确诊|医院说|老毛病|慢性")
# An illness asked about (血压高吃啥药好 我妈一直头晕), for the classifier only, and only with no acute sign beside it
_ILLNESS_ASKED = re.compile(r"(?:吃|用)(?:啥|什么)药(?:好|管用|能降)?|要不要吃(?:点)?(?:药|降压药)|注意(?:啥|什么)")
_ACUTE = re.compile(
    r"晕倒|昏|倒(?:地|下|在|了)|不动|叫不醒|喊不醒|抽|喘不上|血(?!压|糖|脂)|农药|毒|中暑|摔|烫|砸|突然|说不出|不能动|动不了|歪|"
    r"白沫|发紫|发青|冷汗|吐|瘫|迷糊|不清醒|认不得|不认人|没反应|没反映|翻白|往上翻|栽|起不来|爬不起来|说不了话|发硬|软了|没劲|站不住|胸口|心口|120|救护车|"
    r"(?:吃|吞|喝)(?:了)?(?:一把|一瓶|一板|半瓶|好多|十几|一整|全)|全吃了|全吞了"
)
# Harm words: a request for a person with one of these beside it may be a call for help (快派人来 他在打我)
_HARM = re.compile(
    r"死|跳|打|刀|药|杀|血|火|油|掐|砍|烧|炸|伤|救命|勒|捅|摔|晕|昏|绑|关|锁|逼|威胁|怕|疼|痛|掉|塌|卡|井|围|困|抢|拐|撞|砸|闯|倒|"
    r"不见|拉走|抱走|带走|上车|中风|歪|抽|喘|淹|水里|" + _RIVER + r"|楼|塔|电|毒|病|医院|急救|120|110|报警|娃|孩子|跟着|堵|追|扣|不让走|踹|门|煤气|迷糊|味"
)
# A lawful way to press for the money said in the same message: "跟他拼了" is a figure of speech there.
_LAWFUL_ROUTE = re.compile(r"仲裁|起诉|投诉|打官司|法院|劳动监察|监察大队|12333|(?:让|送|告)他(?:去)?坐牢")  # the classifier yields only to these
# A lawful way still to be taken: 明天就去仲裁, 还是走法律吧, 准备去起诉 (not 仲裁书下来了, 已经起诉了 but 不想等了)
_LAWFUL_PLAN = re.compile(
    r"(?:明天|马上|这就|准备|打算|要|想|还是|先|就)(?:去)?(?:法院|仲裁委)?(?:申请)?(?:劳动)?(?:仲裁|起诉|投诉|打官司|找劳动监察|劳动监察|监察大队|人社局|劳动局|告他|走法律)|"
    r"走法律|法律途径|依法|(?:让|送|告)他(?:去)?坐牢"
)


def _lawful_plan(t: str) -> bool:
    """A lawful way still to be taken, in a clause that says nothing of harm (明天去劳动局门口浇身上 is no plan to
    complain)."""
    for found in _LAWFUL_PLAN.finditer(t):
        clause = _clause(t, found.start())
        if not _HARM.search(clause.replace(found.group(0), "，")):
            return True
    return False
_LAWFUL = re.compile(_LAWFUL_ROUTE.pattern + r"|(?:去|到)?哪(?:里|儿)?告|咋告|怎么告|耗到|陪他耗|跟他耗|耗着|走法律|法律途径|依法|忍住了|忍下了|没动手|不会动手|不能动手")
# "老板喊我明天莫来了": a dismissal, the commonest "tomorrow" in a worker's message
_DISMISSED = re.compile(r"(?:明天|明儿|明早|以后|从明天起)(?:就)?(?:别|莫|不用|甭|不要)(?:再)?(?:来|过来|上班)")
# Harassment told as a pattern (老是趁没人动手动脚) with no word of now: a question about harassment, not an assault
# The means of a plan that hurts someone (for a self-help plan asked about: 把他车开走抵工钱 中不中 hurts nobody)
# A protest over the wages (拉横幅, 去政府门口举牌): loud, not dangerous, unless high up or with harm beside it
_PROTEST = re.compile(r"拉(?:个|条)?横幅|举(?:个)?(?:牌子|牌)|上访|信访|(?:市|县|区)?政府门口")
_VIOLENT_MEANS = re.compile(r"打|砍|捅|杀|弄死|刀|烧|焚|浇|火|油|炸|点|砸|锁|跳|爬|塔吊|楼顶|药|堵|绑|关|扣(?:住|下)|人|拼|同归于尽|血|刹车|动了手脚|不在乎")
# Taking something of the boss's in lieu of the wages (开走抵工钱): the plan of self-help that hurts nobody
_TAKE_IN_LIEU = re.compile(r"抵(?:工钱|工资|债|账|钱)|开走|拉走|拿走|搬走|扣(?:他的|他)?(?:车|货|设备|东西|材料|机器)")
_HARASSMENT = re.compile(r"动手动脚|性骚扰|骚扰|不三不四|咸猪手|黄段子|荤段子")
# "恨不得揍他一顿": a wish said in anger, not a plan
_WISH = re.compile(r"恨不得|恨不能|巴不得")
# 救命 这工资条谁看得懂, 救救孩子吧 抚养费一般按多少给: the cry as a figure of speech before a question about money
_EXCLAIM = re.compile(r"救命|救救(?:孩子|娃|我)")
_MONEY_QUESTION = re.compile(r"看得懂|看不懂|怎么算|咋算|按多少|给多少|够干啥|够啥|工资条|管理费|扣了")
# 被欺负死了, 坑死了, 气死我了: 死 as a figure of speech (the classifier reads it as despair)
_FIGURATIVE_DEATH = re.compile(r"(?:欺负|坑|气|累|热|冷|饿|笑|愁|急|烦|吓|憋屈|窝囊|穷|忙)死(?:了|我了|人了|个人)?")
# Raising a child, paying for it, seeing it: family matters that mention 娃 without any harm to it.
_CHILD_CARE = re.compile(
    r"养娃|带娃|养不起|没人养|没人管|抚养|探望|看娃|看孩子|生活费|赔不起|户口|上学|读书|念书|学费|没钱|一个人养|进去了|改嫁|离婚|"
    r"洗碗|搬砖|干活|打工|上班|进厂|做工|跟我过|跟谁|抚养权|说了算|监护|带着(?:娃|孩子)|工棚|待着|想家|"
    r"才(?:[一二三四五六七八九十]{1,3}|\d{1,2})(?:周?岁|呢|啊|哩|$)|未成年|不满\d"
)
# Papers kept by the employer (身份证收走了 说干满三个月才还) and a signature regretted (我已经签了 后悔了): a question of
# the job, not a person held or in despair
_PAPERS_KEPT = re.compile(r"(?:身份证|证件|毕业证|户口本|驾驶证|银行卡|工资卡)(?:原件)?(?:也|都)?(?:被)?(?:收走|扣下|扣着|扣了|收了|拿走|押着|押在)")
_SIGNED_REGRET = re.compile(r"(?:签|签字|签了字|按(?:了)?手印|画押)[^。？！]{0,6}后悔|后悔[^。？！]{0,4}签")
# An injury told afterwards, treated and mending (上周…缝了十几针 现在在家养着): nothing is happening now
_MENDING = re.compile(r"在家(?:里)?(?:养着|养伤|休养|歇着|躺着养)|养伤|出院(?:了|回家)|拆(?:了)?线")
# The boss gone and the works shut (老板躲起来了 厂门一直锁着, 老板手机关机 门也锁了): nobody is locked in
_BOSS_AWAY = re.compile(r"躲(?:起来|着)|跑了|跑路|关机|找不到人|不见人|人不见了|联系不上")
_PREMISES_SHUT = re.compile(r"(?:厂门|大门|店门|公司(?:的)?门|办公室|工地|厂子|门)(?:也|都|一直|早就)?(?:锁|关)(?:着|了|上了|起来了)")
# Help asked with the legal errand (有人帮我不 我一个人弄不来, 不会写状子 谁能帮帮): not help against harm
_ERRAND_HELP = re.compile(r"(?:一个人|自己|我|俺)?(?:弄不来|搞不来|办不来|写不来|弄不了|搞不定|办不了|不会弄|不会写|不会办|不懂怎么弄|跑不动)")
# A theft told (家里进贼了 丢了一条金项链, 车窗被砸了 包被人拿走了), with no thief still there and nobody hurt or taken
# (not 有人偷了我家孩子)
_THEFT = re.compile(r"进(?:了)?贼|遭(?:了)?贼|被偷|被盗|小偷|偷走|偷了|被人(?:给)?拿走|被扒|扒手")
_THIEF_HERE = re.compile(r"还在|在屋|在家|躲|打|刀|伤|血|追|掐|捅|砍|抢|威胁|跟着|堵|门口|窗外|窗户外|娃|孩子|小孩|闺女|儿子|女儿|老人|媳妇|老婆")
# A whole message that only says where one is or what one is doing (在火车上, 在宿舍躺着, 娃放学了, 刚打完吊瓶, 手机刚充上
#电), which the classifier, trained on short danger messages, can read as one; each clause must be such a status (not
# 在车上 他不让我下去, not 娃放学没回来)
_STATUS_CLAUSE = (
    r"(?:嗯|哦|噢|好的|今天|刚才|现在)?(?:我|俺|人|我们|俺们)?(?:现在|正|刚|还|已经|都|准备|打算)?(?:"
    r"(?:在|到)(?:火车|高铁|动车|大巴|客车|班车|公交|地铁|车|船)上(?:了|呢|啦)?|"
    r"(?:在|到)(?:火车站|汽车站|车站|高铁站|动车站|机场|候车室)(?:了|呢|啦)?|回(?:老)?家(?:去)?(?:了|呢|啦)?|"
    r"(?:去)?换(?:完|好)?(?:了)?药(?:了|回来了)?|换完了|"
    # a place and what one does there (在路边蹲着, 在工棚里); a high place only with an everyday errand (在楼顶收被子)
    r"在(?:路边|路口|工棚|工地|厂里|车间|宿舍|家|屋里|老乡家|亲戚家|门口|医院门口|车站|劳务市场|人才市场)(?:里|上|外头|门口)?"
    r"(?:蹲着|坐着|站着|躺着|歇着|等着|等活|找活|呢|了)?|"
    r"在(?:楼顶|天台|屋顶|房顶|桥底下|桥下|桥洞|河边)(?:上)?(?:收被子|晒被子|晒衣服|收衣服|抽(?:根|支|口)?烟|等活|乘凉|晒太阳|透透?气|吃饭)|"
    r"(?:躺|睡)(?:在)?床上(?:了|呢|啦)?|"
    r"(?:算了)?(?:我)?(?:不想说了|不说了|不想聊了)|"
    r"(?:回来了|到家了|回家了|回宿舍了|在家(?:呢|了|里)?|在宿舍(?:呢|里)?|在工地(?:上|呢)?|在路上(?:呢)?)|"
    r"(?:在)?(?:宿舍|家|屋里|床上)?(?:里)?(?:躺着|歇着|休息|睡了|睡觉)(?:呢|了|啦)?|"
    r"(?:娃|孩子|儿子|闺女|女儿|娃娃|小孩)(?:已经|刚|还)?(?:放学了|放学回来了|上学去了|睡了|睡着了|吃过饭了|在写作业|在吃奶|在上学)(?:呢)?|"
    r"(?:打完|输完|挂完)(?:吊瓶|点滴|针|水)(?:了)?|(?:拿完药|看完病|看完医生|体检完)(?:了)?|"
    r"手机(?:刚|才)?(?:充上电|充好电|有电)(?:了)?"
    r")"
)
_STATUS_ONLY = re.compile(_STATUS_CLAUSE + r"(?:[，,。.！!~～]+" + _STATUS_CLAUSE + r")*[，,。.！!~～]*")
# A calm status told mid-conversation, which the classifier reads as a farewell (我已经在领养老金了, 我在外地, 户口还在他家)
_CALM_STATUS = re.compile(
    # a child given a fever medicine and asleep or better (娃吃了退烧药睡着了 我想问八百太少了 能涨不)
    r"(?:娃|孩子|宝宝|小孩)?(?:吃了|喝了)(?:退烧|感冒|消炎|止咳)(?:药|药水|冲剂)(?:已经)?(?:睡着了|睡了|好多了|退烧了|烧退了)|"
    r"领(?:了|着)?(?:养老金|退休金|低保|补助|补贴|抚恤金|工资)|户口(?:还|都)?在|(?:人|我|俺)?(?:现在|目前|一直)?在(?:外地|外省|老家|城里)(?:打工|上班)?$|"
    r"(?:网上|信箱|热线)(?:也)?留(?:过)?言|"
    # where they are or what they are doing (我现在在劳动局门口, 刚下班 在宿舍呢), and a patient come through (手术做完了 人清醒了)
    # (not 在宿舍 alone: 出冷汗 一个人在宿舍 is someone ill now)
    r"(?:现在|正|刚)?在(?:劳动局|人社局|人社|劳动监察|监察大队|法院|派出所|检察院|仲裁委|信访局|法律援助中心|司法局)(?:门口|里|大厅|排队)?|"
    r"刚下班|手术(?:做)?完了|(?:人)?(?:已经)?清醒了|"
    # an age told (可我已经19了 在读大专, 俺今年六十三了, 我家娃十六了)
    r"(?:已经|都|才|今年|快|满|娃|孩子|儿子|闺女|女儿)(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:岁|周岁)?(?:了|啦)(?![^，。！？\s]{0,3}(?:药|片|瓶))|"
    # a city worked in (我现在在深圳), busy now and later (晚点说, 等消息, 我再想想, 有空), an office closed (关门了)
    r"(?:我|俺|人)?(?:现在|目前|一直)?在(?:深圳|广州|东莞|佛山|中山|惠州|厦门|福州|北京|上海|天津|杭州|苏州|宁波|温州|义乌|南京|"
    r"武汉|长沙|郑州|西安|成都|重庆|兰州|西宁|银川|乌鲁木齐|新疆|昆明|贵阳|南宁|合肥|南昌|济南|青岛|太原|石家庄|沈阳|大连|哈尔滨|长春|"
    r"呼和浩特|包头)(?:打工|上班|干活)?$|"
    r"晚点(?:再)?(?:说|聊|回)|回头(?:再)?(?:说|聊)|等会(?:儿)?(?:再)?(?:说|聊)|等(?:消息|通知|结果|回复|回音)|(?:再|先)想想|先等等|等等看|有空|"
    r"(?:把)?材料准备|准备材料|回去跟(?:大伙|大家|工友|家里|老乡)|在手机上查|网上查|(?:还)?在(?:上学|读书|念书|读大专|读高中|读初中)|吃奶|"
    r"一个人带(?:着)?(?:俩|两个|三个|几个)?(?:娃|孩子)|(?:孩子|娃)跟着我(?:过|住|生活)?$|帮着带|下地(?:去了|干活)|"
    r"(?:去晚了|已经)?关门了|没开门|没人上班"
)
# The boss or foreman gone (人跑了 电话关机, 卷铺盖跑路了): with no child named, a wage question, not a missing child
# (a phone off alone is no sign: 放学没回来 电话打不通 is a child missing)
_BOSS_GONE = re.compile(r"跑了|跑路|卷(?:钱|款|铺盖)")
_PHONE_GONE = re.compile(r"电话|手机|关机|微信|拉黑")  # 电话关机 beside it: no harm word (电 is one in _HARM)
# A sick animal (家里的牛嘴里起泡流口水 好像是口蹄疫 会不会全杀了): a farming question, nobody in danger
_ANIMAL_ILL = re.compile(
    r"(?:牛|羊|猪|鸡|鸭|鹅|牲口|家畜|猫|狗)" + _gap(8) + r"(?:病|瘟|疫|起泡|流口水|不吃食|拉稀|发烧|死了)"
)
# A thing that fell or broke (手机掉水里了), with no one hurt in the message: no accident to a person.
_OBJECT_MISHAP = re.compile(r"(?:手机|钥匙|钱包|身份证|银行卡|眼镜|手表|充电器|耳机|电动车|摩托车?)(?:又|也|都)?(?:给)?(?:掉|摔|泡|进水|落|丢|坏)")
# What the story says of now, told long after (现在娃都十五了, 现在分居了, 后来我偷跑出来了, 现在日子好点了): the harm
# belongs to the past the message dates (那年, 以前, 前两年), and the person asks what the law gives them
_SETTLED_NOW = re.compile(
    r"现在(?:娃|孩子|我|他|她|人|娃娃)?(?:都|已经|也)(?:\d{1,2}|[一二三四五六七八九十两]{1,3})(?:岁|周岁)?了|"
    r"(?:现在|如今|这会)(?:日子|生活)?(?:好点了|好多了|好些了|稳定了|过得去)|"
    r"(?:现在|已经|早就|早)(?:我们|俺们)?(?:都)?(?:分居|离婚|离了|分开|不在一起|搬出来|搬走)|"
    r"后来(?:我|俺)?(?:偷偷|偷|自己)?(?:跑|逃)出来了|(?:伤|骨头|胳膊|腿|手|现在)(?:已经|都)?(?:接上|长好|好)了"
)
_ASKS_WHAT_LAW_GIVES = re.compile(r"咋(?:个)?要|怎么要|能要|找谁|能告|能判|能不能告|能不能判|咋办手续|对吗|合法吗|要回来")
# ... unless something is happening again or now (他又来了, 还在门口, 正在, 今晚)
_GOING_ON_AGAIN = re.compile(r"又|还在(?:打|闹|砸|追|找|门口|外面)|正在|今晚|刚才|马上")
# Insults and photos posted online (在快手上骂我 把我娃的照片挂出来 能告他不): a question about the law, nobody in danger
_ONLINE_ABUSE = re.compile(
    r"(?:快手|抖音|微信群|朋友圈|网上|微博|直播|评论区|群里)" + _gap(10) + r"(?:骂|造谣|挂|曝光|p图|P图|发(?:了)?(?:我|我们|我娃|娃)?的?照片|辱骂|诽谤)"
)
# Building work next door (对门装修 晚上十点了还在砸墙 娃要睡觉): noise, nobody in danger
_BUILDING_WORK = re.compile(r"装修|施工|电钻|打钻|噪音|噪声|吵得|太吵|扰民|嗡嗡")
_HURT_IN_THE_NOISE = re.compile(r"伤|血|疼|哭喊|救|打(?:我|娃|孩子)")
_SOMEONE_HURT = re.compile(r"人|娃|孩子|小孩|老人|工友|血|伤|疼|痛|晕|救|断|骨|腿|胳膊|头|脸|身上|起不来")
# a parent who died, a visit refused, a family that wants the child (非要抢娃, in a divorce): words of the care
# question that are not harm to the child
_CHILD_CARE_WORDS = re.compile(
    r"(?:爸|妈|爹|娘|男人|老公|媳妇)(?:都)?(?:死了|没了|去世了?)|不让(?:我)?(?:看|见|探望)|打工|打零工|打电话|(?:非要|想要|要|想)抢(?:娃|孩子)|(?:非要|想要|要|想)把(?:娃|孩子)抢(?:回去|走)|能抢走|"
    r"跟着(?:亲戚|老乡|家里人|大人|爸妈|他爸|他妈|舅舅|姑姑|叔叔|姨)(?:进|去|出去|打工|干活)|"
    r"哭着?(?:打电话)?(?:说)?想家|想家"  # 孩子住校 晚上哭着打电话说想家: homesick, not hurt
)
_CHILD_HARM = re.compile(
    r"打|揍|踢|抽|掐|虐|伤|关|锁|饿|烫|烧|拐|抱走|带走|领走|接走|拉|拽|拖|不见|丢|找不|联系不上|没回|哭|喊|欺负|摸|猥亵|"
    r"做那种事|脱|扯|按|淹|掉|爬|挂|药|血|跑|网友|陌生|不认识|跟着|盯|卖|骗|逼|绑|吊|扔|捂|晕|昏|窗|楼|房顶|" + _RIVER + r"|火|触(?:了)?电|电(?:了|击|伤|打|着|到)|被电|漏电|电话(?:不接|打不通)|不接电话|关机|"
    r"霸凌|罚|堵|强奸|性侵|亲她|亲他|宿管|半夜进|勒索|青紫|紫|割|划|怀孕|插座|电线|电门|电箱|冒烟|卡(?:在|住)|卷进|喷|咬|吞|起泡|夹|困|缠|"
    r"喝了|误喝|误食|吃了|"
    r"摔|死|危险|救|报警|刀|扣下|不放|不让|跪|扎|钻|抢|进.{0,2}屋|进.{0,2}房间|下井|高空|压住|站不稳|怕"
)
# Leaving a job (辞了, 不干了), and the words of despair that would make it something else (不干了 活着也没意思)
_QUIT_JOB = re.compile(r"辞(?:了|职|工)|离职|不干了|不做了|跳槽")
# 我要坐牢吗, 要我赔: the writer asking what they have to answer for (see detect_danger)
_OWN_LIABILITY = re.compile(r"(?:我|我们)(?:要|会)?坐牢吗|(?:我|我们)(?:这)?(?:算)?(?:犯法|违法)(?:了)?吗|要我(?:们)?赔")
_EDGE = re.compile(r"桥|水库|" + _RIVER + r"|江|海|楼顶|天台|悬崖|铁轨|站在|坐在|不想回|炭|煤炉|封(?:好|死|上)|门窗")  # places and means of the edge
_FIRED = re.compile(r"辞(?:退)?(?:我|了我)|开除|解雇|辞退|裁(?:员|掉|了我|我|了(?:一半|一批|好多|不少|几十|几百)?人|人)|炒(?:了)?(?:我|鱿鱼)|让我走人|叫我走人")
_DESPAIR = re.compile(r"活|死|撑|累|走了|再见|对不起|绳|药|跳|结束|解脱|了结|别管|别找|最后|拖累|累赘|用不上|后事|不想")
_JOB = re.compile(_QUIT_JOB.pattern + "|" + _FIRED.pattern)


def _just_the_job(t: str) -> bool:
    """Leaving or losing a job (辞了不干了, 他就要辞我) with nothing of harm, despair or the edge beside it: the
    classifier's violence or despair is the job's words."""
    if not _JOB.search(t):
        return False
    rest = _JOB.sub("，", t)
    return not (_HARM.search(rest) or _DESPAIR.search(rest) or _EDGE.search(rest))
# 我死了以后谁管他, 等我走了这娃咋办: a parent's worry about who will care for someone after their own death
_AFTER_MY_DEATH = re.compile(
    r"(?:我|俺)(?:哪天|以后|将来|百年)?(?:死|走|不在|没)了?(?:以后|之后|后|那天)" + _gap(8) + r"(?:谁|咋办|怎么办|怎么弄|咋弄|归谁|给谁|靠谁)"
)
# Up high and saying they will come down and call back: someone at work, not on the edge.
_SUICIDE_PLACE = r"楼顶|天台|桥上|河边|窗台"  # where a suicide rule's place may be an everyday one (see rule_danger)
_HIGH_PLACE = re.compile(_SUICIDE_PLACE + r"|塔吊|架子上|房顶|屋顶")
_COMING_DOWN = re.compile(r"(?<!跳)下来(?:了)?再|回(?:你)?电话|信号不好")
# Everyday reasons to be up on a roof or by the river (抽根烟, 晒被子): not a suicide location.
_EVERYDAY_PLACE = re.compile(r"抽(?:根|支|口)?烟|透(?:透)?气|晒(?:被子|衣服|太阳)|收衣服|干活|修(?:房|屋)|钓鱼|乘凉|看风景|铺|防水|施工|刷漆|装修|搭棚")
_DIVORCE = re.compile(r"离婚|想离|要离|离了")  # a legal question when asked after the story (see rule_danger)
_LEGAL_QUESTION = re.compile(
    r"算不算|算(?:是)?(?:家暴|工伤|威胁|犯罪|违法)|犯法|违法|找谁(?:要|赔)|判(?:几年|多少|刑)|什么罪|啥罪|罪吗|能(?:不能)?告|能追究|"
    r"追究|赔偿|赔多少|坐几年|坐多少年|几年牢|能拿(?:到)?多少|多少钱|谁(?:来)?赔|该谁|工伤|认定|保险|保护令|补偿|抚养权|有用吗|有啥用|会不会被抓|"
    r"被抓吗|能不能|可以吗|合法|私了|咋申请|怎么申请|去哪申请|临时救助|负(?:法律)?责任|拘留|被拘|敲诈|故意伤害|鉴定|几级|伤残|咋评|怎么评|能报|报销|补贴|续上|咋认定|怎么认定|定性|法律上|该(?:谁)?赔|赔吗|赔不赔|让(?:我们|我|俺们|俺)\S{0,3}赔|告诫书|(?:当|算|作)证据|举报|能要|行不行|要不要|行吗|可以不|该咋(?!办)|正规|能管|管不管|咋讨|这样行|行不(?:行)?(?:$|[，。])|中不中|要(?:我|我们|俺)(?:来)?还|该不该还|用不用还|产假|病假|(?:给|放|休|请)(?:几|多少)天(?:的)?假|处理对(?:吗|不对)|"
    # what an injury is owed while it heals (被电打了 停工留薪期多久, 医药费谁出): asked about like 算工伤吗
    r"停工留薪|误工费|护理费|营养费|伤残津贴|(?:医药费|医疗费|药费)(?:谁|咋|怎么|能)"
)


@dataclass(frozen=True)
class Danger:
    category: str  # the first category that fired (the reply is written for it)
    rule: str  # the matched words, for the log
    also: tuple[str, ...] = ()  # other categories that fired too (e.g. self-help and suicide together)


# A plan given up (我原来想去跳他门口的塘吓他 算哒 不搞那些, 本来想去斩佢 冷静咗 唔搞啦): the danger words inside it are no plan now
_ABANDONED = re.compile(
    r"(?:原来|本来|原先|起先|当时|之前)(?:是)?(?:想|打算|准备|要)[^。！？!?]{0,24}?"
    r"(?:算了|算哒|算咯|不搞|不弄|唔搞|冷静|劝住|想通了|没去|没寄|撕了|打消了)"
)


def _hypothetical(t: str) -> bool:
    return bool(_HYPOTHETICAL.search(t)) and not _ULTIMATUM.search(t) and not _SELF_GONE.search(t) and not _REALLY.search(t)


# The present part of a story worth reading on its own: harm, the edge, a body, someone taken
_TAIL_SIGN = re.compile(_HARM.pattern + r"|" + _EDGE.pattern + r"|" + _ACUTE.pattern + r"|带(?:走|进)|天台|再见|拜拜")
_REALLY = re.compile(r"这次是真的|这回是真的|不是开玩笑|没开玩笑|是认真的")  # 上次说想死是开玩笑的 这次是真的


# 他说我离了他活不下去: words about the writer reported from someone else
_SAID_OF_ME = re.compile(r"(?:^|(?<![跟给对和向])(?:他|她|老公|男人|婆婆|公公|老板|他们|儿子|女儿|儿媳|家里人|人家|别人))(?:老|总|还|就|都)?(?:说|骂)(?:我|俺)")
_CLAUSE_BREAK = re.compile(r"[，。！？；,.!?;\n]")
# Words that bring a story back to the present (以前…，今天他又…): after the last word of the past
_PRESENT_AGAIN = re.compile(r"(?<![到至])现在|今天|今晚|刚才|刚刚|正在|这会|马上|又(?!是)|还在|此刻|眼下|这次|这回")


def _clause_start(t: str, at: int) -> int:
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(t, 0, at)]
    return breaks[-1] if breaks else 0


def _clause(t: str, at: int) -> str:
    end = _CLAUSE_BREAK.search(t, at)
    return t[_clause_start(t, at) : end.start() if end else len(t)]


def _clause_break_after(t: str, at: int) -> int:
    found = _CLAUSE_BREAK.search(t, at)
    return found.end() if found else len(t)


def _present_again(t: str, at: int | None = None) -> int | None:
    """Where a story told in the past comes back to the present before the words at `at` (the whole message when
    None): the start of the first clause after the last past word before them that has a word of now in it, up to
    their own clause (None: no such clause). 以前打过我，他又打我了，上次报警也没用: 又 after 以前, whatever follows."""
    end = _clause_break_after(t, at) if at is not None else len(t)
    pasts = [m.end() for m in _PAST.finditer(t, 0, end)]
    if not pasts:
        return None
    now = _PRESENT_AGAIN.search(t, _clause_break_after(t, pasts[-1]), end)
    return _clause_start(t, now.start()) if now else None


# A calm question (这合理吗, 医药费谁出) and an urgent one (咋办, 快): after a resolution, the first ends the story
_ASKS_CALMLY = re.compile(r"(?:吗|么|不|没|呢|[？?])[\W_]*$|谁(?:出|管|负责|给)|多少|能不能|可不可以|合理|合法|算不算")
_HURRY = r"快(?!递|手|乐|餐)|救"  # 快点, 救救 (not 快递站, 快手: a courier, an app)
_ASKS_URGENTLY = re.compile(r"咋办|怎么办|咋整|怎么整|" + _HURRY)
_CRIES_HURRY = re.compile(_HURRY)


# 现在孩子在他外婆家, 现在在家: the present, to say where someone is safe
_SAFE_PLACE_NOW = re.compile(r"(?:在|回|到)(?:了)?(?:他|她|我)?(?:外婆|奶奶|姥姥|姥爷|爷爷|外公|亲戚|朋友|我妈|娘)家|现在在家|回家了|安全了|挺好的|没事了")
# Words of money and law that happen to hold a character of harm (医药费, 工伤): not harm in a story's ending
_COSTS = re.compile(r"医药费|药费|医疗费|住院费|护理费|工伤|伤残|伤情|验伤")


def _ends_resolved(t: str, at: int) -> bool:
    """A resolution at `at` ends the story: nothing of now or urgency follows it, and nothing of harm outside calm
    questions and words of money (现在都好了 老板让我自己出医药费 这合理吗) — not 伤好了，他在门口砸门, where it only
    opens a new account."""
    rest = _FIGURATIVE_DEATH.sub("，", t[_clause_break_after(t, at) :])
    if _ASKS_URGENTLY.search(rest) or (_PRESENT_AGAIN.search(rest) and not _SAFE_PLACE_NOW.search(rest)):
        return False  # 伤已经好了 他又来了 在敲窗户: the present again (unless to say where they are safe now)
    told = [c for c in _CLAUSE_BREAK.split(_COSTS.sub("", rest)) if c and not (_LEGAL_QUESTION.search(c) or _ASKS_CALMLY.search(c))]
    return not any(_HARM.search(c) for c in told)
