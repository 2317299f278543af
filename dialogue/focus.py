"""A follow-up that lands on the answer just given (要带啥 after an answer that lists the materials, 要钱吗 after
one that says the service is free): send the lines of that answer that speak to the question, not the whole
answer again. Long answers fill a phone screen; the person asked one thing.

The whole answer is right above in the chat, so nothing is lost. The lines are picked by words that carry each kind of follow-up (money for "cost", days and deadlines for "time",
…). When no line carries them, or nearly all do, the whole answer goes as before: a shortened answer must never
lose what the person asked for. The legal basis line always stays.
"""

from __future__ import annotations

import re

from dialogue.questions import FOLLOWUP_KINDS, asked_kind
from faq.render import BASIS_PREFIX

FOCUS_HEAD = "上面的回答里，和您问的有关的是："
# Words that show a line answers this kind of follow-up.
_LINE_WORDS: dict[str, re.Pattern] = {
    "cost": re.compile(r"费|免费|收钱|不要钱|不用交|花钱|交钱|钱由|出钱|律师"),
    "time": re.compile(r"\d+\s*(?:个)?(?:日|天|月|年|工作日|小时)|[一二两三四五六七八九十百]+(?:个)?(?:日|天|月|年|工作日)|时效|期限|之内|以内|之前|岁|多久|尽快|马上|当天"),
    "deadline": re.compile(r"时效|期限|之内|以内|日内|天内|年内|月内|之前|超过|过了|起算|\d+\s*(?:个)?(?:日|天|月|年)|[一二两三四五六七八九十]+(?:个)?(?:日|天|月|年)"),
    "where": re.compile(r"向|到|去|找|打\s*\d|热线|\d{4,5}|部门|机构|法院|仲裁委|检察院|派出所|公安|妇联|人社|劳动监察|社保|街道|村委|居委|网上|小程序"),
    "materials": re.compile(r"带|证据|材料|身份证|保存|留好|留存|整理|照片|录音|聊天|记录|欠条|合同|考勤|工资条|病历|证明|收据|截图"),
    "amount": re.compile(r"\d|倍|元|工资|赔偿|补偿|标准|数额|多少|一次性|全额|足额"),
    "penalty": re.compile(r"刑|罪|判|拘|罚|坐牢|追究|公安|立案|处罚|责令|报警|报案|110"),
    "how": re.compile(r"申请|下一步|先|再|然后|步骤|办理|提交|填|写|打\s*\d|去|到"),
    "eligible": re.compile(r"条件|符合|对象|一般是|要求|才|可以申请|能申请|免予核查|不受"),
    "court": re.compile(r"出庭|开庭|到庭|法庭"),
}
_ITEM = re.compile(r"^\s+\S|^\s*(?:\d+[.、．]|[（(]?[一二三四五六七八九十\d]+[)）、]|[·•-])")
MIN_LINES = 3  # an answer of fewer lines is short enough to send whole
MAX_SHARE = 0.7  # when this share of the lines (or more) carries the words, send the whole answer


def focus_answer(answer: str, followup: str, question: str = "") -> tuple[str, str] | None:
    """(the focused reply, its kind) for a follow-up whose answer is `answer` again, or None to send it whole.
    `question`: the entry's own question; when it asks what to do too (俺能咋办 after 被性骚扰怎么办), all of it
    answers: its steps are the lines on where to go and the lines on evidence alike."""
    asked = asked_kind(followup)
    if asked is None:
        return None
    kind = asked[0]
    if kind == "how" and FOLLOWUP_KINDS["how"].search(question):
        return None
    body, _, basis = answer.partition("\n\n" + BASIS_PREFIX)
    lines = [line for line in body.splitlines() if line.strip()]
    if len(lines) < MIN_LINES:
        return None
    words = _LINE_WORDS.get(kind)
    if words is None:  # 中不中: yes or no to the whole answer
        return None
    keep = [False] * len(lines)
    for i, line in enumerate(lines):
        if words.search(line):
            keep[i] = True
    if not any(keep[1:]):
        return None
    keep[0] = True  # the first line answers the question the entry is about (不得…, 有效期…): always kept
    for i, line in enumerate(lines):
        # a kept line that opens a list ("辞职不需要老板批准：") takes its items with it
        j = i + 1
        while keep[i] and line.rstrip().endswith(("：", ":")) and j < len(lines) and _ITEM.match(lines[j]):
            keep[j] = True
            j += 1
    if sum(keep) >= MAX_SHARE * len(lines):
        return None
    picked = _renumber([line.strip() for line, k in zip(lines, keep, strict=True) if k])
    text = FOCUS_HEAD + "\n" + "\n".join(picked)
    if basis:
        text += "\n\n" + BASIS_PREFIX + basis
    return text, kind


_NUMBER = re.compile(r"^(\d+)([.、．]\s*)")


def _renumber(lines: list[str]) -> list[str]:
    """Items keep a list's order, numbered again from 1 (picked items 2 and 3 become 1 and 2)."""
    out, n = [], 0
    for line in lines:
        m = _NUMBER.match(line)
        if m:
            n += 1
            line = f"{n}{m.group(2)}{line[m.end():]}"
        else:
            n = 0
        out.append(line)
    return out
