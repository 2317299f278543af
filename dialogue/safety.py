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

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import zhconv

from dialogue.intents import without_person_request
from dialogue.textmodel import TextModel, ideographs
from dialogue.texts import THANKS

VIOLENCE, INJURY, SUICIDE, CHILD, SELF_HELP = "violence", "injury", "suicide", "child", "self_help"
CATEGORIES = ("none", VIOLENCE, INJURY, SUICIDE, CHILD, SELF_HELP)  # the classifier's classes, in this order
STRONG, PLAIN, NOW, STATE, URGENT = "strong", "plain", "now", "state", "urgent"
MODEL_FILE = Path(__file__).with_name("safety_model.npz")  # written by `python bot.py bench safety --write`
MODEL_THRESHOLD = 0.5  # danger probability above which the classifier's word counts (see docs/benchmarks.md)
# An old story told to ask a legal question (以前…打过我 现在想离 咋申请) needs a surer classifier: the rules, which read
# the time, already had their say, and the story's words alone look like danger to a bag of characters.
MODEL_THRESHOLD_PAST_QUESTION = 0.85
MODEL_MIN_CHARS = 4  # shorter messages (numbers, 好的, 在吗) carry too little for the classifier: rules only

_G = r"[^，。！？；,.!?;\n]"  # a character inside one clause: gaps in the rules never cross a clause boundary
_KID = r"(?:娃|孩子|小孩|孩儿|丫头|闺女|姑娘|儿子|女儿|侄子|侄女|外甥|孙子|孙女|小娃|娃娃|学生|我弟|我妹)"
_PERSON = r"(?:他|她|他们|老板|包工头|工头|老公|男人|丈夫|老婆|媳妇|前夫|对象|那人|那个人|这人|这些人|那几个人|保安|打手)"
_ME = r"(?:我|俺|咱|我们|俺们|咱们)"


_SENTENCE_GAP = r"[^。！？；!?;\n]{0,16}"  # across commas: a time and the deed it names can sit in two clauses


def _gap(n: int) -> str:
    return f"{_G}{{0,{n}}}"


