"""Reading a question the way a person means it, before and around the matcher:

- a follow-up ("要钱吗", "那我去哪告") is matched together with what the person said before, and an entry that
  names its follow-ups (cost, time, where, materials, …) answers with the specific one;
- a new, complete question on another subject starts fresh;
- a condition that changes the answer (drawing a pension, a child worker, no contract) brings in the entry that
  handles it;
- a message that asks two or three things gets the main answer and the others as numbered choices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dialogue import texts
from dialogue.context import Context
from dialogue.reply import Reply
from dialogue.scope import out_of_scope_probability
from faq.analyzer import Analyzer
from faq.matcher import ANSWERED, SUGGESTED, TENTATIVE, UNANSWERED, Candidate, Decision, Matcher
from faq.render import brief_answer

# 找那个部门: 哪 typed or heard as 那 (a where-question, and a question at all)
_THAT_OFFICE = r"(?:找|去|上)那个(?:部门|单位)(?=[\W_]*$)"
# Follow-up kinds an entry can name (faq entries' `followups:`; faq/loader.py lists them), and how a short follow-up
# asks for them. "ok" is the one no entry names: it asks yes or no to the answer just given.
FOLLOWUP_KINDS: dict[str, re.Pattern] = {
    # whether the office that helps comes to court (开庭他们来吗, 检察院会出庭不): the entries on what it does say so
    "court": re.compile(r"出庭|开庭[^，。？?]{0,6}(?:来|到|去|在场)|会来人|来人不|到场"),
    # (好多 is "how much" in the north-west and Sichuan: 能给好多嘛)
    "amount": re.compile(
        r"赔多少|能要多少|多要多少|能拿多少|给多少|能赔|拿多少|补多少|能得多少|赔几个月|按几个月|多要(?:点|些|一点|一些)|"
        r"(?:给|赔|拿|要|补)好多(?:钱)?(?:嘛|吗|么|呢|哦|哟)?(?=[\W_]*$)"
    ),
    "cost": re.compile(r"(?<![能咋谁哪以们他她])要钱(?!回)|收钱|收费|花钱|交钱|费用|贵不贵|贵吗|免费|要不要钱|多少钱"),
    # "deadline": how long one may wait before acting (时效, 还来得及不), not how long the process takes ("time")
    "deadline": re.compile(
        # (过期了还是不给: the deadline told as passed, in a story; 过期了吗, 会不会过期: asked)
        r"期限|时效|来得及|来不及|(?:过期|过时)(?:了)?(?=吗|嘛|么|没|不|咋|怎么|[\W_]*$)|(?:是不是|会不会|有没有|算不算)(?:过期|过时)|晚不晚|晚了|(?:多久|多长时间|几年|几个月|几天)(?:之内|以内|内)|"
        r"过了[^，。？?]{0,5}还能|还能(?:去)?(?:仲裁|告|起诉)|(?:离职|不干|走了|辞职|辞工)[^，。？?]{0,8}还能(?:要|申请)"
    ),
    "time": re.compile(r"多久|多长时间|多少天|(?<![这那前头])几天|(?<![这那按赔])几个月|啥时候|什么时候|多快|要等|等多久|几岁|多大|哪年"),
    # "who pays" (这个找谁赔, 谁负责): no entry names it; the answer on who is liable answers it again
    # (谁来证明, 谁举证: who must prove it, the burden of proof, not what papers to bring)
    "who": re.compile(r"找谁(?:赔|要|负责|出)|谁(?:来)?(?:赔|负责|出钱|掏钱|买单|给钱|证明|举证)|举证责任"),
    "where": re.compile(r"去哪|在哪|哪里|哪儿|找谁|哪个部门|上哪|哪个单位|什么地方|" + _THAT_OFFICE + r"|(?:咋|怎么|怎样|如何)(?:去)?(?:投诉|举报)"),
    # who qualifies (啥条件才能批, 啥样的人才能申请, 我够条件不): after "time" (几天能批 asks how long), before
    # "materials", whose 要啥 it shares (要啥条件)
    "eligible": re.compile(
        r"(?:啥|什么|哪些|哪种)(?:样)?(?:的)?(?:条件|人)(?:才)?(?:能|可以)?(?:申请|批|办|给)|要(?:啥|什么)条件|"
        r"符合(?:条件|要求)?(?:不|吗|嘛|没)|够(?:不够)?(?:条件|格|资格)|有没有资格|(?:能|会|给)不?(?:能|会|给)?批(?:吗|不|嘛)?(?=[\W_]*$)|批得下来"
    ),
    # 要啥证据 asks what to bring; 拿不出证据, 证据不够 say there is none (what then is a question of its own)
    "materials": re.compile(
        r"带啥|带什么|材料|(?<!谁)(?<!谁来)证明|准备啥|准备什么|要啥|需要啥|(?<![没无缺冇])(?<!拿不出)(?<!没有)(?<!找不到)(?<![没冇]啥)(?<!没什么)(?<!没得)证据(?!不够|不足|不全|没有|都没)"
    ),
    "penalty": re.compile(
        r"坐牢|判刑|判几年|会判(?!给)|抓他|抓人|能抓|处罚|罚他|犯法|犯罪|(?:咋|怎么|啥|什么)处理|"
        r"(?:能|可以|能不能|可不可以|该不该|要不要)(?:去)?(?:报警|报案)|(?:报警|报案)(?:吗|嘛|么|不|有用|管用|行不)|"
        r"(?:他|她|老板|对方|包工头|工头)(?:会|要)(?:被)?(?:咋样|怎么样|怎样)|能把(?:他|她)(?:咋样|怎么样|怎样)"
    ),
    "how": re.compile(
        r"怎么申请|咋申请|怎么弄|咋弄|怎么办|咋办|咋整|怎么整|怎么做|咋做|咋搞|流程|第一步|头一步|先干啥|先做啥|先干什么|先做什么|下一步|接下来"
    ),
    # "is that all right?" (这个中不中, 这样行不行): about what was just said, answered by no entry of its own
    "ok": re.compile(
        r"中不中|行不行|得行不|可以吗|可不可以|行吗|中吗|能行吗|对吗|对不对|合法吗|合理吗|是真的吗|真的假的|有用吗|管用吗|靠谱吗|算数吗|够不够|够吗|"
        r"(?:还|真)?有(?:这种|这个|这样的)说法|(?:这种|这个)?说法对(?:吗|不)|是这样(?:的)?吗"
    ),
}


def asked_kind(text: str) -> tuple[str, re.Match] | None:
    """The first kind of follow-up `text` asks (in FOLLOWUP_KINDS order), and where it says so."""
    for kind, rx in FOLLOWUP_KINDS.items():
        if found := rx.search(text):
            return kind, found
    return None


def _only_ok(text: str) -> bool:
    """这个中不中, 这样行不行, 可以吗: a yes-or-no about something said before, with (almost) nothing else in it."""
    asked = asked_kind(text)
    return asked is not None and asked[0] == "ok" and _chars(_without(text, asked[1])) <= OK_MAX_REST_CHARS


def _without(text: str, found: re.Match) -> str:
    """The message without its question words (要多久 → 要), to see what else it says."""
    return text[: found.start()] + " " + text[found.end() :]


# A hub's named entry for the kind of question asked stands in for the hub when it scores within this of it (the hub's
# own lead in a near-tie or a head query, see faq.matcher.Bands: sure_margin, hub_gap)
HUB_NAMES_GAP = 0.05
# A short message on a covered topic that matches nothing in the bands gets its topic's hub as a guess when the hub is
# among its best three (from this score) and the scope classifier places it inside the topics (see _hub_guess)
HUB_GUESS_MAX_CHARS = 16
HUB_GUESS_MAX_OUT = 0.3
HUB_GUESS_MIN_SCORE = 0.2
STORY_MIN_CHARS = 16  # a message this long whose whole match is too weak may still end in a question of its own
SHORT_REACTION_CHARS = 8  # 到期了还能续吗 after the answer on a protection order's term: too short to change the subject
CONDITION_FOLLOWUP_MAX_CHARS = 20  # a message adding a condition to the last question (我62了 拿着退休工资 这还算工伤不)
BRIEF_MIN_SCORE = 0.5  # one of the message's other questions is answered in a line only when it matches this well
OK_MAX_REST_CHARS = 3  # 这个中不中, 那这样行不行: what a yes-or-no follow-up may say besides asking it
FOLLOWUP_MAX_CHARS = 14  # longer messages carry their own subject
SHORT_FACT_CHARS = 8  # a fact this short with no question in it (我六十二了) adds to the story told before
SCOPE_FACT_MAX_OUT = 0.5  # ... unless the scope classifier places it outside the topics (帮我写首情诗)
FOLLOWUP_MAX_OUT = 0.8  # a short question the scope classifier places this firmly outside the topics is no follow-up
NOT_AGAIN_MARGIN = 0.03  # a follow-up's match this close to the last answer's entry is preferred to it (see _not_again)
NOT_AGAIN_MIN_SCORE = 0.44  # ... when it is a fair match in itself (the matcher's `answer` band)
FOLLOWUP_MAX_OWN_WORDS = 1  # a "how" follow-up (咋整, 怎么办) with this many words of its own asks its own question

# giving up or putting off (那算了, 我再想想, 不问了): no fact to add to the story
_DISMISSAL = re.compile(r"算了|不问了|不用了|再说吧|再想想|想想再说|没事了|拉倒|好吧|行吧")
# 是晚上加班的时候切的, 当时是在送货的路上: the opening of more of the story just told, not of a new one
_ELABORATES = re.compile(
    r"(?:我|俺|他|她|我们|俺们)?(?:是|就是|当时是?|那时候?是?|那会儿?是?|那天是?)"
    r"(?:在|因为|晚上|早上|上午|下午|中午|半夜|凌晨|白天|夜里|下班|上班|加班|干活|去|送|去年|前年|今年|上个?月|年前|年后|那年|\d+年)"
)
# words that point back at the story told before (这种能报工伤吗, 像我这样的能申请不)
_REFERS_BACK = re.compile(r"这种|这样|这个情况|这情况|这事|这个事|像我这")
_POINTS_BACK = re.compile(r"[他她佢]|对方")  # 我想告他: the person of the story told before
_CONTINUES = re.compile(r"(?:那|那么|那样|这样|这么说|所以|可是|但是)")  # 那是不是就没人管了: the last message goes on
_CLAUSE_SPLIT = re.compile(r"[，,。？?！!；;\s]+")
_TAG = r"(?:没麻达|没问题|没毛病|对|可以|能行)吧"  # a tag after a question (没麻达吧: 西北, "no problem, right?")
_TAG_ONLY = re.compile(_TAG)  # 没麻达吧 after a question asks nothing new
# A verb, 不 or 没, the verb again asks (能不能, 有没有, 够不够, 给不给, 是不是就打水漂了); so do 能赔好多 (how much in the
# north-west) and 么子 (what in Hunan)
_ASKS = re.compile(
    r"[吗嘛么呢不没](?=[\W_]*$)|没有(?=[\W_]*$)|[？?](?=[\W_]*$)|(?:是么|是吗)[^，。？！,.?!]{1,8}咯(?=[\W_]*$)|(?:赔|给|拿|要|补|得)好多(?:钱)?(?=[\W_]*$)|"
    r"啥|什么|怎么|咋|多久|多长|多少|多大|哪|几[天年个月岁]|谁|是否|([\u4e00-\u9fa5])[不没]\1|得行|真的假的|么子|对吗|"
    r"边个|点算|几多|可唔可以|系唔系|係唔係|(?<!为)咩(?!嘢)|得唔得|有冇|"  # (粤语)
    + _THAT_OFFICE
    + r"|"
    + _TAG
    + r"(?=[\W_]*$)"  # 我自个能去申请不 没麻达吧: a tag question
)

# Conditions that change the answer, and the entry that handles each, per topic of the question.
# "没有退休金", "还没退休" (没 before it), "不到退休年龄": the condition is denied, not met
# (the worker's own age: not 上有七十岁的老娘; 超龄了 says it without a number)
_RETIRED = re.compile(
    r"(?<!上有)(?:[6-9]\d|(?:六十|七十|八十)[一二三四五六七八九]?)(?:多)?(?:岁|周岁)(?!的?(?:老娘|老爹|老母亲|老父亲|母亲|父亲|父母|爹娘|爹妈|老人|婆婆|公公|爹|娘|妈|爸|奶奶|爷爷|姥姥|姥爷|外婆|外公|老伴))|"
    r"超龄|(?<!没)(?<!没有)(?<!未)(?<!不到)(?<!没到)(?<!没领)退休(?!前)|"
    r"(?<!没)(?<!没有)(?<!能)(?<!可以)领(?:着|了)?(?:养老金|退休金)|超过退休年龄|到了退休年龄"
)
# a child's age told without 岁 (娃才十五, 孩子才15): not 才十五块, 才15天
_BARE_CHILD_AGE = r"(?:娃|孩子|他|她)(?:才|只有|刚满)(?:1[0-5]|[89]|十[一二三四五]?)(?![\d一二三四五六七八九十万千百块元天个月年号周点分斤亩])"
_CHILD_WORKER = re.compile(
    r"(?<![\d一二三四五六七八九十])(?:1[0-5]|[89]|十[一二三四五]?)(?:岁|周岁)|童工|不满(?:16|十六)|" + _BARE_CHILD_AGE
)
# A worker of 16 or 17 (未成年工): may work, and is covered for work injury like any worker (the 16–18 entry says so)
_AT_WORK = r"(?:干活|打工|帮工|上班|进厂|做工|学徒|端盘子|搬砖|洗碗|后厨|工地|厂里|作坊|饭店|餐馆)"
_MINOR_WORKER = re.compile(
    r"(?:(?<![\d一二三四五六七八九十])(?:1[67]|十[六七])(?:岁|周岁)(?!的时候|那年|时)|(?<!有)未成年(?!的?孩子|的?娃)|没成年|不满(?:18|十八))"
    r"[^，。？！,.?!我俺]{0,12}" + _AT_WORK + r"|(?:我|俺)(?:今年)?(?:才)?(?:1[67]|十[六七])(?:岁|周岁|了(?=[\W_]|$))|(?:我|俺)(?:还)?(?:没成年|未成年)"
)
# ... and a child told as the one at work (我侄子15岁 在餐馆后厨帮工), not the worker's own children (俩娃一个10岁)
_CHILD_AT_WORK = re.compile(
    r"童工|(?:(?<![\d一二三四五六七八九十])(?:1[0-5]|[89]|十[一二三四五]?)(?:岁|周岁)(?!的时候|那年|时)|(?:不到|不满|没满|未满)(?:16|十六)(?:岁|周岁)?|"
    + _BARE_CHILD_AGE
    + r")[^，。？！,.?!我俺]{0,12}"
    + _AT_WORK
)
_NO_CONTRACT = re.compile(r"没(?:有)?签(?:劳动|书面)?合同|没(?:有)?(?:劳动|书面)合同|没签合同|临时工|合同(?:都|也|一直|从来)?没(?:有)?签")
_WORK = ("work_injury", "wage_arrears", "labor_contract", "arbitration_litigation", "criminal_wage")
# Leaving because the wages (or social insurance) were not paid, and asking for compensation (一直拖工资 我提了离职 这样能拿补偿吗): the
# worker's own notice under 劳动合同法第38条 earns severance (第46条), unlike an ordinary resignation
_QUIT_OVER_WAGES = re.compile(
    r"(?=.*(?:(?:拖|欠|不发|不给|扣)[^，。？！]{0,6}(?:工资|工钱|薪|钱)|(?:工资|工钱)(?:都|已经|又)?(?:拖|欠|没发|不发)|(?:不|没)(?:给)?(?:交|缴|买)(?:社保|保险)))(?=.*(?:辞职|离职|辞了|辞工|不干了|不想干了|走人|走了|想走|要走|走的话))(?=.*(?:补偿|赔偿|几个月|N\+1|n\+1))"
)
# A disabled person (我是残疾人 有残疾证的): equal pay and no discrimination at work, help with legal aid
_DISABLED = re.compile(r"残疾人|残疾证|残障|(?:我|俺)(?:是)?(?:个)?(?:残疾|聋哑|盲人)")
# An old person with no income of their own (我今年七十一了 没退休金 就靠种点地), asking about legal aid
_OLD_NO_INCOME = re.compile(
    r"(?:[6-9]\d|六十|七十|八十|九十)(?:[一二三四五六七八九])?(?:多)?(?:岁|了)" + r"[^。！？?]{0,12}(?:没(?:有)?(?:退休金|养老金|收入)|靠种地|种点地)"
)
# "answer": the condition changes the answer itself (a pensioner's work is a 劳务 relation, not a 劳动 one), so its
# entry answers and the plain match is offered; "offer": the plain answer stands and the condition's entry is offered;
# a pattern: "offer" when the message matches it (it asks something the plain match answers), else "answer".
_REMARRIED = re.compile(r"改嫁|再婚|再嫁|又嫁|后来嫁|又找了(?:个)?老伴|重新成(?:了)?家|后老伴")
# A worker who died (人没抢救过来, 出事走了, 被砸死了): what the family is owed is the answer to a work-injury question
# (not a sudden illness: 突然晕倒 送到医院第二天人没了 is the 48-hour rule's own question; not 急死了, 累死了)
_DIED = re.compile(
    r"^(?!.*(?:晕倒|昏倒|倒下|突然|突发|猝死|发病|心梗|心脏病|脑溢血|脑出血|中风|要是|如果|万一)).*?"
    r"(?:没(?:有)?(?:抢救|救)过来|抢救无效|去世|过世|身亡|死亡|(?:砸|摔|压|电|淹|烧|撞)死|工亡|"
    r"(?<![想要怕快差急气累愁笑烦吓饿热冷疼痛穷忙困])死了|出(?:了)?事(?:故)?(?:人)?(?:走了|没了)|人(?:已经)?(?:走了|没了))",
    re.S,
)
# ... unless the question is whether the death counts, who pays or by when (下班路上被车撞了 没抢救过来 能认工伤吗,
# 跟着包工头干活的摔死了 该找谁赔, 人走了 单位多少天内必须报工伤): the matched entry answers that, the benefits are offered
_DIED_ASKS_OTHER = re.compile(
    r"^(?!.*(?:赔多少|能赔好多|拿多少|领多少|给多少|能拿|能领|拿啥|拿什么|领啥|领什么|有啥钱|有什么钱|补偿|抚恤|丧葬|咋算|怎么算|标准)).*?"
    r"(?:找谁|谁(?:来)?(?:赔|出|负责|管)|算(?:不算)?工(?:伤|亡)|(?:认|算|按|报|申请)(?:定)?(?:个|成)?工(?:伤|亡)|能成|合法|多少天|多久|期限|时效|过期)",
    re.S,
)
# Pregnant, on maternity leave or nursing (可我现在怀孕四个多月了, 我还在休产假呢 宝宝才两个月): the job is protected
# (劳动合同法第42条第4项, 第45条); when the contract is ending, it runs on to the end of that time
_PREGNANT = re.compile(r"(?:怀孕(?![^，。？！\s]{0,3}(?:吗|没|不))|怀了(?:孕|娃|孩子|宝宝)|有了身孕|孕期|休产假|产假(?:期间|还没|还在)|哺乳期|坐月子|月子里|刚生(?:了)?(?:娃|孩子|宝宝)|(?:宝宝|娃|孩子)才(?:[一二三四五六七八九十几两]|\d+)个?月)")
# A child of 16 or 17 earning a living (娃16了在打工) after an answer on child support: support may stop when the child
# lives on their own wages (民法典婚姻家庭编解释一第53条第2款), which the entry on how much and how long says
_CHILD_EARNING = re.compile(r"(?:1[67]|十[六七])(?:岁|周岁)?(?:了)?[^，。？！,.?!]{0,6}(?:打工|上班|干活|挣钱|工作|进厂|自己挣)")
# dismissed by the employer (老板把我开了, 被厂里辞退了), not leaving of one's own accord (我辞了: _LEFT_JOB)
_DISMISSED = re.compile(
    r"(?:把|将)(?:我|俺)(?:给)?(?:直接)?(?:开了|开除|辞了|辞退|炒了|撵走|赶走|劝退)|(?:开除|辞退|辞掉|炒掉)(?:了)?(?:我|俺)|"
    r"(?:我|俺)被(?:厂里|公司|单位|老板|厂子)?(?:直接)?(?:开除|辞退|开了|辞了|炒了|劝退)"
)
_ASKS_RECOGNITION = re.compile(r"认定|算不算工伤|算工伤|鉴定|评级|评残")
_LEFT_JOB = re.compile(r"辞了|辞职了|辞工了|离职了|不干了|走人了")
CONDITIONS: tuple[tuple[str, str | re.Pattern, re.Pattern, dict[str, str]], ...] = (
    ("retired", "answer", _RETIRED, dict.fromkeys(_WORK, "wagep-retired-worker")),
    # 我侄子15岁 在餐馆后厨帮工 被油锅烫伤了: a child worker's injury is paid as the child-labour entry says (第66条)
    ("child_at_work", "answer", _CHILD_AT_WORK, {"work_injury": "minor-child-labor"}),
    ("child_worker", "offer", _CHILD_WORKER, dict.fromkeys(_WORK, "minor-child-labor")),
    # 我17岁 在厂里被冲床压伤了手 能申请工伤吗: the 16–18 entry answers a minor's work injury itself
    ("minor_worker", "answer", _MINOR_WORKER, {"work_injury": "minor-work-16-18"}),
    (
        "no_contract",
        "offer",
        _NO_CONTRACT,
        {
            "work_injury": "injury-migrant-temp-workers-covered",
            "wage_arrears": "wage-no-contract-evidence",
            "arbitration_litigation": "contract-prove-labor-relation",
        },
    ),
    ("quit_over_wages", "answer", _QUIT_OVER_WAGES, dict.fromkeys(("labor_contract", "wage_arrears", "arbitration_litigation"), "contract-quit-unpaid-wages")),
    # 工伤评了八级 老板直接把我开了 这合法不: an injured worker may not be dismissed for no fault of their own
    # (劳动合同法第42条); offered beside an answer on recognition or assessment (被开了 工伤还能认定吗)
    ("dismissed", _ASKS_RECOGNITION, _DISMISSED, {"work_injury": "contract-medical-period-protection"}),
    # 我已经辞了不干了 after a work injury: what is paid when the job ends (一次性工伤医疗补助金, 伤残就业补助金)
    ("left_job", "offer", _LEFT_JOB, {"work_injury": "injury-disability-benefits"}),
    # 合同这个月底到期 人事说不跟我续了 … 我还在休产假呢: the contract runs on (劳动合同法第45条)
    # 公司说业务调整 要跟我解除合同 … 可我现在怀孕四个多月了: no dismissal on those grounds (劳动合同法第42条)
    # (keyed by the entries on the job ending, not the topic: 怀孕八个月了 还得上夜班吗 after overtime is not a dismissal)
    (
        "pregnant",
        "answer",
        _PREGNANT,
        {
            "contract-expiry-no-renewal": "women-contract-expire-pregnancy",
            **dict.fromkeys(
                (
                    "contract-probation-dismissal",
                    "contract-mutual-termination",
                    "contract-illegal-dismissal",
                    "contract-medical-period-protection",
                    "contract-disputes-where",
                ),
                "women-pregnant-fired",
            ),
        },
    ),
    ("child_earning", "answer", _CHILD_EARNING, dict.fromkeys(("minor-support-unpaid", "minor-support-amount"), "minor-support-amount")),
    # 我哥从脚手架上掉下来 人没抢救过来 单位认了是工伤 能赔好多: the benefits on a death at work (工伤保险条例第39条)
    ("died", _DIED_ASKS_OTHER, _DIED, {"work_injury": "injury-death-benefits"}),
    # 我是残疾人 有残疾证的 after 工资比别人少: equal pay, no discrimination (残疾人保障法); legal aid's care for them
    (
        "disabled",
        "offer",
        _DISABLED,
        {
            "wage_arrears": "disab-employment-discrimination",
            "labor_contract": "disab-employment-discrimination",
            "legal_aid": "aid-elderly-disabled",
        },
    ),
    ("old_no_income", "offer", _OLD_NO_INCOME, {"legal_aid": "aid-elderly-disabled"}),
    # 我后来改嫁了 after daughters refusing support: the duty does not end with a parent's remarriage (老年人权益保障法第21条)
    ("remarried", "answer", _REMARRIED, {"elderly": "elder-remarriage-interference"}),
)
MORE_HEAD = "您还问了："
MORE_TAIL = "（回复数字查看）"


# 我想问工资的事, 咨询一下工伤方面的问题, 关于社保: the subject is announced, the question is still to come; the
# wrapper's words (问, 事, 咨询) match entries of their own, so the subject alone is matched (工资 → the wage hub)
_ANNOUNCES = re.compile(
    r"^(?:(?:喂|你好|您好|在吗|在不在|有人吗|有人在吗|同志)[，,\s]*)*(?:(?:我|俺)?(?:想|要)?(?:问|咨询|了解|打听|请教)(?:问|一下|下|个|点)?(?:一下)?(?:关于)?|关于)"
    r"(?P<subject>[^，,。？?！!\s]{1,6}?)"
    r"(?:的|方面的?|这块的?|上的|那块的?)?(?:事|事情|事儿|问题|情况)?[吧呢啊呀哈嘛]?[。.!！?？~～]*$"
)


def announced_subject(text: str) -> str | None:
    """The subject of a message that only announces one (我想问工资的事 → 工资), else None."""
    found = _ANNOUNCES.match((text or "").strip())
    subject = found.group("subject") if found else ""
    return subject if len(subject) >= 2 and not re.fullmatch(r"[一下问个点事你们您]+", subject) else None


def _chars(text: str) -> int:
    return len(re.sub(r"[\W_]+", "", text))


# 家里还等着这笔钱过年呢: 呢 after 着 ends a statement of what is going on, not a question
_GOING_ON = re.compile(r"着[^，。？?]*呢[\W_]*$")


def question_clauses(text: str) -> list[str]:
    """The parts of a message that each ask something (a story's statements are left out)."""
    return [
        c
        for c in _CLAUSE_SPLIT.split(text)
        if len(c) >= 2
        and (found := _ASKS.search(c))
        and not _TAG_ONLY.fullmatch(c)
        and not (_GOING_ON.search(c) and found.group(0) == "呢")
    ]


@dataclass
class Plan:
    """How a message is read: the decision to answer with, how it was reached, and other questions in it."""

    decision: Decision
    how: str | None = None
    more: list[Candidate] = field(default_factory=list)
    asked: dict[str, str] = field(default_factory=dict)  # entry id of `more` → the kind of question it answers
    sure: set[str] = field(default_factory=set)  # entry ids of `more` whose match the message's story confirms

    def brief(self, entry_id: str, m: Matcher) -> str | None:
        """The brief answer to show for one of the message's other questions (None: not one of them, its match is
        not sure, or the entry has no brief): a title may be offered on a guess, an answer only on a sure match."""
        if entry_id not in m.by_id or entry_id not in self.sure:
            return None
        return brief_answer(m.by_id[entry_id], _BRIEF_ABOUT.get(self.asked.get(entry_id, "")))

    def add_more(self, reply: Reply, m: Matcher) -> None:
        """Offer the message's other questions by number under the answer, each with its brief answer (the opening
        sentence and its article) as far as the reply's size allows. A tentative answer's own choices keep their
        numbers; these go on after them, and none is offered twice."""
        earlier = list((reply.chat_state or {}).get("choices") or [])
        shown = {reply.faq_id, *earlier}
        candidates: list[Candidate] = []
        for c in self.more:
            if c.entry_id not in shown and c.entry_id in m.by_id:
                candidates.append(c)
                shown.add(c.entry_id)
        # each with its brief answer when it fits (仲裁要钱吗 多久出结果: both answered in one reply), else its question
        items = [(c.question, self.brief(c.entry_id, m)) for c in candidates]
        reply.text, fitted = texts.numbered_block(reply.text, MORE_HEAD, items, MORE_TAIL, start=len(earlier) + 1)
        offered = candidates[:fitted]
        if not offered:
            return
        reply.chat_state = {**(reply.chat_state or {}), "choices": [*earlier, *(o.entry_id for o in offered)]}
        reply.detail["more"] = [o.entry_id for o in offered]


# What an answer's sentence says when it answers a kind of question (for the brief under "您还问了")
_BRIEF_ABOUT: dict[str, re.Pattern] = {
    "cost": re.compile(r"收费|免费|不交|不用交|费用|受理费|\d+元"),
    "time": re.compile(r"\d+(?:个)?(?:日|天|小时|个月|工作日)|[一二三四五六七八九十]+(?:日|天|个月)"),
    "deadline": re.compile(r"时效|\d+(?:个)?(?:日|天|年|个月)内|[一二三四五六七八九十]+(?:日|天|年|个月)内"),
    "amount": re.compile(r"\d+个月|[一二三四五六七八九十]+个月|倍|%"),
}

# Domain words that name no subject of their own (a follow-up may use them freely)
_GENERIC = frozenset(
    "什么 干什么 做什么 怎么 怎么办 没有 去哪里 不给 孩子 老人 老板 工资 农民工 跑了 法院 起诉 身份证 血汗钱 考勤 "
    "会不会 不会 是不是 不是 能不能 有没有 可不可以 要不要 算不算 到底 申请 办理 提交 递交".split()
)


class Composer:
    def __init__(self, matcher: Matcher, analyzer: Analyzer):
        self.m = matcher
        self.analyzer = analyzer
        self._subjects = frozenset(analyzer.lexicon.domain_words) - _GENERIC

    def plan(self, text: str, previous: Context | None) -> Plan:
        m = self.m
        plain = self._specific_over_hub(text, m.decide(announced_subject(text) or text))
        if (previous is None or not previous.said) and _only_ok(text):
            # 中不中 on its own: there is nothing to say yes or no to (its words match some variant, 俺不要房子…中不中)
            return Plan(Decision(UNANSWERED, plain.candidates, []))
        plan = Plan(plain)
        if plain.outcome == UNANSWERED and (rescued := self._asked_at_the_end(text)) is not None:
            plan = Plan(rescued, "last_question")
        elif plain.outcome == UNANSWERED and (hub := self._hub_guess(text, plain)) is not None:
            plan = Plan(hub, "hub_guess")
        if previous is not None and previous.said and not (previous.thanked and not self.bare(text)):
            # after 谢谢 only a follow-up of question words alone (要带啥, 多久) goes on with the last answer
            plan = self._in_context(text, plain, previous)
        if previous is not None and previous.said and self._condition_followup(text, previous, plan):
            return plan
        self._conditions(text, previous, plan)
        self._other_questions(text, plan)
        return plan

    def _specific_over_hub(self, text: str, d: Decision) -> Decision:
        """司法救助能给多少钱 有个数没: a hub wins a near-tie of strong entries as the generic answer; but when the
        message asks a kind of question (how much) that the hub itself names an entry for, and that entry is in the
        near-tie, the message asked that entry's question (not "what to do", the hub's own)."""
        if d.outcome not in (ANSWERED, TENTATIVE) or len(d.candidates) < 2 or not self.m.is_hub(d.best.entry_id):
            return d
        asked = asked_kind(text)
        if asked is None or asked[0] in ("how", "ok"):
            return d  # 欠薪咋整: what to do is the hub's own question
        target = (self.m.by_id[d.best.entry_id].get("followups") or {}).get(asked[0])
        hub = d.best
        named = next((c for c in d.candidates[1:3] if c.entry_id == target and c.score >= hub.score - HUB_NAMES_GAP), None)
        if named is None:
            return d
        return Decision(ANSWERED, [named, *[c for c in d.candidates if c is not named]])

    def _hub_guess(self, text: str, plain: Decision) -> Decision | None:
        """快递站不发工资 咋弄, 家政老板欠薪够行事不: a short message on a covered topic whose other words (a trade, a
        slip of the voice input) no entry explains, so that nothing reaches the bands; when the scope classifier
        places it well inside the topics and that topic's hub is among the best, the hub is the guess (what to do
        first, with the routes), not the fallback."""
        if _chars(text) > HUB_GUESS_MAX_CHARS or out_of_scope_probability(text) >= HUB_GUESS_MAX_OUT:
            return None
        top = plain.candidates[:3]
        hub = next((c for c in top if self.m.is_hub(c.entry_id) and c.score >= HUB_GUESS_MIN_SCORE), None)
        if hub is None:
            return None
        return Decision(TENTATIVE, [hub, *[c for c in plain.candidates if c is not hub]], [c for c in top if c is not hub][:2])

    def _asked_at_the_end(self, text: str) -> Decision | None:
        """在饭店后厨切菜 把左手食指切掉半截 算不算工伤: a story whose details no entry shares, ending in a question that
        names its own subject and that the matcher answers by itself, is offered that answer as a guess (the story's
        words dilute the match of the whole message below every band)."""
        if _chars(text) < STORY_MIN_CHARS:
            return None
        clauses = question_clauses(text)
        if not clauses:
            return None
        asked = clauses[-1]
        if not self._subject_words(asked):
            # 老板不给报工伤 我自个能申请不: the question's subject is in the clause just before it
            parts = [c for c in _CLAUSE_SPLIT.split(text) if c]
            at = parts.index(asked)  # (question_clauses splits the same way, so it is there)
            before = parts[at - 1] if at > 0 else ""
            if not before or not self._subject_words(before):
                return None
            asked = f"{before} {asked}"
        d = self.m.decide(asked)
        if d.outcome != ANSWERED:
            return None
        return Decision(TENTATIVE, d.candidates, d.candidates[1:3])

    def _condition_followup(self, text: str, previous: Context, plan: Plan) -> bool:
        """忘了说 我是退休了有退休金的, 他才十五岁, 可我当时没签劳动合同: a short message that adds a condition
        to the question just answered gets the entry that handles the condition on that question's topic (alone,
        such a message matches the elderly or the minors' entries, or nothing)."""
        if _chars(text) > CONDITION_FOLLOWUP_MAX_CHARS:
            return False
        last = self.m.by_id.get(previous.entry or "")
        topic = last["topic"] if last else previous.topic
        d = plan.decision
        for name, _mode, rx, by_topic in CONDITIONS:
            if previous.tentative and previous.entry in by_topic.values() and rx.search(text):
                # 对了我娃今年才15岁 after the child-labour entry given as a guess: the condition confirms the guess
                return self._answered_under(plan, previous.entry, name)
        if d.outcome == ANSWERED and d.best is not None and d.best.topic == topic:
            return False  # the message is on the conversation's topic by itself: _conditions reads it
        for name, _mode, rx, by_topic in CONDITIONS:
            if last and not previous.tentative and self._is_about(previous.entry, rx):
                if not rx.search(text):
                    continue
                # 我已经领退休金了 after the entry on a contract ending with the pension, 我是残疾人 有残疾证的 after the
                # one on disabled workers' pay: the condition is that answer's own subject, so the answer stands
                return self._answered_under(plan, previous.entry, name)
            target = by_topic.get(previous.entry or "") or by_topic.get(topic or "")
            # (the entry just given as a guess is confirmed by the condition: 忘了说 我是退休了 after it)
            if target and target in self.m.by_id and (target != previous.entry or previous.tentative) and rx.search(text):
                return self._answered_under(plan, target, name)
        return False

    # follow-ups
    def _in_context(self, text: str, plain: Decision, previous: Context) -> Plan:
        """A message read with the conversation. A short one that brings no subject of its own ("要钱吗", "那我去哪
        告", "这钱谁出") is a follow-up: it goes to the entry the previous answer names for that kind of question,
        or is matched together with what the person said before, the previous topic's entries a little ahead. A
        message with a subject of its own keeps its own match unless the conversation explains it better."""
        m = self.m
        answered = (ANSWERED, TENTATIVE)
        followup = (
            _chars(text) <= FOLLOWUP_MAX_CHARS
            and (bool(_ASKS.search(text)) or _only_ok(text))
            and not self._new_subjects(text, previous)
            and (self.bare(text) or out_of_scope_probability(text) < FOLLOWUP_MAX_OUT)
        )
        if followup:
            named = self._named_followup(text, previous)
            if named is not None and previous.tentative and not self.bare(text):
                fresh = m.decide(" ".join([*previous.said, text]))
                if fresh.outcome == ANSWERED and fresh.best.topic != named.best.topic:
                    named = None
            if named is not None and named.best.entry_id != previous.entry and not self.bare(text):
                own = plain.candidates[:1] or m.rank(text, 1)
                if own and own[0].entry_id == previous.entry:
                    # 法律上到底规定多久得发一回 after the answer on how often wages are paid: its own words ask that
                    # answer's question again, not the "how long" the answer names (how long a complaint takes)
                    named = Decision(ANSWERED, [self._candidate(previous.entry)])
            if named is not None:
                return Plan(named, "followup")
            if _only_ok(text) and previous.entry in m.by_id:
                # 这个中不中 after the answer on probation: that answer is the yes or no
                return Plan(Decision(ANSWERED, [self._candidate(previous.entry)]), "followup")
        if followup:
            # (a guess's topic is a guess too: 他们会出庭不 after a tentative answer reads the whole story afresh)
            combined = m.decide(" ".join([*previous.said, text]), None if previous.tentative else previous.topic)
            if combined.outcome not in answered:
                return Plan(plain)
            if (
                previous.tentative
                and plain.outcome == ANSWERED
                and (plain.best.entry_id == previous.entry or previous.danger and self._subject_words(text))
            ):
                # 认定工伤有没有时间限制 after the emergency reply to a fall, which offered that very entry: the
                # question asks what was offered, and matches it better alone than with the story before it (after
                # an emergency reply any confident match of its own does: the story is of danger, not of law)
                return Plan(plain, "followup")
            if combined.best.topic != previous.topic and previous.entry in m.by_id and self.bare(text):
                # 那俺第一步干啥 after the answer on an elder's support: question words alone cannot change the
                # subject, so the answer stays on the conversation's topic (another entry of it, or the last one)
                same = next((c for c in combined.candidates if c.topic == previous.topic), None)
                if same is None:
                    same = self._candidate(previous.entry, combined.best.score)
                return Plan(Decision(ANSWERED, [same, *[c for c in combined.candidates if c is not same]]), "followup")
            if combined.outcome == TENTATIVE and combined.best.topic == previous.topic and not previous.tentative:
                combined = Decision(ANSWERED, combined.candidates, combined.choices)
            return Plan(self._not_again(combined, text, previous), "followup")
        if (
            plain.outcome == UNANSWERED
            and not _ASKS.search(text)
            and _chars(text) <= SHORT_FACT_CHARS
            and previous.entry in m.by_id
            and not previous.tentative
            and out_of_scope_probability(text) < SCOPE_FACT_MAX_OUT
            and self._tells_a_fact(text)
        ):
            # 我六十二了 after the answer on sons who refuse support: a fact added to the story, no question of its
            # own; read with the story it goes on with the conversation's answer
            combined = m.decide(" ".join([*previous.said, text]), previous.topic)
            if combined.outcome == ANSWERED and combined.best.topic == previous.topic:
                return Plan(combined, "context")
            return Plan(Decision(ANSWERED, [self._candidate(previous.entry)]), "context")
        if _ELABORATES.match(text) and not _ASKS.search(text) and previous.entry in m.by_id:
            # 是晚上十点多加班的时候切的 after 切掉半截手指 算不算工伤: no question, it tells more of the story just asked
            # about (加班 alone is the overtime entry); read with the story, on the conversation's topic
            def readings():
                yield m.decide(" ".join([*previous.said, text]), previous.topic)
                # the question asked before, when the whole story dilutes it (none asked: the message's own reading)
                asked_before = question_clauses(previous.said[-1])[-1:]
                yield m.decide(" ".join([*asked_before, text]), previous.topic) if asked_before else plain

            for combined in readings():
                if combined.outcome in answered and combined.best.topic == previous.topic:
                    return Plan(combined, "context")
        if plain.outcome not in answered:  # a message with its own subject that matches nothing stays unmatched
            return Plan(plain)
        if (
            previous.topic
            and plain.best.topic != previous.topic
            and _chars(text) <= SHORT_REACTION_CHARS
            and _POINTS_BACK.search(text)
            and not self._subject_words(text)
        ):
            # 我想告他 after violence told: "him" is the one in the story, so the story's topic reads it (alone it
            # matches the entry on suing an employer)
            on_topic = m.decide(" ".join([*previous.said, text]), previous.topic)
            if on_topic.outcome in answered and on_topic.best.topic == previous.topic:
                return Plan(on_topic, "context")
        combined = m.decide(" ".join([*previous.said, text]))
        if combined.outcome not in answered:
            return Plan(plain)
        if plain.outcome in answered:
            if plain.best.entry_id == combined.best.entry_id:
                return Plan(plain if plain.outcome == ANSWERED else combined)
            if (
                (plain.outcome == TENTATIVE or _chars(text) <= SHORT_REACTION_CHARS and combined.outcome == ANSWERED)
                and combined.best.topic == previous.topic
                and plain.best.topic != previous.topic
                and _chars(text) <= FOLLOWUP_MAX_CHARS
                and not self._subject_words(text)
            ):
                # 她干这个犯不犯规定 after 闺女十七了 在烧烤店打工: a guess on another topic, from a message that names
                # no subject of its own, gives way to the conversation's reading
                return Plan(combined, "context")
            if (
                plain.outcome == TENTATIVE
                and _REFERS_BACK.search(text)
                and _chars(text) <= FOLLOWUP_MAX_CHARS
                and combined.best.topic == plain.best.topic
            ):
                # 这种能报工伤吗 after a story of a guard cut by a man he stopped: "this" is the story, so the story
                # and the question together say which entry of the topic it is, better than the question's guess alone
                return Plan(combined, "context")
            if (
                not _ASKS.search(text)
                and plain.outcome == ANSWERED
                and plain.best.score < m.bands.sure
                and combined.outcome == ANSWERED
                and combined.best.topic == previous.topic
                and plain.best.topic != previous.topic
                and _chars(text) <= FOLLOWUP_MAX_CHARS
            ):
                # 我就是个临时工 怕说了被开 after the answer on harassment at work: no question, a fair match elsewhere
                # (临时工 → injury insurance): more of the situation asked about, not a new subject
                return Plan(combined, "context")
            if plain.best.score >= combined.best.score:
                if (
                    plain.best.topic != previous.topic
                    and _CONTINUES.match(text)
                    and _chars(text) <= FOLLOWUP_MAX_CHARS
                    and not self._subject_words(text)
                ):
                    # 那是不是就没人管了 after a work injury: no subject of its own to change the conversation's
                    return Plan(combined, "context")
                return Plan(plain, "new_subject" if plain.best.topic != previous.topic else None)
        return Plan(self._not_again(combined, text, previous), "context")

    def _not_again(self, d: Decision, text: str, previous: Context) -> Decision:
        """是我自己提的走 也能要补偿吗 after the answer on where to complain: a follow-up with words of its own asks
        something the last answer did not say, so when that answer comes out on top only by a hair (or as the
        hub of a near-tie), the entry close behind it answers instead."""
        c = d.candidates
        if (
            len(c) < 2
            or c[0].entry_id != previous.entry
            or previous.tentative
            or self.bare(text)
            or c[0].score - c[1].score >= NOT_AGAIN_MARGIN
            or c[1].score < NOT_AGAIN_MIN_SCORE
        ):
            return d
        shown = {c[0].entry_id, c[1].entry_id}
        choices = [c[0], *(x for x in d.choices if x.entry_id not in shown)][:3]  # the displaced entry is offered
        return Decision(d.outcome, [c[1], c[0], *c[2:]], choices)

    def _is_about(self, entry_id: str, rx: re.Pattern) -> bool:
        """Whether an entry's own question is about a condition (领了养老金 合同就终止了吗 is about the pension)."""
        return bool(rx.search(str(self.m.by_id.get(entry_id, {}).get("question", ""))))

    def _answered_under(self, plan: Plan, entry_id: str, condition: str) -> bool:
        """Answer with `entry_id`, read as the conversation's condition `condition` (always True, for the caller)."""
        plan.decision = Decision(ANSWERED, [self._candidate(entry_id), *plan.decision.candidates])
        plan.how = f"condition:{condition}"
        return True

    def _candidate(self, entry_id: str, score: float = 1.0) -> Candidate:
        """An entry chosen by the conversation rather than ranked by the matcher (a known entry id)."""
        e = self.m.by_id[entry_id]
        return Candidate(entry_id, score, e["question"], e["topic"])

    def _subject_words(self, text: str) -> list[str]:
        """The message's subject words, a compound left out when a subject word inside it is listed (去仲裁: 仲裁)."""
        words = [w for w in self.analyzer.features(text).words if w in self._subjects]
        return [w for w in words if not any(o != w and o in w for o in words)]

    def _new_subjects(self, text: str, previous: Context) -> list[str]:
        """Subject words (仲裁, 工伤, 保护令, …) in the message that the previous answer did not talk about. The words
        of a kind of question the previous answer names a follow-up for are the question, not a new subject (能让他
        坐牢不 after an answer on domestic violence, which names the one on 虐待罪 for penalties)."""
        entry = self.m.by_id.get(previous.entry or "") or {}
        asked = asked_kind(text)
        if asked is not None and (entry.get("followups") or {}).get(asked[0]):
            text = _without(text, asked[1])
        words = self._subject_words(text)
        if not words:
            return []
        seen = self.analyzer.canonical(" ".join([entry.get("question", ""), entry.get("answer", ""), *previous.said]))
        return [w for w in words if w not in seen]

    def _tells_a_fact(self, text: str) -> bool:
        """我六十二了, 我是临时工, 他在外地 (a number or a word of content) or 这样说得通？ (a question mark), and no sigh
        or dismissal (唉, 那算了, 我再想想), which would otherwise get the last answer again."""
        if _DISMISSAL.search(text):
            return False
        if re.search(r"[？?]", text):
            return True  # 这样说得通？ asks about the answer just given
        words = self.analyzer.features(text).words
        return any(w.isdigit() or (len(w) > 1 and w not in _GENERIC) for w in words)

    def _named_followup(self, text: str, previous: Context) -> Decision | None:
        """The entry the previous answer names for this kind of follow-up (faq entries' `followups:`), or, for a
        follow-up of question words alone, the previous entry itself when its own question asks the same (去哪里办
        after the answer on where to apply)."""
        by_id = self.m.by_id
        last = by_id.get(previous.entry or "") or {}
        named = last.get("followups") or {}
        question = str(last.get("question", ""))
        taken: list[re.Match] = []
        for kind, rx in FOLLOWUP_KINDS.items():
            found = rx.search(text)
            if not found:
                continue
            if any(found.start() < t.end() and t.start() < found.end() for t in taken):
                continue  # 找谁要 asks who pays ("who"), not where to go ("where" reads 找谁 in the same words)
            taken.append(found)
            target = named.get(kind)
            # Only for question words alone (a message with its own words is matched): the previous entry when its
            # question asks this kind and it names no other, or when it asks in these very words even though it
            # names another (那找谁 after the answer to "…找谁负责": that answer, not where to apply).
            if (
                kind != "how"
                and (self.bare(text) or self._words_within(_without(text, found), question))
                and (found.group(0) in question or (not target and rx.search(question)))
            ):
                target = previous.entry
            if not target or target not in by_id:
                continue
            if kind == "how" and self.says_more(_without(text, found)):
                return None  # 没钱交诉讼费咋整: a question of its own that happens to end in 咋整
            return Decision(ANSWERED, [self._candidate(target)])
        return None

    def bare(self, text: str) -> bool:
        """A follow-up made of its question words alone (去哪里办, 在哪办, 要多久): it says nothing the scope
        classifier could weigh (it puts 在哪办 beside 在哪办身份证), so only the conversation can explain it."""
        asked = asked_kind(text)
        return asked is not None and not self.says_more(_without(text, asked[1]))

    def _words_within(self, rest: str, question: str) -> bool:
        """我去仲裁的话超时效没有 after the answer on 仲裁时效: a subject word besides the question words, and each
        one is in the last entry's own question, so it asks that question again."""
        words = self._subject_words(rest)
        return bool(words) and all(w in question for w in words)

    def says_more(self, rest: str) -> bool:
        """Whether what is left of a "how" follow-up once 咋整 / 怎么办 is removed says something of its own: a content
        word of two characters or more (那咋整: nothing; 没钱交诉讼费咋整: 诉讼费). For "how" (咋整 ends almost any
        question), for `bare`, and for 电话多少 after the handoff reply (法律援助电话多少 asks its own question); a
        follow-up of another kind with words around it still goes on (大概多长时间有结果)."""
        words = {w for w in self.analyzer.features(rest).words if len(w) > 1 and not w.isdigit() and w not in _GENERIC}
        own = [w for w in words if not any(w != o and w in o for o in words)]  # 诉讼, 讼费 in 诉讼费: one word
        return len(own) >= FOLLOWUP_MAX_OWN_WORDS

    # conditions
    def _conditions(self, text: str, previous: Context | None, plan: Plan) -> None:
        d = plan.decision
        if d.outcome == SUGGESTED and d.best is not None:
            self._condition_among_choices(text, previous, plan)
            return
        if d.outcome not in (ANSWERED, TENTATIVE) or d.best is None:
            return
        said = " ".join([*(previous.said if previous else ()), text])
        if previous is not None and previous.topic and previous.topic not in _WORK and d.best.topic != previous.topic:
            return  # 我一个月就一千多块退休金 看病都不够 after sons refusing support: the pension is the elder's, no worker's
        for name, mode, rx, by_topic in CONDITIONS:
            target = by_topic.get(d.best.entry_id) or by_topic.get(d.best.topic)
            if not target or target == d.best.entry_id or target not in self.m.by_id or not rx.search(said):
                continue
            if self._is_about(d.best.entry_id, rx):
                continue  # 领了养老金 合同就终止了吗: the entry matched is itself about the condition
            condition = self._candidate(target, d.best.score)
            if mode == "offer" or isinstance(mode, re.Pattern) and mode.search(text):
                plan.more.insert(0, condition)
            else:
                plan.more.insert(0, d.best)
                plan.decision = Decision(ANSWERED, [condition, *d.candidates])
            plan.how = f"condition:{name}"
            return

    def _condition_among_choices(self, text: str, previous: Context | None, plan: Plan) -> None:
        """我17了 在工地上当小工 … 班长叫我去爬十几米的架子 这正常不: no entry is sure enough to answer, but the
        condition told (a worker of 17) names one of the choices: that one is the guess, the others stay offered."""
        d = plan.decision
        said = " ".join([*(previous.said if previous else ()), text])
        offered = [c.entry_id for c in d.choices]
        for name, mode, rx, by_topic in CONDITIONS:
            if mode == "offer":
                continue
            target = next((by_topic[c.topic] for c in d.choices if c.topic in by_topic), None)
            if target in offered and rx.search(said):
                chosen = next(c for c in d.choices if c.entry_id == target)
                plan.decision = Decision(TENTATIVE, [chosen, *(c for c in d.candidates if c.entry_id != target)], [c for c in d.choices if c.entry_id != target])
                plan.how = f"condition:{name}"
                return

    # several questions in one message
    def _other_questions(self, text: str, plan: Plan) -> None:
        clauses = question_clauses(text)
        if len(clauses) < 2 or plan.decision.best is None:
            return
        main = plan.decision.best.entry_id
        named = (self.m.by_id[main].get("followups") or {}) if main in self.m.by_id else {}
        first = clauses[0]
        story = " ".join(c for c in _CLAUSE_SPLIT.split(text) if c and c not in clauses)
        main_question = str(self.m.by_id[main]["question"]) if main in self.m.by_id else ""
        for clause in clauses:
            asked = asked_kind(clause)
            if asked and self.bare(clause) and asked[0] not in named and FOLLOWUP_KINDS[asked[0]].search(main_question):
                continue  # 多久能下来 beside the answer on how long a protection order takes: that answer says it
            if asked and named.get(asked[0]) in self.m.by_id and self.bare(clause):
                # 支持起诉是啥意思 要钱吗 多久能办: 要钱吗 asks the main subject's cost, the entry it names for that
                candidate = self._candidate(named[asked[0]], plan.decision.best.score)
                plan.sure.add(candidate.entry_id)
            else:
                d = self.m.decide(clause)
                if d.outcome != ANSWERED and clause != first:
                    d = self.m.decide(first + " " + clause)
                told = self.m.decide(story + " " + clause) if story else d
                if d.outcome not in (ANSWERED, TENTATIVE):
                    d = told  # 她不让俺见娃 … 咋办 俺能见娃不: the story names it
                if d.outcome not in (ANSWERED, TENTATIVE) or d.best.entry_id == main:
                    continue
                candidate = d.best
                if (
                    d.outcome == ANSWERED
                    and d.best.score >= BRIEF_MIN_SCORE
                    and (candidate.topic == plan.decision.best.topic or told.best is not None and told.best.entry_id == candidate.entry_id)
                ):
                    # 男人打我好几年了 … 要审查家里有多少钱: a weak match alone (the migrant workers' exemption), the
                    # victims' one in the story; only a strong match on the main subject's topic, or one the story
                    # does not change, gets its answer shown
                    plan.sure.add(candidate.entry_id)
            plan.more.append(candidate)
            if asked:
                plan.asked.setdefault(candidate.entry_id, asked[0])
