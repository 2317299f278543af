"""The registration's questions: which ones a kind of matter asks, in what order, how each is asked and how an
answer is read. One short question per step, numbered options wherever possible.

A step's answer goes into the draft's data under the step's name (None when skipped); a step is "answered" once
its name is in the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from intake import parse
from intake.kinds import KINDS, spec
from intake.routing import OTHER_PLACE, Routing
from storage.vocab import CaseKind

MAX_TEXT = 300  # characters kept of a free-text answer
MAX_ACCOUNT = 600


class Invalid(ValueError):
    """An answer that cannot be used: the message (Chinese) says what to send instead."""


@dataclass(frozen=True)
class Step:
    name: str
    label: str  # in the summary
    required: bool
    shown: Callable[[dict, Routing], bool] = lambda data, routing: True


FOR_WHOM = (("self", "为自己登记"), ("relative", "替家里人登记（如父母、子女、配偶）"))
FOR_CHILD = (
    ("parent", "我是孩子的母亲或父亲"),
    ("guardian", "我是孩子的其他监护人（如爷爷奶奶、外公外婆）"),
    ("child", "我是孩子本人（已满十四周岁）"),
)
CALL_TIMES = (("morning", "上午"), ("afternoon", "下午"), ("evening", "晚上"), ("any", "什么时候都行"))
DUPLICATE = (("new", "这是另一件事，继续登记"), ("same", "是同一件事，不用再登记了"))
KIND_OPTIONS = tuple((s.kind.value, s.ask) for s in KINDS)


def _kind(data: dict) -> str:
    return data.get("kind") or ""


STEPS: tuple[Step, ...] = (
    Step("kind", "事项", True),
    Step("sensitive", "单独同意", True, lambda d, r: spec(_kind(d)).sensitive is not None),
    Step("duplicate", "重复登记", True, lambda d, r: bool(d.get("dup_of"))),
    Step("for_whom", "为谁登记", True),
    Step("relation", "替谁登记", False, lambda d, r: d.get("for_whom") == "relative"),
    Step("name", "称呼", True),
    Step("phone", "手机", True),
    Step("county", "县（区）", True, lambda d, r: bool(r.places)),
    Step("place", "所在地", False, lambda d, r: not r.places or d.get("county") == OTHER_PLACE),
    Step("party", "对方", False),
    Step("amount", "金额", False, lambda d, r: spec(_kind(d)).amount is not None),
    Step("since", "开始时间", False),
    Step("actions", "已经做过", False),
    Step("evidence", "证据", False),
    Step("account", "经过", False),
    Step("call_time", "方便接电话", False),
)
BY_NAME = {s.name: s for s in STEPS}
CONFIRM = "confirm"
# Answers that depend on the kind: changing the kind asks them again.
KIND_DEPENDENT = ("sensitive", "duplicate", "dup_of", "for_whom", "relation", "party", "amount", "since", "actions",
                  "evidence")  # fmt: skip


def visible(data: dict, routing: Routing) -> list[Step]:
    return [s for s in STEPS if s.shown(data, routing)]


def next_step(data: dict, routing: Routing) -> str:
    """The first visible step not answered yet (so after "返回" and a new answer the person is back where they
    were, and after changing the kind only its new questions are asked); CONFIRM when all are answered."""
    return next((s.name for s in visible(data, routing) if s.name not in data), CONFIRM)


def previous_step(current: str, data: dict, routing: Routing) -> str | None:
    names = [s.name for s in visible(data, routing)]
    if current == CONFIRM:
        return names[-1]
    index = names.index(current) if current in names else 0
    return names[index - 1] if index > 0 else None


def numbered(options: tuple[tuple[str, str], ...]) -> str:
    return "\n".join(f"{i}. {label}" for i, (_, label) in enumerate(options, start=1))


def options_for(name: str, data: dict, routing: Routing) -> tuple[tuple[str, str], ...]:
    kind = spec(_kind(data))
    return {
        "kind": KIND_OPTIONS,
        "duplicate": DUPLICATE,
        "for_whom": FOR_CHILD if kind.kind is CaseKind.CHILD_SUPPORT else FOR_WHOM,
        "county": tuple((p.county, p.county) for p in routing.places) + ((OTHER_PLACE, OTHER_PLACE + "（写出县区名）"),),
        "actions": kind.actions,
        "evidence": kind.evidence,
        "call_time": CALL_TIMES,
    }.get(name, ())


def question(name: str, data: dict, routing: Routing) -> str:
    """The question of a step (without the commands line)."""
    kind = spec(_kind(data))
    opts = options_for(name, data, routing)
    if name == "kind":
        return "您要登记的是哪类事？请回复数字：\n" + numbered(opts)
    if name == "duplicate":
        return "这是同一件事吗？请回复数字：\n" + numbered(opts)
    if name == "for_whom":
        return "您是为自己登记，还是替家里人登记？请回复数字：\n" + numbered(opts)
    if name == "relation":
        return "您替谁登记？写明他（她）是您的什么人、怎么称呼（如：我父亲王大爷）。\n替家里人登记，请先告诉他（她）并征得同意。"
    if name == "name":
        return "怎么称呼您？（如：王师傅、李阿姨，写姓就行）"
    if name == "phone":
        return "您的手机号是多少？工作人员会打这个号码联系您。"
    if name == "county":
        return "您在哪个县（区）？请回复数字：\n" + numbered(opts)
    if name == "place":
        return "您在哪个县（区）？请直接写出来（如：××县）。"
    if name == "party":
        return kind.party
    if name == "amount":
        return kind.amount or ""
    if name == "since":
        return kind.since
    if name == "actions":
        return "这件事您已经做过什么？可以多选，回复数字（如：1 3）：\n" + numbered(opts)
    if name == "evidence":
        return "您手里有哪些证据？可以多选，回复数字（如：1 3 4）：\n" + numbered(opts)
    if name == "account":
        return "请用几句话说说事情经过（打字、语音都行）。不想写可以回复“跳过”，电话里再说。"
    if name == "call_time":
        extra = "\n如果对方可能在您身边，请直接写什么时间打电话安全（如：工作日上午）。" \
            if kind.kind is CaseKind.DOMESTIC_VIOLENCE else "\n也可以直接写时间（如：中午12点以后）。"  # fmt: skip
        return "什么时候方便接电话？请回复数字：\n" + numbered(opts) + extra
    raise KeyError(name)


def read_answer(name: str, text: str, data: dict, routing: Routing):
    """The value to store for a step's answer; Invalid (with what to send instead) when it cannot be used."""
    t = parse.normalise(text)
    opts = options_for(name, data, routing)
    if name in ("kind", "duplicate", "for_whom"):
        picked = parse.choices(t, opts)
        if picked is None:
            raise Invalid(f"请回复 1 到 {len(opts)} 之间的一个数字。")
        return picked[0]
    if name == "county":
        place = routing.find(t)
        if place is not None:
            return place.county
        picked = parse.choices(t, opts)
        if picked is None:
            raise Invalid(f"请回复 1 到 {len(opts)} 之间的一个数字；不在这些县（区）的，回复 {len(opts)}。")
        return picked[0]
    if name in ("actions", "evidence"):
        picked = parse.choices(t, opts, multi=True)
        if picked is None:
            raise Invalid(f"请回复 1 到 {len(opts)} 之间的数字，可以多选，用空格隔开（如：1 3）。")
        return picked
    if name == "phone":
        number = parse.phone(t)
        if number is None:
            raise Invalid("没看懂这个手机号。请发 11 位手机号，如 139 1234 5678（写汉字、中间有空格都行）。")
        return number
    if name == "amount":
        found = parse.amount(t)
        if found is None:
            raise Invalid("没看懂金额。请写数字，如：8500、八千五、1.2万、3万多；不清楚的回复“跳过”。")
        return {"yuan": found[0], "approx": found[1], "text": t[:40]}
    if name == "call_time":
        picked = parse.choices(t, opts)
        return {"code": picked[0]} if picked else {"code": None, "note": t[:60]}
    own = parse.tidy(text)  # free text stays in the person's own words (not NFKC-folded)
    if not own:
        raise Invalid("请用文字或语音回答。")
    if name == "name" and len(own) > 20:
        raise Invalid("称呼写短一点就行（如：王师傅、李阿姨）。")
    return own[:MAX_ACCOUNT] if name == "account" else own[:MAX_TEXT]


def shown_value(name: str, data: dict, routing: Routing) -> str:
    """An answer as the summary shows it."""
    value = data.get(name)
    if value is None or value == []:
        return "（未填）"
    if name == "amount":
        return f"{value['yuan']:,.0f} 元" + ("（大约）" if value.get("approx") else "") + f"（您写的：{value['text']}）"
    if name == "call_time":
        label = dict(CALL_TIMES).get(value.get("code") or "", "")
        return label or value.get("note") or "（未填）"
    if name in ("actions", "evidence", "kind", "duplicate", "for_whom", "county"):
        opts = dict(options_for(name, data, routing))
        codes = value if isinstance(value, list) else [value]
        return "、".join(opts.get(c, c) for c in codes)
    limit = 80 if name == "account" else 40  # the summary must fit one reply whatever was written
    text = str(value)
    return text[:limit] + "……" if len(text) > limit else text


def needs_advice(data: dict) -> bool:
    """Remind them of the statutory route: they have not (or not said they have) taken it."""
    actions = set(data.get("actions") or [])
    return not (actions & spec(_kind(data)).route_done)
