"""Checks around the model: which questions it may see, and what of its text the user may see.

Before the call, `screen_question` keeps attempts to override or reveal the instructions, role-play, and
requests for code, essays, poems or translations away from the model (the user gets the FAQ fallback).
After the call, `check_answer` strips Markdown, rejects leaked instructions, removes every sentence that cites
an article which is not in knowledge/ or was not among the retrieved ones, cuts the text to WeChat's 2048-byte
reply limit at a sentence boundary, and appends the AI notice with the 12309 hotline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from faq.normalize import normalize
from knowledge import KnowledgeBase
from llm.prompt import LEAK_MARKERS, REFUSAL_MARKER
from llm.retrieval import Material

NOTICE = "（以上内容由AI生成，仅供参考；具体问题请拨打检察服务热线12309）"
MAX_REPLY_BYTES = 2048  # old docs cap a text reply's Content at 2048 bytes of UTF-8 (protocol note §5)
MIN_BODY_CHARS = 30  # less than this left after removing bad citations is not an answer

# Matched against the normalised text with spaces removed (so "忽 略 以 上" is caught too). Each pattern needs a
# pointer at the bot's own instructions, so "老板无视我的要求" or "公司忽略了合同规定" still get answered.
_POINTER = r"(以上|上面|前面|之前|先前|此前|刚才|所有|全部|一切|你的|系统|原来|原有|原始|初始)"
_TARGET = r"(指令|指示|提示|规则|设定|限制|约束|命令|要求|instruction|prompt)"
_INJECTION = re.compile(
    rf"(忽略|无视|忘记|忘掉|不要理会|不用管|跳过|绕过|覆盖|取消).{{0,3}}{_POINTER}.{{0,4}}{_TARGET}"
    r"|提示词|系统提示|系统消息|系统指令|初始指令|原始指令|内部规则|隐藏指令|你的(指令|规则|设定|prompt)"
    r"|(告诉|透露|输出|打印|重复|复述|显示|泄露)(我|一下)*(你|你的|上面|以上|前面|系统).{0,6}"
    r"(规则|指令|设定|内容|话|文字|材料|提示)"
    r"|(上面|以上|前面|之前|系统|初始)的?(规则|指令|设定|提示|要求|内容|材料).{0,6}(输出|告诉|发|复述|重复|打印|显示|透露)"
    r"|越狱|开发者模式|jailbreak|systemprompt|ignore(all|the|your)*(previous|above|prior)|dan模式"
)
_ROLEPLAY = re.compile(
    r"扮演|假装(你|自己)?是|假设你是|你现在是(一个|一名|一位|我的)|从现在(开始|起)你|你不再是|你的新身份"
    r"|cosplay|roleplay|actas|pretendtobe|youarenow"
)
_TASK = re.compile(
    r"(写|编|创作|生成)(一|几|两|个|篇|首|段|份|些|[0-9])+.{0,6}"
    r"(代码|程序|脚本|作文|文章|论文|诗|小说|故事|歌词|剧本|演讲稿|文案|对联|笑话|情书)"
    r"|写(代码|程序|脚本|作文|论文|诗|小说)|编故事|讲(一|个|1)+笑话"
    r"|翻译(成|为|一下|这)|译成|帮我翻译|请翻译|translate|英文怎么说|用英(语|文)(说|写|回答)"
    r"|python|java|sql|javascript|c\+\+|html|编程|正则表达式"
)
# Plainly off-topic words; only refused when no in-scope word appears ("游戏公司欠薪" is in scope).
_OFF_TOPIC = re.compile(r"天气|股票|基金|彩票|算命|星座|菜谱|做菜|电影|电视剧|明星|八卦|游戏|数学题|旅游|减肥")
_SCOPE = re.compile(
    r"工资|工钱|欠薪|讨薪|报酬|劳动|合同|仲裁|起诉|法院|检察|律师|法律|维权|工伤|社保|赔偿|补偿|老板|包工头|"
    r"辞退|开除|加班|家暴|妇女|未成年|孩子|老人|赡养|残疾|援助|救助|投诉|举报|报警"
)
# Work and its new kinds, which the FAQ may not cover but the model may answer from the labour-law material:
# platform delivery, ride-hailing, live-streaming, couriers, gig work.
_WORK = re.compile(
    r"工资|工钱|欠薪|讨薪|报酬|提成|劳动|劳务|用工|上班|干活|打工|辞退|开除|加班|工伤|社保|老板|包工头|雇主|"
    r"平台|骑手|外卖|送餐|快递|主播|直播|网约车|滴滴|跑腿|众包|灵活用工|零工|兼职|派单|接单|站点|配送"
)
# Lexicon domain words too general to say a question is in scope.
_GENERIC = frozenset({"什么", "怎么", "怎么办", "没有", "不给", "去哪里", "身份证", "跑了"})
# A question is in scope when an FAQ entry fits this well, or it names a topic and some article fits this well.
# Tuned on off-topic questions (怎么做红烧肉, 买房子贷款, 朋友借钱不还, 邻居装修太吵), which reach BM25 ~10 on a
# word like 房子 or 朋友 and matcher scores ~0.26.
STRONG_FAQ_SCORE = 0.3
MIN_ARTICLE_SCORE = 8.0
# In the model's output: signs that it followed an injection or is talking about its instructions.
_OUTPUT_ECHO = re.compile(
    rf"提示词|系统提示|系统消息|systemprompt|越狱|开发者模式|jailbreak|(忽略|无视).{{0,3}}{_POINTER}.{{0,4}}{_TARGET}"
    r"|我(现在)?(将|会)?扮演|作为(你的)?(女友|男友|猫娘|女朋友|男朋友)"
)


def screen_question(text: str) -> str | None:
    """Why this question must not reach the model ('injection', 'roleplay', 'task', 'off_topic'), or None."""
    compact = normalize(text).replace(" ", "")
    if _INJECTION.search(compact):
        return "injection"
    if _ROLEPLAY.search(compact):
        return "roleplay"
    if _TASK.search(compact):
        return "task"
    if _OFF_TOPIC.search(compact) and not _SCOPE.search(compact):
        return "off_topic"
    return None


def names_work(text: str) -> bool:
    """The question is about work or pay (including platform and gig work), in any wording."""
    return bool(_WORK.search(normalize(text).replace(" ", "")))


def in_scope(canonical: str, material: Material, domain_words) -> bool:
    """Whether the question is one the model may answer from `material`; `canonical` = Analyzer.canonical(text)."""
    if material.top_faq_score >= STRONG_FAQ_SCORE:
        return True
    if material.top_article_score < MIN_ARTICLE_SCORE or not material.articles:
        return False
    compact = canonical.replace(" ", "")
    if _SCOPE.search(compact):
        return True
    return any(w in compact for w in domain_words if len(w) > 1 and w not in _GENERIC)


class AnswerRejected(Exception):
    """The model's text cannot be sent; `reason` says why (logged, the user gets the fallback)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class CheckedAnswer:
    text: str  # what the user gets: body + notice, within the byte limit
    body: str  # the answer without the notice
    citations: list[str] = field(default_factory=list)  # canonical citations kept, in order
    removed: list[str] = field(default_factory=list)  # citations removed (unknown or not retrieved)


