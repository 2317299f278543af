"""The phrase rules (five categories, five strengths; see dialogue.safety) and how they are read against the time
a message tells."""

from __future__ import annotations

import re

from dialogue.safety.words import (
    _ABANDONED,
    _ANIMAL,
    _CHRONIC,
    _DIVORCE,
    _EVERYDAY_PLACE,
    _EXCLAIM,
    _GAME,
    _HABITUAL,
    _KID,
    _LAWFUL,
    _LEGAL_QUESTION,
    _ME,
    _MONEY_QUESTION,
    _NEWS,
    _NOW,
    _PAST,
    _PERSON,
    _RESOLVED,
    _ROUTE_FAILED,
    _SAID_OF_ME,
    _SELF_GONE,
    _SENTENCE_GAP,
    _SUICIDE_PLACE,
    _THIS_KIND,
    _WISH,
    CHILD,
    INJURY,
    NOW,
    PLAIN,
    SELF_HELP,
    STATE,
    STRONG,
    SUICIDE,
    URGENT,
    VIOLENCE,
    Danger,
    _clause,
    _clause_break_after,
    _clause_start,
    _gap,
    _hypothetical,
    _in_game,
    _lawful_plan,
    _present_again,
    _told_from_hospital,
)

# What a small child may swallow that sends it to hospital (an ordinary 吃了药 is a treatment, not this)
_SWALLOWED = (
    r"(?:降压药|安眠药|降糖药|避孕药|大人的药|(?:奶奶|爷爷|姥姥|姥爷|外婆|外公|我|他爸|他妈|老人)的药|农药|洗衣液|洗洁精|"
    r"消毒液|消毒水|84|纽扣电池|电池|干燥剂|磁珠|老鼠药|杀虫剂|敌敌畏)"
)
_BABY = r"(?:宝宝|" + _KID + r")"