# (category, strength, pattern), in order of priority: the first rule that fires names the category.
_RULES: tuple[tuple[str, str, str], ...] = (
    # suicide or self-harm
    (SUICIDE, STRONG, r"活够了|不想活|活不下去|活着(?:也|还)?没(?:意思|意义|盼头|啥意思)|不如死了|死了算了|一死了之|想死|寻死|(?:想|琢磨|寻思|考虑)(?:着)?怎么死|怎么死(?:才|最)?(?:不疼|不痛|痛快|快)"),
    (SUICIDE, STRONG, r"(?:抱着|带着|领着)(?:娃|孩子|俩娃|两个娃)" + _gap(4) + r"(?:走了算了|一起死|去死|跳(?:河|楼|下去|井))|一了[百白摆]了|(?:想|要|准备|打算)(?:去)?(?:zi ?sha|zi杀|自沙|自刹|紫杀)"),
    (SUICIDE, STRONG, r"了结(?:自己|了算了|算了)|不会(?:再)?让(?:人|你们|他们)(?:发现|救)|遗书|后事(?:我)?(?:都)?交代|最后一条消息|不想再往回走"),
    (SUICIDE, STRONG, r"(?:吃|喝)(?:了)?(?:一瓶)?(?:安眠药|农药|敌敌畏|百草枯)" + _gap(6) + r"(?:晕|难受|吐|想找)|安眠药(?:都)?吃了|割腕|划了几道|绳子(?:我)?(?:都)?准备好"),
    (SUICIDE, STRONG, r"烧炭|炭(?:盆|火)?(?:都)?(?:点|烧)(?:上|着)?了|(?:门窗|窗户)(?:都)?封(?:好|死)了|刀在手上|(?:我|俺)(?:也)?不活了|唔想(?:再)?(?:生存|活|捱)|捱唔落去|(?:企|坐|站)?喺(?:天台|楼顶|桥|海边|河边)"),
    (SUICIDE, STATE, r"(?:站|坐|蹲|人|我)(?:已经|现在)?(?:在)?(?:楼顶|天台|桥上|河边|黄河边|窗台|楼上窗)"),
    (SUICIDE, STATE, r"(?:农药|安眠药|老鼠药|敌敌畏|百草枯)(?:已经)?(?:拌|倒|兑|掺|放)(?:进|到|在)(?:了)?(?:饭|水|酒|碗|杯)"),
    (SUICIDE, PLAIN, r"(?:想|要|准备|打算)(?:去)?(?:跳楼|跳河|跳下去|上吊|自杀|轻生|喝药|寻短见)|跳下去|往下跳|跳落(?:嚟|去|来)|(?:桥|楼|河|崖)[^，。！？；,.!?;\n]{0,3}那?一跳|药(?:我)?(?:已经)?买好"),
    (SUICIDE, PLAIN, r"对不起" + _gap(6) + r"(?:妈|爸|娃|孩子|家里)|(?:跟|替)(?:我)?(?:妈|爸|娃|孩子|家里)" + _gap(3) + r"对不起|(?:替|帮)我照顾|(?<![嫌说骂])我(?:就)?是(?:家里的|他们的)?累赘"),
    (SUICIDE, PLAIN, r"(?:猫|狗|宠物)(?:请|麻烦)?(?:你们|大家)?帮(?:我)?(?:找个好人家|送人|养着)|把自己(?:关|锁)(?:在)?(?:屋|房)|(?:农药|安眠药|老鼠药|敌敌畏|绳子)(?:拿|带|藏)(?:进去|走了|在身上)"),
    (SUICIDE, NOW, r"撑不下去|撑不住了|不想(?:再)?撑"),
    # a child being hurt now
    (CHILD, STRONG, r"^(?:我)?(?:的)?(?:娃|孩子|小孩|闺女|儿子|女儿)(?:丢了|不见了|找不着了|找不到了)|救救(?:娃|孩子)"),
    (CHILD, STRONG, r"把" + _KID + r"(?:举|抱|吊|提)(?:到|在|出)(?:了)?(?:窗外|窗户外|阳台外|窗台|楼外)"),
    (
        CHILD,
        URGENT,
        r"^(?=.*"
        + _KID
        + r").*(?:今晚|今天晚上|晚上回去|一会儿?回去|回去以后)"
        + _gap(6)
        + r"(?:还要|又要|要)(?:打(?![针疫电工游球扫卡车听])|揍|抽(?![血烟])|收拾(?!东西|行李|书包|屋|房|衣))",
    ),
    (CHILD, PLAIN, r"(?:扣|关|锁)(?:着|住)" + _gap(4) + _KID + _gap(6) + r"不(?:让|许|放)(?:走|出|回)"),
    (CHILD, STRONG, r"(?:我爸|我妈|后妈|后爸|继父|继母)(?:又)?(?:开始|在|正在)?(?:打|抽|揍)我"),
    (CHILD, STRONG, r"往(?:面包车|车上|车里)(?:上)?(?:拽|拉|拖|塞)|(?:硬拉着|拽着|拖着)(?:一个)?(?:小)?" + _KID + "|" + _KID + _gap(8) + r"不认识他"),
    (CHILD, STRONG, r"(?:抱着|背着)(?:别人家|邻居家)(?:的)?" + _KID + r"|对(?:我)?(?:姑娘|女儿|闺女|娃|孩子)" + _gap(4) + r"(?:做那种事|动手动脚)"),
    (CHILD, STRONG, _KID + _gap(6) + r"(?:惨叫|哭得嗓子|喊救命|一直在?(?:哭|喊|叫))|(?:打|抽|烫|揍)" + _KID + _gap(10) + r"(?:钟头|小时)"),
    (CHILD, PLAIN, _KID + _gap(8) + r"(?:关在门外|门外头|光着脚|铁链|拴在|吊起来|烟头|满身是伤|身上都是伤|满身是血|浑身是血)"),
    (CHILD, PLAIN, r"(?:拿|用)(?:烟头|皮带|棍子|衣架|鞭子)" + _gap(3) + r"(?:在)?(?:打|抽|烫)(?:娃|孩子|小孩|我侄子|我侄女|他们|他)|把(?:他|她|娃|孩子)(?:吊起来|关在" + _gap(6) + r"打)"),
    (CHILD, NOW, r"(?:打|抽|揍|踢|烫)(?:娃|孩子|小孩|我侄子|我弟|我妹)"),
    (CHILD, PLAIN, r"^(?=.*" + _KID + r").*(?:到处|四处|哪都|哪儿都|哪里都)找不(?:着|到)|" + _KID + r"(?:走丢了|被人抱走了?|被拐)"),
    (CHILD, STATE, _KID + _gap(6) + r"(?:[一两三几]天|一夜|一晚上|昨晚|一宿|到现在)(?:都|还)?没(?:回家|回来|着家|去学校|出门|出屋)"),
    (CHILD, STATE, r"(?:屋里|里面|门里)(?:有|传来|一直有)哭声|敲门(?:也|都)?没人(?:应|开)"),
    # 那个网友让我表妹去车站 她已经上车了: someone met online taking a child away now
    (CHILD, PLAIN, r"(?:网友|网上认识的|游戏里认识的|那个人|那个男的)" + _SENTENCE_GAP + r"(?:上(?:了)?车|去车站|来接|接走|带走|去见面|开房)"),
    (CHILD, STATE, r"(?:喝醉|喝多)(?:了)?" + _gap(10) + _KID + _gap(4) + r"(?:带走|抱走|抢走|拉走|拽走)"),
    (CHILD, URGENT, r"(?:娃|孩子|闺女|女儿|儿子)(?:送给|卖给)" + _SENTENCE_GAP + r"(?:今天|明天|下午|晚上|马上|这就)" + _gap(4) + r"(?:来领|来接|来抱|来带)"),
    (CHILD, STATE, r"(?:刚|刚刚|刚才)(?:硬)?把" + _KID + r"(?:给)?(?:抢|抱|拉|拽|拐|掳)走"),
    (CHILD, URGENT, r"^(?=.*" + _KID + r").*约" + _gap(6) + r"(?:今晚|今天晚上|今天|明天)(?:出来)?见面"),
    # someone is hurting or about to hurt the writer (or those with them) now
    (VIOLENCE, STRONG, r"救命(?!钱|的|用|药|稻草)|快来人|快报警|报井|帮我报警(?!了)|快救救|救救我|(?i:sos)"),
    (VIOLENCE, URGENT, r"(?:今晚|今天晚上|晚上|一会儿?|待会儿?)" + _gap(3) + r"(?:回来|过来|找来)" + _gap(3) + r"(?:收拾(?!东西|行李|屋|房|家|衣|一下)|弄死|打死|砍(?![价树柴])|杀(?:了|你|我|人))"),
    (VIOLENCE, STRONG, r"(?:砍|捅|扎|划)(?:了)?" + _ME + _gap(4) + r"(?:一刀|两刀|几刀)"),
    (VIOLENCE, STRONG, r"(?:带|叫|喊|领)(?:了)?(?:一帮|一伙|几个|好多|一群|一车)?人(?:来|过来|上门)(?:打|砍|堵|砸|闹)" + _ME + r"?(?:们)?了"),
    (VIOLENCE, STRONG, r"^(?:他|她|有人|老板|男人|老公)?(?:又|在)?打我(?:了)?(?:，?快.{0,6})?$"),
    (VIOLENCE, STRONG, _PERSON + r"?(?:婆婆|公公|我爸|我妈|他爸|他妈)?(?:又|正)(?:在)?(?:打|揍|踢|掐|抽)(?:我|俺)|(?:打|揍|踢|掐)紧(?:我|俺)"),
    (VIOLENCE, STRONG, r"(?:正在|还在|又在|一直在)(?:打(?:我|人|她|他|俺)|砍|砸东西|砸门|踹|撞门|追|掐|捅)"),
    (VIOLENCE, STRONG, r"(?:拿着|提着|拎着|抡着|扛着|举着|拿到|拿了|握着|揣着)(?:刀|菜刀|斧头|棍|铁锹|锤子|砖头|枪|钢管)" + _gap(10) + r"(?:找|追|砍|打|踹|说要|在|门)"),
    # 血汗钱不给 我买了一桶油放在车上: petrol bought in a message about wages
    (SELF_HELP, STRONG, r"^(?=.*(?:工资|工钱|血汗钱|老板|包工头|工头|欠)).*?(?:买|带|拎|提|备)(?:了|着|好)?(?:一)?(?:桶|壶)(?:汽油|柴油|油)"),
    (VIOLENCE, PLAIN, r"要打断(?:我|俺|我们)(?:的)?腿"),
    # 老人突然说不出话: a stroke or a collapse now
    (INJURY, PLAIN, r"突然(?:说不出话|说不了话|不能动|动不了|倒地|晕倒|栽倒|昏过去|抽起来)"),
    # 他冲进来打我: someone broke in and is beating
    (VIOLENCE, STRONG, r"(?:冲|闯|踹门|破门)进(?:来|屋|门|屋里)" + _gap(4) + r"(?:打(?!卡|招呼|听|电话|扫|断|量|工|开)|砍|掐|踹|揍|捅)"),
    # 我男人掐我, 有人闯进我家了
    (VIOLENCE, STRONG, r"(?:他|她|男人|老公|老婆|媳妇|对象|前夫|那人|老板|包工头|工头)(?:正在|在|又)?掐(?:我|俺|着我|住我)|"
     r"(?:有人|坏人|小偷|他)(?:闯|冲|撬门)进(?:了)?(?:我家|屋|家里|来)"),
    # 又抡板凳了 (东北: swinging a stool at someone again)
    (VIOLENCE, STRONG, r"(?:又|正|在)抡(?:起)?(?:板凳|凳子|椅子|棍子|棒子|酒瓶|刀|菜刀)"),
    (VIOLENCE, STRONG, r"(?:掐|勒)(?:着|住)?" + _ME + r"?(?:的)?(?:脖子|喉咙)|掐脖子"),
    (VIOLENCE, STRONG, r"(?:在|又)(?:砍|踹|撞|砸)门|门(?:外|口)(?:头)?(?:一直)?(?:踹|撞|砸|砍|撬)|(?:踹|撞|砸|撬)开(?:了)?(?:一道缝|一条缝|一半)|门(?:快)?撑不住|门(?:要|快)(?:要)?(?:被)?(?:他|他们)?(?:砍|踹|撞|砸|撬)(?:开|烂|坏|破)"),
    (VIOLENCE, STRONG, r"又要(?:冲|撞|开|打|砍)过来|(?:开车|开着车)(?:撞|冲)(?:我|过来)"),
    # 他…手里拿着斧头, 翻墙进院子: armed, breaking in
    (VIOLENCE, STRONG, _PERSON + _gap(8) + r"(?:手里|手上)?(?:拿|提|握|举|抡)着(?:刀|菜刀|斧头|砍刀|棍子|铁棍|钢管|锤子|砖头)|翻(?:过)?墙(?:进|过来|进来)|翻墙"),
    # 现在在门口喊要弄死我: at the door and threatening to kill
    (VIOLENCE, STRONG, r"(?:在|到|堵在)(?:我家|家)?(?:门口|门外|楼下|屋外|窗户外)" + _gap(4) + r"(?:喊|说|叫|骂|嚷)(?:着)?(?:要)?" + _gap(3) + r"(?:弄死|打死|砍死|杀了|捅死)"),
    (VIOLENCE, PLAIN, _PERSON + _gap(8) + r"(?:要|说要|扬言|喊着要|今天|今晚)" + _gap(8) + r"(?:砍|杀|弄死|打死|打断|捅|废了)"),
    (VIOLENCE, PLAIN, r"把" + _ME + r"(?:们)?" + _gap(4) + r"(?:锁|关|堵|围|绑)(?:在|住|了|起来)|(?:把)?车门锁了|要把" + _ME + r"(?:拉|带|拖|弄)到"),
    (VIOLENCE, PLAIN, r"(?:揪着|扯着|拽着)(?:头发|衣服)|往(?:地上|墙上)(?:磕|撞)|在后头追|追着" + _ME + r"|满(?:村子|工地|厂子?|街)(?:找|追)" + _ME),
    (
        VIOLENCE,
        URGENT,
        r"(?:半个钟头|半小时|一个钟头|一小时|几分钟|一会儿?|待会儿?|今晚|今天晚上|等我下班)"
        + _SENTENCE_GAP
        + r"(?:砍|杀了|杀我|弄死|打死|拖回去|拖走|来我屋|来我宿舍|带着?家伙|带着?刀|让我等着)",
    ),
    (VIOLENCE, PLAIN, r"找上门来了|人已经到|堵在(?:门口|巷子|路上)|把" + _ME + r"(?:们)?堵|动手了"),
    (VIOLENCE, PLAIN, r"(?:刚|刚刚|刚才)(?:被|叫|让)" + _gap(3) + r"(?:打|揍|踢|扇|掐)|把" + _ME + r"(?:们)?(?:关|锁)(?:在|进)?" + _gap(4) + r"了"),
    (VIOLENCE, NOW, r"(?:打|踢|扇|抽|砍|威胁)" + _ME + r"|(?:喊|叫|带)(?:了)?(?:一帮|一伙|几个)人|(?:躲|藏)(?:在)?(?:厕所|柜子|床底|里屋|屋里|邻居家|车里|外面|山上|地里)"),
    (VIOLENCE, NOW, r"不(?:让|叫|许|给)" + _ME + r"?(?:出去|走|下车|下|出门|回家)|不敢回(?:家|去)?|手(?:都)?在抖|吓死了|好害怕"),
    # serious injury or an accident happening now
    (INJURY, STRONG, r"^(?:人)?(?:昏|晕)(?:过去)?了$|大出血|血止不住|一直(?:在)?(?:淌|流|冒|出)血|(?<!牙龈)(?<!鼻子)(?:嘎嘎|哗哗|(?<!简)直|一个劲)(?:地|的)?(?:淌|流|冒)血|流(?:了)?(?:好多|很多|一地|满地)(?:的)?[血学雪穴]|口鼻(?:都)?(?:在)?出血"),
    (INJURY, STRONG, r"叫不醒|叫(?:他|她)?不应|唔识郁|郁唔到|喊(?:也|都)?不应|不省人事|没(?:了)?(?:呼吸|心跳)|不(?:喘气|呼吸)了|不动弹|一动不动|(?:趴|躺)(?:在)?(?:那|那儿|那里|地上)(?:一)?不动|(?:拿|用)(?:衣服|毛巾|布)(?:给)?(?:包|捂|缠)着"),
    (INJURY, PLAIN, r"被(?:机器|机子|皮带|滚筒|搅拌机|绞车)(?:给)?(?:绞|卷|轧|夹|咬)(?:住|进去|着|了)?(?!伤)"),
    (INJURY, STRONG, r"(?:摔|掉|砸|压|撞|电|栽)[^。！？；!?;\n]{0,10}(?<![走干拿搬扛跑爬抬推拉挪做])不动了"),
    (INJURY, STRONG, r"(?:人|他|她|两个|几个)" + _gap(6) + r"(?:(?<![直还都也])没动静|没气了)|(?:卷|绞|轧|夹)进去|骨头都(?:看见|露出)|扎穿|吊在半空|安全绳(?:断|松|没挂)"),
    (INJURY, STRONG, r"(?:下面|底下|里面)(?:还)?(?:压|埋|困)着|(?:被|遭)(?:土|沙|石头|砖|墙)?(?:埋|压)(?:到起|住了|在里头|在里面)|只(?:看得到|看得见|看到|露出|露着)(?:一只|一个)?(?:手|脚|头)|(?:压|埋|困)(?:在)?(?:下面|底下)|挖不出来|(?:被|让)(?:土|沙|石头|砖|泥)?埋了|埋进去了|正在挖|在挖人|塌方了|(?<![老旧危])(?:楼|房|墙|顶|棚|架子|工棚|隧道|井|坑|沟)(?:子)?(?:塌|垮)了"),
    (INJURY, STRONG, r"着火了|起火了|(?<![气肺脑头心爆要态了我])(?<!真的)(?<!头都)(?<!头快)(?<!头要)(?<!脑子都)(?<!脑壳都)(?<![气憋急烦火屈]得快)(?<![气憋急烦火屈]得要)炸了(?!炸)|(?:锅炉|煤气罐|液化气罐|气罐|罐|瓶|炉子|储罐|电瓶|电池|管道|热水器|灭火器|高压锅)[^，。！？；,.!?;\n]{0,5}(?:要|快)(?:炸|爆)了|(?<![我要得])爆炸了|电着了|触电了|被电(?:打|击|到|着)(?:了)?|烫着了|烧着了|中毒了|煤烟味|煤气味|一氧化碳"),
    (INJURY, STRONG, r"冒(?:黑|浓)烟|浓烟|烧起来了|火灾"),
    (INJURY, STRONG, r"(?:手指|指头|手|胳膊|腿|脚)(?:头)?" + _gap(4) + r"(?:锯|切|轧|绞|夹|砸|压)(?:掉|断|烂|碎)(?:了|一截|一节|半截)|满(?:手|脸|头|身|嘴)(?:都)?是血"),
    (INJURY, STATE, r"(?:疼|痛)得(?:动不了|起不来|站不起来|直不起腰|喘不上气)|(?:肋骨|肋巴骨|骨头)(?:好像|可能)?断了" + _gap(8) + r"(?:喘|疼|动不了)|喘气(?:都)?困难"),
    (INJURY, NOW, r"被(?:狗|蛇)咬(?:了|伤)|(?:好大|很大|一个大)(?:的)?口子"),
    (INJURY, PLAIN, r"抽搐|(?:嘴(?:唇)?|浑身|全身|脸)(?:都)?发紫|不怎么喘气|喘不动|翻白眼|喘不上气|喘不过气|晕(?:过去|倒)了|倒(?:在)?(?:地上|那儿|那里)(?:了)?|昏迷|砸到头|一直吐|脸(?:都)?白了"),
    (INJURY, PLAIN, r"(?:喝|吃)(?:了)?(?:农药|消毒水|敌敌畏|百草枯|老鼠药)"),
    (INJURY, NOW, r"(?:掉|摔|栽|跌)(?:下来|下去)了|受伤了|伤得(?:很|好)?重"),
    # violent or dangerous self-help over wages
    (
        SELF_HELP,
        STRONG,
        r"(?:准备|打算|要|今晚|今天晚上|明天|这就)"
        + _gap(4)
        + r"把"
        + _gap(6)
        + r"(?:房|厂|车|仓库|办公室|配电房|配电室|工棚|工地|宿舍|店|家|机器|设备|塔吊)(?:子)?(?:给)?(?:点了|烧了|炸了)",
    ),
    (SELF_HELP, STRONG, r"开车(?:去)?(?:撞|轧|碾)(?:死)?(?:他|她|老板|包工头|工头)|同归于尽|拼个你死我活|家伙(?:都)?备好|带(?:了|着|上)家伙|(?<![镰剪])刀(?:我)?(?:都|已经|早就|早)?磨好"),
    (SELF_HELP, URGENT, r"谁拦(?:着)?(?:就)?跟谁(?:干|拼)|把(?:他|老板|包工头|工头)(?:的|家)?(?:娃|孩子|儿子|闺女)(?:接|带|抱|领)(?:走|到我家|到我这|回我家)"),
    (SELF_HELP, STRONG, r"(?:带|拿|揣|提|拎)(?:着|上|了)?(?:把)?(?:菜刀|斧头|砍刀|钢管|铁棍|棍子|锤子|铁锹)" + _gap(6) + r"(?:去|到|找|等|堵)|炸药|雷管|你们别劝"),
    (SELF_HELP, PLAIN, r"揍(?:他|老板|包工头|工头)?一顿|(?:去)?(?:堵|截)(?:住)?(?:他|老板|包工头|工头)" + _gap(6) + r"(?:揍|打|收拾|教训)"),
    (SELF_HELP, PLAIN, r"跟(?:他|她|老板|包工头)拼(?:了|命)"),
    (SELF_HELP, PLAIN, r"(?:捅|砍|杀|宰|弄死|废|斩)(?:了|死)?(?:他|佢|老板|包工头|工头|那个)"),
    (SELF_HELP, PLAIN, r"一把火(?!把(?:这|那)?(?:份|张)?(?:合同|协议|欠条|文件|工资条|书))|放火|(?:浇|泼|淋)(?:上|了)?(?:汽)?油|炸了他|炸(?:他)?(?:厂|家|公司)"),
    (SELF_HELP, PLAIN, r"点(?:了)?(?:他|她|老板|包工头|工头)(?:的|家)?(?:房子|家|厂|车|工地|仓库|办公室|屋)|把(?:他|她|老板|包工头)(?:的|家)?(?:房子|厂|车|仓库|办公室)?(?:给)?点了"),
    (SELF_HELP, PLAIN, r"(?:带|拎|提|揣|买)(?:着|了)?(?:一)?(?:桶|瓶|壶)?汽油" + _gap(10) + r"(?:找|去他|去老板|去包工头|去工地|去公司|烧|点|浇|泼|同归)"),
    (SELF_HELP, STRONG, r"(?:他|老板|包工头|工头)(?:家|的)?" + _KID + _gap(10) + r"(?:放学|上学|回家)" + _gap(10) + r"(?:摸清|摸透|盯好|盯了|打听清)"),
    (SELF_HELP, URGENT, r"就差(?:点火|一把火|划火柴)|油(?:都|已经)?(?:浇|泼)(?:好|上)了"),
    (SELF_HELP, STATE, r"(?:爬|上)(?:到)?(?:了)?(?:塔吊|楼顶|高楼|烟囱|广告牌|脚手架)(?:上|顶上|上头)?了"),
    (SELF_HELP, PLAIN, r"(?:爬|上)(?:到)?(?:塔吊|楼顶|高楼|烟囱|广告牌)|当(?:他|着他)?(?:的)?面喝|喝药给他看|(?:门口|家门口)喝药"),
    (SELF_HELP, PLAIN, r"把(?:高速|路|路口|大门|工地)" + _gap(4) + r"(?:堵|封)|堵(?:了)?(?:高速|路|大门)|焊死|电闸|绑了"),
    (SELF_HELP, STRONG, r"(?:车|刹车|油门|煤气|燃气|电线|电闸)(?:上|里)?(?:被我)?(?:动了|做了)(?:点)?手脚|刹车(?:线|片)?(?:被我)?(?:剪|拔|松|卸)(?:了|断)"),
    (SELF_HELP, PLAIN, r"把他(?:的)?(?:车|厂|店|家|门)(?:子)?(?:给)?砸|砸(?:了)?他(?:的)?(?:车|厂|店|家)|把他(?:屋里|家里)人看住"),
)
_COMPILED = tuple((cat, strength, re.compile(p)) for cat, strength, p in _RULES)

