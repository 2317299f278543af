"""Figures worked out from what the person said, put under the answer that gives the rule, so they read their own
case beside it:

- 经济补偿 (劳动合同法第47条): one month's wage for each full year in the unit; six months or more left over count as
  a year, less than six months as half a month; a wage above three times the local average is capped (第47条第2款);
  an unlawful dismissal is paid twice over as 赔偿金 (第87条). 在这干了两年八个月 → 3个月工资.
- 二倍工资 for no written contract (劳动合同法第82条; 实施条例第6条、第7条): from the day after the first month to the
  day before a full year, at most 11 months. 干了七个月 一直没签合同 → 6个月.
- 一次性伤残补助金 by disability grade (工伤保险条例第35–37条). 评了十级 → 7个月的本人工资.

Only exact figures are read (快三年, 三年多, 十来年 give none)."""

from __future__ import annotations

import re
from datetime import date

import cn2an

# Answers on severance, and whether the sum is the compensation (1) or the damages for an unlawful dismissal (2)
SEVERANCE_ENTRIES = {
    "contract-severance-how-much": 1,
    "contract-expiry-no-renewal": 1,
    "contract-quit-unpaid-wages": 1,
    "contract-illegal-dismissal": 2,
}

_NUM = r"(?:\d+|[一二两三四五六七八九十]+)"
_G_PLAIN = r"[^，。！？；,.!?;\n]"  # a character inside one clause
# 干了四年 / 在这干了三年零七个月 / 做了两年半 / 整五年 / 工作了8年3个月 (not 快三年, 三年多, 十来年: not a figure)
_TENURE = re.compile(
    r"(?:干|做|上班|工作|待|呆)(?:了)?(?:整整|整)?(?P<y>" + _NUM + r")年"
    r"(?:(?P<half>半)|零?(?P<m>" + _NUM + r")个月)?(?![多来])"
    r"|(?:干|做|上班|工作|待|呆)(?:了)?(?P<only_m>" + _NUM + r")个月(?![多来])"
)
# 月工资4200 / 一个月4200 / 每月五千 / 4200一个月 (not 四千多, 三四千: not a figure; not 欠我工资8000: an amount owed)
_WAGE = re.compile(
    r"(?:月工资|月薪|月收入|每月|每个月|一个月)(?:是|有|拿|才|就|能拿)?(?P<w>\d{3,6}|[一二两三四五六七八九]千(?:[一二三四五六七八九]百)?)(?:元|块)?(?![多来\d])"
    r"|(?<![欠拖扣还共计\d])(?P<w2>\d{3,6})(?:元|块)?一个月"
)
_OWED = re.compile(r"(?:欠|拖|扣|还差|一共|总共|合计)" + _G_PLAIN + r"{0,4}$")


def _number(text: str) -> int | None:
    try:
        return int(cn2an.cn2an(text, "smart")) if not text.isdigit() else int(text)
    except (ValueError, KeyError):
        return None


def months_worked(text: str) -> int | None:
    """How many months the person says they worked in the unit, or None when the message gives no exact figure."""
    found = _TENURE.search(text)
    if found is None:
        return None
    if found.group("only_m"):
        return _number(found.group("only_m"))
    years = _number(found.group("y"))
    if years is None or years > 50:
        return None
    extra = 6 if found.group("half") else (_number(found.group("m")) or 0) if found.group("m") else 0
    return years * 12 + extra if extra < 12 else None


def monthly_wage(text: str) -> int | None:
    found = _WAGE.search(text)
    if found is None or _OWED.search(text[: found.start()]):
        return None
    value = _number(found.group("w") or found.group("w2"))
    return value if value and 500 <= value <= 100_000 else None


def severance_months(months: int) -> float:
    """劳动合同法第47条: full years, and the months left over as a whole year (six or more) or half a month."""
    years, rest = divmod(months, 12)
    return years + (1 if rest >= 6 else 0.5 if rest else 0)


def _span(months: int) -> str:
    """38 → 3年2个月, 24 → 2年, 7 → 7个月: a length of time as the person would say it."""
    years, rest = divmod(months, 12)
    return f"{years}年" * bool(years) + (f"{rest}个月" if rest else "")


