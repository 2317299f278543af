"""Masking numbers that identify a person: ID-card, bank-card and phone numbers, written in Arabic digits, in
Chinese numerals (一三八…, 幺 for 1 as people say it on the phone, 零/〇/洞 for 0, 壹贰叁…), with spaces or
dashes anywhere. A few digits stay, so staff can tell two numbers apart.

Amounts and dates never match: a run of digits is only masked when it has the length and shape of such a number
(11 digits from 13x–19x, 15 or 18 for an ID card, 16–19 for a bank card, a landline with its area code, or 7–8
digits right after 电话/座机/号码), and 千/万/百/十/年/月 break a run.
"""

from __future__ import annotations

import re

# ID card: 17 digits + digit/X (18), or the old 15-digit form; bank card: 16-19 digits; mainland mobile: 1[3-9]x.
_ID_CARD = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?![\dXx])|(?<!\d)(\d{6})\d{6}(\d{3})(?!\d)")
_ID_CARD_GROUPED = re.compile(r"(?<!\d)(\d{6})[ -]\d{8}[ -](\d{3}[\dXx])(?![\dXx])")
_BANK_CARD = re.compile(r"(?<!\d)(\d{4})\d{8,11}(\d{4})(?!\d)")
# People type card numbers in groups of four, as printed on the card: 6222 0212 3456 7890 123.
_BANK_CARD_GROUPED = re.compile(r"(?<!\d)(\d{4})(?:[ -]\d{4}){2,3}[ -](\d{3,4})(?!\d)")
# Also 138 1234 5678, 138-1234-5678 and +86 / 86 in front.
_MOBILE = re.compile(r"(?<!\d)(\+?86[ -]?)?(1[3-9]\d)[ -]?\d{4}[ -]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)\d{4}(\d{3,4})(?!\d)")

NUMERALS = {
    **{c: str(i) for i, c in enumerate("0123456789")},
    **{c: str(i) for i, c in enumerate("０１２３４５６７８９")},
    **{c: str(i) for i, c in enumerate("零一二三四五六七八九")},
    **{c: str(i) for i, c in enumerate("〇壹贰叁肆伍陆柒捌玖")},
    "洞": "0",
    "幺": "1",
}
_DIGIT = "[" + "".join(NUMERALS) + "]"
_SEP = r"[ \u3000\-－—]"
# Seven or more digits of any kind, a space or dash allowed between any two, and an X at the end (ID cards).
_RUN = re.compile(rf"{_DIGIT}(?:{_SEP}?{_DIGIT}){{6,}}(?:{_SEP}?[Xx])?")
_PHONE_CUE = re.compile(r"(电话|座机|手机|号码|联系方式|打|拨)[号码是为：:\s]{0,4}$")
_HAS_ARABIC = re.compile(r"\d")


def mask_arabic(text: str) -> str:
    """ID-card, bank-card and phone numbers in Arabic digits, in their usual groupings."""

    def id_card(m: re.Match) -> str:
        if m.group(1):
            return m.group(1)[:3] + "*" * 11 + m.group(2)[-4:]
        return m.group(3)[:3] + "*" * 9 + m.group(4)

    text = _ID_CARD.sub(id_card, text)
    text = _ID_CARD_GROUPED.sub(lambda m: m.group(1)[:3] + "*" * 11 + m.group(2)[-4:], text)
    text = _BANK_CARD.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - 8) + m.group(2), text)
    text = _BANK_CARD_GROUPED.sub(lambda m: m.group(1) + " **** **** " + m.group(2), text)
    text = _MOBILE.sub(lambda m: (m.group(1) or "") + m.group(2) + "****" + m.group(3), text)
    text = _LANDLINE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
    return text


def _keep(run: str, digits: list[int], head: int, tail: int) -> str:
    """The run with all but its first `head` and last `tail` digits replaced by ****, as written."""
    return run[: digits[head - 1] + 1] + "****" + run[digits[-tail] :] if head else "****" + run[digits[-tail] :]


def _mask_run(m: re.Match, text: str) -> str:
    run = m.group(0)
    positions = [i for i, c in enumerate(run) if c in NUMERALS or c in "Xx"]
    value = "".join(NUMERALS.get(run[i], "X") for i in positions)
    n = len(value)
    if "X" in value[:-1]:
        return run
    if n == 11 and re.match(r"1[3-9]", value):  # mobile
        return _keep(run, positions, 3, 4)
    if n in (15, 18) and value[0] in "12345678":  # ID card (the first digit is the province group)
        return _keep(run, positions, 3, 4)
    if "X" in value:
        return run
    if 16 <= n <= 19:  # bank card
        return _keep(run, positions, 4, 4)
    if 10 <= n <= 12 and value[0] == "0":  # landline with area code
        return _keep(run, positions, 4 if value[1] in "3456789" else 3, 3)
    if n in (7, 8) and _PHONE_CUE.search(text[max(0, m.start() - 8) : m.start()]):  # local landline
        return _keep(run, positions, 0, 3)
    return run


def mask_numbers(text: str) -> str:
    """Every identifying number in `text`, in any of the ways people write it."""
    if _HAS_ARABIC.search(text):
        text = mask_arabic(text)
    return _RUN.sub(lambda m: _mask_run(m, text), text)