# (category, strength, pattern), in order of priority: the first rule that fires names the category.
_RULES: tuple[tuple[str, str, str], ...] = (
    # suicide or self-harm
    (SUICIDE, STRONG, r"活够了|不想活|活不下去|活着(?:也|还)?没(?:意思|意义|盼头|啥意思)|活着(?:还)?有(?:啥|什么)(?:意思|意义|盼头)|(?:想|要)跟(?:他|她|我爸|我妈|我娃)(?:一起)?去了|不如死了|死了算了|一死了之|(?<!不)(?<!没)想死(?![你您他她]|ta)|寻死|(?:想|琢磨|寻思|考虑)(?:着)?怎么死|怎么死(?:才|最)?(?:不疼|不痛|痛快|快)"),
    (SUICIDE, STRONG, r"(?:抱着|带着|领着)(?:娃|孩子|俩娃|两个娃)" + _gap(4) + r"(?:走了算了|一起死|去死|跳(?:河|楼|下去|井))|一了[百白摆]了|(?:想|要|准备|打算)(?:去)?(?:zi ?sha|zi杀|自沙|自刹|紫杀)"),
    (SUICIDE, STRONG, r"了结(?:自己|了算了|算了)|(?:这次|这回|再也)(?:我)?不会(?:再)?让(?:人|你们|他们)(?:发现|救)|遗书|后事(?:我)?(?:都)?交代|最后一条消息|不想再往回走"),
    (SUICIDE, STRONG, r"(?:吃|喝)(?:了)?(?:一瓶)?(?:安眠药|农药|敌敌畏|百草枯)" + _gap(6) + r"(?:晕|难受|吐|想找)|安眠药(?:都)?吃了|割腕|划了几道|绳子(?:我)?(?:都)?准备好"),
    (SUICIDE, STRONG, r"烧炭|炭(?:盆|火)?(?:都)?(?:点|烧)(?:上|着)?了|(?:门窗|窗户)(?:都)?封(?:好|死)了|刀在手上|(?:我|俺)(?:也)?不活了|唔想(?:再)?(?:生存|活|捱)|捱唔落去|(?:企|坐|站)?喺(?:天台|楼顶|桥|海边|河边)"),
    (SUICIDE, STATE, r"(?:站|坐|蹲|人|我)(?:已经|现在)?(?:在)?(?:楼顶|天台|桥上|河边|黄河边|窗台|楼上窗)"),
    (SUICIDE, STATE, r"(?:农药|安眠药|老鼠药|敌敌畏|百草枯)(?:已经)?(?:拌|倒|兑|掺|放)(?:进|到|在)(?:了)?(?:饭|水|酒|碗|杯)"),
    (SUICIDE, PLAIN, r"(?:想|要|准备|打算)(?:去)?(?:跳楼|跳河|跳下去|上吊|自杀|轻生|喝药|寻短见)|(?:他|她)(?:就)?(?:去死|跳楼|跳河|喝药|上吊)(?!了吗)|跳下去|往下跳|跳落(?:嚟|去|来)|(?:桥|楼|河|崖)[^，。！？；,.!?;\n]{0,3}那?一跳|药(?:我)?(?:已经)?买好"),
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
    (CHILD, STRONG, r"(?:我爸|我妈|后妈|后爸|继父|继母)(?:又)?(?:开始|在|正在)?(?:打|抽|揍)我(?![妈爸哥姐弟妹爷奶])"),
    (CHILD, STRONG, r"往(?:面包车|车上|车里)(?:上)?(?:拽|拉|拖|塞)|(?:硬拉着|拽着|拖着)(?:一个)?(?:小)?" + _KID + "|" + _KID + _gap(8) + r"不认识他"),
    (CHILD, STRONG, r"(?:抱着|背着)(?:别人家|邻居家)(?:的)?" + _KID + r"|对(?:我)?(?:姑娘|女儿|闺女|娃|孩子)" + _gap(4) + r"(?:做那种事|动手动脚)"),
    (CHILD, STRONG, _KID + _gap(6) + r"(?:惨叫|哭得嗓子|喊救命|一直在?(?:哭|喊|叫))|(?:打|抽|烫|揍)" + _KID + _gap(10) + r"(?:钟头|小时)"),
    (CHILD, PLAIN, _KID + _gap(8) + r"(?:关在门外|门外头|光着脚|铁链|拴在|吊起来|烟头|满身是伤|身上都是伤|满身是血|浑身是血)"),
    (CHILD, PLAIN, r"(?:拿|用)(?:烟头|皮带|棍子|衣架|鞭子)" + _gap(3) + r"(?:在)?(?:打|抽|烫)(?:娃|孩子|小孩|我侄子|我侄女|他们|他)|把(?:他|她|娃|孩子)(?:吊起来|关在" + _gap(6) + r"打)"),
    (CHILD, NOW, r"(?:打|抽|揍|踢|烫)(?:娃|孩子|小孩|我侄子|我弟|我妹)"),
    # 宝宝把奶奶的降压药吃了好几颗, 孩子喝了洗衣液: a child who swallowed a medicine or a household poison
    (
        CHILD,
        PLAIN,
        _BABY + _gap(10) + _SWALLOWED + _gap(4) + r"(?:吃|吞|喝|咽)(?:了|下去|进去)|"
        + _BABY + _gap(4) + r"(?:吃|吞|喝|咽)(?:了|下去了?|进去了?)" + _gap(4) + _SWALLOWED + "|"
        + _BABY + _gap(10) + r"药" + _gap(3) + r"(?:吃|吞)了(?:好几|一把|一板|半瓶|一瓶|好多|十几|一整|一大把)",
    ),
    (CHILD, PLAIN, r"^(?=.*" + _KID + r").*(?:到处|四处|哪都|哪儿都|哪里都)找不(?:着|到)|" + _KID + r"(?:走丢了|被人抱走了?|被拐|(?:叫|让|被)人(?:给)?拐(?:跑|走)了)"),
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
    (VIOLENCE, STRONG, r"^(?:他|她|有人|老板|男人|老公)?(?:又|在)?(?:打|踢|揍|踹)我(?:的)?(?:肚子|头|脸|腿|背|胸口)?(?:了)?(?:，?快.{0,6})?$"),
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
    # (twenty-second round) 正拿板凳砸我咧, 老公打得我满嘴血 还没停
    (VIOLENCE, STRONG, r"(?:又|正|正在|还在)(?:拿|用|抡)(?:着|起)?[^，。！？；,.!?;\s]{0,4}(?:砸|打|抽|砍|捅|扎)(?:我|俺)"),
    (VIOLENCE, STRONG, r"(?:打|揍|砸|踢|扇)(?:得|的)(?:我|俺)" + _SENTENCE_GAP + r"(?:还没停|还在打|没停手|还不停|不停手)"),
    (VIOLENCE, STRONG, r"(?:掐|勒)(?:着|住)?" + _ME + r"?(?:的)?(?:脖子|喉咙)|掐脖子"),
    (VIOLENCE, STRONG, r"(?:他|老板|有人|他们)(?:在|给|把)?(?:我|俺)(?:的)?车(?:上)?(?:动了|做了)(?:点)?手脚" + _SENTENCE_GAP + r"刹车|"
     r"(?:在|又)(?:砍|踹|撞|砸)门|(?:他|他们|那人|有人)(?:在)?门(?:外|口)(?:头)?(?:一直)?(?:踹|撞|砸|砍|撬)|门(?:外|口)(?:头)?(?:一直)?(?:踹|撞|砸|砍|撬)门|(?:踹|撞|砸|撬)开(?:了)?(?:一道缝|一条缝|一半)|门(?:快)?撑不住|门(?:要|快)(?:要)?(?:被)?(?:他|他们)?(?:砍|踹|撞|砸|撬)(?:开|烂|坏|破)"),
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
    (INJURY, STRONG, r"(?:人|他|她|(?:两|几)个(?!多?(?:月|星期|礼拜|钟头|小时|工作日)))" + _gap(6) + r"(?:(?<![直还都也])(?<!那边)(?<!那里)没动静|没气了)|(?:卷|绞|轧|夹)进去|骨头都(?:看见|露出)|扎穿|吊在半空|安全绳(?:断|松|没挂)"),
    (INJURY, STRONG, r"(?:下面|底下|里面)(?:还)?(?:压|埋|困)着|(?:被|遭)(?:土|沙|石头|砖|墙)?(?:埋|压)(?:到起|住了|在里头|在里面)|只(?:看得到|看得见|看到|露出|露着)(?:一只|一个)?(?:手|脚|头)|(?:压|埋|困)(?:在)?(?:下面|底下)|挖不出来|(?:被|让)(?:土|沙|石头|砖|泥)?埋了|埋进去了|正在挖|在挖人|塌方了|(?<![老旧危])(?:楼|房|墙|顶|棚|架子|工棚|隧道|井|坑|沟)(?:子)?(?:塌|垮)了"),
    (INJURY, STRONG, r"着火了|起火了|(?<![气肺脑头心爆要态了我])(?<!真的)(?<!头都)(?<!头快)(?<!头要)(?<!肺都)(?<!肺快)(?<!肺要)(?<!肺都快)(?<!肺都要)(?<!脑子都)(?<!脑壳都)(?<![气憋急烦火屈]得快)(?<![气憋急烦火屈]得要)炸了(?!炸)|(?:锅炉|煤气罐|液化气罐|气罐|罐|瓶|炉子|储罐|电瓶|电池|管道|热水器|灭火器|高压锅)[^，。！？；,.!?;\n]{0,5}(?:要|快)(?:炸|爆)了|(?<![我要得])爆炸了|电着了|触电了|被电(?:打|击|到|着)(?:了)?|烫着了|烧着了|中毒了|煤烟味|煤气味|一氧化碳"),
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
    (SELF_HELP, STRONG, r"开车(?:去)?(?:撞|轧|碾)(?:死)?(?:他|她|老板|包工头|工头)|同归于尽|拼个你死我活|家伙(?:都)?备好|带(?:了|着|上)家伙(?![什事])" + _gap(6) + r"(?:去找|去堵|找他|等他|堵他|去他|去老板|现在去|今晚去)|(?:现在|今晚|这就|马上)去" + _SENTENCE_GAP + r"带(?:了|着|上)家伙(?![什事])|(?<![镰剪])刀(?:我)?(?:都|已经|早就|早)?磨好"),
    (SELF_HELP, URGENT, r"谁拦(?:着)?(?:就)?跟谁(?:干|拼)|把(?:他|老板|包工头|工头)(?:的|家)?(?:娃|孩子|儿子|闺女|小孩|女儿|孙子)(?:接|带|抱|领)(?:走|到我家|到我这|回我家)"),
    (SELF_HELP, STRONG, r"(?:带|拿|揣|提|拎)(?:着|上|了)?(?:把)?(?:菜刀|斧头|砍刀|钢管|铁棍|棍子|锤子|铁锹)" + _gap(6) + r"(?:去|到|找|等|堵)|炸药|雷管|你们别劝"),
    (SELF_HELP, PLAIN, r"揍(?:他|老板|包工头|工头)?一顿|(?:去)?(?:堵|截)(?:住)?(?:他|老板|包工头|工头)" + _gap(6) + r"(?:揍|打|收拾|教训)"),
    (SELF_HELP, PLAIN, r"跟(?:他|她|老板|包工头)拼(?:了|命)"),
    (SELF_HELP, PLAIN, r"(?:捅|砍|杀|宰|弄死|废)(?:了|死)?(?:他|佢|老板|包工头|工头|那个)|斩(?:死)?佢"),
    (SELF_HELP, PLAIN, r"一把火(?!把(?:这|那)?(?:份|张)?(?:合同|协议|欠条|文件|工资条|书))|放火|(?:浇|泼|淋)(?:上|了)?(?:汽)?油|炸了他|炸(?:他)?(?:厂|家|公司)"),
    (SELF_HELP, PLAIN, r"点(?:了)?(?:他|她|老板|包工头|工头)(?:的|家)?(?:房子|家|厂|车|工地|仓库|办公室|屋)|把(?:他|她|老板|包工头)(?:的|家)?(?:房子|厂|车|仓库|办公室)?(?:给)?点了"),
    (SELF_HELP, PLAIN, r"(?:带|拎|提|揣|买)(?:着|了)?(?:一)?(?:桶|瓶|壶)?汽油" + _gap(10) + r"(?:找|去他|去老板|去包工头|去工地|去公司|烧|点|浇|泼|同归)"),
    (SELF_HELP, STRONG, r"(?:他|老板|包工头|工头)(?:家|的)?" + _KID + _gap(10) + r"(?:放学|上学|回家)" + _gap(10) + r"(?:摸清|摸透|盯好|盯了|打听清)"),
    (SELF_HELP, URGENT, r"就差(?:点火|一把火|划火柴)|油(?:都|已经)?(?:浇|泼)(?:好|上)了"),
    (SELF_HELP, STATE, r"(?:爬|上)(?:到)?(?:了)?(?:塔吊|楼顶|高楼|烟囱|广告牌|脚手架)(?:上|顶上|上头)?了"),
    (SELF_HELP, PLAIN, r"(?:爬|上)(?:到)?(?:塔吊|楼顶|高楼|烟囱|广告牌)|当(?:他|着他)?(?:的)?面喝|喝药给他看|(?:门口|家门口)喝药"),
    (SELF_HELP, PLAIN, r"把(?:高速|路|路口|大门|工地)" + _gap(4) + r"(?:堵|封)|堵(?:了)?(?:高速|路|大门)|焊死|电闸|绑了"),
    # sabotage by the writer (我在他车上动了手脚 刹车不灵了 他马上要开出去), or against the writer (violence, above)
    (SELF_HELP, STRONG, r"(?:我|俺)(?:在|给|把)?(?:他|老板|包工头|工头)(?:的)?(?:车|刹车|油门|煤气|燃气|电线|电闸)(?:上|里)?(?:动了|做了)(?:点)?手脚|(?:我|俺)把(?:他的?)?刹车(?:线|片)?(?:剪|拔|松|卸)(?:了|断)"),
    (SELF_HELP, PLAIN, r"把他(?:的)?(?:车|厂|店|家|门)(?:子)?(?:给)?砸|砸(?:了)?他(?:的)?(?:车|厂|店|家)|把他(?:屋里|家里)人看住"),
    # short messages with few danger words, from a red team (nineteenth round): a farewell, poison bought, a collapse,
    # a child taken, being held or followed, a plan under way
    (SUICIDE, STRONG, r"下辈子(?:再|见)|永别|命(?:也|都)不要了|(?:先)?死给(?:他|她|你|你们|他们)看|去天上|(?:娃|孩子|俩娃)?托付给(?:你们|你)"),
    (SUICIDE, STRONG, r"最后看一眼|最后一段(?:语音|视频|话)|留给" + _SENTENCE_GAP + r"密码|告诉(?:俺|我)(?:娘|妈|爹|爸)" + _SENTENCE_GAP + r"(?:俺|我)?不孝"),
    (SUICIDE, STRONG, r"(?:农药|安眠药|老鼠药|敌敌畏|百草枯|除草剂)(?:已经|都|我)?(?:买|备|准备)(?:回来|好|齐)?了"),
    (SUICIDE, STRONG, r"(?:河沿|河边|江边|海边|湖边|水库|桥上|楼顶|天台|崖边)" + _SENTENCE_GAP + r"(?:不回了|不回来了|不想回|再见)"),
    (INJURY, PLAIN, r"(?:喝|吃)(?:了)?(?:半瓶|一瓶|几口|一口)?(?:除草剂|草甘膦|杀虫剂)"),
    (INJURY, STRONG, r"(?:奶奶|爷爷|姥姥|姥爷|外婆|外公|老人|老头|老太太|老伴|我爸|我妈|俺爹|俺娘|孩子|娃)" + _gap(4) + r"没气了|羊水破了|嘴(?:也)?歪了"),
    (INJURY, PLAIN, r"(?:摔|倒|躺|栽)(?:在)?地上" + _gap(3) + r"起不来|(?:撞|磕|砸)破了" + _SENTENCE_GAP + r"(?:淌|流|冒)"),
    (CHILD, PLAIN, _KID + r"(?:遭|被|让|叫)人(?:给)?拐|" + _KID + r"寻不(?:着|见)|细路(?:仔)?唔见|" + _KID + _gap(6) + r"灌(?:酒|醉)|"
     r"(?:偷|拐)(?:走)?了(?:我|俺)(?:家|的)?" + _KID),  # (not 抢走了我的孩子: a custody fight more often than a stranger)
    (VIOLENCE, PLAIN, r"一路跟着(?:我|俺)|跟踪(?:我|俺)|(?:锁|关)(?:在)?宿舍里|关起来了|关着不让|(?:捆|绑)(?:在)?(?:床|椅子|凳子)上|(?:拖|拽|塞)(?:上|进)(?:了)?车|不停车|推(?:我|俺)(?:撞|到)墙|灭(?:我|你|他|俺)?(?:全家|满门)"),
    (SELF_HELP, STRONG, r"油桶" + _gap(3) + r"(?:拎|提|搬|带|扛)|(?:拎|提|搬|带|扛)(?:着|了|到)?油桶|带(?:了|着|上)家伙" + _SENTENCE_GAP + r"(?:现在|这就|马上)?过去"),
    (SELF_HELP, PLAIN, r"(?:老板|包工头|工头)(?:被|叫)(?:我们|俺们|咱们)(?:给)?(?:扣|关|锁|围)(?:在)?|(?:围住|围着|堵住)(?:了)?(?:老板|包工头|工头)" + _SENTENCE_GAP + r"(?:要动手|动手了|打起来)"),
)
_COMPILED = tuple((cat, strength, re.compile(p)) for cat, strength, p in _RULES)
# right after a hit's words: the event named as a thing (打我这事, 摔伤那次, 砸伤的事), not told as happening
_EVENT_NAMED = re.compile(r"(?:的)?(?:这|那)(?:件|个|回|次)?事|的事(?:儿)?|(?:的)?那(?:次|回)|这次的事")


