"""Reading the answers people give in the chat, typed or spoken (WeChat's speech recognition adds a full stop and
writes numbers in words): commands, numbered options (one or several), mobile numbers, amounts of money."""

from __future__ import annotations

import re
import unicodedata

import cn2an

from storage.pii_numbers import NUMERALS

# Commands that work at every step, in the words people use for them.
BACK, SKIP, CANCEL, RESTART, PAUSE, RESUME, WITHDRAW, DELETE = (
    "back", "skip", "cancel", "restart", "pause", "resume", "withdraw", "delete",
)  # fmt: skip
_COMMANDS: tuple[tuple[str, str], ...] = (
    (BACK, r"返回|上一步|回到上一步|退回|改上一个|上一个"),
    (SKIP, r"跳过|跳过去|不填|略过|不想填|下一步|不知道|不清楚|记不清了?|忘了"),
    (CANCEL, r"取消|取消登记|不登记了|不要登记了|算了|不弄了|不填了"),
    (RESTART, r"重填|重新填|从头填|重新登记|重来|从头开始"),
    (PAUSE, r"0|菜单|暂停|暂停登记|先不填了|等会再填|回头再填"),
    (RESUME, r"继续登记|继续填|接着填|继续|接着登记"),
    (WITHDRAW, r"撤回|撤回登记|撤销登记|撤销|我要撤回|撤回申请|不要你们管了"),
    (DELETE, r"删除我的信息|删除登记|删除我的登记|删掉我的信息|删除个人信息|删除我的资料|删除信息"),
)
_COMMAND_RES = tuple((name, re.compile(rf"^(?:{words})$")) for name, words in _COMMANDS)
_TRAILING = re.compile(r"[\s。．.，,！!？?~～、…]+$")
_LEADING = re.compile(r"^[\s。，,、]+")
_CHOICE_SEP = re.compile(r"[\s,，、;；和及跟与还有/.。]+")
_CN_DIGITS = "零一二三四五六七八九"
_YES = re.compile(r"^(?:1|一|同意|我同意|好|好的|可以|行|是|是的|对|确认|确定|没问题|嗯|ok|OK)$")
_NO = re.compile(r"^(?:2|二|不同意|不|不要|不行|否|不用|不了|不是)$")


def normalise(text: str | None) -> str:
    """Full-width to half-width, no trailing punctuation (speech recognition ends every sentence with 。)."""
    t = unicodedata.normalize("NFKC", text or "").strip()
    return _LEADING.sub("", _TRAILING.sub("", t))


def tidy(text: str | None) -> str:
    """Free text as the person wrote it, without surrounding blanks or the full stop speech recognition adds."""
    return re.sub(r"[。.！!\s]+$", "", (text or "").strip()).strip()


def command(text: str) -> str | None:
    t = normalise(text).replace(" ", "")
    for name, rx in _COMMAND_RES:
        if rx.match(t):
            return name
    return None


def yes_no(text: str) -> bool | None:
    t = normalise(text).replace(" ", "")
    if _YES.match(t):
        return True
    if _NO.match(t):
        return False
    return None


def choices(text: str, options: tuple[tuple[str, str], ...], multi: bool = False) -> list[str] | None:
    """The option codes a reply picks: by number ("2", "二", "第2个", "1 3 4", "1、3", "134" when there are fewer
    than ten options) or by label ("欠条和聊天记录"). None when it picks nothing recognisable, or (single choice)
    more than one."""
    t = normalise(text)
    if not t:
        return None
    n = len(options)
    numbers = _numbers(t, n)
    picked: list[str] = []
    if numbers is not None:
        if not all(1 <= k <= n for k in numbers):
            return None
        picked = [options[k - 1][0] for k in dict.fromkeys(numbers)]
    else:
        for code, label in options:
            words = [w for w in re.split(r"[、（）()或和，,]+", label) if len(w) >= 2]
            if label in t or any(w in t for w in words):
                picked.append(code)
    if not picked or (not multi and len(picked) != 1):
        return None
    if multi and len(picked) > 1 and "none" in picked:  # "都没有" with something else: keep the things
        picked = [c for c in picked if c != "none"]
    return picked


