"""经济补偿 worked out from what the person said: 在这干了四年 / 三年零七个月 / 两年半, and 月工资4200 if given.

劳动合同法第47条: one month's wage for each full year in the unit; six months or more left over count as a year, less
than six months as half a month. A wage above three times the local average is capped (第47条第2款), and 违法解除
is paid twice over as 赔偿金 (第87条). The note is added under the answers on severance, so the person reads their
own figure beside the rule (the rule itself stays in the curated answer)."""

from __future__ import annotations

import re

import cn2an

# Answers on severance, and whether the sum is the compensation (1) or the damages for an unlawful dismissal (2)
SEVERANCE_ENTRIES = {
    "contract-severance-how-much": 1,
    "contract-expiry-no-renewal": 1,
    "contract-quit-unpaid-wages": 1,
    "contract-illegal-dismissal": 2,
}

_NUM = r"(?:\d+|[一二两三四五六七八九十]+)"
# 干了四年 / 在这干了三年零七个月 / 做了两年半 / 整五年 / 工作了8年3个月 (not 快三年, 三年多, 十来年: not a figure)
_TENURE = re.compile(
    r"(?:干|做|上班|工作|待|呆|在这|在厂里|在公司)(?:了)?(?:整整|整)?(?P<y>" + _NUM + r")年"
    r"(?:(?P<half>半)|零?(?P<m>" + _NUM + r")个月)?(?![多来])"
    r"|(?:干|做|上班|工作|待|呆)(?:了)?(?P<only_m>" + _NUM + r")个月(?![多来])"
)
# 月工资4200 / 一个月4200 / 工资4200一个月 / 月薪五千 (not 四千多, 三四千: not a figure)
_WAGE = re.compile(
    r"(?:月工资|月薪|一个月|每月|工资)(?:是|有|拿|才)?(?P<w>\d{3,6}|[一二两三四五六七八九]千(?:[一二三四五六七八九]百)?)(?:元|块)?(?![多来\d])"
    r"|(?:工资)?(?P<w2>\d{3,6})(?:元|块)?一个月"
)


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
    if found is None:
        return None
    value = _number(found.group("w") or found.group("w2"))
    return value if value and 500 <= value <= 100_000 else None


def severance_months(months: int) -> float:
    """劳动合同法第47条: full years, and the months left over as a whole year (six or more) or half a month."""
    years, rest = divmod(months, 12)
    return years + (1 if rest >= 6 else 0.5 if rest else 0)


def _figure(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def severance_note(entry_id: str, said: str) -> str | None:
    """The person's own figure for an answer on severance, from what they said (None: not such an answer, or no
    figure given)."""
    times = SEVERANCE_ENTRIES.get(entry_id)
    months = months_worked(said) if times else None
    if not months:
        return None
    years, rest = divmod(months, 12)
    told = f"{years}年" * bool(years) + (f"{rest}个月" if rest else "")
    n = severance_months(months)
    line = f"按您说的干了{told}算：经济补偿是{_figure(n)}个月工资（劳动合同法第47条）"
    if times == 2:
        line += f"；单位违法解除的，赔偿金是它的两倍，即{_figure(2 * n)}个月工资（第87条）"
    wage = monthly_wage(said)
    if wage:
        line += f"。月工资{wage}元的话，大约{_figure(times * n * wage)}元（工资高于当地上年度职工月平均工资3倍的，按3倍算、最多算12年）"
    return line + "。"