# Words of now. 还在 is kept apart: it also means "keeps doing" (还在微信上发些不三不四的话), so harassment told as a
# pattern is read against _RIGHT_NOW, every other check against _NOW.
_RIGHT_NOW = re.compile(
    r"正在|现在|宜家|而家|此刻|刚才|刚刚|又在|又开始|又来|一直在|马上|立刻|快点|赶紧|今晚|今天|明天|明早|一会儿|"
    r"待会|这会|躲在|藏在|蹲着|手在抖|刚被|刚让|不让叫车|不让(?:叫|打)(?:120|救护车)|咋办啊|怎么办啊|救救|拉不住|拦不住|拉不开|进不去|这就去|就过去|满(?:手|脸|头|身)(?:都)?是血"
)
_NOW = re.compile(_RIGHT_NOW.pattern + r"|还在")
_HYPOTHETICAL = re.compile(
    r"(?:^|[，。,\s])(?:如果|假如|假设|万一|要是|若是|倘若|比如)|我就问问|不会真|只是问问|写小说|打个比方|"
    r"(?<!不是)(?<!不是说)气话|嘴上说说|说说而已|小说|哈哈|开玩笑|开个玩笑|😂|🤣|当然不会|又不傻|的节奏|心态\S{0,3}炸|头都大了|演习|演练|假装|模拟|[（(]不是[)）]"
)
# "要是今天还不给，我就从这跳下去": an ultimatum, not a hypothetical
_ULTIMATUM = re.compile(r"(?:要是|如果|再)" + _G + r"{0,6}不(?:给|发|还|结账|结钱|结工)(?:钱|工资|工钱)?[，,\s]?" + _G + r"{0,4}(?:我就|就)")
# "这种人": news about a kind of person (but see rule_danger: after a threat for tonight it is the one making it)
_THIS_KIND = re.compile(r"(?:这|那)种(?:老板|人|爹|爸)")
_NEWS = re.compile(
    r"新闻|报纸|报道|电视上|抖音|快手|视频里|看视频|刷视频|刷到|网上看到|看到一个|看见一个女|听说(?!(?:他|她|老板|包工头|工头|那人|那个人)(?:今|明|晚|一会|待会|马上|要|在|回))|有个农民工|有个人|"
    + _THIS_KIND.pattern
    + r"|广告(?!牌)|看了个视频|视频上|看了(?:个|部|一部)电视剧|朋友圈(?:说|看到|里|有人)|群里(?:说|传)|谣言"
)
# News in the strict sense, for the classifier (看到一个男的带走了 is something seen, not a report)
_NEWS_REPORT = re.compile(r"新闻|报纸|报道|电视上|抖音上|快手上|刷到|网上看到|看了个视频")
_PAST = re.compile(
    r"以前|之前|从前|去年|前年|上个月|上月|上回|上次|那次|那回|那时|当时|小时候|曾经|前些年|前几年|早几年|那几年|前阵子|前两年|几年前|\d+年前|"
    r"[一二两三四五六七八九十几]年前|(?:19|20)\d\d年|二〇[一二〇][〇一二三四五六七八九]年|当年|那年(?!轻|纪)|过去了|后来|(?<!今天)(?<!昨天)前天|前几天|前段时间|前些天|那阵子|那会儿|[打想挨伤砸摔骂关烫]过"
)
# 在医院住了一礼拜了: an injury told afterwards (only injuries: 住院半个月了 他喝醉了又打我 is violence now)
_STAY = re.compile(r"住(?:了)?(?:院)?(?:[一二两三四五六七八九十几半]|\d+)(?:个)?(?:天|周|礼拜|星期|月)了")


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
    r"好多了|(?:伤|病|人|身体)(?:已经|也|早就|早)?(?:都)?好了|(?:现在|早就|早)(?:都|也)?好了|没事了|出院|稳住了|救回来|救过来|救上来|救出来了|缓过来|挺过来|想开了|已经判|判了|在监狱|分开住|(?<![道条])缝了|住过院|"
    r"去世|走了几年|走了半年|生前|打(?:了|过)疫苗|(?:已经)?解决了|搬走了|好点了|好一点了|太冲动了|没了还|现在好好的|虚惊一场|有惊无险|(?:被|让)(?:人|大姐|路人|邻居|我们|警察)?[^，。！？；,.!?;\n]{0,6}(?:拉住|拦下来|拦住|劝住|救下来)了|现在好些了|(?:我)?挺好的|高压氧|在医院(?:观察|治疗|抢救)|在ICU|(?:警察|民警)(?:已经)?(?:上门)?(?:教育|处理|调解)(?:过)?了|冷静(?:了|下来)|后来离了|已经离婚|在家养着|养着伤|在家养伤|在家歇着|在家休养|(?:警察|公安|派出所)(?:已经)?把(?:他|她|人)(?:带走|抓走|抓起来)|放出来了|被解救|查封了|"
    r"包好了|保住了|送医了|截了|(?:已经)?被(?:抓|拘留|逮捕)(?:起来)?了|(?:缝|接)好了|(?<!不)找(?:到|着|回来)了|接回来了|送(?:到)?医院了|搬出来了|劝下来|劝回来|慢慢适应|好了以后|已经消了|痊愈|康复了"
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
_IDIOMS = re.compile(r"拿(?:我|俺|我们|俺们|咱)?开刀|杀价|砍价|跳槽|炒鱿鱼|死工资|血汗钱|累成狗|堵车|血亏|血赚|血拼|笑死(?:了|我了)?|血压(?:都)?(?:上来了|高了)|(?:账号|号)(?:被)?封了")
# 气得我想跳楼: anger said with a figure of speech (the rest of the message is still read: 气得想死 不想活了 fires)
_ANGER_FIGURE = re.compile(r"(?:想死|寻死)的心都有(?:了)?|气得(?:我|俺)?(?:都|真)?(?:想|要)(?:跳楼|跳河|撞墙|杀人|死)|气(?:得|到)(?:我)?吐血|(?:累|忙|加班加|烦|气|困|饿|热|冷|吵|闷|挤|无聊|上)(?:得|到)(?:我)?(?:都)?想(?:死|跳楼)")
# 工伤的事先放着 …: a subject set aside before the message turns to something else (its legal words are not asked)
_SET_ASIDE = re.compile(r"[^，。！？；,.!?;\s]{1,8}的事(?:情)?(?:先|就|暂时)?(?:放(?:着|一放|放)|不说了|不问了|以后再说)")
_IDIOM_PLAIN = {
    "血汗钱": "工资", "死工资": "工资", "杀价": "讲价", "砍价": "讲价", "跳槽": "换工作", "炒鱿鱼": "辞退",
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
_BEREAVED = re.compile(
    r"(?:爸|妈|爹|娘|爷爷|奶奶|外公|外婆|姥姥|姥爷|老人|公公|婆婆|老伴|丈夫|男人|老公|媳妇)"
    + _G
    + r"{0,6}?(?:走了|去世|过世|不在了|没了)"
)
_ESTATE = re.compile(
    r"房子|遗产|继承|存款|分(?:家|钱|房|地|财产)|不让(?:我们|我|俺)?分|遗嘱|抚恤|丧葬|宅基地|老屋|财产|债|网贷|贷款|催收|欠的钱|借的钱"
)
# What would make a bereaved person's message a cry for help all the same (他走了 我也不想活了)
_DESPAIR_WORDS = re.compile(r"死|跳|药|绳|刀|砍|杀|烧|火|血|打我|救命|不想活|活不下去|活着没|没意思|撑不(?:住|下去)|不如|陪他|随他|找他去")
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
    r"不见|拉走|抱走|带走|上车|中风|歪|抽|喘|淹|水里|河|楼|塔|电|毒|病|医院|急救|120|110|报警|娃|孩子|跟着|堵|追|扣|不让走|踹|门|煤气|迷糊|味"
)
# A lawful way to press for the money said in the same message: "跟他拼了" is a figure of speech there.
_LAWFUL_ROUTE = re.compile(r"仲裁|起诉|投诉|打官司|法院|劳动监察|监察大队|12333|(?:让|送|告)他(?:去)?坐牢")  # the classifier yields only to these
# A lawful way still to be taken: 明天就去仲裁, 还是走法律吧, 准备去起诉 (not 仲裁书下来了, 已经起诉了 but 不想等了)
_LAWFUL_PLAN = re.compile(
    r"(?:明天|马上|这就|准备|打算|要|想|还是|先|就)(?:去)?(?:申请)?(?:劳动)?(?:仲裁|起诉|投诉|打官司|找劳动监察|劳动监察|监察大队|人社局|劳动局|告他|走法律)|"
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
_VIOLENT_MEANS = re.compile(r"打|砍|捅|杀|弄死|刀|烧|火|油|炸|点|砸|锁|跳|爬|塔吊|楼顶|药|堵|绑|关|扣(?:住|下)|人|拼|同归于尽|血|刹车|动了手脚|不在乎")
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
# A thing that fell or broke (手机掉水里了), with no one hurt in the message: no accident to a person.
_OBJECT_MISHAP = re.compile(r"(?:手机|钥匙|钱包|身份证|银行卡|眼镜|手表|充电器|耳机|电动车|摩托车?)(?:又|也|都)?(?:给)?(?:掉|摔|泡|进水|落|丢|坏)")
_SOMEONE_HURT = re.compile(r"人|娃|孩子|小孩|老人|工友|血|伤|疼|痛|晕|救|断|骨|腿|胳膊|头|脸|身上|起不来")
# a parent who died, a visit refused, a family that wants the child (非要抢娃, in a divorce): words of the care
# question that are not harm to the child
_CHILD_CARE_WORDS = re.compile(
    r"(?:爸|妈|爹|娘|男人|老公|媳妇)(?:都)?(?:死了|没了|去世了?)|不让(?:我)?(?:看|见|探望)|打工|打零工|打电话|(?:非要|想要|要|想)抢(?:娃|孩子)|"
    r"哭着?(?:打电话)?(?:说)?想家|想家"  # 孩子住校 晚上哭着打电话说想家: homesick, not hurt
)
_CHILD_HARM = re.compile(
    r"打|揍|踢|抽|掐|虐|伤|关|锁|饿|烫|烧|拐|抱走|带走|领走|接走|拉|拽|拖|不见|丢|找不|联系不上|没回|哭|喊|欺负|摸|猥亵|"
    r"做那种事|脱|扯|按|淹|掉|爬|挂|药|血|跑|网友|陌生|不认识|跟着|盯|卖|骗|逼|绑|吊|扔|捂|晕|昏|窗|楼|房顶|河|火|触(?:了)?电|电(?:了|击|伤|打|着|到)|被电|漏电|电话(?:不接|打不通)|不接电话|关机|"
    r"霸凌|罚|堵|强奸|性侵|亲她|亲他|宿管|半夜进|勒索|青紫|紫|割|划|怀孕|插座|电线|电门|电箱|冒烟|卡(?:在|住)|卷进|喷|咬|吞|起泡|夹|困|缠|"
    r"喝了|误喝|误食|吃了|"
    r"摔|死|危险|救|报警|刀|扣下|不放|不让|跪|扎|钻|抢|进.{0,2}屋|进.{0,2}房间|下井|高空|压住|站不稳|怕"
)
# Leaving a job (辞了, 不干了), and the words of despair that would make it something else (不干了 活着也没意思)
_QUIT_JOB = re.compile(r"辞(?:了|职|工)|离职|不干了|不做了|跳槽")
# 我要坐牢吗, 要我赔: the writer asking what they have to answer for (see detect_danger)
_OWN_LIABILITY = re.compile(r"(?:我|我们)(?:要|会)?坐牢吗|(?:我|我们)(?:这)?(?:算)?(?:犯法|违法)(?:了)?吗|要我(?:们)?赔")
_EDGE = re.compile(r"桥|水库|河|江|海|楼顶|天台|悬崖|铁轨|站在|坐在|不想回|炭|煤炉|封(?:好|死|上)|门窗")  # places and means of the edge
_FIRED = re.compile(r"辞(?:退)?(?:我|了我)|开除|解雇|辞退|裁(?:员|掉|了我|我)|炒(?:了)?(?:我|鱿鱼)|让我走人|叫我走人")
_DESPAIR = re.compile(r"活|死|撑|累|走了|再见|对不起|绳|药|跳|结束|解脱|了结|别管|别找|最后|拖累|累赘|用不上|后事|不想")
_JOB = re.compile(_QUIT_JOB.pattern + "|" + _FIRED.pattern)


def _just_the_job(t: str) -> bool:
    """Leaving or losing a job (辞了不干了, 他就要辞我) with nothing of harm, despair or the edge beside it: the
    classifier's violence or despair is the job's words."""
    if not _JOB.search(t):
        return False
    rest = _JOB.sub("，", t)
    return not (_HARM.search(rest) or _DESPAIR.search(rest) or _EDGE.search(rest))
# Up high and saying they will come down and call back: someone at work, not on the edge.
_SUICIDE_PLACE = r"楼顶|天台|桥上|河边|窗台"  # where a suicide rule's place may be an everyday one (see rule_danger)
_HIGH_PLACE = re.compile(_SUICIDE_PLACE + r"|塔吊|架子上|房顶|屋顶")
_COMING_DOWN = re.compile(r"(?<!跳)下来(?:了)?再|回(?:你)?电话|信号不好")
# Everyday reasons to be up on a roof or by the river (抽根烟, 晒被子): not a suicide location.
_EVERYDAY_PLACE = re.compile(r"抽(?:根|支|口)?烟|透(?:透)?气|晒(?:被子|衣服|太阳)|收衣服|干活|修(?:房|屋)|钓鱼|乘凉|看风景|铺|防水|施工|刷漆|装修|搭棚")
_DIVORCE = re.compile(r"离婚|想离|要离|离了")  # a legal question when asked after the story (see rule_danger)
_LEGAL_QUESTION = re.compile(
    r"算不算|算(?:是)?(?:家暴|工伤|威胁|犯罪|违法)|犯法|违法|判(?:几年|多少|刑)|什么罪|啥罪|罪吗|能(?:不能)?告|能追究|"
    r"追究|赔偿|赔多少|坐几年|坐多少年|几年牢|能拿(?:到)?多少|多少钱|谁(?:来)?赔|该谁|工伤|认定|保险|保护令|补偿|抚养权|有用吗|有啥用|会不会被抓|"
    r"被抓吗|能不能|可以吗|合法|私了|咋申请|怎么申请|去哪申请|临时救助|负(?:法律)?责任|拘留|被拘|敲诈|故意伤害|鉴定|几级|伤残|咋评|怎么评|能报|报销|补贴|续上|咋认定|怎么认定|定性|法律上|该(?:谁)?赔|赔吗|赔不赔|让(?:我们|我|俺们|俺)\S{0,3}赔|告诫书|(?:当|算|作)证据|举报|能要|行不行|要不要|行吗|可以不|该咋(?!办)|正规|能管|管不管|咋讨|这样行|行不(?:行)?(?:$|[，。])|中不中|要(?:我|我们|俺)(?:来)?还|该不该还|用不用还"
)


# Short updates that carry the danger on, read only right after a message about it (see _still_in_danger)
_STILL = {
    VIOLENCE: r"出不去|防盗网|占线|弄死|掐死|打死|报不了警|手机(?:被)?(?:抢|收|砸)|借(?:邻居|别人)?的(?:手机)?|偷偷(?:发|打)|门(?:要|快)(?:开|破|撑不住)了|拿(?:着|了)?(?:刀|菜刀|斧头|棍|铁锹|锤子|砖|钢管)|又嚟|嚟咗|(?:抓|按|掐|揪|拽|捆|绑)住|又(?:来|打|动手|开始|闹|砸|踹|追|骂|拿)|(?:(?<![出起下醒上接])来了|过来了|找来了|找过来了|找上门|回来了|进来了|追来了|冲过来)|"
    r"在(?:门口|门外|楼下|窗户外)|又开始了|还在(?:打|砸|闹|骂|找|门)|不让我走|躲(?:在|起来)",
    INJURY: r"(?:要|还要|得)[^，。]{0,3}(?:几十|四十|三十|二十|半|一|两|\d+)(?:个)?(?:分钟|钟头|小时)|山里|摸不到|没(?:了)?心跳|没(?:了)?脉|没信号|打不出去|发紫|发青|脸色|吐血|呕血|不让(?:打电话|叫车|叫救护车|送医|打120)|好困|想睡|车坏|还有[^，。]{0,4}公里|还没醒|没醒|叫不醒|喊不醒|没反应|还在流|止不住|不行了|没气|不动了|还压着|没出来|没上来|喘不上|抽起来|越来越",
    SUICIDE: r"最后(?:跟|和|再|说|看)|还在(?:楼顶|天台|桥|江边|河边|海边|上面|顶上|屋顶|房顶|水库)|已经(?:吃|喝|吞)|准备好了|(?:我)?决定了|想好了|报警我(?:就|马上)|马上(?:跳|喝|吃)|不想打电话|救不了|起作用|又(?:吃|喝|吞)了|水到|就这样吧|没用的|好困|想睡|没人(?:会)?在乎|还是要走|我要走了|先走了|不想被救|别救我|不要救|打了也没用|不会打|(?:在|到)(?:楼顶|桥上|河边|天台|江边|水库)|不想活|再见|最后一|别找我|没意思|撑不住|下去了",
    CHILD: r"打不开|砸不开|看不到了|掐死|弄死|再报警就|不喘气|还要等|在里面(?:叫|哭|喊)|要等24小时|等24小时|紫了|没看见|天黑了|还没回来|还没找到|还是(?:找不到|没找到|没找着)|关机|打不通|接到(?:她|他)了|网友|车开|开出|上(?:了)?车|没声音|没见着|没见到|没看到人|联系不上|不见了|还没回家|又(?:打|来|开始)|(?<![出起下醒上接抱找送回])(?:来了|进来了)|还在(?:打|哭|喊)|"
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
_BODY_NOW = re.compile(r"不喘气|没(?:了)?气|发紫|发青|没反应|不动了|叫不醒|喊不醒|血(?:还在|止不住|一直)流|还在流血|还没醒|没醒过来")
# 警察来了 我不下来: help is there, and the person will not come down
_STILL_THERE = re.compile(r"不下来|不下去|不开门|不让(?:他们|警察)?进|不走")
_MONEY_TALK = re.compile(r"垫钱|垫付|垫了|抚养费|赡养费|生活费|离婚|(?:不肯|不给)(?:出|垫|赔)|赔钱|工资|工钱")  # 老板不肯垫钱怎么办: a question of money
_LATELY = re.compile(r"最近|这段时间|这阵子|这些天|老是|经常|总是")  # 他最近又放狠话: a pattern, not this minute
STILL_MAX_CHARS = 16  # an update longer than this says what it is about itself
# Right after an emergency reply, a short update is read as the danger going on unless it says otherwise: these say
# it is over or in hand, or leave the danger for something else (a question of law or money is read above)
_CALM_UPDATE = re.compile(
    r"(?:包扎|缝|打完针|输上液|输液|拍了片|拍片|检查|看过了|上了药|处理)(?:好)?了|不(?:怎么)?(?:疼|痛)了|好(?:一)?(?:点|些|多)了|"
    r"想通了|(?:再)?撑撑|不(?:会|想)(?:再)?(?:做|干)|(?:交给|交了)(?:民警|警察|派出所)|收走了|拿走了|(?:扔|丢)(?:掉)?了|"
    r"回(?:了)?(?:屋|家|宿舍|去|来)了|到家了|不去\S{0,3}了|从" + _G + r"{0,6}下来了|(?:抱|救|拉|劝)下来了|接(?:到|回)|在我(?:身边|旁边|怀里)|找(?:着|到)了|"
    r"锁好(?:门)?了|(?:锁|关)好门|打完(?:了)?热线|(?:打|拨)了(?:心理)?热线|警察(?:在|来)(?:处理|调解)|调解|接走了|没动手|误会|吵(?:了)?(?:几句|架)|"
    r"(?:冇|无|没)事|感觉好|好好活|(?:钱)?到账|转给我|结账|跟进|醒(?:了|咗)|搵到|揾到|(?:医生|大夫)看过|吐出来了|还有(?:孩子|娃|老人)|不值得|"
    r"(?:在|到|喺)(?:了)?(?:外婆|奶奶|姥姥|亲戚|朋友|我妈|娘|同事|邻居)(?:家|屋企)|屋企|在家(?:待着|呆着|里)?|走法律|法律途径|安全|"
    r"^(?:好的?|嗯+|哦+|噢|知道了|明白了?|晓得了|收到|行|好吧|可以|懂了|ok|OK|Ok)[啦了呀啊哈！!。.~～，,\s]*$"
)
# ... or that turn to help already there, the law, money or a later step (到医院了, 误工费怎么算, 明天去劳动监察大队)
_MOVES_ON = re.compile(
    r"医院|急诊|医生|大夫|住院|石膏|洗(?:完)?胃|生命危险|救得(?:回来|过来)|抢救过来|庇护所|笔录|登记|民警|消防|"
    r"投诉|仲裁|起诉|告(?:他|状)|欠条|合同|证明|工伤|赔|费|工资|工钱|欠薪|结清|结账|劳动局|监察|律师|法院|保护令|老师|学校|"
    r"押金|谈|协商|答应|给了|出钱|看病|(?:\d|[一二三四五六七八九十几])(?:周)?岁|未成年|退休|(?:会|在)处理|(?:派出所|警察|民警)叫去|接下来|下一步|以后|先去|明天去|明天来|问问|"
    r"从" + _G + r"{0,6}下来了|到地面|劝住|拉住|不抽了|退(?:烧|了)|幸好|还好|好好的|断(?:了)?电|没(?:事|大碍|危险)|睡会|歇会"
)
_DISTRESS_EMOJI = re.compile("[😭😢😰😱😨😖😣🆘🔥🔪🩸💀😵🚑]")
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]")


def _unexplained(t: str) -> bool:
    """A short update right after an emergency reply that says nothing of the danger being over or of anything
    else (风好大, 楼梯上有脚步声, 眼皮越来越重, 😭😭): the danger the reply was about is still the subject."""
    if ideographs(t) == 0:
        return bool(_DISTRESS_EMOJI.search(t))  # 1, 2 (the reply's numbers), 👌: not a word of the danger
    words = _EMOJI.sub("", t)
    return not (
        THANKS.match(words) or _CALM_UPDATE.search(t) or _MOVES_ON.search(t) or _ASKS_CALMLY.search(t) and not _STILL_ANY.search(t)
    )


def _still_in_danger(t: str, after: str, alarm_before: bool = False) -> Danger | None:
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
        return Danger(after, "still: nothing said of it being over")
    return None


@dataclass(frozen=True)
class Danger:
    category: str  # the first category that fired (the reply is written for it)
    rule: str  # the matched words, for the log
    also: tuple[str, ...] = ()  # other categories that fired too (e.g. self-help and suicide together)


@cache
def _model() -> TextModel | None:
    return TextModel(MODEL_FILE) if MODEL_FILE.exists() else None


def _hypothetical(t: str) -> bool:
    return bool(_HYPOTHETICAL.search(t)) and not _ULTIMATUM.search(t) and not _SELF_GONE.search(t) and not _REALLY.search(t)


# The present part of a story worth reading on its own: harm, the edge, a body, someone taken
_TAIL_SIGN = re.compile(_HARM.pattern + r"|" + _EDGE.pattern + r"|" + _ACUTE.pattern + r"|带(?:走|进)|天台|再见|拜拜")
_REALLY = re.compile(r"这次是真的|这回是真的|不是开玩笑|没开玩笑|是认真的")  # 上次说想死是开玩笑的 这次是真的


# 他说我离了他活不下去: words about the writer reported from someone else
_SAID_OF_ME = re.compile(r"(?:^|(?<![跟给对和向])(?:他|她|老公|男人|婆婆|公公|老板|他们|儿子|女儿|儿媳|媳妇|老婆|家里人|人家|别人))(?:老|总|还|就|都)?(?:说|骂)(?:我|俺)")
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
_ASKS_URGENTLY = re.compile(r"咋办|怎么办|咋整|怎么整|快|救")


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


def rule_danger(t: str, ongoing: bool = False) -> Danger | None:
    """The phrase rules alone (see the module docstring). `ongoing`: the conversation is already about danger or
    violence, so the present is understood (好害怕 right after 他又打我 is fear now)."""
    # a hit's place is where its words end (rules that begin ^(?=…).* match from the start of the message)
    hits = [(cat, strength, m.group(0), m.end() - 1) for cat, strength, rx in _COMPILED if (m := rx.search(t))]
    if not hits:
        return None
    if _hypothetical(t):
        return None
    news = _NEWS.search(t)
    if news and not (_THIS_KIND.fullmatch(news.group(0)) and any(strength == URGENT for _, strength, _, _ in hits)):
        return None  # news; but "这种人能抓吗" after a threat for tonight asks about the one making it
    past_any = bool(_PAST.search(t))
    stay = _told_from_hospital(t)
    habitual = bool(_HABITUAL.search(t))
    resolutions = [m.start() for m in _RESOLVED.finditer(t)]
    legal_any = bool(_LEGAL_QUESTION.search(t))
    divorce_at = [m.start() for m in _DIVORCE.finditer(t)]
    now = bool(_NOW.search(t)) or ongoing
    fired: list[tuple[str, str]] = []
    calm_t = _ROUTE_FAILED.sub(lambda m: "，" * len(m.group(0)), t)  # (positions kept)
    lawful_at = [m.start() for m in _LAWFUL.finditer(calm_t)]
    everyday = bool(_EVERYDAY_PLACE.search(t))
    chronic = bool(_CHRONIC.search(t))
    self_gone = bool(_SELF_GONE.search(t))  # 我要是没了 … 我在楼顶: the place is now, whatever else is asked
    for cat, strength, words, at in hits:
        start = _clause_start(t, at)
        if any(r >= start for r in resolutions):
            continue  # 缝了几针 现在好多了: over (but 之前刚出院 他又打我了: the story goes on past it)
        past = past_any or (cat == INJURY and stay)
        # divorce asked about after the story (现在想离), not a divorce the story begins with (前年离婚了 他带人来打我们)
        legal = legal_any or any(d > at for d in divorce_at)
        reset = _present_again(t, at)
        if reset is not None:
            past = False  # 以前打过我，他又打我了: the present again after the history told before the hit
            legal = bool(_LEGAL_QUESTION.search(t[reset:]))  # (他上次被拘留了: the history's words of law too)
        elif strength == STRONG and not legal:
            # 上个月去投诉过，不想活了 / 之前刚出院，救命 他在打我: words that say "now" themselves are past only when a
            # word of the past is in their own clause or the next one (流了好多血 那时候…), or the message asks a legal
            # question about the story
            past = bool(_PAST.search(_clause(t, at)) or _PAST.search(_clause(t, _clause_break_after(t, at))))
        # a lawful way said after the plan (把他车砸了 还是走法律吧) or as a plan of its own; one told as history before
        # it (告了一年没用 我今天就去捅了他) is no reason to be calm
        lawful = any(a > at for a in lawful_at) or _lawful_plan(calm_t)
        if cat == SELF_HELP and strength == PLAIN and re.search(r"(?:没|没有|不|别|不会)(?:去)?$", t[max(0, at - len(words) - 3) : at - len(words) + 1]):
            continue  # 我们没去堵路 在等劳动局回复: a plan not carried out
        if cat == SELF_HELP and strength == PLAIN and (lawful or _WISH.search(t)):
            continue
        if cat == INJURY and strength != STRONG and chronic:
            continue
        if cat == SUICIDE and everyday and re.search(_SUICIDE_PLACE, words):
            continue
        if cat == SUICIDE and strength == PLAIN and _ANIMAL.search(t):
            continue
        if cat in (SELF_HELP, SUICIDE) and strength == PLAIN and _GAME.search(t):
            continue  # 王者又输了 队友全是坑 我要杀了他们: a game
        if _in_game(_clause(t, at)):
            continue  # 吃鸡里我一把刀砍死了三个人, 电影里那个孩子被拐了: it happens inside a game or a film
        if cat == SUICIDE and _SAID_OF_ME.search(t[start:at]):
            continue  # 骂我没用 说我离了他活不下去: someone else's words about the writer
        if _EXCLAIM.fullmatch(words) and _MONEY_QUESTION.search(rest := t.replace(words, "", 1)) and not _NOW.search(rest):
            continue
        if strength == STRONG and past and now and not ongoing and not _NOW.search(_clause(t, at)) and reset is None:
            now_here = False  # 那次割腕是三年前的事了 现在我挺好的: the 现在 is of another clause
        else:
            now_here = now
        if strength == URGENT or (cat == SUICIDE and self_gone and not past):
            ok = True
        elif strength == STATE:
            ok = now or not past
        elif strength == STRONG:
            ok = (now_here or not past) and not (past and legal)
            if legal and not now_here and cat != VIOLENCE:  # 割腕自残算故意伤害吗: a question about it, not a cry for help
                ok = False
        elif strength == PLAIN:
            ok = not (past or habitual or legal) or (now and not (past or legal))
        else:
            ok = now and not (past or legal)
        if ok:
            fired.append((cat, words))
    if not fired:
        return None
    cat, words = fired[0]
    others = tuple(dict.fromkeys(c for c, _ in fired[1:] if c != cat))
    return Danger(cat, words, others)


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
    text = _SET_ASIDE.sub("，", _ANGER_FIGURE.sub("很生气", text))
    t = re.sub(r"\s+", "，", text.strip())
    found = rule_danger(t, ongoing)
    if found is None and after:
        found = _still_in_danger(t, after, alarm_before)
    if found is None and not _tail and (reset := _present_again(t)) is not None and reset > 0 and _TAIL_SIGN.search(t[reset:]):
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
        and _CALM_UPDATE.search(t)
        and not (_BACK_AGAIN.search(t) or _STILL_ANY.search(t) or _BODY_NOW.search(t))
    ):
        return None  # 手腕包扎好了 不深, 我回屋了 不去天台了, right after an emergency reply: in hand
    if after == VIOLENCE and _THREAT_LEFT.search(t) and not _BACK_AGAIN.search(t):
        return None  # 他走了 我现在去派出所, after violence: the one who hit has gone (走了 is no farewell here)
    if _SAFE_NOW.search(t) and (_LEGAL_QUESTION.search(t) or _DIVORCE.search(t)) and not _BACK_AGAIN.search(t):
        return None  # 这会他睡着了 我在我妈家 申请那个保护令要交钱不: safe somewhere else, asking the legal route
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
        ranked[0] == INJURY
        and danger < MODEL_THRESHOLD_PAST_QUESTION
        and _told_from_hospital(t)
        and _LEGAL_QUESTION.search(t)
    ):
        return None  # 指头被冲床压断了 在医院住了一礼拜了 工伤咋认定: an injury told afterwards, with a legal question
    if ranked[0] in (VIOLENCE, SUICIDE) and _just_the_job(t):
        return None  # 对了 我已经辞了不干了, 现在我怀孕了 他就要辞我: leaving or losing a job, nothing else beside it
    if _BEREAVED.search(t) and _ESTATE.search(t) and not _DESPAIR_WORDS.search(_BEREAVED.sub("，", t)):
        return None  # 现在我妈走了 她不让我们分: a death in the family, and its estate
    if ranked[0] == CHILD and _CHILD_CARE.search(t) and not _CHILD_HARM.search(_CHILD_CARE_WORDS.sub("", t)):
        return None  # 娃他爸进去了，没人养娃: a question about support, not a child in danger
    if ranked[0] == INJURY and _ILLNESS_ASKED.search(t) and not _ACUTE.search(t) and not _RIGHT_NOW.search(t):
        return None  # 血压高吃啥药好 我妈一直头晕: an illness asked about, nothing happening now
    if ranked[0] in (INJURY, CHILD) and _OBJECT_MISHAP.search(t) and not _SOMEONE_HURT.search(t):
        return None  # 手机掉水里了 开不了机: a thing fell, nobody did
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
    if ranked[0] == SUICIDE and (said := _SAID_OF_ME.search(t)):
        told = t[: said.start()] + t[_clause_break_after(t, said.end()) :]
        if 1.0 - model.probabilities(told)["none"] < MODEL_THRESHOLD:
            return None  # 儿子说我活着就是累赘 一分钱不给: someone else's words about the writer
    if ranked[0] == SELF_HELP and _TAKE_IN_LIEU.search(t) and _LEGAL_QUESTION.search(t) and not _RIGHT_NOW.search(t) and not _VIOLENT_MEANS.search(t):
        return None  # 把他那辆车开走抵工钱 中不中: asks whether a way to get paid is allowed, and it hurts nobody
    if ranked[0] == SELF_HELP and _lawful_plan(_ROUTE_FAILED.sub("，", t)):
        return None  # 跟他拼到底，明天就去仲裁: the lawful route, said in anger
    also = tuple(c for c in ranked[1:] if p[c] >= 0.25)
    return Danger(ranked[0], f"model {danger:.2f}", also)


__all__ = ["Danger", "detect_danger", "VIOLENCE", "INJURY", "SUICIDE", "CHILD", "SELF_HELP"]