def _figure(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _severance(entry_id: str, said: str) -> str | None:
    """The person's own figure for an answer on severance, from what they said (None: not such an answer, or no
    figure given)."""
    times = SEVERANCE_ENTRIES[entry_id]
    months = months_worked(said)
    if not months:
        return None
    years, told = months // 12, _span(months)
    n = severance_months(months)
    line = f"按您说的干了{told}算：经济补偿是{_figure(n)}个月工资（劳动合同法第47条）"
    if years >= date.today().year - 2008 and times == 1:
        line += "；2008年以前的年限按当时的规定算，实际数可能不同（劳动合同法第97条第3款）"
    if times == 2:
        line += f"；单位违法解除的，赔偿金是它的两倍，即{_figure(2 * n)}个月工资（第87条）"
    wage = monthly_wage(said)
    if wage:
        line += f"。月工资{wage}元的话，大约{_figure(times * n * wage)}元（工资高于当地上年度职工月平均工资3倍的，按3倍算、最多算12年）"
    elif years > 12:
        line += "；工资高于当地上年度职工月平均工资3倍的，最多算12年（第47条第2款）"
    return line + "。"


def _double_pay(entry_id: str, said: str) -> str | None:
    """二倍工资 for the months worked without a written contract (from the second month, at most 11)."""
    months = months_worked(said)
    if not months:
        return None
    if months <= 1:
        return "按您说的才干了1个月：用工满1个月还没签书面合同的，从第2个月起每月可以要二倍工资（劳动合同法第82条）。"
    told = _span(months)
    if months < 12:
        return f"按您说的干了{told}、一直没签书面合同：二倍工资从第2个月算起，大约{months - 1}个月（劳动合同法第82条；实施条例第6条）。"
    line = (
        f"按您说的干了{told}、一直没签书面合同：二倍工资从第2个月算到满1年的前一天，共11个月（劳动合同法第82条；实施条例第7条）；"
        "满1年的，还视为已经签了无固定期限劳动合同"
    )
    if months >= 24:
        line += (
            "。满1年以后又过了很久的，这11个月的二倍工资可能已经过了1年仲裁时效，除非中间催要过、投诉过（调解仲裁法第27条）；"
            "现在还能做的是要求单位补签无固定期限合同（实施条例第7条）"
        )
    return line + "。"


# 伤残九级 / 九级伤残 / 评了九级 / 鉴定为十级 (not 二级建造师, 12级台阶, 六级风: no grade of disability)
_GRADE = re.compile(
    r"(?:伤残|评了|评的|评为|评成|鉴定为|鉴定成|鉴定了|鉴定是|定了|定的)(?P<g>10|[1-9]|十|[一二三四五六七八九])级"
    r"|(?<![\d一二三四五六七八九十])(?P<g2>10|[1-9]|十|[一二三四五六七八九])级伤残"
)
_GRADE_MONTHS = {1: 27, 2: 25, 3: 23, 4: 21, 5: 18, 6: 16, 7: 13, 8: 11, 9: 9, 10: 7}
_GRADE_ARTICLE = {1: 35, 2: 35, 3: 35, 4: 35, 5: 36, 6: 36, 7: 37, 8: 37, 9: 37, 10: 37}


def _disability(entry_id: str, said: str) -> str | None:
    """一次性伤残补助金 for the grade the person names (评了十级, 伤残七级)."""
    found = list(_GRADE.finditer(said))
    grade = _number(found[-1].group("g") or found[-1].group("g2")) if found else None
    if grade not in _GRADE_MONTHS:
        return None
    line = f"按您说的{'一二三四五六七八九十'[grade - 1]}级伤残：一次性伤残补助金是{_GRADE_MONTHS[grade]}个月的本人工资（工伤保险条例第{_GRADE_ARTICLE[grade]}条）"
    wage = monthly_wage(said)
    if wage:
        line += f"，本人月工资{wage}元的话，大约{_GRADE_MONTHS[grade] * wage}元"
    return line + "。"


# 离职三个月了 / 走了半年了 / 辞职一年多了 / 半年前不干了: how long ago the person left the job
_LEFT = r"(?:离职|辞职|辞工|不干了|(?:(?<=我)|(?<=俺))(?:走了|离开)|离开(?=(?:那个|这个|那家|这家)?(?:厂|单位|公司|工地|饭店))|被辞退|被开除|合同到期)"
_SINCE_LEFT = re.compile(
    _LEFT + r"(?:了)?(?:那个|这个|那家|这家)?(?:厂|单位|公司|工地|老板|饭店)?(?:了)?(?:已经|都|有)*(?:(?P<n>" + _NUM + r")个月|(?P<half>半年)|(?P<y>" + _NUM + r")年(?P<more>多|半)?)"
    r"|(?:(?P<n2>" + _NUM + r")个月|(?P<half2>半年)|(?P<y2>" + _NUM + r")年(?P<more2>多|半)?)(?:以)?前" + _G_PLAIN + r"{0,4}" + _LEFT
)


def months_since_leaving(text: str) -> tuple[int, bool] | None:
    """(months since the person left the job, whether it is "more than" that) or None."""
    found = _SINCE_LEFT.search(text)
    if found is None:
        return None
    g = {k: v for k, v in found.groupdict().items() if v}
    if "n" in g or "n2" in g:
        n = _number(g.get("n") or g["n2"])
        return (n, False) if n is not None else None
    if "half" in g or "half2" in g:
        return 6, False
    years = _number(g.get("y") or g["y2"])
    if years is None:
        return None
    more = g.get("more") or g.get("more2")
    return years * 12 + (6 if more == "半" else 0), more == "多"


def _time_limit(entry_id: str, said: str) -> str | None:
    """The year for claiming unpaid wages after leaving (调解仲裁法第27条第4款), against the time already gone."""
    since = months_since_leaving(said)
    if since is None:
        return None
    months, more = since
    told = _span(months) + ("多" if more else "")
    if months < 12:
        return (
            f"按您说的离开单位{told}：追讨工资要在离职之日起1年内申请仲裁（调解仲裁法第27条第4款），"
            f"还剩大约{12 - months}个月，抓紧；这期间向老板催要过、向有关部门投诉过的，从那天起重新算1年（第27条第2款）。"
        )
    return (
        f"按您说的离开单位{told}，已经过了1年：要看中间有没有“中断”——向老板催要过工资、向劳动监察等部门投诉过、"
        "老板答应过给钱的，从那天起重新算1年（调解仲裁法第27条第2款）；把催要的聊天记录、投诉回执找出来，先打12333问。"
    )


# The answers that give a rule the person's own figures fit, and how each figure is worked out
FIGURES = {
    **dict.fromkeys(SEVERANCE_ENTRIES, _severance),
    "contract-no-contract-double-pay": _double_pay,
    "contract-no-contract-over-one-year": _double_pay,
    "injury-disability-benefits": _disability,
    "arb-time-limit": _time_limit,
}


def own_figure(entry_id: str, said: str) -> str | None:
    """The person's own figure for this answer, from what they said (None: no such answer, or no figure given)."""
    maker = FIGURES.get(entry_id)
    return maker(entry_id, said) if maker else None
