"""Venting said beside a question (烦死了😤 押金五百不退, 我都想死的心都有了 工资被扣了一半): clauses that only say how
the person feels. The danger check reads the whole message first; once it has found no danger, these clauses are
left out of what the FAQ is matched on, where their words (死, 杀人, 完了) would only pull the question away from its
subject or out of scope."""

from __future__ import annotations

import re

_EMOJI = r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]|\[[\u4e00-\u9fa5]{1,3}\]"  # 😤, [捂脸]
_SEPARATORS = r"(?:[，,。？?！!；;…~～\s]|" + _EMOJI + r")+"
_SPLIT = re.compile("(" + _SEPARATORS + ")")
_EDGES = re.compile("^" + _SEPARATORS + r"|[，,；;\s]+$")  # a closing ？ or ！ stays
_WHO = r"(?:我|俺|额|人|我们|俺们)?"
_INTENSITY = r"(?:真|真是|真的|简直|快|快要|都|要|可|太|是|被|给)*"
_FEELING = r"(?:气|烦|愁|急|累|干|忙|熬|困|饿|穷|难受|憋屈|委屈|冤|坑|郁闷|窝囊|恼火|火大|心烦|头疼|闹心|糟心)"
_VENT = re.compile(
    "(?:"
    # 气死了, 真是烦死我了, 急死人, 愁死个人
    + _WHO + _INTENSITY + _FEELING + r"死(?:了|我了|人了|个人|人|啦|咯|我|俺了|额了|掉了)?"
    # 想死的心都有了, 我都有想死的心了
    + r"|" + _WHO + _INTENSITY + r"(?:有)?想死的心(?:都|也)?有(?:了)?|" + _WHO + r"(?:都)?有想死的心(?:了)?"
    # 气得我肝疼, 气得想杀人, 气得睡不着觉: anger told, up to a few words
    + r"|" + _WHO + _INTENSITY + r"气得(?:我|俺|额)?[\u4e00-\u9fa5]{1,6}"
    + r"|" + _WHO + _INTENSITY + r"气出(?:病|心脏病|毛病|高血压|心梗)(?:来)?(?:了)?"
    + r"|一肚子(?:火|气|苦水)|心(?:好|真|太)?(?:累|塞|寒|凉)(?:啊|了|死了)?|我?(?:要|快要?|真是要?)?(?:疯|崩溃)了?"
    + r"|(?:这辈子|这日子|日子)(?:算是?|是|就)?(?:完了|没法过了)|头都大了|我?服了|无语(?:了)?|太难了|难啊|命苦(?:啊)?"
    + r"|(?:唉|哎|哎呀|哎哟|唉呀|天哪|我的天|天呐|妈呀)+|(?:哈哈)*开(?:个)?玩笑(?:的|呢)?|说句难听的|说实话"
    + r")[啊呀哇呢吧啦哦嘛]*"
)
_CONTENT = re.compile(r"[\u4e00-\u9fa5A-Za-z0-9]")


def without_venting(text: str) -> str:
    """The text without its venting clauses; the text itself when nothing else would be left."""
    parts = _SPLIT.split(text)
    kept: list[str] = []
    dropped = False
    for k, part in enumerate(parts):
        if k % 2:  # a separator
            kept.append(part)
            continue
        if part and _VENT.fullmatch(part):
            dropped = True
            continue
        kept.append(part)
    if not dropped:
        return text
    rest = _EDGES.sub("", re.sub(r"\s{2,}", " ", "".join(kept)))
    return rest if _CONTENT.search(rest) else text