_FENCE = re.compile(r"```.*?(```|$)", re.S)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.M)
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_MD_BULLET = re.compile(r"^\s*[-*+•]\s+", re.M)
_MD_QUOTE = re.compile(r"^\s*>\s?", re.M)
_MD_RULE = re.compile(r"^\s*([-*_]\s*){3,}$", re.M)
_TABLE_PIPES = re.compile(r"^\s*\|?(\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$", re.M)
_HTML = re.compile(r"</?[a-zA-Z][^>]*>")
_BLANKS = re.compile(r"\n{3,}")
_NUM = r"第[0-9零一二三四五六七八九十百]+条"
# A citation of an unknown law written without 《》 (…法第3条, …条例第9条): its sentence is removed.
_BARE_UNKNOWN = re.compile(r"(?<!》)(法|条例|规定|解释|办法|细则)" + _NUM)
_SENTENCE = re.compile(r"[^。！？；!?\n]*(?:[。！？；!?]+[”」）)]*|\n|$)")


def strip_markdown(text: str) -> str:
    """Plain text for WeChat: no code fences, headings, emphasis, links, tables or HTML."""
    text = text.replace("\r\n", "\n")
    text = _FENCE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _TABLE_PIPES.sub("", text)
    text = _MD_RULE.sub("", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_QUOTE.sub("", text)
    text = _MD_BULLET.sub("· ", text)
    text = _MD_EMPHASIS.sub("", text)
    text = _HTML.sub("", text)
    text = "\n".join(line.strip().strip("|").replace(" | ", "，") for line in text.split("\n"))
    return _BLANKS.sub("\n\n", text).strip()


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s]