def _numbers(t: str, n: int) -> list[int] | None:
    """The numbers of a reply made only of numbers (and separators), or None."""
    t = re.sub(r"第|个|项|号|条|选", " ", t)
    parts = [p for p in _CHOICE_SEP.split(t) if p]
    if not parts:
        return None
    out: list[int] = []
    for part in parts:
        if part.isdigit():
            if len(part) > 1 and n < 10:  # "134": options 1, 3 and 4
                out += [int(c) for c in part]
            else:
                out.append(int(part))
        elif all(c in _CN_DIGITS or c == "十" for c in part):
            if "十" in part:
                try:
                    out.append(int(cn2an.cn2an(part, "normal")))
                except ValueError:
                    return None
            else:
                out += [_CN_DIGITS.index(c) for c in part]
        else:
            return None
    return out


def phone(text: str) -> str | None:
    """A mainland mobile number (11 digits, 13x–19x) from "139 1234 5678", "+86-13912345678", "幺三九一二三四五六
    七八"; None when the reply does not hold exactly one."""
    t = normalise(text)
    digits = "".join(NUMERALS.get(c, c) for c in t)
    digits = re.sub(r"[\s\-－—()（）]", "", digits)
    found = re.findall(r"(?<!\d)(?:\+?86)?(1[3-9]\d{9})(?!\d)", digits)
    return found[0] if len(set(found)) == 1 else None


_APPROX_WORDS = re.compile(r"大概|大约|差不多|约|左右|上下|来块|来元|多块|多元|余元|多|来|余|几")
_NOISE = re.compile(r"人民币|块钱|元钱|块|元|钱|一共|总共|共|欠我|欠了|欠|每个月|每月|一个月|月|是|有|要|大概|大约")
_UNITS = {"万": 10_000, "w": 10_000, "W": 10_000, "千": 1_000, "k": 1_000, "K": 1_000, "百": 100}


def amount(text: str) -> tuple[float, bool] | None:
    """(yuan, approximate) from "八千五", "1.2万", "3万多", "两万三", "5000元", "大概三千来块"; None otherwise."""
    t = normalise(text).replace(",", "").replace("，", "").replace(" ", "")
    approx = bool(_APPROX_WORDS.search(t))
    t = _NOISE.sub("", t)
    t = re.sub(r"(左右|上下|大概|大约|差不多|约)", "", t)
    t = re.sub(r"(?<=[万千百wWkK\d])(?:多|来|余|几)$", "", t)
    t = re.sub(r"(?:多|来|余)(?=[万千百])", "", t)
    if not t or len(t) > 20:
        return _largest(text)
    value = _arabic_with_units(t)
    if value is None:
        value = _chinese(t)
    if value is None:
        return _largest(text)
    if value <= 0 or value > 1e9:
        return None
    return float(round(value, 2)), approx


def _largest(text: str) -> tuple[float, bool] | None:
    """"每月一千五，已欠两万": the largest amount among the parts (what is owed in all)."""
    parts = [p for p in re.split(r"[，,；;、\s]+|已经|已", normalise(text)) if p]
    if len(parts) < 2:
        return None
    found = [a for p in parts if (a := amount(p)) is not None]
    return max(found) if found else None


def _arabic_with_units(t: str) -> float | None:
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([万千百wWkK]?)", t)
    if m:
        return float(m.group(1)) * _UNITS.get(m.group(2), 1)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)万(\d+(?:\.\d+)?)(千?)", t)  # 1万5千, 1万5 (= 15000)
    if m:
        rest = float(m.group(2)) * (1000 if m.group(3) or len(m.group(2)) == 1 else 1)
        return float(m.group(1)) * 10_000 + rest
    return None


def _chinese(t: str) -> float | None:
    t = t.replace("两", "二").replace("俩", "二").replace("点", ".")
    if not re.fullmatch(r"[零一二三四五六七八九十百千万亿.\d]+", t):
        return None
    try:
        value = cn2an.cn2an(t, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return float(value)