def rule_danger(t: str, ongoing: bool = False) -> Danger | None:
    """The phrase rules alone (see the dialogue.safety docstring). `ongoing`: the conversation is already about danger or
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
    given_up = [m.span() for m in _ABANDONED.finditer(t)]
    for cat, strength, words, at in hits:
        if cat in (SELF_HELP, SUICIDE, VIOLENCE) and any(a <= at < b for a, b in given_up):
            continue  # 原来想去跳他门口的塘吓他 算哒: a plan given up
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
            # (a hit said to come again, 他又打我了, is dated by its own clause only: 上回打我那次的伤还没好 after it is the
            # earlier time it comes again after)
            following = "" if "又" in words else _clause(t, _clause_break_after(t, at))
            past = bool(_PAST.search(_clause(t, at)) or _PAST.search(following))
            if cat == INJURY and not past and start > 0:
                # 去年跟人去砖厂干活 手被压断了: an accident's time is told in the clause that sets the scene before it
                past = bool(_PAST.search(_clause(t, start - 1)))
        # a lawful way said after the plan (把他车砸了 还是走法律吧) or as a plan of its own; one told as history before
        # it (告了一年没用 我今天就去捅了他) is no reason to be calm
        lawful = any(a > at for a in lawful_at) or _lawful_plan(calm_t)
        if cat == SELF_HELP and strength == PLAIN and re.search(r"(?:没|没有|不|别|不会)(?:去)?$", t[max(0, at - len(words) - 3) : at - len(words) + 1]):
            continue  # 我们没去堵路 在等劳动局回复: a plan not carried out
        if cat == SELF_HELP and strength == PLAIN and (lawful or _WISH.search(t)):
            continue
        if cat == INJURY and strength != STRONG and chronic:
            continue
        if strength != URGENT and _EVENT_NAMED.match(t, at + 1):
            continue  # 打我这事能让我多分点财产不: the event named as a subject of the question, not told as happening
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