def fit_bytes(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes, at the last sentence boundary that fits."""
    if len(text.encode("utf-8")) <= limit:
        return text
    out, size = [], 0
    for s in _sentences(text):
        n = len(s.encode("utf-8"))
        if size + n > limit:
            break
        out.append(s)
        size += n
    if out:
        return "".join(out).rstrip()
    # a single sentence longer than the limit: cut it by characters
    cut = text.encode("utf-8")[: limit - 3].decode("utf-8", errors="ignore")
    return cut + "…"


def _law_names(kb: KnowledgeBase) -> dict[str, str]:
    """Every way a law is written (short name, full name) -> its short name."""
    names = {}
    for a in kb.articles:
        names[a.law] = a.law
        names["中华人民共和国" + a.law] = a.law
        if a.full_name:
            names[a.full_name] = a.law
    return names


def _normalise_citations(text: str, kb: KnowledgeBase) -> str:
    """Write every citation of a known law as 《简称》第N条, so the knowledge base can check it."""
    names = _law_names(kb)
    text = re.sub(r"《([^《》\n]{2,40})》", lambda m: f"《{names.get(m.group(1), m.group(1))}》", text)
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    if alternatives:
        bare = re.compile(rf"(?<!《)({alternatives})(?!》)(?=\s*{_NUM})")
        text = bare.sub(lambda m: f"《{names[m.group(1)]}》", text)
    return text


def check_answer(raw: str, allowed: set[str], kb: KnowledgeBase, reserve_bytes: int = 0) -> CheckedAnswer:
    """The model's text made safe to send, or AnswerRejected. `allowed` = citations of the retrieved articles."""
    if not raw or not raw.strip():
        raise AnswerRejected("empty")
    if "```" in raw:
        raise AnswerRejected("code")
    text = strip_markdown(raw)
    compact = normalize(text).replace(" ", "")
    if any(marker in text for marker in LEAK_MARKERS):
        raise AnswerRejected("leak")
    if _OUTPUT_ECHO.search(compact):
        raise AnswerRejected("injection_echo")
    if REFUSAL_MARKER in text:
        raise AnswerRejected("model_refused")
    text = _normalise_citations(text, kb)

    removed: list[str] = []
    out_sentences = []
    n_sentences = 0
    for sentence in _sentences(text):
        if sentence.strip():
            n_sentences += 1
        bad = [
            written
            for written, article in kb.find_citations(sentence)
            if article is None or article.citation not in allowed
        ]
        bad += [m.group(0) for m in _BARE_UNKNOWN.finditer(sentence)]
        removed += bad
        if not bad:
            out_sentences.append(sentence)
    body = _BLANKS.sub("\n\n", "".join(out_sentences)).strip()
    dropped = n_sentences - sum(1 for s in out_sentences if s.strip())
    if removed and (len(body) < MIN_BODY_CHARS or dropped * 3 > n_sentences):
        raise AnswerRejected("fabricated_citations")
    if len(body) < MIN_BODY_CHARS:
        raise AnswerRejected("too_short")
    limit = MAX_REPLY_BYTES - len(("\n\n" + NOTICE).encode("utf-8")) - reserve_bytes
    body = fit_bytes(body, limit)
    kept = list(dict.fromkeys(article.citation for _, article in kb.find_citations(body) if article is not None))
    return CheckedAnswer(text=body + "\n\n" + NOTICE, body=body, citations=kept, removed=removed)
