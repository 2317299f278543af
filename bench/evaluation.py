"""Answer-quality evaluation on question files in the format of ../shared/eval/dev_questions.yaml.

An item passes when the reply contains at least one string of every `must_include` group and none of
`must_not_include` (whitespace ignored). `strict`: the first reply passes. `two_turn`: strict, or the first
reply offers numbered choices and answering 1, 2 or 3 (each from a fresh user) gives a passing reply.

Three kinds of items are scored on what the bot did, not only on the words:
- `before:` (a conversation): the earlier messages are sent first by the same user; only the reply to `text` counts.
- `topic: out_of_scope`: the reply must be the fallback (outcome `unanswered`), never an answer, a tentative answer
  or choices; `must_include` is checked too.
- `kind: danger` / `kind: ordinary` (safety sets): a danger item passes when the reply is an emergency reply whose
  first line gives the required number; an ordinary item passes when the reply is not an emergency reply. Whether
  that reply also carries the item's legal facts (as ../shared/tools/run_eval.py checks through the webhook) is
  counted apart: `ordinary_answered`, the look-alikes answered right.
- `kind: handoff` / `kind: not_handoff` (asking for a person): the handoff reply, or anything but it.
When the responder cannot say the outcome (a reply read off the webhook), it is read from the text.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from faq.yamlio import load_yaml
from storage.vocab import Outcome


@dataclass
class Answer:
    text: str
    outcome: str | None = None  # None: unknown (read off the webhook)


Respond = Callable[[str, str], "Answer | str"]  # (user id, text) -> the reply

_CHOICE1 = re.compile(r"(^|\n)\s*[【\[(（]?\s*[1１①]\s*[】\])）.．、:：\s]")
_CHOICE2 = re.compile(r"(^|\n)\s*[【\[(（]?\s*[2２②]\s*[】\])）.．、:：\s]")
EMERGENCY_MARK = "【紧急】"  # the first line of every emergency reply (dialogue/emergency.py)
FALLBACK_HEAD = "抱歉，这个问题我暂时答不上来"


def load_questions(path: str | Path) -> list[dict]:
    data = load_yaml(path)
    return data if isinstance(data, list) else data.get("questions", [])


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def passes(reply: str, item: dict) -> bool:
    text = _squash(reply)
    groups = item.get("must_include") or []
    if any(not any(_squash(str(x)) in text for x in group) for group in groups):
        return False
    return not any(_squash(str(x)) in text for x in item.get("must_not_include") or [])


def offers_choices(reply: str) -> bool:
    return bool(_CHOICE1.search(reply or "") and _CHOICE2.search(reply or ""))


def outcome_of(answer: Answer) -> str:
    """The outcome, or a reading of the text when the responder could not say."""
    if answer.outcome is not None:
        return str(answer.outcome)
    text = answer.text or ""
    if text.startswith(EMERGENCY_MARK):
        return Outcome.EMERGENCY
    if text.startswith(FALLBACK_HEAD):
        return Outcome.UNANSWERED
    if text.startswith("我是检察院的普法小助手，是自动回复的程序"):
        return Outcome.HANDOFF
    if text.startswith("我理解您问的是"):
        return Outcome.TENTATIVE
    if offers_choices(text):
        return Outcome.SUGGESTED
    return Outcome.ANSWERED


def _ask(respond: Respond, uid: str, text: str) -> Answer:
    got = respond(uid, text)
    return got if isinstance(got, Answer) else Answer(got or "")


@dataclass
class EvalResult:
    n: int = 0
    strict: int = 0
    two_turn: int = 0
    by_topic: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)
    oos_total: int = 0
    oos_fallback: int = 0
    oos_confident: int = 0  # out-of-scope questions given a confident answer
    oos_tentative: int = 0  # ... or a tentative one
    danger_total: int = 0
    danger_caught: int = 0
    ordinary_total: int = 0
    false_alarms: int = 0
    ordinary_answered: int = 0  # look-alikes whose reply also has every required fact (no alarm, must_include)
    outcomes: dict = field(default_factory=dict)  # outcome -> count (first replies)

    def pct(self, k: int) -> float:
        return 100.0 * k / self.n if self.n else 0.0


def _score(item: dict, first: Answer) -> bool:
    outcome = outcome_of(first)
    kind = item.get("kind")
    if kind == "danger":
        first_line = (first.text or "").split("\n", 1)[0]
        return outcome == Outcome.EMERGENCY and passes(first_line, item)
    if kind == "ordinary":
        return outcome != Outcome.EMERGENCY
    if kind == "handoff":  # asks for a person or about the service: the honest handoff reply
        return outcome == Outcome.HANDOFF
    if kind == "not_handoff":  # mentions staff, phones or robots but asks something else
        return outcome != Outcome.HANDOFF
    if item.get("topic") == "out_of_scope":
        return outcome == Outcome.UNANSWERED and passes(first.text, item)
    return passes(first.text, item)


def evaluate(items: list[dict], respond: Respond, prefix: str = "eval") -> EvalResult:
    res = EvalResult()
    for k, item in enumerate(items):
        text = str(item["text"])
        before = [str(b) for b in item.get("before") or []]
        uid = f"{prefix}-{k}"
        for earlier in before:
            _ask(respond, uid, earlier)
        first = _ask(respond, uid, text)
        outcome = outcome_of(first)
        res.outcomes[outcome] = res.outcomes.get(outcome, 0) + 1
        ok = _score(item, first)
        ok2 = ok
        if not ok and not item.get("kind") and item.get("topic") != "out_of_scope" and offers_choices(first.text):
            for choice in ("1", "2", "3"):
                cid = f"{uid}-c{choice}"
                for earlier in before:
                    _ask(respond, cid, earlier)
                _ask(respond, cid, text)
                if passes(_ask(respond, cid, choice).text, item):
                    ok2 = True
                    break
        topic = item.get("topic", "?")
        t = res.by_topic.setdefault(topic, [0, 0, 0])
        t[0] += 1
        t[1] += ok
        t[2] += ok2
        res.n += 1
        res.strict += ok
        res.two_turn += ok2
        if topic == "out_of_scope" and not item.get("kind"):
            res.oos_total += 1
            res.oos_fallback += ok
            res.oos_confident += outcome == Outcome.ANSWERED
            res.oos_tentative += outcome == Outcome.TENTATIVE
        if item.get("kind") == "danger":
            res.danger_total += 1
            res.danger_caught += ok
        elif item.get("kind") == "ordinary":
            res.ordinary_total += 1
            res.false_alarms += not ok
            res.ordinary_answered += ok and passes(first.text, item)
        if not ok:
            res.failures.append(
                {
                    "id": item.get("id"),
                    "topic": topic,
                    "text": text,
                    "before": before,
                    "outcome": outcome,
                    "two_turn": ok2,
                    "reply": (first.text or "")[:300],
                }
            )
    return res


def dialogue_responder(faq_dir: str | None = None) -> Respond:
    """The project's full answering path (menu, greetings, matcher) on a temporary database."""
    from dialogue import Dialogue
    from faq.loader import load_entries
    from pufa.services import shared_analyzer
    from settings import Settings
    from storage import Store

    settings = Settings()
    store = Store(Path(tempfile.mkdtemp(prefix="pufa-eval")) / "eval.db")
    store.faq.seed(load_entries(faq_dir or settings.FAQ_DIR))
    dialogue = Dialogue(store, shared_analyzer())

    def respond(uid: str, text: str) -> Answer:
        reply = dialogue.respond(uid, text)
        return Answer(reply.text or "", reply.outcome)

    return respond


def format_result(name: str, res: EvalResult) -> str:
    lines = [f"== {name}: n={res.n}"]
    for topic, (n, s, t) in sorted(res.by_topic.items()):
        lines.append(f"  {topic:<24} n={n:<3} strict={100.0 * s / n:5.1f}%  two_turn={100.0 * t / n:5.1f}%")
    extra = ""
    if res.oos_total:
        extra += (
            f" out_of_scope_fallback={100.0 * res.oos_fallback / res.oos_total:.1f}%"
            f" (confident {res.oos_confident}, tentative {res.oos_tentative} of {res.oos_total})"
        )
    if res.danger_total:
        extra += f" danger_caught={res.danger_caught}/{res.danger_total}"
    if res.ordinary_total:
        extra += f" false_alarms={res.false_alarms}/{res.ordinary_total} look_alikes_answered={res.ordinary_answered}/{res.ordinary_total}"
    lines.append(f"  overall strict={res.pct(res.strict):.1f}% two_turn={res.pct(res.two_turn):.1f}%" + extra)
    return "\n".join(lines)


def print_eval(files: list[str], show_failures: int = 0) -> int:
    respond = dialogue_responder()
    for path in files:
        res = evaluate(load_questions(path), respond, prefix=Path(path).stem)
        print(format_result(path, res))
        for f in res.failures[:show_failures]:
            print("  FAIL " + json.dumps(f, ensure_ascii=False))
    return 0
